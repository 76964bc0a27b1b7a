"""One visitor of a Streamlit app spoken to over Streamlit's own websocket protocol, no browser.

It does what the installed streamlit package's frontend does (read from its bundle and from
``streamlit/web/server/starlette/starlette_websocket.py``): GET the page (which is also how a
sticky proxy gives it a cookie), open ``/_stcore/stream`` with the subprotocols
``["streamlit", <xsrf token or placeholder>]``, send a ``BackMsg.rerun_script`` whose
``ClientState`` carries the URL's query string, the widget values it knows and the hashes of the
ForwardMsgs it has cached, then read ForwardMsgs (resolving ``ref_hash`` from its cache) until
``script_finished``. The app-agnostic part of the load test: what to click and what the answers
must say belong to its callers.
"""

from __future__ import annotations

import asyncio
import time
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

from google.protobuf.message import Message
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import ClientConnection, connect

WIDGET_ID_PREFIX = "$$ID"  # streamlit.elements.lib.utils: ids of widgets start with it
PLACEHOLDER_TOKEN = "PLACEHOLDER_AUTH_TOKEN"  # what the frontend sends without an XSRF cookie
MAX_MESSAGE_BYTES = 64 * 2**20
TEXT_FIELDS = {  # element kind → its fields a visitor reads as text
    "markdown": ("body",),
    "heading": ("body",),
    "metric": ("label", "body"),
    "alert": ("body",),
    "text": ("body",),
    "exception": ("type", "message"),
}
FINISHED = ForwardMsg.ScriptFinishedStatus
DONE = {FINISHED.FINISHED_SUCCESSFULLY, FINISHED.FINISHED_FRAGMENT_RUN_SUCCESSFULLY}


class SessionError(Exception):
    """The server did not answer as a browser would need: closed, timed out or broken."""


@dataclass
class Run:
    """What one script run sent: its elements by position on the page, and how long it took."""

    seconds: float
    elements: dict[tuple[int, ...], tuple[str, Message]] = field(default_factory=dict)

    def of_kind(self, kind: str) -> list[Message]:
        return [proto for k, proto in self.elements.values() if k == kind]

    def texts(self) -> list[str]:
        """Every text a visitor reads (markdown, headings, metrics, alerts, exceptions)."""
        return [
            str(getattr(proto, name))
            for kind, proto in self.elements.values()
            for name in TEXT_FIELDS.get(kind, ())
        ]

    def exceptions(self) -> list[str]:
        return [f"{e.type}: {e.message}" for e in self.of_kind("exception")]

    def widget(self, name: str) -> tuple[str, Message] | None:
        """The widget made with ``key=name`` (its id ends with the key), else the one labelled
        ``name`` (a button without key), as (kind, proto)."""
        for kind, proto in self.elements.values():
            widget_id = widget_id_of(proto)
            if widget_id and (
                widget_id.endswith(f"-{name}") or getattr(proto, "label", "") == name
            ):
                return kind, proto
        return None


def widget_id_of(proto: Message) -> str:
    """The element's widget id, or "" for an element that is not a widget."""
    widget_id = getattr(proto, "id", "")
    return (
        widget_id if isinstance(widget_id, str) and widget_id.startswith(WIDGET_ID_PREFIX) else ""
    )


