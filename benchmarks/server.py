"""Start a Streamlit app on a free port of 127.0.0.1, and measure its memory.

The dashboard is started with scripts/screenshot.py's ``start_app()`` (the way the browser tests
and the screenshot start it); other scripts (the floor app) with the same few steps here.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "dashboard.py"
sys.path.insert(0, str(ROOT / "scripts"))
from screenshot import CHROMIUM_ARGS, MAP_FRAME, find_chromium, healthy, start_app, stop_process  # noqa: E402

__all__ = [
    "CHROMIUM_ARGS",
    "MAP_FRAME",
    "CpuMeter",
    "Server",
    "find_chromium",
    "rss_mb",
    "serve",
]


@dataclass
class Server:
    url: str
    pid: int
    log: Path | None


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its children, in MB (10^6 bytes)."""
    process = psutil.Process(pid)
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total / 1e6


# As deployed: no watching of the source files. (Other people editing the tree during a run would
# otherwise make Streamlit drop modules from sys.modules under running sessions.)
SERVER_ENV = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "STREAMLIT_SERVER_RUN_ON_SAVE": "false"}


@contextlib.contextmanager
def _environment(values: dict[str, str]) -> Iterator[None]:
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class CpuMeter:
    """User + system CPU seconds used by processes and all their descendants since creation.

    Sample it often: a process that exits between two samples (a closed page's renderer) keeps
    only the CPU time seen at the last sample.
    """

    def __init__(self, pids: list[int]):
        self.pids = pids
        self.seen: dict[int, float] = {}
        self.start = self.sample()

    def sample(self) -> float:
        for pid in self.pids:
            with contextlib.suppress(psutil.Error):
                process = psutil.Process(pid)
                for proc in [process, *process.children(recursive=True)]:
                    with contextlib.suppress(psutil.Error):
                        times = proc.cpu_times()
                        used = times.user + times.system
                        self.seen[proc.pid] = max(self.seen.get(proc.pid, 0.0), used)
        return sum(self.seen.values())

    def used(self) -> float:
        """CPU seconds since the meter was made (samples once more)."""
        return self.sample() - self.start


@contextlib.contextmanager
def serve(script: Path = DASHBOARD, timeout: float = 90.0) -> Iterator[Server]:
    """A running ``streamlit run script`` until the block ends."""
    with _environment(SERVER_ENV), _serve(script, timeout) as server:
        yield server


@contextlib.contextmanager
def _serve(script: Path, timeout: float) -> Iterator[Server]:
    if script == DASHBOARD and start_app is not None:
        with start_app(timeout=timeout) as app:
            yield Server(app.url, app.process.pid, app.log_path)
        return
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    command = [sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port)]
    command += ["--server.headless", "true", "--server.address", "127.0.0.1"]
    command += ["--browser.gatherUsageStats", "false"]
    with tempfile.TemporaryDirectory(prefix="carte-ess-bench-") as tmp:
        log = Path(tmp) / "streamlit.log"
        with log.open("wb") as out:
            process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + timeout
            while not healthy(url):
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"{script.name} did not start:\n{log.read_text()[-3000:]}")
                time.sleep(0.25)
            yield Server(url, process.pid, log)
        finally:
            stop_process(process)
