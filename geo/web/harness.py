"""Run the app for the browser tests, the benchmarks and the screenshot: a Streamlit script on a
free port of 127.0.0.1, healthy before use, stopped after; and where to find Chromium.

Usage::

    with AppServer() as app:                 # dashboard.py; AppServer(script, args, env) for others
        page.goto(app.url)

One starter for everyone, so the tests measure the app the way the benchmarks and the screenshot
see it. The server's output goes to a log file (a full pipe would block it); when the server exits
or is not healthy in time, AppStartError carries that log.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "dashboard.py"
# streamlit-folium's iframe, not a stale copy left for a moment while Streamlit reruns.
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]:not([data-stale="true"] *)'
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
POLL_SECONDS = 0.25
# axe-core, the accessibility checker the browser tests inject: an npm package installed with
# `npm install --prefix "$AXE_PREFIX" axe-core@4` (.ci/run does it), AXE_PREFIX defaulting to
# the user's cache; CARTE_ESS_AXE names the script itself.
AXE_SCRIPT = Path("node_modules") / "axe-core" / "axe.min.js"


class AppStartError(RuntimeError):
    """Raised when the Streamlit server exits or is not healthy before the deadline."""


def axe_prefix() -> Path:
    """Where `npm install --prefix` puts axe-core for the tests: $XDG_CACHE_HOME/carte-ess/npm,
    else ~/.cache/carte-ess/npm (beside the geocoders' cache, outside the checkout)."""
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "carte-ess" / "npm"


def find_axe() -> Path | None:
    """axe-core's script: CARTE_ESS_AXE if set, else the one installed under axe_prefix()."""
    explicit = os.environ.get("CARTE_ESS_AXE")
    path = Path(explicit) if explicit else axe_prefix() / AXE_SCRIPT
    return path if path.is_file() else None


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


class AppServer:
    """``streamlit run script`` (through geo.web.launch) on a free port of 127.0.0.1 while the
    ``with`` block runs.

    `args` are extra ``streamlit run`` options; `env` adds to the environment; with `base_path`
    the app is served under that prefix (``--server.baseUrlPath``) and `url` includes it.
    `address=None` leaves the listening address to the project's settings (as ``carte-ess``);
    `launcher` is the module that serves the script (``geo.web.netguard LOG`` records the network). This checkout's
    root leads PYTHONPATH, so any script imports this checkout's geo/ (and tests/).
    """

    def __init__(
        self,
        script: Path | str = DASHBOARD,
        args: Sequence[str] = (),
        env: Mapping[str, str] | None = None,
        *,
        cwd: Path = ROOT,
        timeout: float = 60.0,
        base_path: str = "",
        address: str | None = "127.0.0.1",
        launcher: Sequence[str] = ("geo.web.launch",),
    ):
        self.script = Path(script)
        self.args = list(args)
        self.env = dict(env or {})
        self.cwd = cwd
        self.timeout = timeout
        self.base_path = base_path.strip("/")  # --server.baseUrlPath: the app lives under /it
        self.address = address
        self.launcher = list(launcher)
        self.port = 0
        self.url = ""
        self.process: subprocess.Popen | None = None
        self._log_dir: tempfile.TemporaryDirectory | None = None
        self._final_log: str | None = None

    @property
    def log_path(self) -> Path:
        assert self._log_dir is not None, "the server was not started"
        return Path(self._log_dir.name) / "streamlit.log"

    def log(self) -> str:
        """Everything the server printed (stdout and stderr together), also once it stopped."""
        if self._final_log is not None:
            return self._final_log
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def __enter__(self) -> AppServer:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}" + (
            f"/{self.base_path}" if self.base_path else ""
        )
        # As deployed (geo.web.launch: the project's settings, geo.web.nodelay's fix), whatever the page.
        command = [sys.executable, "-m", *self.launcher, str(self.script)]
        command += ["--server.port", str(self.port)]
        if self.address is not None:
            command += ["--server.address", self.address]
        if self.base_path:
            command += ["--server.baseUrlPath", self.base_path]
        command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
        paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
        env = os.environ | self.env | {"PYTHONPATH": os.pathsep.join(paths)}
        self._log_dir = tempfile.TemporaryDirectory(prefix="carte-ess-app-")
        self._final_log = None
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [*command, *self.args], cwd=self.cwd, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def _wait_until_healthy(self) -> None:
        process = self.process
        assert process is not None, "started before waiting"
        deadline = time.monotonic() + self.timeout
        while not healthy(self.url):
            if process.poll() is not None:
                raise AppStartError(
                    f"streamlit exited with code {process.returncode}; its log:\n{self.log()}"
                )
            if time.monotonic() > deadline:
                raise AppStartError(
                    f"{self.url}/_stcore/health not OK after {self.timeout:.0f} s; log:\n{self.log()}"
                )
            time.sleep(POLL_SECONDS)

    def stop(self) -> None:
        """Stop the server and keep its log (readable with log() afterwards)."""
        if self.process is not None:
            stop_process(self.process)
        if self._log_dir is not None:
            self._final_log = self.log()
            self._log_dir.cleanup()
            self._log_dir = None

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
