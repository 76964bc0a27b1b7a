"""A labelled territory's true perimeter: which shipped outline it is, its GeoJSON for the map,
and the facts of that perimeter (population, communes, area).

A territory that is one administrative body (commune, EPCI, EPT, département, région) has that
body's outline. An area or cluster has no official outline: it gets the union of the
départements the data records for it when they reach beyond its seat's intercommunality (the
data then describes a wider area, e.g. Occitanie Est), else its seat's EPCI, flagged
approximate; with neither seat nor département, its région, flagged approximate too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import pandas as pd
import shapely

from geo.domain.data import split_list
from geo.geocoding import shapes
from geo.geocoding.gazetteer import load_gazetteer

# Perimeter level of each territory kind that is an administrative body.
LEVEL_OF_KIND = {
    "commune": "commune",
    "departement": "departement",
    "region": "region",
    "ept": "ept",
    "metropole": "epci",
    "communaute_urbaine": "epci",
    "agglomeration": "epci",
    "communes": "epci",
}
# Gazetteer column that names each level's unit for a commune.
_MEMBER_COLUMN = {"departement": "departement", "region": "region", "epci": "epci", "ept": "ept"}
# Simplification for display: a fraction of the perimeter's larger side, well under a pixel
# of a map that frames it (about 600 px).
DISPLAY_TOLERANCE_SHARE = 1 / 1500

_Key = TypeVar("_Key")


@dataclass(frozen=True)
class Perimeter:
    """Which units draw a territory, and whether that outline is only an approximation."""

    level: str
    codes: tuple[str, ...]
    approximate: bool  # True: no source gives this territory's outline
    basis: str  # entity, departements, seat_epci or region (i18n key suffix for the card)

    def geojson(self) -> dict:
        """The outline as a GeoJSON geometry, simplified for display at the zoom that frames it."""
        south, west, north, east = self.bounds()
        tolerance = max(north - south, east - west) * DISPLAY_TOLERANCE_SHARE
        return shapes.perimeter_geojson(self.level, self.codes, tolerance=tolerance)

    def bounds(self) -> tuple[float, float, float, float]:
        """(south, west, north, east), as Leaflet frames it."""
        return shapes.bounds(self.level, self.codes)


@dataclass(frozen=True)
class PerimeterFacts:
    """What the card says about a perimeter."""

    population: int
    communes: int
    area_km2: float


def territory_perimeter(territory: dict) -> Perimeter | None:
    """The perimeter that draws a territory (a row of data/territories.csv), None if none."""
    kind, code = territory.get("kind", ""), territory.get("entity_code", "")
    level = LEVEL_OF_KIND.get(kind)
    if level and code and code in shapes.perimeters(level).index:
        return Perimeter(level, (code,), approximate=False, basis="entity")
    departements = tuple(split_list(territory.get("departement_codes", "")))
    seat_epci = _epci_of(territory.get("seat_code", ""))
    if departements and (not seat_epci or set(departements) - _departements_of_epci(seat_epci)):
        return Perimeter("departement", departements, approximate=False, basis="departements")
    if seat_epci:
        return Perimeter("epci", (seat_epci,), approximate=True, basis="seat_epci")
    region = territory.get("region_code", "")
    if region in shapes.perimeters("region").index:
        return Perimeter("region", (region,), approximate=True, basis="region")
    return None


def _epci_of(commune: str) -> str:
    communes = load_gazetteer().communes
    epci = communes.loc[communes["code"] == commune, "epci"]
    return epci.iloc[0] if len(epci) else ""


def _departements_of_epci(epci: str) -> set[str]:
    communes = load_gazetteer().communes
    return set(communes.loc[communes["epci"] == epci, "departement"])


def perimeter_members(perimeter: Perimeter) -> pd.DataFrame:
    """The gazetteer's communes inside a perimeter (each commune belongs to one unit per level)."""
    communes = load_gazetteer().communes
    column = _MEMBER_COLUMN.get(perimeter.level, "code")
    return communes[communes[column].isin(perimeter.codes)]


@lru_cache(maxsize=64)
def perimeter_shape(perimeter: Perimeter):
    """The perimeter's full-resolution shapely geometry, prepared for many containment tests."""
    geometry = shapes.perimeter(perimeter.level, perimeter.codes)
    shapely.prepare(geometry)
    return geometry


@lru_cache(maxsize=64)
def perimeter_facts(perimeter: Perimeter) -> PerimeterFacts:
    """Population (sum of its communes' populations), number of communes and area in km²."""
    members = perimeter_members(perimeter)
    area = shapes.area_km2(perimeter_shape(perimeter))
    return PerimeterFacts(int(members["population"].sum()), len(members), float(area))


def perimeter_name(perimeter: Perimeter) -> str:
    """The names of the units drawing a perimeter ("Lot, Aveyron"), from the gazetteer."""
    gazetteer = load_gazetteer()
    kind = "communes" if perimeter.level == "epci" else perimeter.level  # any SIREN kind
    names = []
    for code in perimeter.codes:
        index = gazetteer.find_code(code, kind)
        names.append(code if index is None else gazetteer.names[index])
    return ", ".join(names)


def area_order(perimeters: list[tuple[_Key, Perimeter]]) -> list[tuple[_Key, Perimeter]]:
    """(key, perimeter) pairs, smallest area first: a point inside several gets the most precise.
    The key is the caller's (a territory's id, a row's position)."""
    return sorted(perimeters, key=lambda pair: perimeter_facts(pair[1]).area_km2)
