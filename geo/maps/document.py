"""The map as a page: its viewport, zoom and the document's language and title."""

from __future__ import annotations

import re

import folium
from folium.template import Template

from geo.maps.element import ScriptElement, ScriptText
from geo.texts.i18n import t


class ZoomableMap(folium.Map):
    """folium's map without its viewport's `maximum-scale=1.0, user-scalable=no`: a reader must
    be able to pinch-zoom (WCAG 1.4.4, axe-core's meta-viewport rule). folium writes that meta
    in its map's header macro; it is rewritten once the header is rendered."""

    def render(self, **kwargs) -> None:
        super().render(**kwargs)
        header = self.get_root().header
        rendered = header._children[self.get_name()].render()
        header.add_child(ScriptText(_VIEWPORT.sub(VIEWPORT, rendered)), name=self.get_name())


VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />'


_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


class MapDocument(ScriptElement):
    """The map's own document as a screen reader meets it: in the reader's language, titled,
    the map a named main landmark with a level-one heading (hidden from view), and the frame
    that holds it (streamlit-folium's, same origin) named by that title rather than by the
    component's name. The standalone map gets the same."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var box = {{ this._parent.get_name() }}.getContainer();
            document.documentElement.lang = {{ this.lang|tojson }};
            document.title = {{ this.title|tojson }};
            box.setAttribute("role", "main");
            box.setAttribute("aria-label", {{ this.title|tojson }});
            var heading = document.createElement("h1");
            heading.textContent = {{ this.title|tojson }};
            heading.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;"
                + "clip:rect(0 0 0 0);white-space:nowrap;margin:0";
            box.insertBefore(heading, box.firstChild);
            try {
                if (window.frameElement) {
                    window.frameElement.setAttribute("aria-label", {{ this.title|tojson }});
                }
            } catch (error) { /* another origin's frame: its own title stays */ }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str):
        super().__init__()
        self._name = "MapDocument"
        self.lang = lang
        self.title = t("map_title", lang)
