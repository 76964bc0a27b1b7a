"""Serve static/vendor, the map's own script and the files the app writes at run time as
Streamlit component files.

Streamlit serves a declared component's folder under ``/component/<declaring module>.<name>/``
(see geo.maps.assets for why a component, not Streamlit's static serving). This module is the
only Streamlit side of the map's files: geo.maps.assets decides which files a map links or
inlines, this one makes the server answer for them.
"""

from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
import threading
from pathlib import Path

from streamlit import config
from streamlit.components.v1 import declare_component

from geo.maps.assets import VENDOR_DIR, map_script
from geo.maps.element import MAP_SCRIPT_STEM

# Where Streamlit serves VENDOR_DIR once register() ran: /component/<declaring module>.<name>/,
# under the server's base path if it has one (served_base_url()).
_COMPONENT_NAME = "vendor"
ASSET_BASE_URL = f"/component/{__name__}.{_COMPONENT_NAME}/"

_REGISTER_LOCK = threading.Lock()
_REGISTERED: list[Path] = []  # once registered in this process: the folder of published files

# Files the app writes at run time (publish), served like the vendored ones under
# /component/<this module>.published/: a process's own temporary folder, removed at exit.
_PUBLISHED_NAME = "published"
PUBLISHED_BASE_URL = f"/component/{__name__}.{_PUBLISHED_NAME}/"


def register() -> None:
    """Make Streamlit serve VENDOR_DIR at ASSET_BASE_URL, and published files at
    PUBLISHED_BASE_URL.

    Call it in the Streamlit script before showing a map: Streamlit registers a
    component only while a script run is active, and the route exists only once
    registered. The first call per process registers it, under a lock: Streamlit's
    registration inspects the caller's frame, which failed once ("module is
    None") when many sessions' first runs registered at the same moment.
    """
    with _REGISTER_LOCK:
        if _REGISTERED:
            return
        published = Path(tempfile.mkdtemp(prefix="carte-ess-"))
        atexit.register(shutil.rmtree, published, ignore_errors=True)
        declare_component(_COMPONENT_NAME, path=str(VENDOR_DIR))
        declare_component(_PUBLISHED_NAME, path=str(published))
        _REGISTERED.append(published)


def publish(stem: str, text: str) -> str:
    """Serve `text` as a script of its own (register() first) and return its URL.

    Why: a large constant part of a map (the outlines) sent inside the map's arguments travels
    again with every rerun of every visitor, and is serialised and hashed each time; a file is
    fetched once per page (named by its content, so a browser may keep it). The same text gives
    the same name in every process, so replicas behind a proxy agree.
    """
    register()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    name = f"{stem}.{digest}.js"
    target = _REGISTERED[0] / name
    if not target.exists():
        partial = target.with_suffix(".part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(target)  # a request never reads half a file
    return _under_base_path(PUBLISHED_BASE_URL) + name


def map_script_url() -> str:
    """The map's own script (geo.maps.assets.map_script: static/js's element files), published
    once per process under its content's hash: the URL for geo.maps.assets.localize."""
    return publish(MAP_SCRIPT_STEM, map_script())


def served_base_url() -> str:
    """ASSET_BASE_URL under the server's base path: with ``--server.baseUrlPath carte`` the
    files are at /carte/component/..., and a map pointing at /component/... finds nothing."""
    return _under_base_path(ASSET_BASE_URL)


def _under_base_path(url: str) -> str:
    prefix = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{prefix}{url}" if prefix else url
