"""Find which columns of a user's table hold the place, postal code, département, région and code.

People's files are exports: SIRENE (`libelleCommuneEtablissement`, `codePostalEtablissement`,
`codeCommuneEtablissement`), the RNA (`adrs_libcommune`, `adrs_codepostal`, `adrs_codeinsee`),
address files (`nom_commune`, `code_postal`), spreadsheets ("Commune", "Ville", "CP", "Code
INSEE", "Département"). Headers are compared with case, accents, spaces and punctuation ignored.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields

from geo.geocoding.errors import InputError
from geo.geocoding.normalize import normalize


@dataclass(frozen=True)
class PlaceColumns:
    """Which column of a table holds each role of a row's place (None: the table has none).

    One object rather than five parameters: the page, the command line, the batch and the
    review's corrections pass the same columns, by name, so none can be passed in another
    role's place.
    """

    name: str | None = None  # places: commune names, addresses or postal codes
    postcode: str | None = None
    departement: str | None = None  # code or name
    region: str | None = None  # code or name
    insee: str | None = None  # INSEE commune codes or EPCI SIRENs

    def used(self) -> tuple[str | None, ...]:
        """The columns in ROLES order (None where absent)."""
        return tuple(getattr(self, role) for role in ROLES)

    def label(self) -> str | None:
        """The column that best names a row when the table has no label column of its own."""
        return self.name or self.postcode or self.insee


ROLES = tuple(field.name for field in fields(PlaceColumns))
# Usual headers of each role, the likeliest first. A commune column wins over a generic "nom"
# (in "Nom de la structure;Commune", the place is the commune); a one-column address is the
# place only when there is no commune column.
HEADERS: dict[str, tuple[str, ...]] = {
    "name": (
        "commune",
        "nomcommune",
        "nomdelacommune",
        "libellecommune",
        "libellecommuneetablissement",
        "adrslibcommune",
        "ville",
        "localite",
        "city",
        "municipality",
        "name",
        "nom",
        "lieu",
        "place",
        "territoire",
        "territory",
        "adresse",
        "adressecomplete",
        "adressepostale",
        "address",
    ),
    "postcode": (
        "codepostal",
        "cp",
        "codepostaletablissement",
        "adrscodepostal",
        "postcode",
        "postalcode",
        "zipcode",
        "zip",
    ),
    "departement": (
        "departement",
        "codedepartement",
        "nomdepartement",
        "dep",
        "dept",
        "dpt",
        "codedep",
        "numdepartement",
    ),
    "region": ("region", "coderegion", "nomregion", "libelleregion", "reg"),
    "insee": (
        "codeinsee",
        "insee",
        "codeinseecommune",
        "codecommune",
        "codecommuneetablissement",
        "adrscodeinsee",
        "depcom",
        "codgeo",
        "citycode",
        "sirenepci",
        "codeepci",
        "epci",
    ),
}


# Headers of the column that names each row (a structure, a project): shown in the review's row
# picker and the points' tooltips. "Nom" and "Name" come last: they name the place when no
# commune column exists (then detect_columns has taken them for the place).
LABEL_HEADERS = (
    "raisonsociale",
    "nomdelastructure",
    "nomstructure",
    "structure",
    "denomination",
    "denominationunitelegale",
    "denominationusuelle",
    "enseigne",
    "nomdelorganisme",
    "organisme",
    "nomdelassociation",
    "association",
    "nomduprojet",
    "projet",
    "intitule",
    "libelle",
    "label",
    "titre",
    "title",
    "nom",
    "name",
)


def header_key(column: object) -> str:
    """A header as compared: "Code postal", "code_postal" and "CodePostal" are all "codepostal"."""
    return normalize(str(column)).replace(" ", "")


def detect_columns(columns: Iterable[object]) -> PlaceColumns:
    """The column of each role (None when absent), each column used for one role at most."""
    by_key: dict[str, str] = {}
    for column in columns:
        by_key.setdefault(header_key(column), str(column))
    found: dict[str, str | None] = {}
    taken: set[str] = set()
    for role in ROLES:
        column = next(
            (by_key[key] for key in HEADERS[role] if key in by_key and by_key[key] not in taken),
            None,
        )
        found[role] = column
        if column:
            taken.add(column)
    return PlaceColumns(**found)


def detect_label_column(columns: Iterable[object], taken: Iterable[str | None]) -> str | None:
    """The column that names each row (LABEL_HEADERS, the likeliest first), among the columns
    not `taken` for the place; None when there is none."""
    used = {column for column in taken if column}
    by_key: dict[str, str] = {}
    for column in columns:
        if str(column) not in used:
            by_key.setdefault(header_key(column), str(column))
    return next((by_key[key] for key in LABEL_HEADERS if key in by_key), None)


def find_column(columns: list[str], wanted: str) -> str:
    """The column a user named (exactly, or with case, accents and spaces ignored).

    InputError listing the columns found when there is none: a typo in a flag is the commonest
    cause, and the list shows the right spelling.
    """
    if wanted in columns:
        return wanted
    key = header_key(wanted)
    for column in columns:
        if header_key(column) == key:
            return column
    raise InputError("err_no_column", wanted=wanted, found=", ".join(map(str, columns)))


def choose_columns(columns: list[str], named: PlaceColumns) -> tuple[PlaceColumns, list[str]]:
    """Each role's column: the one named for it, else the detected one; and the detected roles.

    InputError when a named column does not exist, or when no column holds places, postal
    codes or codes.
    """
    chosen = {
        role: find_column(columns, column)
        for role, column in zip(ROLES, named.used(), strict=True)
        if column
    }
    rest = [c for c in columns if c not in chosen.values()]
    found = zip(ROLES, detect_columns(rest).used(), strict=True)
    detected = {r: c for r, c in found if c and r not in chosen}
    place = PlaceColumns(**chosen, **detected)
    if place.label() is None:
        raise InputError("err_no_place_column", found=", ".join(map(str, columns)))
    return place, list(detected)
