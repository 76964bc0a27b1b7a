"""The card's texts (geo.cards) and the sidebar's filters (geo.filters), without Streamlit."""

from __future__ import annotations

import pytest

from geo.cards import card_text, grouped_number, value_or_unknown
from geo.filters import WIDGET_KEYS, sidebar_filters
from geo.territories import load_placed
from geo.views import ViewState, territory_card


@pytest.fixture(scope="module")
def loaded():
    return load_placed()


def text_of(loaded, territory_id: str, lang: str):
    dataset, placed = loaded
    return card_text(territory_card(dataset, placed, territory_id), dataset, lang)


def test_roubaix_card_in_french(loaded):
    text = text_of(loaded, "roubaix", "fr")
    assert text.title == "Roubaix"
    assert text.caption == "Commune · Vague 1"
    assert "- **Région** : Hauts-de-France" in text.facts.splitlines()
    assert "- **Département(s)** : 59" in text.facts.splitlines()
    assert "- **Collectif porteur** : Ville de Roubaix" in text.facts.splitlines()
    assert "- **Date du label** : 2019-02-25" in text.facts.splitlines()
    assert text.challenges == "*inconnu*"  # no source states Roubaix's challenges
    assert text.themes == "**Thématiques** : Économie circulaire et zéro déchet"
    assert text.note.startswith("Remarque : Le label est associé")
    assert text.position.startswith("Position sur la carte : code officiel de l'entité (59512)")
    assert text.position.endswith("(pas d'entité administrative unique).")  # a commune
    assert text.website == ""
    assert "- <http://demainlaville.com/a-roubaix-on-pratique-lecologie-souriante/>" in (
        text.sources.splitlines()
    )
    assert text.region_title == "#### La région : Hauts-de-France"


def test_region_facts_are_sourced_and_grouped_the_french_way(loaded):
    region = text_of(loaded, "roubaix", "fr").region_facts.splitlines()
    assert "- **Chef-lieu** : Lille" in region
    assert "- **Population** : 5\u202f995\u202f292 (2021)" in region
    assert "- **CRESS** : [CRESS Hauts-de-France](https://cresshdf.org)" in region
    assert (
        "- **ESS de la région (série comparée)** : 10,7 % des emplois salariés (2021, "
        "[source](https://insee.fr/fr/statistiques/8189389))"
    ) in region
    # the other figure is the same series here: only its jobs count is added
    assert "- **ESS de la région (autre chiffre)** : 210\u202f800 emplois dans l'ESS" in region
    others = next(line for line in region if "Autres territoires" in line)
    assert "Montreuillois" in others and "Roubaix" not in others


def test_the_card_follows_the_language(loaded):
    text = text_of(loaded, "roubaix", "en")
    assert text.caption == "Municipality · Wave 1"
    assert "- **Region** : Hauts-de-France" in text.facts.splitlines()
    assert text.themes == "**Themes** : Circular economy and zero waste"
    assert text.challenges == "*unknown*"
    assert text.note.startswith("Note : The label is tied")


def test_each_linked_lever_has_its_reason_source_and_summary(loaded):
    dataset, _ = loaded
    text = text_of(loaded, "roubaix", "fr")
    links = dataset.links[dataset.links["territory_id"] == "roubaix"]
    assert len(text.levers) == len(links) > 0
    for lever in text.levers:
        basis, why, summary, *tools = lever.paragraphs
        assert basis.startswith("**Base du lien** : ● documenté — ")
        assert lever.title.startswith("● documenté · ")
        assert why.startswith("**Pourquoi** : ") and "([source](http" in why
        assert summary
        assert all(tool.startswith("**Outils** : ") for tool in tools)


def test_a_region_territory_draws_its_communes_and_an_area_does_not(loaded):
    region = text_of(loaded, "region-nouvelle-aquitaine", "fr")
    area = text_of(loaded, "montreuillois", "fr")
    assert region.position.endswith("Points gris : les communes membres (contour approximatif).")
    assert area.position == (
        "Position sur la carte : commune siège (62588) — Périmètre exact non cartographié "
        "(pas d'entité administrative unique)."
    )
    mayotte = text_of(loaded, "mayotte", "en")
    assert mayotte.challenges.splitlines()[0].startswith("1. ")  # a numbered list when known


def test_small_helpers():
    assert value_or_unknown("", "en") == "*unknown*"
    assert value_or_unknown("Lille", "fr") == "Lille"
    assert grouped_number("1234567") == "1\u202f234\u202f567"


def test_the_sidebar_filters_cover_every_list_of_the_view(loaded):
    dataset, _ = loaded
    filters = sidebar_filters(dataset, "fr")
    attributes = [a for a, key in WIDGET_KEYS.items() if key in {f.key for f in filters}]
    list_attributes = [
        name for name, value in vars(ViewState()).items() if value == () and name != "compare"
    ]
    assert attributes == list_attributes
    by_key = {f.key: f for f in filters}
    assert by_key["f_region"].label == "Région"
    assert by_key["f_region"].name("32") == "Hauts-de-France"
    assert by_key["f_wave"].name("2") == "Vague 2"
    assert by_key["f_kind"].name("ept") == "Établissement public territorial"
    assert by_key["f_departement"].name("59") == "59"
    assert set(by_key["f_lever"].options) == set(dataset.levers["id"])
    english = {f.key: f for f in sidebar_filters(dataset, "en")}
    assert english["f_kind"].name("commune") == "Municipality"
