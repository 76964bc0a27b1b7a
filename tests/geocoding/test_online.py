"""Online providers against real HTTP servers on 127.0.0.1: faults, pace, happy path, cache.

Each server is a `http.server` in a thread on a free port; it records when each request arrives,
so the tests can tell how many calls the circuit breaker let through and how far apart sessions'
requests reach it. Nothing leaves the machine: a name that does not resolve is one that the
system's resolver refuses by itself (it starts with a hyphen), without asking any DNS server.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import pairwise
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.geocoding.batch import BatchResult, geocode_table
from geo.geocoding.cache import AnswerCache
from geo.geocoding.columns import PlaceColumns
from geo.geocoding.errors import (
    ProviderError,
    ProviderMalformedAnswer,
    ProviderRateLimited,
    ProviderUnavailable,
    ProviderUnreachable,
)
from geo.geocoding.online import (
    DEFAULT_DOMAINS,
    PUBLIC_NOMINATIM_CAP,
    OnlineProvider,
    ProviderFault,
    make_provider,
    shared_provider,
)
from geo.geocoding.transport import MAX_ANSWER_BYTES
from geo.texts.i18n import fault_message
from geo.web.harness import free_port

ROOT = Path(__file__).resolve().parents[2]

TIMEOUT = 0.5
MAX_RETRIES = 1
HANG_BOUND_SECONDS = 30.0
BY_NAME = PlaceColumns(name="name")  # the tables below hold their places in "name"
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
    arrivals: list[float] = field(default_factory=list)  # time.monotonic() of each request

    @property
    def domain(self) -> str:
        return f"127.0.0.1:{self.port}"


@contextmanager
def local_server(answer: Callable[[str], Reply]) -> Iterator[Server]:
    """An HTTP server on a free local port; `answer(path)` says what to reply."""
    released = threading.Event()
    paths: list[str] = []
    arrivals: list[float] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            arrivals.append(time.monotonic())
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
        yield Server(server.server_address[1], paths, arrivals)
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
        min_interval_seconds=0,
        error_wait_seconds=0.05,
        **{"max_retries": MAX_RETRIES} | options,
    )


def run_batch(geocoder, provider: OnlineProvider, names=NAMES) -> tuple[BatchResult, float]:
    started = time.monotonic()
    result = geocode_table(pd.DataFrame({"name": names}), geocoder, BY_NAME, provider)
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


FAULT_KINDS = {
    "refused": "unreachable",
    "error-500": "unavailable",
    "throttled-429": "rate_limited",
    "not-json": "malformed",
    "json-list-of-numbers": "malformed",
    "json-without-results": "malformed",
    "json-empty-object": "malformed",
    "hangs": "unavailable",
}


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
    assert result.warnings == []
    (met,) = result.provider_faults  # one line for the whole outage, not one per row
    assert (met.kind, met.provider) == (FAULT_KINDS[fault], provider_name)
    assert met.names_offline == len(NAMES)


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
        with pytest.raises(ProviderRateLimited) as again:  # held back: the server is not asked
            provider.lookup("Nice, France")
        assert len(server.paths) == 1
    assert 5.0 < again.value.retry_after <= 7.0


def test_a_short_retry_after_is_waited_out_then_the_answer_comes(geocoder, tmp_path):
    def throttled_once(path: str) -> Reply:
        if len(server.paths) == 1:
            return Reply(429, "Too Many Requests", "text/plain", headers={"Retry-After": "1"})
        return nominatim_reply(path)

    with local_server(throttled_once) as server:
        provider = provider_for("nominatim", server.domain, tmp_path)
        result, _ = run_batch(geocoder, provider, ["Roubaix"])
    assert result.table["geo_source"].tolist() == ["nominatim"]
    assert result.provider_faults == []
    first, second = server.arrivals
    assert second - first >= 1.0


@pytest.mark.parametrize(
    "domain",
    [lambda: f"127.0.0.1:{free_port()}", lambda: "-no-such-host.invalid"],
    ids=["connection-refused", "name-does-not-resolve"],
)
def test_an_unreachable_provider_opens_the_circuit_at_once(tmp_path, domain):
    provider = provider_for("ban", domain(), tmp_path, max_retries=3)
    with pytest.raises(ProviderUnreachable):
        provider.lookup("Lyon, France")
    assert provider.is_open
    with pytest.raises(ProviderUnreachable, match="not answering"):
        provider.lookup("Nice, France")


def test_an_unreachable_provider_is_one_line_and_falls_back_quickly(geocoder, tmp_path, caplog):
    provider = provider_for("nominatim", f"127.0.0.1:{free_port()}", tmp_path, max_retries=2)
    with caplog.at_level(logging.DEBUG):
        result, seconds = run_batch(geocoder, provider)
    assert seconds < 6.0
    assert result.table["geo_source"].tolist() == ["offline"] * len(NAMES)
    (fault,) = result.provider_faults
    assert fault_message(fault, "fr").startswith("Géocodeur Nominatim injoignable")
    assert fault_message(fault, "en").count("\n") == 0
    assert [r for r in caplog.records if r.levelno >= logging.WARNING or r.exc_info] == []


def geocode_on_the_command_line(tmp_path: Path, *options: str) -> subprocess.CompletedProcess:
    places = tmp_path / "places.csv"
    places.write_text("name\n" + "\n".join(NAMES) + "\n", encoding="utf-8")
    """`python -m geo geocode` of NAMES, the place column named (so that stderr holds only
    the run's warnings), with `options`."""
    return subprocess.run(
        [sys.executable, "-m", "geo", "geocode", str(places), "--name", "name", *options],
        cwd=ROOT,
        env=os.environ | {"CARTE_ESS_CACHE_DIR": str(tmp_path / "cache")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_command_line_says_an_outage_in_one_line(tmp_path):
    options = ["--provider", "nominatim", "--domain", f"127.0.0.1:{free_port()}"]
    run = geocode_on_the_command_line(tmp_path, *options, "--scheme", "http")
    assert run.returncode == 0, run.stderr
    assert run.stderr.splitlines() == [
        f"warning: Nominatim geocoder unreachable (connection refused or unknown address): "
        f"{len(NAMES)} name(s) geocoded offline."
    ]
    assert run.stdout.count(",offline") == len(NAMES)


class BrokenGeocoder:
    """A provider's geocoder with a bug of ours in it: not a provider fault."""

    def geocode(self, query: str, **options: object) -> None:
        raise TypeError("unexpected keyword argument 'exactly_one'")


def test_a_programming_error_in_a_provider_propagates(geocoder, tmp_path):
    cache = AnswerCache(tmp_path / "answers.sqlite3", "broken", "http://nowhere")
    provider = OnlineProvider("broken", BrokenGeocoder(), cache)
    with pytest.raises(TypeError, match="exactly_one"):
        run_batch(geocoder, provider, ["Lyon", "Nice"])
    assert provider.consecutive_failures == 0  # not counted as the provider being down
    assert not provider.is_open


@pytest.mark.parametrize("kind", ["unreachable", "unavailable", "rate_limited", "malformed"])
@pytest.mark.parametrize("retry_after", [None, 42.0])
def test_every_fault_is_one_line_in_both_languages(kind, retry_after):
    fault = ProviderFault(kind, "ban", names_offline=3, retry_after=retry_after)
    french, english = fault_message(fault, "fr"), fault_message(fault, "en")
    assert french != english
    for line in (french, english):
        assert "\n" not in line and "3" in line and "{" not in line
        assert ("42 s" in line) == (kind == "rate_limited" and retry_after is not None)
    assert "Géoplateforme IGN" in french and "IGN Géoplateforme" in english


# --- one pace for every session -------------------------------------------------------------------


def test_two_sessions_share_one_pace_of_one_request_a_second(geocoder, tmp_path):
    sessions = [["Roubaix", "Lyon", "Nice"], ["Mamoudzou", "Brest", "Rennes"]]
    results: list[BatchResult] = []
    with local_server(nominatim_reply) as server:

        def session(names: list[str]) -> None:
            provider = shared_provider(
                "nominatim", server.domain, "http", cache_dir=tmp_path, min_interval_seconds=1.0
            )
            results.append(run_batch(geocoder, provider, names)[0])

        threads = [threading.Thread(target=session, args=(names,)) for names in sessions]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=HANG_BOUND_SECONDS)
    assert len(results) == 2 and len(server.arrivals) == 6
    gaps = [later - earlier for earlier, later in pairwise(server.arrivals)]
    assert min(gaps) >= 1.0, gaps
    asked = {parse_qs(urlparse(path).query)["q"][0].split(",")[0] for path in server.paths}
    assert asked == {name for names in sessions for name in names}  # both sessions went out


def test_two_sessions_asking_the_same_names_send_each_once(geocoder, tmp_path):
    names = ["Roubaix", "Mamoudzou", "Lyon"]
    with local_server(nominatim_reply) as server:
        provider = shared_provider(
            "nominatim", server.domain, "http", cache_dir=tmp_path, min_interval_seconds=0.2
        )
        threads = [
            threading.Thread(target=run_batch, args=(geocoder, provider, names)) for _ in range(2)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=HANG_BOUND_SECONDS)
    assert sorted(server.paths) == sorted(set(server.paths)) and len(server.paths) == 3


def test_the_shared_provider_is_one_per_endpoint(tmp_path):
    first = shared_provider("ban", "127.0.0.1:9", "http", cache_dir=tmp_path)
    assert shared_provider("ban", "127.0.0.1:9", "http", cache_dir=tmp_path) is first
    assert shared_provider("ban", "127.0.0.1:10", "http", cache_dir=tmp_path) is not first
    assert shared_provider("nominatim", "127.0.0.1:9", "http", cache_dir=tmp_path) is not first


# --- bulk use -------------------------------------------------------------------------------------


def test_the_public_nominatim_is_capped_and_paced_other_servers_are_not(tmp_path):
    public = make_provider("nominatim", cache_dir=tmp_path)  # built, never called
    assert (public.run_cap, public.min_interval_seconds) == (PUBLIC_NOMINATIM_CAP, 1.0)
    assert public.expected_seconds(10_000) == PUBLIC_NOMINATIM_CAP
    own = make_provider("nominatim", "nominatim.example.org", cache_dir=tmp_path)
    address_api = make_provider("ban", cache_dir=tmp_path)
    assert own.run_cap is None and address_api.run_cap is None
    assert own.min_interval_seconds < 1.0 and address_api.min_interval_seconds < 1.0


def test_a_capped_run_answers_the_rest_offline_or_from_the_cache(geocoder, tmp_path):
    names = ["Roubaix", "Mamoudzou", "Lyon", "Nice"]
    with local_server(nominatim_reply) as server:
        run_batch(geocoder, provider_for("nominatim", server.domain, tmp_path), ["Lyon"])
        provider = provider_for("nominatim", server.domain, tmp_path, run_cap=2)
        result, _ = run_batch(geocoder, provider, names)
    assert len(server.paths) == 3  # Lyon before, then the two names the cap allows
    assert result.table["geo_source"].tolist() == ["nominatim", "nominatim", "", "offline"]
    assert result.table["geo_status"].tolist() == ["resolved", "resolved", "not_found", "resolved"]
    (fault,) = result.provider_faults
    assert (fault.kind, fault.cap, fault.names_offline) == ("capped", 2, 1)
    assert "--domain" in fault_message(fault, "en") and "2" in fault_message(fault, "fr")


# --- an interrupted run keeps its answers ---------------------------------------------------------


class Rerun(BaseException):
    """What Streamlit raises in the script thread when a widget changes (a BaseException)."""


def test_an_interrupted_batch_keeps_every_answer_it_fetched(geocoder, tmp_path):
    names = [f"Commune {i}" for i in range(60)]
    stop_after = 25

    def progress(done: int, total: int) -> None:
        if done >= stop_after:
            raise Rerun

    table = pd.DataFrame({"name": names})
    with local_server(lambda path: Reply(body="[]")) as server:
        provider = provider_for("nominatim", server.domain, tmp_path)
        with pytest.raises(Rerun):
            geocode_table(table, geocoder, BY_NAME, provider, progress)
        fetched = len(server.paths)
        again = provider_for("nominatim", server.domain, tmp_path)  # a new process's view
        assert fetched >= stop_after
        assert all(f"{name}, France" in again.cache for name in names[:fetched])
        assert f"{names[fetched]}, France" not in again.cache
        geocode_table(table, geocoder, BY_NAME, again)
        assert len(server.paths) == len(names)  # the second run asked only for the rest


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
        assert result.warnings == [] and result.provider_faults == []


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
        geocode_table(table, geocoder, PlaceColumns(name="name", departement="dep"), provider)
    (path,) = server.paths
    assert parse_qs(urlparse(path).query)["q"] == ["Valence, Tarn-et-Garonne, France"]


def test_ban_defaults_to_the_geoplateforme():
    assert DEFAULT_DOMAINS["ban"] == "data.geopf.fr/geocodage"
    assert DEFAULT_DOMAINS["nominatim"] == "nominatim.openstreetmap.org"


def test_ban_provider_targets_the_geoplateforme_search_url(tmp_path):
    provider = make_provider("ban", cache_dir=tmp_path)  # built, never called
    assert provider.geocoder.geocode_api == "https://data.geopf.fr/geocodage/search"


def test_unknown_provider_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Unknown provider 'google'"):
        make_provider("google", cache_dir=tmp_path)


# --- cache ----------------------------------------------------------------------------------------

LYON = {"lat": 45.76, "lon": 4.84, "label": "Lyon", "citycode": "69123"}


def test_answers_are_kept_per_provider_endpoint_and_query(tmp_path):
    path = tmp_path / "answers.sqlite3"
    public = AnswerCache(path, "nominatim", "https://nominatim.openstreetmap.org")
    public.put("Lyon, France", LYON)
    public.put("Nulle part, France", None)
    own = AnswerCache(path, "nominatim", "http://127.0.0.1:8080")
    ban = AnswerCache(path, "ban", "https://nominatim.openstreetmap.org")
    assert own.get("Lyon, France") == (False, None)
    assert ban.get("Lyon, France") == (False, None)
    reread = AnswerCache(path, "nominatim", "https://nominatim.openstreetmap.org")
    assert reread.get("Lyon, France") == (True, LYON)
    assert reread.get("Nulle part, France") == (True, None)  # "no such place" is an answer too


WRITER = """
import sys
from pathlib import Path
from geo.geocoding.cache import AnswerCache
cache = AnswerCache(Path(sys.argv[1]), "nominatim", "http://127.0.0.1:1")
for i in range(int(sys.argv[3])):
    assert cache.put(f"{sys.argv[2]} {i}, France", {"lat": 45.0, "lon": i, "label": "", "citycode": ""})
"""


def test_two_processes_writing_at_once_lose_no_answer(tmp_path):
    path, count = tmp_path / "answers.sqlite3", 60
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), who, str(count)], cwd=ROOT)
        for who in ("first", "second")
    ]
    assert [writer.wait(timeout=120) for writer in writers] == [0, 0]
    cache = AnswerCache(path, "nominatim", "http://127.0.0.1:1")
    for who in ("first", "second"):
        assert all(cache.get(f"{who} {i}, France")[0] for i in range(count))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.sqlite3"]


