"""Two replicas behind nginx on loopback: the proxy spreads and sticks browsers, serves the map's
assets, carries the protocol load test without errors, and when one replica stops its visitors
reconnect to the other and get their view back from the URL."""

from __future__ import annotations

import re
import threading
import urllib.request

import psutil
import pytest

from benchmarks.protocol_load import Schedule, Views, measure, run_sync, warm_up
from deploy.cluster import cluster, find_nginx, render_config
from geo import assets
from geo.maps import outline_script
from geo.territories import load_placed

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
        f"{running.url}{assets.ASSET_BASE_URL}{LEAFLET}", set_cookie.split(";")[0]
    )
    assert status == 200
    assert b"Leaflet" in body[:2000]
    outlines = outline_script()  # published by the page, under the same proxy path
    status, _, body = get(
        f"{running.url}{assets.publish('outlines', outlines)}", set_cookie.split(";")[0]
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
        for replica in running.replicas:
            port = int(replica.url.rsplit(":", 1)[1])
            connections = psutil.Process(replica.process.pid).net_connections()
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
    assert tally.errors == []
    assert 1 <= len(tally.recoveries) <= on_stopped[0]
    assert all("?" in r for r in tally.recoveries)
    assert {"filter", "card", "reload", "reset", "recover"} <= set(tally.seconds)
    assert "Traceback (most recent call last)" not in running.logs()
