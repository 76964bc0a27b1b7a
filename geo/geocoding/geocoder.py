"""An offline geocoder for French territories, behind geopy's Geocoder interface.

`OfflineGeocoder.geocode` behaves like any geopy geocoder (so it composes with RateLimiter,
pandas' apply and the online providers) and `resolve` says more: resolved, ambiguous (with the
candidates) or not_found, and how sure it is. The rule of thumb is "never a confident wrong
guess": a label is resolved only when its name (or a close spelling) points to one place once the
hints (région, département, postal code, the kind of body the label names) have been applied;
comparable homonyms far apart stay ambiguous. A place cell may also be a postal code, an address
ending in one, an arrondissement of Paris, Lyon or Marseille, or a former commune's name (see
geo.geocoding.cells); each answer carries notes saying how it was read (geo.geocoding.notes).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, overload

from geopy.geocoders.base import Geocoder
from geopy.location import Location
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from geo.geocoding.cells import (
    arrondissement_code,
    clean_postcode,
    postcode_departement,
    read_place,
)
from geo.geocoding.gazetteer import REGION_NICKNAMES, FormerCommune, Gazetteer, load_gazetteer
from geo.geocoding.kinds import KIND_RANK
from geo.geocoding.normalize import normalize, split_kind
from geo.geocoding.notes import Note

RESOLVED, AMBIGUOUS, NOT_FOUND = "resolved", "ambiguous", "not_found"
# Below this score an answer is never "resolved".
MIN_CONFIDENCE = 0.80
# Two candidates closer than this in score are "ambiguous" unless a hint separates them.
AMBIGUITY_MARGIN = 0.02
SAME_PLACE_KM = 50.0  # two answers this close are the same place for a map of France
_CODE = re.compile(r"^(?:\d{5}|2[AB]\d{3}|\d{9})$", re.IGNORECASE)
_FIVE_DIGITS = re.compile(r"^\d{5}$")
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
# A commune that holds this share of a same-named body's population is what its name means:
# "Paris" is the commune 75056 (the whole département 75), "Mayenne" the département 53.
_CITY_SHARE = 0.5
# A postal code's few communes: a name this close to one of them (rapidfuzz ratio, 0-100) names it.
_WITHIN_CUTOFF = 70
_WITHIN_SCORE = 0.85  # ... and is resolved at this confidence (plus up to 0.1 as it gets closer)
# Words after which a label's last words are part of a name ("-sur-Mer"), not a commune of its own.
_LINKING_WORDS = {"sur", "sous", "en", "les", "lez", "de", "du", "des", "la", "le", "l", "d", "aux",
                  "au", "et", "a"}  # fmt: skip
_SHORT_NAME = 7  # letters (and spaces) of a core name that is also blocked by two letters
_ONE_EDIT = 0.9  # a name one edit (a swap counts as one) from a known name, before _CORE_ONLY
# A commune the geometry source lacks (4 in Cantal), placed at its intercommunality's point:
# the place is right, the point is not exact.
APPROXIMATE_CONFIDENCE = 0.85
_FORMER = 0.95  # a former commune's name: today's commune is meant, but say so
# An unknown name (a locality, a business park) placed by its postal code's only commune.
_BY_POSTCODE_ONLY = 0.85


@dataclass(frozen=True)
class Match:
    """The full answer for one label, with what the reviewer should know about it (`notes`)."""

    status: str
    location: Location | None = None
    candidates: tuple[Location, ...] = field(default=())
    notes: tuple[Note, ...] = field(default=())

    def noted(self, notes: list[Note] | tuple[Note, ...]) -> Match:
        """The same answer with `notes` before its own."""
        return replace(self, notes=(*notes, *self.notes)) if notes else self

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
    former: FormerCommune | None = None


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
        self._locations: dict[tuple[int, float, str], Location] = {}
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

    # As geopy's geocoders: one Location or None by default, the candidates with exactly_one=False.
    @overload
    def geocode(
        self,
        query: str,
        *,
        exactly_one: Literal[True] = True,
        timeout: float | None = None,
        region: str | None = None,
        departement: str | None = None,
        postcode: str | None = None,
    ) -> Location | None: ...

    @overload
    def geocode(
        self,
        query: str,
        *,
        exactly_one: Literal[False],
        timeout: float | None = None,
        region: str | None = None,
        departement: str | None = None,
        postcode: str | None = None,
    ) -> list[Location] | None: ...

    def geocode(
        self,
        query: str,
        *,
        exactly_one: bool = True,
        timeout: float | None = None,
        region: str | None = None,
        departement: str | None = None,
        postcode: str | None = None,
    ) -> Location | list[Location] | None:
        """geopy-style answer: the resolved Location (None otherwise, even for a homonym placed
        at its likeliest bearer: geopy callers take any answer as sure), or all candidates."""
        match = self.resolve(query, region=region, departement=departement, postcode=postcode)
        if exactly_one:
            return match.location if match.status == RESOLVED else None
        return list(match.candidates) or None

    def resolve(
        self,
        query: str,
        region: str | None = None,
        departement: str | None = None,
        postcode: str | None = None,
    ) -> Match:
        """Resolve one place cell with optional hints (names or INSEE codes) and postal code.

        The cell may be a name, "PARIS 13", "POITIERS CEDEX", an address ending in a postal
        code and commune, or a bare postal code: five digits in a place column are a postal
        code, never an INSEE code (use `resolve_code` for a code column). A 9-digit SIREN or a
        Corsican INSEE code ("2A004"), which no postal code can be, is read as a code.
        """
        text = (query or "").strip()
        trailing = _TRAILING_DEPARTEMENT.search(text)
        if trailing and not departement:
            departement, text = trailing.group(1), text[: trailing.start()]
        if _CODE.match(text) and not _FIVE_DIGITS.match(text):
            return self.resolve_code(text.upper())
        place = read_place(text)
        notes: list[Note] = [Note.of("cedex")] if place.cedex else []
        if place.postcode and not place.name:
            notes.append(Note.of("postcode_in_place", value=place.postcode))
        cell_postcode, cedex = clean_postcode(postcode or "")
        if cedex and not place.cedex:
            notes.append(Note.of("cedex"))
        code = cell_postcode or place.postcode
        if place.address:
            notes.append(Note.of("address", postcode=code, name=place.name))
        arrondissement = arrondissement_code(place.name) if place.name else None
        if arrondissement:
            location = self.locate_code(arrondissement, "commune", method="name")
            return Match(RESOLVED, location, (location,), tuple(notes))
        served = self.gazetteer.by_postcode.get(code, []) if code else []
        if code and not served:
            departement = departement or postcode_departement(code)
            notes.append(Note.of("postcode_unknown", postcode=code, departement=departement or ""))
        if not place.name:
            return self._by_postcode(code, served, notes, named="")
        gaz = self.gazetteer
        dep_code = gaz.departement_code(departement) if departement else None
        region_code = gaz.region_code(region) if region else None
        if departement and not dep_code and not region_code:
            region_code = gaz.region_code(departement)  # a région typed in the département column
        if region and not region_code and not dep_code:
            dep_code = gaz.departement_code(region)  # a département typed in the région column
        if dep_code and not region_code:
            region_code = self._region_of_departement(dep_code)
        within = None
        if served:
            within = {i: i for i in served} | {gaz.parent[i]: i for i in served if i in gaz.parent}
        match = self._resolve_name(place.name, dep_code, region_code, within)
        if within is not None and not match.candidates:
            return self._name_outside_postcode(
                place.name, code, served, dep_code, region_code, notes
            )
        if within is None and match.status == NOT_FOUND and not match.candidates:
            match = self._commune_ending(place.name, dep_code, region_code) or match
        return match.noted(notes)

    def _commune_ending(
        self, text: str, dep_code: str | None, region_code: str | None
    ) -> Match | None:
        """A label no place bears whose last words name a commune ("Emmaüs Connect Valence"):
        that commune's answer, to check (ambiguous, placed) unless a hint of the row agrees.

        Words after a linking word ("Bravil-sur-Mer") and names under four letters are no
        ending: they are part of a name, not a commune written after it.
        """
        words = normalize(text).split()
        gaz = self.gazetteer
        for start in range(1, len(words)):
            ending = " ".join(words[start:])
            if words[start - 1] in _LINKING_WORDS or len(ending) < 4:
                continue
            if not any(gaz.kinds[i] == "commune" for i in gaz.by_core.get(ending, ())):
                continue
            match = self._resolve_name(ending, dep_code, region_code, None)
            best = match.location or (match.candidates[0] if match.candidates else None)
            if best is None or best.raw["kind"] != "commune":
                return None
            note = Note.of("commune_in_label", name=best.raw["name"])
            if match.status == RESOLVED and (dep_code or region_code):
                return match.noted([note])
            return Match(AMBIGUOUS, best, match.candidates, (note, *match.notes))
        return None

    def resolve_code(self, code: str) -> Match:
        """An INSEE commune (or arrondissement) code, a former commune's code, or an EPCI's SIREN.

        For a column that holds codes: an official code is authoritative (confidence 1).
        """
        code = code.strip().upper()
        if len(code) == 4 and code.isdigit():
            code = "0" + code  # a spreadsheet dropped the leading zero of 01053
        if not _CODE.match(code):
            return Match(NOT_FOUND, notes=(Note.of("code_unknown", value=code),))
        if len(code) == 9:
            location = self.locate_code(code, "ept")
        else:
            location = self.locate_code(code, "commune")
            former = self.gazetteer.former_by_code.get(code)
            if location is None and former is not None:
                location = self._location(former.today, 1.0, method="code")
                return Match(RESOLVED, location, (location,), (self._former_note(former),))
        if location is None:
            return Match(NOT_FOUND, notes=(Note.of("code_unknown", value=code),))
        return Match(RESOLVED, location, (location,))

    def _by_postcode(self, code: str, served: list[int], notes: list[Note], named: str) -> Match:
        """The answer a postal code alone gives: its one commune, else its communes to choose."""
        if not served:
            return Match(NOT_FOUND, notes=tuple(notes))
        locations = tuple(self._location(i, 1.0, method="postcode") for i in served)
        if len(served) > 1:
            note = Note.of("postcode_many", postcode=code, count=len(served))
            return Match(AMBIGUOUS, None, locations, (*notes, note))
        if named:
            location = self._location(served[0], _BY_POSTCODE_ONLY, method="postcode")
            note = Note.of("placed_by_postcode", name=named, postcode=code)
            return Match(RESOLVED, location, (location,), (*notes, note))
        note = Note.of("postcode_only", postcode=code)
        return Match(RESOLVED, locations[0], locations, (*notes, note))

    def _name_outside_postcode(
        self,
        name: str,
        code: str,
        served: list[int],
        dep_code: str | None,
        region_code: str | None,
        notes: list[Note],
    ) -> Match:
        """A name that is none of its postal code's communes.

        If the name is a place elsewhere, name and code disagree: the row is ambiguous between
        them. If it names nothing known (a locality, a business park), the postal code places it.
        """
        elsewhere = self._resolve_name(name, dep_code, region_code, None)
        if elsewhere.status == NOT_FOUND and elsewhere.confidence < self.min_confidence:
            return self._by_postcode(code, served, notes, named=name)
        postal = tuple(self._location(i, 0.5, method="postcode") for i in served[:5])
        note = Note.of("name_not_in_postcode", name=name, postcode=code)
        return Match(AMBIGUOUS, None, elsewhere.candidates[:5] + postal, (*notes, note))

    def _resolve_name(
        self,
        text: str,
        dep_code: str | None,
        region_code: str | None,
        within: dict[int, int] | None,
    ) -> Match:
        """A name against the gazetteer; `within` (entity → answer) keeps only a postal code's
        communes, a commune with arrondissements standing for the code's arrondissement."""
        gaz = self.gazetteer
        core, kind_word = split_kind(text)
        full = normalize(text)
        known = self._well_known_index(full, core, kind_word)
        stages = (
            lambda: [_Candidate(known, 1.0, exact=True)] if known is not None else [],
            lambda: [
                _Candidate(index, 1.0, exact=True)
                if gaz.full_keys[index] == full
                else _Candidate(index, _CORE_ONLY)
                for index in gaz.by_core.get(core) or self._aliases.get(core, [])
            ],
            lambda: [
                _Candidate(former.today, _FORMER, exact=True, former=former)
                for former in gaz.former_by_core.get(core, ())
            ],
            # A label without kind words most likely means the entity named plainly (the town
            # "Toulouze" → Toulouse, not Toulouse Métropole), as for exact matches.
            lambda: [
                _Candidate(
                    index,
                    score * _CORE_ONLY,
                    exact=gaz.full_keys[index] == full.replace(core, fuzzy_core, 1),
                )
                for fuzzy_core, score in self._fuzzy.search(core)
                for index in gaz.by_core[fuzzy_core]
            ],
            lambda: self._close_within(core, within) if within else [],
        )
        candidates: list[_Candidate] = []
        for stage in stages:
            candidates = stage()
            if within is not None:
                candidates = [
                    _Candidate(within[c.index], c.score, exact=c.exact, former=c.former)
                    for c in candidates
                    if c.index in within
                ]
            if candidates:
                break
        if not candidates:
            return Match(NOT_FOUND)
        for candidate in candidates:
            candidate.hint_ok = self._agrees(candidate.index, dep_code, region_code)
            candidate.kind_ok = kind_word is None or gaz.kinds[candidate.index] in _KIND_FAMILY.get(
                kind_word, {kind_word}
            )
        candidates.sort(key=self._rank, reverse=True)
        if kind_word is None:
            candidates = self._city_first(candidates)
        return self._decide(candidates, strict_kind=kind_word in _STRICT_KINDS)

    def _city_first(self, candidates: list[_Candidate]) -> list[_Candidate]:
        """The commune first when the best answer is a body at the same place that the commune
        mostly is: "Paris" alone is the commune, not the département 75 it fills."""
        gaz = self.gazetteer
        best = candidates[0]
        if gaz.kinds[best.index] == "commune":
            return candidates
        for candidate in candidates[1:]:
            if (
                gaz.kinds[candidate.index] == "commune"
                and self._rank(candidate)[:4] == self._rank(best)[:4]
                and self._same_place(best, candidate)
                and gaz.populations[candidate.index] >= _CITY_SHARE * gaz.populations[best.index]
            ):
                return [candidate, *(c for c in candidates if c is not candidate)]
        return candidates

    def _close_within(self, core: str, within: dict[int, int]) -> list[_Candidate]:
        """A postal code's communes whose name is close to `core` (a few communes: all compared).

        The code already narrowed France to a handful of communes, so a looser match decides:
        "REJMS" with 51100 is Reims, "Pairs" with 75001 Paris, though neither would be read as
        such alone. A swap of two letters counts as one edit, as everywhere.
        """
        gaz = self.gazetteer
        choices = {index: gaz.cores[index] for index in within}
        found = process.extract(
            core, choices, scorer=_typo_ratio, score_cutoff=_WITHIN_CUTOFF, limit=3
        )
        span = (100 - _WITHIN_CUTOFF) / 0.1
        return [
            _Candidate(index, _WITHIN_SCORE + (score - _WITHIN_CUTOFF) / span)
            for _, score, index in found
        ]

    def _former_note(self, former: FormerCommune) -> Note:
        today = self.gazetteer.names[former.today]
        return Note.of("former_commune", former=former.name, how=former.kind, commune=today)

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
        rank = KIND_RANK.get(kind, len(KIND_RANK))  # arrondissements: below communes
        return (c.hint_ok, c.kind_ok, c.exact, c.score, -rank, gaz.populations[c.index])

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
            if self._rank(c)[:3] == self._rank(best)[:3] and not self._same_place(best, c)
        ]
        by_size = None
        placed = False  # ambiguous, but the most likely homonym's point is given
        if rivals:
            close = [c for c in rivals if best.score - c.score <= AMBIGUITY_MARGIN]
            # Same-name places of one kind, far apart, as close to the label: nothing in the
            # row tells which is meant, so the most populous one is placed, to check ("Valence"
            # alone). A body and small communes of its name ("Bretagne") go to the body, unless
            # the name was itself a guess ("Nort": Nord, Niort or Nort-sur-Erdre's neighbours).
            kinds = self.gazetteer.kinds
            guessed = best.score < _CORE_ONLY
            if close and (guessed or any(kinds[c.index] == kinds[best.index] for c in close)):
                ambiguous = True
                placed = best.hint_ok
            else:
                confidence *= _HOMONYM_BY_RANK
                by_size = self._why_ambiguous(best, rivals, chosen=True)
        locations = tuple(
            self._location(c.index, c.score if c is not best else confidence, method="name")
            for c in _distinct(candidates)[:5]
        )
        notes: tuple[Note, ...] = (self._former_note(best.former),) if best.former else ()
        notes += (by_size,) if by_size else ()
        if ambiguous:
            why = self._why_ambiguous(best, rivals, placed=placed)
            return Match(AMBIGUOUS, locations[0] if placed else None, locations, (*notes, why))
        if confidence < self.min_confidence:
            return Match(NOT_FOUND, None, locations, notes)
        return Match(RESOLVED, locations[0], locations, notes)

    def _why_ambiguous(
        self, best: _Candidate, rivals: list[_Candidate], chosen: bool = False, placed: bool = False
    ) -> Note:
        gaz = self.gazetteer
        places = _distinct([best, *rivals])
        where = sorted({gaz.departements[c.index] or gaz.regions[c.index] for c in places})
        if not best.hint_ok:
            return Note.of("hint_conflict", where=", ".join(where[:6]))
        key = "homonyms_by_size" if chosen else "homonyms_placed" if placed else "homonyms"
        values = {"count": len(places), "where": ", ".join(where[:6])}
        if placed:
            values["place"] = f"{gaz.names[best.index]} ({where_of(gaz, best.index)})"
        return Note.of(key, **values)

    def _same_place(self, a: _Candidate, b: _Candidate) -> bool:
        """Whether two answers are one place for a map of France: Paris the commune and Paris
        the département are; two communes of the same name 30 km apart are not, nor the
        commune Mayenne and the département it is a small part of."""
        gaz = self.gazetteer
        kinds = {gaz.kinds[a.index], gaz.kinds[b.index]}
        if kinds == {"commune"}:
            return False
        if "commune" in kinds and kinds & _STRICT_KINDS:
            commune, body = (a, b) if gaz.kinds[a.index] == "commune" else (b, a)
            populations = gaz.populations
            return populations[commune.index] >= _CITY_SHARE * populations[body.index]
        lats, lons = gaz.lats, gaz.lons
        return _km(lats[a.index], lons[a.index], lats[b.index], lons[b.index]) < SAME_PLACE_KM

    def _agrees(self, index: int, dep_code: str | None, region_code: str | None) -> bool:
        gaz = self.gazetteer
        if dep_code and gaz.kinds[index] != "region" and gaz.departements[index] != dep_code:
            return False
        return not region_code or gaz.regions[index] == region_code

    def _region_of_departement(self, dep_code: str) -> str | None:
        index = self.gazetteer.find_code(dep_code, "departement")
        return self.gazetteer.regions[index] if index is not None else None

    def locate_code(self, code: str, kind: str, method: str = "code") -> Location | None:
        """The entity with this official code (INSEE or SIREN), authoritative: confidence 1."""
        index = self.gazetteer.find_code(code, kind)
        return None if index is None else self._location(index, 1.0, method=method)

    def _location(self, index: int, confidence: float, method: str) -> Location:
        """The answer for one entity, built once per (entity, confidence, method).

        A geopy Location costs more to build than the match itself; a list names the same
        places again and again. Its `raw` is shared: readers copy it (`raw | {...}`).
        """
        key = (index, round(float(confidence), 3), method)
        location = self._locations.get(key)
        if location is None:
            location = self._locations[key] = self._new_location(index, confidence, method)
        return location

    def _new_location(self, index: int, confidence: float, method: str) -> Location:
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