def test_a_failed_cache_write_leaves_no_file_behind_and_the_batch_goes_on(
    geocoder, tmp_path, caplog
):
    path = tmp_path / "answers.sqlite3"
    with local_server(nominatim_reply) as server:
        provider = provider_for("nominatim", server.domain, tmp_path)
        provider.cache.busy_timeout = 0.1
        provider.cache._db.execute("PRAGMA busy_timeout = 100")
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process is writing, for too long
        other.execute("INSERT INTO answers VALUES ('x', 'y', 'z', NULL, 0)")
        try:
            with caplog.at_level(logging.WARNING):
                result, _ = run_batch(geocoder, provider, ["Roubaix", "Mamoudzou"])
        finally:
            other.execute("ROLLBACK")
            other.close()
    assert result.table["geo_source"].tolist() == ["nominatim", "nominatim"]
    assert [r.getMessage().count("could not be saved") for r in caplog.records] == [1]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["answers.sqlite3"]
    assert "Roubaix, France" not in AnswerCache(path, "nominatim", provider.cache.endpoint)


@pytest.mark.parametrize("content", [b"{not json", b"\x00\x01garbage" * 100, b"SQLite format 3"])
def test_a_corrupt_cache_is_set_aside_with_a_warning(tmp_path, content):
    path = tmp_path / "answers.sqlite3"
    path.write_bytes(content)
    with pytest.warns(UserWarning, match="unreadable"):
        cache = AnswerCache(path, "ban", "https://data.geopf.fr/geocodage")
    (aside,) = tmp_path.glob("answers.sqlite3.corrupt-*")
    assert aside.read_bytes() == content
    assert cache.put("Lyon, France", LYON)
    assert AnswerCache(path, "ban", "https://data.geopf.fr/geocodage").get("Lyon, France")[0]


