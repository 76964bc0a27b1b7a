"""`carte-ess [streamlit options]`: start the dashboard with `streamlit run`, from any directory.

An installed package carries the page (dashboard.py) inside it, so `carte-ess` finds it there.
Streamlit reads .streamlit/config.toml only from the current directory, so the project's settings
(no usage statistics, viewer toolbar...) are passed as command-line options; options given to
`carte-ess` come after them and win.
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from geo.config import DASHBOARD


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


def command(args: list[str]) -> list[str]:
    """The `streamlit run` command line that serves the page with the project's settings."""
    options = streamlit_options(DASHBOARD.parent / ".streamlit" / "config.toml")
    return [sys.executable, "-m", "streamlit", "run", str(DASHBOARD), *options, *args]


def main(argv: list[str] | None = None) -> int:
    """Become the Streamlit server (exec): a signal sent to `carte-ess` reaches the server itself,
    and stopping it leaves no orphan process behind."""
    line = command(sys.argv[1:] if argv is None else argv)
    os.execv(line[0], line)
    return 1  # not reached: execv replaces this process


if __name__ == "__main__":
    sys.exit(main())
