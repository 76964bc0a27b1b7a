"""The online providers' HTTP transport: one GET with a total deadline, a size cap, redirects kept
on the provider's host, and every fault of the answer reported as a geopy error.

It is geopy's transport seam (`adapter_factory`, geopy/adapters.py), so a test can hand a
geocoder another adapter and no test patches urllib. geopy's own URLLibAdapter falls short for a
server that shares its providers between visitors:
- its timeout applies to each socket read, so a server trickling a byte a second never trips it
  (one name held ~190 s); here `timeout` is the whole request's deadline: a watchdog shuts the
  connection's socket down when it passes, wherever the request is (headers, body, a redirect);
- it reads an answer of any size (50 MB accepted); here MAX_ANSWER_BYTES, about a thousand times
  what one place weighs, is refused by its Content-Length or while reading;
- it follows a redirect to any host, whose answer the cache then keeps under the first endpoint;
  here a redirect to another host, or from https to http, is not followed;
- a charset Python does not know raises LookupError, no geopy error: it escaped the batch as a
  bug and every row was lost; here any answer that cannot be decoded is GeocoderParseError;
- a refused connection and a name that does not resolve come back as `Unreachable`, so that the
  circuit opens at once (no retry can help).
"""

from __future__ import annotations

import contextlib
import errno
import http.client
import json
import socket
import ssl
import threading
from email.message import Message
from functools import partial
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import (
    HTTPHandler,
    HTTPRedirectHandler,
    HTTPSHandler,
    ProxyHandler,
    Request,
    build_opener,
)

from geopy.adapters import AdapterHTTPError, BaseSyncAdapter
from geopy.exc import (
    GeocoderParseError,
    GeocoderServiceError,
    GeocoderTimedOut,
    GeocoderUnavailable,
)

# One place's answer weighs about a kilobyte; a megabyte is no answer of these APIs.
MAX_ANSWER_BYTES = 1_000_000
UNREACHABLE_ERRNOS = {errno.ECONNREFUSED, errno.ENETUNREACH, errno.EHOSTUNREACH}


class Unreachable(GeocoderUnavailable):
    """Nothing answers at the provider's address (connection refused, unknown name, no route)."""


class CrossHostRedirect(GeocoderServiceError):
    """The provider redirected to another host (or from https to http): not followed."""


