"""Rank the labelled territories by what they share with one of them: levers, themes, words of
their challenges and kind, each shared item worth a fixed number of points.

The rule is meant to be read by a visitor (the About tab states it) and to give the same answer
on every run: a shared lever or area is worth 3 points when both links are documented, 2 when
the weaker one is suggested by a rule, 1 when it rests on the label; a shared theme 2, a shared
keyword of their challenges 1, the same kind of territory 1. Ties go to the nearer seat, then
to the name in alphabetical order.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from geo.domain.data import Dataset, split_list
from geo.geocoding.gazetteer import Gazetteer
from geo.geocoding.normalize import normalize

BASIS_WEIGHT = {"stated": 3, "suggested": 2, "inferred": 1}
THEME_WEIGHT = 2
KEYWORD_WEIGHT = 1
KIND_WEIGHT = 1
SIMILAR_COUNT = 5  # territories listed at the end of a card
EARTH_RADIUS_KM = 6371.0
MIN_KEYWORD_LENGTH = 5
# Words of the challenges that say nothing about their subject (verbs, qualifiers).
STOPWORDS = frozenset(
    normalize(word)
    for word in [
        "développer",
        "accélérer",
        "favoriser",
        "devenir",
        "formaliser",
        "soutien",
        "préservation",
        "amélioration",
        "accessible",
        "respectueuse",
        "laboratoire",
        "futures",
        "régional",
        "notamment",
        "leurs",
        "territoire",
    ]
)
_WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*")


@dataclass(frozen=True)
class Profile:
    """What one territory offers to the comparison."""

    kind: str
    levers: dict[str, str]  # lever id → basis of its link
    themes: frozenset[str]
    keywords: dict[str, str]  # normalised key → the word as written in the challenges


@dataclass(frozen=True)
class Similarity:
    """What two territories share, its score and the distance between their seats."""

    territory_id: str
    score: int
    levers: tuple[tuple[str, str], ...]  # (lever id, the weaker of the two links' bases)
    themes: tuple[str, ...]
    keywords: tuple[str, ...]
    same_kind: bool
    distance_km: float | None


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def challenge_keywords(challenges: str) -> dict[str, str]:
    """Subject words of a ';'-list of challenges: normalised key (plural folded) → word.

    Elided articles ("l'économie") and short words go; so do the verbs of STOPWORDS.
    """
    keywords: dict[str, str] = {}
    for match in _WORD.finditer(challenges.lower()):
        word = re.sub(r"^\w['’]", "", match.group())
        key = normalize(word).removesuffix("s")
        if len(key) >= MIN_KEYWORD_LENGTH and key not in STOPWORDS:
            keywords.setdefault(key, word)
    return keywords


def profiles(dataset: Dataset) -> dict[str, Profile]:
    """Every territory's profile, by id (challenges read in French, their written language)."""
    links = dataset.links.groupby("territory_id")
    rows = dataset.territories[["id", "kind", "themes", "challenges"]]
    return {
        tid: Profile(
            kind=kind,
            levers=dict(zip(*_link_columns(links, tid), strict=True)),
            themes=frozenset(split_list(themes)),
            keywords=challenge_keywords(challenges),
        )
        for tid, kind, themes, challenges in rows.itertuples(index=False, name=None)
    }


def _link_columns(links, territory_id: str) -> tuple[list[str], list[str]]:
    if territory_id not in links.groups:
        return [], []
    group = links.get_group(territory_id)
    return group["lever_id"].tolist(), group["basis"].tolist()


def weaker_basis(a: str, b: str) -> str:
    """The basis of a shared lever is the weaker of its two links."""
    return a if BASIS_WEIGHT[a] <= BASIS_WEIGHT[b] else b


def shared(a: Profile, b: Profile, b_id: str, lever_order: dict[str, int]) -> Similarity:
    """What `b` (id `b_id`) shares with `a`, scored; the distance is left to the caller."""
    levers = tuple(
        (lever, weaker_basis(a.levers[lever], b.levers[lever]))
        for lever in sorted(a.levers.keys() & b.levers.keys(), key=lever_order.__getitem__)
    )
    themes = tuple(sorted(a.themes & b.themes))
    keys = sorted(a.keywords.keys() & b.keywords.keys())
    same_kind = a.kind == b.kind
    score = (
        sum(BASIS_WEIGHT[basis] for _, basis in levers)
        + THEME_WEIGHT * len(themes)
        + KEYWORD_WEIGHT * len(keys)
        + KIND_WEIGHT * same_kind
    )
    return Similarity(
        b_id, score, levers, themes, tuple(a.keywords[k] for k in keys), same_kind, None
    )


class SimilarityIndex:
    """The territories' profiles and seat points, built once; answers ranking questions."""

    def __init__(self, dataset: Dataset, seats: dict[str, tuple[float, float]]):
        self.profiles = profiles(dataset)
        self.seats = seats
        self.names = dataset.territories.set_index("id")["name"].to_dict()
        self.lever_order = {lever: i for i, lever in enumerate(dataset.levers["id"])}

    def between(self, a: str, b: str) -> Similarity:
        """What `b` shares with `a`, with the distance between their seats when both are known."""
        similarity = shared(self.profiles[a], self.profiles[b], b, self.lever_order)
        distance = None
        if a in self.seats and b in self.seats:
            distance = haversine_km(self.seats[a], self.seats[b])
        return Similarity(**{**similarity.__dict__, "distance_km": distance})

    def ranked(self, territory_id: str, count: int = SIMILAR_COUNT) -> list[Similarity]:
        """The `count` territories sharing the most with this one (score > 0), best first."""
        others = [
            self.between(territory_id, other) for other in self.profiles if other != territory_id
        ]
        others = [s for s in others if s.score > 0]
        others.sort(
            key=lambda s: (
                -s.score,
                s.distance_km if s.distance_km is not None else math.inf,
                normalize(self.names[s.territory_id]),
            )
        )
        return others[:count]


def seat_points(placed: pd.DataFrame, gazetteer: Gazetteer) -> dict[str, tuple[float, float]]:
    """(lat, lon) of each territory's seat town, by id; a territory without a known seat is
    left out (its distances are unknown rather than measured from an approximate point)."""
    points = {}
    for tid, seat_code in placed[["id", "seat_code"]].itertuples(index=False, name=None):
        index = gazetteer.find_code(seat_code, "commune") if seat_code else None
        if index is not None and not math.isnan(gazetteer.lats[index]):
            points[tid] = (gazetteer.lats[index], gazetteer.lons[index])
    return points
