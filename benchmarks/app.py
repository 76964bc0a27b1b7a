"""Section 3: the Streamlit script itself, no browser.

Reruns are timed at a running server, as a visitor's change reaches it (Streamlit's websocket
protocol, benchmarks.protocol): from the request to ``script_finished``, and the server's CPU
per rerun. Why not AppTest: it compiles the script again for every run (a new ScriptCache each
time), which a server does once; that cost grows with the script's length and was most of an
AppTest rerun of the dashboard. AppTest, each measurement in a fresh interpreter
(``python -m benchmarks.app ...``), still gives the cold first run and checks that identical
reruns neither grow the map's arguments nor slow down.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import Section, median
from benchmarks.protocol import Visitor
from benchmarks.protocol_load import run_sync
from benchmarks.server import CpuMeter, serve, wait_until_idle
from geo.domain.territories import PlacedDataset

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard.py"
FLOOR = Path(__file__).resolve().parent / "floor_app.py"
# Régions holding territories, so that each change shows a different, non-empty map.
REGION_CHANGES = ["84", "11", "76", "93", "52", "32", "75", "53", "28", "44", "27", "06"]
TIMEOUT = 180


def _worker(*args: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.app", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"AppTest worker failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(lines[-1])


def run(cold_samples: int, rerun_samples: int, repeats: int, territories: PlacedDataset) -> Section:
    section = Section("3. The app (a server's reruns; AppTest for the rest)")
    cold = [_worker("cold", str(DASHBOARD))["seconds"] for _ in range(cold_samples)]
    floor_cold = [_worker("cold", str(FLOOR))["seconds"] for _ in range(cold_samples)]
    served = run_sync(server_reruns(rerun_samples, territories))
    rerun, floor = median(served.seconds["dashboard"]), median(served.seconds["floor"])
    section.add("app_cold_seconds", median(cold), "s", "", "first run, fresh process (AppTest)")
    section.add("app_cold_floor_seconds", median(floor_cold), "s", "", "minimal app, same")
    section.add("rerun_seconds", rerun, "s", "", "f_region change at the server, map mounted")
    section.add("rerun_floor_seconds", floor, "s", "", "floor_app.py's server, same change")
    section.add("rerun_vs_floor_ratio", round(rerun / floor, 2), "×", "<= 2", "alternated")
    cpu, floor_cpu = served.cpu["dashboard"], served.cpu["floor"]
    section.add("rerun_cpu_seconds", round(cpu, 4), "s", "", "server CPU per région change")
    section.add("rerun_cpu_vs_floor_ratio", round(cpu / floor_cpu, 2), "×", "", "same changes")
    section.add(
        "rerun_cached_seconds", median(served.seconds["cached"]), "s", "", "a région seen before"
    )
    reruns = _worker("rerun", str(repeats))
    first, last = reruns["payload"][0], reruns["payload"][-1]
    section.add("app_map_payload_bytes", first, "B", "", "st_folium args of the map, 1st run")
    section.add(
        "app_map_payload_growth_bytes",
        round((last - first) / max(1, len(reruns["payload"]) - 1)),
        "B",
        "",
        f"per identical rerun, over {repeats} (should be 0)",
    )
    section.add(
        "rerun_drift_ratio",
        round(median(reruns["repeat"][-5:]) / median(reruns["repeat"][:5]), 2),
        "×",
        "",
        f"last 5 / first 5 of {repeats} identical reruns (should be ~1)",
    )
    errors = served.errors + reruns["errors"]
    if errors:
        section.notes.append(f"exceptions: {errors[:3]}")
    return section


@dataclass
class ServedReruns:
    seconds: dict[str, list[float]]  # "dashboard", "floor", "cached" (a région seen before)
    cpu: dict[str, float]  # server CPU seconds per change, by app
    errors: list[str]


async def server_reruns(samples: int, territories: PlacedDataset) -> ServedReruns:
    """`samples` région changes (REGION_CHANGES in turn) at the dashboard's server and at the
    floor app's, one visitor each, alternated so that both see the same machine load; each
    server warmed up first."""
    names = territories.dataset.regions.set_index("code")["name"]
    changes = [str(names[REGION_CHANGES[i % len(REGION_CHANGES)]]) for i in range(samples)]
    seconds: dict[str, list[float]] = {"dashboard": [], "floor": [], "cached": []}
    errors: list[str] = []
    with serve(DASHBOARD) as dashboard_server, serve(FLOOR) as floor_server:
        servers = {"dashboard": dashboard_server, "floor": floor_server}
        visitors = {name: Visitor(server.url) for name, server in servers.items()}
        try:
            for visitor in visitors.values():
                await visitor.open("")
                await visitor.change("f_region", [changes[-1]])
            pids = [server.process.pid for server in servers.values()]
            await asyncio.to_thread(wait_until_idle, pids)
            meters = {name: CpuMeter([s.process.pid]) for name, s in servers.items()}
            for region in changes:
                for name, visitor in visitors.items():
                    answer = await visitor.change("f_region", [region])
                    seconds[name].append(answer.seconds)
                    errors += answer.exceptions()
            cpu = {name: meter.used() / len(changes) for name, meter in meters.items()}
            dashboard = visitors["dashboard"]
            for region in changes[: len(REGION_CHANGES) // 2]:
                await dashboard.change("f_region", [])
                answer = await dashboard.change("f_region", [region])
                seconds["cached"].append(answer.seconds)
                errors += answer.exceptions()
        finally:
            for visitor in visitors.values():
                await visitor.close()
    return ServedReruns(seconds, cpu, errors)


# ---- worker side (fresh interpreter) ----


def _cold(script: str) -> dict:
    from streamlit.testing.v1 import AppTest

    app = AppTest.from_file(script, default_timeout=TIMEOUT)
    start = time.perf_counter()
    app.run()
    seconds = time.perf_counter() - start
    if app.exception:
        raise RuntimeError(app.exception[0].message)
    return {"seconds": seconds}


def _map_payload(app) -> int:
    """Bytes of the JSON arguments st_folium sends for the first map of the page."""

    def walk(node):
        yield node
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for child in children.values():
                yield from walk(child)

    for node in walk(app._tree):
        if getattr(node, "type", "") == "component_instance" and "st_folium" in (
            node.proto.component_name
        ):
            return len(node.proto.json_args.encode())
    return 0


def _repeat(repeats: int) -> dict:
    """The same view again and again: the map's arguments must not grow, nor reruns slow."""
    from streamlit.testing.v1 import AppTest

    dashboard = AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT)
    dashboard.run()
    dashboard.run()
    errors = [e.message for e in dashboard.exception]
    payload, repeat = [_map_payload(dashboard)], []
    for _ in range(repeats):  # the same view again and again: nothing should grow
        start = time.perf_counter()
        dashboard.run()
        repeat.append(time.perf_counter() - start)
        payload.append(_map_payload(dashboard))
    return {"errors": errors, "payload": payload, "repeat": repeat}


if __name__ == "__main__":
    mode, argument = sys.argv[1], sys.argv[2]
    result = _cold(argument) if mode == "cold" else _repeat(int(argument))
    print(json.dumps(result))
