"""The app tried as a new user would (issue 12), in Chromium: clicks, downloads, phones, the base
path, the keyboard, the legend and Streamlit's own texts in the French interface.

Markers are found by their accessible name (``aria-label`` "Roubaix — Commune, Vague 1").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Download, FrameLocator, Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from geo.web.harness import MAP_FRAME, AppServer

pytestmark = pytest.mark.browser

MARKER = ".fi-marker"
# Streamlit's English widget texts that must not show in the French interface.
ENGLISH_WIDGET_TEXTS = (
    "Select all",
    "No results",
    "Upload",
    "Browse files",
    "Drag and drop",
    "per file",
    "200MB",
    "Press Enter",
    "Running...",
    "Clear all",
    "Show/hide columns",
    "Skip to main content",
)


def open_view(page: Page, url: str, query: str = "") -> FrameLocator:
    page.goto(f"{url}/?{query}" if query else f"{url}/")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(MARKER).first).to_be_visible()
    return frame


def marker(frame: FrameLocator, name: str):
    return frame.locator(f'{MARKER}[aria-label^="{name} —"]')


def card_heading(page: Page, name: str):
    return page.get_by_test_id("stMain").get_by_role("heading", name=name, exact=True)


def selected_marker(frame: FrameLocator, name: str):
    """The marker drawn as selected (thick black outline): the map of that view is in place."""
    return frame.locator(f'{MARKER}[aria-label^="{name} —"] svg[stroke="#000"]')


def roubaix_in_view(page: Page) -> bool:
    """Whether the Roubaix marker lies well inside the map (not under its edges or controls)."""
    return (
        page.locator(MAP_FRAME)
        .content_frame.locator("body")
        .evaluate(
            "() => { const box = document.querySelector('.leaflet-container').getBoundingClientRect();"
            " const r = document.querySelector('.fi-marker[aria-label^=\"Roubaix\"]')"
            ".getBoundingClientRect();"
            " return r.left > box.left + 60 && r.right < box.right - 120 && r.top > box.top + 60"
            " && r.bottom < box.bottom - 40; }"
        )
    )


def pick_territory(page: Page, typed: str, name: str) -> None:
    picker = page.get_by_test_id("stMain").get_by_role("combobox", name="Territoire", exact=True)
    picker.click()
    picker.fill(typed)
    page.get_by_role("option", name=name, exact=True).click()


# --- bugs ----------------------------------------------------------------------------------------


def test_a_marker_clicked_again_opens_its_card_again(page: Page, server) -> None:
    """Click Roubaix, pick Montreuillois, click Roubaix; then reset and click Roubaix again."""
    frame = open_view(page, server.url, "region=32")
    marker(frame, "Roubaix").click()
    expect(card_heading(page, "Roubaix")).to_be_visible()

    pick_territory(page, "Montr", "Montreuillois")
    expect(card_heading(page, "Montreuillois")).to_be_visible()
    frame = page.frame_locator(MAP_FRAME)
    expect(selected_marker(frame, "Montreuillois")).to_be_visible()
    # The map now frames Montreuillois; zoom out, as a user would, until Roubaix shows.
    zoom_out = frame.get_by_role("button", name="Zoom out")
    for _ in range(6):  # bounded
        if roubaix_in_view(page):
            break
        zoom_out.click()
        page.wait_for_timeout(600)  # Leaflet's zoom animation
    assert roubaix_in_view(page), "Roubaix never came into the map's view"
    marker(frame, "Roubaix").click()
    expect(card_heading(page, "Roubaix"), "the second click on Roubaix was ignored").to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]territory=roubaix(&|$)"))

    page.get_by_test_id("stSidebar").get_by_role("button", name="Réinitialiser les filtres").click()
    expect(card_heading(page, "Roubaix")).to_have_count(0)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(MARKER)).to_have_count(27)
    marker(frame, "Roubaix").click()
    expect(card_heading(page, "Roubaix"), "after a reset, Roubaix did not open").to_be_visible()


def open_downloads(page: Page, url: str):
    open_view(page, url)
    page.get_by_role("tab", name="Téléchargements").click()
    buttons = [
        page.get_by_role("button", name=name)
        for name in (
            "Territoires filtrés (CSV)",
            "Territoires filtrés (GeoJSON)",
            "Carte actuelle (HTML autonome)",
        )
    ]
    for button in buttons:
        expect(button).to_be_visible()
    return buttons


def check_file(path: Path, suggested: str) -> None:
    data = path.read_bytes()
    if suggested.endswith(".csv"):
        assert data.decode("utf-8-sig").startswith("Territoire;Vague;"), data[:80]
    elif suggested.endswith(".geojson"):
        assert b'"FeatureCollection"' in data and b'"roubaix"' in data
    else:
        assert b"fi-marker" in data and b"</html>" in data


def click_downloads(page: Page, buttons: list[Locator], clicks: int) -> list[Download]:
    """Click the buttons in turn `clicks` times at a quick user's pace (0.3 s apart, as the
    issues that found lost downloads did); every click must deliver its file, whole."""
    delivered: list[Download] = []
    for i in range(clicks):
        page.wait_for_timeout(300)
        try:
            with page.expect_download(timeout=20_000) as info:
                buttons[i % len(buttons)].click()
            download = info.value
        except PlaywrightTimeoutError:
            names = [d.suggested_filename for d in delivered]
            pytest.fail(f"click {i + 1} of {clicks} delivered nothing; delivered: {names}")
        assert download.failure() is None, (i, download.failure())
        delivered.append(download)
    return delivered


def test_twenty_download_clicks_in_a_row_all_deliver_their_file(page: Page, server) -> None:
    delivered = click_downloads(page, open_downloads(page, server.url), 20)
    for download in delivered:
        check_file(Path(download.path()), download.suggested_filename)
    assert len(delivered) == 20
    assert "MediaFileStorageError" not in server.log()


def test_two_buttons_clicked_a_moment_apart_both_deliver(page: Page, server) -> None:
    buttons = open_downloads(page, server.url)
    for _ in range(3):
        downloads = []

        def keep(download, downloads=downloads) -> None:
            downloads.append(download)

        page.on("download", keep)
        buttons[0].click()
        page.wait_for_timeout(300)  # the user's second click, 0.3 s after the first
        buttons[1].click()
        for _ in range(80):  # bounded: up to 20 s
            if len(downloads) == 2:
                break
            page.wait_for_timeout(250)
        page.remove_listener("download", keep)
        assert sorted(d.suggested_filename for d in downloads) == [
            "territoires-french-impact.csv",
            "territoires-french-impact.geojson",
        ]
        for download in downloads:
            assert download.failure() is None
            check_file(Path(download.path()), download.suggested_filename)
    assert "MediaFileStorageError" not in server.log()


@pytest.mark.parametrize("height", [844, 640])
def test_on_a_phone_the_first_tap_on_a_marker_opens_its_card(
    browser: Browser, server, height: int
) -> None:
    """390 px wide, touch. At 640 px high the map's bottom is below the fold: focusing the map
    must not scroll the page before the tap lands (it would then land elsewhere); once the
    card opened, below the map, the page brings it into view (geo/web/card_focus.py)."""
    context = browser.new_context(
        viewport={"width": 390, "height": height}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        frame = open_view(page, server.url, "region=32")
        marker(frame, "Roubaix").tap()
        expect(card_heading(page, "Roubaix"), "the first tap was lost").to_be_visible()
        expect(page).to_have_url(re.compile(r"[?&]territory=roubaix(&|$)"))
        expect(card_heading(page, "Roubaix"), "the card opened off-screen").to_be_in_viewport()
    finally:
        context.close()


def test_the_map_assets_are_found_under_a_base_path(browser: Browser) -> None:
    failures: list[str] = []
    requests: list[str] = []
    with AppServer(base_path="carte") as app:
        page = browser.new_page()
        page.on("request", lambda r: requests.append(r.url))
        page.on("response", lambda r: r.status >= 400 and failures.append(f"{r.status} {r.url}"))
        try:
            frame = open_view(page, app.url)
            expect(frame.locator(MARKER)).to_have_count(27)
            expect(frame.locator(".fi-legend")).to_be_visible()
        finally:
            page.close()
    assert any("/carte/component/geo.web.publish.vendor/leaflet@" in url for url in requests)
    assert not failures, failures


def test_a_territory_outside_the_filter_says_so(page: Page, server) -> None:
    open_view(page, server.url, "region=76&territory=roubaix")
    expect(card_heading(page, "Roubaix")).to_be_visible()
    expect(page.get_by_text("est hors des filtres actuels")).to_be_visible()


# --- keyboard, stacking, legend ------------------------------------------------------------------


def test_markers_have_names_and_enter_opens_the_card(page: Page, server) -> None:
    frame = open_view(page, server.url, "region=32")
    names = frame.locator(MARKER).evaluate_all("els => els.map(e => e.getAttribute('aria-label'))")
    assert sorted(names) == [
        "Montreuillois — Territoire de projet, Vague 1",
        "Roubaix — Commune, Vague 1",
    ]
    marker(frame, "Roubaix").focus()
    page.keyboard.press("Enter")
    expect(card_heading(page, "Roubaix"), "Enter on a focused marker did nothing").to_be_visible()


def marker_boxes(frame: FrameLocator) -> list[dict]:
    return frame.locator(MARKER).evaluate_all(
        "els => els.map(e => { const r = e.getBoundingClientRect();"
        " return {name: e.getAttribute('aria-label'), x: r.x + r.width / 2, y: r.y + r.height / 2,"
        " left: r.left, right: r.right, top: r.top, bottom: r.bottom}; })"
    )


@pytest.mark.parametrize(
    "size,query",
    [((1366, 768), ""), ((390, 844), ""), ((1920, 1080), ""), ((1366, 768), "region=76")],
)
def test_no_marker_hides_another_or_sits_under_the_legend(
    make_page: Callable[..., Page], server, size: tuple[int, int], query: str
) -> None:
    page = make_page({"width": size[0], "height": size[1]})
    frame = open_view(page, server.url, query)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    page.wait_for_timeout(500)  # the legend settles after the map's first moves
    boxes = [b for b in marker_boxes(frame) if "Mayotte" not in b["name"]]  # overseas: off-view
    stacked = [
        (a["name"], b["name"])
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if abs(a["x"] - b["x"]) < 16 and abs(a["y"] - b["y"]) < 16
    ]
    assert not stacked, stacked
    legend = frame.locator(".fi-legend").bounding_box()
    frame_box = page.locator(MAP_FRAME).bounding_box()
    left, top = legend["x"] - frame_box["x"], legend["y"] - frame_box["y"]
    under = [
        b["name"]
        for b in boxes
        if b["left"] < left + legend["width"]
        and b["right"] > left
        and b["top"] < top + legend["height"]
        and b["bottom"] > top
    ]
    assert not under, f"under the legend: {under}"


def test_on_a_laptop_the_tab_bar_is_above_the_fold(make_page: Callable[..., Page], server) -> None:
    page = make_page({"width": 1366, "height": 768})
    open_view(page, server.url)
    for name in ("Tableau", "Ma liste", "À propos"):
        box = page.get_by_role("tab", name=name).bounding_box()
        assert box and box["y"] + box["height"] <= 768, (name, box)


def test_on_a_phone_every_tab_shows_without_a_sideways_scroll(
    make_page: Callable[..., Page], server
) -> None:
    page = make_page({"width": 390, "height": 844})
    open_view(page, server.url)
    for name in ("Tableau", "Ma liste", "À propos"):
        box = page.get_by_role("tab", name=name).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 390, (name, box)


# --- French, really ------------------------------------------------------------------------------


def visible_texts(page: Page) -> str:
    """The page's visible text plus the names screen readers read (aria-label, placeholder)."""
    return page.evaluate(
        "() => document.body.innerText + '\\n' + [...document.querySelectorAll("
        "'[aria-label],[placeholder],[title]')].map(e => [e.getAttribute('aria-label'),"
        " e.getAttribute('placeholder'), e.getAttribute('title')].join('\\n')).join('\\n')"
    )


