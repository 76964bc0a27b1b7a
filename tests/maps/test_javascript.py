"""The map's JavaScript lives in static/js, one file per element, each adding a factory to one
namespace; the Python elements only call them with options as JSON (geo.maps.element), through
the one helper that makes a value safe inside a <script> (script_json)."""

from __future__ import annotations

import ast
import importlib
import json
import re
from pathlib import Path

import pytest

from geo.domain.territories import load_placed
from geo.maps.assets import MAP_SCRIPTS, SCRIPT_DIR, localize, map_script, standalone_html
from geo.maps.base import build_territory_map
from geo.maps.element import NAMESPACE, FactoryElement, script_json
from geo.maps.place_marker import place_marker_script
from geo.maps.protocol import update_script
from geo.web.card_focus import card_focus_html
from geo.web.widget_text import widget_text_script

ROOT = Path(__file__).resolve().parents[2]
GEO = ROOT / "geo"
MAX_JS_LINES = 15
# static/js files that are not part of the map's one script, and where they run.
OTHER_SCRIPTS = {
    "coverage.js": "published with its figures, loaded on first use (coverage-toggle.js)",
    "widget-text.js": "the page, by st.html (geo.web.widget_text)",
    "card-focus.js": "the page, by st.html (geo.web.card_focus)",
}
JS_WORDS = re.compile(r"\bfunction\b|\bvar\b|=>|\bL\.\w+\(|\bdocument\.\w+|\bwindow\.\w+")
CODE_LINE = re.compile(r"[;{}(]\s*(//.*)?$|^\s*(var|function|if|for|return|})\b")
NAMESPACE_END = f"}})(window.{NAMESPACE} = window.{NAMESPACE} || {{}});"


def javascript_strings(source: str) -> list[tuple[int, int]]:
    """(line number, lines of code) of each string constant of Python source that looks like
    JavaScript (an f-string counts as its literal parts)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
            text = "".join(str(part) for part in parts)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if JS_WORDS.search(text):
            code = [line for line in text.splitlines() if CODE_LINE.search(line)]
            found.append((node.lineno, len(code)))
    return found


SIXTEEN_LINES = "\n".join(["(function () {", *(f"  var x{i} = {i};" for i in range(14)), "})();"])


@pytest.mark.parametrize(
    "source, lines",
    [
        (f"SCRIPT = '''{SIXTEEN_LINES}'''", 16),
        (f"SCRIPT = f'''{SIXTEEN_LINES.replace('{', '{{').replace('}', '}}')}{{x}}'''", 16),
        ('"""A docstring that says the function and the var of a script, in prose.\n\n"""', 0),
        ("CALL = 'window.fiPin = L.marker(point);'", 1),
    ],
)
def test_the_checker_counts_the_javascript_of_python_strings(source, lines):
    assert max((n for _, n in javascript_strings(source)), default=0) == lines


@pytest.mark.parametrize("path", sorted(GEO.rglob("*.py")), ids=lambda p: str(p.relative_to(GEO)))
def test_no_python_string_holds_more_than_15_lines_of_javascript(path):
    long = [
        (line, n)
        for line, n in javascript_strings(path.read_text(encoding="utf-8"))
        if n > MAX_JS_LINES
    ]
    assert not long, f"{path}: JavaScript in Python strings at (line, lines) {long}: static/js"


def test_every_script_file_is_in_the_map_s_script_or_run_on_its_own():
    files = {path.name for path in SCRIPT_DIR.glob("*.js")}
    assert set(MAP_SCRIPTS) | set(OTHER_SCRIPTS) == files
    assert not set(MAP_SCRIPTS) & set(OTHER_SCRIPTS)


@pytest.mark.parametrize("name", sorted(p.name for p in SCRIPT_DIR.glob("*.js")))
def test_each_file_adds_its_factories_to_the_one_namespace(name):
    text = (SCRIPT_DIR / name).read_text(encoding="utf-8")
    assert text.startswith("/* ")  # says what it draws and where its Python side is
    assert text.rstrip().endswith(NAMESPACE_END)
    assert re.search(r"^  ns\.\w+ = function \(", text, re.M)


def factory_elements() -> set[type[FactoryElement]]:
    for path in (GEO / "maps").glob("*.py"):
        importlib.import_module(f"geo.maps.{path.stem}")
    found, todo = set(), [FactoryElement]
    while todo:
        for sub in todo.pop().__subclasses__():
            found.add(sub)
            todo.append(sub)
    return found


def test_every_factory_an_element_calls_is_in_the_map_s_script():
    factories = {element.factory for element in factory_elements()}
    assert {"territoryLayer", "outlineLayer", "legend", "goTo", "listPoints"} <= factories
    # The updates evaluated in the mounted map call two more.
    for factory in factories | {"placeMarker", "toggleCoverage"}:
        assert f"  ns.{factory} = function (" in map_script(), factory


def test_a_map_links_its_script_once_served_and_inlines_it_standalone():
    m = build_territory_map(load_placed().placed, {}, "fr")
    url = "/carte/component/geo.web.publish.published/carte-ess-map.0123456789abcdef.js"
    html = localize(m, "/carte/component/geo.web.publish.vendor/", url).get_root().render()
    assert html.count(f'<script src="{url}"></script>') == 1  # one file for every element
    offline = standalone_html(m)
    assert "<script src=" not in offline
    assert offline.count("  ns.territoryLayer = function (") == 1
    assert offline.index("ns.territoryLayer = function") < offline.index(".fiTerritories.update(")


HOSTILE = "</script><!-- a & b's \u2028\u2029 -->"


@pytest.mark.parametrize("value", [HOSTILE, {"k": [HOSTILE, 1, None, True]}, "Réunion"])
def test_script_json_is_json_that_cannot_leave_its_script(value):
    text = script_json(value)
    assert json.loads(text) == value
    assert text.isascii()
    for char in "<>&'\u2028\u2029":
        assert char not in text
    assert ", " not in text and ": " not in text  # compact


def test_every_value_in_a_script_goes_through_script_json():
    layer = {"rows": [[HOSTILE]], "shapes": [], "frame": None, "regions": []}
    assert update_script(layer, "map_div") == f"map_div.fiTerritories.update({script_json(layer)});"
    place = type(
        "Answer", (), {"found": True, "lat": 1.0, "lon": 2.0, "name": HOSTILE, "code": "x"}
    )
    script = place_marker_script(place(), "map_div")
    assert script == (
        f"{NAMESPACE}.placeMarker(map_div, "
        f"{script_json({'lat': 1.0, 'lon': 2.0, 'label': HOSTILE, 'key': 'x'})});"
    )
    focus = card_focus_html(HOSTILE)
    assert focus.endswith(
        f'{NAMESPACE}.cardFocus("fi-card-anchor", {script_json(HOSTILE)});</script>'
    )
    assert focus.count("</script>") == 1 and "<!--" not in focus
    rules = widget_text_script("fr")
    assert rules.startswith("<script>/* widgetText") and rules.count("</script>") == 1
