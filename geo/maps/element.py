"""The base of the map's elements: a folium element whose script is rendered once, without
branca's second Jinja pass; an element drawn by a factory of the map's own scripts (static/js);
and the one way to put data as JSON inside a <script>.
"""

from __future__ import annotations

import json

from branca.element import Element, Figure, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

# The one global namespace of the app's scripts (static/js): each file adds a factory to it.
NAMESPACE = "carteEss"
# The map's own scripts, linked by every element that calls them as one file (geo.maps.assets
# bundles them; geo.web.publish serves the bundle under a content-hashed name, the standalone
# map inlines it). The URL is a placeholder until geo.maps.assets.localize points it there.
MAP_SCRIPT_STEM = "carte-ess-map"
MAP_SCRIPT_LINK = ("carte_ess_map", f"{MAP_SCRIPT_STEM}.js")

# What script_json escapes beyond JSON: the characters that could end the <script> or start a
# comment or entity in it (<, >, &), and the quote of a script inside an HTML attribute.
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "'": "\\u0027"})


def figure_of(element: Element) -> Figure:
    """The page an element of a map renders into (its root: a map is always in one)."""
    root = element.get_root()
    assert isinstance(root, Figure), "a map's element renders inside the map's page"
    return root


class ScriptText(Element):
    """Already-rendered script text, added to the page as is."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class ScriptElement(MacroElement):
    """A MacroElement with only a `script` macro, rendered without a second Jinja pass.

    branca wraps each element's rendered script in a new Element, which compiles that text as
    a Jinja template: for a script carrying thousands of data rows, most of a map's render
    time. Our elements' output is final JavaScript, so it is added as plain text.
    """

    # branca's MacroElement.render (untyped) renders into the root and returns nothing, where
    # Element.render returns the text: the override keeps MacroElement's contract.
    def render(self, **kwargs: object) -> None:  # type: ignore[override]
        script = self._template.module.__dict__["script"]
        figure_of(self).script.add_child(ScriptText(script(self, kwargs)), name=self.get_name())

    def map_name(self) -> str:
        """The JavaScript name of the map this element was added to."""
        assert self._parent is not None, "added to a map before it renders"
        return self._parent.get_name()


class FactoryElement(JSCSSMixin, ScriptElement):
    """An element drawn by `NAMESPACE.<factory>(map, ...arguments)`, a function of the map's
    own scripts (static/js/<file>.js), which it links.

    Why: the JavaScript then lives in .js files that are linted, cached by the browser and read
    with syntax colours; the element keeps only this call with its options as JSON
    (`arguments`). `keep_as` names the map's property that keeps what the factory returns (the
    handle other scripts and updates use, as `map.fiTerritories`)."""

    default_js = [MAP_SCRIPT_LINK]  # noqa: RUF012 (folium's list; localize sets each element's)
    _template = Template("{% macro script(this, kwargs) %}{{ this.call() }}{% endmacro %}")
    factory = ""
    keep_as = ""

    def arguments(self) -> list[str]:
        """The factory's arguments after the map, as JavaScript (script_json of the options)."""
        return []

    def target(self) -> str:
        """What receives the factory's result: the map's `keep_as` property, or nothing."""
        return f"{self.map_name()}.{self.keep_as} = " if self.keep_as else ""

    def call(self) -> str:
        """The element's whole script: one call of its factory."""
        args = ", ".join([self.map_name(), *self.arguments()])
        return f"{self.target()}{NAMESPACE}.{self.factory}({args});"


def script_json(value: object) -> str:
    """JSON safe inside a <script> block, for every value the app puts in one (options, data,
    updates evaluated by streamlit-folium): compact (a quarter smaller than Jinja's tojson for
    the outlines' integer lists), ASCII only (so U+2028 and U+2029, line ends to older
    JavaScript, come out escaped), and <, >, &, ' as \\u escapes (nothing can close the script
    or its attribute)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    return text.translate(_SCRIPT_ESCAPES)
