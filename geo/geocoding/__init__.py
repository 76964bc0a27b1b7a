"""A French geocoder, usable without the dashboard: labels to places, offline first.

Normalise a label (`normalize`), take a cell apart (`cells`: postal codes, CEDEX, addresses,
arrondissements), look it up in the shipped gazetteer (`gazetteer`, `geocoder`), read a row's
cells for what they are (`rows`), say how (`notes`), ask an online provider politely when asked
to (`online`), find a table's columns (`columns`), geocode a whole table (`batch`) read from a
user's file (`readers`) and write it back (`export`). Nothing here imports the app layer (the
rest of geo/); tests/test_layout.py checks it.
"""

from geo.geocoding.batch import GEO_COLUMNS, BatchResult, geo_row, geocode_table
from geo.geocoding.cache import AnswerCache
from geo.geocoding.columns import PlaceColumns, choose_columns, detect_columns
from geo.geocoding.errors import (
    GeoError,
    InputError,
    ProviderCapReached,
    ProviderError,
    ProviderMalformedAnswer,
    ProviderRateLimited,
    ProviderUnavailable,
    ProviderUnreachable,
)
from geo.geocoding.export import spreadsheet_csv, to_geojson
from geo.geocoding.gazetteer import Gazetteer, departement_regions, load_gazetteer
from geo.geocoding.geocoder import (
    AMBIGUOUS,
    MIN_CONFIDENCE,
    NOT_FOUND,
    RESOLVED,
    Match,
    OfflineGeocoder,
)
from geo.geocoding.kinds import CODE_SPACE, KIND, KIND_RANK, KINDS, Kind, kind_label
from geo.geocoding.normalize import normalize, split_kind
from geo.geocoding.online import (
    PROVIDERS,
    OnlineProvider,
    ProviderFault,
    make_provider,
    shared_provider,
)
from geo.geocoding.paths import CACHE_DIR, GAZETTEER_DIR
from geo.geocoding.readers import read_table
from geo.geocoding.rows import Row, resolve_row

__all__ = [
    "AMBIGUOUS",
    "CACHE_DIR",
    "CODE_SPACE",
    "GAZETTEER_DIR",
    "GEO_COLUMNS",
    "KIND",
    "KINDS",
    "KIND_RANK",
    "MIN_CONFIDENCE",
    "NOT_FOUND",
    "PROVIDERS",
    "RESOLVED",
    "AnswerCache",
    "BatchResult",
    "Gazetteer",
    "GeoError",
    "InputError",
    "Kind",
    "Match",
    "OfflineGeocoder",
    "OnlineProvider",
    "PlaceColumns",
    "ProviderCapReached",
    "ProviderError",
    "ProviderFault",
    "ProviderMalformedAnswer",
    "ProviderRateLimited",
    "ProviderUnavailable",
    "ProviderUnreachable",
    "Row",
    "choose_columns",
    "departement_regions",
    "detect_columns",
    "geo_row",
    "geocode_table",
    "kind_label",
    "load_gazetteer",
    "make_provider",
    "normalize",
    "read_table",
    "resolve_row",
    "shared_provider",
    "split_kind",
    "spreadsheet_csv",
    "to_geojson",
]
