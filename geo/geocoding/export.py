"""Downloads: CSV that opens right in a French spreadsheet, and GeoJSON.

French Excel expects ";" between fields and reads UTF-8 only with a BOM. A cell starting with
"=", "+", "-" or "@" would be run as a formula (CSV injection): such cells get a leading
apostrophe, which spreadsheets show as text.
"""

from __future__ import annotations

import json

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells that a spreadsheet would evaluate start with an apostrophe."""

    def safe(value: object) -> object:
        if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
            return "'" + value
        return value

    return table.map(safe)


def spreadsheet_csv(table: pd.DataFrame) -> bytes:
    """CSV bytes for a French spreadsheet: UTF-8 with BOM, ";" separator, decimal comma."""
    text = neutralize_formulas(table).to_csv(
        index=False, sep=";", decimal=",", lineterminator="\r\n"
    )
    return text.encode("utf-8-sig")


def to_geojson(table: pd.DataFrame, lat: str = "lat", lon: str = "lon") -> str:
    """A FeatureCollection of the rows that have a position; other columns become properties."""
    placed = table.dropna(subset=[lat, lon])
    properties = placed.drop(columns=[lat, lon]).astype(object).where(placed.notna(), None)
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [float(row_lon), float(row_lat)]},
            "properties": props,
        }
        for row_lat, row_lon, props in zip(
            placed[lat], placed[lon], properties.to_dict("records"), strict=True
        )
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)
