"""The shipped gazetteer: French communes, EPCI, EPT, départements and régions, with a point each.

Built by scripts/build_gazetteer.py from INSEE's code officiel géographique and the commune
points of data/geometry (see data/gazetteer/SOURCE.md). This module only reads it, once per
process, and indexes it for the geocoder: by normalised core name (see geo.geocoding.normalize),
by official code, by postal code (La Poste, data/postal) and by the names and codes of former
communes (data/geometry). Paris, Lyon and Marseille's municipal arrondissements are entities too,
found by code and postal code.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from geo.geocoding import shapes
from geo.geocoding.kinds import CODE_SPACE
from geo.geocoding.normalize import core_all, normalize, normalize_all, split_kind
from geo.geocoding.paths import GAZETTEER_DIR

ENTITY_COLUMNS = ["code", "kind", "name", "departement", "region", "population", "lat", "lon"]
_TEXT = {"code": str, "name": str, "departement": str, "region": str}
# Arrondissements' INSEE codes share the communes' code space (75113 is no commune's code).
_CODE_SPACE = CODE_SPACE | {"arrondissement": "commune"}

# Names of régions in everyday use that are not their official names (abbreviations, the
# "Région Sud" brand, the pre-2015 "Centre"), so that "PACA" is a région and not an unknown word.
REGION_NICKNAMES = {
    "PACA": "93",
    "Région Sud": "93",
    "AURA": "84",
    "IDF": "11",
    "Centre": "24",
}


class FormerCommune(NamedTuple):
    """A commune that merged into another: today's commune (entity index), its name, how."""

    today: int
    name: str
    kind: str  # fusionnee, deleguee or associee


class Gazetteer:
    """Entities with their points, indexed for name and code look-ups."""

    def __init__(self, communes: pd.DataFrame, groups: pd.DataFrame):
        self.communes = communes
        located = _with_fallback_points(communes, groups).assign(kind="commune")
        arrondissements = _arrondissements(located)
        self.entities = _with_single_departement(
            pd.concat(
                [located[ENTITY_COLUMNS], groups[ENTITY_COLUMNS], arrondissements[ENTITY_COLUMNS]],
                ignore_index=True,
            )
        )
        self.approximate = located["approximate"].tolist() + [False] * (
            len(groups) + len(arrondissements)
        )
        self.codes = self.entities["code"].tolist()
        self.kinds = self.entities["kind"].tolist()
        self.names = self.entities["name"].tolist()
        self.departements = self.entities["departement"].tolist()
        self.regions = self.entities["region"].tolist()
        self.populations = self.entities["population"].fillna(0).astype(int).tolist()
        self.lats = self.entities["lat"].astype(float).tolist()
        self.lons = self.entities["lon"].astype(float).tolist()
        keys = normalize_all(self.entities["name"])
        self.full_keys = keys.tolist()
        self.by_core: dict[str, list[int]] = defaultdict(list)
        named = len(located) + len(groups)  # arrondissements are found by code, not by name
        self.cores = core_all(keys).tolist()
        for index, core in enumerate(self.cores[:named]):
            self.by_core[core].append(index)
        self.by_code = {
            (_CODE_SPACE[kind], code): index
            for index, (kind, code) in enumerate(zip(self.kinds, self.codes, strict=True))
        }
        self.parent = {
            index: self.by_code[("commune", commune)]
            for index, commune in enumerate(arrondissements["commune"], start=named)
        }
        self.by_postcode = self._postcode_index()
        self.former_by_code, self.former_by_core = self._former_indexes()
        self._exact = np.flatnonzero(~located["approximate"].to_numpy())
        self._lats = located["lat"].to_numpy(dtype=float)[self._exact]
        self._lons = located["lon"].to_numpy(dtype=float)[self._exact]
        self._region_names = self._names_of("region")
        self._departement_names = self._names_of("departement")

    @classmethod
    def load(cls, directory: Path = GAZETTEER_DIR) -> Gazetteer:
        """Read the two gzipped CSVs of data/gazetteer."""
        communes = pd.read_csv(
            directory / "communes.csv.gz", dtype=_TEXT | {"epci": str, "ept": str}
        )
        groups = pd.read_csv(directory / "groups.csv.gz", dtype=_TEXT | {"point_commune": str})
        return cls(communes.fillna({"epci": "", "ept": ""}), groups.fillna({"departement": ""}))

    def _postcode_index(self) -> dict[str, list[int]]:
        """Postal code → entities it serves (arrondissements for Paris, Lyon, Marseille)."""
        table = shapes.postcode_table()
        index: dict[str, list[int]] = defaultdict(list)
        for postcode, code in zip(table["postcode"], table["code"], strict=True):
            found = self.by_code.get(("commune", code))
            if found is not None:
                index[postcode].append(found)
        return dict(index)

    def _former_indexes(self) -> tuple[dict[str, FormerCommune], dict[str, list[FormerCommune]]]:
        """Former communes by code (codes no commune has today) and by core name.

        Merged, delegated and associated communes keep their name in people's addresses and
        their code in old files; both lead to today's commune.
        """
        by_code: dict[str, FormerCommune] = {}
        by_core: dict[str, list[FormerCommune]] = defaultdict(list)
        table = shapes.former_communes()
        for code, name, kind, commune in zip(
            table["code"], table["name"], table["kind"], table["commune"], strict=True
        ):
            today = self.by_code.get(("commune", commune))
            if today is None:
                continue
            former = FormerCommune(today, name or code, kind)
            if ("commune", code) not in self.by_code:
                by_code[code] = former
            if name and today not in self.by_core.get(split_kind(name)[0], ()):
                by_core[split_kind(name)[0]].append(former)
        return by_code, dict(by_core)

    def _names_of(self, kind: str) -> dict[str, str]:
        """Normalised name, name without its article ("Reunion") and code of every entity of a
        kind → its code."""
        mask = self.entities["kind"] == kind
        codes = self.entities.loc[mask, "code"].tolist()
        names = self.entities.loc[mask, "name"].tolist()
        keys = {split_kind(name)[0]: code for name, code in zip(names, codes, strict=True)}
        keys |= {normalize(name): code for name, code in zip(names, codes, strict=True)}
        if kind == "region":
            keys |= {normalize(name): code for name, code in REGION_NICKNAMES.items()}
        return keys | {code: code for code in codes}

    def region_code(self, hint: str) -> str | None:
        """INSEE code of a région given by name or code ("Occitanie", "76", "PACA"), else None."""
        key = _pad_code(normalize(hint))
        return self._region_names.get(key) or self._region_names.get(split_kind(hint)[0])

    def departement_code(self, hint: str) -> str | None:
        """INSEE code of a département given by name or code ("Drôme", "26", "2a"), else None.

        A spreadsheet turns the code "06" into the number 6: one digit is read as "0" + digit.
        """
        key = _pad_code(normalize(hint).upper() if len(hint.strip()) <= 3 else normalize(hint))
        return self._departement_names.get(key) or self._departement_names.get(normalize(hint))

    def entity(self, index: int) -> dict:
        """One entity as a plain dict (code, kind, name, departement, region, population, lat, lon).

        Built from plain lists: the geocoder calls this for every answer, and a pandas row
        look-up would cost more than the whole match.
        """
        columns: tuple[Sequence[object], ...] = (
            self.codes,
            self.kinds,
            self.names,
            self.departements,
            self.regions,
            self.populations,
            self.lats,
            self.lons,
        )
        return {name: column[index] for name, column in zip(ENTITY_COLUMNS, columns, strict=True)}

    def find_code(self, code: str, kind: str) -> int | None:
        """Index of the entity with this official code, for a kind of geo.geocoding.kinds."""
        space = "siren" if len(code) == 9 and code.isdigit() else _CODE_SPACE.get(kind, "siren")
        return self.by_code.get((space, code))

    def members(self, code: str, kind: str) -> pd.DataFrame:
        """Member communes of a group (all communes of a département or région too)."""
        column = {"departement": "departement", "region": "region", "ept": "ept"}.get(kind, "epci")
        return self.communes[self.communes[column] == code]

    def nearest_commune(self, lat: float, lon: float) -> dict:
        """The commune with its own point closest to a point (equirectangular distance)."""
        dx = (self._lons - lon) * np.cos(np.radians(lat))
        dy = self._lats - lat
        return self.entity(int(self._exact[np.argmin(dx * dx + dy * dy)]))


