"""Vendor the JS/CSS/fonts/images that folium's maps load, from the npm registry.

Why: folium points every map at public CDNs; offline or behind a strict proxy
the map does not render, and each visit leaks to those CDNs.  This script
reads the exact URLs (hence versions) from folium's own code, fetches the
matching npm packages with ``npm pack``, and copies only the files a map uses
plus each package's licence into ``static/vendor/<package>@<version>/``.
``static/vendor/MANIFEST.json`` maps every CDN URL to its local copy; it is
what ``geo/maps/assets.py`` reads at run time.

Run from anywhere (needs ``npm``): ``python scripts/vendor_assets.py``.
The output depends only on folium's URLs and the registry tarballs, so
re-running it gives the same files.
"""

from __future__ import annotations

import json
import posixpath
import re
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

import folium
import folium.folium
from folium.plugins import FastMarkerCluster, Fullscreen, MarkerCluster, MiniMap

ROOT = Path(__file__).resolve().parents[1]
VENDOR = ROOT / "static" / "vendor"

# folium core plus the plugins the dashboard uses.
ELEMENTS = (folium.Map, MarkerCluster, FastMarkerCluster, MiniMap, Fullscreen)

# CDN URL pattern -> (npm package, version, file in the package).  Versions
# come from the URL, i.e. from folium, except where npm lacks the version.
RULES = [
    (
        r"https://cdn\.jsdelivr\.net/npm/(?P<pkg>(?:@[^/]+/)?[^@/]+)@(?P<ver>[^/]+)/(?P<file>.+)",
        ("{pkg}", "{ver}", "{file}"),
    ),
    (
        r"https://code\.jquery\.com/jquery-(?P<ver>[\d.]+)\.min\.js",
        ("jquery", "{ver}", "dist/jquery.min.js"),
    ),
    # cdnjs mirrors lvoogdt's 2.0.2 release; on npm 2.0.2 exists only as this
    # verbatim shim (leaflet.awesome-markers jumps from 2.0.0 to 2.0.4).
    (
        r"https://cdnjs\.cloudflare\.com/ajax/libs/Leaflet\.awesome-markers/(?P<ver>[^/]+)/(?P<file>[^/]+\.(?P<ext>js|css))",
        ("drmonty-leaflet-awesome-markers", "{ver}", "{ext}/{file}"),
    ),
    (
        r"https://cdnjs\.cloudflare\.com/ajax/libs/(?P<pkg>leaflet\.markercluster|leaflet-minimap)/(?P<ver>[^/]+)/(?P<file>.+)",
        ("{pkg}", "{ver}", "dist/{file}"),
    ),
    # Bootstrap 3.0.0 (whose CDN had glyphicons as a separate sheet) was never
    # published on npm (first 3.x there is 3.1.1).  This package is the
    # official Bootstrap Customizer's glyphicons-only build of 3.3.7: the same
    # .glyphicon-* classes (a superset of 3.0.0's) without the rest of BS3.
    (
        r"https://netdna\.bootstrapcdn\.com/bootstrap/3\.0\.0/css/bootstrap-glyphicons\.css",
        ("glyphicons-only-bootstrap", "1.0.1", "css/bootstrap.min.css"),
    ),
]

# CDN URLs deliberately not vendored, with the reason (kept in the manifest).
DROPPED = {
    dict(folium.folium._default_css)["awesome_rotate_css"]: (
        "Not published on any package registry (it lives only in folium's git "
        "repository, not in its PyPI wheel). It only defines .fa-rotate-1 to "
        ".fa-rotate-359, used by folium.Icon(angle=N) with N != 0; the dashboard "
        "does not rotate icons and maps render the same without it."
    ),
}

# Files a package's JS loads by itself (not referenced from its CSS).
EXTRA_FILES = {
    "leaflet": ["dist/images/marker-icon-2x.png", "dist/images/marker-shadow.png"],
}

# Packages shipping no licence file: take the text from the upstream project.
LICENSE_FROM = {
    "glyphicons-only-bootstrap": ("bootstrap", "3.3.7"),
    "drmonty-leaflet-awesome-markers": ("leaflet.awesome-markers", "2.0.5"),
}

LICENSE_NAME = re.compile(r"(?i)^(mit-)?licen[cs]e(\.txt|\.md)?$")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


def folium_urls() -> list[str]:
    """Every JS/CSS URL that folium core and the used plugins reference, in order."""
    urls = [url for cls in ELEMENTS for _, url in cls.default_js + cls.default_css]
    return list(dict.fromkeys(urls))


def resolve(url: str) -> tuple[str, str, str]:
    """Map a CDN URL to (npm package, version, file path in the package)."""
    for pattern, templates in RULES:
        match = re.fullmatch(pattern, url)
        if match:
            pkg, ver, file = (t.format(**match.groupdict()) for t in templates)
            return pkg, ver, file
    raise SystemExit(f"No npm source known for {url}: add a rule to RULES.")


