"""``python -m deploy [--replicas 2] [--port 8080] [--address 127.0.0.1]``: the dashboard as N
Streamlit processes behind nginx, kept up by supervisord, in the foreground until Ctrl-C or
SIGTERM (exit 0), or until nginx or every replica could not be kept up (exit 1)."""

from __future__ import annotations

import argparse
import signal
import sys
import time

from deploy.cluster import cluster

POLL_SECONDS = 2.0
LOG_TAIL_LINES = 20


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy", description=__doc__)
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes (2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port (8080; 0: a free one)")
    parser.add_argument(
        "--address", default="127.0.0.1", help="nginx's address (0.0.0.0 to serve the network)"
    )
    args = parser.parse_args(argv)
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    # A service manager stops us with SIGTERM: leave through the same path as Ctrl-C, so that
    # supervisord stops the replicas and nginx too.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with cluster(args.replicas, args.port, args.address) as running:
            print(
                f"Carte ESS on {running.url} ({args.replicas} replicas under supervisord; "
                f"logs in {running.run_dir})"
            )
            sys.stdout.flush()
            while (problem := running.given_up()) is None:
                time.sleep(POLL_SECONDS)
            print(f"error: {problem}; stopping", file=sys.stderr)
            for replica in running.replicas:  # the run directory goes with us: say why here
                tail = "\n".join(replica.log().splitlines()[-LOG_TAIL_LINES:])
                print(f"--- the end of {replica.name}'s log\n{tail}", file=sys.stderr)
            return 1
    except KeyboardInterrupt:
        return 0
    except RuntimeError as err:  # could not start: no nginx, nothing healthy in time
        print(f"error: {err}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
