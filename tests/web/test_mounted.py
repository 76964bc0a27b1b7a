"""The mounted map: the arguments sent for it are st_folium's own, and framing asks for the
right box. (What the browser does with them: tests/browser/test_dashboard.py.)"""

from __future__ import annotations

import copy
import json

import pandas as pd
import pytest
import streamlit_folium

from geo.domain.perimeters import territory_perimeter
from geo.domain.views import ViewState
from geo.geocoding.batch import geocode_table
from geo.geocoding.columns import PlaceColumns
from geo.maps import assets
from geo.maps.base import build_base_map
from geo.maps.dynamic_layer import build_dynamic_layer, feature
from geo.maps.framing import FIT_MAX_ZOOM, MAINLAND_BOUNDS, SELECTED_ZOOM, framing
from geo.maps.list_map import build_list_map
from geo.maps.markers import marker_rows
from geo.maps.outline_layer import OUTLINE_GLOBAL, outline_script
from geo.maps.protocol import update_script
from geo.texts.levers import levers_by_territory
from geo.texts.sheet import territory_sheet
from geo.web import caches as shared
from geo.web import publish
from geo.web.caches import mounted_base_at
from geo.web.mounted import MAP_NAME, component_args, mount


@pytest.fixture(scope="module")
def base(placed):
    m = build_base_map("fr", "osm", placed)
    return assets.localize(m, publish.ASSET_BASE_URL, publish.map_script_url())


def test_the_mounted_arguments_are_st_folium_s_own(base, placed, dataset, monkeypatch):
    """Same base map: same script, header, links, defaults and component key (so the
    frontend keeps the same mounted map); only the dynamic script is ours."""
    sent = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.update(kwargs))
    returned = ["last_object_clicked_tooltip"]
    streamlit_folium.st_folium(
        copy.deepcopy(base), key="map", height=560, use_container_width=True,
        returned_objects=returned,
    )  # fmt: skip
    layer = build_dynamic_layer(placed, levers_by_territory(dataset, "fr"), "fr")
    update = update_script(layer, MAP_NAME)
    ours = component_args(mount(base), update, "map", 560, returned)
    assert ours.pop("feature_group") == update
    assert sent.pop("feature_group") is None
    sent.pop("on_change")
    assert ours == sent


def test_mounting_leaves_the_cached_base_unchanged(base):
    """Rendering changes a folium map: mount works on a copy, so the cached base sends the
    same arguments every time."""
    before = copy.deepcopy(base).get_root().render()
    first, second = mount(base), mount(base)
    assert first == second
    assert copy.deepcopy(base).get_root().render() == before
    assert "fiTerritories" in first.script and "fi-marker fi-wave" not in first.script


def test_the_base_map_holds_no_territory(base, placed):
    """Filters never change the base: it draws no marker, only the go-to buttons of every
    overseas territory (each with its id, so that the dynamic layer hides those not shown)."""
    html = copy.deepcopy(base).get_root().render()
    assert "fi-wave-" not in html
    (south, west), (north, east) = MAINLAND_BOUNDS
    overseas = placed[~placed["lat"].between(south, north) | ~placed["lon"].between(west, east)]
    assert "mayotte" in set(overseas["id"])
    for tid in overseas["id"]:
        assert f'"{tid}"' in html


def rows(placed, selected: str = "") -> list[list]:
    """The markers' rows of these territories, as the dynamic layer carries them."""
    return marker_rows(placed, {}, "fr", selected)["rows"]


def test_a_selected_commune_is_framed_up_close(placed):
    roubaix = placed.set_index("id").loc["roubaix"]
    frame = framing(rows(placed, "roubaix"), "roubaix", None)
    point = [round(roubaix["lat"], 5), round(roubaix["lon"], 5)]
    assert frame["bounds"] == [point, point]
    assert frame["maxZoom"] == SELECTED_ZOOM


def test_a_selected_grouping_is_framed_on_its_perimeter(placed):
    territory = placed.set_index("id").loc["est-ensemble"].to_dict() | {"id": "est-ensemble"}
    perimeter = territory_perimeter(territory)
    frame = framing(rows(placed, "est-ensemble"), "est-ensemble", perimeter)
    south, west, north, east = perimeter.bounds()
    assert frame["bounds"] == [[south, west], [north, east]]
    assert frame["maxZoom"] > SELECTED_ZOOM  # its whole perimeter, as close as it fits


