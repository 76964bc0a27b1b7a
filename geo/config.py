"""The app's configuration in one place: paths, vocabularies and the data's date.

The shipped folders (data/, static/ and the page) are found by geo.geocoding.paths: the
checkout's top-level folders, or the installed package's copies (see its docstring).

The geocoding layer (geo.geocoding) keeps its own few settings beside the code that applies them,
and they are imported from there: its paths (geo.geocoding.paths: DATA_DIR, GAZETTEER_DIR,
CACHE_DIR), the kinds of territories (geo.geocoding.kinds) and every budget of a user's file
(geo.geocoding.readers: MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS, ...), applied for the command line and
the page alike; .streamlit/config.toml's server.maxUploadSize is MAX_UPLOAD_BYTES in megabytes.
"""

from geo.geocoding.paths import SOURCE_ROOT, shipped

ROOT = SOURCE_ROOT  # the checkout (tests and scripts); an installed app uses the folders below
STATIC_DIR = shipped("static")
DASHBOARD = shipped("page") / "dashboard.py"  # the Streamlit page, for `carte-ess`
# When the curated data of data/*.csv was last checked against its sources (shown in "About").
DATA_DATE = "2026-11-23"

LEVER_KINDS = ("lever", "theme", "framework")
