"""Find a place (geo.domain.places): what the offline geocoder finds and what the label means there."""

from __future__ import annotations

import pytest

from geo.domain.places import NEAREST_COUNT, find_place
from geo.domain.territories import default_geocoder, load_placed
from geo.maps.place_marker import place_marker_script
from geo.texts.place_text import place_text


@pytest.fixture(scope="module")
def find():
    geocoder = default_geocoder()
    dataset, placed = load_placed()
    return lambda query: find_place(query, geocoder, dataset, placed)


@pytest.mark.parametrize(
    "query,code,inside,approximate,region",
    [
        ("Montreuil-sur-Mer", "62588", (), ("montreuillois",), "32"),  # a name
        ("montreuil sur mer", "62588", (), ("montreuillois",), "32"),  # as people type it
        ("59100", "59512", ("roubaix",), (), "32"),  # a postal code serving one commune
        ("62588", "62588", (), ("montreuillois",), "32"),  # an INSEE code (no such postcode)
        ("59512", "59512", ("roubaix",), (), "32"),
        ("3 rue de Strasbourg 44000 Nantes", "44109", ("nantes-metropole",), (), "52"),
        ("Villeurbanne", "69266", ("lyon-metropole",), (), "84"),
        ("Mamoudzou", "97611", ("mayotte",), (), "06"),  # overseas
        ("Brest", "29019", ("region-bretagne",), (), "53"),
        ("Montreuil (93)", "93048", ("est-ensemble",), ("territoire-olympique-2024",), "11"),
    ],
)
def test_places_are_found_and_placed(find, query, code, inside, approximate, region):
    answer = find(query)
    assert answer.found and answer.code == code
    assert answer.inside == inside and answer.inside_approximate == approximate
    assert answer.region == region
    assert len(answer.nearest) == NEAREST_COUNT
    assert not set(answer.inside) & {tid for tid, _ in answer.nearest}
    distances = [km for _, km in answer.nearest]
    assert distances == sorted(distances)


def test_a_name_several_communes_bear_asks_which_even_when_one_is_far_bigger(find):
    answer = find("Montreuil")  # Montreuil (93) has 110,000 people, the others a few thousand
    assert not answer.found
    assert answer.choices[0].label == "Montreuil (93) · 93048" and len(answer.choices) >= 3


def test_homonyms_offer_a_choice_that_finds_each(find):
    answer = find("Saint-Denis")
    assert not answer.found
    labels = {choice.label for choice in answer.choices}
    assert {"Saint-Denis (93) · 93066", "Saint-Denis (974) · 97411"} <= labels
    chosen = find(next(c.query for c in answer.choices if c.label.endswith("93066")))
    assert chosen.found and chosen.code == "93066" and chosen.region == "11"
    assert chosen.inside_approximate == ("territoire-olympique-2024",)


def test_a_postcode_of_many_communes_offers_them_with_the_insee_code_first(find):
    answer = find("62170")  # postal code of Montreuil-sur-Mer's area, INSEE code of Bouvigny
    assert not answer.found and len(answer.choices) > 10
    assert answer.choices[0].label == "Bouvigny-Boyeffles (62) · 62170"
    assert any("Montreuil-sur-Mer" in choice.label for choice in answer.choices)


def test_unknown_and_empty_queries(find):
    assert not find("Blorptown").found and not find("Blorptown").choices
    assert not find("   ").found


def test_texts_in_both_languages(find):
    dataset, placed = load_placed()
    answer = find("Roubaix")
    french = place_text(answer, dataset, placed, "fr").replace("\u202f", " ").replace("\xa0", " ")
    assert "Dans le périmètre de **Roubaix**" in french
    assert "Région : **Hauts-de-France**" in french and "5 995 292 (2021)" in french
    assert "Département : Nord (59)" in french
    english = place_text(answer, dataset, placed, "en")
    assert "Inside the perimeter of **Roubaix**" in english and "Nearest labelled" in english
    outside = place_text(find("Montreuil-sur-Mer"), dataset, placed, "en")
    assert "Inside no labelled territory's perimeter" in outside
    assert "approximate perimeter (no source gives its outline) of Montreuillois" in outside
    assert "choose yours" in place_text(find("Saint-Denis"), dataset, placed, "en")
    assert "was not found" in place_text(find("Blorptown"), dataset, placed, "en")


def test_marker_script_carries_the_place_safely(find):
    script = place_marker_script(find("Roubaix"), "map_div")
    assert script.startswith("carteEss.placeMarker(map_div, {")  # static/js/place-marker.js
    assert '"label":"Roubaix","key":"59512"});' in script
    hostile = find("Roubaix").__class__(
        query="x", found=True, name="</script><b>", code="1", lat=1.0, lon=2.0
    )
    assert "</script>" not in place_marker_script(hostile, "map_div")
    assert place_marker_script(None, "map_div").endswith("(map_div, null);")