def test_a_corrupt_cache_does_not_stop_a_batch(geocoder, tmp_path):
    with local_server(nominatim_reply) as server:
        cache_file = provider_for("nominatim", server.domain, tmp_path).cache.path
        cache_file.write_bytes(b"{truncated" * 50)
        with pytest.warns(UserWarning, match="set aside"):
            provider = provider_for("nominatim", server.domain, tmp_path)
        result, _ = run_batch(geocoder, provider, ["Roubaix"])
    assert result.table["geo_source"].tolist() == ["nominatim"]
    assert provider.cache.get("Roubaix, France")[1]["lat"] == 50.6942


def test_an_unusable_cache_folder_keeps_answers_in_memory(tmp_path, caplog):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        cache = AnswerCache(blocker / "answers.sqlite3", "ban", "https://data.geopf.fr/geocodage")
    assert cache.put("Lyon, France", LYON) and cache.get("Lyon, France") == (True, LYON)
    assert len(caplog.records) == 1 and "in memory" in caplog.records[0].getMessage()


# --- the page -------------------------------------------------------------------------------------


def ma_liste_with(provider: str, monkeypatch, tmp_path, lang: str = "fr") -> AppTest:
    """The page with a three-name list uploaded and `provider` picked, not yet geocoded."""
    monkeypatch.setenv("CARTE_ESS_CACHE_DIR", str(tmp_path))
    app = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    app.query_params["lang"] = lang
    app.run()
    app.session_state[f"tab_{lang}"] = "Ma liste" if lang == "fr" else "My list"
    app.run()
    app.file_uploader(key="upload").upload("l.csv", b"nom\nLyon\nNice\nBrest\n", "text/csv").run()
    app.radio(key="up_provider").set_value(provider).run()
    return app


