"""Serve the map's JavaScript, CSS, fonts and images from the app, never from CDNs.

Why: folium links Leaflet, jQuery, Bootstrap, Font Awesome and its plugins on
public CDNs.  Offline or behind a strict administration proxy the map then
does not render, and every visit tells those CDNs who looks at the map.  The
files are vendored once from the npm registry, licences kept, by
``scripts/vendor_assets.py`` into ``static/vendor/``; ``MANIFEST.json`` there
maps each CDN URL folium uses to its local copy.  Only map tiles still leave
the machine.

Serving (geo.web.publish): ``register()`` declares ``static/vendor`` as the files of a custom
component (``streamlit.components.v1.declare_component(name, path=...)``),
so Streamlit serves it under ``/component/geo.web.publish.vendor/``, with the type
from ``mimetypes`` (``text/javascript``, ``text/css``, ``font/woff2``) on
every Streamlit version the project allows, with no configuration, wherever
the app is started from.  Streamlit's static file serving
(``server.enableStaticServing``, ``/app/static/``) was rejected: up to its
Tornado server (still 1.50's, which pyproject allows) it sends every extension
but images, fonts, PDF, XML and JSON as ``text/plain`` with
``X-Content-Type-Options: nosniff``, so browsers refuse the scripts and
stylesheets; only the later Starlette server (1.67) types them properly.
The component is only a file server: nothing calls it. A second one serves what the app
writes at run time (``publish``: the map's outlines), from a temporary folder of the process.

The app's own scripts (``static/js``, one file per element, see geo.maps.element.FactoryElement)
are linked as one file, ``map_script()``: the elements' files joined, published by
geo.web.publish under a content-hashed name (one request before the first map, a name a browser
may keep), and inlined by ``standalone_html`` like the vendored ones.

Use::

    publish.register()                                     # once per run, before st_folium
    st_folium(localize(m, served_base_url(), map_script_url()), ...)  # served mode
    st.download_button("Carte (HTML)", standalone_html(m), "carte.html")  # offline file
"""

from __future__ import annotations

import base64
import json
import mimetypes
import posixpath
import re
from collections.abc import Iterator
from functools import cache, lru_cache
from pathlib import Path

import branca.colormap
import folium
from branca.element import Element, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.config import STATIC_DIR
from geo.maps.element import MAP_SCRIPT_STEM, script_json

VENDOR_DIR = STATIC_DIR / "vendor"
SCRIPT_DIR = STATIC_DIR / "js"
# The elements' files in the map's one script (map_script), each adding its factory to the
# namespace. The other files of SCRIPT_DIR are not the map's base: coverage.js comes with its
# figures on first use (coverage-toggle.js loads it), widget-text.js and card-focus.js run in
# the page (geo.web.widget_text, geo.web.card_focus).
MAP_SCRIPTS = (
    "when-sized.js",
    "outline-layer.js",
    "territory-layer.js",
    "legend.js",
    "goto.js",
    "scale-bar.js",
    "tiles-down.js",
    "map-document.js",
    "list-points.js",
    "place-marker.js",
    "coverage-toggle.js",
)

