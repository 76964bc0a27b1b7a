"""Online providers against real HTTP servers on 127.0.0.1: faults, happy path, cache.

Each server is a `http.server` in a thread on a free port; it counts the requests it receives, so
the tests can tell how many calls the circuit breaker let through. Nothing leaves the machine.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from geo.geocoding.batch import BatchResult, geocode_table
from geo.geocoding.errors import (
    ProviderError,
    ProviderMalformedAnswer,
    ProviderRateLimited,
    ProviderUnavailable,
)
from geo.geocoding.online import DEFAULT_DOMAINS, JsonCache, OnlineProvider, make_provider
from geo.harness import free_port

TIMEOUT = 0.5
MAX_RETRIES = 1
HANG_BOUND_SECONDS = 30.0
NAMES = [
    "Lyon",
    "Marseille",
    "Roubaix",
    "Figeac",
    "Nantes",
    "Rennes",
    "Brest",
    "Nice",
    "Lille",
    "Grenoble",
    "Chambéry",
    "Poitiers",
    "Narbonne",
    "Le Havre",
    "Cayenne",
    "Ajaccio",
    "Bastia",
    "Mamoudzou",
    "Toulouse",
    "Bordeaux",
]


@dataclass
class Reply:
    status: int = 200
    body: str = "[]"
    content_type: str = "application/json"
    delay: float = 0.0
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Server:
    port: int
    paths: list[str] = field(default_factory=list)

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"


@contextmanager
def local_server(answer: Callable[[str], Reply]) -> Iterator[Server]:
    """An HTTP server on a free local port; `answer(path)` says what to reply."""
    released = threading.Event()
    paths: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            paths.append(self.path)
            reply = answer(self.path)
            if reply.delay:
                released.wait(reply.delay)  # a hanging server, released at shutdown
            body = reply.body.encode("utf-8")
            try:
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)
            except OSError:  # the client gave up (timeout) and closed the connection
                pass

        def log_message(self, format, *args):  # keep the test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield Server(server.server_address[1], paths)
    finally:
        released.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def provider_for(name: str, domain: str, cache_dir: Path, **options) -> OnlineProvider:
    return make_provider(
        name,
        domain=domain,
        scheme="http",
        cache_dir=cache_dir,
        timeout=TIMEOUT,
        min_delay_seconds=0,
        error_wait_seconds=0.05,
        **{"max_retries": MAX_RETRIES} | options,
    )


def run_batch(geocoder, provider: OnlineProvider, names=NAMES) -> tuple[BatchResult, float]:
    started = time.monotonic()
    result = geocode_table(pd.DataFrame({"name": names}), geocoder, provider=provider)
    return result, time.monotonic() - started


# --- faults -------------------------------------------------------------------------------------

FAULTS = {
    "error-500": Reply(500, "Internal Server Error", "text/plain"),
    "throttled-429": Reply(429, "Too Many Requests", "text/plain"),
    "not-json": Reply(200, "<html><body>maintenance</body></html>", "text/html"),
    "json-list-of-numbers": Reply(200, "[1, 2, 3]"),
    "json-without-results": Reply(200, '{"message": "service moved"}'),
    "json-empty-object": Reply(200, "{}"),
    "hangs": Reply(200, "[]", delay=TIMEOUT * 6),
}


# Well-formed JSON of the wrong shape that geopy reads as "no such place" rather than an error:
# geo.geocoding.online caches it and the rows come back not_found instead of answered offline.
@pytest.fixture(scope="module")
def fault_outcomes(geocoder, tmp_path_factory) -> Callable[[str, str], tuple]:
    """(BatchResult, seconds, requests received) per provider and fault, each run once."""
    outcomes: dict[tuple[str, str], tuple] = {}

    def outcome(provider_name: str, fault: str) -> tuple:
        if (provider_name, fault) not in outcomes:
            cache_dir = tmp_path_factory.mktemp(f"{provider_name}-{fault}")
            if fault == "refused":
                provider = provider_for(provider_name, f"127.0.0.1:{free_port()}", cache_dir)
                result, seconds = run_batch(geocoder, provider)
                outcomes[provider_name, fault] = (result, seconds, None)
            else:
                with local_server(lambda path: FAULTS[fault]) as server:
                    provider = provider_for(provider_name, server.domain, cache_dir)
                    result, seconds = run_batch(geocoder, provider)
                    outcomes[provider_name, fault] = (result, seconds, len(server.paths))
        return outcomes[provider_name, fault]

    return outcome


def fault_params(known_bugs: dict[tuple[str, str], str], refused: bool = True) -> list:
    faults = ("refused", *FAULTS) if refused else tuple(FAULTS)
    return [
        pytest.param(
            provider,
            fault,
            id=f"{provider}-{fault}",
            marks=[pytest.mark.xfail(strict=True, reason=known_bugs[provider, fault])]
            if (provider, fault) in known_bugs
            else [],
        )
        for provider in ("nominatim", "ban")
        for fault in faults
    ]


@pytest.mark.parametrize("provider_name, fault", fault_params({}))
def test_a_failing_provider_falls_back_offline_in_bounded_time(
    fault_outcomes, provider_name, fault
):
    result, seconds, _ = fault_outcomes(provider_name, fault)
    assert seconds < HANG_BOUND_SECONDS  # a bound on hanging, not a performance target
    table = result.table
    assert table["name"].tolist() == NAMES
    assert table["geo_source"].tolist() == ["offline"] * len(NAMES)
    assert table["geo_status"].tolist() == ["resolved"] * len(NAMES)
    assert any(provider_name in warning for warning in result.warnings), result.warnings


@pytest.mark.parametrize(
    "provider_name, fault",
    fault_params({}, refused=False),  # refused: nothing listens, nothing to count
)
def test_the_circuit_breaker_stops_calling_a_failing_provider(fault_outcomes, provider_name, fault):
    _, _, requests = fault_outcomes(provider_name, fault)
    failures_to_open = 3
    assert 0 < requests <= failures_to_open * (MAX_RETRIES + 1)
    assert requests < len(NAMES) * (MAX_RETRIES + 1)


def test_an_open_circuit_raises_provider_error_without_calling(tmp_path):
    with local_server(lambda path: FAULTS["error-500"]) as server:
        provider = provider_for("ban", server.domain, tmp_path, failures_to_open=2)
        for query in ("Lyon, France", "Nice, France"):
            with pytest.raises(ProviderError, match="ban failed"):
                provider.lookup(query)
        assert provider.is_open
        calls = len(server.paths)
        with pytest.raises(ProviderError, match="not answering"):
            provider.lookup("Brest, France")
        assert len(server.paths) == calls


@pytest.mark.parametrize(
    "reply, error",
    [
        (Reply(500, "Internal Server Error", "text/plain"), ProviderUnavailable),
        (Reply(200, "[]", delay=TIMEOUT * 6), ProviderUnavailable),
        (Reply(200, "<html>maintenance</html>", "text/html"), ProviderMalformedAnswer),
        (Reply(200, "[1, 2, 3]"), ProviderMalformedAnswer),
        (Reply(200, '[{"lat": "north"}]'), ProviderMalformedAnswer),
    ],
    ids=["error-500", "hangs", "not-json", "json-list-of-numbers", "json-place-without-fields"],
)
def test_each_provider_fault_has_its_error_class(tmp_path, reply, error):
    with local_server(lambda path: reply) as server:
        provider = provider_for("nominatim", server.domain, tmp_path, max_retries=0)
        with pytest.raises(error, match="nominatim failed for 'Lyon, France'"):
            provider.lookup("Lyon, France")
    assert provider.consecutive_failures == 1


def test_a_rate_limited_provider_says_when_to_come_back(tmp_path):
    reply = Reply(429, "Too Many Requests", "text/plain", headers={"Retry-After": "7"})
    with local_server(lambda path: reply) as server:
        provider = provider_for("ban", server.domain, tmp_path, max_retries=0)
        with pytest.raises(ProviderRateLimited) as raised:
            provider.lookup("Lyon, France")
    assert raised.value.retry_after == 7.0


def test_a_refused_connection_is_unavailable(tmp_path):
    provider = provider_for("ban", f"127.0.0.1:{free_port()}", tmp_path, max_retries=0)
    with pytest.raises(ProviderUnavailable):
        provider.lookup("Lyon, France")


class BrokenGeocoder:
    """A provider's geocoder with a bug of ours in it: not a provider fault."""

    def geocode(self, query: str, **options: object) -> None:
        raise TypeError("unexpected keyword argument 'exactly_one'")


