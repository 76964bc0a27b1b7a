"""Where the geocoder finds its gazetteer and keeps its online answers.

The geocoding layer reads no app configuration (geo.config), so its own two paths live here.
"""

from pathlib import Path

GAZETTEER_DIR = Path(__file__).resolve().parents[2] / "data" / "gazetteer"
CACHE_DIR = Path.home() / ".cache" / "carte-ess"
