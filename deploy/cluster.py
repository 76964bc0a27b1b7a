"""N dashboard replicas on loopback and Debian's nginx in front of them, kept up by supervisord.

supervisord (the `supervisor` package) is the process supervisor: it starts every replica as
``carte-ess`` starts one (geo.web.launch) on a free port of 127.0.0.1, and nginx with its
configuration from ``nginx.conf.template``; it reaps and restarts whatever dies, with a back-off
for a program that keeps dying at start, rotates each program's log in the run directory, and
answers for their states over a Unix socket (XML-RPC). It runs in the foreground as a child of
this process, so that stopping the block (or the launcher) stops all.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xmlrpc.client
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import psutil
from supervisor.xmlrpc import SupervisorTransport

from geo.geocoding.readers import MAX_UPLOAD_BYTES
from geo.web.harness import DASHBOARD, ROOT, free_port, healthy, stop_process

HERE = Path(__file__).parent
TEMPLATE = HERE / "nginx.conf.template"
SECURITY_HEADERS = HERE / "security-headers.conf"  # also for other nginx set-ups: `include` it
SUPERVISOR_TEMPLATE = HERE / "supervisord.conf.template"
PROGRAM_TEMPLATE = HERE / "program.conf.template"
NGINX_FALLBACK = "/usr/sbin/nginx"  # Debian's path, often not on a user's PATH
FORM_OVERHEAD_BYTES = 1024 * 1024
START_TIMEOUT = 90.0
# nginx takes a replica that failed once out of its rotation for this long (passive health).
FAIL_TIMEOUT_SECONDS = 10
# A replica that dies within this many seconds of its start has failed to start; after
# START_RETRIES such failures in a row (1 s, 2 s, 3 s... apart) supervisord gives up on it.
START_SECONDS = 5
START_RETRIES = 3
# As deployed: no watching of the source files (benchmarks.server's SERVER_ENV).
REPLICA_ENV = {
    "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none",
    "STREAMLIT_SERVER_RUN_ON_SAVE": "false",
}
GIVEN_UP = {
    "FATAL",
    "EXITED",
    "STOPPED",
    "UNKNOWN",
}  # supervisord's states of a program not kept up


def find_nginx() -> str | None:
    """NGINX_PATH if set, else ``nginx`` on PATH, else Debian's /usr/sbin/nginx."""
    explicit = os.environ.get("NGINX_PATH")
    if explicit:
        return explicit if Path(explicit).is_file() else None
    found = shutil.which("nginx")
    return found or (NGINX_FALLBACK if Path(NGINX_FALLBACK).is_file() else None)


def _filled(template: Path, fields: Mapping[str, str]) -> str:
    text = template.read_text(encoding="utf-8")
    for name, value in fields.items():
        text = text.replace("{{" + name + "}}", value)
    return text


def render_config(ports: list[int], address: str, port: int, run_dir: Path) -> str:
    """nginx.conf for replicas on ``ports`` of 127.0.0.1, listening on ``address:port``."""
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout={FAIL_TIMEOUT_SECONDS}s;"
        for p in ports
    )
    fields = {
        "replicas": str(len(ports)),
        "run_dir": str(run_dir),
        "max_body_bytes": str(MAX_UPLOAD_BYTES + FORM_OVERHEAD_BYTES),
        "servers": servers,
        "address": address,
        "port": str(port),
        "security_headers": str(SECURITY_HEADERS),
    }
    return _filled(TEMPLATE, fields)


@dataclass
class Program:
    """One program supervisord keeps up: its name, command line and added environment."""

    name: str
    command: Sequence[str]
    env: Mapping[str, str]
    start_seconds: int = START_SECONDS


def replica_program(index: int, port: int, page: Path = DASHBOARD) -> Program:
    """Replica `index` serving `page` on 127.0.0.1:`port`, as geo.web.harness.AppServer starts one."""
    command = [sys.executable, "-m", "geo.web.launch", str(page)]
    command += ["--server.port", str(port), "--server.address", "127.0.0.1"]
    command += ["--server.headless", "true", "--browser.gatherUsageStats", "false"]
    paths = [str(ROOT), *filter(None, [os.environ.get("PYTHONPATH")])]
    return Program(
        f"replica-{index}", command, REPLICA_ENV | {"PYTHONPATH": os.pathsep.join(paths)}
    )


def render_supervisor(programs: Sequence[Program], run_dir: Path) -> str:
    """supervisord.conf for `programs`, every socket, pid and log file in `run_dir`."""
    replicas = sum(p.name.startswith("replica-") for p in programs)
    sections = [_filled(SUPERVISOR_TEMPLATE, {"run_dir": str(run_dir), "replicas": str(replicas)})]
    for program in programs:
        pairs = ",".join(f'{k}="{_escaped(v)}"' for k, v in program.env.items())
        environment = f"environment={pairs}" if pairs else "; the launcher's environment"
        fields = {
            "name": program.name,
            "command": _escaped(shlex.join(program.command)),
            "directory": str(ROOT),
            "environment": environment,
            "startsecs": str(program.start_seconds),
            "startretries": str(START_RETRIES),
            "run_dir": str(run_dir),
        }
        sections.append(_filled(PROGRAM_TEMPLATE, fields))
    return "".join(sections)


def _escaped(value: str) -> str:
    """A value for supervisord's configuration, which expands %(name)s and reads quotes."""
    return value.replace("%", "%%").replace('"', '\\"')


