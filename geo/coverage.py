"""How much of each région and département lives inside a labelled territory's perimeter.

Computed from the shipped data only: the perimeters of geo.perimeters (which are unions of whole
communes, COG 2026) and the communes' populations of the gazetteer. A commune counts once, however
many perimeters hold it. True perimeters (a commune, EPCI, EPT, département or région, or the
départements the data records for an area) and approximate ones (an area or cluster drawn by its
seat's intercommunality or its région, which no source gives) are counted apart: a commune inside
both counts as covered; `approximate_population` is what approximate perimeters alone add.

`scripts/build_coverage.py` writes the table to data/coverage/coverage.csv at build time; the
page reads that file (load_coverage) and never recomputes it.
"""

from __future__ import annotations

import json
from functools import cache, lru_cache

import pandas as pd

from geo.config import STATIC_DIR
from geo.formatting import number, percent
from geo.geocoding import shapes
from geo.geocoding.gazetteer import load_gazetteer
from geo.geocoding.paths import DATA_DIR
from geo.i18n import t
from geo.maps import script_json
from geo.perimeters import perimeter_members, territory_perimeter

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
                    "name": _name(gazetteer, code, level),
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


def coverage_display(table: pd.DataFrame, level: str, names: dict[str, str], lang: str):
    """The région (or département) rows with headers in `lang`, for a sortable table: shares as
    numbers (sorted as numbers), the territories by name."""
    rows = table[table["level"] == level]

    def named(ids: str) -> str:
        return ", ".join(names.get(tid, tid) for tid in ids.split(";") if tid)

    return pd.DataFrame(
        {
            t("region" if level == "region" else "departement", lang): rows["name"],
            t("coverage_col_code", lang): rows["code"],
            t("coverage_col_population", lang): rows["population"],
            t("coverage_col_share", lang): rows["covered_pct"],
            t("coverage_col_people", lang): rows["covered_population"],
            t("coverage_col_approximate", lang): rows["approximate_pct"],
            t("coverage_col_territories", lang): rows["territories"].map(named),
            t("coverage_col_approximate_territories", lang): rows["approximate_territories"].map(
                named
            ),
        }
    ).reset_index(drop=True)


# The map's classes (lower bounds, % of the population in a true perimeter) and their colours:
# ColorBrewer's sequential Greens (lightness carries the order, so it reads with colour-vision
# deficiencies and stays apart from the markers' blue and vermilion); a share of 0 is its own
# class, so that "none" never looks like "a little".
BREAKS = (0.0, 0.005, 10.0, 33.0, 66.0)
COLORS = ("#f7fcf5", "#c7e9c0", "#74c476", "#31a354", "#006d2c")
COVERAGE_SCRIPT = STATIC_DIR / "js" / "coverage.js"


def coverage_payload(lang: str) -> dict:
    """The figures the map's coverage layer shades by (format in static/js/coverage.js)."""
    table = load_coverage()
    regions = table[table["level"] == "region"].set_index("code")
    departements = table[table["level"] == "departement"].set_index("code")
    order = [feature["code"] for feature in shapes.outline_layers()["departements"]]
    labels = [percent("0", lang)] + [
        f"{number(low, lang)}–{percent(str(high), lang)}"
        for low, high in zip((0, *BREAKS[2:]), (*BREAKS[2:], 100), strict=True)
    ]
    labels[1] = f"< {percent(str(BREAKS[2]), lang)}"
    return {
        "regions": {
            code: [float(row.covered_pct), float(row.approximate_pct)]
            for code, row in regions.iterrows()
        },
        "departements": [
            [
                code,
                float(departements.at[code, "covered_pct"]),
                float(departements.at[code, "approximate_pct"]),
                departements.at[code, "name"],
            ]
            for code in order
        ],
        "breaks": list(BREAKS),
        "colors": list(COLORS),
        "labels": labels,
        "legend": t("coverage_legend", lang),
        "tip": t("coverage_tip", lang, name="{name}", share="{share}", approximate="{approximate}"),
        "locale": "fr-FR" if lang == "fr" else "en-GB",
    }


def coverage_script(lang: str) -> str:
    """static/js/coverage.js with its figures, as one script to publish."""
    return COVERAGE_SCRIPT.read_text(encoding="utf-8") + (
        f"window.fiCoveragePayload={script_json(coverage_payload(lang))};"
    )


@lru_cache(maxsize=2)
def coverage_script_url(lang: str) -> str:
    """The coverage script served once per process and language (geo.assets.publish)."""
    from geo import assets  # publishing needs the Streamlit server: only the page calls it

    return assets.publish(f"coverage-{lang}", coverage_script(lang))


def coverage_update_script(on: bool, url: str, map_name: str) -> str:
    """The JavaScript, evaluated with the map's other updates, that shows or hides the layer,
    loading its script the first time it is shown."""
    return (
        f"(function (map, on, url) {{ map.fiCoverageWanted = on;"
        f" if (window.fiCoverage) {{ window.fiCoverage(map, on); return; }}"
        f" if (!on || map.fiCoverageLoading) {{ return; }} map.fiCoverageLoading = true;"
        f" var s = document.createElement('script'); s.src = url;"
        f" s.onload = function () {{ window.fiCoverage(map, map.fiCoverageWanted); }};"
        f" document.head.appendChild(s); }})({map_name}, {json.dumps(on)}, {json.dumps(url)});"
    )
