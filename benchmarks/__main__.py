"""``python -m benchmarks [--quick] [--json]``; ``python -m benchmarks geocoding [--peer addok]`` for
the geocoding sections alone (with ``--peer addok``: only the comparison with addok, the BAN's
engine, run locally); ``python -m benchmarks load --sessions N [--seconds S]
[--interval I] [--json]`` for the protocol load test alone (``--browser`` for the small Chromium
variant: ``load --browser --sessions 5 --actions M``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time
import traceback
from collections.abc import Callable
from importlib.metadata import version

from benchmarks import protocol_load
from benchmarks.common import Figure, Section

BROWSER_PAGES = 5  # the browser load variant is an end-to-end check, not a capacity test

KEYS = [
    "gazetteer_load_seconds",
    "geocode_10k_seconds",
    "geocode_10k_accuracy",
    "geocode_naive_ratio",
    "geocode_exports_10k_seconds",
    "geocode_exports_accuracy",
    "geocode_exports_confident_wrong",
    "geocode_right",
    "geocode_resolved_wrong",
    "geocode_peer_addok_right",
    "geocode_peer_addok_wrong",
    "geocode_vs_addok_speed_ratio",
    "map_27_seconds",
    "map_27_bytes",
    "map_27_outline_bytes",
    "map_10k_seconds",
    "map_10k_bytes",
    "map_10k_naive_bytes",
    "app_cold_seconds",
    "rerun_seconds",
    "rerun_floor_seconds",
    "rerun_vs_floor_ratio",
    "rerun_cpu_vs_floor_ratio",
    "browser_first_map_seconds",
    "browser_floor_seconds",
    "browser_filter_seconds",
    "browser_filter_vs_floor_ratio",
    "server_rss_1_mb",
    "load_sessions",
    "load_errors",
    "load_p50_seconds",
    "load_p95_seconds",
    "load_max_seconds",
    "load_actions_per_second",
    "load_server_cpu_per_action_seconds",
    "load_peak_rss_mb",
    "browser_load_errors",
    "browser_load_p95_seconds",
    "server_rss_per_session_mb",
    "server_rss_abandoned_growth_mb",
    "list_10k_session_mb",
]
SETTINGS = {  # samples per figure and sizes, quick vs full
    "quick": {"geo": 3, "naive": 100, "maps": 3, "cold": 3, "rerun": 24, "repeat": 20, "browser": 3,
              "actions": 3, "budget": 200.0, "sessions": 100, "seconds": 30.0},
    "full": {"geo": 7, "naive": 300, "maps": 5, "cold": 5, "rerun": 60, "repeat": 40, "browser": 7,
             "actions": 10, "budget": 420.0, "sessions": 100, "seconds": 60.0},
}  # fmt: skip


def machine() -> str:
    packages = ", ".join(
        f"{name} {version(name)}" for name in ("streamlit", "streamlit-folium", "folium", "pandas")
    )
    return (
        f"{platform.node()} · {platform.machine()} · {os.cpu_count()} CPU · "
        f"Python {platform.python_version()} · {packages}"
    )


def _format(figure: Figure) -> str:
    value = figure.value
    if value is None:
        return "—"
    if figure.unit == "B":
        return f"{int(value):,} B".replace(",", " ")
    if isinstance(value, int):
        return str(value)
    if figure.unit == "s":
        return f"{value:.3f} s" if value < 100 else f"{value:,.0f} s"
    return f"{value:g} {figure.unit}".strip()


def print_section(section: Section) -> None:
    print(f"\n{section.title}")
    for f in section.figures:
        target = f.target.replace("<=", "≤").replace(">=", "≥")
        print(f"  {f.key:<30} {_format(f):>16}  {target:<12} {f.verdict:<5} {f.note}")
    for note in section.notes:
        print(f"  · {note}")
    sys.stdout.flush()


def guarded(title: str, work: Callable[[], Section]) -> Section:
    """A section's figures, or its error as a note: one failing part never hides the others."""
    try:
        return work()
    except Exception as err:
        section = Section(title)
        section.notes.append(f"FAILED: {type(err).__name__}: {err}")
        traceback.print_exc(file=sys.stderr)
        return section


