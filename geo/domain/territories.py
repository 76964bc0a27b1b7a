"""Place the curated French Impact territories, authoritative codes first.

Each territory gets a point and a record of how it was found, in this order:
1. `entity_code` — the SIREN of its EPCI/EPT or the INSEE code of its région, département or
   commune: the gazetteer's representative point of that entity;
2. `seat_code` — for clusters and areas with no single entity: the seat town's own point;
3. `label` — the offline geocoder on its name, restricted to its région;
4. `departement_code` / `region_code` — when only the perimeter is known, the point of its
   single département, else of its région (the card then says the position is approximate).

`load_placed()` is what the page, the command line and the benchmarks start from: the curated
data and its territories placed, each with its région's name, built once per process.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import pandas as pd

from geo.domain.data import Dataset, load_dataset, split_list
from geo.geocoding.geocoder import OfflineGeocoder

POSITION_COLUMNS = [
    "lat",
    "lon",
    "position_method",
    "position_code",
    "position_label",
    "position_approximate",
]


def territory_aliases(territories: pd.DataFrame) -> dict[str, tuple[str, str]]:
    """Label of each curated territory → (code, kind) of the entity that places it.

    So that a user's list naming "Vallée de la Marne" or "Montreuillois" lands where the
    labelled territory is, not on a homonym.
    """
    aliases: dict[str, tuple[str, str]] = {}
    rows = territories[["name", "entity_code", "kind", "seat_code"]].itertuples(
        index=False, name=None
    )
    for name, entity_code, kind, seat_code in rows:
        if entity_code:
            aliases[name] = (entity_code, kind)
        elif seat_code:
            aliases[name] = (seat_code, "commune")
    return aliases


@lru_cache(maxsize=1)
def default_geocoder() -> OfflineGeocoder:
    """The offline geocoder that knows the curated territories' labels, built once."""
    return OfflineGeocoder(aliases=territory_aliases(load_dataset().territories))


def place_territories(territories: pd.DataFrame, geocoder: OfflineGeocoder) -> pd.DataFrame:
    """`territories` with POSITION_COLUMNS added; a row that cannot be placed keeps NaN."""
    positions = [_place(row, geocoder) for _, row in territories.iterrows()]
    return pd.concat(
        [territories, pd.DataFrame(positions, columns=POSITION_COLUMNS, index=territories.index)],
        axis=1,
    )


def place_dataset(dataset: Dataset, geocoder: OfflineGeocoder) -> pd.DataFrame:
    """The dataset's territories placed (POSITION_COLUMNS) and named their région (region_name)."""
    placed = place_territories(dataset.territories, geocoder)
    region_names = dataset.regions.set_index("code")["name"]
    placed["region_name"] = placed["region_code"].map(region_names).fillna("")
    return placed


class PlacedDataset(NamedTuple):
    """The curated data and its placed territories (with `region_name`); never modify them."""

    dataset: Dataset
    placed: pd.DataFrame


@lru_cache(maxsize=1)
def load_placed() -> PlacedDataset:
    """The curated data and its territories on the map, read and placed once per process."""
    dataset = load_dataset()
    return PlacedDataset(dataset, place_dataset(dataset, default_geocoder()))


def _place(row: pd.Series, geocoder: OfflineGeocoder) -> list:
    departements = split_list(row["departement_codes"])
    attempts = [
        lambda: (
            row["entity_code"]
            and geocoder.locate_code(row["entity_code"], row["kind"], "entity_code")
        ),
        lambda: row["seat_code"] and geocoder.locate_code(row["seat_code"], "commune", "seat_code"),
        lambda: geocoder.geocode(row["name"], region=row["region_code"]),
        lambda: (
            len(departements) == 1
            and geocoder.locate_code(departements[0], "departement", "departement_code")
        ),
        lambda: geocoder.locate_code(row["region_code"], "region", "region_code"),
    ]
    for attempt in attempts:
        location = attempt()
        if location:
            raw = location.raw
            method = "label" if raw["method"] == "name" else raw["method"]
            approximate = raw.get("approximate", False) or method in (
                "departement_code",
                "region_code",
            )
            return [
                location.latitude,
                location.longitude,
                method,
                raw["code"],
                raw["name"],
                approximate,
            ]
    return [float("nan"), float("nan"), "", "", "", True]
