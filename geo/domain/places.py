"""Find a place (`?place=`): a commune, postal code, INSEE code or address as people type it,
geocoded offline, and what the label means there.

The answer says whether the place lies inside a labelled territory's perimeter (a true one;
an approximate perimeter is said apart, since no source gives its outline), names the three
nearest other labelled territories with the distance to their seat, and gives the place's
département and région with the région's figures. A name several communes share, or a postal
code that serves several, offers a choice: each choice is a query of its own ("Saint-Denis
(93)", the département in brackets), so that the URL keeps it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import pandas as pd
import shapely
from geopy.location import Location

from geo.domain.data import Dataset
from geo.domain.perimeters import area_order, perimeter_shape, territory_perimeter
from geo.domain.similar import haversine_km
from geo.domain.territories import default_geocoder, load_placed
from geo.geocoding import shapes
from geo.geocoding.geocoder import AMBIGUOUS, OfflineGeocoder

NEAREST_COUNT = 3
MAX_QUERY_CHARS = 200  # a URL parameter is the user's input: bound it
_CODE_LIKE = re.compile(r"^\s*(\d{5}|2[AB]\d{3})\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Choice:
    """One of the places a query may mean: how it reads and the query that picks it."""

    label: str
    query: str


@dataclass(frozen=True)
class PlaceAnswer:
    """What the page says about a place; `found` False: nothing matched (choices may remain)."""

    query: str
    found: bool
    name: str = ""
    code: str = ""
    lat: float = float("nan")
    lon: float = float("nan")
    departement: str = ""  # INSEE codes
    region: str = ""
    inside: tuple[str, ...] = ()  # territory ids whose true perimeter holds the place
    inside_approximate: tuple[str, ...] = ()  # ... whose approximate perimeter holds it
    nearest: tuple[tuple[str, float], ...] = ()  # (territory id, km to its seat)
    choices: tuple[Choice, ...] = field(default=())


def choice_of(location: Location) -> Choice:
    """A candidate as the page lists it, and the query that selects it."""
    raw = location.raw
    where = raw["departement"] or raw["region"]
    return Choice(f"{raw['name']} ({where}) · {raw['code']}", f"{raw['name']} ({where})")


def lookup(query: str, geocoder: OfflineGeocoder) -> tuple[Location | None, list[Location]]:
    """The place meant (None when only a choice can tell) and every candidate.

    Five digits are read as a postal code first, then as an INSEE code: a postal code serving
    one commune answers; else the commune with that INSEE code, if any, leads the choice."""
    text = query.strip()[:MAX_QUERY_CHARS]
    if not text:
        return None, []
    match = geocoder.resolve(text)
    candidates = list(match.candidates)
    if _CODE_LIKE.match(text):
        by_code = geocoder.resolve_code(text.upper())
        if match.location is None and by_code.location is not None:
            return (by_code.location if not candidates else None), [
                by_code.location,
                *candidates,
            ]
    if match.status == AMBIGUOUS and candidates:
        return None, candidates  # a homonym is placed at its most populous bearer: ask which
    return match.location, candidates


def find_place(
    query: str, geocoder: OfflineGeocoder, dataset: Dataset, placed: pd.DataFrame
) -> PlaceAnswer:
    """The answer for what the user typed (see the module's doc)."""
    location, candidates = lookup(query, geocoder)
    others = [c for c in candidates if location is None or c.raw["code"] != location.raw["code"]]
    choices = tuple(dict.fromkeys(choice_of(c) for c in others))
    if location is None or location.latitude is None:
        return PlaceAnswer(query, False, choices=choices)
    lat, lon = float(location.latitude), float(location.longitude)
    where = shapes.locate([lat], [lon]).iloc[0]
    inside, approximate = containing(lat, lon, placed)
    seats = placed.dropna(subset=["lat", "lon"])
    distances = [
        (tid, haversine_km((lat, lon), (seat_lat, seat_lon)))
        for tid, seat_lat, seat_lon in zip(seats["id"], seats["lat"], seats["lon"], strict=True)
        if tid not in inside
    ]
    nearest = tuple(sorted(distances, key=lambda pair: pair[1])[:NEAREST_COUNT])
    return PlaceAnswer(
        query=query,
        found=True,
        name=location.raw["name"],
        code=location.raw["code"],
        lat=lat,
        lon=lon,
        departement=where["departement"] or location.raw["departement"],
        region=where["region"] or location.raw["region"],
        inside=inside,
        inside_approximate=approximate,
        nearest=nearest,
        choices=choices,
    )


def containing(lat: float, lon: float, placed: pd.DataFrame) -> tuple[tuple[str, ...], ...]:
    """Ids of the territories whose true perimeter holds the point (smallest first), and of
    those whose approximate perimeter does."""
    perimeters = [(row["id"], territory_perimeter(row)) for row in placed.to_dict("records")]
    found: dict[bool, list[str]] = {False: [], True: []}
    for tid, perimeter in area_order([(tid, p) for tid, p in perimeters if p is not None]):
        if shapely.contains_xy(perimeter_shape(perimeter), lon, lat):
            found[perimeter.approximate].append(tid)
    return tuple(found[False]), tuple(found[True])


@lru_cache(maxsize=256)
def shipped_place(query: str) -> PlaceAnswer:
    """find_place with the shipped geocoder and data, once per query and process."""
    dataset, placed = load_placed()
    return find_place(query, default_geocoder(), dataset, placed)
