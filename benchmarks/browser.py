"""Section 4: the page in headless Chromium, from navigation to markers drawn in the map's frame.

The waits run in the page (``wait_for_function``) and read the st_folium frame's document, which
Streamlit serves from the same origin: a figure stops the moment the expected markers are there.
"""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
from playwright.async_api import Browser, Page, async_playwright

from benchmarks.common import Section, median
from benchmarks.server import CpuMeter, rss_mb, serve, wait_until_idle
from geo.domain.territories import PlacedDataset
from geo.maps.markers import MARKER_CLASS
from geo.web.harness import CHROMIUM_ARGS, MAP_FRAME, AppServer, find_chromium

FLOOR_APP = Path(__file__).resolve().parent / "floor_app.py"
MARKER, FLOOR_MARKER = f".{MARKER_CLASS}", ".floor-marker"
VIEWPORT = {"width": 1400, "height": 900}
_COUNT = """([frame, selector, n]) => {
    const f = document.querySelector(frame);
    const d = f && f.contentDocument;
    return !!d && d.querySelectorAll(selector).length === n;
}"""
_CARD = """([frame, name]) => {
    const f = document.querySelector(frame);
    const d = f && f.contentDocument;
    const selected = d && d.querySelector('.fi-marker svg[stroke="#000"]');
    const heading = [...document.querySelectorAll("h3")].some(h => h.textContent.includes(name));
    return !!selected && heading;
}"""


@dataclass(frozen=True)
class Expectations:
    """What the dashboard must show: all markers, and per région its name and marker count."""

    total: int
    regions: dict[str, tuple[str, int]]  # code → (name as typed in the multiselect, markers)
    territories: dict[str, list[str]]  # région code → names of its territories

    @classmethod
    def of(cls, territories: PlacedDataset) -> Expectations:
        placed = territories.placed.dropna(subset=["lat", "lon"])
        names = territories.dataset.regions.set_index("code")["name"]
        counts = placed["region_code"].value_counts()
        return cls(
            total=len(placed),
            regions={code: (names[code], int(n)) for code, n in counts.items()},
            territories={
                code: placed.loc[placed["region_code"] == code, "name"].tolist()
                for code in counts.index
            },
        )


async def launch(playwright) -> Browser:
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError("no Chromium")
    return await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)


async def wait_markers(page: Page, selector: str, count: int, timeout_ms: float, poll: int) -> None:
    await page.wait_for_function(
        _COUNT, arg=[MAP_FRAME, selector, count], polling=poll, timeout=timeout_ms
    )


async def open_page(
    browser: Browser,
    url: str,
    selector: str,
    count: int,
    timeout_ms: float = 60_000,
    poll: int = 50,
) -> tuple[float, Page]:
    """(seconds from navigation to `count` markers in the map frame, the page) in a new context
    (empty cache: a first visit)."""
    context = await browser.new_context(viewport=VIEWPORT)
    page = await context.new_page()
    start = time.perf_counter()
    await page.goto(url, timeout=timeout_ms)
    await wait_markers(page, selector, count, timeout_ms, poll)
    return time.perf_counter() - start, page


async def pick_region(
    page: Page, name: str, selector: str, count: int, timeout_ms: float = 30_000, poll: int = 50
) -> float:
    """Select a région in the sidebar multiselect; seconds from Enter to the filtered markers."""
    box = page.get_by_test_id("stSidebar").get_by_test_id("stMultiSelect").first
    await box.click(timeout=timeout_ms)
    await page.keyboard.type(name)
    start = time.perf_counter()
    await page.keyboard.press("Enter")
    await wait_markers(page, selector, count, timeout_ms, poll)
    seconds = time.perf_counter() - start
    await page.keyboard.press("Escape")
    return seconds


async def pick_card(page: Page, name: str, timeout_ms: float = 30_000, poll: int = 50) -> float:
    """Open a territory's card with the card selectbox; seconds to the card and its marker."""
    box = page.get_by_test_id("stMain").get_by_test_id("stSelectbox").first
    await box.click(timeout=timeout_ms)
    await page.keyboard.type(name)
    start = time.perf_counter()
    await page.keyboard.press("Enter")
    await page.wait_for_function(_CARD, arg=[MAP_FRAME, name], polling=poll, timeout=timeout_ms)
    return time.perf_counter() - start


async def reset(page: Page, total: int, timeout_ms: float = 30_000, poll: int = 50) -> float:
    """The sidebar's reset button; seconds to all markers back, none selected."""
    button = page.get_by_test_id("stSidebar").get_by_test_id("stButton").first
    start = time.perf_counter()
    await button.click(timeout=timeout_ms)
    await wait_markers(page, MARKER, total, timeout_ms, poll)
    await page.wait_for_function(
        "([f]) => !document.querySelector(f).contentDocument"
        ".querySelector('.fi-marker svg[stroke=\"#000\"]')",
        arg=[MAP_FRAME],
        polling=poll,
        timeout=timeout_ms,
    )
    return time.perf_counter() - start


