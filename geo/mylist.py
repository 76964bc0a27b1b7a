"""A user's own list on the map, beside the French Impact territories (dashboard and `geo map`).

Each resolved row becomes a point coloured by its category, with the row's own columns in its
popup and the nearest labelled territory with its levers, so that a CRESS's members or a
network's projects can be read against the territories and the study's levers.
"""

from __future__ import annotations

import folium
import numpy as np
import pandas as pd
from geopy.location import Location

from geo.config import MAX_CELL_CHARS
from geo.data import Dataset
from geo.geocoding.batch import GEO_COLUMNS, BatchResult, geo_row
from geo.geocoding.geocoder import RESOLVED, Match, OfflineGeocoder
from geo.i18n import t
from geo.maps import (
    CategoryLegend,
    PointLayer,
    build_territory_map,
    category_colors,
    fit_points,
)
from geo.views import lever_labels


def nearest_territory(lats: np.ndarray, lons: np.ndarray, placed: pd.DataFrame) -> np.ndarray:
    """Index (row position in `placed`) of the closest labelled territory to each point."""
    anchors = placed.dropna(subset=["lat", "lon"])
    if anchors.empty or len(lats) == 0:
        return np.full(len(lats), -1)
    t_lat = anchors["lat"].to_numpy()[None, :]
    t_lon = anchors["lon"].to_numpy()[None, :]
    dx = (lons[:, None] - t_lon) * np.cos(np.radians(lats[:, None]))
    dy = lats[:, None] - t_lat
    positions = np.argmin(dx * dx + dy * dy, axis=1)
    return placed.index.get_indexer(anchors.index[positions])


def add_list_layer(
    m: folium.Map,
    table: pd.DataFrame,
    label_column: str,
    category_column: str | None,
    dataset: Dataset,
    placed: pd.DataFrame,
    lang: str,
) -> int:
    """Draw the resolved rows of a geocoded table on `m`; returns how many were drawn."""
    resolved = table[(table["geo_status"] == RESOLVED) & table["geo_lat"].notna()]
    columns = [c for c in table.columns if c not in GEO_COLUMNS] + ["geo_label"]
    categories = (
        resolved[category_column].fillna("").astype(str).replace("", "—").tolist()
        if category_column
        else ["—"] * len(resolved)
    )
    colors = category_colors(categories) if categories else {}
    palette = list(dict.fromkeys(colors.values()))
    lats = resolved["geo_lat"].astype(float).to_numpy()
    lons = resolved["geo_lon"].astype(float).to_numpy()
    nearest = nearest_territory(lats, lons, placed)
    values = resolved[columns].astype(str).map(lambda v: v[:MAX_CELL_CHARS]).to_numpy().tolist()
    labels = resolved[label_column].astype(str).str.slice(0, 120).tolist()
    rows = [
        [round(lat, 5), round(lon, 5), palette.index(colors[cat]), label, int(near), *vals]
        for lat, lon, cat, label, near, vals in zip(
            lats, lons, categories, labels, nearest, values, strict=True
        )
    ]
    territories = [
        (name, " · ".join(lever_labels(dataset, tid, lang)))
        for tid, name in zip(placed["id"], placed["name"], strict=True)
    ]
    PointLayer(
        rows,
        columns,
        palette,
        territories,
        {"nearest": t("nearest_territory", lang), "levers": t("popup_levers", lang)},
    ).add_to(m)
    if category_column and colors:
        CategoryLegend(colors, category_column).add_to(m)
    return len(rows)


def build_list_map(
    table: pd.DataFrame,
    label_column: str,
    category_column: str | None,
    dataset: Dataset,
    placed: pd.DataFrame,
    lang: str = "fr",
    basemap: str = "osm",
) -> folium.Map:
    """The territories' map with the user's list as a layer of its own."""
    levers = {tid: lever_labels(dataset, tid, lang) for tid in placed["id"]}
    m = build_territory_map(placed, levers, lang, basemap)
    add_list_layer(m, table, label_column, category_column, dataset, placed, lang)
    resolved = table[table["geo_status"] == RESOLVED]
    fit_points(m, resolved["geo_lat"], resolved["geo_lon"])
    return m


def candidate_label(location) -> str:
    """How a candidate reads in the review table: name, where, and its official code."""
    raw = location.raw
    return f"{raw['name']} ({raw['departement'] or raw['region']}) · {raw['code']}"


def candidate_options(matches: list[Match]) -> dict[str, Location]:
    """Every candidate of the rows that need a choice, by its label."""
    return {
        candidate_label(candidate): candidate
        for match in matches
        if match.status != RESOLVED
        for candidate in match.candidates
    }


def review_table(result: BatchResult, name_column: str, hint_columns: list[str]) -> pd.DataFrame:
    """The table the user reviews and corrects: status, match, confidence, a choice to make."""
    table = result.table
    review = pd.DataFrame(
        {
            "row": range(1, len(table) + 1),
            "geo_status": table["geo_status"],
            name_column: table[name_column],
            **{column: table[column] for column in hint_columns},
            "geo_label": table["geo_label"],
            "geo_departement": table["geo_departement"],
            "geo_confidence": table["geo_confidence"],
            "choice": [""] * len(table),
        },
        index=table.index,
    )
    return review


def apply_review(
    result: BatchResult,
    edited: pd.DataFrame,
    options: dict[str, Location],
    geocoder: OfflineGeocoder,
    name_column: str,
    region_column: str | None,
    departement_column: str | None,
) -> BatchResult:
    """Apply the user's corrections: a picked candidate wins; an edited name or hint is re-geocoded.

    Rows keep their order and their other columns; untouched rows keep their answer.
    """
    table = result.table.copy()
    matches = list(result.matches)
    edited_columns = [c for c in (name_column, region_column, departement_column) if c]
    for position, (index, row) in enumerate(edited.iterrows()):
        choice = row.get("choice") or ""
        changed = any(str(row[c]) != str(table.at[index, c]) for c in edited_columns)
        if choice in options:
            location = options[choice]
            picked = Location(location.address, location.point, location.raw | {"method": "pick"})
            matches[position] = Match(RESOLVED, picked, (picked,))
        elif changed:
            for column in edited_columns:
                table.at[index, column] = row[column]
            matches[position] = geocoder.resolve(
                str(row[name_column]),
                region=str(row[region_column]) or None if region_column else None,
                departement=str(row[departement_column]) or None if departement_column else None,
            )
    geo = pd.DataFrame([geo_row(m) for m in matches], columns=GEO_COLUMNS, index=table.index)
    table[GEO_COLUMNS] = geo
    return BatchResult(table, matches, result.warnings)
