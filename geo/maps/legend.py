"""The map's legend: one control, its sections (the list's first on the list map), folded on a
phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

from geo.maps.element import FactoryElement, script_json
from geo.maps.markers import SVG_SHAPES, WAVE_COLORS, marker_svg
from geo.texts.i18n import t

LEGEND_FOLD_BELOW_PIXELS = 480  # on a narrower map (a phone) the legend starts folded


class Legend(FactoryElement):
    """Wave colours and kind shapes, as a Leaflet control in the bottom-left corner.

    It never hides a marker: folded on a narrow map (a phone), and folded whenever a marker or a
    point lies under it once the map has moved or its markers changed (TerritoryLayer fires
    "fi:update"); if one still does, the map shifts it clear.
    """

    factory = "legend"  # static/js/legend.js

    def __init__(self, lang: str, sections: tuple[LegendSection, ...] = ()):
        super().__init__()
        self._name = "Legend"
        self.title = t("legend_title", lang)
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

    def arguments(self) -> list[str]:
        options = {"title": self.title, "html": self.html, "foldBelow": LEGEND_FOLD_BELOW_PIXELS}
        return [script_json(options)]


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
