"""TerritoryLayer: the script that draws the territories' markers in the base map and updates
them in place (TerritoryUpdate, or the mounted map's evaluated script).
"""

from __future__ import annotations

from folium.template import Template

from geo.maps.element import FactoryElement, ScriptElement, script_json
from geo.maps.goto import GOTO_WIDTH_PIXELS
from geo.maps.protocol import update_script

SPREAD_PIXELS = 22  # markers closer than this on screen are spread around their point


FOCUS_PADDING_PIXELS = 70  # a focused marker is panned at least this far from the edges


class TerritoryLayer(FactoryElement):
    """The base map's script that draws territories: `map.fiTerritories.update(layer)` adds,
    changes and removes markers by territory id, redraws the selection's shapes and frames.

    One folium.Marker with its DivIcon, Tooltip and Popup is four elements per territory to
    render on every rerun; here each territory is one row of a compact array. A marker whose
    row is unchanged is left alone, a changed one is changed in place: its open popup stays
    open. The markers are plain L.marker layers of the map, so streamlit-folium reports which
    one was clicked by its tooltip. The update also restyles the régions in the filter
    (OutlineLayer's `select`) and fires "fi:update" (the legend checks it hides no marker).

    Each marker also:
    - stamps its clicks (streamlit-folium's click count becomes a timestamp), so that the page
      sees a second click on the same marker as a new click, also on a freshly mounted map;
    - has an accessible name, opens with Enter or Space as a click would, and on focus keeps
      clear of the map's controls;
    - is spread around its point when it would stack on others (closer than SPREAD_PIXELS),
      after each update and zoom.
    The map takes focus without scrolling the page: Leaflet focuses the map on a press, and the
    browser scrolling the frame into view made that first tap or click land elsewhere.

    Without `popups` (the page's mounted map) a click opens the territory's card, not a popup:
    the card says the same, and a popup opened on a marker that the card's framing then moves
    was cut by the map's edge or hidden under the go-to box. Framing keeps clear of that box.

    Framing keeps the user's view unless the layer asks for a new box (a filter or a selection
    changed what is shown) that the current view does not show well: part of the box is
    outside it, or the box would fit `zoom_in_levels` levels closer. A fresh map always
    frames. Reframing is not animated (quick, and no motion the user did not ask for).
    """

    factory = "territoryLayer"  # static/js/territory-layer.js
    keep_as = "fiTerritories"
    zoom_in_levels = 2

    def __init__(self, popups: bool = True):
        super().__init__()
        self._name = "TerritoryLayer"
        self.popups = popups

    def arguments(self) -> list[str]:
        options = {
            "popups": self.popups,
            "focusPadding": FOCUS_PADDING_PIXELS,
            "gotoWidth": GOTO_WIDTH_PIXELS,
            "spreadPixels": SPREAD_PIXELS,
            "zoomInLevels": self.zoom_in_levels,
        }
        return [script_json(options)]


class TerritoryUpdate(ScriptElement):
    """A dynamic layer in a standalone map (see update_script)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.script() }}{% endmacro %}")

    def __init__(self, layer: dict):
        super().__init__()
        self._name = "TerritoryUpdate"
        self.layer = layer

    def script(self) -> str:
        return update_script(self.layer, self.map_name())
