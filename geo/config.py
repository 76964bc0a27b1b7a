"""The app's configuration in one place: paths, vocabularies and the data's date.

The geocoding layer (geo.geocoding) keeps its own few settings beside the code that applies them
(its paths, thresholds and upload limits); they are named here too for the app's readers.
"""

from pathlib import Path

from geo.geocoding.batch import MAX_CELL_CHARS
from geo.geocoding.kinds import TERRITORY_KINDS
from geo.geocoding.paths import CACHE_DIR, GAZETTEER_DIR
from geo.geocoding.readers import MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
STATIC_DIR = ROOT / "static"
# When the curated data of data/*.csv was last checked against its sources (shown in "About").
DATA_DATE = "2026-11-23"

LEVER_KINDS = ("lever", "theme", "framework")

__all__ = [
    "CACHE_DIR",
    "DATA_DATE",
    "DATA_DIR",
    "GAZETTEER_DIR",
    "LEVER_KINDS",
    "MAX_CELL_CHARS",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_ROWS",
    "ROOT",
    "STATIC_DIR",
    "TERRITORY_KINDS",
]
