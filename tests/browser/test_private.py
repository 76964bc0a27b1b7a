"""Private by default: the server as ``carte-ess`` starts it listens on this machine only, and
from its start to the first page nothing leaves the machine but map tiles.

The server runs under geo.web.netguard (an audit hook: every bind, every name lookup and every
contact of a non-loopback host, whatever library makes it) with no ``--server.address``, as
``carte-ess`` runs it; the first page is loaded in Chromium with every request recorded.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, expect

from geo.maps.base import BASEMAPS
from geo.web.harness import MAP_FRAME, AppServer
from geo.web.launch import run_arguments
from geo.web.netguard import is_loopback, read_log

pytestmark = pytest.mark.browser


def tile_hosts() -> set[str]:
    """The hosts of every base map's tiles (a provider's {s} subdomains spelt out)."""
    hosts = set()
    for _, provider in BASEMAPS.values():
        if provider is None:
            continue
        host = urlparse(provider.url).hostname or ""
        subdomains = provider.get("subdomains") or ""
        hosts |= {host.replace("{s}", s) for s in subdomains} if "{s}" in host else {host}
    return hosts


def test_the_settings_bind_loopback_and_an_explicit_address_wins() -> None:
    arguments = run_arguments(Path("page.py"), ["--server.address", "0.0.0.0"])
    assert "--server.address=127.0.0.1" in arguments
    assert "--browser.gatherUsageStats=false" in arguments
    # Streamlit keeps an option's last value: the one given to carte-ess.
    assert arguments[-2:] == ["--server.address", "0.0.0.0"]
    assert arguments.index("--server.address=127.0.0.1") < len(arguments) - 2


def test_from_start_to_first_page_only_tiles_leave_the_machine(
    browser: Browser, tmp_path: Path
) -> None:
    log = tmp_path / "network.jsonl"
    with AppServer(address=None, launcher=("geo.web.netguard", str(log)), timeout=90) as app:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        page = context.new_page()
        page.goto(f"{app.url}/")
        expect(page.frame_locator(MAP_FRAME).locator(".fi-marker")).to_have_count(27)
        expect(page.get_by_test_id("stStatusWidget")).to_have_count(0)
        context.close()
        records = read_log(log)
        server_log = app.log()

    binds = [r for r in records if r["event"] == "socket.bind" and r["port"] == app.port]
    assert binds, f"no bind on port {app.port} recorded; records: {records}\n{server_log}"
    assert all(r["host"] == "127.0.0.1" for r in binds), binds
    outbound = [r for r in records if r["event"] != "socket.bind"]
    assert not outbound, f"the server looked up or contacted: {outbound}\n{server_log}"
    assert "External URL" not in server_log and "Network URL" not in server_log, server_log

    web = [url for url in requests if urlparse(url).scheme in ("http", "https")]
    leaving = sorted({u for u in web if not is_loopback(urlparse(u).hostname or "")})
    assert all(urlparse(u).hostname in tile_hosts() for u in leaving), leaving
    assert any(urlparse(u).hostname == "tile.openstreetmap.org" for u in leaving), (
        "the default base map asked for no tile: is the recorder recording?"
    )