def test_a_programming_error_in_a_provider_propagates(geocoder, tmp_path):
    provider = OnlineProvider("broken", BrokenGeocoder(), JsonCache(tmp_path / "cache.json"))
    with pytest.raises(TypeError, match="exactly_one"):
        run_batch(geocoder, provider, ["Lyon", "Nice"])
    assert provider.consecutive_failures == 0  # not counted as the provider being down
    assert not provider.is_open


# --- happy path ---------------------------------------------------------------------------------


def nominatim_reply(path: str) -> Reply:
    query = parse_qs(urlparse(path).query)["q"][0]
    if query.startswith("Roubaix"):
        place = {
            "place_id": 1,
            "lat": "50.6942",
            "lon": "3.1746",
            "display_name": "Roubaix, Nord, Hauts-de-France, France métropolitaine, France",
        }
        return Reply(body=json.dumps([place]))
    if query.startswith("Mamoudzou"):
        place = {"lat": "-12.7806", "lon": "45.2279", "display_name": "Mamoudzou, Mayotte"}
        return Reply(body=json.dumps([place]))
    return Reply(body="[]")


def ban_reply(path: str) -> Reply:
    query = parse_qs(urlparse(path).query)["q"][0]
    features = []
    if query.startswith("12 rue de la Paix"):
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [3.17456, 50.69421]},
                "properties": {
                    "label": "12 Rue de la Paix 59100 Roubaix",
                    "citycode": "59512",
                    "score": 0.93,
                },
            }
        )
    return Reply(body=json.dumps({"type": "FeatureCollection", "features": features}))


