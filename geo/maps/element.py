"""The base of the map's elements: a folium element whose script is rendered once, without
branca's second Jinja pass, and the one way to put data as JSON inside a <script>.
"""

from __future__ import annotations

import json

from branca.element import Element, MacroElement


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

    def render(self, **kwargs) -> None:
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(ScriptText(script(self, kwargs)), name=self.get_name())


def script_json(value: object) -> str:
    """JSON without spaces, safe inside a <script> block (as Jinja's tojson, a quarter smaller
    for the outlines' integer lists)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
