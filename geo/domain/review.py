"""The review of a user's geocoded list: which rows a person should check, each row's own
candidates, corrections kept beside the input, and the places (EPCI, labelled territory) that
hold each placed row's point.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd
import shapely
from geopy.location import Location

from geo.domain.perimeters import area_order, perimeter_shape, territory_perimeter
from geo.geocoding import shapes
from geo.geocoding.batch import GEO_COLUMNS, BatchResult, geo_row
from geo.geocoding.columns import PlaceColumns
from geo.geocoding.geocoder import AMBIGUOUS, NOT_FOUND, RESOLVED, Match, OfflineGeocoder
from geo.geocoding.rows import Row, resolve_row

# The column of the export that keeps a reviewer's correction beside the row's input.
CORRECTION_COLUMN = "geo_correction"


# Columns with_places appends (after GEO_COLUMNS): the EPCI holding the point, and the labelled
# territory whose perimeter holds it.
PLACE_COLUMNS = ["geo_epci", "geo_territory"]


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


def containing_territory(lats: np.ndarray, lons: np.ndarray, placed: pd.DataFrame) -> np.ndarray:
    """Row position in `placed` of the labelled territory whose true perimeter holds each point
    (the smallest when several do), -1 where none does. Approximate perimeters do not count:
    "inside" must be a fact."""
    inside = np.full(len(lats), -1)
    found = np.zeros(len(lats), dtype=bool)
    perimeters = [territory_perimeter(row) for row in placed.to_dict("records")]
    exact = [(i, p) for i, p in enumerate(perimeters) if p is not None and not p.approximate]
    for position, perimeter in area_order(exact):
        hits = ~found & shapely.contains_xy(perimeter_shape(perimeter), lons, lats)
        inside[hits] = position
        found |= hits
    return inside


def with_places(table: pd.DataFrame, placed: pd.DataFrame) -> pd.DataFrame:
    """`table` (geo_* columns) with the département, région and EPCI that contain each located
    row's point, and the labelled territory whose perimeter holds it (PLACE_COLUMNS, appended).

    An online provider's answer often lacks the département or région; a point inside France
    now gets them from the polygons, like an offline answer. A département or région the answer
    already gives is kept (an offline région's point lies in one of its départements).
    """
    out = table.copy()
    for column in PLACE_COLUMNS:
        out[column] = ""
    located = out["geo_lat"].notna() & out["geo_lon"].notna()
    lats = out.loc[located, "geo_lat"].astype(float).to_numpy()
    lons = out.loc[located, "geo_lon"].astype(float).to_numpy()
    if not len(lats):
        return out
    places = shapes.locate(lats, lons)
    for column, found in (("geo_departement", "departement"), ("geo_region", "region")):
        given = out.loc[located, column].fillna("").astype(str).to_numpy()
        out.loc[located, column] = np.where(given == "", places[found].to_numpy(), given)
    out.loc[located, "geo_epci"] = places["epci"].to_numpy()
    inside = containing_territory(lats, lons, placed)
    names = np.where(inside >= 0, placed["name"].to_numpy()[inside], "")
    out.loc[located, "geo_territory"] = names
    return out


def placed_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a geocoded table that have a point to draw: resolved rows, and homonyms
    placed at their most populous bearer (ambiguous, still among the rows to check)."""
    return table[table["geo_lat"].notna()]


def row_categories(resolved: pd.DataFrame, category_column: str | None) -> list[str]:
    """Each placed row's category ("—" when empty or when the list has no category column)."""
    if not category_column:
        return ["—"] * len(resolved)
    return resolved[category_column].fillna("").astype(str).replace("", "—").tolist()


def candidate_label(location: Location) -> str:
    """How a candidate reads in the review: name, where, and its official code."""
    raw = location.raw
    return f"{raw['name']} ({raw['departement'] or raw['region']}) · {raw['code']}"


def row_candidates(match: Match) -> dict[str, Location]:
    """The candidates of one row, by label: only its own, never another row's."""
    return {candidate_label(candidate): candidate for candidate in match.candidates}


# Notes that make a placed row a guess: a person should confirm it.
GUESS_NOTES = {"homonyms_by_size", "placed_by_postcode", "name_not_in_postcode", "hint_conflict"}


CHECK = "check"  # a placed row that is a guess (review_status), beside the geocoder's statuses


def is_guess(match: Match) -> bool:
    """A placed row that rests on a guess: a homonym chosen by size, a name replaced by its
    postal code, a hint that disagreed, or a near name (a typo) rather than the name itself."""
    if match.status != RESOLVED or match.location is None:
        return False
    if any(note.key in GUESS_NOTES for note in match.notes):
        return True
    return match.location.raw.get("method") == "name" and match.confidence < 1


def review_status(match: Match) -> str:
    """What the review says of a row: the geocoder's status, or CHECK for a placed guess."""
    return CHECK if is_guess(match) else match.status


def rows_to_check(result: BatchResult) -> list[int]:
    """Positions of the rows a person should look at: ambiguous ones, those not found, then the
    placed guesses."""
    statuses = [review_status(match) for match in result.matches]
    return [
        i for status in (AMBIGUOUS, NOT_FOUND, CHECK) for i, s in enumerate(statuses) if s == status
    ]


def input_columns(table: pd.DataFrame) -> list[str]:
    """The columns of the user's file, as it came (no geo_* column)."""
    return [c for c in table.columns if c not in GEO_COLUMNS and c != CORRECTION_COLUMN]


def correct_row(
    result: BatchResult,
    position: int,
    geocoder: OfflineGeocoder,
    columns: PlaceColumns,
    pick: Location | None = None,
    name: str = "",
    lang: str = "fr",
) -> BatchResult:
    """One row corrected: a picked candidate wins, else a corrected place is geocoded again.

    The input cells are never changed: the correction is kept in `corrections` (written to
    the export's geo_correction column); the row keeps its other cells as hints.
    """
    table = result.table.copy()
    matches = list(result.matches)
    corrections = dict(result.corrections)
    if pick is not None:
        picked = Location(pick.address, pick.point, pick.raw | {"method": "pick"})
        matches[position] = Match(RESOLVED, picked, (picked,))
        corrections[position] = candidate_label(pick)
    elif name.strip():
        row = table.iloc[position]

        def cell(column: str | None) -> str:
            return "" if not column or pd.isna(row[column]) else str(row[column]).strip()

        corrected = Row(
            name.strip(), cell(columns.postcode), cell(columns.departement), cell(columns.region)
        )
        matches[position] = resolve_row(geocoder, corrected)
        corrections[position] = name.strip()
    else:
        return result
    positions = table.columns.get_indexer(pd.Index(GEO_COLUMNS)).tolist()
    table.iloc[position, positions] = geo_row(matches[position], lang)
    return replace(result, table=table, matches=matches, corrections=corrections)


def export_table(result: BatchResult) -> pd.DataFrame:
    """The table to download: every input column as it came, the geo_* columns, and the
    reviewer's corrections in a column of their own."""
    corrections = [result.corrections.get(i, "") for i in range(len(result.table))]
    return result.table.assign(**{CORRECTION_COLUMN: corrections})
