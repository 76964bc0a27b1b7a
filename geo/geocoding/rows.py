"""Resolve one row of a user's table from its cells: place, postal code, département, région, code.

Cells are often not what their column says: a postal code in the département column, a
département number in the postal code column, a région in the département column. Each is
used for what it is, and the row's `geo_note` says so; what is nothing recognisable is reported,
never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.geocoding.cells import clean_postcode
from geo.geocoding.geocoder import NOT_FOUND, RESOLVED, Match, OfflineGeocoder
from geo.geocoding.notes import Note


@dataclass(frozen=True)
class Row:
    """The cells of one row that say where it is ("" when the table has no such column)."""

    place: str = ""
    postcode: str = ""
    departement: str = ""
    region: str = ""
    code: str = ""  # INSEE commune code or EPCI SIREN, from a column declared as such


def resolve_row(geocoder: OfflineGeocoder, row: Row) -> Match:
    """The answer for a row: its code if it has a known one, else its place and hints."""
    if not (row.code or row.postcode or row.departement or row.region):
        return geocoder.resolve(row.place)  # a name alone, the common case
    notes: list[Note] = []
    cells = {"postcode": row.postcode, "departement": row.departement, "region": row.region}
    if row.code:
        match = geocoder.resolve_code(row.code)
        if match.status == RESOLVED:
            return match
        postcode, _ = clean_postcode(row.code)
        if postcode and postcode in geocoder.gazetteer.by_postcode and not cells["postcode"]:
            cells["postcode"] = postcode
            notes.append(Note.of("code_is_postcode", value=row.code))
        else:
            notes.extend(match.notes)
    for column in ("postcode", "departement", "region"):
        value = cells[column]
        reading = _reading(geocoder, value, column) if value else column
        if reading == column:
            continue
        cells[column] = ""
        if reading is None:
            notes.append(Note.of("hint_ignored", value=value, column=column))
        elif not cells[reading]:
            cells[reading] = value
            notes.append(Note.of("hint_moved", value=value, column=column, reading=reading))
    if not (row.place or cells["postcode"]):
        return Match(NOT_FOUND, notes=tuple(notes))
    match = geocoder.resolve(
        row.place,
        region=cells["region"] or None,
        departement=cells["departement"] or None,
        postcode=cells["postcode"] or None,
    )
    return match.noted(notes)


def _reading(geocoder: OfflineGeocoder, value: str, column: str) -> str | None:
    """What a hint cell holds: "postcode", "departement", "region", or None (nothing known).

    A value that fits its own column is read as such ("76" in a région column is Occitanie,
    in a département column Seine-Maritime); else as the first kind it fits.
    """
    gaz = geocoder.gazetteer
    readings = {
        "postcode": lambda: clean_postcode(value)[0] is not None,
        "departement": lambda: gaz.departement_code(value) is not None,
        "region": lambda: gaz.region_code(value) is not None,
    }
    if readings[column]():
        return column
    return next((reading for reading, fits in readings.items() if fits()), None)
