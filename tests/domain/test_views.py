"""What the dashboard shows, without Streamlit: the URL's view, filters, cards, and the map."""

from __future__ import annotations

import re

import pytest
import shapely
import shapely.geometry

from geo.domain.perimeters import Perimeter, territory_perimeter
from geo.domain.views import (
    ViewState,
    filter_territories,
    lever_matrix,
    region_summary,
    territory_card,
    vocabulary,
)
from geo.geocoding import shapes
from geo.maps.assets import map_script
from geo.maps.base import build_territory_map
from geo.maps.element import script_json
from geo.maps.framing import FIT_MAX_ZOOM
from geo.maps.markers import MARKER_CLASS
from geo.maps.protocol import REGION_CLICK_PROPERTY, region_click, toggle_region
from geo.texts.levers import lever_labels

HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def words(dataset) -> dict[str, set[str]]:
    return vocabulary(dataset)


def shown_ids(dataset, view: ViewState) -> set[str]:
    return set(filter_territories(dataset.territories, dataset.links, view)["id"])


def linked_to(dataset, lever: str) -> set[str]:
    links = dataset.links
    return set(links.loc[links["lever_id"] == lever, "territory_id"])


# --- the view in the URL ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "view",
    [
        ViewState(),
        ViewState(lang="en"),
        ViewState(regions=("32", "76")),
        ViewState(departements=("59",), waves=("1",), kinds=("commune",)),
        ViewState(levers=("rd-sociale",), themes=("circular_economy",), text="Chambéry"),
        ViewState(lang="en", territory="roubaix", regions=("32",)),
    ],
)
def test_view_round_trips_through_the_query_string(words, view):
    assert ViewState.from_query(view.to_query(), words) == view


def test_default_view_writes_no_parameter():
    assert ViewState().to_query() == {}
    assert ViewState(lang="en", text="x").to_query() == {"lang": "en", "q": "x"}


def test_unknown_values_in_an_old_link_are_dropped(words):
    view = ViewState.from_query(
        {
            "region": "32, 99,zz,76",
            "lever": "rd-sociale,plus-de-levier",
            "theme": "nope",
            "wave": "3",
            "lang": "de",
            "territory": "atlantide",
            "unknown": "x",
            "q": "a" * 500,
        },
        words,
    )
    assert view.regions == ("32", "76")
    assert view.levers == ("rd-sociale",)
    assert view.themes == () and view.waves == ()
    assert view.lang == "fr"
    assert view.territory == ""
    assert len(view.text) == 100


def test_cleared_keeps_only_the_language():
    view = ViewState(lang="en", regions=("32",), territory="roubaix", text="x")
    assert view.cleared() == ViewState(lang="en")


# --- filters ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "regions, expected",
    [
        (("32",), {"roubaix", "montreuillois"}),
        (("76",), {"figeac", "toulouse-metropole", "grand-narbonne", "occitanie-est"}),
        (
            ("32", "76"),
            {
                "roubaix",
                "montreuillois",
                "figeac",
                "toulouse-metropole",
                "grand-narbonne",
                "occitanie-est",
            },
        ),
        (("94",), set()),  # Corsica holds no French Impact territory
    ],
)
def test_filter_by_region(dataset, regions, expected):
    assert shown_ids(dataset, ViewState(regions=regions)) == expected


def test_no_filter_shows_all_27(dataset):
    assert len(shown_ids(dataset, ViewState())) == 27


@pytest.mark.parametrize("lever", ["rd-sociale", "foncier-tiers-lieux", "soutien-direct"])
def test_filter_by_lever(dataset, lever):
    shown = shown_ids(dataset, ViewState(levers=(lever,)))
    assert shown and shown == linked_to(dataset, lever)


def test_lever_values_combine_with_or_and_filters_with_and(dataset):
    either = shown_ids(dataset, ViewState(levers=("rd-sociale", "foncier-tiers-lieux")))
    assert either == linked_to(dataset, "rd-sociale") | linked_to(dataset, "foncier-tiers-lieux")
    both = shown_ids(dataset, ViewState(levers=("foncier-tiers-lieux",), regions=("32",)))
    assert both == linked_to(dataset, "foncier-tiers-lieux") & {"roubaix", "montreuillois"}


def test_filter_by_theme(dataset):
    shown = shown_ids(dataset, ViewState(themes=("circular_economy",)))
    assert {"roubaix", "mayotte", "strasbourg-eurometropole"} <= shown
    assert "figeac" not in shown  # no theme known for Figeac
    themes = dataset.territories.set_index("id")["themes"]
    assert all("circular_economy" in themes[tid].split(";") for tid in shown)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("chambery", {"grand-chambery"}),
        ("CHAMBÉRY", {"grand-chambery"}),
        ("  roubaix ", {"roubaix"}),
        ("ledonien", {"territoire-ledonien-cluster-jura"}),
        ("zzz-aucun-territoire", set()),
    ],
)
def test_text_search_ignores_case_and_accents(dataset, text, expected):
    assert shown_ids(dataset, ViewState(text=text)) == expected


