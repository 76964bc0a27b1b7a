"""Harness for the browser tests: the real app in a real (headless) Chromium.

One Streamlit server per test session, started as the benchmarks and ``scripts/screenshot.py``
start it (geo.web.harness.AppServer: free port, ``sys.executable -m streamlit run dashboard.py``,
health polled with a deadline, log dumped on failure, terminate → wait → kill). One Chromium per
session, one fresh browser context (cookies, Streamlit session) per test.

Every test's page records the URL of every request made by the page and its iframes (the map
lives in streamlit-folium's iframe) and its console errors, so a test can assert what the
browser contacted.  When a test fails, the server's log is added to the report.

The only skip: no Chromium binary (set CHROMIUM_PATH, or install Debian's ``chromium``).
Playwright never downloads a browser here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, expect, sync_playwright

from geo.web.harness import CHROMIUM_ARGS, MAP_FRAME, AppServer, AppStartError, find_chromium

TIMEOUT_MS = 30_000  # generous: Streamlit reruns and map renders are slow on a 2-core machine
NAVIGATION_TIMEOUT_MS = 60_000
WARM_UP_MS = 180_000
VIEWPORT = {"width": 1400, "height": 1300}  # the whole map fits: see test_dashboard.py

expect.set_options(timeout=TIMEOUT_MS)


@dataclass
class Recorder:
    """What a page did: request URLs (all frames), console errors, uncaught exceptions."""

    requests: list[str] = field(default_factory=list)
    console_errors: list[tuple[str, str]] = field(default_factory=list)  # (text, source URL)
    page_errors: list[str] = field(default_factory=list)

    def console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append((message.text, message.location.get("url", "")))


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip("no Chromium binary found (install Debian's chromium package)")
    return path


@pytest.fixture(scope="session")
def browser(chromium_path: str) -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def server(browser: Browser) -> Iterator:
    """The running app (``.url``, ``.log()``); depends on ``browser`` so a missing Chromium
    skips before a server is started for nothing."""
    try:
        with AppServer(timeout=60) as app:
            warm_up(browser, app.url)
            yield app
    except AppStartError as error:
        pytest.fail(f"the app did not start: {error}", pytrace=False)


def warm_up(browser: Browser, url: str) -> None:
    """One visit until the map shows, before the first test: a fresh server computes its
    caches on its first page (a minute on a busy 2-core machine), which is no test's subject."""
    page = browser.new_page()
    try:
        page.goto(url, timeout=WARM_UP_MS)
        expect(page.frame_locator(MAP_FRAME).locator(".fi-marker").first).to_be_visible(
            timeout=WARM_UP_MS
        )
    finally:
        page.close()


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def make_page(browser: Browser, recorder: Recorder) -> Iterator[Callable[..., Page]]:
    """Factory: a page in a fresh context (own Streamlit session), recording into ``recorder``."""
    contexts = []

    def make(viewport: dict[str, int] = VIEWPORT) -> Page:
        context = browser.new_context(viewport=viewport)
        contexts.append(context)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(NAVIGATION_TIMEOUT_MS)
        # Context-level: requests of every page and of every frame inside them (the map's iframe).
        context.on("request", lambda request: recorder.requests.append(request.url))
        page = context.new_page()
        page.on("console", recorder.console)
        page.on("pageerror", lambda error: recorder.page_errors.append(str(error)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(make_page: Callable[..., Page]) -> Page:
    return make_page()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """On failure, add the tail of the server's log to the report."""
    outcome = yield
    report = outcome.get_result()
    app = getattr(item, "funcargs", {}).get("server")
    if report.failed and app is not None:
        report.sections.append(("streamlit server log (tail)", app.log()[-6000:]))
