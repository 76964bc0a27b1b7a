"""The map's legend: one control, its sections (the list's first on the list map), folded on a
phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from folium.template import Template

from geo.maps.element import ScriptElement
from geo.maps.markers import SVG_SHAPES, WAVE_COLORS, marker_svg
from geo.texts.i18n import t

LEGEND_FOLD_BELOW_PIXELS = 480  # on a narrower map (a phone) the legend starts folded


class Legend(ScriptElement):
    """Wave colours and kind shapes, as a Leaflet control in the bottom-left corner.

    It never hides a marker: folded on a narrow map (a phone), and folded whenever a marker or a
    point lies under it once the map has moved or its markers changed (TerritoryLayer fires
    "fi:update"); if one still does, the map shifts it clear.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var legend = L.control({position: "bottomleft"});
            var div;
            legend.onAdd = function () {
                div = L.DomUtil.create("div", "fi-legend");
                div.setAttribute("role", "region");
                div.setAttribute("aria-label", {{ this.title|tojson }});
                div.style.cssText = "background:rgba(255,255,255,.92);padding:4px 6px;max-width:230px;"
                    + "border-radius:4px;font:11px/1.35 sans-serif;color:#222;box-shadow:0 1px 4px #0004";
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo(map);
            var details = div.querySelector("details");
            function covered() {
                var area = div.getBoundingClientRect();
                var hidden = [];
                map.getContainer().querySelectorAll(".fi-marker, .fi-point").forEach(function (el) {
                    var r = el.getBoundingClientRect();
                    if (r.width && r.left < area.right && r.right > area.left
                            && r.top < area.bottom && r.bottom > area.top) {
                        hidden.push(r);
                    }
                });
                return {area: area, hidden: hidden};
            }
            var shifted = false;
            function keepOffMarkers() {
                var box = map.getContainer();
                if (!box.clientWidth || !details) { return; }
                var seen = covered();
                if (seen.hidden.length && details.open) {
                    details.open = false;
                    seen = covered();
                }
                if (seen.hidden.length && !shifted) {
                    shifted = true;  // once per view: never a loop of moves
                    var right = 0, up = 0;
                    seen.hidden.forEach(function (r) {
                        right = Math.max(right, seen.area.right - r.left + 6);
                        up = Math.max(up, r.bottom - seen.area.top + 6);
                    });
                    map.panBy(right <= up ? [-right, 0] : [0, up], {animate: false});
                }
            }
            var sized = false;
            function settle() {
                if (!map.getContainer().clientWidth || !details) { return; }
                if (!sized && map.getContainer().clientWidth < {{ this.fold_below|default(0) }}) {
                    details.open = false;  // a narrow map (a phone): folded from its first size
                }
                sized = true;
                keepOffMarkers();
            }
            map.on("zoomstart", function () { shifted = false; });
            map.on("moveend zoomend resize fi:update", function () { setTimeout(settle, 0); });
            if (window.ResizeObserver) {
                new ResizeObserver(function () { setTimeout(settle, 0); }).observe(map.getContainer());
            }
            setTimeout(settle, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str, sections: tuple[LegendSection, ...] = ()):
        super().__init__()
        self._name = "Legend"
        self.title = t("legend_title", lang)
        self.fold_below = LEGEND_FOLD_BELOW_PIXELS
        rows = [
            (marker_svg("circle", WAVE_COLORS["1"]), t("legend_wave1", lang)),
            (marker_svg("circle", WAVE_COLORS["2"], wave="2"), t("legend_wave2", lang)),
        ]
        rows += [(marker_svg(shape, "#767676"), t(f"legend_{shape}", lang)) for shape in SVG_SHAPES]
        # Other sections (a user's list) come first, the territories' under their own title.
        if sections:
            sections = (*sections, LegendSection(t("legend_territories", lang), rows))
            items = "".join(section.html() for section in sections)
        else:
            items = LegendSection("", rows).html()
        self.html = (
            f'<details open><summary style="cursor:pointer;font-weight:bold">'
            f"{escape(self.title)}</summary>{items}</details>"
        )


@dataclass(frozen=True)
class LegendSection:
    """A titled list of (symbol SVG, label) rows in the map's one legend."""

    title: str
    rows: list[tuple[str, str]]

    def html(self) -> str:
        title = f'<div style="font-weight:bold;margin-top:3px">{escape(self.title)}</div>'
        return (title if self.title else "") + "<br>".join(
            f'<span style="display:inline-flex;align-items:center;gap:4px">'
            f"{svg.replace('22', '14', 2)}{escape(label)}</span>"
            for svg, label in self.rows
        )
