"""The vendored map assets in a real browser: served by the app, and inlined offline."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser

from geo.maps.assets import standalone_html
from geo.web.harness import MAP_FRAME, ROOT, AppServer
from geo.web.publish import ASSET_BASE_URL
from tests.maps.test_assets import make_map

pytestmark = pytest.mark.browser

APP = """
    from streamlit_folium import st_folium
    from geo.maps import assets
    from geo.web import publish
    from tests.maps.test_assets import make_map
    publish.register()
    m = assets.localize(make_map(), publish.ASSET_BASE_URL, publish.map_script_url())
    st_folium(m, height=400, width=600)
"""


def record(page, requests: list, errors: list) -> None:
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and errors.append((r.status, r.url)))
    page.on("pageerror", lambda e: errors.append(str(e)))


def test_served_map_loads_everything_from_the_app(browser: Browser, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(textwrap.dedent(APP))
    shutil.copytree(ROOT / ".streamlit", tmp_path / ".streamlit")
    requests: list[str] = []
    errors: list = []
    with AppServer(tmp_path / "app.py", cwd=tmp_path) as server:
        page = browser.new_page()
        record(page, requests, errors)
        page.goto(f"{server.url}/")
        frame = page.wait_for_selector(MAP_FRAME).content_frame()
        frame.wait_for_selector(".leaflet-marker-icon", timeout=30_000)
        frame.wait_for_selector(".leaflet-control-minimap")
        page.wait_for_timeout(1000)
        page.close()
    hosts = {urlparse(u).hostname for u in requests if u.startswith("http")}
    assert hosts <= {"127.0.0.1", "tile.openstreetmap.org"}, hosts
    assert any(ASSET_BASE_URL + "leaflet@" in u for u in requests)
    assert not [e for e in errors if "tile.openstreetmap.org" not in str(e)], errors


def test_standalone_file_works_offline(browser: Browser, tmp_path: Path) -> None:
    page_file = tmp_path / "carte.html"
    page_file.write_text(standalone_html(make_map()), encoding="utf-8")
    requests: list[str] = []
    errors: list = []
    page = browser.new_page()
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
    record(page, requests, errors)
    page.goto(page_file.as_uri())
    page.wait_for_selector(".leaflet-marker-icon")
    ready = page.evaluate(
        "Object.keys(window).some(k => k.startsWith('map_') && window[k] instanceof L.Map)"
    )
    broken = page.evaluate(
        "[...document.images].filter(i => i.src.startsWith('data:')"
        " && i.complete && !i.naturalWidth).length"
    )
    page.close()
    assert ready and broken == 0
    assert {urlparse(u).scheme for u in requests} <= {"file", "data", "https"}
    assert {urlparse(u).hostname for u in requests if u.startswith("https")} <= {
        "tile.openstreetmap.org"
    }
    assert not errors, errors