class Deadline:
    """A request's total time: every socket it opens is shut down when the time is up."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def watch(self, sock: socket.socket) -> None:
        """Shut `sock` down when the deadline passes (at once if it has)."""
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _shut(sock: socket.socket) -> None:
    """Wake whatever thread reads `sock`: its read returns at once. The plain socket's shutdown,
    also under TLS (SSLSocket's own would drop its state under the reading thread); a socket
    already closed raises OSError, so a reused file descriptor is never touched."""
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


class _HTTPConnection(http.client.HTTPConnection):
    """A connection whose socket its request's Deadline watches."""

    def __init__(self, *args: Any, deadline: Deadline, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.deadline = deadline

    def connect(self) -> None:
        super().connect()
        self.deadline.watch(self.sock)


class _HTTPSConnection(_HTTPConnection, http.client.HTTPSConnection):
    """The same over TLS: its connect runs HTTPSConnection's, so the socket watched is the TLS one."""


class _DeadlineHTTPHandler(HTTPHandler):
    def __init__(self, deadline: Deadline):
        super().__init__()
        self.deadline = deadline

    def http_open(self, req: Request) -> http.client.HTTPResponse:
        # do_open makes the connection with the arguments it knows; the deadline comes bound.
        return self.do_open(partial(_HTTPConnection, deadline=self.deadline), req)


class _DeadlineHTTPSHandler(HTTPSHandler):
    def __init__(self, deadline: Deadline, context: ssl.SSLContext | None):
        super().__init__(context=context)
        self.deadline = deadline
        self.context = context

    def https_open(self, req: Request) -> http.client.HTTPResponse:
        connection = partial(_HTTPSConnection, deadline=self.deadline)
        return self.do_open(connection, req, context=self.context)


class _SameHostRedirects(HTTPRedirectHandler):
    """Follow a redirect on the provider's own host only (an http to https upgrade included)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        old, new = urlsplit(req.full_url), urlsplit(newurl)
        downgrade = old.scheme == "https" and new.scheme != "https"
        if (new.hostname or "").lower() != (old.hostname or "").lower() or downgrade:
            fp.close()
            raise CrossHostRedirect(
                f"redirected ({code}) to {newurl!r}, another host: not followed"
            )
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class SafeURLLibAdapter(BaseSyncAdapter):
    """geopy's synchronous adapter over urllib with a total deadline (`timeout`), a size cap,
    same-host redirects and every fault of the answer as a geopy error."""

    max_bytes = MAX_ANSWER_BYTES

    def __init__(self, *, proxies: dict | None, ssl_context: ssl.SSLContext | None):
        super().__init__(proxies=proxies, ssl_context=ssl_context)
        self.proxies = proxies  # None: the system's, as geopy's own adapter
        self.ssl_context = ssl_context

    def get_json(self, url: str, *, timeout: float, headers: dict) -> object:
        text = self.get_text(url, timeout=timeout, headers=headers)
        try:
            return json.loads(text)
        except (ValueError, RecursionError) as err:  # not JSON, or nested beyond the parser
            raise GeocoderParseError(f"the answer is not JSON ({type(err).__name__})") from err

    def get_text(self, url: str, *, timeout: float, headers: dict) -> str:
        with Deadline(timeout) as deadline:
            try:
                status, response_headers, body = self._get(url, headers, deadline)
            except GeocoderServiceError:
                raise
            except (OSError, http.client.HTTPException) as err:  # URLError is an OSError
                if deadline.expired:
                    raise GeocoderTimedOut(f"no complete answer within {timeout:g} s") from err
                if _unreachable(err):
                    raise Unreachable(str(err)) from err
                if _timed_out(err):
                    raise GeocoderTimedOut(f"no data for {timeout:g} s") from err
                raise GeocoderServiceError(f"{type(err).__name__}: {err}") from err
        text = _decoded(body, response_headers)
        if status >= 300:  # an error, or a redirect not followed (a loop)
            raise AdapterHTTPError(
                f"Non-successful status code {status}",
                status_code=status,
                headers={name.lower(): value for name, value in response_headers.items()},
                text=text,
            )
        return text

    def _get(self, url: str, headers: dict, deadline: Deadline) -> tuple[int, Message, bytes]:
        """(status, headers, body) of one GET, redirects on the same host followed."""
        opener = build_opener(
            ProxyHandler(self.proxies),
            _DeadlineHTTPHandler(deadline),
            _DeadlineHTTPSHandler(deadline, self.ssl_context),
            _SameHostRedirects(),
        )
        try:
            page = opener.open(Request(url, headers=headers), timeout=deadline.seconds)
        except HTTPError as error:  # a status of 400 or more: its body says why
            page = error
        with page:
            body = _capped(page, self.max_bytes)
            if deadline.expired:  # the read was cut short by the watchdog
                raise TimeoutError("deadline passed while reading")
            return page.getcode(), page.headers, body


def _capped(page, limit: int) -> bytes:
    """The body, or GeocoderParseError when it is over `limit` bytes (said or read)."""
    length = page.headers.get("Content-Length", "")
    if length.strip().isdigit() and int(length) > limit:
        raise GeocoderParseError(f"answer of {int(length)} bytes, over the {limit} accepted")
    body = page.read(limit + 1)
    if len(body) > limit:
        raise GeocoderParseError(f"answer over the {limit} bytes accepted")
    return body


def _decoded(body: bytes, headers: Message) -> str:
    """The body as text in its declared charset (UTF-8 if none); a charset Python does not
    know, or bytes that are not in it, are a malformed answer."""
    charset = headers.get_content_charset() or "utf-8"
    try:
        return body.decode(charset)
    except (LookupError, UnicodeError) as err:
        raise GeocoderParseError(f"answer not readable as {charset!r} ({err})") from err


def _unreachable(err: BaseException) -> bool:
    """Whether an error was caused by a refused connection or a name that does not resolve."""
    seen: BaseException | None = err
    for _ in range(8):  # the chain is short; the bound guards against cycles
        if seen is None:
            return False
        reason = seen.reason if isinstance(seen, URLError) else seen
        if isinstance(reason, socket.gaierror):
            return True
        if isinstance(reason, OSError) and reason.errno in UNREACHABLE_ERRNOS:
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def _timed_out(err: BaseException) -> bool:
    reason = err.reason if isinstance(err, URLError) else err
    return isinstance(reason, TimeoutError) or "timed out" in str(reason)


__all__ = ["MAX_ANSWER_BYTES", "CrossHostRedirect", "Deadline", "SafeURLLibAdapter", "Unreachable"]
