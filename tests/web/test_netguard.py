"""geo.web.netguard: what an audit event says about the network (the privacy test reads its log)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from geo.web.netguard import is_loopback, record


@pytest.mark.parametrize(
    "event,args,expected",
    [
        ("socket.bind", (None, ("127.0.0.1", 8501)), ("socket.bind", "127.0.0.1", 8501)),
        ("socket.bind", (None, ("0.0.0.0", 8501)), ("socket.bind", "0.0.0.0", 8501)),
        (
            "socket.getaddrinfo",
            ("checkip.amazonaws.com", 80, 0, 0, 0),
            ("socket.getaddrinfo", "checkip.amazonaws.com", 80),
        ),
        ("socket.getaddrinfo", ("localhost", 8501, 0, 0, 0), None),
        (
            "socket.gethostbyname",
            ("tile.openstreetmap.org",),
            ("socket.gethostbyname", "tile.openstreetmap.org", None),
        ),
        ("socket.connect", (None, ("8.8.8.8", 80)), ("socket.connect", "8.8.8.8", 80)),
        ("socket.connect", (None, ("127.0.0.1", 8501)), None),
        ("socket.connect", (None, ("::1", 8501, 0, 0)), None),
        ("socket.connect", (None, "/run/some.sock"), None),  # a Unix socket
        ("socket.sendto", (None, ("192.0.2.1", 53)), ("socket.sendto", "192.0.2.1", 53)),
        ("open", ("/etc/hosts", "r", 0), None),
    ],
)
def test_record(event, args, expected):
    found = record(event, args)
    assert (None if found is None else (found["event"], found["host"], found["port"])) == expected


@pytest.mark.parametrize(
    "host,loopback",
    [
        ("127.0.0.1", True),
        ("127.1.2.3", True),
        ("localhost", True),
        ("::1", True),
        ("0.0.0.0", False),
        ("192.0.2.2", False),
        ("checkip.amazonaws.com", False),
    ],
)
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


CHILD = """
import socket, sys
from geo.web.netguard import install
install(sys.stdout)
try:
    socket.getaddrinfo("no-such-host.invalid", 80)
except OSError:
    pass
with socket.socket() as sock:
    sock.bind(("127.0.0.1", 0))
"""


def test_the_hook_sees_a_real_lookup_even_when_it_fails():
    # In a child process: an audit hook cannot be removed once installed.
    child = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=60, check=True
    )
    lines = [json.loads(line) for line in child.stdout.splitlines()]
    assert {"event": "socket.getaddrinfo", "host": "no-such-host.invalid", "port": 80} in lines
    assert any(r["event"] == "socket.bind" and r["host"] == "127.0.0.1" for r in lines)
