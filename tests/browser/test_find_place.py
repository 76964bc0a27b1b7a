"""Find a place (`?place=`) and the card's PDF sheet, in the real app in Chromium (issue 23)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from geo.web.harness import MAP_FRAME

pytestmark = pytest.mark.browser

PIN = ".fi-place"
ANSWER = ".st-key-place_answer"


def open_place(page: Page, url: str, query: str, extra: str = "") -> None:
    page.goto(f"{url}/?place={query}{extra}")
    expect(page.locator(ANSWER)).to_be_visible()


def pin_title(page: Page) -> str:
    pin = page.frame_locator(MAP_FRAME).locator(PIN)
    expect(pin).to_have_count(1)
    return pin.get_attribute("title") or ""


@pytest.mark.parametrize(
    "query,name,inside,region",
    [
        ("Montreuil-sur-Mer", "Montreuil-sur-Mer", "périmètre approché", "Hauts-de-France"),
        ("59100", "Roubaix", "Dans le périmètre de Roubaix", "Hauts-de-France"),  # postal code
        ("44109", "Nantes", "Dans le périmètre de Nantes Métropole", "Pays de la Loire"),  # INSEE
        (
            "12 rue de la Paix 75002 Paris",  # an address
            "Paris 2e Arrondissement",
            "périmètre approché",
            "Île-de-France",
        ),
    ],
)
def test_place_in_the_url_shows_its_pin_and_answer(page: Page, server, query, name, inside, region):
    open_place(page, server.url, query)
    answer = page.locator(ANSWER)
    expect(answer).to_contain_text(name)
    expect(answer).to_contain_text(inside)
    expect(answer).to_contain_text("Territoires labellisés les plus proches")
    expect(answer).to_contain_text(f"Région : {region}")
    assert pin_title(page) == name


def test_a_homonym_offers_a_choice_that_answers(page: Page, server) -> None:
    open_place(page, server.url, "Saint-Denis")
    answer = page.locator(ANSWER)
    expect(answer).to_contain_text("désigne plusieurs lieux")
    expect(page.frame_locator(MAP_FRAME).locator(PIN)).to_have_count(0)
    answer.get_by_role("combobox").click()
    page.get_by_role("option", name="Saint-Denis (93) · 93066").click()
    expect(answer).to_contain_text("Saint-Denis (93066)")
    expect(answer).to_contain_text("Région : Île-de-France")
    expect(page).to_have_url(re.compile(r"[?&]place=Saint-Denis\+%2893%29|place=Saint-Denis%20"))
    assert pin_title(page) == "Saint-Denis"


def test_in_english_on_a_phone(make_page, server) -> None:
    page = make_page({"width": 390, "height": 844})
    open_place(page, server.url, "Roubaix", "&lang=en")
    answer = page.locator(ANSWER)
    expect(answer).to_contain_text("Inside the perimeter of Roubaix")
    expect(answer).to_contain_text("Region: Hauts-de-France")
    box = answer.bounding_box()
    assert box is not None and box["width"] <= 390
    assert pin_title(page) == "Roubaix"


def test_the_card_button_delivers_the_pdf_sheet(page: Page, server, tmp_path: Path) -> None:
    page.goto(f"{server.url}/?territory=roubaix")
    button = page.get_by_role("button", name="Fiche PDF d'une page")
    expect(button).to_be_visible()
    with page.expect_download(timeout=30_000) as info:
        button.click()
    download = info.value
    assert download.failure() is None
    assert download.suggested_filename == "fiche-roubaix.pdf"
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page\b(?!s)", data)) == 1
