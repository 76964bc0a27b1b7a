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

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd
import shapely
from geopy.location import Location

from geo.cards import count_text, region_sse_texts
from geo.data import Dataset
from geo.formatting import colon, number
from geo.geocoding import OfflineGeocoder, shapes
from geo.geocoding.gazetteer import load_gazetteer
from geo.geocoding.geocoder import AMBIGUOUS
from geo.i18n import t
from geo.perimeters import area_order, perimeter_shape, territory_perimeter
from geo.similar import haversine_km
from geo.territories import default_geocoder, load_placed

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


def place_text(answer: PlaceAnswer, dataset: Dataset, placed: pd.DataFrame, lang: str) -> str:
    """The answer as Markdown in "fr" or "en"."""
    if not answer.found:
        key = "place_choose" if answer.choices else "place_not_found"
        return t(key, lang, query=answer.query)
    names = placed.set_index("id")["name"]
    gazetteer = load_gazetteer()
    lines = [f"**{answer.name}** ({answer.code})"]
    if answer.inside:
        inside = ", ".join(f"**{names[tid]}**" for tid in answer.inside)
        lines.append(t("place_inside", lang, names=inside))
    else:
        lines.append(t("place_outside", lang))
    if answer.inside_approximate:
        approximate = ", ".join(names[tid] for tid in answer.inside_approximate)
        lines.append(t("place_inside_approximate", lang, names=approximate))
    nearest = ", ".join(
        f"{names[tid]} ({t('place_km', lang, km=count_text(round(km), lang))})"
        for tid, km in answer.nearest
    )
    lines.append(f"{t('place_nearest', lang)}{colon(lang)}{nearest}")
    departement = _unit_name(gazetteer, answer.departement, "departement")
    region = dataset.regions.set_index("code").to_dict("index").get(answer.region, {})
    lines.append(f"{t('departement', lang)}{colon(lang)}{departement} ({answer.departement})")
    lines.append(f"{t('region', lang)}{colon(lang)}**{region.get('name', answer.region)}**")
    if region:
        region = {"code": answer.region, **region}
        if region.get("population"):
            population = number(int(region["population"]), lang)
            lines.append(
                f"{t('population', lang)}{colon(lang)}{population} ({region['population_year']})"
            )
        compared, context = region_sse_texts(region, lang)
        lines.append(f"{t('region_sse_compared', lang)}{colon(lang)}{compared}")
        if context:
            lines.append(f"{t('region_sse_context', lang)}{colon(lang)}{context}")
    return "\n".join(f"- {line}" if i else line for i, line in enumerate(lines))


def _unit_name(gazetteer, code: str, kind: str) -> str:
    index = gazetteer.find_code(code, kind) if code else None
    return code if index is None else gazetteer.names[index]


def place_marker_script(answer: PlaceAnswer | None, map_name: str) -> str:
    """The JavaScript that shows the place's own marker (a black pin, unlike any territory's)
    on the map named `map_name`, replacing the previous one, and pans to a new place."""
    place = None
    if answer is not None and answer.found and not np.isnan(answer.lat):
        place = {"lat": answer.lat, "lon": answer.lon, "label": answer.name, "key": answer.code}
    data = json.dumps(place, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")
    return f"{PLACE_MARKER_JS}({map_name}, {data});"


PLACE_MARKER_JS = """(function (map, place) {
  if (map.fiPlace) { map.removeLayer(map.fiPlace); map.fiPlace = null; }
  if (!place) { map.fiPlaceKey = null; return; }
  var pin = '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="34" viewBox="0 0 26 34"'
    + ' aria-hidden="true"><path d="M13 1C6.4 1 1 6.3 1 12.8 1 21.6 13 33 13 33s12-11.4 12-20.2'
    + 'C25 6.3 19.6 1 13 1z" fill="#111" stroke="#fff" stroke-width="2"/>'
    + '<circle cx="13" cy="13" r="4.5" fill="#fff"/></svg>';
  map.fiPlace = L.marker([place.lat, place.lon], {
    title: place.label, alt: place.label, keyboard: true, zIndexOffset: 1000,
    icon: L.divIcon({className: 'fi-place', html: pin, iconSize: [26, 34], iconAnchor: [13, 33]})
  }).bindTooltip(place.label).addTo(map);
  if (map.fiPlaceKey !== place.key) {
    map.fiPlaceKey = place.key;
    map.setView([place.lat, place.lon], Math.max(map.getZoom(), 9));
  }
})"""


@lru_cache(maxsize=256)
def shipped_place(query: str) -> PlaceAnswer:
    """find_place with the shipped geocoder and data, once per query and process."""
    dataset, placed = load_placed()
    return find_place(query, default_geocoder(), dataset, placed)
