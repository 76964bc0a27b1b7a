"""``python -m deploy [--replicas 2] [--port 8080] [--address 127.0.0.1]``: the dashboard as N
Streamlit processes behind nginx, in the foreground until Ctrl-C (or until nginx or every
replica has stopped)."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from deploy.cluster import cluster

POLL_SECONDS = 5.0


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes (2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (8080)")
    parser.add_argument(
        "--address", default="127.0.0.1", help="nginx's address (0.0.0.0 to serve the network)"
    )
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    # A service manager stops us with SIGTERM: leave through the same path as Ctrl-C, so that the
    # replicas and nginx are stopped too.
    signal.signal(signal.SIGTERM, _interrupt)
    with cluster(args.replicas, args.port, args.address) as running:
        print(f"Carte ESS on {running.url} ({args.replicas} replicas; nginx in {running.run_dir})")
        sys.stdout.flush()
        try:
            while running.nginx.poll() is None and running.live_replicas():
                time.sleep(POLL_SECONDS)
        except KeyboardInterrupt:
            pass
        if running.nginx.poll() is not None:
            print(f"nginx stopped (exit {running.nginx.returncode})", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
