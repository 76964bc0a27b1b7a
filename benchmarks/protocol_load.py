"""Section 5: many visitors at once, spoken to over Streamlit's websocket protocol (no browser),
so that the figures measure the server: latency from request to ``script_finished``, errors,
server CPU per action and peak memory.

Each visitor arrives at its own moment of the first interval (arrivals spread evenly), loads the
page at a shared link (``/``, ``?region=<code>`` or ``?territory=<id>``), then acts once every
``interval`` seconds until ``seconds`` have passed, cycling through: pick a région in the
sidebar, open a territory's card (the card selector), reload the page at its current URL, press
"reset". Every answer is checked against the data: the "territories shown" metric must read
"<n> / 27" for the view and an open card must carry the territory's name as its heading.
Bounded: each action waits at most ``timeout`` seconds; a visitor that hits a timeout or a
closed connection stops (an error), unless ``reconnect`` is on: then, as Streamlit's frontend
does, it reloads its current URL and, if that view comes back intact, counts a recovery.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import Awaitable, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TypeVar

from benchmarks.common import Section, median, p95
from benchmarks.protocol import Run, SessionError, Visitor
from benchmarks.server import CpuMeter, rss_mb, serve, wait_until_idle
from geo.domain.territories import PlacedDataset
from geo.texts.filters import region_options
from geo.texts.i18n import t

T = TypeVar("T")
ACTION_TIMEOUT = 30.0
SAMPLE_EVERY = 0.5
CYCLE = ("filter", "card", "reload", "reset")
MALFORMED_BACKMSG = b"\xff\xff\xff"  # not a protobuf: the server must close, never hang
LANG = "fr"
TRACEBACK = "Traceback (most recent call last)"


@dataclass(frozen=True)
class Schedule:
    sessions: int
    seconds: float = 60.0
    interval: float = 5.0
    timeout: float = ACTION_TIMEOUT


@dataclass(frozen=True)
class Views:
    """What the dashboard must show, from the data: how many territories, and per région its
    name (as the multiselect shows it) and its territories as (id, name)."""

    total: int
    regions: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...]

    @classmethod
    def of(cls, territories: PlacedDataset) -> Views:
        placed = territories.placed
        names = region_options(territories.dataset, LANG)  # "Occitanie (4)", as offered
        regions = tuple(
            (code, str(names[code]), tuple(zip(group["id"], group["name"], strict=True)))
            for code, group in placed.groupby("region_code", sort=True)
        )
        return cls(len(placed), regions)

    def territory(self, territory_id: str) -> tuple[str, str]:
        """(région code, name) of a territory."""
        return next(
            (code, name)
            for code, _, items in self.regions
            for tid, name in items
            if tid == territory_id
        )

    def problems(self, run: Run, region: str | None, territory: str | None) -> list[str]:
        """What differs between ``run`` and the view (région filter, open card)."""
        shown = self.total
        if region:
            shown = next(len(items) for code, _, items in self.regions if code == region)
        label = t("metric_territories", LANG)
        metrics = [m.body for m in run.of_kind("metric") if m.label == label]
        found = [f"{run.exceptions()}"] if run.exceptions() else []
        if metrics != [f"{shown} / {self.total}"]:
            found.append(f"metric {metrics}, expected '{shown} / {self.total}'")
        if territory and self.territory(territory)[1] not in [
            h.body for h in run.of_kind("heading")
        ]:
            found.append(f"no card for {territory}")
        return found


@dataclass
class Tally:
    seconds: dict[str, list[float]] = field(default_factory=dict)  # action kind → durations
    errors: list[str] = field(default_factory=list)
    recoveries: list[str] = field(default_factory=list)

    def all_seconds(self) -> list[float]:
        return [s for values in self.seconds.values() for s in values]


@dataclass
class Outcome:
    schedule: Schedule
    tally: Tally
    wall: float
    server_cpu: float
    peak_rss_mb: float
    client_cpu: float  # this process alone: the visitors share the machine with the server


class _Stop(Exception):
    """This visitor cannot go on (already counted as an error)."""


View = tuple[str | None, str | None]  # (région code, open territory id)
Action = tuple[str, Callable[[], Awaitable[Run]], View]  # kind, request, the view it leads to


class _Walk:
    """One visitor's walk through the app: its current view, checked after every action."""

    def __init__(self, number: int, url: str, schedule: Schedule, views: Views, tally: Tally,
                 reconnect: bool):  # fmt: skip
        self.number, self.views, self.tally, self.reconnect = number, views, tally, reconnect
        self.visitor = Visitor(url, schedule.timeout)
        self.view: View = (None, None)

    async def act(self, action: Action) -> None:
        kind, call, view = action
        try:
            run = await call()
        except SessionError as err:
            if not self.reconnect or kind == "load":
                self.fail(f"{kind}: {err}")
            await self.recover(err, view)
            run = await self.guarded(kind, call)
        self.view = view
        self.tally.seconds.setdefault(kind, []).append(run.seconds)
        for problem in self.views.problems(run, *view):
            self.tally.errors.append(f"visitor {self.number}, {kind}: {problem}")

    async def recover(self, cause: SessionError, pending: View) -> None:
        """Reload the current URL (the view lives there) and check the view came back.

        The lost server may have sent the URL of the action in flight before it stopped (as a
        browser's address bar would show it): that view, or the one before, is a recovery.
        """
        run = await self.guarded("reconnect", self.visitor.open)
        problems = self.views.problems(run, *self.view)
        if problems and self.views.problems(run, *pending):
            self.fail(f"reconnected to a different view: {problems}")
        self.tally.seconds.setdefault("recover", []).append(run.seconds)
        query = self.visitor.query_string
        self.tally.recoveries.append(f"visitor {self.number}: {cause} → ?{query}")

    async def guarded(self, kind: str, call: Callable[[], Awaitable[Run]]) -> Run:
        try:
            return await call()
        except SessionError as err:
            self.fail(f"{kind}: {err}")
            raise  # unreachable: fail() raises

    def fail(self, message: str) -> None:
        self.tally.errors.append(f"visitor {self.number}, {message}")
        raise _Stop

    def load(self) -> Action:
        """A shared link: the whole map, a région, or a territory's card, in turn."""
        code, _, items = self.views.regions[self.number % len(self.views.regions)]
        query, view = [("", (None, None)), (f"region={code}", (code, None)),
                       (f"territory={items[0][0]}", (None, items[0][0]))][self.number % 3]  # fmt: skip
        return "load", lambda: self.visitor.open(query), view

    def next_action(self, step: int) -> Action:
        kind = CYCLE[step % len(CYCLE)]
        regions = self.views.regions
        region, territory = self.view
        if kind == "filter":
            code, name, _ = regions[(self.number + step) % len(regions)]
            return kind, lambda: self.visitor.change("f_region", [name]), (code, territory)
        if kind == "card":
            items = next(items for code, _, items in regions if code == region)
            tid, name = items[self.number % len(items)]
            return kind, lambda: self.visitor.change("f_territory", name), (region, tid)
        if kind == "reset":
            return kind, lambda: self.visitor.click(t("reset", LANG)), (None, None)
        return kind, self.visitor.open, self.view


