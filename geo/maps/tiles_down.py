"""TilesDown: when the tiles do not load, the map says so and offers the outlines alone."""

from __future__ import annotations

from folium.template import Template

from geo.maps.element import ScriptElement
from geo.texts.i18n import t

TILES_DOWN_AFTER = 4  # failed tiles (and none loaded) before the map says its tiles are down


class TilesDown(ScriptElement):
    """When the tiles do not load (offline, a tile server down), say so on the map and offer the
    "outlines only" look in place: without a word, the default base map just turned grey.

    Said once the first TILES_DOWN_AFTER tiles of a view have all failed; the button removes
    the tile layer and fills the land like the "Contours seuls" base map (OutlineLayer).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var tiles = null;
            map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) tiles = layer; });
            if (!tiles) { return; }
            var failed = 0, loaded = 0, control = null;
            tiles.on("tileload", function () { loaded += 1; });
            tiles.on("tileerror", function () {
                failed += 1;
                if (!control && !loaded && failed >= {{ this.after }}) { show(); }
            });
            function show() {
                control = L.control({position: "bottomright"});
                control.onAdd = function () {
                    var div = L.DomUtil.create("div", "leaflet-bar fi-tiles-down");
                    div.setAttribute("role", "status");
                    div.style.cssText = "background:#fff;padding:5px 7px;max-width:170px;"
                        + "font:12px/1.35 sans-serif;color:#222";
                    L.DomUtil.create("div", "", div).textContent = {{ this.message|tojson }};
                    var button = L.DomUtil.create("button", "", div);
                    button.type = "button";
                    button.textContent = {{ this.button|tojson }};
                    button.style.cssText = "margin-top:4px;cursor:pointer";
                    L.DomEvent.on(button, "click", function (event) {
                        L.DomEvent.stop(event);
                        map.removeLayer(tiles);
                        if (map.fiOutlines) { map.fiOutlines.fillLand(); }
                        map.removeControl(control);
                    });
                    L.DomEvent.disableClickPropagation(div);
                    return div;
                };
                control.addTo(map);
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str):
        super().__init__()
        self._name = "TilesDown"
        self.after = TILES_DOWN_AFTER
        self.message = t("tiles_down", lang)
        self.button = t("tiles_outlines", lang)
