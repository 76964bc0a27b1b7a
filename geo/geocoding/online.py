"""Opt-in online geocoders (Nominatim, the French address API), made safe to use in a batch.

Each provider is a plain geopy geocoder behind:
- one request gate per server process and endpoint (geo.geocoding.gate), shared by every session
  through `shared_provider()`: Nominatim's limit of one request a second is per application, so
  two visitors must not double it. geopy's RateLimiter is not used: it logs every retry with a
  traceback, and each instance has its own clock;
- one cache per endpoint in a SQLite file that processes share, written answer by answer
  (geo.geocoding.cache): an interrupted batch keeps what it fetched;
- fault classes: a refused connection or a name that does not resolve opens the circuit at once;
  a 429 holds every request back for its Retry-After; 5xx and timeouts are retried once; an
  answer of the wrong shape, size or charset is a fault, never "no such place"; anything else
  is a bug and propagates;
- a transport of ours (geo.geocoding.transport) under geopy's adapter seam: a total deadline
  per request, a size cap, redirects on the same host only;
- a cap per run on the public Nominatim server, whose policy discourages bulk geocoding.

geopy's adapters are not used as they are: its requests adapter retries timed-out calls twice
more on its own, and its urllib adapter has no total deadline. geopy 2.5's BANFrance still defaults to api-adresse.data.gouv.fr, retired in
early 2026; the service now lives on IGN's Géoplateforme at data.geopf.fr/geocodage, our default.
"""

from __future__ import annotations

import math
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from geopy.exc import GeocoderParseError, GeocoderRateLimited, GeocoderServiceError
from geopy.geocoders import BANFrance, Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.geocoding import errors
from geo.geocoding.cache import CACHE_FILE_NAME, AnswerCache
from geo.geocoding.gate import RequestGate
from geo.geocoding.paths import cache_dir as cache_folder
from geo.geocoding.transport import CrossHostRedirect, SafeURLLibAdapter, Unreachable

PROVIDERS = ("nominatim", "ban")
DEFAULT_DOMAINS = {"nominatim": "nominatim.openstreetmap.org", "ban": "data.geopf.fr/geocodage"}
# Metropolitan France and the five overseas départements, which OSM files under their own codes.
FRENCH_COUNTRY_CODES = ["fr", "gp", "mq", "gf", "re", "yt"]
NOMINATIM_USER_AGENT = "carte-ess-french-impact/0.1 (+https://github.com/carte-ess)"
ONLINE_TIMEOUT_SECONDS = 5.0
# The public Nominatim server allows one request a second per application; the Géoplateforme
# documents 50 a second, of which we use a fifth; a server of one's own (--domain) gets the same.
PUBLIC_NOMINATIM_INTERVAL_SECONDS = 1.0
OTHER_INTERVAL_SECONDS = 0.1
# New names one run may send to the public Nominatim server: about 8 minutes at one a second.
# Its usage policy discourages bulk geocoding; for more, use the Géoplateforme or --domain.
PUBLIC_NOMINATIM_CAP = 500
# A 429 whose Retry-After is this short is waited out; a longer one sends the run offline.
MAX_RETRY_WAIT_SECONDS = 10.0


class StrictNominatim(Nominatim):
    """Nominatim that calls a malformed answer an error, not "no such place".

    geopy reads an empty object as no result; a search always answers a JSON list, so anything
    else means the server is broken or is not Nominatim, and the row must fall back offline.
    """

    def _parse_json(self, places, exactly_one):
        if not isinstance(places, list) or not all(isinstance(p, dict) for p in places):
            raise GeocoderParseError("Nominatim's answer is not a list of places")
        return _parsed(super()._parse_json, places, exactly_one)


class StrictBANFrance(BANFrance):
    """The address API, with a malformed answer (no "features" list) reported as an error."""

    def _parse_json(self, response, exactly_one):
        features = response.get("features") if isinstance(response, dict) else None
        if not isinstance(features, list) or not all(isinstance(f, dict) for f in features):
            raise GeocoderParseError("the address API answer has no 'features' list")
        return _parsed(super()._parse_json, response, exactly_one)