async def has_exception(page: Page) -> bool:
    return await page.get_by_test_id("stException").count() > 0


def client_pids(*server_pids: int) -> list[int]:
    """Our own child processes but the servers: Playwright's driver and its Chromium."""
    return [p.pid for p in psutil.Process(os.getpid()).children() if p.pid not in server_pids]


@dataclass
class Figures:
    """One app's samples: first-map and filter seconds, and what one filter change cost the
    server and Chromium (until 1 s after the markers are drawn)."""

    server: AppServer
    selector: str  # the markers of the whole map
    count: int
    regions: list  # per sample: (name to pick, markers then shown, their selector)
    first: list[float] = field(default_factory=list)
    filter: list[float] = field(default_factory=list)
    server_cpu: list[float] = field(default_factory=list)
    browser_cpu: list[float] = field(default_factory=list)
    rss_1: float = 0.0

    async def warm_up(self, browser: Browser) -> None:
        """The first visitor (fills the server's caches), then the server's memory."""
        _, page = await open_page(browser, self.server.url, self.selector, self.count)
        await page.context.close()
        await asyncio.to_thread(wait_until_idle, [self.server.process.pid])  # cards warmed up
        self.rss_1 = rss_mb(self.server.process.pid)

    async def sample(self, browser: Browser, clients: list[int]) -> None:
        region_name, markers, filtered = self.regions[len(self.first)]
        seconds, page = await open_page(browser, self.server.url, self.selector, self.count)
        self.first.append(seconds)
        meters = CpuMeter([self.server.process.pid]), CpuMeter(clients)
        self.filter.append(await pick_region(page, region_name, filtered, markers))
        await asyncio.sleep(1.0)
        self.server_cpu.append(meters[0].used())
        self.browser_cpu.append(meters[1].used())
        if await has_exception(page):
            raise RuntimeError(f"exception shown on {self.server.url}")
        await page.context.close()


async def _measure(apps: list[Figures], samples: int) -> None:
    """Samples of each app in turn (one Chromium), so that all see the same machine load."""
    async with async_playwright() as playwright:
        browser = await launch(playwright)
        clients = client_pids(*(app.server.process.pid for app in apps))
        try:
            for app in apps:
                await app.warm_up(browser)
            for _ in range(samples):
                for app in apps:
                    await app.sample(browser, clients)
        finally:
            await browser.close()


async def run(samples: int, territories: PlacedDataset) -> Section:
    section = Section("4. The browser (headless Chromium, new context = empty cache)")
    if find_chromium() is None:
        section.notes.append("no Chromium: browser figures skipped")
        return section
    expect = Expectations.of(territories)
    picks = [(code, name, n) for code, (name, n) in expect.regions.items() if n != expect.total]
    with serve() as server, serve(FLOOR_APP) as floor_server:
        dashboard = Figures(server, MARKER, expect.total, [(nm, n, MARKER) for _, nm, n in picks])
        floor = Figures(
            floor_server, FLOOR_MARKER, 1, [(nm, 1, f".floor-{code}") for code, nm, _ in picks]
        )
        await _measure([dashboard, floor], min(samples, len(picks)))
    first, first_floor = median(dashboard.first), median(floor.first)
    section.add("browser_first_map_seconds", first, "s", "<= 3", f"{expect.total} markers drawn")
    section.add("browser_floor_seconds", first_floor, "s", "", "floor_app.py, 1 marker")
    section.add("browser_first_vs_floor_ratio", round(first / first_floor, 2), "×", "<= 1.5", "")
    section.add("browser_filter_seconds", median(dashboard.filter), "s", "<= 1", "sidebar région")
    section.add("browser_filter_floor_seconds", median(floor.filter), "s", "", "floor_app.py")
    section.add(
        "browser_filter_vs_floor_ratio",
        round(median(dashboard.filter) / median(floor.filter), 2),
        "×",
        "<= 1.2",
        "filter → updated markers, same run",
    )
    section.add("server_rss_1_mb", round(dashboard.rss_1, 1), "MB", "", "server + children")
    section.add("server_rss_1_floor_mb", round(floor.rss_1, 1), "MB", "", "floor_app.py")
    for name, figures in (("", dashboard), ("_floor", floor)):
        section.add(f"filter_server_cpu{name}_seconds", round(median(figures.server_cpu), 3), "s")
        section.add(f"filter_browser_cpu{name}_seconds", round(median(figures.browser_cpu), 3), "s")
    section.notes.append(
        "CPU of one filter change (server / Chromium): the load test shares these 2 CPU between "
        "20 pages and the server"
    )
    return section
