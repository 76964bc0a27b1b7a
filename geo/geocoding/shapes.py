"""Shipped French geometry at run time: commune points, base-map outlines, true perimeters,
point-in-territory lookup, equal-area areas and the postal-code table.

Everything is read from data/geometry/ and data/postal/ (built by scripts/build_geometry.py),
lazily and once per process. Only numpy, pandas, shapely and the standard library are used.

Levels and their codes: ``"region"`` and ``"departement"`` (INSEE codes, e.g. ``"32"``, ``"2A"``),
``"epci"`` and ``"ept"`` (SIREN), ``"commune"`` (INSEE commune code, COG 2026).

API::

    commune_points(kinds=("commune",)) -> DataFrame[kind, code, name, commune, lat, lon, method]
    former_communes() -> DataFrame[code, name, kind, commune, commune_name]
    outline_layers() -> dict                      # compact base layer, see "Outline payload"
    outline_geojson(layer) -> dict                # the same layer decoded to a FeatureCollection
    perimeters(level) -> Series[code -> MultiPolygon]
    perimeter(level, codes) -> shapely geometry   # union when several codes; KeyError if unknown
    perimeter_geojson(level, codes, tolerance=0.0, decimals=5) -> dict   # GeoJSON geometry
    bounds(level, codes) -> (south, west, north, east)
    locate(lats, lons) -> DataFrame[commune, departement, region, epci, ept]  # "" = outside
    area_km2(geometry) -> float | ndarray
    communes_for_postcode(postcode) -> list[str]
    postcodes_for_commune(code) -> list[str]
    postcode_table() -> DataFrame[postcode, code, kind, commune]
    encode_multipolygons(geoms, unit) / decode_multipolygons(arrays, unit)   # storage codec

Outline payload (``outline_layers()``, sent to the browser as JSON): ``{"unit": u, "regions":
[...], "departements": [...]}``; each feature is ``{"code", "name", "polygons"}`` where
``polygons`` is a list of polygons, a polygon a list of rings (exterior first), and a ring a flat
integer list ``[x0, y0, dx1, dy1, ...]``: the first vertex in units of ``u`` degrees (lon, lat),
then differences to the previous vertex. A browser decodes a ring with a running sum times ``u``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import shapely
from shapely import GeometryType

from geo.geocoding.paths import DATA_DIR

LEVELS = ("region", "departement", "epci", "ept", "commune")
PERIMETER_UNIT = 1e-5  # degrees per stored integer step in perimeter files (about 1 m)
EARTH_RADIUS_KM = 6371.0072  # authalic radius: the sphere with the WGS84 ellipsoid's area


# --------------------------------------------------------------------------- storage codec


def _per_degree(unit: float) -> float:
    """Integer steps per degree; dividing by it (not multiplying by ``unit``) keeps 11.0 exact."""
    return float(round(1.0 / unit))


def encode_multipolygons(geoms: Sequence[shapely.Geometry], unit: float) -> dict[str, np.ndarray]:
    """Quantise (multi)polygons to integer steps of ``unit`` degrees, delta-coded per ring.

    Delta coding makes the integers small, so a zip of the arrays is several times smaller than
    WKB. Geometries are expected already snapped to the ``unit`` grid (shapely.set_precision).
    """
    multi = [g if g.geom_type == "MultiPolygon" else shapely.multipolygons([g]) for g in geoms]
    _, coords, (rings, polygons, parts) = shapely.to_ragged_array(multi)
    steps = np.rint(np.asarray(coords) * _per_degree(unit)).astype(np.int64)
    deltas = np.diff(steps, axis=0, prepend=np.zeros((1, 2), np.int64))
    starts = rings[:-1][rings[:-1] < len(steps)]
    deltas[starts] = steps[starts]
    return {
        "coords": deltas.astype(np.int32),
        "rings": rings.astype(np.int32),
        "polygons": polygons.astype(np.int32),
        "parts": parts.astype(np.int32),
    }


def decode_multipolygons(arrays: dict[str, np.ndarray], unit: float) -> np.ndarray:
    """Inverse of encode_multipolygons: an array of shapely MultiPolygons."""
    deltas = arrays["coords"].astype(np.int64)
    rings = arrays["rings"].astype(np.int64)
    totals = np.cumsum(deltas, axis=0)
    before_ring = np.zeros((len(rings) - 1, 2), np.int64)
    has_previous = rings[:-1] > 0
    before_ring[has_previous] = totals[rings[:-1][has_previous] - 1]
    steps = totals - np.repeat(before_ring, np.diff(rings), axis=0)
    offsets = (rings, arrays["polygons"].astype(np.int64), arrays["parts"].astype(np.int64))
    coords = steps / _per_degree(unit)
    return shapely.from_ragged_array(GeometryType.MULTIPOLYGON, coords, offsets)


# --------------------------------------------------------------------------- loading


def _geometry_dir() -> Path:
    return DATA_DIR / "geometry"


def _read_csv(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False)


@cache
def _points() -> pd.DataFrame:
    frame = _read_csv(_geometry_dir() / "points.csv.gz")
    frame["lat"] = pd.to_numeric(frame["lat"])
    frame["lon"] = pd.to_numeric(frame["lon"])
    return frame


@lru_cache(maxsize=len(LEVELS))
def _level(level: str) -> tuple[np.ndarray, dict[str, int], dict[str, np.ndarray]]:
    """Geometries, code -> row index, and extra string columns of one perimeter level."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    with np.load(_geometry_dir() / f"perimeters_{level}.npz") as npz:
        arrays = {name: npz[name] for name in npz.files}
    geoms = decode_multipolygons(arrays, PERIMETER_UNIT)
    codes = arrays.pop("codes").astype(str)
    extra = {name[len("col_") :]: arrays[name].astype(str) for name in arrays if name[:4] == "col_"}
    return geoms, {code: i for i, code in enumerate(codes)}, {"code": codes, **extra}


