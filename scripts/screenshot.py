"""Take a screenshot of the running dashboard, for the README and for reviews.

Usage::

    python scripts/screenshot.py [--out docs/screenshot.png] [--url-query "territory=roubaix"]

It starts the app (``streamlit run dashboard.py``) on a free port of 127.0.0.1, opens it in a
headless Chromium at 1400×900 with the given query string, waits until the map's markers are
drawn, writes a PNG of the whole page and stops the app again.  Needs Debian's ``chromium``
package (or ``CHROMIUM_PATH``) and the ``playwright`` Python package; it never downloads a
browser.

Offline, the map tiles (OpenStreetMap, CARTO, IGN) cannot load: the map then shows a grey
background under its markers, legend and controls.  That is expected, not a failure.

``start_app()`` and ``find_chromium()`` are also what the browser tests use
(tests/browser/conftest.py), so the tests and this script start the app the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# streamlit-folium's iframe, not a stale copy left for a moment while Streamlit reruns.
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]:not([data-stale="true"] *)'
MARKER = ".fi-marker"
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
CHROMIUM_FALLBACK = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


class AppStartError(RuntimeError):
    """Raised when the Streamlit server exits or is not healthy before the deadline."""


@dataclass
class RunningApp:
    """A Streamlit server started by start_app(): its base URL and where its output goes."""

    url: str
    process: subprocess.Popen
    log_path: Path
    final_log: str | None = None

    def log(self) -> str:
        """Everything the server printed (stdout and stderr together), also once it stopped."""
        if self.final_log is not None:
            return self.final_log
        return self.log_path.read_text(encoding="utf-8", errors="replace")


def find_chromium() -> str | None:
    """CHROMIUM_PATH if set, else the first Chromium-like binary on PATH, else Debian's path."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return CHROMIUM_FALLBACK if Path(CHROMIUM_FALLBACK).is_file() else None


def free_port() -> int:
    """A TCP port of 127.0.0.1 that was free a moment ago (the OS picks it: bind to 0)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def healthy(url: str) -> bool:
    """Whether the Streamlit server at `url` answers its health check."""
    # No proxy: the server is local, and a proxy from the environment must not answer for it.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def stop_process(process: subprocess.Popen) -> None:
    """terminate → wait → kill: Streamlit shuts down cleanly on SIGTERM, kill is the fallback."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=15)


@contextlib.contextmanager
def start_app(root: Path = ROOT, timeout: float = 60.0) -> Iterator[RunningApp]:
    """Run ``streamlit run dashboard.py`` from ``root`` on a free port until the block ends.

    Waits for ``/_stcore/health`` to answer 200, at most ``timeout`` seconds; raises
    AppStartError with the server's log if the server exits or stays unhealthy.
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "dashboard.py",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--server.address",
        "127.0.0.1",
        "--browser.gatherUsageStats",
        "false",
    ]
    with tempfile.TemporaryDirectory(prefix="carte-ess-app-") as tmp:
        log_path = Path(tmp) / "streamlit.log"
        with log_path.open("wb") as log:
            # Output goes to a file, not a pipe: a full pipe would block the server.
            process = subprocess.Popen(command, cwd=root, stdout=log, stderr=subprocess.STDOUT)
        app = RunningApp(url, process, log_path)
        try:
            deadline = time.monotonic() + timeout
            while not healthy(url):
                if process.poll() is not None:
                    raise AppStartError(
                        f"streamlit exited with code {process.returncode}; its log:\n{app.log()}"
                    )
                if time.monotonic() > deadline:
                    raise AppStartError(
                        f"{url}/_stcore/health not OK after {timeout:.0f} s; log:\n{app.log()}"
                    )
                time.sleep(0.25)
            yield app
        finally:
            stop_process(process)
            app.final_log = app.log()


def take_screenshot(url: str, out: Path, chromium: str, timeout_ms: int = 60_000) -> None:
    """Open ``url`` at 1400×900, wait for the markers (and the card if one is selected), save."""
    from playwright.sync_api import expect, sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url, timeout=timeout_ms)
            frame = page.frame_locator(MAP_FRAME)
            expect(frame.locator(MARKER).first).to_be_visible(timeout=timeout_ms)
            # Streamlit is done when its status widget stops saying "Running...".
            expect(page.get_by_test_id("stStatusWidget")).to_have_count(0, timeout=timeout_ms)
            if "territory=" in url:
                expect(page.get_by_test_id("stExpander").first).to_be_visible(timeout=timeout_ms)
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
    args = parser.parse_args(argv)
    chromium = find_chromium()
    if chromium is None:
        parser.error("no Chromium binary found (install Debian's chromium or set CHROMIUM_PATH)")
    query = args.url_query.lstrip("?")
    with start_app() as app:
        take_screenshot(f"{app.url}/?{query}" if query else f"{app.url}/", args.out, chromium)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
