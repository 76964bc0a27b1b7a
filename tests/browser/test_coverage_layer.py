"""The label coverage layer in Chromium: toggled on by the URL, régions then départements."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from geo.web.harness import MAP_FRAME

pytestmark = pytest.mark.browser


def test_coverage_layer_shades_regions_then_departements_and_toggles_off(page: Page, server):
    page.goto(f"{server.url}/?coverage=1&basemap=outlines")
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path.fi-coverage")).to_have_count(18)
    legend = frame.locator(".fi-coverage-legend")
    expect(legend).to_contain_text("Part de la population dans un périmètre vrai")
    expect(legend).to_contain_text("66–100")
    frame.locator(".leaflet-container").evaluate("() => window.map.setZoom(7)")
    expect(frame.locator("path.fi-coverage")).to_have_count(101)
    page.get_by_text("Couverture du label").click()
    expect(frame.locator("path.fi-coverage")).to_have_count(0)
    expect(legend).to_have_count(0)
