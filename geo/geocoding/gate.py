"""One online provider's request gate, shared by every session of a server process.

Nominatim's usage policy counts requests per application, not per visitor: every batch of every
session must go through the same gate. It starts requests at least `min_interval` seconds apart
(and none sooner than that after the last one ended, so that one session's run keeps the server's
pace), holds every request back while a 429's Retry-After runs, and is a circuit breaker: after
`failures_to_open` failed lookups in a row, or at once when nothing answers at the address, no
request goes out for `open_seconds`; then one request tries again.

The gate is held only while a request waits for its turn, never while it waits for its answer:
a slow answer (up to the transport's deadline) holds no other session back, and the next request
starts on time. At one request a second and a 5 s deadline, at most five are under way at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from geo.geocoding.errors import ProviderError, ProviderRateLimited, ProviderUnreachable

OPEN_SECONDS = 60.0


class RequestGate:
    """Spacing, Retry-After holds and the circuit breaker of one provider endpoint."""

    def __init__(
        self, min_interval: float, failures_to_open: int = 3, open_seconds: float = OPEN_SECONDS
    ):
        self.min_interval = min_interval
        self.failures_to_open = failures_to_open
        self.open_seconds = open_seconds
        self.consecutive_failures = 0
        self._state_lock = threading.Lock()
        self._next_start = 0.0  # time.monotonic() before which no new request starts
        self._holds = 0  # how many holds were placed: a request waiting its turn looks again
        self._last_end = float("-inf")  # time.monotonic() when the last request ended
        self._open_until = 0.0
        self._opened_by: ProviderError | None = None

    def open_fault(self) -> tuple[ProviderError, float] | None:
        """(the fault that opened the circuit, seconds until it closes) while it is open."""
        with self._state_lock:
            remaining = self._open_until - time.monotonic()
            if remaining > 0 and self._opened_by is not None:
                return self._opened_by, remaining
            return None

    @contextmanager
    def slot(self) -> Iterator[None]:
        """Wait for this provider's turn, then let the request run without holding the gate.

        A turn is `min_interval` after the previous turn, and after the last request that has
        ended (a quick answer keeps the old pace: the server sees its requests that far apart);
        a request still waiting for its answer holds nobody back.
        """
        while True:
            with self._state_lock:
                now = time.monotonic()
                start = max(self._next_start, now)
                self._next_start = start + self.min_interval  # the turn is this request's
                holds = self._holds
            while (wait := self._start_after(start) - time.monotonic()) > 0:
                time.sleep(wait)
            with self._state_lock:
                if self._holds == holds:  # no Retry-After or retry wait came in meanwhile
                    break
        try:
            yield
        finally:
            with self._state_lock:
                self._last_end = max(self._last_end, time.monotonic())

    def _start_after(self, turn: float) -> float:
        with self._state_lock:
            return max(turn, self._last_end + self.min_interval)

    def hold(self, seconds: float) -> None:
        """No request starts in the next `seconds` (a Retry-After, or the wait before a retry)."""
        with self._state_lock:
            self._next_start = max(self._next_start, time.monotonic() + seconds)
            self._holds += 1

    def succeeded(self) -> None:
        with self._state_lock:
            self.consecutive_failures = 0
            self._open_until = 0.0

    def failed(self, error: ProviderError) -> None:
        """Count a failed lookup; open the circuit when the provider looks down or said when
        to come back."""
        with self._state_lock:
            self.consecutive_failures += 1
            now = time.monotonic()
            until = 0.0
            if isinstance(error, ProviderUnreachable):
                until = now + self.open_seconds
            elif isinstance(error, ProviderRateLimited) and error.retry_after:
                until = now + error.retry_after
            if self.consecutive_failures >= self.failures_to_open:
                until = max(until, now + self.open_seconds)
            if until > self._open_until:
                self._open_until = until
                self._opened_by = error