def _arrondissements(communes: pd.DataFrame) -> pd.DataFrame:
    """Municipal arrondissements with their own point, their commune's département and région."""
    points = shapes.commune_points(("arrondissement",))
    parents = communes.set_index("code").reindex(points["commune"])
    return pd.DataFrame(
        {
            "code": points["code"].to_numpy(),
            "kind": "arrondissement",
            "name": points["name"].to_numpy(),
            "departement": parents["departement"].to_numpy(),
            "region": parents["region"].to_numpy(),
            "population": 0,
            "lat": points["lat"].to_numpy(),
            "lon": points["lon"].to_numpy(),
            "commune": points["commune"].to_numpy(),
        }
    )


def _with_fallback_points(communes: pd.DataFrame, groups: pd.DataFrame) -> pd.DataFrame:
    """Communes with a point each: their own, else their EPCI's, else their département's.

    Every commune has its own point (its town hall, or a point inside its polygon) except the
    few the geometry source lacks altogether (data/geometry/defects.csv, fix ``inconnu``). Such a
    commune is still worth finding by name, so it gets its group's point, flagged `approximate`
    (the geocoder says so and lowers its confidence).
    """
    points = groups[~groups["kind"].isin(["departement", "region"])].set_index("code")[
        ["lat", "lon"]
    ]
    departements = groups[groups["kind"] == "departement"].set_index("code")[["lat", "lon"]]
    located = communes.assign(approximate=communes["lat"].isna())
    for keys, table in ((located["epci"], points), (located["departement"], departements)):
        missing = located["lat"].isna()
        fallback = table.reindex(keys[missing])
        located.loc[missing, "lat"] = fallback["lat"].to_numpy()
        located.loc[missing, "lon"] = fallback["lon"].to_numpy()
    return located


def _pad_code(key: str) -> str:
    """ "6" → "06": the leading zero a spreadsheet dropped from a département or région code."""
    return key.zfill(2) if len(key) == 1 and key.isdigit() else key


def _with_single_departement(entities: pd.DataFrame) -> pd.DataFrame:
    """Régions made of one département (the five overseas ones) carry that département's code.

    "Mayotte" is both the région 06 and the département 976; an answer for it should say 976
    like any other place in Mayotte. The file leaves a région's département empty.
    """
    departements = entities[entities["kind"] == "departement"]
    by_region = departements.groupby("region")["code"].agg(list)
    single = {region: codes[0] for region, codes in by_region.items() if len(codes) == 1}
    regions = entities["kind"] == "region"
    entities.loc[regions, "departement"] = entities.loc[regions, "region"].map(single).fillna("")
    return entities


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer, read once."""
    return Gazetteer.load()


@lru_cache(maxsize=1)
def departement_regions() -> dict[str, str]:
    """INSEE département code → INSEE région code, from the gazetteer's groups file."""
    groups = pd.read_csv(
        GAZETTEER_DIR / "groups.csv.gz", dtype=str, usecols=["code", "kind", "region"]
    )
    departements = groups[groups["kind"] == "departement"]
    return dict(zip(departements["code"], departements["region"], strict=True))