def english_in(text: str) -> list[str]:
    return [s for s in ENGLISH_WIDGET_TEXTS if s in text]


def test_no_english_widget_text_in_the_french_interface(page: Page, server) -> None:
    open_view(page, server.url)
    regions = page.get_by_test_id("stSidebar").get_by_role("combobox", name="Région", exact=True)
    regions.click()
    expect(page.get_by_role("option", name="Île-de-France (4)", exact=True)).to_be_visible()
    assert not english_in(visible_texts(page)), english_in(visible_texts(page))
    regions.fill("zzzz")  # no region matches: Streamlit's "No results"
    expect(page.get_by_text("Aucun résultat", exact=True)).to_be_visible()
    assert not english_in(visible_texts(page)), english_in(visible_texts(page))
    regions.fill("")
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_have_count(0)

    page.get_by_role("tab", name="Ma liste").click()
    uploader = page.get_by_test_id("stFileUploaderDropzone")
    expect(uploader).to_be_visible()
    expect(uploader).to_contain_text("20 Mo par fichier")
    assert not english_in(visible_texts(page)), english_in(visible_texts(page))

    # The same page in English keeps Streamlit's English.
    page.get_by_test_id("stSidebar").get_by_text("English", exact=True).click()
    page.get_by_role("tab", name="My list").click()
    expect(page.get_by_test_id("stFileUploaderDropzone")).to_contain_text("20MB per file")


@pytest.mark.parametrize("size", [(390, 844), (1366, 768)])
def test_the_scale_bar_stays_clear_of_the_attribution(
    make_page: Callable[..., Page], server, size: tuple[int, int]
) -> None:
    page = make_page({"width": size[0], "height": size[1]})
    frame = open_view(page, server.url, "region=76")
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    page.wait_for_timeout(500)
    scale = frame.locator(".leaflet-control-scale").bounding_box()
    credit = frame.locator(".leaflet-control-attribution").bounding_box()
    assert frame.locator(".leaflet-control-scale-line").count() == 1  # kilometres only
    overlap = (
        scale["x"] < credit["x"] + credit["width"]
        and credit["x"] < scale["x"] + scale["width"]
        and scale["y"] < credit["y"] + credit["height"]
        and credit["y"] < scale["y"] + scale["height"]
    )
    assert not overlap, (scale, credit)
