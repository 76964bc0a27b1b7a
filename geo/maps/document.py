"""The map as a page: its viewport, zoom and the document's language and title."""

from __future__ import annotations

import re

import folium

from geo.maps.element import FactoryElement, ScriptText, figure_of, script_json
from geo.texts.i18n import t


class ZoomableMap(folium.Map):
    """folium's map without its viewport's `maximum-scale=1.0, user-scalable=no`: a reader must
    be able to pinch-zoom (WCAG 1.4.4, axe-core's meta-viewport rule). folium writes that meta
    in its map's header macro; it is rewritten once the header is rendered."""

    def render(self, **kwargs: object) -> None:  # type: ignore[override]  # as folium.Map's
        super().render(**kwargs)
        header = figure_of(self).header
        rendered = header._children[self.get_name()].render()
        header.add_child(ScriptText(_VIEWPORT.sub(VIEWPORT, rendered)), name=self.get_name())


VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />'


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


class MapDocument(FactoryElement):
    """The map's own document as a screen reader meets it: in the reader's language, titled,
    the map a named main landmark with a level-one heading (hidden from view), and the frame
    that holds it (streamlit-folium's, same origin) named by that title rather than by the
    component's name. The standalone map gets the same."""

    factory = "mapDocument"  # static/js/map-document.js

    def __init__(self, lang: str):
        super().__init__()
        self._name = "MapDocument"
        self.lang = lang
        self.title = t("map_title", lang)

    def arguments(self) -> list[str]:
        return [script_json({"lang": self.lang, "title": self.title})]
