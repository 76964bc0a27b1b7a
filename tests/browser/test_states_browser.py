"""The states a visitor reaches in Chromium (issue 20): every territory opened from the picker on a
laptop and on a phone keeps its marker and perimeter in view, uncut by the map's edge or its
controls, with no popup over them; a phone's tap brings the card into view.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from geo.domain.data import load_dataset
from geo.web.harness import MAP_FRAME
from tests.browser.test_new_user import card_heading, marker, open_view, pick_territory

pytestmark = pytest.mark.browser

NAMES = sorted(load_dataset().territories["name"])
SIZES = {"laptop": (1366, 768), "phone": (390, 844)}

# In the map's frame: the selected marker's box, the perimeter's, the map's, its controls' and
# any open popup's (all in the frame's pixels).
_LAYOUT = """() => {
    const box = e => { if (!e) return null; const r = e.getBoundingClientRect();
        return r.width || r.height ? {l: r.left, t: r.top, r: r.right, b: r.bottom} : null; };
    const shapes = [...document.querySelectorAll('.leaflet-fi-shapes-pane path')].map(box)
        .filter(Boolean);
    return {
        map: box(document.querySelector('.leaflet-container')),
        marker: box(document.querySelector('.fi-selected')),
        goto: box(document.querySelector('.fi-goto')),
        legend: box(document.querySelector('.fi-legend')),
        popups: [...document.querySelectorAll('.leaflet-popup')].map(box),
        perimeter: shapes.length ? {
            l: Math.min(...shapes.map(s => s.l)), t: Math.min(...shapes.map(s => s.t)),
            r: Math.max(...shapes.map(s => s.r)), b: Math.max(...shapes.map(s => s.b))} : null,
    };
}"""


def inside(inner: dict, outer: dict, slack: float = 1.0) -> bool:
    return (
        inner["l"] >= outer["l"] - slack
        and inner["t"] >= outer["t"] - slack
        and inner["r"] <= outer["r"] + slack
        and inner["b"] <= outer["b"] + slack
    )


def overlaps(a: dict | None, b: dict | None) -> bool:
    if a is None or b is None:
        return False
    return a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]


def sized_page(make_page: Callable[..., Page], size: str) -> Page:
    """A page of one of SIZES (a laptop's or a phone's viewport)."""
    width, height = SIZES[size]
    return make_page({"width": width, "height": height})


@pytest.mark.parametrize("size", list(SIZES))
def test_every_territory_from_the_picker_keeps_its_marker_and_perimeter_in_view(
    make_page: Callable[..., Page], server, size: str
) -> None:
    page = sized_page(make_page, size)
    open_view(page, server.url)
    frame = page.frame_locator(MAP_FRAME)
    live = page.locator(MAP_FRAME)
    problems = []
    for name in NAMES:
        pick_territory(page, name[:12], name)
        expect(card_heading(page, name)).to_have_count(1)
        selected = frame.locator(f'.fi-selected[aria-label^="{name} —"]')
        expect(selected).to_have_count(1)
        live.content_frame.locator("body").evaluate(
            "() => new Promise(done => requestAnimationFrame(() => setTimeout(done, 50)))"
        )
        layout = live.content_frame.locator("body").evaluate(_LAYOUT)
        where = layout["map"]
        if layout["marker"] is None or not inside(layout["marker"], where):
            problems.append(f"{name}: marker outside the map {layout['marker']} {where}")
        for control in ("goto", "legend"):
            if overlaps(layout["marker"], layout[control]):
                problems.append(f"{name}: marker under the {control} box")
        if layout["perimeter"] is not None and not inside(layout["perimeter"], where, slack=2):
            problems.append(f"{name}: perimeter cut {layout['perimeter']} {where}")
        if layout["popups"]:  # the card shows what a popup would: none may cover the map
            problems.append(f"{name}: a popup opened {layout['popups']}")
    # A click on the selected marker opens no popup either (the card is there).
    selected.click()
    expect(frame.locator(".leaflet-popup")).to_have_count(0)
    assert not problems, "\n".join(problems)


def test_on_a_phone_a_tapped_marker_brings_its_card_into_view(browser, server) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        frame = open_view(page, server.url, "region=75")  # two markers framed on a phone
        heading = card_heading(page, "Grand Poitiers")
        marker(frame, "Grand Poitiers").tap()
        expect(heading).to_have_count(1)
        expect(heading, "the tapped marker's card is off-screen").to_be_in_viewport()
    finally:
        context.close()


def test_on_a_laptop_a_click_opens_the_card_beside_the_map_without_scrolling(
    make_page: Callable[..., Page], server
) -> None:
    page = make_page({"width": 1366, "height": 768})
    frame = open_view(page, server.url, "region=75")
    main = page.get_by_test_id("stMain")
    before = main.evaluate("e => e.scrollTop")
    marker(frame, "Grand Poitiers").click()
    expect(card_heading(page, "Grand Poitiers")).to_be_in_viewport()
    page.wait_for_timeout(300)  # past the card script's delay (geo/web/card_focus.py)
    assert main.evaluate("e => e.scrollTop") == before, "the page moved although the card showed"


LIST_FRAME = 'iframe[title="streamlit_folium.st_folium"]:not([data-stale="true"] *)'
# Lyon and Grenoble are labelled territories: their own points must lie above those markers.
LIST_CSV = b"nom;type\nLyon;a\nGrenoble;b\nNantes;a\nCilaos;b\n"

_LIST_LAYOUT = """() => {
    const box = document.querySelector('.leaflet-container').getBoundingClientRect();
    const points = [...document.querySelectorAll('path.fi-point')].map(p => {
        const r = p.getBoundingClientRect();
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        const seen = x > box.left && x < box.right && y > box.top && y < box.bottom;
        const top = seen ? document.elementFromPoint(x, y) : null;
        return {seen: seen, onTop: !!top && top.classList.contains('fi-point')};
    });
    return {zoom: window.map.getZoom(), points: points,
            legends: document.querySelectorAll('.fi-legend').length,
            legendOpen: document.querySelector('.fi-legend details').open};
}"""


@pytest.mark.parametrize("size", list(SIZES))
def test_the_list_map_shows_the_lists_points_on_top_framed_where_most_are(
    make_page: Callable[..., Page], server, size: str
) -> None:
    page = sized_page(make_page, size)
    page.goto(f"{server.url}/?tab=list")
    page.locator('input[type="file"]').set_input_files(
        {"name": "liste.csv", "mimeType": "text/csv", "buffer": LIST_CSV}
    )
    page.get_by_role("button", name="Géocoder la liste").click()
    frame = page.frame_locator(LIST_FRAME).last
    expect(frame.locator("path.fi-point")).to_have_count(4)
    page.wait_for_timeout(500)  # the framing waits for the map's first size
    layout = page.locator(LIST_FRAME).last.content_frame.locator("body").evaluate(_LIST_LAYOUT)
    assert layout["zoom"] >= 5, f"framed on the whole world (zoom {layout['zoom']})"
    seen = [point for point in layout["points"] if point["seen"]]
    assert len(seen) == 3, layout  # the mainland three; Cilaos is one click away ("Aller à")
    assert all(point["onTop"] for point in seen), layout
    assert layout["legends"] == 1
    assert layout["legendOpen"] is (size == "laptop")  # folded on a phone
    frame.get_by_role("button", name="La Réunion").click()
    expect(frame.locator("path.fi-point").last).to_be_in_viewport()
