"""The app through `python -m deploy`'s nginx, in Chromium, works under its security headers:
the page, the map (a component iframe of the same origin), a card, an uploaded list geocoded and
drawn, and a download, with no Content Security Policy violation in the page or any frame."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from deploy.cluster import Cluster, cluster, find_nginx
from geo.web.harness import MAP_FRAME

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(find_nginx() is None, reason="no nginx binary (apt-get install nginx)"),
]

# Every frame records the violations its document sees (the event does not cross frames).
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""
CSV = b"nom\nLyon\nNantes\nRoubaix\n"


@pytest.fixture(scope="module")
def proxied(browser) -> Iterator[Cluster]:  # after `browser`: no Chromium, no cluster
    with cluster(replicas=1, port=0) as unit:
        yield unit


def violations(page: Page) -> list[str]:
    seen = []
    for frame in page.frames:
        seen += frame.evaluate("() => window.__violations || ['not recorded']")
    return seen


def test_the_app_works_under_its_content_security_policy(page: Page, proxied, recorder):
    page.context.add_init_script(RECORD_VIOLATIONS)
    response = page.goto(f"{proxied.url}/")
    assert "frame-ancestors 'self'" in response.headers["content-security-policy"]
    frame = page.frame_locator(MAP_FRAME)
    marker = frame.locator(".fi-marker").first
    expect(marker).to_be_visible()
    marker.click()  # opens the territory's card, and writes it into the URL
    expect(page).to_have_url(re.compile(r"[?&]territory="))

    page.get_by_role("tab", name="Téléchargements").click()
    with page.expect_download(timeout=30_000) as download:
        page.get_by_role("button", name="Territoires filtrés (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")

    page.get_by_role("tab", name="Ma liste").click()
    page.locator('input[type="file"]').set_input_files(
        {"name": "liste.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Géocoder la liste").click()
    points = page.frame_locator(MAP_FRAME).last.locator("path.fi-point")
    expect(points).to_have_count(3)

    assert violations(page) == []
    assert [e for e in recorder.page_errors if "Content Security Policy" in e] == []
    assert [t for t, _ in recorder.console_errors if "Content Security Policy" in t] == []
