"""Visitors never see an error's details (.streamlit/config.toml: client.showErrorDetails =
"none"), and a developer gets them back with one option: a real server of a page that raises,
read over Streamlit's protocol as a browser would."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks.protocol import Visitor
from benchmarks.protocol_load import run_sync
from geo.web.harness import AppServer

SECRET = "secret-path-/srv/carte-ess/answers.sqlite3"
PAGE = f"""
import streamlit as st
st.markdown("before the fault")
raise RuntimeError({SECRET!r})
"""


async def exception_shown(url: str) -> list:
    visitor = Visitor(url)
    try:
        run = await visitor.open("")
    finally:
        await visitor.close()
    return run.of_kind("exception")


@pytest.mark.parametrize(
    "args, shown",
    [([], False), (["--client.showErrorDetails=full"], True)],
    ids=["as-deployed", "development"],
)
def test_an_error_shows_its_details_only_in_development(tmp_path: Path, args, shown):
    page = tmp_path / "faulty.py"
    page.write_text(PAGE, encoding="utf-8")
    with AppServer(page, args, timeout=60) as server:
        (exception,) = run_sync(exception_shown(server.url))
        log = server.log()
    details = f"{exception.type} {exception.message} {' '.join(exception.stack_trace)}"
    assert (SECRET in details) is shown
    assert ("RuntimeError" in details) is shown
    assert bool(exception.stack_trace) is shown
    assert SECRET in log  # the server's log always has it
