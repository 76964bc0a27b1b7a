"""The app's configuration in one place: paths, vocabularies and the data's date.

The shipped folders (data/, static/ and the page) are found by geo.geocoding.paths: the
checkout's top-level folders, or the installed package's copies (see its docstring).

The geocoding layer (geo.geocoding) keeps its own few settings beside the code that applies them
(its paths, thresholds and upload limits); they are named here too for the app's readers. The
budgets of a user's file are applied by geo.geocoding.readers for the command line and the page
alike; .streamlit/config.toml's server.maxUploadSize is MAX_UPLOAD_BYTES in megabytes.
"""

from geo.geocoding.batch import MAX_CELL_CHARS
from geo.geocoding.kinds import TERRITORY_KINDS
from geo.geocoding.paths import CACHE_DIR, DATA_DIR, GAZETTEER_DIR, SOURCE_ROOT, shipped
from geo.geocoding.readers import (  # every budget of a user's file (issue 24)
    MAX_CELLS,
    MAX_COLUMNS,
    MAX_LINE_CHARS,
    MAX_SHARED_STRINGS,
    MAX_UPLOAD_BYTES,
    MAX_UPLOAD_ROWS,
    MAX_XLSX_XML_BYTES,
)

ROOT = SOURCE_ROOT  # the checkout (tests and scripts); an installed app uses the folders below
STATIC_DIR = shipped("static")
DASHBOARD = shipped("page") / "dashboard.py"  # the Streamlit page, for `carte-ess`
# When the curated data of data/*.csv was last checked against its sources (shown in "About").
DATA_DATE = "2026-11-23"

LEVER_KINDS = ("lever", "theme", "framework")

__all__ = [
    "CACHE_DIR",
    "DASHBOARD",
    "DATA_DATE",
    "DATA_DIR",
    "GAZETTEER_DIR",
    "LEVER_KINDS",
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_LINE_CHARS",
    "MAX_SHARED_STRINGS",
    "MAX_UPLOAD_BYTES",
    "MAX_UPLOAD_ROWS",
    "MAX_XLSX_XML_BYTES",
    "ROOT",
    "STATIC_DIR",
    "TERRITORY_KINDS",
]
