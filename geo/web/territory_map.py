"""The territories' map on the page: mounted once, updated in place, and its clicks read back
(a marker opens its card, a région toggles the région filter)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.domain.places import PlaceAnswer
from geo.domain.views import ViewState
from geo.maps.coverage_layer import coverage_update_script
from geo.maps.place_marker import place_marker_script
from geo.maps.protocol import region_click, toggle_region, update_script
from geo.web import publish
from geo.web.caches import coverage_script_url, dynamic_layer, mounted_base
from geo.web.mounted import MAP_NAME, show_mounted

MAP_KEY = "map"
MAP_HEIGHT = 530  # with the page header, the map and the tab bar fit a 1366×768 laptop screen
# (a click also no longer scrolls the page: static/js/territory-layer.js focuses the map with preventScroll)


def apply_region_click() -> None:
    """A click on a région of the map toggles it in the région filter, as the sidebar would.

    An on_change callback: it runs before the sidebar's widget exists, so it may set it.
    """
    region = region_click(st.session_state.get(MAP_KEY))
    if region and region.stamp != st.session_state.get("last_region_click"):
        st.session_state["last_region_click"] = region.stamp
        regions = tuple(st.session_state.get("f_region", ()))
        st.session_state["f_region"] = list(toggle_region(regions, region.code))


def show_map(
    shown: pd.DataFrame,
    ids: tuple[str, ...],
    view: ViewState,
    basemap: str,
    place: PlaceAnswer | None = None,
) -> None:
    """The map of these territories (and the compared ones, even filtered out); a marker's
    click picks its territory, and the page reruns to open its card."""
    compared = view.compare if len(view.compare) >= 2 else ()
    ids = ids + tuple(tid for tid in compared if tid not in set(ids))
    selected = view.territory if view.territory in ids else ""
    publish.register()
    # The base map is the same whatever the filters, so the map stays mounted; the filtered
    # markers, the selection, its lines and the framing reach it as a script evaluated in place.
    result = show_mounted(
        mounted_base(view.lang, basemap),
        update_script(dynamic_layer(ids, view.lang, selected, compared, view.regions), MAP_NAME)
        + place_marker_script(place, MAP_NAME)
        + coverage_update_script(
            st.session_state["f_coverage"], coverage_script_url(view.lang), MAP_NAME
        ),
        key=MAP_KEY,
        height=MAP_HEIGHT,
        returned_objects=[
            "last_object_clicked_tooltip",
            "last_object_clicked_count",
            "last_active_drawing",
        ],
        on_change=apply_region_click,
    )
    # Each click carries its own stamp (static/js/territory-layer.js): a click is new when its stamp is, so the
    # same marker clicked again after a reset opens its card again.
    result = result or {}
    stamp = result.get("last_object_clicked_count")
    if stamp and stamp != st.session_state.get("map_click_stamp"):
        st.session_state["map_click_stamp"] = stamp
        match = shown.loc[shown["name"] == result.get("last_object_clicked_tooltip"), "id"]
        if not match.empty and match.iloc[0] != view.territory:
            st.session_state["f_territory"] = match.iloc[0]
            st.rerun()
