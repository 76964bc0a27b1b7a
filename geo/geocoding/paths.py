"""Where the shipped files are found, and where the answers of online geocoders are kept.

In a source checkout the shipped folders are the repository's top-level data/ and static/ (the
developers' guide keeps them there). An installed wheel carries the same folders inside the
package, as geo/_data and geo/_static (pyproject.toml's package-dir maps them), found through
importlib.resources: `pip install .` then works from any directory once the source tree is gone.
The geocoding layer reads no app configuration (geo.config), so these paths live here.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

# The checkout's root; in an installed package, the site-packages folder (tests and scripts only).
SOURCE_ROOT = Path(__file__).resolve().parents[2]
# A shipped folder's name inside the installed package: keep in step with pyproject.toml.
PACKAGED_NAMES = {"data": "_data", "static": "_static", "page": "_page"}


def shipped(folder: str) -> Path:
    """The shipped `folder` ("data", "static", or "page" for the folder of dashboard.py).

    The installed package's copy when it has one, else the checkout's: an editable install and
    a checkout on PYTHONPATH (tests, worktrees) read their own tree's files.
    """
    packaged = resources.files("geo") / PACKAGED_NAMES[folder]
    if packaged.is_dir():
        return Path(str(packaged))
    return SOURCE_ROOT if folder == "page" else SOURCE_ROOT / folder


def cache_dir() -> Path:
    """CARTE_ESS_CACHE_DIR, else $XDG_CACHE_HOME/carte-ess, else ~/.cache/carte-ess."""
    explicit = os.environ.get("CARTE_ESS_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "carte-ess"


DATA_DIR = shipped("data")
GAZETTEER_DIR = DATA_DIR / "gazetteer"
CACHE_DIR = cache_dir()