@cache
def _commune_tree() -> shapely.STRtree:
    return shapely.STRtree(_level("commune")[0])


@cache
def _postcodes() -> pd.DataFrame:
    return _read_csv(DATA_DIR / "postal" / "postcodes.csv.gz")


# --------------------------------------------------------------------------- points and codes


def commune_points(kinds: Iterable[str] = ("commune",)) -> pd.DataFrame:
    """Point of each commune (town hall inside its polygon, else a point inside the polygon).

    ``kinds`` selects rows among ``commune``, ``arrondissement`` (Paris, Lyon, Marseille) and
    ``deleguee``/``associee`` (former communes; ``commune`` gives today's commune). ``method``
    says how the point was chosen (see data/geometry/SOURCE.md).
    """
    frame = _points()
    return frame[frame["kind"].isin(list(kinds))].reset_index(drop=True)


@cache
def former_communes() -> pd.DataFrame:
    """Former communes (delegated, associated, merged) with the code of today's commune."""
    return _read_csv(_geometry_dir() / "former_communes.csv.gz")


# --------------------------------------------------------------------------- outlines


@cache
def outline_layers() -> dict:
    """The compact régions + départements payload for the base map (format in module doc)."""
    return json.loads((_geometry_dir() / "outlines.json").read_text(encoding="utf-8"))


def _decode_ring(ring: list[int], unit: float) -> list[list[float]]:
    steps = np.cumsum(np.asarray(ring, np.int64).reshape(-1, 2), axis=0)
    return (steps / _per_degree(unit)).tolist()


def outline_geojson(layer: str) -> dict:
    """One outline layer ("regions" or "departements") as a GeoJSON FeatureCollection."""
    payload = outline_layers()
    unit = payload["unit"]
    features = [
        {
            "type": "Feature",
            "properties": {"code": feature["code"], "name": feature["name"]},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [_decode_ring(ring, unit) for ring in polygon]
                    for polygon in feature["polygons"]
                ],
            },
        }
        for feature in payload[layer]
    ]
    return {"type": "FeatureCollection", "features": features}


# --------------------------------------------------------------------------- perimeters


@lru_cache(maxsize=len(LEVELS))
def perimeters(level: str) -> pd.Series:
    """Every unit of a level: a Series of shapely MultiPolygons indexed by code (read-only)."""
    geoms, _, columns = _level(level)
    return pd.Series(geoms, index=pd.Index(columns["code"], name="code"), name=level)


def perimeter(level: str, codes: str | Iterable[str]) -> shapely.Geometry:
    """True outline of one unit, or the union of several units of the same level."""
    geoms, index, _ = _level(level)
    wanted = [codes] if isinstance(codes, str) else list(codes)
    missing = [code for code in wanted if code not in index]
    if missing or not wanted:
        raise KeyError(f"no {level} perimeter for {missing or 'an empty list'}")
    parts = geoms[[index[code] for code in wanted]]
    return parts[0] if len(parts) == 1 else shapely.union_all(parts, grid_size=PERIMETER_UNIT)


