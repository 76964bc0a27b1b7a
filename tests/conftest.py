"""Shared fixtures: the curated dataset and the offline geocoder, each built once per session;
a reader of the territories a rendered map draws."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest

from geo.domain.data import Dataset, load_dataset
from geo.domain.territories import default_geocoder, place_territories
from geo.geocoding.geocoder import OfflineGeocoder


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def geocoder() -> OfflineGeocoder:
    return default_geocoder()


@pytest.fixture(scope="session")
def placed(dataset, geocoder):
    """The curated territories with their positions (geo.domain.territories.place_territories)."""
    return place_territories(dataset.territories, geocoder)


@pytest.fixture(scope="session")
def territory_layer() -> Callable[[str], dict]:
    """Reader: the dynamic layer (geo.maps.base.build_dynamic_layer) a rendered map hands to its
    base's TerritoryLayer, as the JSON the browser gets."""
    call = ".fiTerritories.update("

    def read(html: str) -> dict:
        assert html.count(call) == 1, f"{html.count(call)} territory layers in the map"
        return json.JSONDecoder().raw_decode(html, html.index(call) + len(call))[0]

    return read
