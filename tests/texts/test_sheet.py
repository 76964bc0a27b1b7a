"""The one-page PDF sheet (geo.texts.sheet) and `python -m geo sheet`, read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from geo.__main__ import main
from geo.domain.views import territory_card
from geo.texts.cards import card_text
from geo.texts.formatting import colon
from geo.texts.i18n import t
from geo.texts.sheet import plain, sheet_pdf, sheet_text, short_link

PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")


def pdf_text(path: Path) -> str:
    """The PDF's text by Debian's poppler-utils, whitespace collapsed (lines wrap anywhere)."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext not found: apt-get install poppler-utils")
    out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return " ".join(out.stdout.decode("utf-8").split())


def test_cli_sheet_holds_name_levers_and_region_on_one_page(loaded, tmp_path):
    dataset, _ = loaded
    target = tmp_path / "roubaix.pdf"
    assert main(["sheet", "roubaix", "-o", str(target)]) == 0
    data = target.read_bytes()
    assert data.startswith(b"%PDF") and len(PAGE.findall(data)) == 1
    text = pdf_text(target)
    assert text.startswith("Roubaix")
    assert "Hauts-de-France" in text and "La région" in text
    links = dataset.links[dataset.links["territory_id"] == "roubaix"]
    names = dataset.levers.set_index("id")["name_fr"]
    assert len(links) >= 2
    for lever_id, basis in zip(links["lever_id"], links["basis"], strict=True):
        assert names[lever_id] in text
        assert t(f"basis_{basis}", "fr") in text
    assert "23 novembre 2026" in text  # the date the data was checked (geo.config.DATA_DATE)


def test_cli_all_writes_27_one_page_sheets(tmp_path):
    assert main(["sheet", "--all", "-o", str(tmp_path), "--lang", "en"]) == 0
    sheets = sorted(tmp_path.glob("sheet-*.pdf"))
    assert len(sheets) == 27
    assert all(len(PAGE.findall(path.read_bytes())) == 1 for path in sheets)


def test_cli_refuses_an_unknown_id_and_all_without_a_folder(capsys):
    assert main(["sheet", "nowhere"]) == 2
    assert "no territory 'nowhere'" in capsys.readouterr().err
    assert main(["sheet", "--all"]) == 2


def test_unknown_facts_are_said_once(loaded):
    dataset, placed = loaded
    text = sheet_text(dataset, placed, "montreuillois", "en")
    assert text.unknown.startswith("Not known:") and "Lead collective" in text.unknown
    labels = [label for label, _ in text.facts]
    assert "Lead collective" not in labels and all(value for _, value in text.facts)
    assert text.perimeter and "approximate" in text.perimeter


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_sheet_states_the_cards_facts(loaded, lang):
    """Both render geo.texts.cards.territory_facts: each fact and région figure of a sheet is
    on the card too, in the card's words once its Markdown is read as plain text."""
    dataset, placed = loaded
    for territory_id in placed["id"]:
        card = card_text(territory_card(dataset, placed, territory_id), dataset, lang)
        sheet = sheet_text(dataset, placed, territory_id, lang)
        on_card = plain("\n".join([card.facts, card.themes, card.website, card.region_facts]))
        for label, value in sheet.facts + sheet.region:
            assert f"{label}{colon(lang)}{value}" in on_card, (territory_id, label)
        assert card.challenges == "\n".join(f"1. {c}" for c in sheet.challenges)


def test_english_sheet_speaks_english(loaded, tmp_path):
    dataset, placed = loaded
    target = tmp_path / "sheet.pdf"
    target.write_bytes(sheet_pdf(dataset, placed, "nantes-metropole", "en"))
    text = pdf_text(target)
    assert "The region: Pays de la Loire" in text and "Data checked" in text
    assert "Vague" not in text


@pytest.mark.parametrize(
    "url,short",
    [
        ("https://www.insee.fr/fr/statistiques/8189389", "insee.fr/fr/statistiques/8189389"),
        ("https://example.org/", "example.org"),
        ("https://a.fr/" + "x" * 80, "a.fr/" + "x" * 42 + "…"),
    ],
)
def test_short_link(url, short):
    assert short_link(url) == short
