"""The layers of geo/, read from the imports of every module (function-level imports too).

geocoding < domain < texts < maps < web: a layer imports only the layers below it and the
top-level modules that serve every layer (geo.config); only the web layer and the page
(dashboard.py) import Streamlit; the domain and the texts import neither Streamlit nor folium;
the reusable geocoder imports nothing of the app. A name is imported from the module that
defines it (no module forwards another's names), geo.geocoding's public `__all__` aside.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import pytest

import geo.geocoding

ROOT = Path(__file__).resolve().parent.parent
GEO = ROOT / "geo"
LAYERS = ("geocoding", "domain", "texts", "maps", "web")
SHARED = {"geo.config"}  # top-level modules any layer may use
STREAMLIT = ("streamlit", "streamlit_folium")
FOLIUM = ("folium", "branca")
MODULES = sorted(path for layer in LAYERS for path in (GEO / layer).glob("*.py"))
PAGE = ROOT / "dashboard.py"


def module_name(path: Path) -> str:
    """geo/maps/legend.py -> geo.maps.legend; a package's __init__ is the package."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[str, list[str]]]:
    """(module, names) of every import of a file, at any depth, relative ones made absolute;
    `import a.b` gives ("a.b", [])."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                here = module_name(path)
                package = here if path.name == "__init__.py" else here.rpartition(".")[0]
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            found.append((module, [alias.name for alias in node.names]))
    return found


def layer_of(module: str) -> str | None:
    """The layer a geo module belongs to (None outside the layers: geo, geo.config, ...)."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == "geo" and parts[1] in LAYERS else None


def top_package(module: str) -> str:
    return module.split(".")[0]


def forbidden(path: Path) -> list[str]:
    """What a module of geo/ imports against the rules, as readable lines."""
    layer = layer_of(module_name(path))
    problems = []
    for module, _ in imports(path):
        if top_package(module) in STREAMLIT and layer != "web":
            problems.append(f"{module}: only geo.web imports Streamlit")
        if top_package(module) in FOLIUM and layer in ("geocoding", "domain", "texts"):
            problems.append(f"{module}: geo.{layer} draws no map")
        if top_package(module) != "geo":
            continue
        target = layer_of(module)
        if layer == "geocoding" and target != "geocoding":
            problems.append(f"{module}: the geocoder imports nothing of the app")
        elif target and LAYERS.index(target) > LAYERS.index(layer):
            problems.append(f"{module}: geo.{layer} is below geo.{target}")
        elif target is None and module not in SHARED and layer != "geocoding":
            problems.append(f"{module}: not a layer nor a shared module")
    return problems


@pytest.mark.parametrize("path", MODULES, ids=lambda path: module_name(path))
def test_a_module_imports_only_what_its_layer_may(path):
    assert forbidden(path) == []


def test_every_module_of_geo_lives_in_a_layer():
    """Two levels at most, and nothing at the top but the shared modules and the command line."""
    top = {path.name for path in GEO.glob("*.py")}
    assert top == {"__init__.py", "__main__.py", "config.py"}
    assert not [path for path in GEO.glob("*/*/*.py")]
    assert {path.parent.name for path in GEO.glob("*/*.py")} == set(LAYERS)


def test_the_check_sees_every_form_of_forbidden_import():
    sample = GEO / "domain" / "_layout_sample.py"
    sample.write_text(
        "import streamlit as st\nfrom folium import Map\n"
        "def late():\n    from geo.maps.legend import Legend\n"
        "from ..web import caches\nfrom geo.geocoding.kinds import KINDS\nfrom . import views\n"
        "import geo.launch\n",
        encoding="utf-8",
    )
    try:
        assert sorted(forbidden(sample)) == [
            "folium: geo.domain draws no map",
            "geo.launch: not a layer nor a shared module",
            "geo.maps.legend: geo.domain is below geo.maps",
            "geo.web: geo.domain is below geo.web",
            "streamlit: only geo.web imports Streamlit",
        ]
    finally:
        sample.unlink()


def test_the_top_modules_import_no_streamlit():
    """The command line and the configuration run without a server."""
    for path in (GEO / "__main__.py", GEO / "config.py"):
        assert not [m for m, _ in imports(path) if top_package(m) in STREAMLIT], path.name


@cache
def definitions() -> dict[str, set[str]]:
    """Every geo module's top-level names (defined, not imported), by module."""
    defined: dict[str, set[str]] = {}
    for path in GEO.rglob("*.py"):
        names = set()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            names.add(name.id)
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names.add(node.target.id)
        defined[module_name(path)] = names
    return defined


def forwarded_imports(path: Path) -> list[str]:
    """The names a file imports from a geo module that does not define them (it only imports
    them itself), geo.geocoding's public API and submodules aside."""
    defined = definitions()
    found = []
    for module, names in imports(path):
        if top_package(module) != "geo" or module == "geo.geocoding":
            continue
        for name in names:
            if f"{module}.{name}" in defined:  # a submodule: from geo.web import caches
                continue
            if name not in defined.get(module, set()):
                found.append(f"{module}.{name}")
    return found


APP_FILES = sorted(
    [*GEO.rglob("*.py"), PAGE, *(ROOT / "benchmarks").glob("*.py"), *(ROOT / "tests").rglob("*.py")]
)


@pytest.mark.parametrize("path", APP_FILES, ids=lambda path: str(path.relative_to(ROOT)))
def test_a_name_is_imported_from_where_it_is_defined(path):
    assert forwarded_imports(path) == []


def test_the_forwarding_check_sees_a_forwarded_name(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from geo.texts.i18n import kind_label\nfrom geo.web import caches\n"
        "from geo.geocoding import kind_label as label\nfrom geo.geocoding.kinds import kind_label\n"
    )
    assert forwarded_imports(sample) == ["geo.texts.i18n.kind_label"]


def test_the_page_imports_the_web_layer_and_below():
    assert all(
        layer_of(module) or module in SHARED or top_package(module) != "geo"
        for module, _ in imports(PAGE)
    )


def test_public_names_are_unique_and_importable():
    names = geo.geocoding.__all__  # ruff (RUF022) keeps the list sorted
    assert len(names) == len(set(names))
    assert all(hasattr(geo.geocoding, name) for name in names)
