"""The map's own document as a screen reader and a phone meet it (geo.maps.base.ZoomableMap and
MapDocument): what axe-core checks in the browser (tests/browser/test_accessibility.py), read
here in the HTML a map renders, mounted or standalone."""

from __future__ import annotations

import re

import pytest

from geo.domain.territories import load_placed
from geo.maps.assets import script_text
from geo.maps.base import build_territory_map
from geo.web.mounted import mount
from geo.web.pagestyle import page_style


@pytest.fixture(scope="module")
def placed():
    return load_placed().placed


@pytest.mark.parametrize(
    "lang,title",
    [("fr", "Carte des territoires French Impact"), ("en", "Map of the French Impact territories")],
)
def test_standalone_and_mounted_maps_allow_zoom_and_name_their_document(
    placed, lang, title, factory_arguments
):
    m = build_territory_map(placed, {}, lang, basemap="outlines")
    html = m.get_root().render()
    viewports = re.findall(r'<meta name="viewport"[^>]*>', html)
    assert viewports == ['<meta name="viewport" content="width=device-width, initial-scale=1" />']
    mounted = mount(m)
    assert "maximum-scale" not in mounted.header and "user-scalable" not in mounted.header
    for script in (html, mounted.script):
        assert factory_arguments(script, "mapDocument") == [[{"lang": lang, "title": title}]]
    code = script_text("map-document.js")  # what the call does with them
    assert 'setAttribute("role", "main")' in code and 'createElement("h1")' in code
    assert "document.title = options.title" in code
    assert "document.documentElement.lang = options.lang" in code


def test_captions_get_an_opaque_colour_of_their_own():
    style = page_style()
    assert style.startswith("<style>") and style.endswith("</style>")
    assert 'html [data-testid="stCaptionContainer"]' in style and "opacity: 1" in style
