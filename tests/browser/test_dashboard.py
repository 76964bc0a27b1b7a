"""What only a browser shows: markers on the map, clicks, the URL, and what the page contacts.

The map is streamlit-folium's iframe; its markers are ``div.fi-marker`` (geo/maps/base.py).
Waiting is Playwright's auto-waiting (``expect``), never a fixed sleep.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import FrameLocator, Locator, Page, expect

from geo.domain.data import load_dataset
from geo.web.harness import MAP_FRAME

pytestmark = pytest.mark.browser

MARKER = ".fi-marker"
TILE_HOSTS = re.compile(
    r"^(tile\.openstreetmap\.org|[a-d]\.basemaps\.cartocdn\.com|data\.geopf\.fr)$"
)
TILE_PATH = re.compile(r"/\d+/\d+/\d+(@2x)?\.(png|jpe?g)$")  # {z}/{x}/{y}.png
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


def open_view(page: Page, base_url: str, query: str = "") -> FrameLocator:
    """Load the dashboard with this query string; return the map's frame once it has markers."""
    page.goto(f"{base_url}/?{query}" if query else f"{base_url}/")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(MARKER).first).to_be_visible()
    return frame


def query_of(page: Page) -> dict[str, list[str]]:
    return parse_qs(urlparse(page.url).query)


def marker_named(page: Page, frame: FrameLocator, name: str) -> Locator:
    """The marker whose tooltip is ``name``: hover each marker as a user would."""
    markers = frame.locator(MARKER)
    tooltip = frame.locator(".leaflet-tooltip")
    seen = []
    for i in range(markers.count()):
        page.mouse.move(0, 0)  # off the map: the previous tooltip closes
        expect(tooltip).to_have_count(0)
        marker = markers.nth(i)
        marker.hover()
        expect(tooltip).to_have_count(1)
        text = tooltip.inner_text().strip()
        if text == name:
            return marker
        seen.append(text)
    raise AssertionError(f"no marker with tooltip {name!r}; tooltips seen: {seen}")


def is_tile_request(url: str) -> bool:
    parts = urlparse(url)
    if not TILE_HOSTS.match(parts.hostname or ""):
        return False
    return bool(TILE_PATH.search(parts.path)) or (
        parts.path.endswith("/wmts") and "TILEMATRIX" in parts.query.upper()
    )


@pytest.mark.parametrize(
    "query,count",
    [
        ("", 27),
        ("region=32", 2),  # Hauts-de-France: Montreuillois, Roubaix
        ("region=76", 4),  # Occitanie: Figeac, Toulouse, Grand Narbonne, Occitanie Est
        ("region=32,76", 6),
    ],
)
def test_markers_shown_for_url(page: Page, server, query: str, count: int) -> None:
    frame = open_view(page, server.url, query)
    expect(frame.locator(MARKER)).to_have_count(count)
    expect(page.get_by_text(f"{count} / 27", exact=True)).to_be_visible()


def test_clicking_a_marker_opens_its_card(page: Page, server) -> None:
    frame = open_view(page, server.url, "region=32")
    expect(frame.locator(MARKER)).to_have_count(2)
    roubaix = marker_named(page, frame, "Roubaix")
    expect(roubaix).to_have_class(re.compile(r"\bfi-kind-commune\b"))
    roubaix.click()

    main = page.get_by_test_id("stMain")
    expect(
        main.get_by_role("heading", name="Roubaix", exact=True),
        "clicking the Roubaix marker did not open its card",
    ).to_be_visible()
    expect(main.get_by_text("Leviers et domaines d'action de l'étude")).to_be_visible()
    dataset = load_dataset()
    linked = set(dataset.links.loc[dataset.links["territory_id"] == "roubaix", "lever_id"])
    levers = dataset.levers.loc[dataset.levers["id"].isin(linked), "name_fr"].tolist()
    assert levers, "the data links Roubaix to no lever: the card test needs one"
    titles = main.get_by_test_id("stExpander").locator("summary")
    for name in levers:  # each title: the link's basis, then the lever's full name
        expect(titles.get_by_text(re.compile(rf" · {re.escape(name)}$"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]territory=roubaix(&|$)"))
    assert query_of(page)["region"] == ["32"], page.url


def test_on_a_laptop_screen_the_map_fits_and_a_click_opens_the_card(
    make_page: Callable[..., Page], server
) -> None:
    """A 1366×768 laptop: the whole map is in the window. Leaflet focuses the map on
    mousedown; were its bottom below the fold, the browser would scroll it into view, the
    mouseup would land elsewhere and the click would be lost."""
    page = make_page({"width": 1366, "height": 768})
    frame = open_view(page, server.url, "region=32")
    box = page.locator(MAP_FRAME).bounding_box()
    assert box["y"] + box["height"] <= 768, f"the map does not fit in a laptop window: {box}"
    expect(frame.locator(MARKER)).to_have_count(2)
    marker_named(page, frame, "Roubaix").click()
    main = page.get_by_test_id("stMain")
    expect(
        main.get_by_role("heading", name="Roubaix", exact=True),
        "with the map's bottom below the fold, a click on the marker did not open its card",
    ).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]territory=roubaix(&|$)"))


def test_english_interface(page: Page, server) -> None:
    open_view(page, server.url, "lang=en")
    expect(
        page.get_by_role("heading", name="SSE map — French Impact territories", level=1)
    ).to_be_visible()
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_role("heading", name="Filters", exact=True)).to_be_visible()
    expect(sidebar.get_by_role("combobox", name="Region", exact=True)).to_be_visible()