def where_of(gaz: Gazetteer, index: int) -> str:
    """The département (else région) code an entity is in, as notes name places."""
    return gaz.departements[index] or gaz.regions[index]


def _edit_score(typed: str, name: str) -> float:
    """Similarity (0-1) from the edits between two names; one edit is worth _ONE_EDIT at least."""
    edits = OSA.distance(typed, name)
    score = 1 - edits / max(len(typed), len(name), 1)
    return max(score, _ONE_EDIT) if edits <= 1 else score


def _typo_ratio(a: str, b: str, *, score_cutoff: float | None = None) -> float:
    """rapidfuzz's ratio, with a swap of two letters scored as one edit (not two); as a scorer
    of rapidfuzz.process it is given the cutoff below which a score counts as 0."""
    score = fuzz.ratio(a, b)
    length = max(len(a), len(b))
    if length:
        score = max(score, 100 * (1 - OSA.distance(a, b) / length))
    cutoff = score_cutoff or 0
    return score if score >= cutoff else 0


def _distinct(candidates: list[_Candidate]) -> list[_Candidate]:
    """Each entity once, where it first comes (candidates come best first)."""
    seen: set[int] = set()
    distinct = []
    for c in candidates:
        if c.index not in seen:
            seen.add(c.index)
            distinct.append(c)
    return distinct


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
        self.blocks: dict[str, list[str]] = defaultdict(list)
        for core in cores:
            for key in _block_keys(core):
                self.blocks[key].append(core)

    def search(self, core: str) -> list[tuple[str, float]]:
        """Close spellings of a core name with their similarity (0-1), best first."""
        if len(core) < 4:
            return []
        cutoff = 85 if len(core) >= 8 else 90
        found: list[tuple[str, float, int]] = []
        for key in _block_keys(core):
            block = self.blocks.get(key, ())
            # Names one edit away, a swap of two letters included ("LILLL", "BNOZEE", "MLEUN"),
            # which the ratio scores as two edits and short names cannot afford; the ratio's
            # looser matches only from five letters on.
            one_edit = process.extract(core, block, scorer=OSA.distance, score_cutoff=1, limit=10)
            found += one_edit
            if len(core) >= 5:
                found += process.extract(
                    core, block, scorer=fuzz.ratio, score_cutoff=cutoff, limit=5
                )
        # Every hit scored by its edits (a swap is one), so that two names as many edits away
        # tie: "Trléans" is as close to Trélans as to Orléans, and stays ambiguous.
        scores = {choice: _edit_score(core, choice) for choice, _, _ in found}
        ranked = sorted(scores.items(), key=lambda item: item[1], reverse=True)
        return [(choice, score) for choice, score in ranked if _typo_of_same_words(core, choice)]


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


def _block_keys(core: str) -> tuple[str, ...]:
    """First three letters (after a leading "saint") and last three; for a short name also the
    first two and last two, since one edit there ("ALRES", "MLEUN", "ST DEINS") can touch both
    triples."""
    stem = core.removeprefix("sainte ").removeprefix("saint ")
    keys = ("<" + stem[:3], ">" + core[-3:])
    return (*keys, "<<" + stem[:2], ">>" + core[-2:]) if len(stem) <= _SHORT_NAME else keys
