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
from rapidfuzz.distance import OSA

from geo.geocoding.gazetteer import REGION_NICKNAMES, Gazetteer, load_gazetteer
from geo.geocoding.kinds import KIND_RANK
from geo.geocoding.normalize import normalize, split_kind

RESOLVED, AMBIGUOUS, NOT_FOUND = "resolved", "ambiguous", "not_found"
# Below this score an answer is never "resolved".
MIN_CONFIDENCE = 0.80
# Two candidates closer than this in score are "ambiguous" unless a hint separates them.
AMBIGUITY_MARGIN = 0.02
SAME_PLACE_KM = 50.0  # two answers this close are the same place for a map of France
_CODE = re.compile(r"^(?:\d{5}|2[AB]\d{3}|\d{9})$", re.IGNORECASE)
_TRAILING_DEPARTEMENT = re.compile(r"\s*\(\s*(\d{2,3}|2[ab])\s*\)\s*$", re.IGNORECASE)
_KIND_FAMILY = {
    "metropole": {"metropole", "communaute_urbaine"},
    "communaute_urbaine": {"communaute_urbaine", "metropole"},
}
# Names in everyday use that the official names do not give → (official code, kind).
WELL_KNOWN_NAMES: dict[str, tuple[str, str]] = {
    **{name: (code, "region") for name, code in REGION_NICKNAMES.items()},
    "Grand Lyon": ("200046977", "metropole"),
}
_CORE_ONLY = 0.97  # the label matched once the kind words were removed, not as written
_KIND_MISMATCH = 0.9
# "Région X" / "Département X" naming something else is no near miss: the agglomeration "CA du
# Sud" is not the "Région Sud". Such an answer stays below MIN_CONFIDENCE.
_STRICT_KINDS = {"region", "departement"}
_STRICT_KIND_MISMATCH = 0.75
_HINT_CONFLICT = 0.75
_HOMONYM_BY_RANK = 0.92
_DOMINANT_SHARE = 0.8  # the share of its homonyms' population a place needs to win by size
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
        self._well_known: dict[str, int] = {}
        for name, (code, kind) in WELL_KNOWN_NAMES.items():
            index = self.gazetteer.find_code(code, kind)
            if index is not None:
                self._well_known[normalize(name)] = index

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
        if region and not region_code and not dep_code:
            dep_code = gaz.departement_code(region)  # a département typed in the région column
        if dep_code and not region_code:
            region_code = self._region_of_departement(dep_code)
        core, kind_word = split_kind(text)
        full = normalize(text)
        known = self._well_known_index(full, core, kind_word)
        candidates = (
            [_Candidate(known, 1.0, exact=True)]
            if known is not None
            else [
                _Candidate(index, 1.0, exact=True)
                if gaz.full_keys[index] == full
                else _Candidate(index, _CORE_ONLY)
                for index in gaz.by_core.get(core) or self._aliases.get(core, ())
            ]
        )
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
        return self._decide(candidates, strict_kind=kind_word in _STRICT_KINDS)

    def _well_known_index(self, full: str, core: str, kind_word: str | None) -> int | None:
        """The entity a WELL_KNOWN_NAMES label names ("PACA", "Région Centre"), else None."""
        index = self._well_known.get(full)
        if index is None and kind_word is not None:
            index = self._well_known.get(core)
            if index is not None and self.gazetteer.kinds[index] not in _KIND_FAMILY.get(
                kind_word, {kind_word}
            ):
                index = None
        return index

    def _rank(self, c: _Candidate) -> tuple:
        gaz = self.gazetteer
        kind = gaz.kinds[c.index]
        return (c.hint_ok, c.kind_ok, c.exact, c.score, -KIND_RANK[kind], gaz.populations[c.index])

    def _decide(self, candidates: list[_Candidate], strict_kind: bool) -> Match:
        best = candidates[0]
        confidence = best.score
        ambiguous = False
        if not best.hint_ok:
            confidence *= _HINT_CONFLICT
            ambiguous = True
        if not best.kind_ok:
            confidence *= _STRICT_KIND_MISMATCH if strict_kind else _KIND_MISMATCH
        rivals = [
            c
            for c in candidates[1:]
            if self._rank(c)[:3] == self._rank(best)[:3]
            and not self._same_place(best.index, c.index)
        ]
        if rivals:
            close = [c for c in rivals if best.score - c.score <= AMBIGUITY_MARGIN]
            if self._population_cannot_settle(best, close):
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

    def _population_cannot_settle(self, best: _Candidate, rivals: list[_Candidate]) -> bool:
        """Whether homonyms of the same kind, far apart, leave the best one unlikely to be meant.

        With no other clue, a name most likely means its most populous bearer: "Valence" is the
        Drôme's (64,000 inhabitants) rather than Tarn-et-Garonne's (5,000). That holds only when
        the best one holds most of the homonyms' population; six villages named "Beaulieu", the
        largest with 2,300 inhabitants, stay ambiguous.
        """
        gaz = self.gazetteer
        kind = gaz.kinds[best.index]
        same_kind = [c.index for c in rivals if gaz.kinds[c.index] == kind]
        if not same_kind:
            return False
        total = gaz.populations[best.index] + sum(gaz.populations[i] for i in same_kind)
        return total == 0 or gaz.populations[best.index] / total < _DOMINANT_SHARE

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
        return [
            (choice, score / 100) for choice, score, _ in found if _typo_of_same_words(core, choice)
        ]


def _typo_of_same_words(typed: str, name: str) -> bool:
    """Whether the words in which two close names differ are themselves a typo of each other.

    "pays de lunel" and "pays de lure" are 88 % alike overall, but only because they share
    "pays de": "lunel" is not a typo of "lure". The differing words may hold one edit per four
    letters (at least one); a name that only adds words ("marseille 13") is judged overall.
    """
    typed_rest, name_rest = _without_shared_words(typed.split(), name.split())
    if not typed_rest or not name_rest:
        return True
    allowed = max(1, max(len(typed_rest), len(name_rest)) // 4)
    return OSA.distance(typed_rest, name_rest) <= allowed  # a swap of two letters is one edit


def _without_shared_words(a: list[str], b: list[str]) -> tuple[str, str]:
    """The words of `a` not in `b` and those of `b` not in `a`, each in its order."""
    rest_b = list(b)
    rest_a = []
    for word in a:
        if word in rest_b:
            rest_b.remove(word)
        else:
            rest_a.append(word)
    return " ".join(rest_a), " ".join(rest_b)


def _block_keys(core: str) -> tuple[str, str]:
    stem = core.removeprefix("sainte ").removeprefix("saint ")
    return "<" + stem[:3], ">" + core[-3:]
