"""Bring your own list, in the real app in Chromium: upload, geocode, see the points."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_new_user import click_downloads

pytestmark = pytest.mark.browser

LIST_FRAME = 'iframe[title="streamlit_folium.st_folium"]:not([data-stale="true"] *)'
HOSTILE = "<img src=x onerror=alert(1)>"
CSV = f"nom;note\nLyon;{HOSTILE}\nNantes;ok\nMamoudzou;ok\nBlorptown;x\n".encode("cp1252")


def test_uploaded_list_is_geocoded_and_drawn(page: Page, server, recorder) -> None:
    page.goto(server.url)
    page.get_by_role("tab", name="Ma liste").click()
    page.locator('input[type="file"]').set_input_files(
        {"name": "liste.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    label_select = page.get_by_role("combobox", name="Colonne libellé des points (facultatif)")
    label_select.click()
    page.get_by_role("option", name="note", exact=True).click()
    page.get_by_role("button", name="Géocoder la liste").click()

    main = page.get_by_test_id("stMain")
    expect(
        main.get_by_text("3 placée(s), 0 ambiguë(s), 1 introuvable(s) sur 4 ligne(s).")
    ).to_be_visible()
    frame = page.frame_locator(LIST_FRAME).last
    points = frame.locator("path.fi-point")
    expect(points).to_have_count(3)
    expect(frame.locator(".fi-marker")).to_have_count(27)  # beside the labelled territories
    # Framed on the mainland points (Lyon, Nantes), although the map was created in a tab.
    zoom = (
        page.locator(LIST_FRAME)
        .last.content_frame.locator("body")
        .evaluate("() => window.map.getZoom()")
    )
    assert zoom >= 5, f"the list map is zoomed out to the world (zoom {zoom})"

    # The hostile label shows as text in its tooltip and never becomes an element.
    tooltip = frame.locator(".leaflet-tooltip")
    texts = []
    for i in range(3):
        points.nth(i).dispatch_event("mouseover")  # a territory marker may sit on top
        expect(tooltip).to_have_count(1)
        texts.append(tooltip.inner_text())
        points.nth(i).dispatch_event("mouseout")
        expect(tooltip).to_have_count(0)
    assert HOSTILE in texts
    expect(frame.locator("img[src='x']")).to_have_count(0)

    # Each point is named for screen readers and opens its popup with the keyboard.
    named = frame.get_by_role("button", name="ok", exact=True)
    expect(named).to_have_count(2)
    named.first.focus()
    named.first.press("Enter")
    expect(frame.locator(".fi-point-popup")).to_have_count(1)
    assert not recorder.page_errors, recorder.page_errors


EXPORT = (
    "Nom de la structure;Commune;Code postal;Secteur\r\n"
    "Atelier;ROUBAIX;59100;Insertion\r\n"
    "Jardin;SAINT-DENIS;97490;Agriculture\r\n"
    "Régie;PARIS 13;75013;Services\r\n"
).encode("cp1252")


def test_the_list_is_still_there_after_a_tab_change_and_the_language_toggle(
    page: Page, server, recorder
) -> None:
    page.goto(server.url)
    page.get_by_role("tab", name="Ma liste").click()
    page.locator('input[type="file"]').set_input_files(
        {"name": "export.csv", "mimeType": "text/csv", "buffer": EXPORT}
    )
    # Detected without any choice: the place in "Commune", the postal code in "Code postal".
    expect(page.get_by_role("combobox", name="Colonne code postal (facultatif)")).to_have_value(
        "Code postal"
    )
    page.get_by_role("button", name="Géocoder la liste").click()
    main = page.get_by_test_id("stMain")
    summary = "3 placée(s), 0 ambiguë(s), 0 introuvable(s) sur 3 ligne(s)."
    expect(main.get_by_text(summary)).to_be_visible()

    page.get_by_role("tab", name="Tableau").click()
    expect(main.get_by_text(summary)).to_have_count(0)
    page.get_by_role("tab", name="Ma liste").click()
    expect(main.get_by_text(summary)).to_be_visible()
    expect(
        main.get_by_text("Liste en cours : export.csv (3 ligne(s))", exact=False)
    ).to_be_visible()

    page.get_by_test_id("stSidebar").get_by_text("English").click()
    page.get_by_role("tab", name="My list").click()
    expect(main.get_by_text("3 placed, 0 ambiguous, 0 not found, of 3 row(s).")).to_be_visible()
    frame = page.frame_locator(LIST_FRAME).last
    expect(frame.locator("path.fi-point")).to_have_count(3)
    # The go-to control reaches La Réunion, where one of the list's points is.
    expect(frame.locator(".fi-goto-button", has_text="La Réunion")).to_have_count(1)
    assert not recorder.page_errors, recorder.page_errors


def test_every_list_download_click_delivers_its_file(page: Page, server) -> None:
    """Issue 24: 3 of ~36 clicks on the list's downloads gave "Deferred file … not found" (a
    file made on click is registered anew at every rerun and dropped at the end of the next).
    Clicked right after the geocoding, while the list map's first messages come back, at a quick
    user's pace."""
    page.goto(server.url)
    page.get_by_role("tab", name="Ma liste").click()
    page.locator('input[type="file"]').set_input_files(
        {"name": "liste.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Géocoder la liste").click()
    names = ("Table géocodée (CSV)", "Lignes placées (GeoJSON)", "Carte (HTML autonome)")
    buttons = [page.get_by_role("button", name=name) for name in names]
    downloads = click_downloads(page, buttons, 12)
    assert all(Path(d.path()).read_bytes() for d in downloads), "an empty download"
    delivered = [d.suggested_filename for d in downloads]
    assert delivered.count("liste-geocodee.csv") == 4
    assert "Deferred file" not in server.log()