@pytest.mark.parametrize(
    "provider_name, reply, name, label, departement, region",
    [
        ("nominatim", nominatim_reply, "Roubaix", "Roubaix, Nord", "59", "32"),
        ("nominatim", nominatim_reply, "Mamoudzou", "Mamoudzou, Mayotte", "976", "06"),
        ("ban", ban_reply, "12 rue de la Paix, Roubaix", "12 Rue de la Paix", "59", "32"),
    ],
)
def test_a_working_provider_answers_then_the_cache_does(
    geocoder, tmp_path, provider_name, reply, name, label, departement, region
):
    names = [name, "Blorptown", name]
    with local_server(reply) as server:
        first, _ = run_batch(geocoder, provider_for(provider_name, server.domain, tmp_path), names)
        requests = len(server.paths)
        second, _ = run_batch(geocoder, provider_for(provider_name, server.domain, tmp_path), names)
        assert len(server.paths) == requests  # the second run never called the server
    assert requests == 2  # identical rows are asked once
    for result, source in ((first, provider_name), (second, "cache")):
        table = result.table
        assert table["geo_status"].tolist() == ["resolved", "not_found", "resolved"]
        assert table["geo_source"].tolist() == [source, "", source]
        assert table.loc[0, "geo_label"].startswith(label)
        assert table.loc[0, "geo_departement"] == departement
        assert table.loc[0, "geo_region"] == region
        assert table.loc[0, "geo_confidence"] == 1.0
        assert result.warnings == []