def _fetch_cookies(url: str, timeout: float) -> str:
    """GET ``url`` as the page load does; the cookies it sets, as a Cookie header value."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # loopback: no proxy
    with opener.open(url, timeout=timeout) as response:
        response.read()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
    return "; ".join(f"{name}={morsel.value}" for name, morsel in cookies.items())


class Visitor:
    """One browser tab's worth of protocol: page loads, widget changes, clicks, each timed from
    the request to the ``script_finished`` ForwardMsg."""

    def __init__(self, base_url: str, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.query_string = ""  # the URL's query, as the app last set it (page_info_changed)
        self.cookie = ""
        self._socket: ClientConnection | None = None
        self._values: dict[str, WidgetState] = {}  # widget id → value the page holds
        self._cache: dict[str, tuple[ForwardMsg, int]] = {}  # hash → (message, last run used)
        self._runs = 0
        self._max_age = 2  # NewSession.config.max_cached_message_age, read on each run
        self.last: Run | None = None

    async def open(self, query_string: str | None = None) -> Run:
        """Load the page at ``?query_string`` (default: the current URL) in a fresh session."""
        await self.close()
        query = self.query_string if query_string is None else query_string.lstrip("?")
        start = time.perf_counter()
        page = f"{self.base_url}/" + (f"?{query}" if query else "")
        try:
            fresh = await asyncio.to_thread(_fetch_cookies, page, self.timeout)
            self.cookie = fresh or self.cookie  # a sticky proxy sets its cookie only once
            headers = {"Origin": self.base_url} | ({"Cookie": self.cookie} if self.cookie else {})
            stream = self.base_url.replace("http", "ws", 1) + "/_stcore/stream"
            self._socket = await asyncio.wait_for(
                connect(
                    stream,
                    subprotocols=["streamlit", PLACEHOLDER_TOKEN],  # type: ignore[list-item]
                    additional_headers=headers,
                    max_size=MAX_MESSAGE_BYTES,
                    proxy=None,
                ),
                self.timeout,
            )
        except (OSError, TimeoutError) as err:
            raise SessionError(f"cannot load the page: {type(err).__name__}: {err}") from err
        self._values.clear()
        self.query_string = query
        return await self._rerun([], start)

    async def change(self, key: str, value: str | list[str]) -> Run:
        """Set the widget made with ``key=key`` to the option(s) shown as ``value``."""
        widget_id = self._widget_id(key)
        state = WidgetState(id=widget_id)
        if isinstance(value, list):
            state.string_array_value.data.extend(value)
        else:
            state.string_value = value
        self._values[widget_id] = state
        return await self._rerun([], time.perf_counter())

    async def click(self, name: str) -> Run:
        """Press the button with key or label ``name`` (a trigger: true for this run only)."""
        trigger = WidgetState(id=self._widget_id(name), trigger_value=True)
        return await self._rerun([trigger], time.perf_counter())

    async def send_raw(self, data: bytes) -> Run:
        """Send ``data`` as if it were a BackMsg and wait for the run it should cause."""
        return await self._exchange(data, time.perf_counter())

    async def close(self) -> None:
        if self._socket is not None:
            socket, self._socket = self._socket, None
            await socket.close()

    def _widget_id(self, name: str) -> str:
        found = self.last.widget(name) if self.last else None
        if found is None:
            raise SessionError(f"no widget {name!r} on the page")
        return found[1].id

    async def _rerun(self, triggers: list[WidgetState], start: float) -> Run:
        state = ClientState(query_string=self.query_string)
        state.widget_states.widgets.extend([*self._values.values(), *triggers])
        state.cached_message_hashes.extend(self._cache)
        return await self._exchange(BackMsg(rerun_script=state).SerializeToString(), start)

    async def _exchange(self, data: bytes, start: float) -> Run:
        if self._socket is None:
            raise SessionError("not connected")
        run = Run(0.0)
        deadline = start + self.timeout
        try:
            await self._socket.send(data)
            while True:
                raw = await asyncio.wait_for(self._socket.recv(), deadline - time.perf_counter())
                message = self._resolve(ForwardMsg.FromString(raw))
                kind = message.WhichOneof("type")
                if kind == "new_session":  # a run starts (again, after st.rerun): a new page
                    run.elements.clear()
                    self._max_age = message.new_session.config.max_cached_message_age or 2
                elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                    element = message.delta.new_element
                    name = element.WhichOneof("type")
                    run.elements[tuple(message.metadata.delta_path)] = (
                        name,
                        getattr(element, name),
                    )
                elif kind == "page_info_changed":
                    self.query_string = message.page_info_changed.query_string
                elif kind == "script_finished":
                    if message.script_finished == FINISHED.FINISHED_WITH_COMPILE_ERROR:
                        raise SessionError("the script did not compile")
                    if message.script_finished in DONE:
                        break
        except TimeoutError as err:
            raise SessionError(f"no script_finished within {self.timeout:g} s") from err
        except Exception as err:  # ConnectionClosed and other transport failures
            if isinstance(err, SessionError):
                raise
            raise SessionError(f"{type(err).__name__}: {err}") from err
        run.seconds = time.perf_counter() - start
        self._end_run(run)
        return run

    def _resolve(self, message: ForwardMsg) -> ForwardMsg:
        """The message itself, or the cached one a ``ref_hash`` points to; caches cacheable ones."""
        if message.WhichOneof("type") == "ref_hash":
            cached = self._cache.get(message.ref_hash)
            if cached is None:
                raise SessionError(f"server referred to an uncached message {message.ref_hash}")
            resolved = ForwardMsg()
            resolved.CopyFrom(cached[0])
            resolved.metadata.CopyFrom(message.metadata)
            self._cache[message.ref_hash] = (cached[0], self._runs)
            return resolved
        if message.metadata.cacheable and message.hash:
            self._cache[message.hash] = (message, self._runs)
        return message

    def _end_run(self, run: Run) -> None:
        """Keep the values the server set, forget widgets gone and messages too old to reuse."""
        self.last = run
        present: dict[str, Message] = {}
        for _, proto in run.elements.values():
            widget_id = widget_id_of(proto)
            if widget_id:
                present[widget_id] = proto
        self._values = {k: v for k, v in self._values.items() if k in present}
        for widget_id, proto in present.items():
            if getattr(proto, "set_value", False):
                state = WidgetState(id=widget_id)
                if hasattr(proto, "raw_values"):
                    state.string_array_value.data.extend(proto.raw_values)
                elif hasattr(proto, "raw_value"):
                    state.string_value = proto.raw_value
                else:
                    continue
                self._values[widget_id] = state
        self._runs += 1
        self._cache = {
            h: (m, used)
            for h, (m, used) in self._cache.items()
            if used >= self._runs - self._max_age
        }
