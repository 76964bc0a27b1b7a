"""What the geocoder says about a row besides its answer, in French and English (`geo_note`).

A hint read as something other than what its column says, a postal code that narrowed or could
not narrow the candidates, a former commune, an address placed at its commune: the person who
reviews the list needs to know, so each answer carries its notes and the batch writes them out.
"""

from __future__ import annotations

from dataclasses import dataclass

# key → (français, English)
NOTE_MESSAGES: dict[str, tuple[str, str]] = {
    "postcode_in_place": (
        "« {value} » lu comme un code postal (un code INSEE se met dans une colonne code INSEE)",
        "'{value}' read as a postal code (an INSEE code belongs in an INSEE code column)",
    ),
    "postcode_unknown": (
        "code postal {postcode} absent de la base de La Poste (CEDEX ?) : seul son "
        "département ({departement}) a servi",
        "postal code {postcode} is not in La Poste's base (CEDEX?): only its département "
        "({departement}) was used",
    ),
    "postcode_many": (
        "le code postal {postcode} dessert {count} communes : précisez la commune",
        "postal code {postcode} serves {count} communes: give the commune",
    ),
    "postcode_only": (
        "placée par le code postal {postcode} seul",
        "placed by the postal code {postcode} alone",
    ),
    "name_not_in_postcode": (
        "« {name} » n'est pas une commune du code postal {postcode}",
        "'{name}' is not a commune of postal code {postcode}",
    ),
    "placed_by_postcode": (
        "« {name} » inconnu : placée par le code postal {postcode}",
        "'{name}' not known: placed by postal code {postcode}",
    ),
    "address": (
        "adresse lue : code postal {postcode}, commune « {name} » ; placée au niveau de la commune",
        "address read: postal code {postcode}, commune '{name}'; placed at commune precision",
    ),
    "cedex": ("mention CEDEX retirée", "CEDEX mention removed"),
    "former_commune": (
        "ancienne commune {former} ({how}), aujourd'hui {commune}",
        "former commune {former} ({how}), now {commune}",
    ),
    "code_unknown": (
        "code « {value} » inconnu (ni code INSEE de commune ni SIREN d'EPCI)",
        "code '{value}' unknown (neither a commune INSEE code nor an EPCI SIREN)",
    ),
    "code_is_postcode": (
        "« {value} » n'est pas un code INSEE mais un code postal : lu comme tel",
        "'{value}' is not an INSEE code but a postal code: read as one",
    ),
    "hint_moved": (
        "« {value} » de la colonne {column} lu comme {reading}",
        "'{value}' in the {column} column read as {reading}",
    ),
    "hint_ignored": (
        "« {value} » de la colonne {column} n'est pas reconnu : ignoré",
        "'{value}' in the {column} column is not recognised: ignored",
    ),
    "hint_conflict": (
        "aucun lieu de ce nom dans le département ou la région indiqués (il y en a dans : {where})",
        "no place of that name in the given département or région (there is in: {where})",
    ),
    "homonyms": (
        "{count} lieux portent ce nom ({where}) : ajoutez un département ou un code postal",
        "{count} places bear this name ({where}): add a département or a postal code",
    ),
    "homonyms_by_size": (
        "{count} lieux portent ce nom ({where}) : le plus peuplé est retenu ; ajoutez un "
        "département ou un code postal si c'est un autre",
        "{count} places bear this name ({where}): the most populous is chosen; add a "
        "département or a postal code if another is meant",
    ),
    "read_encoding": (
        "ligne {line} du fichier lue en {encoding} (le reste du fichier est dans un autre "
        "encodage) : vérifiez ses accents",
        "line {line} of the file read as {encoding} (the rest of the file is in another "
        "encoding): check its accents",
    ),
    "formula_no_value": (
        "formule sans valeur enregistrée en {cells} : lue comme vide ; ouvrez le fichier dans "
        "votre tableur et enregistrez-le pour que ses valeurs soient calculées",
        "formula without a saved value in {cells}: read as empty; open the file in your "
        "spreadsheet and save it so that its values are computed",
    ),
    "approximate": (
        "commune hors GeoNames : point de son intercommunalité",
        "commune missing from GeoNames: placed at its intercommunality's point",
    ),
}
# Words used inside notes: the kind of a former commune, the reading of a moved hint.
NOTE_WORDS: dict[str, tuple[str, str]] = {
    "fusionnee": ("fusionnée", "merged"),
    "deleguee": ("déléguée", "delegated"),
    "associee": ("associée", "associated"),
    "postcode": ("code postal", "postal code"),
    "departement": ("département", "département"),
    "region": ("région", "région"),
    "utf-8": ("UTF-8", "UTF-8"),
    "cp1252": ("Windows-1252", "Windows-1252"),
}


@dataclass(frozen=True)
class Note:
    """One remark about an answer: a NOTE_MESSAGES key and its values (all text)."""

    key: str
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(cls, key: str, **values: object) -> Note:
        return cls(key, tuple((name, str(value)) for name, value in values.items()))

    def text(self, lang: str) -> str:
        index = 0 if lang == "fr" else 1
        values = {
            name: NOTE_WORDS[value][index] if value in NOTE_WORDS else value
            for name, value in self.values
        }
        return NOTE_MESSAGES[self.key][index].format(**values)


def notes_text(notes: tuple[Note, ...], lang: str) -> str:
    """All notes of an answer as one cell, in "fr" or "en"."""
    return " ; ".join(dict.fromkeys(note.text(lang) for note in notes))
