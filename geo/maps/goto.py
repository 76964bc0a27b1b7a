"""The go-to control: a box that flies to mainland France or to an overseas area."""

from __future__ import annotations

from folium.template import Template

from geo.maps.element import ScriptElement
from geo.maps.framing import FRANCE_CENTER, FRANCE_ZOOM
from geo.texts.i18n import t

GOTO_WIDTH_PIXELS = 100  # the go-to box's fixed width; frames keep clear of it


class GoToControl(ScriptElement):
    """Buttons that fly to mainland France or to each overseas territory: one click away.
    A territory's button carries its id, so that a dynamic layer hides it when not shown."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var control = L.control({position: "topright"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "leaflet-bar fi-goto");
                div.style.cssText = "background:#fff;padding:4px;font:12px sans-serif;"
                    + "box-sizing:border-box;width:{{ this.width }}px";
                var title = L.DomUtil.create("div", "", div);
                title.textContent = {{ this.title|tojson }};
                {{ this.places|tojson }}.forEach(function (place) {
                    var button = L.DomUtil.create("button", "fi-goto-button", div);
                    button.type = "button";
                    button.textContent = place[0];
                    if (place[4]) button.dataset.id = place[4];
                    button.style.cssText = "display:block;width:100%;margin-top:2px;cursor:pointer";
                    L.DomEvent.on(button, "click", function (event) {
                        L.DomEvent.stop(event);
                        map.setView([place[1], place[2]], place[3]);
                    });
                });
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            control.addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, places: list[tuple[str, str, float, float]], lang: str):
        super().__init__()
        self._name = "GoToControl"
        self.width = GOTO_WIDTH_PIXELS
        self.title = t("goto", lang)
        self.places = [(t("metropole", lang), *FRANCE_CENTER, FRANCE_ZOOM, "")] + [
            (name, lat, lon, 9, tid) for tid, name, lat, lon in places
        ]
