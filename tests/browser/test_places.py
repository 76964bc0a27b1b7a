"""The map of France without any tile server: outlines drawn, régions that filter on a click,
a selected territory's true perimeter, and the standalone export showing the outlines offline.

Every request leaving the machine is aborted, as with no internet or a tile server down.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, FrameLocator, Page, Route, expect

from geo.domain.territories import load_placed
from geo.maps.assets import standalone_html
from geo.maps.base import build_territory_map
from geo.texts.levers import levers_by_territory
from geo.web.harness import MAP_FRAME

pytestmark = pytest.mark.browser

MARKER = ".fi-marker"
REGION = "path.fi-region"
OUTLINE_PATHS = ".leaflet-fi-land-pane path, .leaflet-fi-outlines-pane path"
RODEZ_ALBI = (
    44.3,
    3.3,
)  # between Millau and Mende, in Occitanie, away from its markers and the legend
CENTRAL_BRITTANY = (48.2, -3.3)  # inside Bretagne, away from its marker
LOCAL = {"127.0.0.1", "localhost"}


def offline(page: Page) -> list[str]:
    """Abort every request that leaves the machine; return the list of those aborted."""
    aborted: list[str] = []

    def handle(route: Route) -> None:
        host = urlparse(route.request.url).hostname
        if route.request.url.startswith(("file:", "data:")) or host in LOCAL:
            route.continue_()
        else:
            aborted.append(route.request.url)
            route.abort()

    page.context.route("**/*", handle)
    return aborted


def open_map(page: Page, url: str) -> FrameLocator:
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(MARKER).first).to_be_visible()
    return frame


def page_point(page: Page, frame: FrameLocator, lat: float, lon: float) -> tuple[float, float]:
    """Where the page's Leaflet map draws a place now, in the page's coordinates."""
    x, y = frame.locator(".leaflet-container").evaluate(
        "(box, at) => { const p = window.map.latLngToContainerPoint(at);"
        " const r = box.getBoundingClientRect(); return [r.left + p.x, r.top + p.y]; }",
        [lat, lon],
    )
    box = page.locator(MAP_FRAME).bounding_box()
    return box["x"] + x, box["y"] + y


def click_at(page: Page, frame: FrameLocator, lat: float, lon: float) -> None:
    page.mouse.click(*page_point(page, frame, lat, lon))


def region_param(page: Page) -> list[str]:
    return parse_qs(urlparse(page.url).query).get("region", [])


def test_outlines_are_drawn_and_a_click_on_occitanie_filters_then_clears(
    page: Page, server
) -> None:
    aborted = offline(page)
    frame = open_map(page, f"{server.url}/")
    expect(frame.locator(MARKER)).to_have_count(27)
    expect(frame.locator(REGION)).to_have_count(18)
    assert frame.locator(OUTLINE_PATHS).count() == 18 + 101  # régions and départements
    frame.locator(".leaflet-container").evaluate("box => box.scrollIntoView()")

    click_at(page, frame, *RODEZ_ALBI)
    expect(page).to_have_url(re.compile(r"[?&]region=76(&|$)"))
    expect(frame.locator(MARKER)).to_have_count(4)
    expect(page.get_by_text("4 / 27", exact=True)).to_be_visible()

    click_at(page, frame, *RODEZ_ALBI)  # the map now frames Occitanie: same place, new pixel
    expect(frame.locator(MARKER)).to_have_count(27)
    assert region_param(page) == [], page.url
    assert all("openstreetmap" in url for url in aborted), aborted  # only tiles tried to leave


def test_hovering_a_region_names_it(page: Page, server) -> None:
    offline(page)
    frame = open_map(page, f"{server.url}/?lang=en")
    page.mouse.move(*page_point(page, frame, *RODEZ_ALBI))
    expect(frame.locator(".fi-region-tip")).to_have_text("Occitanie")


def test_outlines_only_base_map_needs_no_tiles_and_draws_a_perimeter(page: Page, server) -> None:
    aborted = offline(page)
    frame = open_map(page, f"{server.url}/?basemap=outlines&territory=region-bretagne")
    expect(frame.locator(REGION)).to_have_count(18)
    expect(frame.locator("path.fi-perimeter")).to_have_count(1)
    expect(frame.locator(".leaflet-tile")).to_have_count(0)
    assert aborted == [], aborted
    expect(page).to_have_url(re.compile(r"[?&]basemap=outlines(&|$)"))
    click_at(page, frame, *CENTRAL_BRITTANY)  # through the perimeter, onto the région
    expect(page).to_have_url(re.compile(r"[?&]region=53(&|$)"))
    expect(frame.locator(MARKER)).to_have_count(1)


def offline_standalone(browser: Browser, tmp_path: Path, lang: str) -> tuple[Page, list[str]]:
    """The territories' standalone map opened from a file with every off-machine request
    aborted; the page and the aborted URLs."""
    placed = load_placed()
    levers = levers_by_territory(placed.dataset, lang)
    page_file = tmp_path / f"map-{lang}.html"
    page_file.write_text(
        standalone_html(build_territory_map(placed.placed, levers, lang)), encoding="utf-8"
    )
    page = browser.new_page()
    aborted = offline(page)
    page.goto(page_file.as_uri())
    return page, aborted


def test_the_standalone_export_shows_the_outlines_when_its_tiles_fail(
    browser: Browser, tmp_path: Path
) -> None:
    page, aborted = offline_standalone(browser, tmp_path, "fr")
    expect(page.locator(MARKER)).to_have_count(27)
    expect(page.locator(REGION)).to_have_count(18)
    assert page.locator(OUTLINE_PATHS).count() == 18 + 101
    assert aborted and all("openstreetmap" in url for url in aborted), aborted
    page.close()


def test_when_tiles_cannot_load_the_map_says_so_and_offers_outlines_only(
    page: Page, server
) -> None:
    offline(page)
    frame = open_map(page, server.url)
    notice = frame.locator(".fi-tiles-down")
    expect(notice).to_contain_text("Le fond de carte ne se charge pas")
    expect(frame.locator(".leaflet-tile")).not_to_have_count(0)  # grey, failed tiles
    notice.get_by_role("button", name="Contours seuls").click()
    expect(notice).to_have_count(0)
    expect(frame.locator(".leaflet-tile")).to_have_count(0)
    land = frame.locator(REGION).first
    assert land.get_attribute("fill-opacity") == "1"  # the land drawn white on a pale sea
    expect(frame.locator(MARKER)).to_have_count(27)


def test_the_standalone_export_says_when_its_tiles_fail(browser: Browser, tmp_path: Path) -> None:
    page, _ = offline_standalone(browser, tmp_path, "en")
    expect(page.locator(".fi-tiles-down")).to_contain_text("The base map does not load")
    page.get_by_role("button", name="Outlines only").click()
    expect(page.locator(".leaflet-tile")).to_have_count(0)
    page.close()
