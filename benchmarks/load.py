"""Section 5: many visitors at once on one server (browser contexts of one headless Chromium on
127.0.0.1), each changing filters and opening cards; errors, latency and the server's memory.

Visitors arrive ARRIVAL_GAP seconds apart and wait for one another's first map (on two cores,
twenty Chromium pages booting Streamlit's frontend at the same instant measure the browser, not
the server); then all act at once, a think time of THINK seconds (±50 %, seeded) between actions.
Bounded: at most `sessions` contexts, each wait at most ACTION_TIMEOUT_MS (first map
FIRST_TIMEOUT_MS), the whole run at most `budget` seconds; anything cut short is an error.
CPU seconds used by the server and by Chromium during the run are reported side by side, since
both share this machine.
"""

from __future__ import annotations

import asyncio
import os
import random
import time
from dataclasses import dataclass, field

from playwright.async_api import Browser, async_playwright

from benchmarks import browser as ui
from benchmarks.common import Section, median, p95
from benchmarks.server import CpuMeter, rss_mb, serve
from geo.domain.territories import PlacedDataset
from geo.web.harness import find_chromium

ACTION_TIMEOUT_MS = 30_000
FIRST_TIMEOUT_MS = 120_000
ARRIVAL_GAP = 0.5
THINK = 1.0
POLL_MS = 100  # 20 pages polling every animation frame would load the machine themselves


@dataclass
class Tally:
    first: list[float] = field(default_factory=list)
    filters: list[float] = field(default_factory=list)
    cards: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


async def visitor(
    browser: Browser,
    url: str,
    number: int,
    actions: int,
    expect: ui.Expectations,
    tally: Tally,
    ready: asyncio.Barrier,
    acting: asyncio.Event,
) -> None:
    """Open the page, wait for everyone, then cycle: pick a région, open a card, reset."""
    regions = [(code, *v) for code, v in expect.regions.items() if v[1] != expect.total]
    think = random.Random(number)
    page = None
    try:
        await asyncio.sleep(number * ARRIVAL_GAP)
        try:
            seconds, page = await ui.open_page(
                browser, url, ui.MARKER, expect.total, FIRST_TIMEOUT_MS, POLL_MS
            )
            tally.first.append(seconds)
        finally:
            if await ready.wait() == 0:
                acting.set()
        for step in range(actions):
            await asyncio.sleep(THINK * think.uniform(0.5, 1.5))
            code, name, markers = regions[(number + step // 3) % len(regions)]
            if step % 3 == 0:
                seconds = await ui.pick_region(
                    page, name, ui.MARKER, markers, ACTION_TIMEOUT_MS, POLL_MS
                )
                tally.filters.append(seconds)
            elif step % 3 == 1:
                card = expect.territories[code][number % len(expect.territories[code])]
                tally.cards.append(await ui.pick_card(page, card, ACTION_TIMEOUT_MS, POLL_MS))
            else:
                seconds = await ui.reset(page, expect.total, ACTION_TIMEOUT_MS, POLL_MS)
                tally.filters.append(seconds)
            if await ui.has_exception(page):
                tally.errors.append(f"visitor {number}, action {step}: exception shown")
    except Exception as err:  # a timeout or a failed render: counted, never hidden
        tally.errors.append(f"visitor {number}: {type(err).__name__}: {str(err)[:160]}")
    finally:
        if page is not None:
            await page.context.close()


async def _load(url: str, pid: int, sessions: int, actions: int, expect, budget: float) -> dict:
    tally = Tally()
    peak = rss_mb(pid)
    ready, acting = asyncio.Barrier(sessions), asyncio.Event()
    async with async_playwright() as playwright:
        browser = await ui.launch(playwright)
        meters = CpuMeter([pid]), CpuMeter(ui.client_pids(pid))
        start = time.monotonic()
        acted: tuple[float, float, float] | None = None
        try:
            tasks = [
                asyncio.create_task(visitor(browser, url, n, actions, expect, tally, ready, acting))
                for n in range(sessions)
            ]
            while not all(t.done() for t in tasks) and time.monotonic() < start + budget:
                await asyncio.sleep(0.5)
                peak = max(peak, rss_mb(pid))
                cpu = meters[0].sample(), meters[1].sample()
                if acting.is_set() and acted is None:
                    acted = (time.monotonic(), *cpu)
            for task in tasks:
                if not task.done():
                    task.cancel()
                    tally.errors.append("visitor cut by the time budget")
            await asyncio.gather(*tasks, return_exceptions=True)
            end = (time.monotonic(), meters[0].sample(), meters[1].sample())
            acted = acted or end
            phase = [b - a for a, b in zip(acted, end, strict=True)]
        finally:
            await browser.close()
    return {
        "tally": tally,
        "peak": peak,
        "end": rss_mb(pid),
        "server_cpu": phase[1],
        "client_cpu": phase[2],
        "wall": phase[0],
        "total_wall": end[0] - start,
    }


def _p95(values: list[float]) -> float | None:
    return round(p95(values), 3) if values else None


async def run(sessions: int, actions: int, territories: PlacedDataset, budget: float) -> Section:
    section = Section(f"5. Load: {sessions} concurrent visitors × {actions} actions")
    if find_chromium() is None:
        section.notes.append("no Chromium: load test skipped")
        return section
    expect = ui.Expectations.of(territories)
    with serve() as server:
        before = rss_mb(server.process.pid)
        result = await _load(server.url, server.process.pid, sessions, actions, expect, budget)
        log = server.log()
    tally: Tally = result["tally"]
    tracebacks = log.count("Traceback (most recent call last)")
    errors = len(tally.errors) + tracebacks
    section.add("load_errors", errors, "", "= 0", "timeouts, exceptions, server tracebacks")
    section.add(
        "load_p95_seconds",
        _p95(tally.filters),
        "s",
        "<= 3",
        f"filter change → updated map, {len(tally.filters)} changes",
    )
    section.add("load_filter_median_seconds", median(tally.filters) if tally.filters else None, "s")
    section.add("load_card_p95_seconds", _p95(tally.cards), "s", "", f"{len(tally.cards)} cards")
    section.add("load_first_map_p95_seconds", _p95(tally.first), "s", "", "arrivals spread")
    section.add(
        "server_rss_20_mb", round(result["peak"], 1), "MB", "<= 600", "peak, server + children"
    )
    section.add("load_server_cpu_seconds", round(result["server_cpu"], 1), "s", "", "actions")
    section.add("load_browser_cpu_seconds", round(result["client_cpu"], 1), "s", "", "actions")
    section.notes.append(
        f"action phase: {result['wall']:.0f} s wall on {os.cpu_count()} CPU, of which CPU "
        f"{result['server_cpu']:.0f} s by the server, {result['client_cpu']:.0f} s by Chromium "
        f"(same machine); whole run {result['total_wall']:.0f} s; server RSS {before:.0f} MB "
        f"idle after start, {result['end']:.0f} MB at the end"
    )
    if tally.errors or tracebacks:
        first_error = log[log.find("Traceback") :][:600].splitlines()[-1:] if tracebacks else []
        section.notes.append(
            f"errors: {tally.errors[:3]}; server tracebacks: {tracebacks} {first_error}"
        )
    return section
