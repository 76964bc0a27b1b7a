"""The one table of territory kinds: code space, size rank, marker shape, French and English names.

The gazetteer, the geocoder, the data checks, the map, the labels, the gazetteer build and the
benchmarks all read it, so a kind is added or renamed here only.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Kind:
    """One kind of territorial body (or of place)."""

    id: str
    # Namespace of its official code in the gazetteer: régions and départements share two-digit
    # codes ("11", "84"); EPCI and EPT have a SIREN. None: not in the gazetteer.
    code_space: str | None
    # Larger bodies first: with no other clue, "Vienne" is the département before the town.
    # None: not in the gazetteer.
    rank: int | None
    shape: str  # marker symbol on the map: square, circle, triangle, dot or diamond
    fr: str
    en: str
    territory: bool = True  # whether a labelled territory may be of this kind (data/ check)


KINDS: tuple[Kind, ...] = (
    Kind("region", "region", 0, "square", "Région", "Region"),
    Kind("departement", "departement", 1, "square", "Département", "Département"),
    Kind("metropole", "siren", 2, "circle", "Métropole", "Metropolis"),
    Kind("communaute_urbaine", "siren", 3, "circle", "Communauté urbaine", "Urban community"),
    Kind(
        "agglomeration",
        "siren",
        5,
        "triangle",
        "Communauté d'agglomération",
        "Agglomeration community",
    ),
    Kind("communes", "siren", 6, "triangle", "Communauté de communes", "Community of communes"),
    Kind(
        "ept",
        "siren",
        4,
        "triangle",
        "Établissement public territorial",
        "Territorial public body (EPT)",
    ),
    Kind("commune", "commune", 7, "dot", "Commune", "Municipality"),
    # Paris, Lyon and Marseille's municipal arrondissements: found by their own spellings and
    # postal codes, never by plain name (so "Paris" stays Paris); their INSEE codes are commune
    # codes (75113).
    Kind(
        "arrondissement",
        None,
        None,
        "dot",
        "Arrondissement municipal",
        "Municipal arrondissement",
        territory=False,
    ),
    Kind("cluster", None, None, "diamond", "Pôle de coopération (cluster)", "Cooperation cluster"),
    Kind("area", None, None, "diamond", "Territoire de projet", "Project area"),
    # What an online provider answers (an address, a place): never a labelled territory.
    Kind("place", None, None, "dot", "Lieu", "Place", territory=False),
)
KIND = {kind.id: kind for kind in KINDS}
TERRITORY_KINDS = tuple(kind.id for kind in KINDS if kind.territory)
# Kinds of the gazetteer's entities, in the table's order (that of its groups file, communes last).
GAZETTEER_KINDS = tuple(kind.id for kind in KINDS if kind.code_space)
GROUP_KINDS = tuple(kind.id for kind in KINDS if kind.code_space == "siren")
CODE_SPACE = {kind.id: kind.code_space for kind in KINDS if kind.code_space}
KIND_RANK = {kind.id: kind.rank for kind in KINDS if kind.rank is not None}


def kind_label(kind: str, lang: str) -> str:
    """Readable name of a kind in "fr" or "en"; an unknown kind is shown as it is written."""
    found = KIND.get(kind)
    if found is None:
        return kind
    return found.fr if lang == "fr" else found.en
