"""The base map (tiles, outlines, scale, legend, go-to control, the territories' script) and
the standalone map that adds a dynamic layer to it; the package's docstring says which is which."""

from __future__ import annotations

from collections.abc import Sequence

import folium
import pandas as pd
import xyzservices.providers as xyz

from geo.domain.perimeters import Perimeter
from geo.maps.document import MapDocument, ZoomableMap
from geo.maps.dynamic_layer import TerritoryLinks, add_dynamic_layer, build_dynamic_layer
from geo.maps.framing import FRANCE_CENTER, FRANCE_ZOOM
from geo.maps.goto import GoToControl
from geo.maps.legend import Legend, LegendSection
from geo.maps.markers import overseas_places
from geo.maps.outline_layer import OutlineLayer
from geo.maps.scale_bar import ScaleBar
from geo.maps.territory_layer import TerritoryLayer
from geo.maps.tiles_down import TilesDown
from geo.texts.i18n import t

LEAFLET_ONLY = {"leaflet", "leaflet_css"}  # the only libraries of folium's map that ours uses
OUTLINES_ONLY = "outlines"  # the base map without tiles: nothing leaves the machine
BASEMAPS = {
    "osm": ("tiles_osm", xyz.OpenStreetMap.Mapnik),
    "positron": ("tiles_positron", xyz.CartoDB.Positron),
    "ign": ("tiles_ign", xyz.GeoportailFrance.plan),
    OUTLINES_ONLY: ("tiles_outlines", None),
}


def base_map(basemap: str, lang: str, outlines_inline: bool = True) -> folium.Map:
    """A map of mainland France on the chosen tiles (with their attribution), or on none, and
    the outlines of régions and départements, drawn whether tiles load or not (carried in the
    map, or read from OUTLINE_SCRIPT's global: see OutlineLayer)."""
    key, provider = BASEMAPS.get(basemap, BASEMAPS["osm"])
    m = ZoomableMap(location=FRANCE_CENTER, zoom_start=FRANCE_ZOOM, tiles=None)
    # folium links jQuery, Bootstrap, Font Awesome and awesome-markers for marker kinds this map
    # never draws (its markers are SVG): Leaflet alone, 480 kB and three sequential script
    # loads less before the first map, and a standalone file without their fonts.
    m.default_js = [link for link in folium.Map.default_js if link[0] in LEAFLET_ONLY]
    m.default_css = [link for link in folium.Map.default_css if link[0] in LEAFLET_ONLY]
    if provider is not None:
        folium.TileLayer(provider, name=t(key, lang)).add_to(m)
    OutlineLayer(lang, filled=provider is None, inline=outlines_inline).add_to(m)
    if provider is not None:
        TilesDown(lang).add_to(m)
    ScaleBar().add_to(m)
    MapDocument(lang).add_to(m)
    return m


def build_base_map(
    lang: str,
    basemap: str,
    placed: pd.DataFrame,
    more_places: Sequence[tuple[str, float, float]] = (),
    outlines_inline: bool = True,
    popups: bool = True,
    legend: tuple[LegendSection, ...] = (),
) -> folium.Map:
    """What no filter changes: tiles, outlines, legend, the go-to control of every overseas territory of
    `placed` (a dynamic layer hides those not shown) and of `more_places` ((name, lat, lon),
    always shown), and the script that draws territories; `popups`: markers open one (a map
    without the page's card: a download, a user's list), else a click only reaches the page;
    `legend`: sections listed before the territories' in the one legend (a user's list)."""
    m = base_map(basemap, lang, outlines_inline)
    TerritoryLayer(popups).add_to(m)
    Legend(lang, legend).add_to(m)
    others = [("", name, lat, lon) for name, lat, lon in more_places]
    GoToControl(overseas_places(placed) + others, lang).add_to(m)
    return m


def build_territory_map(
    placed: pd.DataFrame,
    lever_names: dict[str, list[str]],
    lang: str,
    basemap: str = "osm",
    selected: str = "",
    *,
    perimeter: Perimeter | None = None,
    regions: tuple[str, ...] = (),
    frame: bool = True,
    links: TerritoryLinks | None = None,
    more_places: Sequence[tuple[str, float, float]] = (),
    legend: tuple[LegendSection, ...] = (),
) -> folium.Map:
    """One standalone map: the base map and the dynamic layer of these territories (see
    build_dynamic_layer); `more_places`: other overseas areas for the go-to control (those of a
    user's list); `legend`: see build_base_map."""
    m = build_base_map(lang, basemap, placed, more_places, legend=legend)
    layer = build_dynamic_layer(
        placed, lever_names, lang, selected, perimeter, regions, frame, links=links
    )
    add_dynamic_layer(m, layer)
    return m


# --------------------------------------------------------------------------- outlines, perimeter
