"""The two layers of geo/: the reusable geocoder (geo.geocoding) never imports the app layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import geo.geocoding

ROOT = Path(__file__).resolve().parent.parent
GEOCODING = ROOT / "geo" / "geocoding"
MODULES = sorted(GEOCODING.glob("*.py"))


def imported_modules(path: Path) -> list[str]:
    """Every module a file imports, at any depth (function-level imports too), made absolute."""
    package = "geo.geocoding"
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against geo.geocoding
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                found.append(f"{base}.{node.module}" if node.module else base)
            else:
                found.append(node.module)
    return found


def test_the_geocoding_layer_has_modules():
    names = {path.stem for path in MODULES}
    assert {"normalize", "gazetteer", "geocoder", "online", "batch", "readers", "export"} <= names


def app_imports(path: Path) -> list[str]:
    """The imports of a file that reach geo/ outside geo.geocoding, sorted."""
    return sorted(
        name
        for name in imported_modules(path)
        if (name == "geo" or name.startswith("geo."))
        and not (name == "geo.geocoding" or name.startswith("geo.geocoding."))
    )


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_geocoding_imports_nothing_from_the_app_layer(path):
    assert app_imports(path) == [], f"{path.name} imports the app layer"


def test_the_check_sees_every_form_of_app_import(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import geo.config\nfrom geo import i18n\n"
        "def late():\n    from geo.maps import base_map\n"
        "from .. import views\nfrom geo.geocoding.kinds import KINDS\nfrom . import paths\n"
    )
    assert app_imports(sample) == ["geo", "geo", "geo.config", "geo.maps"]


def test_public_names_are_unique_and_importable():
    names = geo.geocoding.__all__  # ruff (RUF022) keeps the list sorted
    assert len(names) == len(set(names))
    assert all(hasattr(geo.geocoding, name) for name in names)
