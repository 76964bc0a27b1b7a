"""Geocode a whole table: every input row comes back, in order, with its geo_* columns.

The command line and the dashboard share this. Identical rows (place, postal code, hints, code)
are resolved once, by geo.geocoding.rows. An online provider, when asked for, answers first;
when it fails, its circuit is open or the run's cap is reached, the offline answer stands in and
one ProviderFault per kind of fault says so. Every online answer is cached as it arrives, so a
run stopped by its progress callback (a Streamlit rerun) keeps them. Whoever answered, the
département and région come from the gazetteer, so the columns mean the same thing for every row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd
from geopy.location import Location

from geo.geocoding.columns import PlaceColumns
from geo.geocoding.geocoder import NOT_FOUND, RESOLVED, Match, OfflineGeocoder
from geo.geocoding.notes import Note, notes_text
from geo.geocoding.online import OnlineProvider, ProviderFault, ProviderRun
from geo.geocoding.readers import READ_NOTES
from geo.geocoding.rows import Row, resolve_row

# A longer cell is not a place name (a pasted paragraph): refused, and said so to the user.
MAX_CELL_CHARS = 500
TOO_LONG = {  # the warning for cells over MAX_CELL_CHARS, in the `lang` of the run
    "fr": "{count} ligne(s) ont un nom de lieu de plus de {limit} caractères et n'ont pas été "
    "géocodées (lignes {rows}) ; raccourcissez ces cellules.",
    "en": "{count} row(s) have a place name over {limit} characters and were not geocoded "
    "(rows {rows}); shorten those cells.",
}

GEO_COLUMNS = [
    "geo_status",
    "geo_lat",
    "geo_lon",
    "geo_kind",
    "geo_label",
    "geo_code",
    "geo_departement",
    "geo_region",
    "geo_confidence",
    "geo_source",
    # Added with issue 11, at the end so that existing readers of the columns keep working.
    "geo_precision",  # what the point stands for: commune, arrondissement, epci, ..., place
    "geo_note",  # why a row is ambiguous, how its cells were read (see geo.geocoding.notes)
]
NOTE_POSITION = GEO_COLUMNS.index("geo_note")
# The point of an answer of each kind stands for the whole entity ("commune precision").
_PRECISION = {"metropole": "epci", "communaute_urbaine": "epci", "agglomeration": "epci"}
_PRECISION |= {"communes": "epci", "place": "place"}

Progress = Callable[[int, int], None]


@dataclass
class BatchResult:
    """The geocoded table, each row's full Match (for candidates), and warnings for the user
    (provider faults as values, for the user's language)."""

    table: pd.DataFrame
    matches: list[Match]
    warnings: list[str] = field(default_factory=list)
    provider_faults: list[ProviderFault] = field(default_factory=list)
    # Reviewer's corrections by row position (a corrected place, a picked candidate's label).
    corrections: dict[int, str] = field(default_factory=dict)


def geocode_table(
    table: pd.DataFrame,
    geocoder: OfflineGeocoder,
    columns: PlaceColumns,
    provider: OnlineProvider | None = None,
    progress: Progress | None = None,
    lang: str = "fr",
) -> BatchResult:
    """`table` with the GEO_COLUMNS appended (input columns untouched, rows in order).

    `columns.name` holds places (names, addresses, postal codes); `columns.insee` INSEE commune
    codes or EPCI SIRENs. `lang` is that of the `geo_note` texts ("fr" or "en").
    `progress(done, total)` may raise to stop the run (Streamlit does on a rerun): every online
    answer fetched so far is already in the provider's cache.
    """
    keys = [
        Row(*cells)
        for cells in zip(
            _column(table, columns.name),
            _column(table, columns.postcode),
            _column(table, columns.departement),
            _column(table, columns.region),
            _column(table, columns.insee),
            strict=True,
        )
    ]
    unique = list(dict.fromkeys(keys))
    warnings: list[str] = []
    run = ProviderRun(provider) if provider is not None else None
    answers: dict[Row, Match] = {}
    step = max(1, len(unique) // 100)
    for done, key in enumerate(unique, start=1):
        answers[key] = _answer(key, geocoder, run)
        if progress and (done % step == 0 or done == len(unique)):
            progress(done, len(unique))
    matches = [answers[key] for key in keys]
    too_long = [i + 1 for i, row in enumerate(keys) if len(row.place) > MAX_CELL_CHARS]
    if too_long:
        warnings.append(
            TOO_LONG[lang].format(
                count=len(too_long), limit=MAX_CELL_CHARS, rows=_row_list(too_long)
            )
        )
    geo = pd.DataFrame(
        [geo_row(match, lang) for match in matches], columns=GEO_COLUMNS, index=table.index
    )
    read_notes = table.attrs.get(READ_NOTES, {})  # how the reader had to read a row
    for position, notes in read_notes.items():
        said = str(geo.iat[position, NOTE_POSITION])
        geo.iat[position, NOTE_POSITION] = " ; ".join(filter(None, (said, notes_text(notes, lang))))
    faults = run.faults if run is not None else []
    return BatchResult(pd.concat([table, geo], axis=1), matches, warnings, faults)


def _column(table: pd.DataFrame, column: str | None) -> list[str]:
    if column is None:
        return [""] * len(table)
    return table[column].fillna("").astype(str).str.strip().tolist()


def _answer(row: Row, geocoder: OfflineGeocoder, run: ProviderRun | None) -> Match:
    if len(row.place) > MAX_CELL_CHARS:
        return Match(NOT_FOUND)
    if run is not None and row.place and not row.code:
        parts = (row.place, row.postcode, row.departement, row.region, "France")
        online = run.lookup(", ".join(part for part in parts if part))
        if online is not None:
            return _online_match(*online, geocoder)
    return resolve_row(geocoder, row)


def _online_match(answer: dict | None, source: str, geocoder: OfflineGeocoder) -> Match:
    if answer is None:
        return Match(NOT_FOUND)
    gaz = geocoder.gazetteer
    commune = None
    if answer.get("citycode"):
        index = gaz.find_code(answer["citycode"], "commune")
        commune = gaz.entity(index) if index is not None else None
    commune = commune or gaz.nearest_commune(answer["lat"], answer["lon"])
    raw = {
        "status": RESOLVED,
        "code": commune["code"],
        "kind": "place",
        "name": answer["label"],
        "departement": commune["departement"],
        "region": commune["region"],
        "confidence": 1.0,
        "source": source,
        "method": "online",
    }
    location = Location(answer["label"], (answer["lat"], answer["lon"]), raw)
    return Match(RESOLVED, location, (location,))


def geo_row(match: Match, lang: str = "fr") -> list:
    """The GEO_COLUMNS values of one answer, its notes in `lang`."""
    location = match.location
    if location is None:
        note = notes_text(match.notes, lang)
        return [
            match.status,
            None,
            None,
            "",
            "",
            "",
            "",
            "",
            match.confidence or None,
            "",
            "",
            note,
        ]
    raw = location.raw
    notes = match.notes + ((Note.of("approximate"),) if raw.get("approximate") else ())
    return [
        match.status,
        round(location.latitude, 5),
        round(location.longitude, 5),
        raw["kind"],
        raw["name"],
        raw["code"],
        raw["departement"],
        raw["region"],
        raw["confidence"],
        raw["source"],
        "approximate" if raw.get("approximate") else _PRECISION.get(raw["kind"], raw["kind"]),
        notes_text(notes, lang),
    ]


def _row_list(rows: list[int], limit: int = 10) -> str:
    shown = ", ".join(str(row) for row in rows[:limit])
    return shown + (" …" if len(rows) > limit else "")
