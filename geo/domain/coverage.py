"""How much of each région and département lives inside a labelled territory's perimeter.

Computed from the shipped data only: the perimeters of geo.domain.perimeters (which are unions of whole
communes, COG 2026) and the communes' populations of the gazetteer. A commune counts once, however
many perimeters hold it. True perimeters (a commune, EPCI, EPT, département or région, or the
départements the data records for an area) and approximate ones (an area or cluster drawn by its
seat's intercommunality or its région, which no source gives) are counted apart: a commune inside
both counts as covered; `approximate_population` is what approximate perimeters alone add.

`scripts/build_coverage.py` writes the table to data/coverage/coverage.csv at build time; the
page reads that file (load_coverage) and never recomputes it.
"""

from __future__ import annotations

from functools import cache

import pandas as pd

from geo.domain.perimeters import perimeter_members, territory_perimeter
from geo.geocoding.gazetteer import load_gazetteer
from geo.geocoding.paths import DATA_DIR

COVERAGE_FILE = DATA_DIR / "coverage" / "coverage.csv"
COLUMNS = (
    "level",  # region | departement
    "code",
    "name",
    "population",
    "covered_population",  # in a true perimeter
    "covered_pct",
    "approximate_population",  # in an approximate perimeter only
    "approximate_pct",
    "territories",  # ids of the territories whose true perimeter reaches it, ";"-separated
    "approximate_territories",
)
LEVELS = ("region", "departement")


def commune_coverage(placed: pd.DataFrame, communes: pd.DataFrame) -> pd.DataFrame:
    """`communes` (code, departement, region, population) with, for each, the ids of the
    territories whose true / approximate perimeter holds it (tuples, maybe empty)."""
    true: dict[str, list[str]] = {}
    approximate: dict[str, list[str]] = {}
    for territory in placed.to_dict("records"):
        perimeter = territory_perimeter(territory)
        if perimeter is None:
            continue
        into = approximate if perimeter.approximate else true
        for code in perimeter_members(perimeter)["code"]:
            into.setdefault(code, []).append(territory["id"])
    out = communes[["code", "departement", "region", "population"]].copy()
    out["population"] = out["population"].fillna(0).astype(int)
    out["true_ids"] = out["code"].map(lambda code: tuple(true.get(code, ())))
    out["approximate_ids"] = out["code"].map(lambda code: tuple(approximate.get(code, ())))
    return out


def coverage_table(placed: pd.DataFrame) -> pd.DataFrame:
    """One row per région and per département (COLUMNS), shares in percent of the population."""
    gazetteer = load_gazetteer()
    communes = commune_coverage(placed, gazetteer.communes)
    in_true = communes["true_ids"].map(bool)
    only_approximate = ~in_true & communes["approximate_ids"].map(bool)
    communes["covered"] = communes["population"].where(in_true, 0)
    communes["approximate"] = communes["population"].where(only_approximate, 0)
    rows = []
    for level in LEVELS:
        for code, group in communes.groupby(level, sort=True):
            population = int(group["population"].sum())
            covered = int(group["covered"].sum())
            approximate = int(group["approximate"].sum())
            rows.append(
                {
                    "level": level,
                    "code": code,
                    "name": _name(gazetteer, str(code), level),
                    "population": population,
                    "covered_population": covered,
                    "covered_pct": round(100 * covered / population, 2) if population else 0.0,
                    "approximate_population": approximate,
                    "approximate_pct": round(100 * approximate / population, 2)
                    if population
                    else 0.0,
                    "territories": _ids(group["true_ids"]),
                    "approximate_territories": _ids(group["approximate_ids"]),
                }
            )
    return pd.DataFrame(rows, columns=list(COLUMNS))


def _ids(column: pd.Series) -> str:
    return ";".join(sorted({tid for ids in column for tid in ids}))


def _name(gazetteer, code: str, level: str) -> str:
    index = gazetteer.find_code(code, level)
    return code if index is None else gazetteer.names[index]


@cache
def load_coverage() -> pd.DataFrame:
    """The shipped coverage table (data/coverage/coverage.csv), codes as strings."""
    table = pd.read_csv(COVERAGE_FILE, dtype={"code": str}, keep_default_na=False)
    return table
