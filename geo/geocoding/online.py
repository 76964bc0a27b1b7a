"""Opt-in online geocoders (Nominatim, the French address API), made safe to use in a batch.

Each provider is a plain geopy geocoder wrapped so that a batch of thousands of rows behaves:
- at most one request a second (geopy's RateLimiter, with swallow_exceptions=False so a failure is
  never mistaken for "not found"), a real timeout and a bounded number of retries;
- a circuit breaker: after a few consecutive failures the batch stops calling the provider and the
  caller falls back to the offline answer;
- a persistent cache (JSON, written atomically; a corrupt file is set aside with a warning);
- geopy's plain urllib adapter, because its requests adapter retries timed-out calls twice more
  on its own, tripling the time a dead server holds a batch; and answers of the wrong shape are
  errors, never "no such place".

geopy 2.5's BANFrance still defaults to api-adresse.data.gouv.fr, retired in early 2026; the
service now lives on IGN's Géoplateforme at data.geopf.fr/geocodage, which is our default.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path

from geopy.adapters import URLLibAdapter
from geopy.exc import GeocoderParseError, GeocoderRateLimited, GeocoderServiceError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import BANFrance, Nominatim
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.geocoding.errors import (
    ProviderError,
    ProviderMalformedAnswer,
    ProviderRateLimited,
    ProviderUnavailable,
)
from geo.geocoding.paths import CACHE_DIR

PROVIDERS = ("nominatim", "ban")
DEFAULT_DOMAINS = {"nominatim": "nominatim.openstreetmap.org", "ban": "data.geopf.fr/geocodage"}
# Metropolitan France and the five overseas départements, which OSM files under their own codes.
FRENCH_COUNTRY_CODES = ["fr", "gp", "mq", "gf", "re", "yt"]
NOMINATIM_USER_AGENT = "carte-ess-french-impact/0.1 (+https://github.com/carte-ess)"
ONLINE_TIMEOUT_SECONDS = 5.0


class JsonCache:
    """A small persistent dict of answers, safe against crashes and corrupt files."""

    def __init__(self, path: Path):
        self.path = path
        self.entries: dict[str, dict | None] = self._load()
        self.dirty = False

    def _load(self) -> dict:
        if not self.path.exists():
            return {}
        try:
            entries = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(entries, dict):
                raise ValueError("not a JSON object")
        except (ValueError, OSError) as err:
            aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
            os.replace(self.path, aside)
            warnings.warn(
                f"Geocoding cache {self.path} was unreadable ({err}); set aside as {aside.name}.",
                stacklevel=2,
            )
            return {}
        return entries

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def get(self, key: str) -> dict | None:
        return self.entries.get(key)

    def put(self, key: str, value: dict | None) -> None:
        self.entries[key] = value
        self.dirty = True

    def save(self) -> None:
        """Write atomically: a crash mid-write leaves the previous file intact."""
        if not self.dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=self.path.name, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(self.entries, out, ensure_ascii=False)
        os.replace(tmp, self.path)
        self.dirty = False


class OnlineProvider:
    """A geopy geocoder with rate limit, retries, circuit breaker and cache."""

    def __init__(
        self,
        name: str,
        geocoder: Geocoder,
        cache: JsonCache,
        *,
        min_delay_seconds: float = 1.0,
        max_retries: int = 2,
        error_wait_seconds: float = 2.0,
        failures_to_open: int = 3,
        query_options: dict | None = None,
    ):
        self.name = name
        self.cache = cache
        self.failures_to_open = failures_to_open
        self.consecutive_failures = 0
        self.query_options = query_options or {}
        self._geocode: Callable[..., Location | None] = RateLimiter(
            geocoder.geocode,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=error_wait_seconds,
            swallow_exceptions=False,
        )

    @property
    def is_open(self) -> bool:
        """True once the provider failed too often in a row: stop calling it for this batch."""
        return self.consecutive_failures >= self.failures_to_open

    def lookup(self, query: str) -> tuple[dict | None, str]:
        """(answer or None for "no such place", source).

        Raises a ProviderError subclass when the provider is rate limited, unreachable or
        answers garbage; any other exception is a bug and propagates unchanged.
        """
        if query in self.cache:
            return self.cache.get(query), "cache"
        if self.is_open:
            raise ProviderUnavailable(f"{self.name} is not answering; using the offline answer.")
        try:
            location = self._geocode(query, exactly_one=True, **self.query_options)
        except GeocoderServiceError as err:  # only the provider's faults: a bug must propagate
            self.consecutive_failures += 1
            raise provider_error(self.name, query, err) from err
        self.consecutive_failures = 0
        answer = _answer(location)
        self.cache.put(query, answer)
        return answer, self.name


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


def provider_error(name: str, query: str, err: GeocoderServiceError) -> ProviderError:
    """The ProviderError subclass for a geopy service error (rate limit, bad answer, outage)."""
    message = f"{name} failed for {query!r}: {err}"
    if isinstance(err, GeocoderRateLimited):
        return ProviderRateLimited(message, retry_after=err.retry_after)
    if isinstance(err, GeocoderParseError):
        return ProviderMalformedAnswer(message)
    return ProviderUnavailable(message)


def _answer(location: Location | None) -> dict | None:
    if location is None:
        return None
    raw = location.raw if isinstance(location.raw, dict) else {}
    properties = raw.get("properties", {}) if isinstance(raw.get("properties"), dict) else {}
    return {
        "lat": float(location.latitude),
        "lon": float(location.longitude),
        "label": str(location.address),
        "citycode": str(properties.get("citycode", "")),
    }


def make_provider(
    name: str,
    domain: str | None = None,
    scheme: str | None = None,
    *,
    cache_dir: Path = CACHE_DIR,
    timeout: float = ONLINE_TIMEOUT_SECONDS,
    **options,
) -> OnlineProvider:
    """An online provider by name ("nominatim" or "ban"), optionally on another server."""
    if name not in PROVIDERS:
        raise ValueError(f"Unknown provider {name!r}; choose one of {', '.join(PROVIDERS)}.")
    domain = domain or DEFAULT_DOMAINS[name]
    scheme = scheme or "https"
    if name == "nominatim":
        geocoder = StrictNominatim(
            user_agent=NOMINATIM_USER_AGENT,
            domain=domain,
            scheme=scheme,
            timeout=timeout,
            adapter_factory=URLLibAdapter,
        )
        query_options = {"country_codes": FRENCH_COUNTRY_CODES}
    else:
        geocoder = StrictBANFrance(
            domain=domain, scheme=scheme, timeout=timeout, adapter_factory=URLLibAdapter
        )
        query_options = {}
    slug = "".join(ch if ch.isalnum() else "_" for ch in f"{name}_{domain}")
    cache = JsonCache(cache_dir / f"{slug}.json")
    return OnlineProvider(name, geocoder, cache, query_options=query_options, **options)
