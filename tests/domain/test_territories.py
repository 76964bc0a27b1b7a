"""Every curated territory is placed, by its most authoritative code, inside its own perimeter."""

from __future__ import annotations

import math

import pytest

from geo.domain.data import load_dataset, split_list
from geo.domain.territories import POSITION_COLUMNS, territory_aliases

IDS = sorted(load_dataset().territories["id"])


def row_of(placed, tid: str) -> dict:
    return placed.set_index("id").loc[tid].to_dict()


def test_place_territories_adds_positions_and_keeps_every_row(dataset, placed):
    assert len(placed) == len(dataset.territories) == 27
    assert placed["id"].tolist() == dataset.territories["id"].tolist()
    assert set(POSITION_COLUMNS) <= set(placed.columns)
    assert not placed[["lat", "lon"]].isna().any().any()


@pytest.mark.parametrize("tid", IDS)
def test_territory_point_lies_in_one_of_its_own_departements(geocoder, placed, tid):
    row = row_of(placed, tid)
    assert not math.isnan(row["lat"]) and not math.isnan(row["lon"])
    nearest = geocoder.gazetteer.nearest_commune(row["lat"], row["lon"])
    departements = split_list(row["departement_codes"])
    if departements:
        assert nearest["departement"] in departements, (nearest, departements)
    assert nearest["region"] == row["region_code"], nearest


@pytest.mark.parametrize("tid", IDS)
def test_position_method_is_the_most_authoritative_code(placed, tid):
    row = row_of(placed, tid)
    if row["entity_code"]:
        assert row["position_method"] == "entity_code"
        assert row["position_code"] == row["entity_code"]
    elif row["seat_code"]:
        assert row["position_method"] == "seat_code"
        assert row["position_code"] == row["seat_code"]
    else:
        assert row["position_method"] in ("label", "departement_code", "region_code")


def test_a_territory_known_only_by_its_region_is_flagged_approximate(placed):
    row = row_of(placed, "territoire-olympique-2024")
    assert row["position_method"] == "region_code"
    assert row["position_code"] == "11"
    assert row["position_approximate"]
    assert not row_of(placed, "roubaix")["position_approximate"]


@pytest.mark.parametrize(
    "tid, lat_range, lon_range",
    [
        ("mayotte", (-13.1, -12.6), (44.9, 45.4)),
        ("roubaix", (50.6, 50.8), (3.1, 3.3)),
        ("toulouse-metropole", (43.5, 43.75), (1.3, 1.6)),
        ("region-bretagne", (47.3, 48.9), (-5.2, -1.0)),
    ],
)
def test_known_places_land_where_they_are(placed, tid, lat_range, lon_range):
    row = row_of(placed, tid)
    assert lat_range[0] < row["lat"] < lat_range[1]
    assert lon_range[0] < row["lon"] < lon_range[1]


def test_curated_labels_are_aliases_of_their_entities(dataset):
    aliases = territory_aliases(dataset.territories)
    assert aliases["Roubaix"] == ("59512", "commune")
    assert aliases["Vallée de la Marne"] == ("200057958", "agglomeration")
    assert aliases["Montreuillois"] == ("62588", "commune")
    olympic = dataset.territories.set_index("id").loc["territoire-olympique-2024", "name"]
    assert olympic not in aliases  # no code at all: it must not shadow any name
