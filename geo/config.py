"""Configuration in one place: paths, vocabularies and limits shared by the app, the CLI and tests."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
GAZETTEER_DIR = DATA_DIR / "gazetteer"
STATIC_DIR = ROOT / "static"
CACHE_DIR = Path.home() / ".cache" / "carte-ess"
# When the curated data of data/*.csv was last checked against its sources (shown in "About").
DATA_DATE = "2026-11-23"

TERRITORY_KINDS = (
    "region",
    "departement",
    "metropole",
    "communaute_urbaine",
    "agglomeration",
    "communes",
    "ept",
    "commune",
    "cluster",
    "area",
)
LEVER_KINDS = ("lever", "theme", "framework")

# Offline geocoding: below this score an answer is never "resolved".
MIN_CONFIDENCE = 0.80
# Two candidates closer than this in score are "ambiguous" unless a hint separates them.
AMBIGUITY_MARGIN = 0.02

# Bring-your-own-list limits, stated to the user when exceeded.
MAX_UPLOAD_ROWS = 50_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_CELL_CHARS = 500

NOMINATIM_USER_AGENT = "carte-ess-french-impact/0.1 (+https://github.com/carte-ess)"
ONLINE_TIMEOUT_SECONDS = 5.0
