"""The dynamic layer: what filters and selection change (markers, the selected perimeter,
lines to similar territories, the régions in the filter, the frame), as plain JSON-ready data.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import folium
import pandas as pd

from geo.domain.perimeters import Perimeter
from geo.maps.framing import FIT_MAX_ZOOM, corners, framing
from geo.maps.markers import marker_rows
from geo.maps.territory_layer import TerritoryUpdate

PERIMETER_COLOR = "#000000"


def build_dynamic_layer(
    shown: pd.DataFrame,
    lever_names: dict[str, list[str]],
    lang: str,
    selected: str = "",
    perimeter: Perimeter | None = None,
    regions: tuple[str, ...] = (),
    frame: bool = True,
    markers: dict | None = None,
    links: TerritoryLinks | None = None,
) -> dict:
    """The part of the map that filters and selection change, as plain data (cacheable,
    JSON-ready) for TerritoryLayer.update: the shown markers, the selection's shapes (GeoJSON
    features styled for Leaflet: the selected territory's `perimeter`; with `links`, lines
    between territories), the régions in the filter (they stand out) and the box to frame
    (None: keep the view; links that ask to be framed are).

    `markers`: marker_rows of all territories with the same selection, computed once (a
    filter change then only picks rows); else the shown ones' are computed here."""
    if markers is None:
        markers = marker_rows(shown, lever_names, lang, selected)
    else:
        wanted = set(shown["id"])
        markers = markers | {"rows": [row for row in markers["rows"] if row[0] in wanted]}
    shapes = [] if perimeter is None else [perimeter_shape(perimeter)]
    box = framing(markers["rows"], selected, perimeter) if frame else None
    if links is not None:
        shapes += links.features()
        if links.frame and links.lines:
            box = {"bounds": corners(links.ends()), "padding": 40, "maxZoom": FIT_MAX_ZOOM}
    return markers | {"shapes": shapes, "frame": box, "regions": list(regions)}


@dataclass(frozen=True)
class TerritoryLinks:
    """Thin lines joining territories (a selected one to its similar ones, or the compared
    ones), each with a tooltip saying what they share; `frame` asks the map to frame them all.

    `lines` are ((lat, lon), (lat, lon), tooltip) triples, tooltips as plain text (escaped
    when drawn, see feature)."""

    lines: list[tuple[tuple[float, float], tuple[float, float], str]]
    frame: bool = False
    color: str = "#333333"

    def ends(self) -> list[tuple[float, float]]:
        """Every line's two ends (what `frame` frames)."""
        return [end for a, b, _ in self.lines for end in (a, b)]

    def features(self) -> list[dict]:
        """The lines as a dynamic layer's shapes (class fi-link), hovered for their tooltip."""
        return [
            feature(
                {
                    "type": "LineString",
                    "coordinates": [
                        [round(a[1], 5), round(a[0], 5)],
                        [round(b[1], 5), round(b[0], 5)],
                    ],
                },
                tooltip=tip,
                color=self.color,
                weight=2,
                opacity=0.8,
                dashArray="4 4",
                className="fi-link",
            )
            for a, b, tip in self.lines
        ]


def add_dynamic_layer(m: folium.Map, layer: dict) -> None:
    """Draw a dynamic layer in a map built by build_base_map, once its base is drawn."""
    TerritoryUpdate(layer).add_to(m)


def perimeter_shape(perimeter: Perimeter) -> dict:
    """The selected territory's true outline (dashed when approximate) as a dynamic layer's
    shape, not clickable."""
    return feature(
        perimeter.geojson(),
        color=PERIMETER_COLOR,
        weight=2.5,
        dashArray="6 4" if perimeter.approximate else None,
        fillColor=PERIMETER_COLOR,
        fillOpacity=0.07,
        className="fi-perimeter",
    )


def feature(geometry: dict, tooltip: str = "", **style) -> dict:
    """A GeoJSON feature for a dynamic layer's shapes, drawn with this Leaflet path style;
    with a tooltip (escaped here) it shows it on hover, else it takes no mouse events."""
    properties: dict = {"style": style | {"interactive": bool(tooltip)}}
    if tooltip:
        properties["tooltip"] = escape(tooltip)
    return {"type": "Feature", "geometry": geometry, "properties": properties}
