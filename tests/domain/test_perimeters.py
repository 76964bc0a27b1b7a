"""Every labelled territory's perimeter: the outline it rests on, its seat inside, its facts."""

from __future__ import annotations

import pytest
import shapely

from geo.domain.perimeters import perimeter_facts, perimeter_members, territory_perimeter
from geo.domain.territories import load_placed
from geo.geocoding import shapes


@pytest.fixture(scope="module")
def placed():
    return load_placed().placed


def test_every_territory_has_a_perimeter_that_contains_its_seat_or_says_it_is_approximate(
    placed,
):
    points = shapes.commune_points().set_index("code")
    approximate = []
    for territory in placed.to_dict("records"):
        perimeter = territory_perimeter(territory)
        assert perimeter is not None, territory["id"]
        shape = shapes.perimeter(perimeter.level, perimeter.codes)
        marker = shapely.Point(territory["lon"], territory["lat"])
        assert shapely.covers(shape, marker), territory["id"]
        if territory["seat_code"]:
            seat = points.loc[territory["seat_code"]]
            assert shapely.covers(shape, shapely.Point(seat["lon"], seat["lat"])), territory["id"]
        if perimeter.approximate:
            assert perimeter.basis in ("seat_epci", "region"), territory["id"]
            assert territory["kind"] in ("area", "cluster"), territory["id"]
            approximate.append(territory["id"])
        else:
            assert perimeter.basis in ("entity", "departements"), territory["id"]
    # Areas and clusters whose outline no source gives, drawn as their seat's EPCI (or région).
    assert sorted(approximate) == [
        "figeac",
        "genevois-innovales",
        "le-mans-sarthe",
        "montreuillois",
        "territoire-ledonien-cluster-jura",
        "territoire-olympique-2024",
    ]


@pytest.mark.parametrize(
    "tid, level, codes",
    [
        ("roubaix", "commune", ("59512",)),
        ("est-ensemble", "ept", ("200057875",)),
        ("lyon-metropole", "epci", ("200046977",)),
        ("mayotte", "departement", ("976",)),
        ("region-bretagne", "region", ("53",)),
        ("occitanie-est", "departement", ("11", "30", "34", "48", "66")),  # recorded départements
        ("figeac", "epci", ("200067361",)),  # the Grand-Figeac, which the note names
    ],
)
def test_the_perimeter_is_the_unit_the_data_records(placed, tid, level, codes):
    perimeter = territory_perimeter(placed.set_index("id").loc[tid].to_dict())
    assert (perimeter.level, perimeter.codes) == (level, codes)


@pytest.mark.parametrize(
    "tid, member, outsider",
    [
        ("est-ensemble", "93048", "93066"),  # Montreuil in, Saint-Denis (Plaine Commune) out
        ("lyon-metropole", "69266", "69264"),  # Villeurbanne in, Villefranche-sur-Saône out
        ("region-bretagne", "35238", "44109"),  # Rennes in, Nantes out
        ("toulouse-metropole", "31555", "31395"),  # Toulouse in, Muret out
    ],
)
def test_members_and_facts_of_a_perimeter(placed, tid, member, outsider):
    perimeter = territory_perimeter(placed.set_index("id").loc[tid].to_dict())
    members = perimeter_members(perimeter)
    assert member in set(members["code"])
    assert outsider not in set(members["code"])
    facts = perimeter_facts(perimeter)
    assert facts.communes == len(members)
    assert facts.population == members["population"].sum() > 0
    located = shapes.locate(members["lat"], members["lon"])  # every member point is inside
    assert (located["commune"].to_numpy() == members["code"].to_numpy()).all()
    assert facts.area_km2 > 0
