"""The go-to control: a box that flies to mainland France or to an overseas area."""

from __future__ import annotations

from geo.maps.element import FactoryElement, script_json
from geo.maps.framing import FRANCE_CENTER, FRANCE_ZOOM
from geo.texts.i18n import t

GOTO_WIDTH_PIXELS = 100  # the go-to box's fixed width; frames keep clear of it


class GoToControl(FactoryElement):
    """Buttons that fly to mainland France or to each overseas territory: one click away.
    A territory's button carries its id, so that a dynamic layer hides it when not shown."""

    factory = "goTo"  # static/js/goto.js

    def __init__(self, places: list[tuple[str, str, float, float]], lang: str):
        super().__init__()
        self._name = "GoToControl"
        self.title = t("goto", lang)
        self.places = [(t("metropole", lang), *FRANCE_CENTER, FRANCE_ZOOM, "")] + [
            (name, lat, lon, 9, tid) for tid, name, lat, lon in places
        ]

    def arguments(self) -> list[str]:
        return [
            script_json({"width": GOTO_WIDTH_PIXELS, "title": self.title, "places": self.places})
        ]