def test_the_page_says_an_outage_in_one_line_in_french(monkeypatch, tmp_path):
    monkeypatch.setenv("CARTE_ESS_NOMINATIM_DOMAIN", f"127.0.0.1:{free_port()}")
    monkeypatch.setenv("CARTE_ESS_NOMINATIM_SCHEME", "http")
    app = ma_liste_with("nominatim", monkeypatch, tmp_path)
    assert not [i for i in app.info if "500" in i.value]  # an operator's own server: no cap
    next(b for b in app.button if b.label == "Géocoder la liste").click().run()
    assert not app.exception
    outage = [w.value for w in app.warning if "injoignable" in w.value]
    assert outage == ["Géocodeur Nominatim injoignable (connexion refusée ou adresse inconnue) : "
                      "3 nom(s) géocodé(s) hors ligne."]  # fmt: skip
    table = app.session_state["mylist"][1].table
    assert table["geo_source"].tolist() == ["offline"] * 3


def test_the_page_states_the_public_nominatim_cap_before_a_run(monkeypatch, tmp_path):
    monkeypatch.delenv("CARTE_ESS_NOMINATIM_DOMAIN", raising=False)
    app = ma_liste_with("nominatim", monkeypatch, tmp_path, lang="en")
    (note,) = [i.value for i in app.info if "public Nominatim" in i.value]
    assert f"at most {PUBLIC_NOMINATIM_CAP} new names" in note and "--domain" in note
    assert any("about 1 min" in w.value for w in app.warning)  # 3 names at one a second


