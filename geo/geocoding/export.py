"""Downloads: CSV that opens right in a French spreadsheet, and GeoJSON.

One CSV writer for the command line and the page (`write_csv`). A cell or header starting with
"=", "+", "-", "@", a tab or a carriage return would be run as a formula by a spreadsheet (CSV
injection): it gets a leading apostrophe, which spreadsheets show as text (`raw=True` keeps cells
as they are, for programs). Lines end in CRLF (RFC 4180), so that Python's csv module quotes every
cell holding a CR, an LF, the separator or a quote: with "\n" it left a bare CR unquoted and
two rows read back as three. French Excel expects ";" between fields and reads UTF-8 only with a
BOM (`spreadsheet_csv`).
"""

from __future__ import annotations

import csv
import json

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_formulas(table: pd.DataFrame) -> pd.DataFrame:
    """A copy where text cells that a spreadsheet would evaluate start with an apostrophe."""
    return table.map(_neutral)


def _neutral(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def csv_bytes(
    table: pd.DataFrame,
    *,
    sep: str = ",",
    decimal: str = ".",
    raw: bool = False,
    encoding: str = "utf-8",
) -> bytes:
    """The table as CSV bytes, headers and cells neutralised unless `raw`, quoted so that every
    row reads back as one row whatever its cells hold."""
    if not raw:
        table = neutralize_formulas(table)
        table.columns = [_neutral(str(column)) for column in table.columns]
    text = table.to_csv(
        index=False, sep=sep, decimal=decimal, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL
    )
    return text.encode(encoding)


def spreadsheet_csv(table: pd.DataFrame) -> bytes:
    """CSV bytes for a French spreadsheet: UTF-8 with BOM, ";" separator, decimal comma."""
    return csv_bytes(table, sep=";", decimal=",", encoding="utf-8-sig")


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
