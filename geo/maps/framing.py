"""What a map frames: the selected territory, else the shown ones where most of them are
(mainland France, or one overseas area), once the map has a size.
"""

from __future__ import annotations

import folium
import pandas as pd

from geo.domain.perimeters import Perimeter
from geo.maps.element import FactoryElement, script_json

SELECTED_ZOOM = 10


FIT_MAX_ZOOM = 9


MAINLAND_BOUNDS = ((41.0, -5.5), (51.5, 10.0))


OVERSEAS_AREA_DEGREES = 6  # overseas points closer than this (|Δlat| + |Δlon|) are one area


def corners(points: list[tuple[float, float]]) -> list[list[float]]:
    """[[south, west], [north, east]] of (lat, lon) points."""
    lats, lons = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def framing(rows: list[list], selected: str, perimeter: Perimeter | None) -> dict | None:
    """The box to frame, from the shown markers' rows (marker_rows): the selected territory
    (its perimeter, or its own point up close), or else the shown territories of mainland
    France (overseas ones are one click away). None when nothing is shown."""
    if selected:
        if perimeter is not None:
            south, west, north, east = perimeter.bounds()
            return {"bounds": [[south, west], [north, east]], "padding": 30, "maxZoom": 18}
        own = [(row[1], row[2]) for row in rows if row[0] == selected]
        if own:
            return {"bounds": corners(own), "padding": 30, "maxZoom": SELECTED_ZOOM}
    points = mainland_first([(row[1], row[2]) for row in rows])
    if not points:
        return None
    return {"bounds": corners(points), "padding": 40, "maxZoom": FIT_MAX_ZOOM}


def mainland_first(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The (lat, lon) points of mainland France when there are any, else all of them."""
    (south, west), (north, east) = MAINLAND_BOUNDS
    mainland = [(lat, lon) for lat, lon in points if south <= lat <= north and west <= lon <= east]
    return mainland or points


def busiest_area(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The (lat, lon) points of the area holding most of them: mainland France, or one overseas
    area (points within OVERSEAS_AREA_DEGREES of each other), mainland on a tie."""
    (south, west), (north, east) = MAINLAND_BOUNDS
    areas: list[list[tuple[float, float]]] = [[]]  # areas[0]: mainland
    for lat, lon in points:
        if south <= lat <= north and west <= lon <= east:
            areas[0].append((lat, lon))
            continue
        near = next(
            (
                area
                for area in areas[1:]
                if abs(area[0][0] - lat) + abs(area[0][1] - lon) <= OVERSEAS_AREA_DEGREES
            ),
            None,
        )
        if near is None:
            areas.append([(lat, lon)])
        else:
            near.append((lat, lon))
    return max(areas, key=len)


def fit_points(m: folium.Map, lats: pd.Series, lons: pd.Series) -> None:
    """Frame these points where most of them are (the others stay one click away in the go-to
    control, rather than zooming out to the whole globe for one row in La Réunion)."""
    known = pd.DataFrame({"lat": lats, "lon": lons}).astype(float).dropna()
    shown = busiest_area(list(zip(known["lat"], known["lon"], strict=True)))
    if shown:
        FitBounds(corners(shown), padding=40, max_zoom=FIT_MAX_ZOOM).add_to(m)


class FitBounds(FactoryElement):
    """Frame a box, also when the map was created hidden (done once it first gets a size: Leaflet's
    fitBounds on a zero-size map, created hidden in a closed tab, zooms out to the whole world;
    static/js/when-sized.js)."""

    factory = "whenSized"

    def __init__(self, bounds: list[list[float]], padding: int, max_zoom: int):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.options = {"padding": [padding, padding], "maxZoom": max_zoom}

    def arguments(self) -> list[str]:
        fit = (
            f"{self.map_name()}.fitBounds({script_json(self.bounds)}, {script_json(self.options)})"
        )
        return [f"function () {{ {fit}; }}"]


FRANCE_CENTER = (46.6, 2.4)


FRANCE_ZOOM = 6