# --- faults of the answer and of the transport (issue 24) -----------------------------------------

UNKNOWN_CHARSET = Reply(200, "[]", "application/json; charset=x-no-such-charset")


def test_an_answer_in_an_unknown_charset_is_a_malformed_answer(tmp_path):
    with local_server(lambda path: UNKNOWN_CHARSET) as server:
        provider = provider_for("nominatim", server.domain, tmp_path, max_retries=0)
        with pytest.raises(ProviderMalformedAnswer, match="x-no-such-charset"):
            provider.lookup("Lyon, France")


@pytest.mark.parametrize("provider_name", ["nominatim", "ban"])
def test_an_unknown_charset_costs_no_row(geocoder, tmp_path, provider_name):
    with local_server(lambda path: UNKNOWN_CHARSET) as server:
        result, _ = run_batch(geocoder, provider_for(provider_name, server.domain, tmp_path))
    table = result.table
    assert table["name"].tolist() == NAMES
    assert table["geo_status"].tolist() == ["resolved"] * len(NAMES)
    assert table["geo_source"].tolist() == ["offline"] * len(NAMES)
    (fault,) = result.provider_faults
    assert (fault.kind, fault.names_offline) == ("malformed", len(NAMES))


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, "[" * 100_000 + "]" * 100_000),  # deeper than the JSON parser goes
        Reply(200, "[\xe9]", "application/json; charset=ascii"),  # not in its charset
        Reply(200, json.dumps([{"lat": "nan", "lon": "3.1", "display_name": "Nulle part"}])),
        Reply(200, json.dumps([{"lat": "1e9", "lon": "3.1", "display_name": "Nulle part"}])),
    ],
    ids=["nested-json", "bytes-outside-its-charset", "nan-latitude", "latitude-off-the-globe"],
)
def test_any_decoding_or_parsing_fault_is_a_malformed_answer(tmp_path, reply):
    with local_server(lambda path: reply) as server:
        provider = provider_for("nominatim", server.domain, tmp_path, max_retries=0)
        with pytest.raises(ProviderMalformedAnswer):
            provider.lookup("Lyon, France")
    assert "Lyon, France" not in provider.cache


