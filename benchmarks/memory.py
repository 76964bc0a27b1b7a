"""Memory: what one more visitor costs the server, what an uploaded 10,000-row list costs its
session, and whether abandoned sessions give their memory back.

Visitors speak Streamlit's websocket protocol (benchmarks.protocol): no browser shares the
machine's memory with the server. Streamlit keeps a disconnected session for
``server.disconnectedSessionTTL`` seconds (120 by default, at most 128 of them) so that a browser
can reconnect to it; the benchmark shortens that TTL to see the memory come back within a run.
"""

from __future__ import annotations

import asyncio
import gc
import time
import tracemalloc

from benchmarks.common import Section, median
from benchmarks.draw import as_table, draw
from benchmarks.protocol import Visitor
from benchmarks.server import SERVER_ENV, rss_mb, wait_until_idle
from geo.domain.territories import load_placed
from geo.geocoding.batch import geocode_table
from geo.geocoding.columns import PlaceColumns
from geo.geocoding.geocoder import OfflineGeocoder
from geo.web.harness import AppServer

SESSIONS = 40  # visitors per wave
WAVES = 3  # waves of visitors who open a card, then leave
TTL_SECONDS = 5  # disconnected sessions kept this long (the deployed default is 120)
SETTLE_SECONDS = 2.0


def _views() -> list[str]:
    """One shared link per visitor: a card each, the territories in turn."""
    ids = list(load_placed().placed["id"])
    return [f"territory={ids[n % len(ids)]}" for n in range(SESSIONS)]


async def _open(url: str, views: list[str]) -> list[Visitor]:
    visitors = [Visitor(url, timeout=120.0) for _ in views]
    for visitor, view in zip(visitors, views, strict=True):
        await visitor.open(view)  # one after the other: memory, not concurrency, is measured
    return visitors


async def _leave(visitors: list[Visitor]) -> None:
    await asyncio.gather(*(v.close() for v in visitors))


async def _sessions(url: str, pid: int) -> dict[str, float | list[float]]:
    views = _views()
    first = await _open(url, views[:1])
    await asyncio.to_thread(wait_until_idle, [pid])  # the page's warm-up done
    await asyncio.sleep(SETTLE_SECONDS)
    one = rss_mb(pid)
    after_waves = []
    per_session = []
    for _ in range(WAVES):
        visitors = await _open(url, views)
        await asyncio.sleep(SETTLE_SECONDS)
        connected = rss_mb(pid)
        await _leave(visitors)
        await asyncio.sleep(TTL_SECONDS + SETTLE_SECONDS)
        # A new session makes Streamlit drop the expired ones from its session storage.
        probe = await _open(url, views[:1])
        await _leave(probe)
        await asyncio.sleep(SETTLE_SECONDS)
        after_waves.append(rss_mb(pid))
        # What the wave held: with it connected, against the same server once it had left
        # (against the first visitor's RSS, memory the allocator hands back later blurs it).
        per_session.append((connected - after_waves[-1]) / len(visitors))
    await _leave(first)
    return {"one": one, "per_session": per_session, "after_waves": after_waves}


def list_bytes(geocoder: OfflineGeocoder, rows: int = 10_000) -> tuple[float, float]:
    """(MB the session keeps for an uploaded list of `rows`, peak MB while geocoding it).

    What the "Ma liste" tab keeps: the upload's bytes, the read table and the geocoded result.
    """
    table = as_table(draw(geocoder.gazetteer, rows))
    upload = table.to_csv(index=False, sep=";").encode("utf-8")
    gc.collect()
    tracemalloc.start()
    kept = (
        upload,
        table,
        geocode_table(
            table, geocoder, PlaceColumns("name", region="region", departement="departement")
        ),
    )
    gc.collect()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return retained / 1e6, peak / 1e6


def run(geocoder: OfflineGeocoder) -> Section:
    section = Section(
        f"7. Memory: {WAVES} waves of {SESSIONS} visitors who open a card and leave; a 10,000-row list"
    )
    env = SERVER_ENV | {"STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": str(TTL_SECONDS)}
    with AppServer(env=env, timeout=90.0) as server:
        start = time.perf_counter()
        figures = asyncio.run(_sessions(server.url, server.process.pid))
        wall = time.perf_counter() - start
    per_session = median(figures["per_session"])
    after = figures["after_waves"]
    section.add("server_rss_1_session_mb", round(figures["one"], 1), "MB", "", "one visitor")
    section.add(
        "server_rss_per_session_mb", round(per_session, 2) + 0.0, "MB", "",
        f"median over {WAVES} waves of {SESSIONS} visitors with a card open: RSS with them − after",
    )  # fmt: skip
    section.add(
        "server_rss_abandoned_growth_mb", round(after[-1] - after[0], 1), "MB", "<= 5",
        f"RSS once each wave had left: {', '.join(f'{v:.0f}' for v in after)} MB (first to last)",
    )  # fmt: skip
    retained, peak = list_bytes(geocoder)
    section.add("list_10k_session_mb", round(retained, 1), "MB", "",
                "upload + table + geocoded result, kept in the session")  # fmt: skip
    section.add("list_10k_peak_mb", round(peak, 1), "MB", "", "while geocoding (tracemalloc)")
    section.notes.append(
        f"disconnected sessions kept {TTL_SECONDS} s here (Streamlit's default: 120 s, at most "
        f"128 sessions); {wall:.0f} s"
    )
    return section
