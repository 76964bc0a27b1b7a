"""Errors of the geocoding layer: one root, the user's-file error, and the online providers' faults.

The provider faults follow geopy's exc.py in spirit: a batch falls back to the offline answer on
`ProviderError` and its subclasses only, so that a programming error is never mistaken for a
provider that is down. A user's-file error carries its message in French and English.
"""

from __future__ import annotations

from babel.numbers import format_decimal

# Numbers in messages as the reader's language writes them ("50 001", "20,5" / "50,001", "20.5").
MESSAGE_LOCALES = {"fr": "fr_FR", "en": "en_GB"}


class GeoError(Exception):
    """Root of every error this project raises on purpose."""


# Problems with a user's file: what is wrong, then what to do. (français, English)
INPUT_MESSAGES: dict[str, tuple[str, str]] = {
    "err_too_big": (
        "Le fichier pèse {size} Mo ; la limite est de {limit} Mo. Découpez-le en plusieurs fichiers.",
        "The file is {size} MB; the limit is {limit} MB. Split it into smaller files.",
    ),
    "err_empty": (
        "Le fichier est vide. Exportez un tableau avec une ligne d'en-tête et au moins une ligne.",
        "The file is empty. Export a table with a header row and at least one row.",
    ),
    "err_no_header": (
        "Le fichier n'a pas de ligne d'en-tête. Mettez les noms de colonnes sur la première ligne.",
        "The file has no header row. Put column names on the first line.",
    ),
    "err_too_many_rows": (
        "Le fichier a plus de {limit} lignes (la ligne {row} dépasse la limite). Découpez-le en "
        "plusieurs fichiers.",
        "The file has more than {limit} rows (line {row} is over the limit). Split it into "
        "smaller files.",
    ),
    "err_too_many_columns": (
        "La ligne {row} a une valeur en colonne {column} ; la limite est de {limit} colonnes. "
        "Supprimez les colonnes inutiles ou les cellules isolées au bout des lignes.",
        "Line {row} has a value in column {column}; the limit is {limit} columns. Delete the "
        "columns you do not need or stray cells at the end of rows.",
    ),
    "err_too_many_cells": (
        "Le fichier a plus de {limit} cellules (la ligne {row} dépasse la limite). Gardez les "
        "colonnes utiles ou découpez-le en plusieurs fichiers.",
        "The file has more than {limit} cells (line {row} is over the limit). Keep the columns "
        "you need or split it into smaller files.",
    ),
    "err_line_too_long": (
        "La ligne {row} compte {length} caractères ; la limite est de {limit}. Vérifiez le "
        "séparateur ou raccourcissez les cellules.",
        "Line {row} is {length} characters long; the limit is {limit}. Check the separator or "
        "shorten the cells.",
    ),
    "err_xlsx_too_big": (
        "Une fois décompressé, le classeur pèse {size} Mo ; la limite est de {limit} Mo. "
        "Enregistrez-le en CSV ou découpez-le en plusieurs fichiers.",
        "Unpacked, the workbook is {size} MB; the limit is {limit} MB. Save it as CSV or split "
        "it into smaller files.",
    ),
    "err_binary": (
        "Ce fichier n'est pas du texte (il semble binaire). Déposez un CSV (séparateur virgule, "
        "point-virgule ou tabulation) ou un classeur .xlsx.",
        "This file is not text (it looks binary). Upload a CSV (comma, semicolon or tab "
        "separated) or an .xlsx spreadsheet.",
    ),
    "err_encoding": (
        "Ce fichier n'est pas un texte lisible. Enregistrez-le en CSV UTF-8 (ou Windows-1252) ou en .xlsx.",
        "This file is not readable text. Save it as CSV UTF-8 (or Windows-1252) or as .xlsx.",
    ),
    "err_malformed": (
        "Le fichier n'est pas un tableau bien formé ({detail}). Vérifiez que chaque ligne a le même "
        "nombre de séparateurs, ou réenregistrez-le depuis votre tableur.",
        "The file is not a well-formed table ({detail}). Check that every line has the same "
        "number of separators, or save it again from your spreadsheet.",
    ),
    "err_too_many_strings": (
        "Le classeur contient plus de {limit} textes différents. Enregistrez-le en CSV, ou "
        "découpez-le en plusieurs fichiers.",
        "The workbook holds more than {limit} distinct texts. Save it as CSV, or split it into "
        "smaller files.",
    ),
    "err_fields": (
        "La ligne {row} a {fields} champs, l'en-tête {header}. Vérifiez que chaque ligne a le "
        "même nombre de séparateurs, ou réenregistrez le fichier depuis votre tableur.",
        "Line {row} has {fields} fields, the header {header}. Check that every line has the "
        "same number of separators, or save the file again from your spreadsheet.",
    ),
    "err_xlsx": (
        "Ce fichier n'a pas pu être lu comme un classeur Excel (.xlsx). Ouvrez-le dans votre "
        "tableur et réenregistrez-le en .xlsx ou en CSV.",
        "This file could not be read as an Excel workbook (.xlsx). Open it in your spreadsheet "
        "and save it again as .xlsx or CSV.",
    ),
    "err_unreadable": (
        "Impossible de lire le fichier ({detail}). Vérifiez le chemin.",
        "Cannot read the file ({detail}). Check the path.",
    ),
    "err_no_column": (
        "Pas de colonne « {wanted} » (colonnes trouvées : {found}).",
        "No '{wanted}' column (columns found: {found}).",
    ),
    "err_no_place_column": (
        "Aucune colonne de lieux reconnue (colonnes trouvées : {found}). Indiquez celle qui "
        "contient les communes, adresses, codes postaux ou codes INSEE (--name, --postcode, "
        "--insee en ligne de commande).",
        "No column of places recognised (columns found: {found}). Say which one holds the "
        "communes, addresses, postal codes or INSEE codes (--name, --postcode, --insee on the "
        "command line).",
    ),
    "err_no_rows": (
        "Le fichier a une ligne d'en-tête ({columns}) mais aucune ligne de données.",
        "The file has a header row ({columns}) but no data rows.",
    ),
}


