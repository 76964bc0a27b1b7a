"""Two replicas behind nginx on loopback, under supervisord: the proxy spreads and sticks
browsers, serves the map's assets with the security headers, carries the protocol load test
without errors, and when one replica stops its visitors reconnect to the other and get their view
back from the URL; a killed replica is started again, and `python -m deploy` exits non-zero when
it cannot keep any replica up."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from benchmarks.protocol_load import Schedule, Views, measure, run_sync, warm_up
from deploy.cluster import FAIL_TIMEOUT_SECONDS, cluster, find_nginx, render_config
from geo.domain.territories import load_placed
from geo.maps.outline_layer import outline_script
from geo.web import publish
from geo.web.harness import healthy

pytestmark = pytest.mark.skipif(
    find_nginx() is None, reason="no nginx binary (apt-get install nginx, or set NGINX_PATH)"
)
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
LEAFLET = "leaflet@1.9.3/dist/leaflet.js"


@pytest.fixture(scope="module")
def running():
    with cluster(replicas=2, port=0) as unit:
        for replica in unit.replicas:  # fills caches, registers and publishes the map's assets
            run_sync(warm_up(replica.url))
        yield unit


def get(url: str, cookie: str = "") -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with OPENER.open(request, timeout=10) as response:
        return response.status, response.headers.get("Set-Cookie", ""), response.read()


def upstreams(access_log: str, route: str | None = None) -> set[str]:
    """The replicas (upstream addresses) nginx sent requests to, for one route cookie or all."""
    return {
        m.group(1)
        for m in re.finditer(r" (127\.0\.0\.1:\d+) route=(\w+)", access_log)
        if route is None or m.group(2) == route
    }


def test_config_names_every_replica_and_upgrades_websockets(tmp_path):
    config = render_config([8501, 8502, 8503], "127.0.0.1", 8080, tmp_path)
    assert config.count("server 127.0.0.1:85") == 3
    assert "proxy_set_header Upgrade $http_upgrade;" in config
    assert "hash $route consistent;" in config
    assert "{{" not in config


def test_browsers_are_spread_over_replicas_and_each_sticks_to_one(running):
    cookies = []
    for _ in range(24):  # all-on-one-replica by chance: 2 in 2**24
        status, set_cookie, _ = get(f"{running.url}/")
        assert status == 200
        cookies.append(set_cookie.split(";")[0])
    assert upstreams(running.access_log()) >= {
        r.url.removeprefix("http://") for r in running.replicas
    }
    route = cookies[0].split("=")[1]
    for _ in range(10):
        get(f"{running.url}/_stcore/health", cookies[0])
    assert len(upstreams(running.access_log(), route)) == 1


def test_map_assets_load_through_the_proxy(running):
    _, set_cookie, _ = get(f"{running.url}/")
    status, _, body = get(
        f"{running.url}{publish.ASSET_BASE_URL}{LEAFLET}", set_cookie.split(";")[0]
    )
    assert status == 200
    assert b"Leaflet" in body[:2000]
    outlines = outline_script()  # published by the page, under the same proxy path
    status, _, body = get(
        f"{running.url}{publish.publish('outlines', outlines)}", set_cookie.split(";")[0]
    )
    assert status == 200
    assert body.decode("utf-8") == outlines


def test_load_through_nginx_survives_a_replica_stopping(running):
    views = Views.of(load_placed())
    schedule = Schedule(sessions=6, seconds=14, interval=1.5, timeout=20)
    on_stopped: list[int] = []

    def stop_busiest() -> None:
        """Stop the replica holding the most websockets (nginx's connections to its port)."""
        counts = []
        for replica, pid in zip(running.replicas, running.pids(), strict=True):
            port = int(replica.url.rsplit(":", 1)[1])
            connections = psutil.Process(pid).net_connections()
            counts.append(
                sum(c.laddr.port == port and c.status == "ESTABLISHED" for c in connections)
            )
        busiest = max(range(len(counts)), key=counts.__getitem__)
        on_stopped.append(counts[busiest])
        running.stop_replica(busiest)

    timer = threading.Timer(6.0, stop_busiest)
    timer.start()
    try:
        outcome = run_sync(measure(running.url, schedule, views, running.pids(), reconnect=True))
    finally:
        timer.cancel()
    tally = outcome.tally
    assert on_stopped and on_stopped[0] >= 1  # the stopped replica had visitors
    # Visitors see no error details: on a failure the replicas' logs say what happened.
    assert tally.errors == [], running.logs()[-8000:]
    assert 1 <= len(tally.recoveries) <= on_stopped[0]
    assert all("?" in r for r in tally.recoveries)
    assert {"filter", "card", "reload", "reset", "recover"} <= set(tally.seconds)
    assert "Traceback (most recent call last)" not in running.logs()


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "SAMEORIGIN",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


@pytest.mark.parametrize("path", ["/", "/_stcore/health", f"{publish.ASSET_BASE_URL}{LEAFLET}"])
def test_every_answer_carries_the_security_headers(running, path):
    with OPENER.open(f"{running.url}{path}", timeout=10) as response:
        headers = response.headers
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value
    policy = headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "object-src 'none'" in policy
    assert "default-src 'self'" in policy


def every_replica_healthy(running, seconds: float = 60) -> None:
    """Until each replica answers on its own port (one stopped by an earlier test restarts)."""
    deadline = time.monotonic() + seconds
    while not all(healthy(r.url) for r in running.replicas):
        assert time.monotonic() < deadline, running.states()
        time.sleep(0.2)


def test_a_killed_replica_is_back_within_15_seconds(running):
    every_replica_healthy(running)
    # A replica stopped by an earlier test failed nginx's tries while it restarted, and nginx
    # leaves it out for FAIL_TIMEOUT_SECONDS: with both out, it would answer 502 meanwhile.
    time.sleep(FAIL_TIMEOUT_SECONDS)
    killed = running.stop_replica(1, signal.SIGKILL)
    started = time.monotonic()
    url = running.replicas[1].url
    while time.monotonic() - started < 15:
        state = running.states()["replica-1"]  # RUNNING once up for START_SECONDS
        if state["pid"] not in (0, killed) and state["statename"] == "RUNNING" and healthy(url):
            break
        assert healthy(running.url)  # meanwhile nginx answers with the other replica
        time.sleep(0.2)
    seconds = time.monotonic() - started
    assert seconds < 15, f"replica-1 not back after {seconds:.1f} s:\n{running.replicas[1].log()}"
    assert not psutil.pid_exists(killed) or psutil.Process(killed).status() != "zombie"  # reaped
    assert running.live_replicas() == 2
    assert running.given_up() is None


def test_the_launcher_exits_non_zero_when_no_replica_can_be_kept_up(tmp_path):
    """A replica that dies again as soon as it starts (here: killed each time it appears) is
    given up on after supervisord's retries, and `python -m deploy` says so and exits 1."""
    root = Path(__file__).resolve().parent.parent
    launcher = subprocess.Popen(
        [sys.executable, "-m", "deploy", "--replicas", "1", "--port", "0"],
        cwd=root,
        env=os.environ | {"PYTHONPATH": str(root)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert "Carte ESS on http://127.0.0.1:" in launcher.stdout.readline()
        deadline = time.monotonic() + 90
        kills = 0
        supervisors: set[int] = set()
        while launcher.poll() is None and time.monotonic() < deadline:
            for child in psutil.Process(launcher.pid).children(recursive=True):
                try:
                    command = " ".join(child.cmdline())
                    if "supervisor.supervisord" in command:
                        supervisors.add(child.pid)
                    elif "geo.web.launch" in command:
                        child.kill()
                        kills += 1
                except psutil.NoSuchProcess:
                    pass
            time.sleep(0.1)
        returncode = launcher.wait(timeout=30)
    finally:
        if launcher.poll() is None:
            launcher.kill()
            launcher.wait()
    stderr = launcher.stderr.read()
    assert returncode == 1, stderr
    assert "no replica could be kept up: replica-0 FATAL" in stderr
    assert "--- the end of replica-0's log" in stderr  # the run directory is gone with it
    assert kills >= 2  # killed when running, then while starting (supervisord's retries)
    assert supervisors and not any(psutil.pid_exists(pid) for pid in supervisors)  # no orphan
