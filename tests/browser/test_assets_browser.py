"""The vendored map assets in a real browser: served by the app, and inlined offline."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from geo.assets import ASSET_BASE_URL, standalone_html
from tests.test_assets import make_map

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

APP = """
    import sys
    sys.path.insert(0, {root!r})
    from streamlit_folium import st_folium
    from geo import assets
    from tests.test_assets import make_map
    assets.register()
    st_folium(assets.localize(make_map(), assets.ASSET_BASE_URL), height=400, width=600)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def record(page, requests: list, errors: list) -> None:
    page.on("request", lambda r: requests.append(r.url))
    page.on("response", lambda r: r.status >= 400 and errors.append((r.status, r.url)))
    page.on("pageerror", lambda e: errors.append(str(e)))


def test_served_map_loads_everything_from_the_app(browser: Browser, tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text(textwrap.dedent(APP.format(root=str(ROOT))))
    shutil.copytree(ROOT / ".streamlit", tmp_path / ".streamlit")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(tmp_path / "app.py"),
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    requests: list[str] = []
    errors: list = []
    try:
        page = browser.new_page()
        record(page, requests, errors)
        for _ in range(60):
            try:
                page.goto(f"http://127.0.0.1:{port}/")
                break
            except PlaywrightError:
                time.sleep(0.5)
        frame = page.wait_for_selector('iframe[title="streamlit_folium.st_folium"]').content_frame()
        frame.wait_for_selector(".leaflet-marker-icon", timeout=30_000)
        frame.wait_for_selector(".leaflet-control-minimap")
        page.wait_for_timeout(1000)
        page.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
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
