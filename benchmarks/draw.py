"""A reproducible draw of place labels from the gazetteer itself, each with its known truth.

Mix (fixed seed): communes, EPCI/EPT names as the gazetteer spells them, départements and
régions, written the way people type them: accents stripped, case changed, one typo (substitution,
deletion or transposition) in names of 8 letters or more; homonyms (a core name shared by
entities more than SAME_PLACE_KM apart) get a département hint (communes) or a région hint
(anything else); and 5 % made-up names that no entity carries, not even at one typo's distance.
"""

from __future__ import annotations

import math
import random
import re
import string
import unicodedata
from dataclasses import dataclass

import pandas as pd
from rapidfuzz import fuzz, process

from geo.geocoding.gazetteer import Gazetteer
from geo.geocoding.kinds import CODE_SPACE, GROUP_KINDS
from geo.geocoding.normalize import normalize, split_kind

SEED = 20261123
SAME_PLACE_KM = 5.0  # an answer this close to the truth's point is the same place
MIX = {"commune": 0.65, "group": 0.20, "departement": 0.06, "region": 0.04, "fake": 0.05}
P_STRIP_ACCENTS, P_TYPO = 0.30, 0.20
_WORD = re.compile(r"[^\W\d_]+")
_SYLLABLES = "bra vil lon gue mar cour tel ron sau bel fon mer gne lac noz quil tre zan dor pel vau"


@dataclass(frozen=True)
class Label:
    """One drawn label: what the user typed and what it means (truth None: made-up name)."""

    name: str
    region: str
    departement: str
    truth: tuple[str, str] | None  # (code space, code)
    lat: float
    lon: float
    pool: str
    typo: bool
    hinted: bool


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dx = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371.0 * math.hypot(dx, math.radians(lat2 - lat1))


def homonyms(gaz: Gazetteer) -> set[int]:
    """Entities whose core name is shared with another entity that is not the same place."""
    found: set[int] = set()
    for indexes in gaz.by_core.values():
        for i in indexes:
            if any(
                j != i and km(gaz.lats[i], gaz.lons[i], gaz.lats[j], gaz.lons[j]) > SAME_PLACE_KM
                for j in indexes
            ):
                found.add(i)
    return found


def strip_accents(text: str) -> str:
    """Accents off, ligatures spelt out (œ → oe), as people type on a plain keyboard."""
    for ligature, letters in (("œ", "oe"), ("Œ", "OE"), ("æ", "ae"), ("Æ", "AE")):
        text = text.replace(ligature, letters)
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def change_case(text: str, rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.2:
        return text.upper()
    if roll < 0.4:
        return text.lower()
    return text.title() if roll < 0.5 else text


def add_typo(name: str, gaz: Gazetteer, rng: random.Random) -> str | None:
    """One edit inside a word of the core name; None when it would name another entity."""
    core_words = set(split_kind(name)[0].split())
    words = [m for m in _WORD.finditer(name) if len(m[0]) >= 4 and normalize(m[0]) in core_words]
    for _ in range(5):
        if not words:
            return None
        word = rng.choice(words)
        pos = rng.randrange(word.start(), word.end())
        kind = rng.choice(("substitution", "deletion", "transposition"))
        if kind == "substitution":
            letter = rng.choice([c for c in string.ascii_lowercase if c != name[pos].lower()])
            new = name[:pos] + (letter.upper() if name[pos].isupper() else letter) + name[pos + 1 :]
        elif kind == "deletion":
            new = name[:pos] + name[pos + 1 :]
        else:
            if pos + 1 >= word.end() or name[pos] == name[pos + 1]:
                continue
            new = name[:pos] + name[pos + 1] + name[pos] + name[pos + 2 :]
        if split_kind(new)[0] not in gaz.by_core:
            return new
    return None


def fake_names(count: int, gaz: Gazetteer, rng: random.Random) -> list[str]:
    """Plausible French-looking names that no entity has, even at one typo's distance."""
    syllables = _SYLLABLES.split()
    cores = list(gaz.by_core)
    names: list[str] = []
    while len(names) < count:
        root = "".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))).capitalize()
        name = rng.choice(("", "", "Saint-", "Le ", "La ")) + root
        if rng.random() < 0.3:
            name += rng.choice(("-sur-", "-en-", "-les-")) + rng.choice(syllables).capitalize()
        core = split_kind(name)[0]
        if core in gaz.by_core or name in names:
            continue
        if process.extractOne(core, cores, scorer=fuzz.ratio, score_cutoff=80) is None:
            names.append(name)
    return names


def draw(gaz: Gazetteer, count: int = 10_000, seed: int = SEED) -> list[Label]:
    """`count` labels in a shuffled, reproducible order."""
    rng = random.Random(seed)
    kinds = gaz.kinds
    pools = {
        "commune": [i for i, k in enumerate(kinds) if k == "commune"],
        "group": [i for i, k in enumerate(kinds) if k in GROUP_KINDS],
        "departement": [i for i, k in enumerate(kinds) if k == "departement"],
        "region": [i for i, k in enumerate(kinds) if k == "region"],
    }
    shared = homonyms(gaz)
    dep_names = {gaz.codes[i]: gaz.names[i] for i in pools["departement"]}
    region_names = {gaz.codes[i]: gaz.names[i] for i in pools["region"]}
    sizes = {pool: round(share * count) for pool, share in MIX.items()}
    sizes["commune"] += count - sum(sizes.values())
    labels = [
        Label(name, "", "", None, math.nan, math.nan, "fake", False, False)
        for name in fake_names(sizes.pop("fake"), gaz, rng)
    ]
    for pool, size in sizes.items():
        for index in rng.choices(pools[pool], k=size):
            name, typo = gaz.names[index], False
            if sum(c.isalpha() for c in name) >= 8 and rng.random() < P_TYPO:
                typed = add_typo(name, gaz, rng)
                name, typo = (typed, True) if typed else (name, False)
            if rng.random() < P_STRIP_ACCENTS:
                name = strip_accents(name)
            name = change_case(name, rng)
            region = departement = ""
            if index in shared:
                if kinds[index] == "commune":
                    code = gaz.departements[index]
                    departement = code if rng.random() < 0.5 else dep_names.get(code, code)
                else:
                    region = region_names.get(gaz.regions[index], gaz.regions[index])
            labels.append(
                Label(
                    name,
                    region,
                    departement,
                    (CODE_SPACE[kinds[index]], gaz.codes[index]),
                    gaz.lats[index],
                    gaz.lons[index],
                    pool,
                    typo,
                    bool(region or departement),
                )
            )
    rng.shuffle(labels)
    return labels


def as_table(labels: list[Label]) -> pd.DataFrame:
    """The labels as an uploaded table would be: name, région and département columns."""
    return pd.DataFrame(
        {
            "name": [label.name for label in labels],
            "region": [label.region for label in labels],
            "departement": [label.departement for label in labels],
        }
    )
