"""The texts' tests share the shipped data with its territories placed (read once per process)."""

from __future__ import annotations

import pytest

from geo.domain.territories import PlacedDataset, load_placed


@pytest.fixture(scope="module")
def loaded() -> PlacedDataset:
    return load_placed()
