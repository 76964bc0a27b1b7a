"""geo.web.nodelay: connections accepted on a socket made as Streamlit's server makes it get
TCP_NODELAY (without the fix, asyncio leaves Nagle's algorithm on)."""

from __future__ import annotations

import asyncio
import socket
from asyncio import base_events

from benchmarks.protocol_load import run_sync  # a thread's own loop: pytest may run one
from geo.web import nodelay


async def accepted_nodelay() -> int:
    """TCP_NODELAY of the server side of a loopback connection, the listening socket made as
    Streamlit 1.67's _bind_socket makes it (no protocol number)."""
    listening = socket.socket(family=socket.AF_INET)
    listening.bind(("127.0.0.1", 0))
    listening.listen()
    listening.setblocking(False)
    seen: list[int] = []

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        sock = writer.transport.get_extra_info("socket")
        seen.append(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
        writer.close()

    server = await asyncio.start_server(on_connect, sock=listening)
    async with server:
        _, writer = await asyncio.open_connection(*listening.getsockname())
        for _ in range(100):
            if seen:
                break
            await asyncio.sleep(0.01)
        writer.close()
    return seen[0]


def test_streamlit_s_kind_of_socket_keeps_nagle_without_the_fix(monkeypatch):
    monkeypatch.setattr(base_events, "_set_nodelay", nodelay.ASYNCIO_RULE)
    assert run_sync(accepted_nodelay()) == 0


def test_the_fix_turns_nagle_off_on_accepted_connections(monkeypatch):
    monkeypatch.setattr(base_events, "_set_nodelay", nodelay.ASYNCIO_RULE)
    assert nodelay.send_without_delay()
    assert run_sync(accepted_nodelay()) != 0