async def _visit(walk: _Walk, schedule: Schedule, start: float, bad: bool) -> None:
    loop = asyncio.get_running_loop()
    arrival = start + schedule.interval * walk.number / schedule.sessions
    end = start + schedule.seconds
    try:
        await asyncio.sleep(max(0.0, arrival - loop.time()))
        await walk.act(walk.load())
        if bad:
            await walk.act(
                ("malformed", lambda: walk.visitor.send_raw(MALFORMED_BACKMSG), walk.view)
            )
        step, due = 0, arrival + schedule.interval
        while due < end:
            await asyncio.sleep(max(0.0, due - loop.time()))
            await walk.act(walk.next_action(step))
            step, due = step + 1, due + schedule.interval
    except _Stop:
        pass
    finally:
        await walk.visitor.close()


async def measure(
    url: str,
    schedule: Schedule,
    views: Views,
    server_pids: list[int],
    *,
    reconnect: bool = False,
    bad_sessions: int = 0,
) -> Outcome:
    """Run the visitors against ``url`` while sampling the server processes' CPU and memory.

    The first ``bad_sessions`` visitors send a malformed BackMsg after loading the page.
    """
    tally = Tally()
    meter, client_start = CpuMeter(server_pids), _own_cpu()
    peak = 0.0
    loop = asyncio.get_running_loop()
    start = loop.time()
    walks = [_Walk(n, url, schedule, views, tally, reconnect) for n in range(schedule.sessions)]
    tasks = [
        asyncio.create_task(_visit(w, schedule, start, w.number < bad_sessions)) for w in walks
    ]
    deadline = start + schedule.seconds + 2 * schedule.timeout + schedule.interval
    while not all(task.done() for task in tasks) and loop.time() < deadline:
        peak = max(peak, _rss(server_pids))
        meter.sample()
        await asyncio.sleep(SAMPLE_EVERY)
    for task in tasks:
        if not task.done():
            task.cancel()
            tally.errors.append("visitor cut by the time budget")
    await asyncio.gather(*tasks, return_exceptions=True)
    wall, peak = loop.time() - start, max(peak, _rss(server_pids))
    return Outcome(schedule, tally, wall, meter.used(), peak, _own_cpu() - client_start)


