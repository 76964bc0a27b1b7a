"""Run an app for the benchmarks (geo.web.harness.AppServer, as deployed) and measure its memory and CPU."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import psutil

from geo.web.harness import DASHBOARD, AppServer

# As deployed: no watching of the source files. (Other people editing the tree during a run would
# otherwise make Streamlit drop modules from sys.modules under running sessions.)
SERVER_ENV = {"STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "STREAMLIT_SERVER_RUN_ON_SAVE": "false"}


def serve(script: Path = DASHBOARD, timeout: float = 90.0) -> AppServer:
    """``streamlit run script`` as deployed, for a ``with`` block."""
    return AppServer(script, env=SERVER_ENV, timeout=timeout)


def rss_mb(pid: int) -> float:
    """Resident memory of a process and all its children, in MB (10^6 bytes)."""
    process = psutil.Process(pid)
    total = 0
    for proc in [process, *process.children(recursive=True)]:
        with contextlib.suppress(psutil.Error):
            total += proc.memory_info().rss
    return total / 1e6


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


def wait_until_idle(
    pids: list[int], window: float = 0.5, busy: float = 0.05, timeout: float = 60.0
) -> float:
    """Wait until the servers used less than `busy` CPU seconds over `window` seconds (the page
    warms its cards up in a thread after its first run: figures of a steady server must not
    count it); seconds waited. Bounded by `timeout`."""
    start = time.monotonic()
    meter = CpuMeter(pids)
    while time.monotonic() - start < timeout:
        before = meter.sample()
        time.sleep(window)
        if meter.sample() - before < busy:
            break
    return time.monotonic() - start
