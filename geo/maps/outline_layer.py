"""OutlineLayer: the outlines of régions and départements, drawn whether tiles load or not, and
the régions in the filter restyled in place.
"""

from __future__ import annotations

from folium.template import Template

from geo.geocoding import shapes
from geo.maps.element import ScriptElement, script_json
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


class OutlineLayer(ScriptElement):
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

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var data = {{ this.payload }};
            var style = {{ this.style|tojson }};
            var perDegree = Math.round(1 / data.unit);
            function ring(steps) {
                var out = [], x = 0, y = 0;
                for (var i = 0; i < steps.length; i += 2) {
                    x += steps[i]; y += steps[i + 1];
                    out.push([y / perDegree, x / perDegree]);
                }
                return out;
            }
            function shape(polygons) {
                return polygons.map(function (rings) { return rings.map(ring); });
            }
            // Région areas with their bold borders (hover, click), and over them the thin
            // départements' lines, in a pane that lets clicks through to the régions.
            var land = map.createPane("fi-land");
            land.style.zIndex = 340;
            var lines = map.createPane("fi-outlines");
            lines.style.zIndex = 345;
            lines.style.pointerEvents = "none";
            var landRenderer = L.svg({pane: "fi-land"});
            var lineRenderer = L.svg({pane: "fi-outlines"});
            if (style.filled) {
                map.getContainer().style.background = style.sea;
            }
            data.departements.forEach(function (polygons) {
                L.polygon(shape(polygons), {
                    renderer: lineRenderer, pane: "fi-outlines", interactive: false,
                    color: style.departement, weight: 0.7, fill: false
                }).addTo(map);
            });
            var group = L.featureGroup();
            var chosen = [];
            function look(code) {
                var on = chosen.indexOf(code) >= 0;
                return {
                    color: style.region, weight: on ? 3.5 : 1.8, fill: true,
                    fillColor: on ? style.chosen : style.land,
                    fillOpacity: style.filled ? 1 : (on ? 0.2 : 0)
                };
            }
            var byCode = {};
            data.regions.forEach(function (region) {
                var layer = L.polygon(shape(region[2]), L.extend(
                    {renderer: landRenderer, pane: "fi-land", className: "fi-region"},
                    look(region[0])
                ));
                var stamp = 0;
                byCode[region[0]] = layer;
                layer.bindTooltip(region[1], {sticky: true, className: "fi-region-tip"});
                layer.on("mouseover", function () {
                    layer.setStyle({weight: 3.5, fillColor: style.hover,
                                    fillOpacity: style.filled ? 1 : 0.2});
                });
                layer.on("mouseout", function () { layer.setStyle(look(region[0])); });
                layer.on("click", function () { stamp = Date.now() + Math.random(); });
                layer.toGeoJSON = function () {
                    var properties = {name: region[1], click: stamp};
                    properties[{{ this.click_property|tojson }}] = region[0];
                    return {type: "Feature", properties: properties, geometry: null};
                };
                group.addLayer(layer);
            });
            group.addTo(map);
            // The régions in the filter stand out; restyled in place (TerritoryLayer's update),
            // so that a change of régions keeps the map mounted.
            function restyle() {
                Object.keys(byCode).forEach(function (code) { byCode[code].setStyle(look(code)); });
            }
            map.fiOutlines = {
                shape: shape,  // the decoder, for other layers on the same outlines (coverage)
                select: function (codes) {
                    chosen = codes || [];
                    restyle();
                },
                // The "outlines only" look, for a map whose tiles stopped loading (TilesDown).
                fillLand: function () {
                    style.filled = true;
                    map.getContainer().style.background = style.sea;
                    restyle();
                }
            };
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str, filled: bool, inline: bool = True):
        super().__init__()
        self._name = "OutlineLayer"
        self.payload = script_json(outline_payload()) if inline else f"window.{OUTLINE_GLOBAL}"
        self.click_property = REGION_CLICK_PROPERTY
        self.style = {
            "filled": filled,  # no tiles: land drawn white on a pale sea
            "land": "#ffffff",
            "sea": "#dfe9f0",
            "hover": "#d2e3f3",
            "region": "#3b3b3b",
            "departement": "#8a8a8a",
            "chosen": "#b9d3ea",  # régions in the filter: a light blue, the markers stay readable
        }