def _own_cpu() -> float:
    """CPU seconds of this process, without its children (the server may be one)."""
    times = os.times()
    return times.user + times.system


def _rss(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        with contextlib.suppress(Exception):  # a replica stopped on purpose
            total += rss_mb(pid)
    return total


def section(outcome: Outcome, server_log: str) -> Section:
    """The figures of a run; tracebacks in the server's log count as errors."""
    schedule, tally = outcome.schedule, outcome.tally
    seconds = tally.all_seconds()
    tracebacks = server_log.count(TRACEBACK)
    title = (
        f"5. Load (protocol): {schedule.sessions} sessions, one action every "
        f"{schedule.interval:g} s each for {schedule.seconds:g} s"
    )
    result = Section(title)
    result.add("load_sessions", schedule.sessions, "", "", "concurrent websocket sessions")
    result.add("load_errors", len(tally.errors) + tracebacks, "", "= 0",
               f"{len(tally.errors)} client (timeouts, exceptions, wrong views), "
               f"{tracebacks} server tracebacks")  # fmt: skip
    rounded = {"p50": None, "p95": None, "max": None}
    if seconds:
        rounded = {"p50": median(seconds), "p95": p95(seconds), "max": max(seconds)}
    result.add("load_p50_seconds", _round(rounded["p50"]), "s", "", f"{len(seconds)} actions")
    result.add("load_p95_seconds", _round(rounded["p95"]), "s", "<= 1", "request → script_finished")
    result.add("load_max_seconds", _round(rounded["max"]), "s")
    result.add("load_actions_per_second", round(len(seconds) / outcome.wall, 2), "/s")
    per_action = outcome.server_cpu / len(seconds) if seconds else None
    result.add("load_server_cpu_per_action_seconds", _round(per_action), "s", "",
               f"{outcome.server_cpu:.1f} s of server CPU in all")  # fmt: skip
    result.add("load_peak_rss_mb", round(outcome.peak_rss_mb, 1), "MB", "<= 1000",
               "server processes and children")  # fmt: skip
    result.add("load_recoveries", len(tally.recoveries), "", "", "reloads after a lost server")
    kinds = ", ".join(
        f"{kind} {len(v)}× p95 {p95(v):.3f} s" for kind, v in sorted(tally.seconds.items())
    )
    result.notes.append(
        f"by action: {kinds}; wall {outcome.wall:.0f} s; CPU: server {outcome.server_cpu:.0f} s, "
        f"the visitors' client {outcome.client_cpu:.0f} s, on {os.cpu_count()} CPU"
    )
    if tally.errors or tracebacks:
        last = (
            server_log[server_log.find(TRACEBACK) :][:800].splitlines()[-1:] if tracebacks else []
        )
        result.notes.append(f"errors: {tally.errors[:3]}; server: {last}")
    return result


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


@contextlib.contextmanager
def started_app(replicas: int = 1) -> Iterator[tuple[str, list[int], Callable[[], str]]]:
    """The dashboard on a free loopback port, as deployed: (url, server pids, its log so far);
    with several replicas, behind nginx as `python -m deploy` runs them (deploy.cluster)."""
    if replicas > 1:
        from deploy.cluster import cluster  # nginx only when asked for

        with cluster(replicas=replicas, port=0) as unit:
            for replica in unit.replicas:
                asyncio.run(warm_up(replica.url))  # each replica warms its own caches
            yield unit.url, unit.pids(), unit.logs
        return
    with serve() as server:
        yield server.url, [server.process.pid], server.log


def run_sync(coroutine: Awaitable[T]) -> T:
    """``asyncio.run`` in a thread of its own: the caller's thread may already run an event loop
    (Playwright's sync API, in the browser tests of the same pytest session)."""
    with ThreadPoolExecutor(max_workers=1) as thread:
        return thread.submit(asyncio.run, coroutine).result()  # type: ignore[arg-type]


async def warm_up(url: str, timeout: float = ACTION_TIMEOUT) -> float:
    """One page load, alone: a server fills its caches once, not for every visitor it has."""
    visitor = Visitor(url, timeout)
    try:
        return (await visitor.open("")).seconds
    finally:
        await visitor.close()


def run(schedule: Schedule, territories: PlacedDataset, replicas: int = 1) -> Section:
    """Section 5: the protocol load test against a fresh, warmed-up dashboard server (or
    `replicas` of them behind nginx)."""
    views = Views.of(territories)
    with started_app(replicas) as (url, pids, log):
        cold = asyncio.run(warm_up(url))
        wait_until_idle(pids)  # the page's own warm-up of the cards, done before the visitors
        outcome = asyncio.run(measure(url, schedule, views, pids))
        result = section(outcome, log())
    result.notes.append(f"first page load of the fresh server, alone (not counted): {cold:.2f} s")
    return result