def test_without_selection_the_shown_mainland_is_framed(placed):
    (south, west), (north, east) = MAINLAND_BOUNDS
    frame = framing(rows(placed), "", None)
    (low, left), (high, right) = frame["bounds"]
    assert south <= low < high <= north and west <= left < right <= east  # Mayotte left out
    assert frame["maxZoom"] == FIT_MAX_ZOOM
    mayotte = placed[placed["id"] == "mayotte"]
    point = [round(mayotte["lat"].iloc[0], 5), round(mayotte["lon"].iloc[0], 5)]
    assert framing(rows(mayotte), "", None)["bounds"] == [point, point]  # only overseas: it


def test_nothing_shown_keeps_the_view():
    assert framing([], "", None) is None


def test_a_filter_picks_rows_of_the_markers_built_once(placed, dataset):
    """The page builds every marker once per selection and a filter picks rows: the same
    layer as building the shown ones."""
    levers = levers_by_territory(dataset, "fr")
    shown = placed[placed["region_code"] == "76"]
    everyone = marker_rows(placed, levers, "fr", "toulouse-metropole")
    picked = build_dynamic_layer(shown, levers, "fr", "toulouse-metropole", markers=everyone)
    built = build_dynamic_layer(shown, levers, "fr", "toulouse-metropole")
    assert len(picked["rows"]) == 4
    assert [row[:3] for row in picked["rows"]] == [row[:3] for row in built["rows"]]
    assert picked["frame"] == built["frame"]
    used = {picked["icons"][row[3]] for row in picked["rows"]}
    assert used == {built["icons"][row[3]] for row in built["rows"]}


def test_the_list_map_frames_the_list_not_the_territories(
    dataset, placed, geocoder, territory_layer
):
    table = geocode_table(
        pd.DataFrame({"name": ["Lyon"]}), geocoder, PlaceColumns(name="name")
    ).table
    html = build_list_map(table, "name", None, dataset, placed).get_root().render()
    assert territory_layer(html)["frame"] is None
    assert "fitBounds" in html  # the list's own framing


def test_a_shape_takes_the_mouse_only_for_its_tooltip_which_is_escaped():
    line = {"type": "LineString", "coordinates": [[2.35, 48.85], [3.06, 50.63]]}
    hostile = "<img src=x onerror=alert(1)>"
    hover = feature(line, tooltip=hostile, color="#333333", weight=2)
    assert hover["properties"]["tooltip"] == "&lt;img src=x onerror=alert(1)&gt;"
    assert hover["properties"]["style"] == {"color": "#333333", "weight": 2, "interactive": True}
    still = feature(line, color="#333333")
    assert "tooltip" not in still["properties"]
    assert still["properties"]["style"]["interactive"] is False


def test_the_mounted_map_loads_its_outlines_as_a_script_of_their_own():
    """The outlines are most of the base map: the mounted map's arguments (sent with every
    rerun) carry a link to them, a script served once per page, not the outlines."""
    base = mounted_base_at("fr", "osm", publish.ASSET_BASE_URL)
    outlines = outline_script()
    assert base.js_links[-1] == publish.publish("outlines", outlines)
    assert base.js_links[-2] == publish.map_script_url()  # the elements' code, before them
    assert f"window.{OUTLINE_GLOBAL}" in base.script and outlines[40:400] not in base.script
    sent = json.dumps(component_args(base, "", "map", 500, []))
    assert len(sent) < len(outlines) / 2


def test_the_warm_up_fills_what_opening_a_card_asks_for():
    """After the warm-up, opening any card on the whole map finds its card, its similar
    territories, its map layer and its sheet already computed (the same cache keys as the
    page's)."""
    shared._warm_up(("fr",))
    ids = shared.shown_summary(ViewState().filters())[0]
    caches = (
        shared.territory_card_text,
        shared.similar_territories,
        shared.dynamic_layer,
        territory_sheet,
    )
    before = [cache.cache_info() for cache in caches]
    for territory_id in ids:
        shared.territory_card_text(territory_id, "fr")
        shared.similar_territories(territory_id, "fr")
        shared.dynamic_layer(ids, "fr", territory_id, (), ())
        territory_sheet(territory_id, "fr")
    after = [cache.cache_info() for cache in caches]
    assert [a.misses - b.misses for a, b in zip(after, before, strict=True)] == [0, 0, 0, 0]
    assert [a.hits - b.hits for a, b in zip(after, before, strict=True)] == [len(ids)] * 4
