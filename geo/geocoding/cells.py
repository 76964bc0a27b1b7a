"""Read what a place cell holds: a postal code, an address, an arrondissement, a "CEDEX" suffix.

Exports write places as "59100", "12 rue de l'Épeule 59100 Roubaix", "POITIERS CEDEX 9" or
"PARIS 13"; these pure functions take such cells apart before any look-up.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.geocoding.normalize import normalize

_CEDEX = re.compile(r"[\s,]*\bcedex\b(?:\s*\d{1,3})?\s*$", re.IGNORECASE)
_POSTCODE_CELL = re.compile(r"^\d{2}\s?\d{3}$")
_FIVE_DIGITS = re.compile(r"^\d{5}$")
# "… 59100 Roubaix" (the code then the commune, as an address's last line)
_CODE_THEN_CITY = re.compile(
    r"^(?P<before>.*?)[\s,]*\b(?P<code>\d{5})\s+(?P<city>[^\d,;]*[^\W\d_][^\d,;]*)$"
)
# "Roubaix 59100", "Roubaix (59100)"
_CITY_THEN_CODE = re.compile(r"^(?P<city>[^\d,;]*[^\W\d_][^\d,;]*?)[\s,]*\(?(?P<code>\d{5})\)?$")
_ARRONDISSEMENT = re.compile(
    r"^(?P<city>paris|lyon|marseille)\s+(?P<number>\d{1,2}|[ivxl]+?)\s*"
    r"(?:e|er|ere|eme|ieme|em|d|nd)?(?:\s+arr(?:ondissement|t)?)?$"
)
# The arrondissement codes: first code and count per commune (COG).
ARRONDISSEMENTS = {"paris": (75101, 20), "lyon": (69381, 9), "marseille": (13201, 16)}
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50}
_CITY_STARTS = {city[:3] for city in ARRONDISSEMENTS}


@dataclass(frozen=True)
class PlaceText:
    """A place cell taken apart: the name to look up, a postal code read in it, and whether
    it was an address (words before the postal code) or carried a CEDEX mention."""

    name: str
    postcode: str = ""
    address: bool = False
    cedex: bool = False


def strip_cedex(text: str) -> tuple[str, bool]:
    """("POITIERS", True) for "POITIERS CEDEX 9": CEDEX routes mail, it names no place."""
    stripped = _CEDEX.sub("", text)
    return stripped.strip(), stripped != text


def read_place(text: str) -> PlaceText:
    """The name, postal code and address flag of a place cell ("" parts when absent)."""
    text = text.strip()
    if not any(ch.isdigit() for ch in text) and "cedex" not in text.lower():
        return PlaceText(text)  # a plain name, the common case: no regex
    text, cedex = strip_cedex(text)
    if _FIVE_DIGITS.match(text):
        return PlaceText("", text, cedex=cedex)
    found = _CODE_THEN_CITY.match(text)
    if found:
        city, _ = strip_cedex(found["city"])
        before = found["before"].strip(" ,")
        address = any(ch.isalpha() for ch in before)
        return PlaceText(city, found["code"], address, cedex or city != found["city"].strip())
    found = _CITY_THEN_CODE.match(text)
    if found:
        return PlaceText(found["city"].strip(" ,"), found["code"], cedex=cedex)
    return PlaceText(text, cedex=cedex)


def clean_postcode(value: str) -> tuple[str | None, bool]:
    """(five-digit postal code or None, whether a CEDEX mention was removed).

    "59 100" and "59100 CEDEX" are 59100; "1000" is 01000, its leading zero dropped by a
    spreadsheet that took it for a number.
    """
    if not value:
        return None, False
    text, cedex = strip_cedex(value.strip())
    text = text.removesuffix(".0")  # a number cell written by a spreadsheet: "59100.0"
    if text.isdigit() and len(text) == 4:
        text = "0" + text
    if _POSTCODE_CELL.match(text):
        return text.replace(" ", ""), cedex
    return None, cedex


def postcode_departement(postcode: str) -> str:
    """The département a postal code (or CEDEX code) belongs to: 97490 → 974, 20090 → 2A."""
    if postcode.startswith("97"):
        return postcode[:3]
    if postcode.startswith("20"):
        return "2A" if postcode[2] in "01" else "2B"
    return postcode[:2]


def arrondissement_code(name: str) -> str | None:
    """INSEE code of "PARIS 13", "Paris XIIIe", "LYON 3EME", "Marseille 1er arrondissement"."""
    if name[:3].lower() not in _CITY_STARTS or " " not in name.strip():
        return None  # most names: no normalising, no regex
    found = _ARRONDISSEMENT.match(normalize(name))
    if not found:
        return None
    number = found["number"]
    value = int(number) if number.isdigit() else _roman(number)
    first, count = ARRONDISSEMENTS[found["city"]]
    return str(first + value - 1) if 1 <= value <= count else None


def _roman(numeral: str) -> int:
    values = [_ROMAN[letter] for letter in numeral]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
