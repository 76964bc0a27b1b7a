"""The map's side of the page protocol: the dynamic layer sent as a script to the mounted
map, and a région clicked on the map read back from streamlit-folium's answer.
"""

from __future__ import annotations

from typing import NamedTuple

from geo.maps.element import script_json

# Name of the GeoJSON property that tells streamlit-folium's returned "last_active_drawing" of a
# région click from anything else (see OutlineLayer and clicked_region).
REGION_CLICK_PROPERTY = "fi_region"


def update_script(layer: dict, map_name: str) -> str:
    """The JavaScript that shows a dynamic layer on the map named `map_name`: in a standalone
    map after its base, or evaluated by streamlit-folium in the mounted map."""
    return f"{map_name}.fiTerritories.update({script_json(layer)});"


class RegionClick(NamedTuple):
    """A click on a région of the map: its INSEE code and the click's stamp."""

    code: str
    stamp: float


def region_click(result: dict | None) -> RegionClick | None:
    """The last click on the map's régions in st_folium's answer, or None.

    A rerun returns the same answer again: the caller acts only on a stamp it has not seen.
    """
    feature = (result or {}).get("last_active_drawing") or {}
    properties = feature.get("properties") or {}
    code, stamp = properties.get(REGION_CLICK_PROPERTY), properties.get("click")
    if not code or not stamp:
        return None
    return RegionClick(str(code), float(stamp))


def toggle_region(regions: tuple[str, ...], code: str) -> tuple[str, ...]:
    """The région filter after a click on a région: added, or removed if it was in it."""
    return tuple(r for r in regions if r != code) if code in regions else (*regions, code)
