"""`carte-ess [streamlit options]`: serve the dashboard, as `streamlit run` would, from any
directory; `python -m geo.web.launch PAGE [options]` serves another page the same way (the tests'
and benchmarks' servers, so that they measure the deployed server).

An installed package carries the page (dashboard.py) inside it, so `carte-ess` finds it there.
Streamlit reads .streamlit/config.toml only from the current directory, so the project's settings
(no usage statistics, viewer toolbar...) are passed as command-line options; options given to
`carte-ess` come after them and win. The server runs in this process (a signal sent to
`carte-ess` reaches it, and stopping it leaves no orphan), after geo.web.nodelay's fix.
"""

from __future__ import annotations

import sys
import tomllib
from pathlib import Path

from geo.config import DASHBOARD
from geo.web.nodelay import send_without_delay


def streamlit_options(config_file: Path) -> list[str]:
    """`--section.key=value` for every setting of a Streamlit config.toml (none if absent)."""
    if not config_file.is_file():
        return []
    config = tomllib.loads(config_file.read_text(encoding="utf-8"))
    return [
        f"--{section}.{key}={str(value).lower() if isinstance(value, bool) else value}"
        for section, values in config.items()
        for key, value in values.items()
    ]


def run_arguments(page: Path, args: list[str]) -> list[str]:
    """`streamlit run`'s arguments that serve `page` with the project's settings."""
    options = streamlit_options(DASHBOARD.parent / ".streamlit" / "config.toml")
    return ["run", str(page), *options, *args]


def serve(page: Path, args: list[str]) -> None:
    """Serve `page` until stopped (Streamlit's command line, in this process)."""
    from streamlit.web import cli  # keep Streamlit out of imports

    send_without_delay()
    cli.main(args=run_arguments(page, args), prog_name="streamlit")


def main(argv: list[str] | None = None) -> None:
    """`carte-ess`: serve the dashboard."""
    serve(DASHBOARD, sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    serve(Path(sys.argv[1]), sys.argv[2:])