def test_the_command_line_gives_every_row_back_after_an_unknown_charset(tmp_path):
    with local_server(lambda path: UNKNOWN_CHARSET) as server:
        options = ["--provider", "nominatim", "--domain", server.domain, "--scheme", "http"]
        run = geocode_on_the_command_line(tmp_path, *options)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stderr.splitlines() == [
        f"warning: Nominatim geocoder: unreadable answer (is this geocoder really at that "
        f"address?): {len(NAMES)} name(s) geocoded offline."
    ]
    assert run.stdout.count(",offline") == len(NAMES)


def test_the_page_gives_every_row_back_after_an_unknown_charset(monkeypatch, tmp_path):
    with local_server(lambda path: UNKNOWN_CHARSET) as server:
        monkeypatch.setenv("CARTE_ESS_NOMINATIM_DOMAIN", server.domain)
        monkeypatch.setenv("CARTE_ESS_NOMINATIM_SCHEME", "http")
        app = ma_liste_with("nominatim", monkeypatch, tmp_path, lang="en")
        next(b for b in app.button if b.label == "Geocode the list").click().run()
    assert not app.exception
    assert [w.value for w in app.warning if "unreadable answer" in w.value] == [
        "Nominatim geocoder: unreadable answer (is this geocoder really at that address?): "
        "3 name(s) geocoded offline."
    ]
    table = app.session_state["mylist"][1].table
    assert table["geo_source"].tolist() == ["offline"] * 3
    assert table["geo_status"].tolist() == ["resolved"] * 3


def damage_pages(path: Path) -> None:
    """Overwrite the start of every page but the first (the schema's): the file still opens,
    and a read of the answers meets "database disk image is malformed"."""
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # SQLite's default page size
        data[offset : offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))


def damaged_cache(tmp_path: Path, endpoint: str) -> Path:
    """A cache that holds answers for 300 names (20 of them NAMES), then damaged."""
    path = tmp_path / "answers.sqlite3"
    cache = AnswerCache(path, "nominatim", endpoint)
    for name in [*NAMES, *(f"Commune {i}" for i in range(280))]:
        cache.put(f"{name}, France", {"lat": 45.0, "lon": 4.0, "label": name, "citycode": ""})
    cache.close()
    damage_pages(path)
    with pytest.raises(sqlite3.DatabaseError, match="malformed"):
        sqlite3.connect(path).execute("SELECT count(*) FROM answers").fetchone()
    return path


def every_place(path: str) -> Reply:
    """Nominatim that finds every name (in Lyon), so that each row shows who answered it."""
    query = parse_qs(urlparse(path).query)["q"][0]
    return Reply(body=json.dumps([{"lat": "45.76", "lon": "4.84", "display_name": query}]))


def test_a_cache_with_damaged_pages_is_set_aside_and_costs_no_row(geocoder, tmp_path):
    with local_server(every_place) as server:
        path = damaged_cache(tmp_path, f"http://{server.domain}")
        damaged = path.read_bytes()
        provider = provider_for("nominatim", server.domain, tmp_path)  # opens without a fault
        with pytest.warns(UserWarning, match="set aside"):
            result, _ = run_batch(geocoder, provider)
        assert len(server.paths) == len(NAMES)  # nothing could be read: every name asked again
    table = result.table
    assert table["name"].tolist() == NAMES
    assert table["geo_status"].tolist() == ["resolved"] * len(NAMES)
    assert table["geo_source"].tolist() == ["nominatim"] * len(NAMES)
    assert result.provider_faults == []
    (aside,) = tmp_path.glob("answers.sqlite3.corrupt-*")
    assert aside.read_bytes() == damaged  # kept for a look, not deleted
    fresh = AnswerCache(path, "nominatim", f"http://{server.domain}")
    assert all(fresh.get(f"{name}, France")[0] for name in NAMES)  # the new file keeps them


