"""The map's JS/CSS/fonts come from static/vendor, never from a CDN (geo/maps/assets.py)."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

import folium
import pytest
import streamlit_folium
from folium.plugins import Draw, FastMarkerCluster, Fullscreen, MarkerCluster, MiniMap

from geo.maps.assets import VENDOR_DIR, localize, standalone_html
from geo.web.publish import ASSET_BASE_URL

ROOT = Path(__file__).resolve().parents[2]
# Where the map's own script would be served (geo.web.publish.map_script_url); these maps have none.
SCRIPT_URL = "/component/geo.web.publish.published/carte-ess-map.0123456789abcdef.js"
MANIFEST = json.loads((VENDOR_DIR / "MANIFEST.json").read_text(encoding="utf-8"))
CDN_WORDS = (
    "cdn",
    "jsdelivr",
    "unpkg",
    "bootstrapcdn",
    "cloudflare",
    "googleapis",
    "github.io",
    "code.jquery",
)
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def make_map() -> folium.Map:
    """A map using folium core and every plugin the dashboard uses."""
    m = folium.Map(location=[46.6, 2.4], zoom_start=5)
    cluster = MarkerCluster().add_to(m)
    folium.Marker([48.85, 2.35], popup="Paris", icon=folium.Icon(icon="info-sign")).add_to(cluster)
    folium.Marker([45.0, 1.0]).add_to(m)  # default Leaflet icon
    folium.Marker([44.0, 3.0], icon=folium.Icon(icon="star", prefix="fa")).add_to(m)
    FastMarkerCluster([[45.76, 4.84], [43.30, 5.37]]).add_to(m)
    MiniMap().add_to(m)
    Fullscreen().add_to(m)
    return m


def st_folium_links(m: folium.Map, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The JS and CSS links st_folium hands to its frontend for this map."""
    sent: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kw: sent.update(kw))
    streamlit_folium.st_folium(m, returned_objects=[])
    return sent["js_links"] + sent["css_links"]


def assert_local(url: str) -> None:
    assert url.startswith(ASSET_BASE_URL), url
    assert not any(word in url for word in CDN_WORDS), url
    assert (VENDOR_DIR / url.removeprefix(ASSET_BASE_URL)).is_file(), url


def test_st_folium_gets_only_local_links(monkeypatch: pytest.MonkeyPatch) -> None:
    links = st_folium_links(localize(make_map(), ASSET_BASE_URL, SCRIPT_URL), monkeypatch)
    assert len(links) == len(MANIFEST["assets"])  # every vendored file, each once
    for url in links:
        assert_local(url)


def test_rendered_page_links_are_local() -> None:
    html = localize(make_map(), ASSET_BASE_URL, SCRIPT_URL).get_root().render()
    links = re.findall(r'<(?:script src|link rel="stylesheet" href)="([^"]+)"', html)
    assert links
    for url in links:
        assert_local(url)


def test_localize_keeps_folium_class_defaults() -> None:
    before = list(folium.Map.default_js)
    localize(make_map(), ASSET_BASE_URL, SCRIPT_URL)
    assert folium.Map.default_js == before
    assert "cdn.jsdelivr.net" in folium.Map.default_js[0][1]


def test_localize_rejects_plugins_not_vendored() -> None:
    m = make_map()
    Draw().add_to(m)
    with pytest.raises(ValueError, match="not vendored"):
        localize(m, ASSET_BASE_URL, SCRIPT_URL)


def test_vendored_css_references_exist() -> None:
    """Every url() of a vendored stylesheet is vendored, or a declared font fallback."""
    for entry in MANIFEST["assets"].values():
        key = f"{entry['package']}@{entry['version']}"
        css_file = entry["path"].removeprefix(key + "/")
        if not css_file.endswith(".css"):
            continue
        css = (VENDOR_DIR / entry["path"]).read_text(encoding="utf-8")
        for ref in (m[2] for m in CSS_URL.finditer(css)):
            if ref.startswith(("data:", "#")):
                continue
            target = posixpath.normpath(
                posixpath.join(posixpath.dirname(css_file), re.split(r"[?#]", ref)[0])
            )
            omitted = MANIFEST["packages"][key]["omitted"]
            assert (VENDOR_DIR / key / target).is_file() or target in omitted, (key, ref)


def test_manifest_records_licences() -> None:
    assert MANIFEST["folium"] == folium.__version__
    for key, package in MANIFEST["packages"].items():
        assert package["license"], key
        assert (VENDOR_DIR / package["license_file"]).is_file(), key
        assert package["integrity"].startswith("sha512-"), key
    for url, entry in MANIFEST["assets"].items():
        assert f"{entry['package']}@{entry['version']}" in MANIFEST["packages"], url
        assert entry["license"], url
    assert all(MANIFEST["dropped"].values())


def test_manifest_covers_every_folium_url() -> None:
    urls = {
        url
        for cls in (folium.Map, MarkerCluster, FastMarkerCluster, MiniMap, Fullscreen)
        for _, url in cls.default_js + cls.default_css
    }
    assert urls == set(MANIFEST["assets"]) | set(MANIFEST["dropped"])


def test_standalone_html_loads_nothing_external() -> None:
    m = make_map()
    html = standalone_html(m)
    assert "<script src=" not in html
    assert "<link " not in html
    assert not re.search(r"url\(\s*['\"]?(https?:|//)", html)
    vendored_text = "".join(
        p.read_text(encoding="utf-8") for p in VENDOR_DIR.rglob("*") if p.suffix in (".js", ".css")
    )
    tiles = [child for child in m._children.values() if isinstance(child, folium.TileLayer)]
    allowed = {t.tiles for t in tiles}
    allowed |= {u for t in tiles for u in re.findall(r'https?://[^"]+', t.options["attribution"])}
    for url in set(re.findall(r"https?://[^\s\"'`<>)\\]+", html)):
        # Licence banners and xmlns in the libraries are text, not loads.
        assert url in allowed or url in vendored_text, url
    assert len(html) < 2_000_000


def test_standalone_html_accepts_a_localized_map() -> None:
    html = standalone_html(localize(make_map(), ASSET_BASE_URL, SCRIPT_URL))
    assert "<script src=" not in html
    assert "<link " not in html
