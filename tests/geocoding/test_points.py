"""Every commune of the gazetteer sits at its own point, inside its own polygon.

Before issue 10, 20,000 villages that GeoNames lacked were placed at their intercommunality's
point; the gazetteer now takes every commune's point from data/geometry (town hall inside the
commune, else a point inside its polygon).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import shapely

from geo.geocoding import shapes
from geo.geocoding.gazetteer import Gazetteer
from geo.geocoding.geocoder import OfflineGeocoder

SMALL_VILLAGE = 500  # GeoNames' cities500 lacked most communes under this population


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def test_every_gazetteer_commune_point_lies_inside_its_polygon_or_is_a_recorded_defect(
    gazetteer,
):
    communes = gazetteer.communes
    polygons = shapes.perimeters("commune")
    has_point = communes["lat"].notna().to_numpy()
    has_polygon = communes["code"].isin(polygons.index).to_numpy()
    checked = communes[has_point & has_polygon]
    inside = shapely.covers(
        polygons.loc[checked["code"]].to_numpy(),
        shapely.points(checked["lon"].to_numpy(float), checked["lat"].to_numpy(float)),
    )
    outside = sorted(checked.loc[~inside, "code"])
    without = sorted(communes.loc[~(has_point & has_polygon), "code"])
    defects = pd.read_csv(shapes.DATA_DIR / "geometry" / "defects.csv", dtype=str)
    recorded = sorted(defects.loc[defects["fix"] == "inconnu", "code"])
    assert outside == []
    assert without == recorded
    assert len(without) == 4  # Celles, Chalinargues, Chavagnac, Sainte-Anastasie (Cantal)


def test_only_communes_without_any_geometry_are_approximate(gazetteer):
    approximate = np.asarray(gazetteer.approximate[: len(gazetteer.communes)])
    assert sorted(gazetteer.communes.loc[approximate, "code"]) == sorted(
        gazetteer.communes.loc[gazetteer.communes["lat"].isna(), "code"]
    )
    assert approximate.sum() == 4


def test_small_villages_geocoded_with_their_departement_land_inside_their_own_commune(gazetteer):
    """80 villages under 500 inhabitants (the ones once put at their EPCI's point), drawn every
    n-th by INSEE code among names unique in their département: each, geocoded by name with its
    département as hint, must land inside its own commune's polygon."""
    communes = gazetteer.communes
    unique = ~communes.duplicated(["name", "departement"], keep=False)
    villages = communes[
        unique & (communes["population"] < SMALL_VILLAGE) & communes["lat"].notna()
    ].sort_values("code")
    drawn = villages.iloc[:: len(villages) // 80].head(80)
    assert len(drawn) == 80
    geocoder = OfflineGeocoder(gazetteer)
    lats, lons, codes = [], [], []
    for row in drawn.itertuples():
        location = geocoder.geocode(row.name, departement=row.departement)
        assert location is not None, row.name
        assert not location.raw["approximate"], row.name
        lats.append(location.latitude)
        lons.append(location.longitude)
        codes.append(location.raw["code"])
    landed = shapes.locate(lats, lons)["commune"].tolist()
    assert landed == drawn["code"].tolist()
    assert codes == drawn["code"].tolist()
