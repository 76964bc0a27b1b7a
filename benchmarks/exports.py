"""A reproducible draw shaped like real exports (SIRENE, RNA, spreadsheets), each row with its truth.

Rows hold a place cell and a postal code cell as exports write them: upper case without
accents, "ST"/"STE", hyphens as spaces, a "CEDEX" mention or a CEDEX code (not in La Poste's
table), Paris/Lyon/Marseille arrondissements in their usual spellings, homonyms with their postal
code and, a few, without (drawn in proportion to population, as establishments are); and bare
postal codes in the place column. The truth is the INSEE code of the commune (or arrondissement).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass

import pandas as pd

from benchmarks.draw import strip_accents
from geo.geocoding.gazetteer import Gazetteer

SEED = 20261130
MIX = {
    "sirene": 0.70,  # SIRENE-style name + postal code
    "cedex": 0.10,  # "NAME CEDEX n", or a CEDEX code that La Poste's table lacks
    "arrondissement": 0.08,  # "PARIS 13", "Lyon 3e", "MARSEILLE 1ER", with or without a code
    "homonym_postcode": 0.07,  # a shared name with its postal code
    "homonym_alone": 0.03,  # a shared name, nothing else: right only if it dominates by size
    "postcode_only": 0.02,  # "59100" in the place column
}
_WITH_ARRONDISSEMENTS = {"75056", "69123", "13055"}
ARRONDISSEMENT_SPELLINGS = (
    "{city} {n}",
    "{city} {n}E",
    "{City} {n}e",
    "{City} {n}e arrondissement",
)


@dataclass(frozen=True)
class ExportRow:
    place: str
    postcode: str
    truth: str  # INSEE code
    pool: str


def sirene_spelling(name: str) -> str:
    """ "Saint-Denis-lès-Bourg" → "ST DENIS LES BOURG", as SIRENE's libellé de commune."""
    words = strip_accents(name).upper().replace("-", " ").replace("'", " ").split()
    return " ".join({"SAINT": "ST", "SAINTE": "STE"}.get(word, word) for word in words)


def draw_exports(gaz: Gazetteer, count: int = 10_000, seed: int = SEED) -> list[ExportRow]:
    """`count` rows in a shuffled, reproducible order."""
    rng = random.Random(seed)
    postcodes: dict[int, list[str]] = defaultdict(list)
    for postcode, indexes in gaz.by_postcode.items():
        for index in indexes:
            postcodes[index].append(postcode)
    communes = [
        i
        for i, kind in enumerate(gaz.kinds)
        if kind == "commune" and postcodes[i] and gaz.codes[i] not in _WITH_ARRONDISSEMENTS
    ]
    by_core: dict[str, list[int]] = defaultdict(list)
    for index in communes:
        by_core[gaz.cores[index]].append(index)
    homonyms = [i for indexes in by_core.values() if len(indexes) > 1 for i in indexes]
    arrondissements = [i for i, kind in enumerate(gaz.kinds) if kind == "arrondissement"]
    single = [i for i in communes if any(len(gaz.by_postcode[p]) == 1 for p in postcodes[i])]
    sizes = {pool: round(share * count) for pool, share in MIX.items()}
    sizes["sirene"] += count - sum(sizes.values())
    rows: list[ExportRow] = []
    for pool, size in sizes.items():
        for _ in range(size):
            rows.append(
                _row(pool, gaz, rng, communes, homonyms, arrondissements, single, postcodes)
            )
    rng.shuffle(rows)
    return rows


def _row(pool, gaz, rng, communes, homonyms, arrondissements, single, postcodes) -> ExportRow:
    if pool == "arrondissement":
        index = rng.choice(arrondissements)
        city, number = gaz.names[index].split()[:2]
        spelling = rng.choice(ARRONDISSEMENT_SPELLINGS)
        number = int("".join(ch for ch in number if ch.isdigit()))
        place = spelling.format(city=city.upper(), City=city, n=number)
        code = rng.choice(postcodes[index]) if rng.random() < 0.5 else ""
        return ExportRow(place, code, gaz.codes[index], pool)
    if pool == "postcode_only":
        index = rng.choice(single)
        code = next(p for p in postcodes[index] if len(gaz.by_postcode[p]) == 1)
        return ExportRow(code, "", gaz.codes[index], pool)
    if pool == "homonym_alone":
        # Lists name places as often as they hold establishments, roughly with population:
        # "ST NAZAIRE" alone is the Loire-Atlantique's more often than the Gard's.
        index = rng.choices(homonyms, weights=[gaz.populations[i] + 1 for i in homonyms])[0]
    else:
        index = rng.choice(homonyms if pool == "homonym_postcode" else communes)
    place = sirene_spelling(gaz.names[index])
    code = rng.choice(postcodes[index])
    if pool == "homonym_alone":
        code = ""
    elif pool == "cedex":
        if rng.random() < 0.5:
            place += rng.choice((" CEDEX", f" CEDEX {rng.randint(1, 9)}"))
        else:
            code = cedex_code(code, gaz, rng)
    return ExportRow(place, code, gaz.codes[index], pool)


def cedex_code(postcode: str, gaz: Gazetteer, rng: random.Random) -> str:
    """A code shaped like a CEDEX one of the same département that La Poste's table lacks."""
    for _ in range(50):
        code = postcode[:3] + f"{rng.randint(0, 99):02d}"  # 3 digits: 97x and 20x stay put
        if code not in gaz.by_postcode:
            return code
    return postcode


def exports_table(rows: list[ExportRow]) -> pd.DataFrame:
    """The rows as an uploaded SIRENE-like extract."""
    return pd.DataFrame(
        {
            "libelleCommuneEtablissement": [row.place for row in rows],
            "codePostalEtablissement": [row.postcode for row in rows],
        }
    )
