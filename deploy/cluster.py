"""Start N dashboard replicas on loopback and Debian's nginx in front of them, as one unit.

The replicas are dashboard servers started as ``carte-ess`` starts one (geo.launch), on free ports
of 127.0.0.1; nginx gets its configuration from ``nginx.conf.template`` in a fresh run directory
and runs in the foreground (``daemon off``) as a child of this process, so that stopping the block
stops all.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import psutil

from benchmarks.server import serve
from geo.config import MAX_UPLOAD_BYTES
from geo.harness import AppServer, free_port, healthy, stop_process

TEMPLATE = Path(__file__).with_name("nginx.conf.template")
NGINX_FALLBACK = "/usr/sbin/nginx"  # Debian's path, often not on a user's PATH
FORM_OVERHEAD_BYTES = 1024 * 1024
START_TIMEOUT = 90.0


def find_nginx() -> str | None:
    """NGINX_PATH if set, else ``nginx`` on PATH, else Debian's /usr/sbin/nginx."""
    explicit = os.environ.get("NGINX_PATH")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    found = shutil.which("nginx")
    return found or (NGINX_FALLBACK if Path(NGINX_FALLBACK).is_file() else None)


def render_config(ports: list[int], address: str, port: int, run_dir: Path) -> str:
    """nginx.conf for replicas on ``ports`` of 127.0.0.1, listening on ``address:port``."""
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=10s;" for p in ports
    )
    fields = {
        "replicas": str(len(ports)),
        "run_dir": str(run_dir),
        "max_body_bytes": str(MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES),
        "servers": servers,
        "address": address,
        "port": str(port),
    }
    text = TEMPLATE.read_text(encoding="utf-8")
    for name, value in fields.items():
        text = text.replace("{{" + name + "}}", value)
    return text


@dataclass
class Cluster:
    """The running unit: the proxy's URL, the replicas behind it, nginx and its run directory."""

    url: str
    replicas: list[AppServer]
    nginx: subprocess.Popen
    run_dir: Path
    stopped: set[int] = field(default_factory=set)

    def pids(self) -> list[int]:
        return [r.process.pid for r in self.replicas]

    def stop_replica(self, index: int) -> None:
        """Stop one replica as a crash or a redeploy would (SIGTERM, then SIGKILL)."""
        process = psutil.Process(self.replicas[index].process.pid)
        process.terminate()
        try:
            process.wait(timeout=15)
        except psutil.TimeoutExpired:
            process.kill()
        self.stopped.add(index)

    def live_replicas(self) -> int:
        """How many replicas still run (nginx routes around the others)."""
        return sum(
            psutil.pid_exists(pid) and psutil.Process(pid).is_running() for pid in self.pids()
        )

    def logs(self) -> str:
        """All replicas' logs, one after the other."""
        return "\n".join(r.log() for r in self.replicas)

    def access_log(self) -> str:
        path = self.run_dir / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _replica() -> AppServer:
    """One replica, as deployed (no file watcher)."""
    return serve()


def _wait_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not healthy(url):
        if process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"nginx did not start:\n{log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.2)


@contextlib.contextmanager
def cluster(replicas: int = 2, port: int = 8080, address: str = "127.0.0.1") -> Iterator[Cluster]:
    """Replicas, then nginx on ``address:port`` (0: a free port of 127.0.0.1), until the block
    ends."""
    nginx = find_nginx()
    if nginx is None:
        raise RuntimeError("no nginx binary: apt-get install nginx (or set NGINX_PATH)")
    with contextlib.ExitStack() as stack:
        servers = [stack.enter_context(_replica()) for _ in range(replicas)]
        run_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="carte-ess-nginx-")))
        run_dir.chmod(0o755)  # nginx's workers drop root and must reach their temp directories
        if port == 0:
            port = free_port()
        ports = [int(s.url.rsplit(":", 1)[1]) for s in servers]
        config = run_dir / "nginx.conf"
        config.write_text(render_config(ports, address, port, run_dir), encoding="utf-8")
        command = [nginx, "-p", str(run_dir), "-e", str(run_dir / "error.log"), "-c", str(config)]
        with (run_dir / "nginx.out").open("wb") as out:
            process = subprocess.Popen(
                [*command, "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT
            )
        stack.callback(stop_process, process)
        url = f"http://{address}:{port}"
        _wait_healthy(url, process, run_dir / "error.log")
        yield Cluster(url, servers, process, run_dir)
