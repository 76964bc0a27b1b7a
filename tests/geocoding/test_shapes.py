"""The shipped geometry and postal tables, read through geo.geocoding.shapes (offline, fast)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.geocoding import shapes

GAZETTEER = Path(__file__).resolve().parents[2] / "data" / "gazetteer" / "communes.csv.gz"


@pytest.fixture(scope="module")
def cog() -> pd.DataFrame:
    """COG 2026 communes as the gazetteer ships them (the list every point must cover)."""
    return pd.read_csv(GAZETTEER, dtype=str, keep_default_na=False)


@pytest.fixture(scope="module")
def defects() -> pd.DataFrame:
    return pd.read_csv(shapes.DATA_DIR / "geometry" / "defects.csv", dtype=str)


def test_every_commune_point_lies_in_its_own_polygon_or_is_a_recorded_defect(cog, defects):
    points = shapes.commune_points().set_index("code")
    assert set(points.index) == set(cog["code"])
    polygons = shapes.perimeters("commune")
    codes = cog["code"].to_numpy()
    has_polygon = pd.Index(codes).isin(polygons.index)
    located = points.loc[codes, ["lon", "lat"]].to_numpy()
    inside = np.zeros(len(codes), dtype=bool)
    polys = polygons.loc[codes[has_polygon]].to_numpy()
    inside[has_polygon] = shapely.covers(polys, shapely.points(located[has_polygon]))
    exceptions = sorted(codes[~inside])
    recorded = defects.loc[defects["fix"] == "inconnu", "code"].sort_values().tolist()
    assert exceptions == recorded
    assert len(exceptions) < 10


def test_town_hall_points_are_used_when_inside(cog):
    points = shapes.commune_points()
    share = (points["method"] == "mairie").mean()
    assert share > 0.9
    assert points.loc[points["code"] == "59512", "method"].item() == "mairie"


def test_arrondissements_and_former_communes_have_points_and_their_commune():
    points = shapes.commune_points(["arrondissement", "deleguee", "associee"])
    arrondissements = points[points["kind"] == "arrondissement"]
    assert len(arrondissements) == 45
    assert arrondissements.set_index("code").loc["75113", "commune"] == "75056"
    assert arrondissements.set_index("code").loc["69383", "commune"] == "69123"
    assert points[["lat", "lon"]].notna().all().all()
    located = shapes.locate(arrondissements["lat"], arrondissements["lon"])
    assert (located["commune"].to_numpy() == arrondissements["commune"].to_numpy()).all()


def test_former_communes_resolve_to_todays_commune():
    former = shapes.former_communes()
    associated = former[(former["code"] == "01120") & (former["kind"] == "associee")]
    assert associated[["name", "commune"]].values.tolist() == [["Cordieux", "01262"]]
    assert {"deleguee", "associee", "fusionnee"} <= set(former["kind"])
    assert former["commune_name"].ne("").all()


@pytest.mark.parametrize("layer, count", [("regions", 18), ("departements", 101)])
def test_outlines_are_valid_polygons(layer, count):
    collection = shapes.outline_geojson(layer)
    assert len(collection["features"]) == count
    geoms = [shapely.from_geojson(json.dumps(f["geometry"])) for f in collection["features"]]
    assert all(g.is_valid and not g.is_empty for g in geoms)
    assert all(f["properties"]["name"] for f in collection["features"])


def test_outline_layer_fits_the_page_budget():
    payload = json.dumps(shapes.outline_layers(), ensure_ascii=False, separators=(",", ":"))
    assert len(payload.encode("utf-8")) <= 250_000


def test_outline_regions_cover_their_departements():
    regions = {
        f["properties"]["code"]: shapely.from_geojson(json.dumps(f["geometry"]))
        for f in shapes.outline_geojson("regions")["features"]
    }
    bretagne = shapely.union_all(
        [
            shapely.from_geojson(json.dumps(f["geometry"]))
            for f in shapes.outline_geojson("departements")["features"]
            if f["properties"]["code"] in {"22", "29", "35", "56"}
        ]
    )
    assert shapes.area_km2(shapely.symmetric_difference(regions["53"], bretagne)) < 1.0


@pytest.mark.parametrize("level", shapes.LEVELS)
def test_perimeters_are_valid_polygons(level):
    geoms = shapes.perimeters(level).to_numpy()
    assert len(geoms) > 0
    assert shapely.is_valid(geoms).all()
    assert not shapely.is_empty(geoms).any()


def test_regions_tile_their_departements(cog):
    pairs = cog[["departement", "region"]].drop_duplicates()
    for region, group in pairs.groupby("region"):
        region_shape = shapes.perimeter("region", region)
        departements = [shapes.perimeter("departement", d) for d in group["departement"]]
        total = sum(shapes.area_km2(d) for d in departements)
        assert math.isclose(shapes.area_km2(region_shape), total, rel_tol=1e-3), region
        union = shapely.union_all(departements)
        assert shapes.area_km2(shapely.symmetric_difference(region_shape, union)) < 0.5, region


def test_each_departements_communes_lie_inside_it(cog):
    points = shapes.commune_points().dropna(subset=["lat"]).merge(cog[["code", "departement"]])
    for departement, group in points.groupby("departement"):
        outline = shapes.perimeter("departement", departement)
        inside = shapely.covers(outline, shapely.points(group["lon"], group["lat"]))
        assert inside.all(), group.loc[~inside, "code"].tolist()


def test_locate_places_roubaix_town_hall_in_its_region_departement_and_epci():
    roubaix = shapes.commune_points().set_index("code").loc["59512"]
    found = shapes.locate([roubaix["lat"]], [roubaix["lon"]]).iloc[0]
    assert found.to_dict() == {
        "commune": "59512",
        "departement": "59",
        "region": "32",
        "epci": "200093201",
        "ept": "",
    }


def test_locate_leaves_the_sea_empty_and_keeps_every_row():
    found = shapes.locate([48.86, 46.0, 45.76], [2.35, -5.0, 4.83])  # Paris, Atlantic, Lyon
    assert found["departement"].tolist() == ["75", "", "69"]
    assert found["epci"].tolist()[1] == ""


def test_locate_agrees_with_the_membership_of_each_commune_point(cog):
    points = shapes.commune_points().dropna(subset=["lat"]).merge(cog, on="code")
    sample = points.sample(2000, random_state=0)
    found = shapes.locate(sample["lat_x"], sample["lon_x"])
    for column in ("departement", "region", "epci"):
        assert (found[column].to_numpy() == sample[column].to_numpy()).mean() > 0.999


def test_area_matches_the_spherical_cell_formula():
    cell = shapely.box(2.0, 45.0, 3.0, 46.0)
    radius = shapes.EARTH_RADIUS_KM
    expected = (
        radius**2 * math.radians(1.0) * (math.sin(math.radians(46)) - math.sin(math.radians(45)))
    )
    assert math.isclose(shapes.area_km2(cell), expected, rel_tol=1e-4)


def test_perimeter_of_several_units_is_their_union():
    nord, pas_de_calais = (
        shapes.perimeter("departement", "59"),
        shapes.perimeter("departement", "62"),
    )
    both = shapes.perimeter("departement", ["59", "62"])
    assert math.isclose(
        shapes.area_km2(both), shapes.area_km2(nord) + shapes.area_km2(pas_de_calais), rel_tol=1e-4
    )
    geojson = shapes.perimeter_geojson("epci", "200093201", tolerance=0.001)
    assert geojson["type"] in {"Polygon", "MultiPolygon"}
    south, west, north, east = shapes.bounds("commune", "59512")
    assert south < 50.69 < north and west < 3.18 < east  # Roubaix's Grand-Place
    with pytest.raises(KeyError):
        shapes.perimeter("epci", "000000000")


def test_islands_outside_any_epci_have_no_epci_perimeter():
    islands = shapes.commune_points().set_index("code").loc[["22016", "29083", "29155", "85113"]]
    found = shapes.locate(islands["lat"], islands["lon"])
    assert found["epci"].tolist() == ["", "", "", ""]
    assert found["commune"].tolist() == ["22016", "29083", "29155", "85113"]


def test_storage_codec_round_trips_holes_and_parts():
    outer = shapely.Polygon([(0, 0), (4, 0), (4, 4), (0, 4)], [[(1, 1), (2, 1), (2, 2), (1, 2)]])
    geoms = [outer, shapely.MultiPolygon([outer, shapely.box(10, 10, 11, 11)])]
    decoded = shapes.decode_multipolygons(shapes.encode_multipolygons(geoms, 1e-5), 1e-5)
    assert all(shapely.equals(a, b) for a, b in zip(decoded, geoms, strict=True))


@pytest.mark.parametrize(
    "postcode, expected",
    [("97490", ["97411"]), ("75013", ["75113"]), ("13001", ["13201"]), ("59100", ["59512"])],
)
def test_postcode_resolves_to_its_commune_or_arrondissement(postcode, expected):
    assert shapes.communes_for_postcode(postcode) == expected


def test_shared_postcode_returns_every_commune(cog):
    communes = shapes.communes_for_postcode("01400")
    assert len(communes) > 1 and "01001" in communes
    assert set(cog.set_index("code").loc[communes, "departement"]) == {"01"}
    assert shapes.communes_for_postcode("00000") == []


def test_postcodes_for_commune_include_arrondissements_of_paris():
    assert shapes.postcodes_for_commune("59512") == ["59100"]
    paris = shapes.postcodes_for_commune("75056")
    assert "75013" in paris and "75116" in paris