def _parsed(parse: Callable, answer: object, exactly_one: bool):
    """geopy's parse of an answer of the right outer shape; a missing or mistyped field inside
    it is a malformed answer too (GeocoderParseError), not a bug of ours."""
    try:
        return parse(answer, exactly_one)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise GeocoderParseError(f"malformed answer: {type(err).__name__}: {err}") from err


def provider_error(name: str, query: str, err: GeocoderServiceError) -> errors.ProviderError:
    """The ProviderError subclass for a geopy service error (rate limit, bad answer, outage)."""
    message = f"{name} failed for {query!r}: {err}"
    if isinstance(err, GeocoderRateLimited):
        return errors.ProviderRateLimited(message, retry_after=err.retry_after)
    if isinstance(err, GeocoderParseError | CrossHostRedirect):  # not this API's answer
        return errors.ProviderMalformedAnswer(message)
    if isinstance(err, Unreachable):
        return errors.ProviderUnreachable(message)
    return errors.ProviderUnavailable(message)


def _answer(location: Location | None) -> dict | None:
    """The cached form of a place; a point off the globe (NaN, a latitude of 1e9) is no place,
    and GeocoderParseError (a malformed answer) rather than a row placed nowhere."""
    if location is None:
        return None
    lat, lon = float(location.latitude), float(location.longitude)
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        raise GeocoderParseError(f"a place at ({lat}, {lon}), off the globe")
    raw = location.raw if isinstance(location.raw, dict) else {}
    properties = raw.get("properties", {}) if isinstance(raw.get("properties"), dict) else {}
    return {
        "lat": lat,
        "lon": lon,
        "label": str(location.address),
        "citycode": str(properties.get("citycode", "")),
    }