@pytest.mark.parametrize(
    "stored", ['{"lat": "north", "lon": 4.8, "label": "Lyon"}', "[45.7, 4.8]", '{"lat": 45.7', "7"]
)
def test_a_damaged_answer_in_the_cache_is_asked_again(geocoder, tmp_path, stored):
    with local_server(every_place) as server:
        provider = provider_for("nominatim", server.domain, tmp_path)
        row = ("nominatim", provider.cache.endpoint, "Lyon, France", stored, 0.0)
        provider.cache._db.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?)", row)
        assert provider.cached("Lyon, France") == (False, None)
        result, _ = run_batch(geocoder, provider, ["Lyon"])
    assert result.table["geo_source"].tolist() == ["nominatim"]
    assert len(server.paths) == 1


def test_a_cache_found_damaged_by_a_write_is_set_aside(tmp_path):
    damaged_cache(tmp_path, "http://127.0.0.1:1")
    cache = AnswerCache(tmp_path / "answers.sqlite3", "nominatim", "http://127.0.0.1:1")
    with pytest.warns(UserWarning, match="set aside"):
        assert cache.put("Lyon, France", LYON)  # into a new file
    assert cache.get("Lyon, France") == (True, LYON)
    assert len(list(tmp_path.glob("answers.sqlite3.corrupt-*"))) == 1


def test_the_command_line_gives_every_row_back_with_a_damaged_cache(tmp_path):
    with local_server(every_place) as server:
        damaged_cache(tmp_path / "cache", f"http://{server.domain}")
        options = ["--provider", "nominatim", "--domain", server.domain, "--scheme", "http"]
        run = geocode_on_the_command_line(tmp_path, *options)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr and "set aside" in run.stderr
    rows = run.stdout.splitlines()[1:]
    assert [row.split(",")[0] for row in rows] == NAMES
    assert [row.split(",")[1] for row in rows] == ["resolved"] * len(NAMES)
    assert run.stdout.count(",nominatim,") == len(NAMES)


