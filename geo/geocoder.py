"""An offline geocoder for French territories, behind geopy's Geocoder interface.

`OfflineGeocoder.geocode` behaves like any geopy geocoder (so it composes with RateLimiter,
pandas' apply and the online providers) and `resolve` says more: resolved, ambiguous (with the
candidates) or not_found, and how sure it is. The rule of thumb is "never a confident wrong
guess": a label is resolved only when its name (or a close spelling) points to one place once the
hints (région, département, the kind of body the label names) have been applied; comparable
homonyms far apart stay ambiguous.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from rapidfuzz import fuzz, process

from geo.config import AMBIGUITY_MARGIN, MIN_CONFIDENCE
from geo.gazetteer import KIND_RANK, Gazetteer, load_gazetteer
from geo.normalize import normalize, split_kind

RESOLVED, AMBIGUOUS, NOT_FOUND = "resolved", "ambiguous", "not_found"
SAME_PLACE_KM = 50.0  # two answers this close are the same place for a map of France
_CODE = re.compile(r"^(?:\d{5}|2[AB]\d{3}|\d{9})$", re.IGNORECASE)
_TRAILING_DEPARTEMENT = re.compile(r"\s*\(\s*(\d{2,3}|2[ab])\s*\)\s*$", re.IGNORECASE)
_KIND_FAMILY = {
    "metropole": {"metropole", "communaute_urbaine"},
    "communaute_urbaine": {"communaute_urbaine", "metropole"},
}
_CORE_ONLY = 0.97  # the label matched once the kind words were removed, not as written
_KIND_MISMATCH = 0.9
_HINT_CONFLICT = 0.75
_HOMONYM_BY_RANK = 0.92
# A commune placed at its intercommunality's point: the place is right, the point is not exact.
APPROXIMATE_CONFIDENCE = 0.85


@dataclass(frozen=True)
class Match:
    """The full answer for one label."""

    status: str
    location: Location | None = None
    candidates: tuple[Location, ...] = field(default=())

    @property
    def confidence(self) -> float:
        best = self.location or (self.candidates[0] if self.candidates else None)
        return best.raw["confidence"] if best else 0.0


@dataclass
class _Candidate:
    index: int
    score: float
    hint_ok: bool = True
    kind_ok: bool = True
    exact: bool = False


class OfflineGeocoder(Geocoder):
    """Geocodes French territory labels from the shipped gazetteer, with no network."""

    def __init__(
        self,
        gazetteer: Gazetteer | None = None,
        min_confidence: float = MIN_CONFIDENCE,
        aliases: Mapping[str, tuple[str, str]] | None = None,
    ):
        """`aliases`: extra names (e.g. "Vallée de la Marne") → (official code, kind).

        An alias never shadows a name the gazetteer already knows.
        """
        super().__init__()
        self.gazetteer = gazetteer or load_gazetteer()
        self.min_confidence = min_confidence
        self._fuzzy = _FuzzyIndex(list(self.gazetteer.by_core))
        self._aliases: dict[str, list[int]] = {}
        for name, (code, kind) in (aliases or {}).items():
            index = self.gazetteer.find_code(code, kind)
            core = split_kind(name)[0]
            if index is not None and core not in self.gazetteer.by_core:
                self._aliases[core] = [index]

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: float | None = None,
        region: str | None = None,
        departement: str | None = None,
    ) -> Location | list[Location] | None:
        """geopy-style answer: the resolved Location (None otherwise), or all candidates."""
        match = self.resolve(query, region=region, departement=departement)
        if exactly_one:
            return match.location
        return list(match.candidates) or None

    def resolve(
        self, query: str, region: str | None = None, departement: str | None = None
    ) -> Match:
        """Resolve one label with optional hints (names or INSEE codes)."""
        text = (query or "").strip()
        trailing = _TRAILING_DEPARTEMENT.search(text)
        if trailing and not departement:
            departement, text = trailing.group(1), text[: trailing.start()]
        if not text:
            return Match(NOT_FOUND)
        if _CODE.match(text):
            return self._resolve_code(text.upper())
        gaz = self.gazetteer
        dep_code = gaz.departement_code(departement) if departement else None
        region_code = gaz.region_code(region) if region else None
        if departement and not dep_code and not region_code:
            region_code = gaz.region_code(departement)  # a région typed in the département column
        if dep_code and not region_code:
            region_code = self._region_of_departement(dep_code)
        core, kind_word = split_kind(text)
        full = normalize(text)
        candidates = [
            _Candidate(index, 1.0, exact=True)
            if gaz.full_keys[index] == full
            else _Candidate(index, _CORE_ONLY)
            for index in gaz.by_core.get(core) or self._aliases.get(core, ())
        ]
        if not candidates:
            # A label without kind words most likely means the entity named plainly (the town
            # "Toulouze" → Toulouse, not Toulouse Métropole), as for exact matches.
            candidates = [
                _Candidate(index, score * _CORE_ONLY, exact=gaz.full_keys[index] == fuzzy_core)
                for fuzzy_core, score in self._fuzzy.search(core)
                for index in gaz.by_core[fuzzy_core]
            ]
        if not candidates:
            return Match(NOT_FOUND)
        for candidate in candidates:
            candidate.hint_ok = self._agrees(candidate.index, dep_code, region_code)
            candidate.kind_ok = kind_word is None or gaz.kinds[candidate.index] in _KIND_FAMILY.get(
                kind_word, {kind_word}
            )
        candidates.sort(key=self._rank, reverse=True)
        return self._decide(candidates, hinted=bool(dep_code or region_code))

    def _rank(self, c: _Candidate) -> tuple:
        gaz = self.gazetteer
        kind = gaz.kinds[c.index]
        return (c.hint_ok, c.kind_ok, c.exact, c.score, -KIND_RANK[kind], gaz.populations[c.index])

    def _decide(self, candidates: list[_Candidate], hinted: bool) -> Match:
        best = candidates[0]
        confidence = best.score
        ambiguous = False
        if not best.hint_ok:
            confidence *= _HINT_CONFLICT
            ambiguous = True
        if not best.kind_ok:
            confidence *= _KIND_MISMATCH
        rival = next((c for c in candidates[1:] if not self._same_place(best.index, c.index)), None)
        if rival and self._rank(rival)[:3] == self._rank(best)[:3]:
            if best.score - rival.score <= AMBIGUITY_MARGIN and self._comparable(best, rival):
                ambiguous = True
            else:
                confidence *= _HOMONYM_BY_RANK
        locations = tuple(
            self._location(c.index, c.score if c is not best else confidence, method="name")
            for c in _distinct(candidates)[:5]
        )
        if ambiguous:
            return Match(AMBIGUOUS, None, locations)
        if confidence < self.min_confidence:
            return Match(NOT_FOUND, None, locations)
        return Match(RESOLVED, locations[0], locations)

    def _comparable(self, best: _Candidate, rival: _Candidate) -> bool:
        """Rivals of the same kind and of comparable size: population cannot settle it."""
        gaz = self.gazetteer
        if gaz.kinds[best.index] != gaz.kinds[rival.index]:
            return False
        return gaz.populations[rival.index] * 2 >= gaz.populations[best.index]

    def _same_place(self, a: int, b: int) -> bool:
        lats, lons = self.gazetteer.lats, self.gazetteer.lons
        return _km(lats[a], lons[a], lats[b], lons[b]) < SAME_PLACE_KM

    def _agrees(self, index: int, dep_code: str | None, region_code: str | None) -> bool:
        gaz = self.gazetteer
        if dep_code and gaz.kinds[index] != "region" and gaz.departements[index] != dep_code:
            return False
        return not region_code or gaz.regions[index] == region_code

    def _region_of_departement(self, dep_code: str) -> str | None:
        index = self.gazetteer.find_code(dep_code, "departement")
        return self.gazetteer.regions[index] if index is not None else None

    def _resolve_code(self, code: str) -> Match:
        kind = "commune" if len(code) == 5 else "ept"
        location = self.locate_code(code, kind)
        if location is None:
            return Match(NOT_FOUND)
        return Match(RESOLVED, location, (location,))

    def locate_code(self, code: str, kind: str, method: str = "code") -> Location | None:
        """The entity with this official code (INSEE or SIREN), authoritative: confidence 1."""
        index = self.gazetteer.find_code(code, kind)
        return None if index is None else self._location(index, 1.0, method=method)

    def _location(self, index: int, confidence: float, method: str) -> Location:
        entity = self.gazetteer.entity(index)
        approximate = self.gazetteer.approximate[index]
        if approximate:
            confidence = min(confidence, APPROXIMATE_CONFIDENCE)
        raw = {
            "status": RESOLVED,
            "code": entity["code"],
            "kind": entity["kind"],
            "name": entity["name"],
            "departement": entity["departement"],
            "region": entity["region"],
            "population": entity["population"],
            "confidence": round(float(confidence), 3),
            "source": "offline",
            "method": method,
            "approximate": approximate,
        }
        where = entity["departement"] or entity["region"]
        address = f"{entity['name']} ({where})"
        return Location(address, (float(entity["lat"]), float(entity["lon"])), raw)


def _distinct(candidates: list[_Candidate]) -> list[_Candidate]:
    seen: set[int] = set()
    return [c for c in candidates if not (c.index in seen or seen.add(c.index))]


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dx = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    dy = math.radians(lat2 - lat1)
    return 6371.0 * math.hypot(dx, dy)


class _FuzzyIndex:
    """Typo-tolerant look-up of core names with rapidfuzz, over a small block of candidates.

    Comparing a label with all ~37,000 names costs milliseconds; one typo leaves either the
    first three letters (after a leading "saint") or the last three intact, so comparing only
    with names sharing one of those keeps recall for small typos at a fraction of the cost.
    """

    def __init__(self, cores: list[str]):
        self.cores = cores
        self.blocks: dict[str, list[int]] = defaultdict(list)
        for index, core in enumerate(cores):
            for key in _block_keys(core):
                self.blocks[key].append(index)

    def search(self, core: str) -> list[tuple[str, float]]:
        """Close spellings of a core name with their similarity (0-1), best first."""
        if len(core) < 5:
            return []
        cutoff = 85 if len(core) >= 8 else 90
        ids = {i for key in _block_keys(core) for i in self.blocks.get(key, ())}
        choices = {i: self.cores[i] for i in ids}
        found = process.extract(core, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5)
        return [(choice, score / 100) for choice, score, _ in found]


def _block_keys(core: str) -> tuple[str, str]:
    stem = core.removeprefix("sainte ").removeprefix("saint ")
    return "<" + stem[:3], ">" + core[-3:]