def test_text_search_looks_beyond_the_name(dataset):
    shown = shown_ids(dataset, ViewState(text="metropole"))
    assert {"toulouse-metropole", "nantes-metropole", "clermont-ferrand"} <= shown


def test_contradictory_filters_give_an_empty_result(dataset):
    view = ViewState(regions=("32",), waves=("2",))
    result = filter_territories(dataset.territories, dataset.links, view)
    assert result.empty
    assert result.columns.tolist() == dataset.territories.columns.tolist()


# --- cards and summaries ------------------------------------------------------------------------


def test_roubaix_card(dataset, placed):
    card = territory_card(dataset, placed, "roubaix")
    assert card.territory["name"] == "Roubaix"
    assert card.region["name"] == "Hauts-de-France"
    assert card.neighbours == [{"id": "montreuillois", "name": "Montreuillois"}]
    lever_ids = [lever["lever_id"] for lever in card.levers]
    assert lever_ids
    assert set(lever_ids) == set(
        dataset.links.loc[dataset.links["territory_id"] == "roubaix", "lever_id"]
    )
    order = dataset.levers["id"].tolist()
    assert lever_ids == sorted(lever_ids, key=order.index)  # in the study's order
    assert all(lever["name_fr"] and lever["rationale_fr"] for lever in card.levers)


def test_card_of_an_unknown_territory_is_none(dataset, placed):
    assert territory_card(dataset, placed, "atlantide") is None


def test_lever_labels_follow_the_language(dataset):
    fr, en = lever_labels(dataset, "roubaix", "fr"), lever_labels(dataset, "roubaix", "en")
    assert len(fr) == len(en) > 0 and fr != en


def test_lever_matrix_has_a_cell_per_territory_and_lever(dataset):
    ids = ["roubaix", "figeac", "mayotte"]
    matrix = lever_matrix(dataset, ids, "fr")
    levers = dataset.levers[dataset.levers["kind"] != "framework"]
    assert len(matrix) == len(ids) * len(levers)
    links = dataset.links[dataset.links["territory_id"].isin(ids)]
    assert matrix["linked"].sum() == links["lever_id"].isin(levers["id"]).sum()


def test_region_summary_counts_territories(dataset):
    summary = region_summary(dataset, dataset.territories).set_index("code")
    assert summary.loc["76", "territories"] == 4
    assert summary.loc["32", "names"] == "Montreuillois, Roubaix"
    assert "94" not in summary.index
    assert summary["territories"].sum() == 27


# --- the map ------------------------------------------------------------------------------------


def render(placed, dataset, **options) -> str:
    levers = {tid: lever_labels(dataset, tid, "fr") for tid in placed["id"]}
    return build_territory_map(placed, levers, "fr", **options).get_root().render()


def marker_classes(html: str) -> list[str]:
    """Class names of the territory markers, as sent in the markers' data array."""
    return re.findall(r'"(' + MARKER_CLASS + r' fi-wave-[^"]*)"', html)


def test_map_has_one_marker_per_territory(dataset, placed):
    html = render(placed, dataset)
    classes = marker_classes(html)
    assert len(classes) == 27
    assert sum("fi-wave-2" in c for c in classes) == 7
    assert html.count("Grand Chamb\\u00e9ry") >= 2  # tooltip and popup, JSON-escaped in the script


def test_map_escapes_a_hostile_name_everywhere(dataset, placed):
    hostile = placed.copy()
    for tid in ("roubaix", "mayotte"):  # mayotte also appears in the overseas go-to buttons
        hostile.loc[hostile["id"] == tid, "name"] = HOSTILE
        hostile.loc[hostile["id"] == tid, "porteur"] = HOSTILE
    html = render(hostile, dataset)
    assert HOSTILE not in html
    assert "<img" not in html
    # Escaped for HTML (Leaflet shows tooltips and popups as HTML), then for the script block.
    escaped = "\\u0026lt;img src=x onerror=alert(1)\\u0026gt;"
    assert html.count(escaped) >= 4  # tooltip and popup (name, porteur) of both
    assert len(marker_classes(html)) == 27


def perimeter_shapes(layer: dict) -> list[dict]:
    """The dynamic layer's shapes that draw a selected territory's perimeter."""
    return [
        shape
        for shape in layer["shapes"]
        if shape["properties"]["style"].get("className") == "fi-perimeter"
    ]


def town_hall(code: str) -> shapely.Point:
    """A commune's point as data/geometry ships it (its town hall)."""
    points = shapes.commune_points().set_index("code")
    return shapely.Point(points.loc[code, "lon"], points.loc[code, "lat"])


