"""Shared fixtures: the curated dataset and the offline geocoder, each built once per session."""

from __future__ import annotations

import pytest

from geo.data import Dataset, load_dataset
from geo.geocoding.geocoder import OfflineGeocoder
from geo.territories import default_geocoder, place_territories


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return load_dataset()


@pytest.fixture(scope="session")
def geocoder() -> OfflineGeocoder:
    return default_geocoder()


@pytest.fixture(scope="session")
def placed(dataset, geocoder):
    """The curated territories with their positions (geo.territories.place_territories)."""
    return place_territories(dataset.territories, geocoder)
