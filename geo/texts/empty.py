"""A view that matches nothing is a state, not an error: what it says.

The page names the filters that left nothing (so a visitor knows what to remove), offers the
reset, and for a région that holds no labelled territory says so and names the territories
closest to its chef-lieu, with their distance: Guadeloupe or Corse are in the région list
because the data covers every région, not because a territory is there.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.domain.data import Dataset
from geo.domain.similar import haversine_km
from geo.domain.views import ViewState
from geo.geocoding.gazetteer import Gazetteer
from geo.texts.filters import Filter
from geo.texts.formatting import colon, markdown_text, number
from geo.texts.i18n import t

NEAREST_COUNT = 3


@dataclass(frozen=True)
class Nearby:
    """A labelled territory near a place, `distance_km` from it."""

    territory_id: str
    name: str
    distance_km: float


@dataclass(frozen=True)
class EmptyText:
    """What an empty view says: the filters that matched nothing, then one line per région of
    the filter that holds no labelled territory (with its nearest ones)."""

    message: str
    regions: list[str]


def territory_counts(dataset: Dataset) -> dict[str, int]:
    """How many labelled territories each région holds (0 for those with none)."""
    counts = dataset.territories["region_code"].value_counts()
    return {code: int(counts.get(code, 0)) for code in dataset.regions["code"]}


def region_point(dataset: Dataset, gazetteer: Gazetteer, code: str) -> tuple[float, float] | None:
    """The région's chef-lieu as (lat, lon), from the gazetteer; None if it is not there."""
    rows = dataset.regions[dataset.regions["code"] == code]
    if rows.empty:
        return None
    index = gazetteer.find_code(rows.iloc[0]["chef_lieu_code"], "commune")
    if index is None:
        return None
    entity = gazetteer.entity(index)
    return float(entity["lat"]), float(entity["lon"])


def nearest_territories(
    point: tuple[float, float], placed: pd.DataFrame, count: int = NEAREST_COUNT
) -> list[Nearby]:
    """The `count` placed territories closest to `point` (great-circle distance), nearest first."""
    located = placed.dropna(subset=["lat", "lon"])
    nearby = [
        Nearby(tid, name, haversine_km(point, (float(lat), float(lon))))
        for tid, name, lat, lon in zip(
            located["id"], located["name"], located["lat"], located["lon"], strict=True
        )
    ]
    return sorted(nearby, key=lambda near: near.distance_km)[:count]


def active_filters(
    view: ViewState, specs: list[Filter], region_names: dict[str, str], lang: str
) -> list[str]:
    """Each active filter as the reader sees it: « Région : Guadeloupe, Corse » (the régions by
    their plain names: the filter's options also count their territories)."""
    attributes = ("regions", "departements", "waves", "kinds", "levers", "themes")
    parts = []
    for attribute, spec in zip(attributes, specs, strict=True):
        values = getattr(view, attribute)
        name = region_names.__getitem__ if attribute == "regions" else spec.name
        if values:
            parts.append(f"{spec.label}{colon(lang)}{', '.join(name(v) for v in values)}")
    if view.levers and view.basis:
        parts.append(f"{t('basis_filter', lang)}{colon(lang)}{t('basis_stated_only', lang)}")
    if view.text.strip():
        parts.append(t("empty_search", lang, text=view.text.strip()))
    return parts


def empty_view_text(
    view: ViewState,
    dataset: Dataset,
    placed: pd.DataFrame,
    gazetteer: Gazetteer,
    specs: list[Filter],
    lang: str,
) -> EmptyText:
    """What the page says when `view` keeps no territory (Markdown; the filters, the search
    text among them, shown as text)."""
    names = dict(zip(dataset.regions["code"], dataset.regions["name"], strict=True))
    filters = [markdown_text(part) for part in active_filters(view, specs, names, lang)]
    message = t("empty_view", lang, filters=" · ".join(filters))
    counts = territory_counts(dataset)
    lines = []
    for code in view.regions:
        if counts.get(code, 0):
            continue
        point = region_point(dataset, gazetteer, code)
        nearest = nearest_territories(point, placed) if point else []
        listed = ", ".join(
            f"{near.name} ({number(round(near.distance_km), lang)} km)" for near in nearest
        )
        lines.append(t("empty_region", lang, region=names[code], nearest=listed or "—"))
    return EmptyText(message, lines)