@dataclass
class Replica:
    """One supervised replica: its supervisord name, its own URL and log file."""

    name: str
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""


@dataclass
class Cluster:
    """The running unit: the proxy's URL, the replicas behind it, supervisord and the run
    directory (configurations, logs, supervisord's socket)."""

    url: str
    replicas: list[Replica]
    supervisor: subprocess.Popen
    run_dir: Path

    def rpc(self) -> xmlrpc.client.ServerProxy:
        """supervisord's XML-RPC interface (a new proxy per call: safe from any thread)."""
        transport = SupervisorTransport(None, None, f"unix://{self.run_dir / 'supervisor.sock'}")
        return xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)

    def states(self) -> dict[str, dict]:
        """supervisord's view of every program: name → {"statename", "pid", ...}."""
        return {info["name"]: info for info in self.rpc().supervisor.getAllProcessInfo()}

    def pids(self) -> list[int]:
        """The replicas' process ids now (0 for one that is not running)."""
        states = self.states()
        return [states[r.name]["pid"] for r in self.replicas]

    def stop_replica(self, index: int, sig: int = signal.SIGTERM) -> int:
        """Stop replica `index` as a crash (SIGKILL) or a stray signal (SIGTERM) would, behind
        supervisord's back: it is started again. Returns the pid stopped."""
        pid = self.pids()[index]
        with contextlib.suppress(psutil.NoSuchProcess):
            os.kill(pid, sig)
        return pid

    def live_replicas(self) -> int:
        """How many replicas run now (nginx routes around the others)."""
        states = self.states()
        return sum(states[r.name]["statename"] == "RUNNING" for r in self.replicas)

    def given_up(self) -> str | None:
        """Why the unit cannot serve any more (nginx or every replica given up), or None."""
        if self.supervisor.poll() is not None:
            return f"supervisord stopped (exit {self.supervisor.returncode})"
        states = self.states()
        if states["nginx"]["statename"] in GIVEN_UP:
            return f"nginx {states['nginx']['statename']}: {states['nginx']['spawnerr']}"
        replicas = [states[r.name] for r in self.replicas]
        if all(state["statename"] in GIVEN_UP for state in replicas):
            return "no replica could be kept up: " + ", ".join(
                f"{s['name']} {s['statename']}" for s in replicas
            )
        return None

    def logs(self) -> str:
        """All replicas' logs, one after the other."""
        return "\n".join(r.log() for r in self.replicas)

    def access_log(self) -> str:
        path = self.run_dir / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""


def wait_healthy(urls: Sequence[str], supervisor: subprocess.Popen, run_dir: Path) -> None:
    """Until every URL answers its health check; RuntimeError with the logs if supervisord
    stops or START_TIMEOUT passes."""
    deadline = time.monotonic() + START_TIMEOUT
    waiting = list(urls)
    while waiting:
        if supervisor.poll() is not None or time.monotonic() > deadline:
            logs = "\n".join(
                f"--- {log.name}\n{log.read_text(errors='replace')[-2000:]}"
                for log in sorted(run_dir.glob("*.log"))
            )
            raise RuntimeError(f"not healthy after {START_TIMEOUT:.0f} s: {waiting}\n{logs}")
        waiting = [url for url in waiting if not healthy(url)]
        time.sleep(0.2)


@contextlib.contextmanager
def cluster(
    replicas: int = 2, port: int = 8080, address: str = "127.0.0.1", page: Path = DASHBOARD
) -> Iterator[Cluster]:
    """Replicas and nginx on ``address:port`` (0: a free port of 127.0.0.1) under supervisord,
    healthy, until the block ends."""
    nginx = find_nginx()
    if nginx is None:
        raise RuntimeError("no nginx binary: apt-get install nginx (or set NGINX_PATH)")
    with contextlib.ExitStack() as stack:
        run_dir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="carte-ess-run-")))
        run_dir.chmod(0o755)  # nginx's workers drop root and must reach their temp directories
        port = port or free_port()
        ports = [free_port() for _ in range(replicas)]
        config = run_dir / "nginx.conf"
        config.write_text(render_config(ports, address, port, run_dir), encoding="utf-8")
        programs = [replica_program(i, p, page) for i, p in enumerate(ports)]
        nginx_command = [nginx, "-p", str(run_dir), "-e", str(run_dir / "error.log")]
        nginx_command += ["-c", str(config), "-g", "daemon off;"]
        programs.append(Program("nginx", nginx_command, {}, start_seconds=1))
        supervisor_config = run_dir / "supervisord.conf"
        supervisor_config.write_text(render_supervisor(programs, run_dir), encoding="utf-8")
        with (run_dir / "supervisord.out").open("wb") as out:
            supervisor = subprocess.Popen(
                [sys.executable, "-m", "supervisor.supervisord", "-c", str(supervisor_config)],
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        stack.callback(stop_process, supervisor)  # SIGTERM: supervisord stops every program
        urls = [f"http://127.0.0.1:{p}" for p in ports]
        url = f"http://{address}:{port}"
        wait_healthy([*urls, url], supervisor, run_dir)
        members = [
            Replica(program.name, replica_url, run_dir / f"{program.name}.log")
            for program, replica_url in zip(programs, urls, strict=False)
        ]
        yield Cluster(url, members, supervisor, run_dir)