class OnlineProvider:
    """A geopy geocoder behind a shared request gate and cache, with retries and a run cap."""

    def __init__(
        self,
        name: str,
        geocoder: Geocoder,
        cache: AnswerCache,
        *,
        min_interval_seconds: float = PUBLIC_NOMINATIM_INTERVAL_SECONDS,
        max_retries: int = 1,
        error_wait_seconds: float = 1.0,
        failures_to_open: int = 3,
        open_seconds: float | None = None,
        run_cap: int | None = None,
        query_options: dict | None = None,
    ):
        self.name = name
        self.geocoder = geocoder
        self.cache = cache
        self.max_retries = max_retries
        self.error_wait_seconds = error_wait_seconds
        self.run_cap = run_cap
        self.query_options = query_options or {}
        gate_options = {} if open_seconds is None else {"open_seconds": open_seconds}
        self.gate = RequestGate(min_interval_seconds, failures_to_open, **gate_options)
        self._flights: dict[str, threading.Event] = {}  # queries being fetched now
        self._flights_lock = threading.Lock()

    @property
    def min_interval_seconds(self) -> float:
        return self.gate.min_interval

    @property
    def consecutive_failures(self) -> int:
        return self.gate.consecutive_failures

    @property
    def is_open(self) -> bool:
        """True while the circuit is open: the provider is not called, rows go offline."""
        return self.gate.open_fault() is not None

    def expected_seconds(self, names: int) -> float:
        """How long a run of `names` new names takes at least, at this provider's pace."""
        capped = names if self.run_cap is None else min(names, self.run_cap)
        return capped * self.min_interval_seconds

    def cached(self, query: str) -> tuple[bool, dict | None]:
        """(True, answer) when the cache holds `query`, else (False, None); never calls out."""
        return self.cache.get(query)

    def lookup(self, query: str) -> tuple[dict | None, str]:
        """(answer or None for "no such place", source: the provider's name or "cache").

        Raises a errors.ProviderError subclass when the provider is rate limited, unreachable, down or
        answers garbage; any other exception is a bug and propagates unchanged.
        """
        found, answer = self.cache.get(query)
        if found:
            return answer, "cache"
        self._raise_if_open()
        return self._fetch(query)

    def _raise_if_open(self) -> None:
        fault = self.gate.open_fault()
        if fault is None:
            return
        opened_by, remaining = fault
        message = f"{self.name} is not answering ({opened_by}); not called for {remaining:.0f} s."
        if isinstance(opened_by, errors.ProviderRateLimited):
            raise errors.ProviderRateLimited(message, retry_after=remaining)
        raise type(opened_by)(message)

    def _fetch(self, query: str) -> tuple[dict | None, str]:
        """One lookup of `query` at a time in this process: a session asking a name that another
        is fetching waits for that answer (the gate no longer makes them take turns)."""
        while True:
            with self._flights_lock:
                flight = self._flights.get(query)
                leader = flight is None
                if flight is None:
                    flight = self._flights[query] = threading.Event()
            if leader:
                try:
                    return self._fetch_now(query)
                finally:
                    with self._flights_lock:
                        del self._flights[query]
                    flight.set()
            flight.wait()
            found, answer = self.cache.get(query)
            if found:
                return answer, "cache"
            self._raise_if_open()  # the other session's fault opened the circuit

    def _fetch_now(self, query: str) -> tuple[dict | None, str]:
        """One lookup through the gate, cached as soon as it is answered; retried after a 5xx,
        a timeout or a short Retry-After."""
        attempt = 0
        while True:
            with self.gate.slot():
                # While this session waited, another may have opened the circuit or asked the
                # same name.
                self._raise_if_open()
                found, answer = self.cache.get(query)
                if found:
                    return answer, "cache"
                try:
                    location = self.geocoder.geocode(query, exactly_one=True, **self.query_options)
                    answer = _answer(location)
                except GeocoderServiceError as err:  # the provider's faults only: bugs propagate
                    error = provider_error(self.name, query, err)
                else:
                    self.gate.succeeded()
                    self.cache.put(query, answer)
                    return answer, self.name
            wait = self._retry_wait(error)
            if wait is None or attempt >= self.max_retries:
                self.gate.failed(error)
                raise error
            self.gate.hold(wait)
            attempt += 1

    def _retry_wait(self, error: errors.ProviderError) -> float | None:
        """Seconds to wait before trying `error`'s request again, or None: do not retry."""
        if isinstance(error, errors.ProviderRateLimited):
            if error.retry_after is None:
                return self.error_wait_seconds
            if error.retry_after <= MAX_RETRY_WAIT_SECONDS:
                return max(error.retry_after, self.error_wait_seconds)
            return None
        if isinstance(error, errors.ProviderUnreachable | errors.ProviderMalformedAnswer):
            return None
        return self.error_wait_seconds


@dataclass
class ProviderFault:
    """One line for the user: what went wrong with a provider in a run, and how many distinct
    names were answered offline because of it. geo.texts.i18n says it in French or English."""

    kind: (
        str  # errors.ProviderError.kind: unreachable, unavailable, rate_limited, malformed, capped
    )
    provider: str
    names_offline: int = 0
    retry_after: float | None = None
    cap: int | None = None
    detail: str = ""  # the technical cause, in English


class ProviderRun:
    """One batch's use of a (shared) provider: its cap on new names, and its faults, one per
    kind of fault however many rows it hit."""

    def __init__(self, provider: OnlineProvider):
        self.provider = provider
        self.fetched = 0
        self._faults: dict[str, ProviderFault] = {}

    @property
    def faults(self) -> list[ProviderFault]:
        return list(self._faults.values())

    def lookup(self, query: str) -> tuple[dict | None, str] | None:
        """The provider's (answer, source), or None when this row must be answered offline."""
        provider = self.provider
        try:
            if provider.run_cap is not None and self.fetched >= provider.run_cap:
                found, answer = provider.cached(query)
                if found:
                    return answer, "cache"
                raise errors.ProviderCapReached(
                    f"{provider.name}: {provider.run_cap} names per run"
                )
            answer, source = provider.lookup(query)
        except errors.ProviderError as err:
            self._record(err)
            return None
        if source != "cache":
            self.fetched += 1
        return answer, source

    def _record(self, err: errors.ProviderError) -> None:
        fault = self._faults.get(err.kind)
        if fault is None:
            fault = self._faults[err.kind] = ProviderFault(
                err.kind,
                self.provider.name,
                retry_after=getattr(err, "retry_after", None),
                cap=self.provider.run_cap if isinstance(err, errors.ProviderCapReached) else None,
                detail=str(err),
            )
        fault.names_offline += 1


