"""Accessibility measured, not assumed: axe-core (npm) in the page and in every frame.

Five states a reader reaches: the landing page, a territory's card, a lever's page, a comparison
and the English interface; then the other tabs (the table is the landing page's), but "Ma liste",
whose file uploader Streamlit marks role="presentation" with an aria-label (axe-core's
presentation-role-conflict, inside Streamlit's widget). axe-core is injected with Playwright's ``add_script_tag`` into the
page and into each frame (the map is streamlit-folium's iframe), each document checked on its
own; the test fails on any violation and names the rule, its nodes and the frame.

axe-core comes from npm, installed outside the checkout (geo.web.harness.find_axe; .ci/run installs
it). Without it the test is skipped with that reason, as the browser tests are without Chromium.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Frame, Page, expect

from geo.texts.i18n import t
from geo.web.harness import MAP_FRAME, axe_prefix, find_axe

pytestmark = pytest.mark.browser

STATES = {  # state: (query string, interface text key of the tab to open, if any)
    "landing": ("", None),
    "card": ("territory=roubaix", None),
    "lever page": ("lever=achats-responsables", None),
    "comparison": ("compare=roubaix,nantes-metropole", None),
    "english": ("lang=en", None),
    "matrix tab": ("", "tab_matrix"),
    "regions tab": ("", "tab_regions"),
    "downloads tab": ("", "tab_downloads"),
    "about tab": ("territory=roubaix", "tab_about"),  # after a card's h2 and h3, as read
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


def open_state(page: Page, url: str, query: str, tab: str | None) -> None:
    """The view, once its map has drawn its markers, its tab is open and the page has stopped
    running."""
    page.goto(f"{url}/?{query}")
    # a first map on a loaded 2-core machine can take longer than the suite's 30 s default
    marker = page.frame_locator(MAP_FRAME).locator(".fi-marker").first
    expect(marker).to_be_visible(timeout=90_000)
    expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
    if tab is not None:
        page.get_by_role("tab", name=t(tab, "fr"), exact=True).click()
        expect(page.get_by_role("tab", name=t(tab, "fr"), exact=True)).to_have_attribute(
            "aria-selected", "true"
        )
        expect(page.get_by_role("tabpanel")).not_to_be_empty()
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)


@pytest.mark.parametrize("state", list(STATES))
def test_no_axe_violation_in_the_page_or_its_frames(
    page: Page, server, axe_script: Path, state: str
) -> None:
    open_state(page, server.url, *STATES[state])
    frames = [page.main_frame, *(f for f in page.frames if f is not page.main_frame)]
    checked = [f for f in frames if f.url.startswith("http")]
    assert len(checked) >= 2, [f.url for f in frames]  # the page and at least the map's frame
    report = {f.url.split("?")[0]: violations(f, axe_script) for f in checked}
    failing = {where: found for where, found in report.items() if found}
    assert not failing, "\n".join(
        f"{where}:\n  " + "\n  ".join(found) for where, found in failing.items()
    )