@contextmanager
def trickling_server(head: bytes, body: bytes, every: float) -> Iterator[Server]:
    """A server on 127.0.0.1 that sends `head` then `body` one byte every `every` seconds:
    each socket read gets data in time, so only a total deadline stops the client."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    server = Server(listener.getsockname()[1])

    def trickle(connection: socket.socket) -> None:
        with connection:
            connection.recv(65536)
            server.arrivals.append(time.monotonic())
            try:
                for byte in [head[i : i + 1] for i in range(len(head))] + [
                    body[i : i + 1] for i in range(len(body))
                ]:
                    if stop.wait(every):
                        return
                    connection.sendall(byte)
            except OSError:  # the client gave up and closed
                return

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=trickle, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()


ANSWER = json.dumps([{"lat": "50.69", "lon": "3.17", "display_name": "Roubaix"}]).encode()
HEAD = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(
    ANSWER
)


@pytest.mark.parametrize(
    "head, body",
    [(HEAD[:2], b""), (HEAD, ANSWER)],  # the status line trickles, or the whole answer
    ids=["trickled-headers", "trickled-body"],
)
def test_a_trickling_server_is_cut_off_at_the_deadline(tmp_path, head, body):
    every = TIMEOUT / 5  # five bytes per deadline: no socket read ever waits TIMEOUT
    with trickling_server(head if body else HEAD, body or ANSWER, every) as server:
        provider = provider_for("nominatim", server.domain, tmp_path, max_retries=0)
        started = time.monotonic()
        with pytest.raises(ProviderUnavailable, match=f"within {TIMEOUT:g} s"):
            provider.lookup("Roubaix, France")
        seconds = time.monotonic() - started
    whole = (len(HEAD) + len(ANSWER)) * every
    assert whole > 20 * TIMEOUT  # what a per-read timeout would have waited
    assert TIMEOUT <= seconds < TIMEOUT + 0.5, seconds


def test_a_trickling_server_costs_no_row_and_a_bounded_time(geocoder, tmp_path):
    with trickling_server(HEAD, ANSWER, TIMEOUT / 5) as server:
        result, seconds = run_batch(geocoder, provider_for("nominatim", server.domain, tmp_path))
        requests = len(server.arrivals)
    assert result.table["geo_source"].tolist() == ["offline"] * len(NAMES)
    (fault,) = result.provider_faults
    assert (fault.kind, fault.names_offline) == ("unavailable", len(NAMES))
    assert seconds < requests * TIMEOUT + 3.0, (seconds, requests)  # each request its deadline


@pytest.mark.parametrize(
    "reply",
    [
        Reply(200, "[" + ", ".join(['{"lat": "45.0", "lon": "4.0"}'] * 40_000) + "]"),
        Reply(200, json.dumps([{"lat": "45.0", "lon": "4.0", "display_name": "x" * 1_200_000}])),
    ],
    ids=["many-places", "one-huge-name"],
)
def test_an_answer_over_the_size_cap_is_refused(tmp_path, reply):
    assert len(reply.body) > MAX_ANSWER_BYTES
    with local_server(lambda path: reply) as server:
        provider = provider_for("nominatim", server.domain, tmp_path, max_retries=0)
        with pytest.raises(ProviderMalformedAnswer, match="accepted"):
            provider.lookup("Lyon, France")


def test_an_answer_without_length_over_the_cap_is_cut_while_reading(tmp_path):
    head = b"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n\r\n"  # body until close
    listener = socket.create_server(("127.0.0.1", 0))
    sent: list[int] = []

    def flood() -> None:
        connection, _ = listener.accept()
        with connection:
            connection.recv(65536)
            connection.sendall(head)
            with contextlib.suppress(OSError):  # the client stops reading past the cap
                for _ in range(100):
                    connection.sendall(b" " * 65536)
                    sent.append(65536)

    thread = threading.Thread(target=flood, daemon=True)
    thread.start()
    try:
        provider = provider_for(
            "nominatim", f"127.0.0.1:{listener.getsockname()[1]}", tmp_path, max_retries=0
        )
        with pytest.raises(ProviderMalformedAnswer, match="accepted"):
            provider.lookup("Lyon, France")
    finally:
        thread.join(timeout=10)
        listener.close()
    assert sum(sent) < 100 * 65536  # the 6.5 MB were never all read


def test_a_redirect_to_another_host_is_not_followed_nor_cached(geocoder, tmp_path):
    with local_server(nominatim_reply) as elsewhere:
        moved = f"http://localhost:{elsewhere.port}/search"  # another host name

        def redirect(path: str) -> Reply:
            return Reply(302, "", "text/plain", headers={"Location": moved + path[7:]})

        with local_server(redirect) as server:
            provider = provider_for("nominatim", server.domain, tmp_path)
            result, _ = run_batch(geocoder, provider, ["Roubaix"])
    assert elsewhere.paths == []  # never asked
    assert result.table["geo_source"].tolist() == ["offline"]
    (fault,) = result.provider_faults
    assert fault.kind == "malformed" and "another host" in fault.detail
    assert "Roubaix, France" not in provider.cache


def test_a_redirect_on_the_same_host_is_followed(geocoder, tmp_path):
    def moved(path: str) -> Reply:
        if path.startswith("/search"):
            return Reply(301, "", "text/plain", headers={"Location": "/v2" + path})
        return nominatim_reply(path.removeprefix("/v2"))

    with local_server(moved) as server:
        result, _ = run_batch(
            geocoder, provider_for("nominatim", server.domain, tmp_path), ["Roubaix"]
        )
    assert [path.split("?")[0] for path in server.paths] == ["/search", "/v2/search"]
    assert result.table["geo_source"].tolist() == ["nominatim"]


def test_the_gate_is_not_held_while_a_session_waits_for_a_slow_answer(geocoder, tmp_path):
    slow_seconds = 3.0
    answered: dict[str, float] = {}

    def reply(path: str) -> Reply:
        if parse_qs(urlparse(path).query)["q"][0].startswith("Lyon"):
            return Reply(body="[]", delay=slow_seconds)
        return nominatim_reply(path)

    with local_server(reply) as server:

        def session(name: str) -> None:
            provider = shared_provider(
                "nominatim",
                server.domain,
                "http",
                cache_dir=tmp_path,
                timeout=slow_seconds * 2,
                min_interval_seconds=0.2,
            )
            run_batch(geocoder, provider, [name])
            answered[name] = time.monotonic()

        started = time.monotonic()
        slow = threading.Thread(target=session, args=("Lyon",))
        slow.start()
        while not server.arrivals:  # the slow request is under way
            time.sleep(0.01)
        quick = threading.Thread(target=session, args=("Roubaix",))
        quick.start()
        for thread in (slow, quick):
            thread.join(timeout=HANG_BOUND_SECONDS)
    assert len(server.arrivals) == 2
    assert server.arrivals[1] - server.arrivals[0] < 1.0  # sent at its turn, not after Lyon's
    assert answered["Roubaix"] - started < 1.5
    assert answered["Lyon"] - started >= slow_seconds
    assert answered["Roubaix"] < answered["Lyon"]