def test_region_filter_updates_url_and_markers(page: Page, server) -> None:
    frame = open_view(page, server.url)
    expect(frame.locator(MARKER)).to_have_count(27)
    regions = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Région", exact=True)

    regions.click()
    regions.fill("Hauts")
    page.get_by_role("option", name="Hauts-de-France (2)", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]region=32(&|$)"))
    expect(frame.locator(MARKER)).to_have_count(2)

    regions.click()
    regions.fill("Occit")
    page.get_by_role("option", name="Occitanie (4)", exact=True).click()
    expect(page).to_have_url(re.compile(r"[?&]region=32(,|%2C)76(&|$)"))
    expect(frame.locator(MARKER)).to_have_count(6)
    assert query_of(page)["region"] == ["32,76"], page.url


def test_only_local_requests_besides_map_tiles(page: Page, server, recorder) -> None:
    """Privacy and offline use: scripts, styles and fonts come from the app; only tiles leave.

    Offline the tiles fail (ERR_NAME_NOT_RESOLVED): the map must work anyway.
    """
    frame = open_view(page, server.url)
    expect(frame.locator(MARKER)).to_have_count(27)
    expect(frame.locator(".leaflet-container")).to_be_visible()
    expect(frame.locator(".leaflet-tile-pane")).to_be_attached()
    expect(frame.locator(".fi-legend")).to_be_visible()

    # Open a card (through the card's own picker, independent of marker clicks).
    picker = page.get_by_test_id("stMain").get_by_role("combobox", name="Territoire", exact=True)
    picker.click()
    picker.fill("Roub")  # the list is virtualised: filter it rather than scroll it
    page.get_by_role("option", name="Roubaix", exact=True).click()
    expect(page.get_by_role("heading", name="Roubaix", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]territory=roubaix(&|$)"))
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".leaflet-container")).to_be_visible()
    expect(frame.locator(f"{MARKER}.fi-kind-commune")).to_be_visible()

    web = [url for url in recorder.requests if urlparse(url).scheme in ("http", "https")]
    offenders = sorted(
        {
            url
            for url in web
            if urlparse(url).hostname not in LOCAL_HOSTS and not is_tile_request(url)
        }
    )
    assert not offenders, "requests to third parties:\n" + "\n".join(offenders)
    assert any("/component/geo.web.publish.vendor/leaflet@" in url for url in web), (
        "Leaflet was not loaded from the app's vendored assets"
    )
    assert not recorder.page_errors, recorder.page_errors
    not_tiles = [(text, url) for text, url in recorder.console_errors if not is_tile_request(url)]
    assert not not_tiles, not_tiles


_VIEW = "() => [map.getCenter().lat, map.getCenter().lng, map.getZoom()]"
_SETTLED = "() => !map._animatingZoom && !(map._panAnim && map._panAnim._inProgress)"
_MARKERS_IN_VIEW = """() => {
    const bounds = map.getBounds();
    let inside = 0;
    map.eachLayer(layer => {
        if (layer instanceof L.Marker && bounds.contains(layer.getLatLng())) inside += 1;
    });
    return inside;
}"""


def test_a_filter_change_keeps_the_users_view_and_card_unless_it_reframes(
    page: Page, server
) -> None:
    """The map stays mounted: after a click (card shown, no popup: the card says it) and the
    user's own zoom and pan, a région filter that keeps the selected territory moves nothing;
    a filter that hides it and shows places out of view frames them."""
    frame = open_view(page, server.url, "region=32")
    expect(frame.locator(MARKER)).to_have_count(2)
    marker_named(page, frame, "Roubaix").click()
    expect(frame.locator(f'{MARKER} svg[stroke="#000"]')).to_have_count(1)  # selected
    expect(page.get_by_role("heading", name="Roubaix", exact=True)).to_be_visible()
    popup = frame.locator(".leaflet-popup")
    expect(popup).to_have_count(0)

    # The user zooms out with the button and pans with the keyboard.
    the_map = frame.locator(".leaflet-container")
    live = page.locator(MAP_FRAME).element_handle().content_frame()
    live.wait_for_function(_SETTLED)
    zoom = the_map.evaluate(_VIEW)[2]
    frame.locator(".leaflet-control-zoom-out").click()
    live.wait_for_function(f"() => map.getZoom() === {zoom - 1}")
    the_map.focus()
    page.keyboard.press("ArrowRight")
    live.wait_for_function(_SETTLED)
    users_view = the_map.evaluate(_VIEW)
    the_map.evaluate("() => { window.fiSameDocument = true; }")

    regions = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Région", exact=True)
    regions.click()
    regions.fill("Occit")
    page.get_by_role("option", name="Occitanie (4)", exact=True).click()
    page.keyboard.press("Escape")  # close the options list
    expect(frame.locator(MARKER)).to_have_count(6)
    assert the_map.evaluate("() => window.fiSameDocument === true"), "the map was remounted"
    assert the_map.evaluate(_VIEW) == users_view, "a filter that keeps the selection moved the map"
    expect(frame.locator(f'{MARKER} svg[stroke="#000"]')).to_have_count(1)  # still selected
    expect(page.get_by_role("heading", name="Roubaix", exact=True)).to_be_visible()

    # Without Hauts-de-France, Roubaix is hidden: the map frames Occitanie's four territories.
    page.get_by_role("button", name="Remove Hauts-de-France (2)").click()
    expect(frame.locator(MARKER)).to_have_count(4)
    assert the_map.evaluate(_VIEW) != users_view
    assert the_map.evaluate(_MARKERS_IN_VIEW) == 4
    assert the_map.evaluate("() => window.fiSameDocument === true"), "the map was remounted"
