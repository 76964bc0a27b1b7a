"""The table of territory kinds, for the app layer: defined in geo.geocoding.kinds, which the
geocoder needs too (code spaces, size ranks)."""

from geo.geocoding.kinds import (
    CODE_SPACE,
    GAZETTEER_KINDS,
    GROUP_KINDS,
    KIND,
    KIND_RANK,
    KINDS,
    TERRITORY_KINDS,
    Kind,
    kind_label,
)

__all__ = [
    "CODE_SPACE",
    "GAZETTEER_KINDS",
    "GROUP_KINDS",
    "KIND",
    "KINDS",
    "KIND_RANK",
    "TERRITORY_KINDS",
    "Kind",
    "kind_label",
]
