"""TilesDown: when the tiles do not load, the map says so and offers the outlines alone."""

from __future__ import annotations

from geo.maps.element import FactoryElement, script_json
from geo.texts.i18n import t

TILES_DOWN_AFTER = 4  # failed tiles (and none loaded) before the map says its tiles are down


class TilesDown(FactoryElement):
    """When the tiles do not load (offline, a tile server down), say so on the map and offer the
    "outlines only" look in place: without a word, the default base map just turned grey.

    Said once the first TILES_DOWN_AFTER tiles of a view have all failed; the button removes
    the tile layer and fills the land like the "Contours seuls" base map (OutlineLayer).
    """

    factory = "tilesDown"  # static/js/tiles-down.js

    def __init__(self, lang: str):
        super().__init__()
        self._name = "TilesDown"
        self.message = t("tiles_down", lang)
        self.button = t("tiles_outlines", lang)

    def arguments(self) -> list[str]:
        options = {"after": TILES_DOWN_AFTER, "message": self.message, "button": self.button}
        return [script_json(options)]