_MANIFEST = json.loads((VENDOR_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
_PATHS = {url: entry["path"] for url, entry in _MANIFEST["assets"].items()}
_DROPPED = set(_MANIFEST["dropped"])

_SCRIPT_TAG = re.compile(r'<script src="([^"]+)"></script>')
_CSS_TAG = re.compile(r'<link rel="stylesheet" href="([^"]+)"/>')
_FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
_MAP_SCRIPT_URL = re.compile(rf"(?:.*/)?{MAP_SCRIPT_STEM}(?:\.[0-9a-f]+)?\.js")
_SOURCE_MAP = re.compile(r"^\s*(//# sourceMappingURL=\S*|/\*# sourceMappingURL=\S* \*/)\s*$", re.M)


def _vendored_path(url: str) -> str | None:
    """Local path (relative to VENDOR_DIR) of a CDN URL or of an already
    localized URL; None for a URL deliberately dropped (see MANIFEST.json).

    Raises ValueError for anything not vendored, so that no CDN link slips
    through silently: vendor the package in scripts/vendor_assets.py first.
    """
    if url in _DROPPED:
        return None
    if url in _PATHS:
        return _PATHS[url]
    for path in _PATHS.values():
        if url.endswith("/" + path):
            return path
    raise ValueError(f"{url} is not vendored: add it to scripts/vendor_assets.py")


@cache
def map_script() -> str:
    """The map's own scripts (MAP_SCRIPTS) as one script, read once per process."""
    return "\n".join(script_text(name).rstrip() for name in MAP_SCRIPTS)


@lru_cache(maxsize=32)  # static/js holds 14 files
def script_text(name: str) -> str:
    """One of SCRIPT_DIR's files, to run in the page (st.html) or publish with its data: read
    once per process (the page's widget-text script goes out with every rerun)."""
    return (SCRIPT_DIR / name).read_text(encoding="utf-8")


def _walk(element: Element) -> Iterator[Element]:
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _localized(links: list[tuple[str, str]], base: str, script_url: str) -> list[tuple[str, str]]:
    localized = []
    for name, url in links:
        if _MAP_SCRIPT_URL.fullmatch(url):
            localized.append((name, script_url))
        elif (path := _vendored_path(url)) is not None:
            localized.append((name, base + path))
    return localized


class _DefaultIconPath(MacroElement):
    """Tells Leaflet where its default marker images are.

    Leaflet 1.9.3 reads it from the applied leaflet.css, else guesses it from
    the stylesheet link, dropping the "/images/" folder (fixed in 1.9.4).
    st_folium runs the map script before its stylesheets have loaded, so
    default markers would point at ".../distmarker-icon.png" and not show.
    Put first among the map's children, this runs before any marker exists.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}L.Icon.Default.imagePath = {{ this.path }};{% endmacro %}"
    )

    def __init__(self, path: str) -> None:
        super().__init__()
        self._name = "DefaultIconPath"
        self.path = script_json(path)


def localize(m: folium.Map, base_url: str, script_url: str) -> folium.Map:
    """Point every JS/CSS link of the map and its descendants to ``base_url``, and the map's
    own script (map_script) to ``script_url``.

    Mutates and returns ``m``; call it after the last element is added.
    folium renders, and streamlit-folium collects (``st_folium`` walks the
    map and reads each element's ``default_js``/``default_css``), the links
    from these per-element lists, so each element gets its own localized
    copies; the class-level lists shared by all maps stay untouched.  Also
    sets Leaflet's default marker image path (see ``_DefaultIconPath``).

    Raises ValueError for a link that is not vendored, and for branca
    colormaps, for which streamlit-folium adds d3 from a CDN by itself.
    """
    base = base_url.rstrip("/") + "/"
    for element in _walk(m.get_root()):
        if isinstance(element, branca.colormap.ColorMap):
            raise ValueError("branca colormaps make streamlit-folium load d3 from a CDN")
        if isinstance(element, JSCSSMixin):
            element.default_js = _localized(element.default_js, base, script_url)
            element.default_css = _localized(element.default_css, base, script_url)
    leaflet_css = _PATHS[dict(folium.folium._default_css)["leaflet_css"]]
    m.add_child(_DefaultIconPath(f"{base}{posixpath.dirname(leaflet_css)}/images/"), "icon_path")
    m._children.move_to_end("icon_path", last=False)
    return m


def _data_url(file: Path) -> str:
    mime = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    return f"data:{mime};base64,{base64.b64encode(file.read_bytes()).decode('ascii')}"


def _inline_css(path: str) -> str:
    """The stylesheet with its images and WOFF2 fonts as data: URLs.

    Each font file is embedded once, in the first @font-face naming it:
    Font Awesome declares every font again under its v5 and v4 family names,
    which only third-party CSS uses, and would triple the page.  Those
    repeats and the font formats not vendored (EOT/TTF/... fallbacks, never
    used by a browser with WOFF2) become empty data: URLs, so the page never
    asks for anything outside itself.
    """
    seen: set[Path] = set()

    def embed(match: re.Match[str], fonts: bool) -> str:
        ref = match[2]
        if ref.startswith(("data:", "#")):
            return match[0]
        target = posixpath.join(posixpath.dirname(path), re.split(r"[?#]", ref)[0])
        file = VENDOR_DIR / posixpath.normpath(target)
        if not file.is_file() or (fonts and file in seen):
            return "url(data:,)"
        seen.add(file)
        return f"url({_data_url(file)})"

    css = (VENDOR_DIR / path).read_text(encoding="utf-8")
    css = _FONT_FACE.sub(lambda face: _CSS_URL.sub(lambda m: embed(m, True), face[0]), css)
    css = _CSS_URL.sub(lambda m: embed(m, False), css)
    return _SOURCE_MAP.sub("", css).replace("</style", r"<\/style")


def _inline_js(path: str) -> str:
    """The script; for Leaflet, plus its default marker images as data: URLs
    (Leaflet looks for them next to leaflet.css, which is inlined here)."""
    js = _SOURCE_MAP.sub("", (VENDOR_DIR / path).read_text(encoding="utf-8"))
    js = _unclosing(js)
    if path.endswith("/dist/leaflet.js"):
        images = VENDOR_DIR / posixpath.dirname(path) / "images"
        options = {
            option: _data_url(images / file)
            for option, file in (
                ("iconUrl", "marker-icon.png"),
                ("iconRetinaUrl", "marker-icon-2x.png"),
                ("shadowUrl", "marker-shadow.png"),
            )
        }
        # Plain L.Icon URL logic: the options above, ignoring any imagePath
        # (including the one localize() sets).
        js += (
            f"\nL.Icon.Default.mergeOptions({script_json(options)});"
            "\nL.Icon.Default.include({_getIconUrl: L.Icon.prototype._getIconUrl});\n"
        )
    return js


def standalone_html(m: folium.Map) -> str:
    """The map as one self-contained HTML page, for download or e-mail.

    Every vendored script and stylesheet, and the map's own script, is inlined (fonts and images as
    data: URLs), so the file works offline and contacts no CDN; only the
    tile layers' URL templates (and attribution links) remain external.
    Accepts a plain or an already localized map; leaves its links as they are.
    """
    html = m.get_root().render()
    html = _SCRIPT_TAG.sub(_inline_script_tag, html)
    return _CSS_TAG.sub(_inline_css_tag, html)


def _inline_script_tag(tag: re.Match[str]) -> str:
    if _MAP_SCRIPT_URL.fullmatch(tag[1]):
        return f"<script>{_unclosing(map_script())}</script>"
    path = _vendored_path(tag[1])
    return f"<script>{_inline_js(path)}</script>" if path else ""


def _unclosing(js: str) -> str:
    """A script that cannot close the <script> element it is inlined in."""
    return js.replace("</script", r"<\/script")


def _inline_css_tag(tag: re.Match[str]) -> str:
    path = _vendored_path(tag[1])
    return f"<style>{_inline_css(path)}</style>" if path else ""
