"""Similar territories, side by side and a lever's page, as a browser shows them (issue 15).

Same harness as test_dashboard.py: the real app in headless Chromium, Playwright's waiting.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_dashboard import MARKER, open_view, query_of

pytestmark = pytest.mark.browser

LINK = "path.fi-link"  # a line joining two territories (geo.maps.base.TerritoryLinks)


def similar_buttons(page: Page):
    """The similar territories' buttons ("1. Name"), inside the card."""
    return page.get_by_test_id("stMain").get_by_role("button", name=re.compile(r"^\d\. "))


def test_roubaix_card_ends_with_similar_territories(page: Page, server) -> None:
    frame = open_view(page, server.url, "territory=roubaix")
    main = page.get_by_test_id("stMain")
    heading = main.get_by_role("heading", name="Territoires similaires", exact=True)
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    buttons = similar_buttons(page)
    expect(buttons).to_have_count(5)
    expect(buttons.first).to_have_text("1. Vallée de la Marne")
    expect(main.get_by_text(re.compile(r"\d+ km entre les sièges")).first).to_be_visible()
    # while Roubaix is selected, thin lines join it to its similar territories
    expect(frame.locator(LINK)).to_have_count(5)

    buttons.nth(1).click()  # opens that territory's card
    expect(main.get_by_role("heading", name="Strasbourg Eurométropole", exact=True)).to_be_visible()
    expect(page).to_have_url(re.compile(r"[?&]territory=strasbourg-eurometropole(&|$)"))


def test_similar_territories_in_english(page: Page, server) -> None:
    open_view(page, server.url, "lang=en&territory=roubaix")
    heading = page.get_by_test_id("stMain").get_by_role(
        "heading", name="Similar territories", exact=True
    )
    heading.scroll_into_view_if_needed()
    expect(heading).to_be_visible()
    assert similar_buttons(page).count() >= 3


def test_compare_shows_names_as_column_headings_and_frames_both(page: Page, server) -> None:
    frame = open_view(page, server.url, "compare=roubaix,nantes-metropole")
    headings = page.get_by_test_id("stMain").locator("table th")
    expect(headings.filter(has_text=re.compile(r"^Roubaix$"))).to_have_count(1)
    expect(headings.filter(has_text=re.compile(r"^Nantes Métropole$"))).to_have_count(1)
    # one line joins the two; its tooltip says what they share
    line = frame.locator(LINK)
    expect(line).to_have_count(1)
    # Playwright's hover aims at the centre of the line's box and finds the map on top (a 2-px
    # line, to the sub-pixel): send the event a mouse sends when it enters the line
    line.dispatch_event("mouseover")
    expect(frame.locator(".leaflet-tooltip")).to_contain_text("Roubaix — Nantes Métropole : ")


def test_compare_is_reachable_from_the_card(page: Page, server) -> None:
    open_view(page, server.url, "territory=roubaix")
    button = page.get_by_test_id("stMain").get_by_role("button", name="Comparer").first
    button.scroll_into_view_if_needed()
    button.click()
    expect(page).to_have_url(re.compile(r"[?&]compare=roubaix(,|%2C)vallee-de-la-marne(&|$)"))
    expect(page.locator("table th").filter(has_text="Vallée de la Marne")).to_have_count(1)


def test_on_a_phone_the_comparison_scrolls_sideways(make_page: Callable[..., Page], server) -> None:
    page = make_page({"width": 390, "height": 844})
    open_view(page, server.url, "compare=roubaix,nantes-metropole,mayotte")
    table = page.locator("table").first
    expect(table).to_be_attached()
    box = table.evaluate(
        "t => [t.parentElement.scrollWidth, t.parentElement.clientWidth,"
        " getComputedStyle(t.parentElement).overflowX, document.documentElement.scrollWidth]"
    )
    scroll_width, client_width, overflow, page_width = box
    assert scroll_width > client_width and overflow == "auto", box  # reachable, not cut
    assert page_width <= 390, box  # the page itself does not scroll sideways


def test_lever_no_territory_documents(page: Page, server) -> None:
    frame = open_view(page, server.url, "lever=achats-responsables")
    expect(frame.locator(MARKER)).to_have_count(9)
    main = page.get_by_test_id("stMain")
    expect(
        main.get_by_text(re.compile(r"^Aucun territoire labellisé ne documente"))
    ).to_be_attached()
    expect(main.get_by_text("Territoires qui l'utilisent")).to_be_attached()
    radio = page.get_by_test_id("stSidebar").get_by_text("Documentés seulement")
    radio.click()
    expect(page).to_have_url(re.compile(r"[?&]basis=stated(&|$)"))
    assert query_of(page)["lever"] == ["achats-responsables"]
    expect(main.get_by_text(re.compile(r"^Aucun territoire ne correspond"))).to_be_visible()
    expect(
        main.get_by_text(re.compile(r"^Aucun territoire labellisé ne documente"))
    ).to_be_attached()
