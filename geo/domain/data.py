"""Load the curated CSVs of data/ and check their invariants, for the app and the tests alike.

Every file is read as text (codes keep their leading zeros, unknown stays an empty string) and
every problem found is reported at once, naming the file, the spreadsheet line and the fault,
so that a non-developer editing a CSV knows exactly what to fix. Nothing is dropped silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from geo.config import LEVER_KINDS
from geo.domain.errors import DataValidationError
from geo.geocoding.gazetteer import departement_regions
from geo.geocoding.kinds import TERRITORY_KINDS
from geo.geocoding.paths import DATA_DIR

SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
URL = re.compile(r"^https?://\S+$")
LIST_SEPARATOR = ";"
# How a territory → lever link is known: a source says so, a written rule of lever_rules.csv
# suggests it from the territory's documented themes, or it rests on the label alone.
LINK_BASES = ("stated", "suggested", "inferred")

COLUMNS = {
    "territories.csv": [
        "id",
        "name",
        "wave",
        "label_date",
        "kind",
        "official_name",
        "entity_code",
        "departement_codes",
        "region_code",
        "seat",
        "seat_code",
        "porteur",
        "challenges",
        "challenges_en",
        "themes",
        "website",
        "note",
        "note_en",
        "sources",
    ],
    "levers.csv": [
        "id",
        "kind",
        "name_fr",
        "name_en",
        "summary_fr",
        "summary_en",
        "tools",
        "source",
        "no_territory_note_fr",
        "no_territory_note_en",
    ],
    "territory_levers.csv": [
        "territory_id",
        "lever_id",
        "basis",
        "rule_id",
        "rationale_fr",
        "rationale_en",
        "source",
    ],
    "lever_rules.csv": ["id", "theme_id", "lever_id", "rationale_fr", "rationale_en", "source"],
    "regions.csv": [
        "code",
        "name",
        "chef_lieu",
        "chef_lieu_code",
        "population",
        "population_year",
        "cress_name",
        "cress_website",
        "sse_jobs",
        "sse_share_pct",
        "sse_share_basis",
        "sse_year",
        "sse_source",
        "sources",
        "sse_compared_share_pct",
        "sse_compared_year",
        "sse_compared_basis",
        "sse_compared_source",
    ],
    "themes.csv": ["id", "name_fr", "name_en"],
}


@dataclass(frozen=True)
class Dataset:
    """The six curated tables, validated together."""

    territories: pd.DataFrame
    levers: pd.DataFrame
    links: pd.DataFrame
    regions: pd.DataFrame
    themes: pd.DataFrame
    rules: pd.DataFrame


def split_list(cell: str) -> list[str]:
    """Items of a ';'-separated cell, stripped, empties removed."""
    return [item.strip() for item in cell.split(LIST_SEPARATOR) if item.strip()]


def load_dataset(data_dir: Path = DATA_DIR) -> Dataset:
    """Read and validate every curated file; raise DataValidationError listing all problems."""
    tables = {name: _read(data_dir / name) for name in COLUMNS}
    problems = [p for name, table in tables.items() for p in _missing_columns(name, table)]
    if problems:
        raise DataValidationError(problems)
    dataset = Dataset(
        territories=tables["territories.csv"],
        levers=tables["levers.csv"],
        links=tables["territory_levers.csv"],
        regions=tables["regions.csv"],
        themes=tables["themes.csv"],
        rules=tables["lever_rules.csv"],
    )
    problems = validate(dataset)
    if problems:
        raise DataValidationError(problems)
    return dataset


def _read(path: Path) -> pd.DataFrame:
    if not path.exists():
        raise DataValidationError([f"{path.name}: file not found in {path.parent}"])
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    return table.apply(lambda column: column.str.strip())


def _missing_columns(name: str, table: pd.DataFrame) -> list[str]:
    missing = [c for c in COLUMNS[name] if c not in table.columns]
    return [f"{name}: missing column(s) {', '.join(missing)}"] if missing else []


def validate(dataset: Dataset) -> list[str]:
    """Every invariant of the curated data, as a list of human-readable problems (empty if fine)."""
    departements = departement_regions()
    region_codes = set(dataset.regions["code"])
    theme_ids = set(dataset.themes["id"])
    lever_ids = set(dataset.levers["id"])
    territory_ids = set(dataset.territories["id"])
    problems: list[str] = []
    problems += _unique("territories.csv", dataset.territories, ["id"])
    problems += _unique("levers.csv", dataset.levers, ["id"])
    problems += _unique("regions.csv", dataset.regions, ["code"])
    problems += _unique("themes.csv", dataset.themes, ["id"])
    problems += _unique("territory_levers.csv", dataset.links, ["territory_id", "lever_id"])
    problems += _unique("lever_rules.csv", dataset.rules, ["id"])
    problems += _rows(
        "territories.csv",
        dataset.territories,
        lambda row: _territory_problems(row, departements, region_codes, theme_ids),
    )
    problems += _rows("levers.csv", dataset.levers, _lever_problems)
    problems += _rows(
        "lever_rules.csv", dataset.rules, lambda row: _rule_problems(row, theme_ids, lever_ids)
    )
    problems += _rows(
        "territory_levers.csv",
        dataset.links,
        lambda row: _link_problems(row, territory_ids, lever_ids),
    )
    problems += _suggestion_problems(dataset)
    problems += _coverage_problems(dataset)
    problems += _rows("regions.csv", dataset.regions, _region_problems)
    problems += _compared_series_problems(dataset.regions)
    problems += _rows("themes.csv", dataset.themes, _theme_problems)
    substantive = dataset.levers.loc[dataset.levers["kind"] != "framework", "id"]
    linked = set(dataset.links.loc[dataset.links["lever_id"].isin(substantive), "territory_id"])
    problems += _rows(
        "territories.csv",
        dataset.territories,
        lambda row: (
            []
            if row["id"] in linked
            else [
                "no link to a lever or thematic area in territory_levers.csv (every territory needs one)"
            ]
        ),
    )
    return problems


def _rows(name: str, table: pd.DataFrame, check: Callable[[pd.Series], Iterable[str]]) -> list[str]:
    """Run a row check; line numbers are those a spreadsheet shows (header on line 1)."""
    return [
        f"{name}, line {_line(index)} ({_row_label(row)}): {problem}"
        for index, row in table.iterrows()
        for problem in check(row)
    ]


def _line(label: Hashable) -> int:
    """The line a spreadsheet shows for a row, under the header on line 1: the tables keep
    read_csv's labels, each row's number among the data rows from 0."""
    assert isinstance(label, int), f"row label {label!r} is no row number"
    return label + 2


def _row_label(row: pd.Series) -> str:
    for key in ("id", "code", "territory_id"):
        if row.get(key):
            suffix = f" → {row['lever_id']}" if key == "territory_id" else ""
            return f"{row[key]}{suffix}"
    return "no id"


def _unique(name: str, table: pd.DataFrame, keys: list[str]) -> list[str]:
    duplicated = table[table.duplicated(keys, keep="first")]
    return [
        f"{name}, line {_line(index)}: duplicate {'/'.join(keys)} {' / '.join(row[k] for k in keys)!r}"
        for index, row in duplicated.iterrows()
    ]


def _required(row: pd.Series, columns: Iterable[str]) -> list[str]:
    return [f"{column} is empty" for column in columns if not row[column]]


def _urls(row: pd.Series, column: str, required: bool = True) -> list[str]:
    urls = split_list(row[column])
    if required and not urls:
        return [f"{column} needs at least one source URL"]
    return [f"{column}: {url!r} is not an http(s) URL" for url in urls if not URL.match(url)]


def _territory_problems(
    row: pd.Series, departements: dict[str, str], region_codes: set[str], theme_ids: set[str]
) -> list[str]:
    # departement_codes may stay empty when no source gives the perimeter (placed by region then).
    problems = _required(row, ["id", "name", "wave", "kind", "region_code"])
    if row["id"] and not SLUG.match(row["id"]):
        problems.append(f"id {row['id']!r} is not a lowercase slug (letters, digits, hyphens)")
    if row["wave"] not in ("1", "2"):
        problems.append(f"wave must be 1 or 2, not {row['wave']!r}")
    if row["label_date"] and not _is_iso_date(row["label_date"]):
        problems.append(f"label_date {row['label_date']!r} is not an ISO date (YYYY-MM-DD)")
    if row["kind"] and row["kind"] not in TERRITORY_KINDS:
        problems.append(f"kind {row['kind']!r} is not one of {', '.join(TERRITORY_KINDS)}")
    if row["region_code"] and row["region_code"] not in region_codes:
        problems.append(f"region_code {row['region_code']!r} is not in regions.csv")
    for code in split_list(row["departement_codes"]):
        if code not in departements:
            problems.append(f"departement code {code!r} is not an INSEE département code")
        elif departements[code] != row["region_code"]:
            problems.append(
                f"département {code} belongs to region {departements[code]}, "
                f"not to region_code {row['region_code']}"
            )
    if row["seat_code"] and departement_of_commune(row["seat_code"]) not in split_list(
        row["departement_codes"]
    ):
        problems.append(f"seat_code {row['seat_code']!r} is outside the territory's départements")
    problems += [
        f"theme {theme!r} is not an id of themes.csv"
        for theme in split_list(row["themes"])
        if theme not in theme_ids
    ]
    if len(split_list(row["challenges"])) != len(split_list(row["challenges_en"])):
        problems.append("challenges and challenges_en do not have the same number of items")
    problems += _urls(row, "sources")
    problems += _urls(row, "website", required=False)
    return problems


def _lever_problems(row: pd.Series) -> list[str]:
    problems = _required(row, ["id", "kind", "name_fr", "name_en", "summary_fr", "summary_en"])
    if row["kind"] and row["kind"] not in LEVER_KINDS:
        problems.append(f"kind {row['kind']!r} is not one of {', '.join(LEVER_KINDS)}")
    return problems + _urls(row, "source")


def _link_problems(row: pd.Series, territory_ids: set[str], lever_ids: set[str]) -> list[str]:
    problems = _required(row, ["rationale_fr", "rationale_en"])
    if row["territory_id"] not in territory_ids:
        problems.append(f"territory_id {row['territory_id']!r} is not in territories.csv")
    if row["lever_id"] not in lever_ids:
        problems.append(f"lever_id {row['lever_id']!r} is not in levers.csv")
    if row["basis"] not in LINK_BASES:
        problems.append(f"basis {row['basis']!r} is not one of {', '.join(LINK_BASES)}")
    if row["basis"] == "suggested" and not row["rule_id"]:
        problems.append("a suggested link needs the rule_id of its rule in lever_rules.csv")
    if row["basis"] in ("stated", "inferred") and row["rule_id"]:
        problems.append(f"rule_id is only for suggested links, not for a {row['basis']} one")
    return problems + _urls(row, "source")


def _rule_problems(row: pd.Series, theme_ids: set[str], lever_ids: set[str]) -> list[str]:
    problems = _required(row, ["id", "theme_id", "lever_id", "rationale_fr", "rationale_en"])
    if row["theme_id"] and row["theme_id"] not in theme_ids:
        problems.append(f"theme_id {row['theme_id']!r} is not an id of themes.csv")
    if row["lever_id"] and row["lever_id"] not in lever_ids:
        problems.append(f"lever_id {row['lever_id']!r} is not in levers.csv")
    return problems + _urls(row, "source")


def _suggestion_problems(dataset: Dataset) -> list[str]:
    """A suggested link must follow its rules from the territory's own themes and sources, and
    every rule must be applied wherever it matches (unless a stated/inferred link already exists),
    so that the suggestions are reproducible from lever_rules.csv."""
    rules = dataset.rules.set_index("id")
    territories = dataset.territories.set_index("id")
    problems: list[str] = []
    for index, link in dataset.links[dataset.links["basis"] == "suggested"].iterrows():
        where = f"territory_levers.csv, line {_line(index)} ({_row_label(link)})"
        territory = (
            territories.loc[link["territory_id"]]
            if link["territory_id"] in territories.index
            else None
        )
        for rule_id in split_list(link["rule_id"]):
            if rule_id not in rules.index:
                problems.append(f"{where}: rule_id {rule_id!r} is not in lever_rules.csv")
                continue
            rule = rules.loc[rule_id]
            if rule["lever_id"] != link["lever_id"]:
                problems.append(
                    f"{where}: rule {rule_id!r} suggests {rule['lever_id']!r}, not this lever"
                )
            if territory is not None and rule["theme_id"] not in split_list(territory["themes"]):
                problems.append(
                    f"{where}: the territory has no theme {rule['theme_id']!r} (rule {rule_id!r})"
                )
        if territory is not None:
            foreign = set(split_list(link["source"])) - set(split_list(territory["sources"]))
            if foreign:
                problems.append(
                    f"{where}: source {', '.join(sorted(foreign))} is not among the territory's own "
                    "sources (a suggestion cites the territory's source for its theme)"
                )
    linked = set(zip(dataset.links["territory_id"], dataset.links["lever_id"], strict=True))
    for index, rule in dataset.rules.iterrows():
        missing = [
            tid
            for tid, themes in zip(
                dataset.territories["id"], dataset.territories["themes"], strict=True
            )
            if rule["theme_id"] in split_list(themes) and (tid, rule["lever_id"]) not in linked
        ]
        if missing:
            problems.append(
                f"lever_rules.csv, line {_line(index)} ({rule['id']}): no link to {rule['lever_id']!r} "
                f"for {', '.join(missing)}, whose themes match (add suggested links citing this rule)"
            )
    return problems


def _coverage_problems(dataset: Dataset) -> list[str]:
    """No lever or area may look silently empty: one without a stated link needs the words saying
    that no labelled territory documents it (its suggested territories, if any, come on top)."""
    stated = set(dataset.links.loc[dataset.links["basis"] == "stated", "lever_id"])
    return _rows(
        "levers.csv",
        dataset.levers,
        lambda row: (
            []
            if row["id"] in stated or (row["no_territory_note_fr"] and row["no_territory_note_en"])
            else [
                "no stated link in territory_levers.csv: fill no_territory_note_fr and "
                "no_territory_note_en (no labelled territory documents it; what the study says)"
            ]
        ),
    )


def _region_problems(row: pd.Series) -> list[str]:
    problems = _required(row, ["code", "name", "chef_lieu"])
    for column in ("population", "population_year", "sse_jobs", "sse_year"):
        if row[column] and not row[column].isdigit():
            problems.append(f"{column} {row[column]!r} is not a whole number")
    if row["sse_share_pct"] and not _is_number(row["sse_share_pct"]):
        problems.append(f"sse_share_pct {row['sse_share_pct']!r} is not a number")
    if (row["sse_jobs"] or row["sse_share_pct"]) and not row["sse_source"]:
        problems.append("an SSE figure needs its sse_source URL")
    problems += _urls(row, "sse_source", required=False)
    problems += _urls(row, "cress_website", required=False)
    if row["sse_compared_share_pct"]:
        if not _is_number(row["sse_compared_share_pct"]):
            problems.append(
                f"sse_compared_share_pct {row['sse_compared_share_pct']!r} is not a number"
            )
        problems += [
            f"{column} is empty (a compared figure needs its year, basis and source)"
            for column in ("sse_compared_year", "sse_compared_basis", "sse_compared_source")
            if not row[column]
        ]
    problems += _urls(row, "sse_compared_source", required=False)
    return problems + _urls(row, "sources")


def _compared_series_problems(regions: pd.DataFrame) -> list[str]:
    """The compared figure is one series: a single year and a single basis for every region."""
    filled = regions[regions["sse_compared_share_pct"] != ""]
    problems = []
    for column in ("sse_compared_year", "sse_compared_basis"):
        values = sorted(set(filled[column]))
        if len(values) > 1:
            problems.append(
                f"regions.csv: {column} mixes {', '.join(map(repr, values))} (one series only)"
            )
    return problems


def _theme_problems(row: pd.Series) -> list[str]:
    return _required(row, ["id", "name_fr", "name_en"])


def departement_of_commune(commune_code: str) -> str:
    """INSEE département of a commune code: three characters overseas (97x), two otherwise."""
    return commune_code[:3] if commune_code.startswith("97") else commune_code[:2]


def _is_iso_date(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
