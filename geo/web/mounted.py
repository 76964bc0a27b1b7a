"""Show a folium map that stays mounted across Streamlit reruns: what st_folium sends for the
base map is computed once, and each rerun sends only a script that streamlit-folium's frontend
evaluates in the map it already shows.

Why not call st_folium each rerun: it renders the whole map again (every folium element's
template, its header, a regex pass and a hash over the script), about a third of a rerun, to
send the same base again. Its frontend keeps a map mounted as long as the base script's hash
(the component's key) stays the same, and evaluates its `feature_group` argument whenever that
changes; this module sends the same arguments st_folium would (tests/web/test_mounted.py compares
them), with the dynamic part as that script. It uses streamlit-folium's helpers, hence the
0.27 pin in pyproject.toml.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

import folium
import streamlit as st
import streamlit_folium as sf

from geo.maps.assets import _walk

MAP_NAME = "map_div"  # what streamlit-folium names the mounted map in the scripts it evaluates


@dataclass(frozen=True)
class MountedBase:
    """st_folium's arguments for a base map, computed once (see `mount`)."""

    script: str
    header: str
    html: str
    map_id: str
    bounds: dict
    zoom: int | None
    css_links: list[str]
    js_links: list[str]


def mount(m: folium.Map, scripts: Iterable[str] = ()) -> MountedBase:
    """Render a base map (a copy: rendering changes it) as st_folium would, once; `scripts`
    (URLs) load after the map's own scripts and before the map is drawn."""
    m = copy.deepcopy(m)
    m.get_root().render()
    m.render()
    html, header = sf._get_html(m), sf._get_header(m)
    script = sf._get_map_string(m)
    (south, west), (north, east) = m.get_bounds()
    elements = list(_walk(m))
    return MountedBase(
        script=script,
        header=header,
        html=html,
        map_id=sf.get_full_id(m),
        bounds={
            "_southWest": {"lat": south, "lng": west},
            "_northEast": {"lat": north, "lng": east},
        },
        zoom=zoom if isinstance(zoom := m.options.get("zoom"), int) else None,
        css_links=list(
            dict.fromkeys(h for e in elements for _, h in getattr(e, "default_css", []))
        ),
        js_links=list(
            dict.fromkeys(
                [*(s for e in elements for _, s in getattr(e, "default_js", [])), *scripts]
            )
        ),
    )


@lru_cache(maxsize=16)
def component_key(script: str, key: str) -> str:
    """st_folium's key for a base script (a hash over the whole script), once per base: a
    tenth of a rerun otherwise. A script is a cached string, so its own hash is computed once."""
    return sf.generate_js_hash(script, key, False)


def component_args(
    base: MountedBase,
    update: str,
    key: str,
    height: int,
    returned_objects: Iterable[str],
) -> dict:
    """The arguments of streamlit-folium's component: the base, and `update`, the script that
    draws the dynamic part in the mounted map (named MAP_NAME). The component's key is the
    hash of the base script, as st_folium computes it: the same base, the same mounted map."""
    returned = list(returned_objects)
    values = {"bounds": base.bounds, "zoom": base.zoom}
    return {
        "script": base.script,
        "header": base.header,
        "html": base.html,
        "id": base.map_id,
        "key": component_key(base.script, key),
        "height": height,
        "width": None,
        "returned_objects": returned,
        "default": {name: values.get(name) for name in returned},
        "zoom": None,
        "center": None,
        "feature_group": update,
        "return_on_hover": False,
        "layer_control": None,
        "pixelated": False,
        "css_links": base.css_links,
        "js_links": base.js_links,
        "wrap_longitude": False,
    }


def show_mounted(
    base: MountedBase,
    update: str,
    key: str,
    height: int,
    returned_objects: Iterable[str],
    on_change: Callable[[], None] | None = None,
) -> dict | None:
    """Show the map (full container width) and return what the user did, as st_folium does;
    `on_change` runs when the user did something, with the answer under `key` (as st_folium's)."""
    args = component_args(base, update, key, height, returned_objects)

    def remember() -> None:
        st.session_state[key] = st.session_state.get(args["key"], {})
        if on_change is not None:
            on_change()

    return sf._component_func(**args, on_change=remember)