def npm_pack(pkg: str, ver: str, workdir: Path) -> tuple[Path, str]:
    """Fetch and unpack pkg@ver; return its root folder and npm integrity hash."""
    out = subprocess.run(
        ["npm", "pack", "--json", "--pack-destination", str(workdir), f"{pkg}@{ver}"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    info = json.loads(out)[0]
    dest = workdir / info["filename"].removesuffix(".tgz")
    with tarfile.open(workdir / info["filename"]) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package", info["integrity"]


def pick(pkg_root: Path, file: str) -> str:
    """Prefer the minified file (cdnjs links the unminified one); fall back to
    the plain file when only jsDelivr's on-the-fly minified URL exists."""
    stem, ext = file.rsplit(".", 1)
    stem = stem.removesuffix(".min")
    for candidate in (f"{stem}.min.{ext}", f"{stem}.{ext}"):
        if (pkg_root / candidate).is_file():
            return candidate
    raise SystemExit(f"{file} not found in {pkg_root}")


def css_dependencies(pkg_root: Path, css_file: str) -> tuple[set[str], set[str]]:
    """Package files a stylesheet references: (to copy, omitted font fallbacks).

    Fonts are kept as WOFF2 only: every browser that runs Leaflet 1.9 and
    Bootstrap 5 supports it and picks it first, so the EOT/TTF/WOFF/SVG
    fallbacks are never fetched.
    """
    text = (pkg_root / css_file).read_text(encoding="utf-8")
    font_refs = {m[2] for block in FONT_FACE.findall(text) for m in CSS_URL.finditer(block)}
    keep, omitted = set(), set()
    for match in CSS_URL.finditer(text):
        ref = match[2]
        if ref.startswith(("data:", "#")):
            continue
        target = posixpath.normpath(
            posixpath.join(posixpath.dirname(css_file), re.split(r"[?#]", ref)[0])
        )
        (omitted if ref in font_refs and not target.endswith(".woff2") else keep).add(target)
    return keep, omitted


def license_of(package_json: dict) -> str:
    """The licence declared in package.json (old packages use a 'licenses' list)."""
    if "license" in package_json:
        return package_json["license"]
    return " OR ".join(entry["type"] for entry in package_json["licenses"])


def license_file(pkg_root: Path) -> Path:
    """The package's licence file (LICENSE, LICENSE.txt, MIT-LICENCE.txt...)."""
    names = sorted(p for p in pkg_root.iterdir() if LICENSE_NAME.match(p.name))
    if not names:
        raise SystemExit(f"No licence file in {pkg_root}")
    return names[0]


def main() -> None:
    urls = folium_urls()
    assets: dict[str, dict] = {}
    packages: dict[str, dict] = {}
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    with tempfile.TemporaryDirectory() as tmp:
        roots: dict[str, Path] = {}

        def copy(key: str, file: str) -> None:
            dest = VENDOR / key / file
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(roots[key] / file, dest)
            packages[key]["files"].add(file)

        for url in urls:
            if url in DROPPED:
                continue
            pkg, ver, wanted = resolve(url)
            key = f"{pkg}@{ver}"
            if key not in roots:
                roots[key], integrity = npm_pack(pkg, ver, Path(tmp))
                meta = json.loads((roots[key] / "package.json").read_text(encoding="utf-8"))
                packages[key] = {
                    "license": license_of(meta),
                    "integrity": integrity,
                    "files": set(),
                    "omitted": set(),
                }
                for extra in EXTRA_FILES.get(pkg, []):
                    copy(key, extra)
            file = pick(roots[key], wanted)
            copy(key, file)
            if file.endswith(".css"):
                keep, omitted = css_dependencies(roots[key], file)
                for dep in sorted(keep):
                    copy(key, dep)
                packages[key]["omitted"] |= omitted
            assets[url] = {
                "path": f"{key}/{file}",
                "package": pkg,
                "version": ver,
                "license": packages[key]["license"],
            }

        for key, entry in packages.items():
            source = roots[key]
            upstream = LICENSE_FROM.get(key.rpartition("@")[0])
            if upstream:
                source, _ = npm_pack(*upstream, Path(tmp))
                entry["license_text_from"] = "@".join(upstream)
            text = license_file(source)
            shutil.copyfile(text, VENDOR / key / text.name)
            entry["license_file"] = f"{key}/{text.name}"

    manifest = {
        "about": "CDN URL referenced by folium -> local copy under static/vendor/. "
        "Generated by scripts/vendor_assets.py; do not edit.",
        "folium": folium.__version__,
        "assets": assets,
        "dropped": {url: DROPPED[url] for url in urls if url in DROPPED},
        "fonts": "Vendored as WOFF2 only; each package's 'omitted' lists the EOT/TTF/WOFF/SVG "
        "fallbacks its CSS names, which a browser supporting WOFF2 never fetches.",
        "packages": {
            key: {**entry, "files": sorted(entry["files"]), "omitted": sorted(entry["omitted"])}
            for key, entry in packages.items()
        },
    }
    (VENDOR / "MANIFEST.json").write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    size = sum(p.stat().st_size for p in VENDOR.rglob("*") if p.is_file())
    print(f"{len(assets)} URLs -> {len(packages)} packages, {size / 1024:.0f} KiB in {VENDOR}")


if __name__ == "__main__":
    main()
