"""Accessibility measured, not assumed: axe-core (npm) in the page and in every frame.

Five states a reader reaches: the landing page, a territory's card, a lever's page, a comparison
and the English interface. axe-core is injected with Playwright's ``add_script_tag`` into the
page and into each frame (the map is streamlit-folium's iframe), each document checked on its
own; the test fails on any violation and names the rule, its nodes and the frame.

axe-core comes from npm, installed outside the checkout (geo.harness.find_axe; .ci/run installs
it). Without it the test is skipped with that reason, as the browser tests are without Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from geo.harness import MAP_FRAME, axe_prefix, find_axe

pytestmark = pytest.mark.browser

STATES = {
    "landing": "",
    "card": "territory=roubaix",
    "lever page": "lever=achats-responsables",
    "comparison": "compare=roubaix,nantes-metropole",
    "english": "lang=en",
}
# axe's default rules (WCAG 2 A and AA, best practices such as landmarks and heading order);
# each frame is checked on its own, below.
AXE_OPTIONS = {"iframes": False}


@pytest.fixture(scope="module")
def axe_script() -> Path:
    path = find_axe()
    if path is None:
        pytest.skip(f"axe-core not installed (npm install --prefix {axe_prefix()} axe-core@4)")
    return path


def violations(frame: Frame, axe_script: Path) -> list[str]:
    """axe-core's violations in this frame's document, one line per rule with its nodes."""
    frame.add_script_tag(path=str(axe_script))
    found = frame.evaluate("options => axe.run(document, options)", AXE_OPTIONS)["violations"]
    return [
        f"{v['id']} ×{len(v['nodes'])} ({v['help']}): "
        + " | ".join(" ".join(node["target"][-1:]) for node in v["nodes"][:4])
        for v in found
    ]


def open_state(page: Page, url: str, query: str) -> None:
    """The view, once its map has drawn its markers and the page has stopped running."""
    page.goto(f"{url}/?{query}")
    expect(page.frame_locator(MAP_FRAME).locator(".fi-marker").first).to_be_visible()
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


@pytest.mark.parametrize("state", list(STATES))
def test_no_axe_violation_in_the_page_or_its_frames(
    page: Page, server, axe_script: Path, state: str
) -> None:
    open_state(page, server.url, STATES[state])
    frames = [page.main_frame, *(f for f in page.frames if f is not page.main_frame)]
    checked = [f for f in frames if f.url.startswith("http")]
    assert len(checked) >= 2, [f.url for f in frames]  # the page and at least the map's frame
    report = {f.url.split("?")[0]: violations(f, axe_script) for f in checked}
    failing = {where: found for where, found in report.items() if found}
    assert not failing, "\n".join(
        f"{where}:\n  " + "\n  ".join(found) for where, found in failing.items()
    )