def configured_server(name: str) -> tuple[str | None, str | None]:
    """(domain, scheme) the server's operator set for a provider, or (None, None) for its public
    server: CARTE_ESS_NOMINATIM_DOMAIN / _SCHEME, CARTE_ESS_BAN_DOMAIN / _SCHEME. Nominatim's
    policy asks that an app can switch servers without a software update."""
    prefix = f"CARTE_ESS_{_known(name).upper()}"
    return os.environ.get(f"{prefix}_DOMAIN") or None, os.environ.get(f"{prefix}_SCHEME") or None


def _known(name: str) -> str:
    if name not in PROVIDERS:
        raise ValueError(f"Unknown provider {name!r}; choose one of {', '.join(PROVIDERS)}.")
    return name


def endpoint(name: str, domain: str | None = None, scheme: str | None = None) -> str:
    """scheme://domain of a provider's server (its default when not given)."""
    return f"{scheme or 'https'}://{domain or DEFAULT_DOMAINS[_known(name)]}"


def make_provider(
    name: str,
    domain: str | None = None,
    scheme: str | None = None,
    *,
    cache_dir: Path | None = None,
    timeout: float = ONLINE_TIMEOUT_SECONDS,
    **options,
) -> OnlineProvider:
    """A new online provider by name ("nominatim" or "ban"), optionally on another server.

    Each call makes its own gate: a server shares one per endpoint through `shared_provider`.
    The cache goes to `cache_dir`, by default geo.geocoding.paths.cache_dir() at call time.
    """
    domain = domain or DEFAULT_DOMAINS[_known(name)]
    scheme = scheme or "https"
    public_nominatim = name == "nominatim" and domain == DEFAULT_DOMAINS["nominatim"]
    if name == "nominatim":
        geocoder = StrictNominatim(
            user_agent=NOMINATIM_USER_AGENT,
            domain=domain,
            scheme=scheme,
            timeout=timeout,
            adapter_factory=SafeURLLibAdapter,
        )
        query_options = {"country_codes": FRENCH_COUNTRY_CODES}
    else:
        geocoder = StrictBANFrance(
            domain=domain, scheme=scheme, timeout=timeout, adapter_factory=SafeURLLibAdapter
        )
        query_options = {}
    defaults = {
        "min_interval_seconds": (
            PUBLIC_NOMINATIM_INTERVAL_SECONDS if public_nominatim else OTHER_INTERVAL_SECONDS
        ),
        "run_cap": PUBLIC_NOMINATIM_CAP if public_nominatim else None,
    }
    cache_file = (cache_dir or cache_folder()) / CACHE_FILE_NAME
    cache = AnswerCache(cache_file, name, endpoint(name, domain, scheme))
    return OnlineProvider(name, geocoder, cache, query_options=query_options, **defaults | options)


_SHARED: dict[tuple[str, str, Path], OnlineProvider] = {}
_SHARED_LOCK = threading.Lock()


def shared_provider(
    name: str,
    domain: str | None = None,
    scheme: str | None = None,
    *,
    cache_dir: Path | None = None,
    **options,
) -> OnlineProvider:
    """The process's one provider for this endpoint, made on first use with `options`.

    Every session and every batch of a server gets the same object, so they share its request
    gate (one request a second to the public Nominatim, whoever asks) and its cache. Without a
    domain, the operator's configured server (configured_server) or the public one.
    """
    if domain is None:
        domain, configured_scheme = configured_server(name)
        scheme = scheme or configured_scheme
    cache_dir = cache_dir or cache_folder()
    key = (name, endpoint(name, domain, scheme), cache_dir)
    with _SHARED_LOCK:
        if key not in _SHARED:
            _SHARED[key] = make_provider(name, domain, scheme, cache_dir=cache_dir, **options)
        return _SHARED[key]