class InputError(GeoError, ValueError):
    """Raised when a user's file cannot be used at all (empty, not text, no name column...).

    The message is one of INPUT_MESSAGES (`key`, `values`) so that the dashboard can say it in
    French or English; str() is the English text, for the command line and logs.
    """

    def __init__(self, key: str, **values: object):
        self.key = key
        self.values = values
        super().__init__(self.message("en"))

    def message(self, lang: str) -> str:
        """The message in "fr" or "en", its numbers written by Babel in that language."""
        locale = MESSAGE_LOCALES["fr" if lang == "fr" else "en"]
        values = {
            name: _number(value, locale) if isinstance(value, int | float) else value
            for name, value in self.values.items()
        }
        return INPUT_MESSAGES[self.key][0 if lang == "fr" else 1].format(**values)


def _number(value: float, locale: str) -> str:
    """Counts as integers, sizes (floats) with one decimal: "20,1 Mo" is over "20 Mo"."""
    if isinstance(value, float):
        return format_decimal(value, format="#,##0.0", locale=locale)
    return format_decimal(value, locale=locale)


class ProviderError(GeoError, RuntimeError):
    """An online geocoding provider gave no usable answer; the row is answered offline.

    `kind` names the fault for the user's message (geo.texts.i18n's "fault_<kind>" keys).
    """

    kind = "unavailable"


class ProviderRateLimited(ProviderError):
    """The provider refused for too many requests (HTTP 429); `retry_after` is in seconds."""

    kind = "rate_limited"

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class ProviderUnavailable(ProviderError):
    """The provider could not be reached, timed out, failed (5xx) or is skipped after failures."""


class ProviderUnreachable(ProviderUnavailable):
    """Nothing answers at the provider's address (connection refused, name that does not
    resolve, no route): no retry can help, so the circuit opens at once."""

    kind = "unreachable"


class ProviderMalformedAnswer(ProviderError):
    """The provider answered something that is not the answer of its API (HTML, wrong JSON)."""

    kind = "malformed"


class ProviderCapReached(ProviderError):
    """A run asked the public Nominatim server for as many new names as one run may."""

    kind = "capped"
