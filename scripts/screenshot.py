"""Take a screenshot of the running dashboard, for the README and for reviews.

Usage::

    python scripts/screenshot.py [--out docs/screenshot.png] [--url-query "territory=roubaix"]
                                 [--size 1366x768] [--tab "Territoires × leviers"]

It starts the app (``streamlit run dashboard.py``) on a free port of 127.0.0.1, opens it in a
headless Chromium (1400×900 unless ``--size``) with the given query string, waits until the map's
markers are drawn, opens a tab and scrolls to it if asked, writes a PNG of the window and stops
the app again.  Needs Debian's ``chromium``
package (or ``CHROMIUM_PATH``) and the ``playwright`` Python package; it never downloads a
browser.

Offline, the map tiles (OpenStreetMap, CARTO, IGN) cannot load: the map then shows a grey
background under its markers, legend and controls.  That is expected, not a failure.

The app is started with geo.web.harness.AppServer, as the browser tests and the benchmarks start it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from geo.web.harness import CHROMIUM_ARGS, MAP_FRAME, ROOT, AppServer, find_chromium


def take_screenshot(
    url: str,
    out: Path,
    chromium: str,
    timeout_ms: int = 60_000,
    size: tuple[int, int] = (1400, 900),
    tab: str = "",
) -> None:
    """Open ``url`` in a window of ``size``, wait for the markers (and the card if one is
    selected), open ``tab`` if given and scroll to it, save."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": size[0], "height": size[1]})
            page.goto(url, timeout=timeout_ms)
            frame = page.frame_locator(MAP_FRAME)
            # The map's régions are drawn in every view, also one that matches no territory.
            expect(frame.locator(".fi-region").first).to_be_attached(timeout=timeout_ms)
            # Streamlit is done when its status widget stops saying "Running...".
            expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout_ms)
            if "territory=" in url:
                expect(page.get_by_test_id("stExpander").first).to_be_visible(timeout=timeout_ms)
            if tab:
                page.get_by_role("tab", name=tab).click()
                expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout_ms)
                page.get_by_role("tab", name=tab).scroll_into_view_if_needed()
                page.locator(".stTabs").evaluate("tabs => tabs.scrollIntoView({block: 'start'})")
                page.wait_for_timeout(500)
            page.wait_for_timeout(1000)  # the map's legend settles after its first moves
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out), full_page=False)
        finally:
            browser.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.png")
    parser.add_argument(
        "--url-query",
        default="territory=roubaix",
        help='query string of the view, without "?" (default: territory=roubaix)',
    )
    parser.add_argument("--size", default="1400x900", help="window size, WIDTHxHEIGHT")
    parser.add_argument("--tab", default="", help='open this tab and scroll to it, e.g. "Tableau"')
    args = parser.parse_args(argv)
    width, height = (int(v) for v in args.size.lower().split("x"))
    chromium = find_chromium()
    if chromium is None:
        parser.error("no Chromium binary found (install Debian's chromium or set CHROMIUM_PATH)")
    query = args.url_query.lstrip("?")
    with AppServer() as app:
        take_screenshot(
            f"{app.url}/?{query}" if query else f"{app.url}/",
            args.out,
            chromium,
            size=(width, height),
            tab=args.tab,
        )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
