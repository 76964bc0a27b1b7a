"""Section 3: the Streamlit script itself, driven by streamlit.testing.v1.AppTest (no browser).

Each measurement runs in a fresh interpreter (``python -m benchmarks.app ...``) so that the first
run is truly cold and the benchmark's own imports and caches do not help the app.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.common import Section, median

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


def run(cold_samples: int, rerun_samples: int, repeats: int) -> Section:
    section = Section("3. The app (streamlit.testing AppTest)")
    cold = [_worker("cold", str(DASHBOARD))["seconds"] for _ in range(cold_samples)]
    floor_cold = [_worker("cold", str(FLOOR))["seconds"] for _ in range(cold_samples)]
    reruns = _worker("rerun", str(rerun_samples), str(repeats))
    rerun, floor = median(reruns["dashboard"]), median(reruns["floor"])
    section.add("app_cold_seconds", median(cold), "s", "", "first run, fresh process")
    section.add("app_cold_floor_seconds", median(floor_cold), "s", "", "minimal app, same")
    section.add("rerun_seconds", rerun, "s", "", "f_region change, map stays mounted")
    section.add("rerun_floor_seconds", floor, "s", "", "floor_app.py, same change")
    section.add("rerun_vs_floor_ratio", round(rerun / floor, 2), "×", "<= 2", "same process")
    section.add("rerun_cached_seconds", median(reruns["cached"]), "s", "", "a région seen before")
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
    if reruns["errors"]:
        section.notes.append(f"AppTest exceptions: {reruns['errors']}")
    return section


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


def _rerun(samples: int, repeats: int) -> dict:
    """Dashboard and floor app, warm, alternated so that both see the same machine load."""
    from streamlit.testing.v1 import AppTest

    apps = {
        "dashboard": AppTest.from_file(str(DASHBOARD), default_timeout=TIMEOUT),
        "floor": AppTest.from_file(str(FLOOR), default_timeout=TIMEOUT),
    }
    times: dict[str, list[float]] = {"dashboard": [], "floor": [], "cached": []}
    errors: list[str] = []
    for app in apps.values():
        app.run()
        app.run()
    changes = REGION_CHANGES[:samples]
    for name, region in [(n, r) for r in changes for n in apps]:
        app = apps[name]
        start = time.perf_counter()
        app.multiselect(key="f_region").set_value([region]).run()
        times[name].append(time.perf_counter() - start)
        errors += [e.message for e in app.exception]
    dashboard = apps["dashboard"]
    for region in changes[: max(3, samples // 2)]:
        dashboard.multiselect(key="f_region").set_value([]).run()
        start = time.perf_counter()
        dashboard.multiselect(key="f_region").set_value([region]).run()
        times["cached"].append(time.perf_counter() - start)
    dashboard.multiselect(key="f_region").set_value([]).run()
    payload, repeat = [_map_payload(dashboard)], []
    for _ in range(repeats):  # the same view again and again: nothing should grow
        start = time.perf_counter()
        dashboard.run()
        repeat.append(time.perf_counter() - start)
        payload.append(_map_payload(dashboard))
    return times | {"errors": errors, "payload": payload, "repeat": repeat}


if __name__ == "__main__":
    mode, argument = sys.argv[1], sys.argv[2]
    result = _cold(argument) if mode == "cold" else _rerun(int(argument), int(sys.argv[3]))
    print(json.dumps(result))
