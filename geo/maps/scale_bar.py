"""A metric scale bar in the reader's number forms."""

from __future__ import annotations

from folium.template import Template

from geo.maps.element import ScriptElement


class ScaleBar(ScriptElement):
    """A metric scale (kilometres only: one bar, half the height of Leaflet's default pair)
    that moves up when the attribution would cover it, as on a phone's narrow map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var scale = L.control.scale({imperial: false}).addTo(map);
            function place() {
                var box = scale.getContainer();
                var credit = map.attributionControl && map.attributionControl.getContainer();
                box.style.marginBottom = "";
                if (!credit) { return; }
                var a = box.getBoundingClientRect(), b = credit.getBoundingClientRect();
                if (a.right > b.left && a.bottom > b.top) {
                    box.style.marginBottom = (10 + a.bottom - b.top + 4) + "px";
                }
            }
            map.whenReady(function () { setTimeout(place, 0); });
            map.on("resize layeradd", place);
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ScaleBar"