def test_nominatim_is_asked_for_france_and_its_overseas_only(geocoder, tmp_path):
    with local_server(nominatim_reply) as server:
        run_batch(geocoder, provider_for("nominatim", server.domain, tmp_path), ["Roubaix"])
    (path,) = server.paths
    params = parse_qs(urlparse(path).query)
    assert urlparse(path).path == "/search"
    assert params["q"] == ["Roubaix, France"]
    assert set(params["countrycodes"][0].split(",")) == {"fr", "gp", "mq", "gf", "re", "yt"}


def test_hints_go_into_the_online_query(geocoder, tmp_path):
    table = pd.DataFrame({"name": ["Valence"], "dep": ["Tarn-et-Garonne"]})
    with local_server(ban_reply) as server:
        provider = provider_for("ban", server.domain, tmp_path)
        geocode_table(table, geocoder, departement_column="dep", provider=provider)
    (path,) = server.paths
    assert parse_qs(urlparse(path).query)["q"] == ["Valence, Tarn-et-Garonne, France"]


def test_ban_defaults_to_the_geoplateforme():
    assert DEFAULT_DOMAINS["ban"] == "data.geopf.fr/geocodage"
    assert DEFAULT_DOMAINS["nominatim"] == "nominatim.openstreetmap.org"


def test_ban_provider_targets_the_geoplateforme_search_url(tmp_path):
    provider = make_provider("ban", cache_dir=tmp_path)  # built, never called
    geocoder = provider._geocode.func.__self__
    assert geocoder.geocode_api == "https://data.geopf.fr/geocodage/search"


def test_unknown_provider_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Unknown provider 'google'"):
        make_provider("google", cache_dir=tmp_path)


# --- cache --------------------------------------------------------------------------------------


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", "\x00\x01garbage", ""])
def test_a_corrupt_cache_is_set_aside_with_a_warning(tmp_path, content):
    path = tmp_path / "cache.json"
    path.write_text(content, encoding="utf-8")
    with pytest.warns(UserWarning, match="unreadable"):
        cache = JsonCache(path)
    assert cache.entries == {}
    assert not path.exists()
    (aside,) = tmp_path.glob("cache.json.corrupt-*")
    assert aside.read_text(encoding="utf-8") == content
    cache.put("Lyon, France", {"lat": 45.76, "lon": 4.84, "label": "Lyon", "citycode": ""})
    cache.save()
    assert "Lyon, France" in json.loads(path.read_text(encoding="utf-8"))


def test_a_corrupt_cache_does_not_stop_a_batch(geocoder, tmp_path):
    with local_server(nominatim_reply) as server:
        cache_file = provider_for("nominatim", server.domain, tmp_path).cache.path
        cache_file.write_text("{truncated", encoding="utf-8")
        with pytest.warns(UserWarning, match="set aside"):
            provider = provider_for("nominatim", server.domain, tmp_path)
        result, _ = run_batch(geocoder, provider, ["Roubaix"])
    assert result.table["geo_source"].tolist() == ["nominatim"]
    assert json.loads(cache_file.read_text(encoding="utf-8"))["Roubaix, France"]["lat"] == 50.6942


def test_cache_writes_are_atomic_and_complete(tmp_path):
    path = tmp_path / "sub" / "cache.json"
    cache = JsonCache(path)
    entries = {f"Commune {i}, France": {"lat": 45.0 + i / 1000, "lon": 4.0} for i in range(500)}
    entries["Nulle part, France"] = None
    for key, value in entries.items():
        cache.put(key, value)
    cache.save()
    assert json.loads(path.read_text(encoding="utf-8")) == entries
    assert [p.name for p in path.parent.iterdir()] == ["cache.json"]  # no temporary file left
    reread = JsonCache(path)
    assert "Nulle part, France" in reread and reread.get("Nulle part, France") is None
    assert reread.get("Commune 7, France") == {"lat": 45.007, "lon": 4.0}


def test_saving_an_unchanged_cache_does_not_write(tmp_path):
    path = tmp_path / "cache.json"
    JsonCache(path).save()
    assert not path.exists()