@pytest.mark.parametrize(
    "tid, inside, outside",
    [
        ("roubaix", ["59512"], ["59350"]),  # Roubaix in; Lille out
        ("figeac", ["46102", "12052"], ["46042"]),  # Figeac, Capdenac-Gare (Aveyron); Cahors out
    ],
)
def test_selected_territory_draws_its_true_perimeter_and_frames_it(
    dataset, placed, tid, inside, outside, territory_layer
):
    perimeter = territory_perimeter(placed.set_index("id").loc[tid].to_dict())
    layer = territory_layer(render(placed, dataset, selected=tid, perimeter=perimeter))
    (drawn,) = perimeter_shapes(layer)
    shape = shapely.geometry.shape(drawn["geometry"])
    assert shape.is_valid
    assert all(shape.contains(town_hall(code)) for code in inside)
    assert not any(shape.contains(town_hall(code)) for code in outside)
    assert drawn["properties"]["style"]["interactive"] is False  # clicks reach the régions
    south, west, north, east = perimeter.bounds()
    assert layer["frame"]["bounds"] == [[south, west], [north, east]]  # the map frames it
    outlined = [row for row in layer["rows"] if 'stroke="#000"' in layer["icons"][row[3]]]
    assert [row[0] for row in outlined] == [tid]  # only the selected marker is outlined
    dashed = drawn["properties"]["style"]["dashArray"] == "6 4"
    assert dashed == perimeter.approximate == (tid == "figeac")


def test_only_the_selected_perimeter_is_sent_simplified_for_its_size(
    dataset, placed, territory_layer
):
    plain = len(render(placed, dataset))
    region = territory_perimeter(placed.set_index("id").loc["region-nouvelle-aquitaine"])
    selected = render(placed, dataset, selected="region-nouvelle-aquitaine", perimeter=region)
    assert 0 < len(selected) - plain < 60_000  # one région at display resolution
    assert len(perimeter_shapes(territory_layer(selected))) == 1


def test_the_european_metropolis_of_lille_perimeter_holds_lille_and_roubaix():
    mel = Perimeter("epci", ("200093201",), approximate=False, basis="entity")
    shape = shapely.geometry.shape(mel.geojson())
    assert shape.contains(town_hall("59350"))  # Lille
    assert shape.contains(town_hall("59512"))  # Roubaix
    assert not shape.contains(town_hall("62041"))  # Arras


def test_the_outlines_are_sent_once_with_or_without_tiles(dataset, placed, territory_layer):
    html = render(placed, dataset)
    assert html.count("carteEss.outlineLayer(") == 1
    assert html.count('"departements":[[[[') == 1
    assert perimeter_shapes(territory_layer(html)) == []
    assert not any('stroke="#000"' in icon for icon in territory_layer(html)["icons"])
    assert "tile.openstreetmap.org" in html
    offline = render(placed, dataset, basemap="outlines")
    assert "L.tileLayer" not in offline
    assert offline.count("carteEss.outlineLayer(") == 1
    assert '"style":{"filled":true' in offline


def test_regions_in_the_filter_stand_out_and_clicks_are_read_back(dataset, placed, territory_layer):
    html = render(placed, dataset, regions=("76",))
    assert territory_layer(html)["regions"] == ["76"]  # restyled in place, the base unchanged
    assert map_script().count("fiOutlines.select(layer.regions)") == 1
    assert territory_layer(render(placed, dataset))["regions"] == []
    answer = {"last_active_drawing": {"properties": {REGION_CLICK_PROPERTY: "76", "click": 5.5}}}
    assert region_click(answer) == ("76", 5.5)
    assert region_click({"last_active_drawing": {"type": "Feature", "properties": {}}}) is None
    assert region_click({"last_object_clicked_tooltip": "Roubaix"}) is None
    assert region_click(None) is None
    assert toggle_region((), "76") == ("76",)
    assert toggle_region(("11", "76"), "76") == ("11",)


def test_script_json_cannot_close_the_script_block():
    assert (
        script_json({"name": "</script>&<b>"})
        == '{"name":"\\u003c/script\\u003e\\u0026\\u003cb\\u003e"}'
    )


def test_without_selection_no_shapes_and_all_of_mainland_framed(dataset, placed, territory_layer):
    layer = territory_layer(render(placed, dataset))
    assert layer["shapes"] == []
    assert not any('stroke="#000"' in icon for icon in layer["icons"])
    assert layer["frame"]["maxZoom"] == FIT_MAX_ZOOM


def test_filters_of_a_view_leave_out_what_does_not_choose_territories():
    view = ViewState(lang="en", regions=("32",), territory="roubaix", compare=("a", "b"))
    assert view.filters() == ViewState(regions=("32",))
    assert ViewState(text="x", basis="stated").filters() == ViewState(text="x", basis="stated")