def perimeter_geojson(
    level: str, codes: str | Iterable[str], tolerance: float = 0.0, decimals: int = 5
) -> dict:
    """GeoJSON geometry of ``perimeter``; ``tolerance`` (degrees) simplifies it for display."""
    geom = perimeter(level, codes)
    if tolerance > 0:
        geom = shapely.simplify(geom, tolerance, preserve_topology=True)
    geom = shapely.set_precision(geom, 10.0**-decimals)
    return json.loads(shapely.to_geojson(geom))


def bounds(level: str, codes: str | Iterable[str]) -> tuple[float, float, float, float]:
    """(south, west, north, east) of a perimeter, the order Leaflet's fitBounds takes."""
    west, south, east, north = shapely.bounds(perimeter(level, codes)).tolist()
    return south, west, north, east


def locate(lats: Sequence[float] | np.ndarray, lons: Sequence[float] | np.ndarray) -> pd.DataFrame:
    """Commune, département, région, EPCI and EPT containing each point ("" when none).

    One STRtree query over the commune polygons; a point on a shared border goes to the
    commune with the lowest row (stable). EPCI and EPT are empty where the commune has none.
    """
    lat = np.asarray(lats, dtype=float)
    lon = np.asarray(lons, dtype=float)
    points = shapely.points(lon, lat)
    hits = _commune_tree().query(points, predicate="intersects")
    first = np.full(len(points), -1, dtype=np.int64)
    order = np.lexsort((hits[1], hits[0]))
    point_idx, commune_idx = hits[0][order], hits[1][order]
    is_first = np.r_[True, point_idx[1:] != point_idx[:-1]] if len(point_idx) else point_idx
    first[point_idx[is_first]] = commune_idx[is_first]
    _, _, columns = _level("commune")
    found = first >= 0
    out = {}
    for name in ("code", "departement", "region", "epci", "ept"):
        values = np.full(len(points), "", dtype=object)
        values[found] = columns[name][first[found]]
        out["commune" if name == "code" else name] = values
    return pd.DataFrame(out)


def area_km2(geometry: shapely.Geometry | np.ndarray) -> float | np.ndarray:
    """Area on the sphere of lon/lat geometries, in km².

    Sinusoidal projection around each geometry's own central meridian: it is equal-area, so
    the planar area of the projected shape is its spherical area (authalic radius).
    """

    def project(geom: shapely.Geometry) -> float:
        if geom is None or geom.is_empty:
            return 0.0
        west, _, east, _ = geom.bounds
        lon0 = (west + east) / 2

        def sinusoidal(xy: np.ndarray) -> np.ndarray:
            lat = np.radians(xy[:, 1])
            x = EARTH_RADIUS_KM * np.radians(xy[:, 0] - lon0) * np.cos(lat)
            return np.column_stack([x, EARTH_RADIUS_KM * lat])

        return float(shapely.area(shapely.transform(geom, sinusoidal)))

    if isinstance(geometry, np.ndarray):
        return np.array([project(g) for g in geometry])
    return project(geometry)


# --------------------------------------------------------------------------- postal codes


def postcode_table() -> pd.DataFrame:
    """La Poste's postal code <-> commune (or municipal arrondissement) pairs.

    ``kind`` is ``commune`` or ``arrondissement``; ``commune`` is the INSEE code of the
    commune itself, or of the arrondissement's commune (75056, 69123, 13055).
    """
    return _postcodes()


def _grouped(keys: pd.Series, values: pd.Series) -> dict[str, np.ndarray]:
    """key -> sorted unique values, built with one sort instead of a Python loop per group."""
    pairs = pd.DataFrame({"key": keys, "value": values}).drop_duplicates()
    pairs = pairs.sort_values(["key", "value"], kind="stable")
    uniq, starts = np.unique(pairs["key"].to_numpy(dtype=object), return_index=True)
    return dict(zip(uniq, np.split(pairs["value"].to_numpy(dtype=object), starts[1:]), strict=True))


@cache
def _by_postcode() -> dict[str, np.ndarray]:
    table = _postcodes()
    return _grouped(table["postcode"], table["code"])


@cache
def _by_commune() -> dict[str, np.ndarray]:
    table = _postcodes()
    keys = pd.concat([table["code"], table["commune"]], ignore_index=True)
    return _grouped(keys, pd.concat([table["postcode"]] * 2, ignore_index=True))


def communes_for_postcode(postcode: str) -> list[str]:
    """INSEE codes (arrondissement codes for Paris, Lyon, Marseille) served by a postal code."""
    return _by_postcode().get(str(postcode).strip().zfill(5), np.array([])).tolist()


def postcodes_for_commune(code: str) -> list[str]:
    """Postal codes of a commune; Paris, Lyon, Marseille get their arrondissements' codes."""
    return _by_commune().get(str(code).strip(), np.array([])).tolist()
