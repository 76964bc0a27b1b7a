"""The app embedded in another site (issue 23): a plain HTML page served on loopback puts the
app in an <iframe> with Streamlit's embed mode and a view in its URL; the map, the filter and a
marker click work inside it."""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from geo.domain.territories import load_placed
from geo.texts.embed import iframe_code
from geo.web.harness import MAP_FRAME

pytestmark = pytest.mark.browser

MARKER = ".fi-marker"
HOST_TITLE = "Carte ESS intégrée"


@pytest.fixture
def host_page(server, tmp_path: Path) -> Iterator[str]:
    """A network's own page on 127.0.0.1 (another port than the app's), embedding the app."""
    src = f"{server.url}/?embed=true&region=32&basemap=outlines"
    (tmp_path / "index.html").write_text(
        "<!doctype html><html lang='fr'><head><meta charset='utf-8'><title>Notre réseau</title>"
        f"</head><body><h1>Notre réseau</h1>{iframe_code(src, HOST_TITLE, 1100)}</body></html>",
        encoding="utf-8",
    )
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(tmp_path))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/index.html"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_the_embedded_app_shows_the_view_and_answers_a_click(page: Page, host_page: str, server):
    page.set_viewport_size({"width": 1400, "height": 1200})
    page.goto(f"{server.url}/?region=32")
    expect(page.get_by_test_id("stMainMenu")).to_have_count(1)  # the page on its own has it
    page.goto(host_page)
    expect(page.get_by_role("heading", name="Notre réseau")).to_be_visible()
    app = page.frame_locator(f'iframe[title="{HOST_TITLE}"]')
    map_frame = app.frame_locator(MAP_FRAME)
    placed = load_placed().placed
    in_region = placed[placed["region_code"] == "32"]
    expect(map_frame.locator(MARKER)).to_have_count(len(in_region))  # the URL's filter
    expect(map_frame.locator("path.fi-region").first).to_be_attached()  # outlines, no tiles
    expect(app.get_by_test_id("stMainMenu")).to_have_count(0)  # embed mode: no menu
    map_frame.locator(f'{MARKER}[aria-label^="Roubaix —"]').click()
    heading = app.get_by_test_id("stMain").get_by_role("heading", name="Roubaix", exact=True)
    expect(heading).to_be_visible()
