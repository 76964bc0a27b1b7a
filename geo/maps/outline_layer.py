"""OutlineLayer: the outlines of régions and départements, drawn whether tiles load or not, and
the régions in the filter restyled in place.
"""

from __future__ import annotations

from geo.geocoding import shapes
from geo.maps.element import FactoryElement, script_json
from geo.maps.protocol import REGION_CLICK_PROPERTY


def outline_payload() -> dict:
    """The régions' and départements' outlines for the browser, as compact as shipped: the
    départements without their names (they are not interactive), delta-coded integer rings."""
    layers = shapes.outline_layers()
    return {
        "unit": layers["unit"],
        "regions": [[f["code"], f["name"], f["polygons"]] for f in layers["regions"]],
        "departements": [f["polygons"] for f in layers["departements"]],
    }


OUTLINE_GLOBAL = "fiOutlinePayload"


def outline_script() -> str:
    """The outlines as a script of their own, setting OUTLINE_GLOBAL (see OutlineLayer)."""
    return f"window.{OUTLINE_GLOBAL}={script_json(outline_payload())};"


class OutlineLayer(FactoryElement):
    """Régions (bold) and départements (thin) under the markers, decoded in the browser.

    Carried in the map (`inline`, for a file that must stand alone), or read from the global
    that outline_script() sets, for a map whose scripts are served (the mounted map: its
    arguments then stay small, see geo.web.publish.publish).
    As shipped (see geo.geocoding.shapes, "Outline payload"): a ring is decoded with a
    running sum of its integers times the unit. Drawn in their own pane, below the markers and
    above the tiles, so they show with or without tiles. Hovering a région highlights it with its
    name; a click on it reaches Python like a marker click (streamlit-folium's onLayerClick),
    through the région group's "last_active_drawing": a feature with REGION_CLICK_PROPERTY and a
    click stamp, so that clicking the same région again is a new value.
    """

    factory = "outlineLayer"  # static/js/outline-layer.js
    keep_as = "fiOutlines"

    def __init__(self, lang: str, filled: bool, inline: bool = True):
        super().__init__()
        self._name = "OutlineLayer"
        self.payload = script_json(outline_payload()) if inline else f"window.{OUTLINE_GLOBAL}"
        self.style = {
            "filled": filled,  # no tiles: land drawn white on a pale sea
            "land": "#ffffff",
            "sea": "#dfe9f0",
            "hover": "#d2e3f3",
            "region": "#3b3b3b",
            "departement": "#8a8a8a",
            "chosen": "#b9d3ea",  # régions in the filter: a light blue, the markers stay readable
        }

    def arguments(self) -> list[str]:
        return [
            self.payload,
            script_json({"style": self.style, "clickProperty": REGION_CLICK_PROPERTY}),
        ]
