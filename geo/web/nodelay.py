"""Send a rerun's messages as soon as they are ready: TCP_NODELAY on the server's connections.

Why: Streamlit's server (1.67: Starlette on uvicorn) binds its listening socket with
``socket.socket(family)``, so its protocol number is 0, and so is every accepted connection's.
asyncio turns Nagle's algorithm off only on sockets whose protocol is IPPROTO_TCP
(``asyncio.base_events._set_nodelay``), so each visitor's connection kept it: a rerun's first
message left at once, and the next small one waited for the browser's acknowledgement, which
receivers delay (40 ms on Linux, up to 200 ms on Windows). Every change a visitor made took
40 ms more than its work, even on an idle server (benchmarks, section 3).

Call ``send_without_delay()`` before the server accepts connections (``geo.web.launch`` does); the
page calls it too, for ``streamlit run dashboard.py``, where only the connection accepted before
the page first ran keeps the delay.
"""

from __future__ import annotations

import socket
from asyncio import base_events

ASYNCIO_RULE = getattr(base_events, "_set_nodelay", None)  # asyncio's own, before any change


def _set_nodelay(sock: socket.socket) -> None:
    """asyncio's own rule, without its test of the protocol number."""
    if sock.family in (socket.AF_INET, socket.AF_INET6) and sock.type == socket.SOCK_STREAM:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def send_without_delay() -> bool:
    """From now on, every TCP connection asyncio wraps in this process has Nagle's algorithm
    off, whatever protocol number its socket was made with. False if this Python's asyncio has
    no such hook (nothing changed)."""
    if ASYNCIO_RULE is None or not hasattr(socket, "TCP_NODELAY"):
        return False
    base_events._set_nodelay = _set_nodelay  # type: ignore[attr-defined]  # private: not in typeshed
    return True
