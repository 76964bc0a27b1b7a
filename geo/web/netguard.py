"""`python -m geo.web.netguard LOG PAGE [streamlit options]`: serve PAGE as `python -m geo.web.launch`
does, writing to LOG (JSON lines) every address the server binds and every name it looks up or
host it contacts that is not this machine's loopback.

"Nothing leaves the machine but map tiles" is then a fact a test can read (tests/browser/
test_private.py): an audit hook (PEP 578) sees the sockets of Streamlit, Uvicorn and every
library without patching any of them, and records a lookup even when the network is down (where
watching connections would see nothing).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO

LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex"}
CONTACTS = {"socket.connect", "socket.sendto", "socket.sendmsg"}
LOOPBACK_NAMES = {"localhost", "::1", ""}


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or the name localhost."""
    return host in LOOPBACK_NAMES or host.startswith("127.")


def record(event: str, args: tuple) -> dict | None:
    """What an audit event says about the network: a bind (any address), or a lookup or contact
    of a non-loopback host; None for anything else (a Unix socket, loopback, other events)."""
    if event in LOOKUPS:
        address = (args[0], args[1] if len(args) > 1 else None)
    elif event in CONTACTS or event == "socket.bind":
        address = args[-1]  # (socket, address)
        if not isinstance(address, tuple):
            return None  # a Unix socket's path, or no address (a connected socket's sendmsg)
    else:
        return None
    host = address[0].decode() if isinstance(address[0], bytes) else str(address[0] or "")
    port = address[1] if len(address) > 1 else None
    if event != "socket.bind" and is_loopback(host):
        return None
    return {"event": event, "host": host, "port": port}


def install(log: IO[str]) -> None:
    """Write every record of this process's audit events to `log`, one JSON object a line."""

    def hook(event: str, args: tuple) -> None:
        found = record(event, args) if event.startswith("socket.") else None
        if found is not None:
            log.write(json.dumps(found) + "\n")
            log.flush()

    sys.addaudithook(hook)


def read_log(path: Path) -> list[dict]:
    """The records a guarded server wrote."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    return [json.loads(line) for line in text.splitlines() if line]


if __name__ == "__main__":
    from geo.web.launch import serve

    install(open(sys.argv[1], "a", encoding="utf-8"))  # noqa: SIM115 (open while serving)
    serve(Path(sys.argv[2]), sys.argv[3:])