def prefixed(section: Section, prefix: str) -> Section:
    """The section with its keys prefixed, so that its figures and section 5's do not collide."""
    for figure in section.figures:
        figure.key = prefix + figure.key
    return section


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("command", nargs="?", choices=["all", "geocoding", "load"], default="all")
    parser.add_argument(
        "--peer", choices=["addok"], help="geocoding: only the comparison with this geocoder"
    )
    parser.add_argument("--quick", action="store_true", help="fewer samples: a few minutes")
    parser.add_argument("--json", action="store_true", help="end with one JSON line of figures")
    parser.add_argument("--sessions", type=int, help="load: concurrent visitors (100; browser 5)")
    parser.add_argument("--seconds", type=float, help="load: how long each visitor acts (60)")
    parser.add_argument("--interval", type=float, default=5.0, help="load: seconds between actions")
    parser.add_argument("--browser", action="store_true", help="load: drive Chromium pages instead")
    parser.add_argument(
        "--replicas", type=int, default=1, help="load: servers behind nginx (python -m deploy)"
    )
    parser.add_argument("--actions", type=int, help="load --browser: actions per page")
    parser.add_argument(
        "--skip",
        default="",
        help="comma-separated: geo,peer,maps,app,browser,load,browser-load,memory",
    )
    args = parser.parse_args(argv)
    settings = SETTINGS["quick" if args.quick else "full"]
    actions = args.actions or settings["actions"]
    skip = set(args.skip.split(",")) if args.skip else set()
    if args.command == "geocoding":
        skip = {"maps", "app", "browser", "load", "browser-load", "memory"}
        skip |= {"geo"} if args.peer else set()
    if args.command == "load":
        skip = {
            "geo",
            "maps",
            "app",
            "browser",
            "memory",
            "browser-load" if not args.browser else "load",
        }
    schedule = protocol_load.Schedule(
        args.sessions or settings["sessions"], args.seconds or settings["seconds"], args.interval
    )
    pages = args.sessions if args.command == "load" and args.sessions else BROWSER_PAGES

    from benchmarks import app, browser, geocoding, load, maps, memory, peer
    from geo.domain.territories import load_placed

    start = time.perf_counter()
    print(f"Carte ESS benchmarks ({'quick' if args.quick else 'full'}) on {machine()}")
    sections: list[Section] = []

    def add(title: str, work: Callable[[], Section]) -> None:
        sections.append(guarded(title, work))
        print_section(sections[-1])

    geocoder = None
    if "geo" not in skip:

        def geo_section() -> Section:
            nonlocal geocoder
            section, _, geocoder = geocoding.run(settings["geo"], settings["naive"])
            return section

        add("1. Geocoding", geo_section)
    if geocoder is None:
        geocoder = geocoding.cold_load()[1]
    if "peer" not in skip:
        add("1b. Geocoding against addok", lambda: peer.run(geocoder, settings["geo"]))
    territories = load_placed()
    if "maps" not in skip:
        add("2. Maps", lambda: maps.run(settings["maps"], geocoder))
    if "app" not in skip:
        add(
            "3. The app",
            lambda: app.run(settings["cold"], settings["rerun"], settings["repeat"], territories),
        )
    if "browser" not in skip:
        add("4. The browser", lambda: asyncio.run(browser.run(settings["browser"], territories)))
    if "load" not in skip:
        add("5. Load", lambda: protocol_load.run(schedule, territories, args.replicas))
    if "browser-load" not in skip:

        def browser_load() -> Section:
            section = asyncio.run(load.run(pages, actions, territories, settings["budget"]))
            return section if args.command == "load" else prefixed(section, "browser_")

        add("6. Load in Chromium", browser_load)
    if "memory" not in skip:
        add("7. Memory", lambda: memory.run(geocoder))
    total = time.perf_counter() - start
    figures = {f.key: f.value for s in sections for f in s.figures}
    missed = [f.key for s in sections for f in s.figures if f.verdict == "MISS"]
    print(f"\nTargets missed: {', '.join(missed) or 'none'}")
    print(f"Total run time: {total:.0f} s")
    if args.json:
        record = {key: figures.get(key) for key in KEYS} | figures
        record |= {"quick": args.quick, "total_seconds": round(total, 1), "machine": machine()}
        record["missed"] = missed
        print(json.dumps(record, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
