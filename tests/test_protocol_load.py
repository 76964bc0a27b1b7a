"""The protocol load test against the real app: answers carry the view asked for, every action
ends with script_finished, and a session that sends garbage is an error, not a hang."""

from __future__ import annotations

import pytest

from benchmarks.protocol import Visitor
from benchmarks.protocol_load import (
    Schedule,
    Views,
    measure,
    run_sync,
    section,
    started_app,
    warm_up,
)
from geo.domain.territories import load_placed


@pytest.fixture(scope="module")
def app():
    with started_app() as (url, pids, log):
        run_sync(warm_up(url))
        yield url, pids, log


@pytest.fixture(scope="module")
def views() -> Views:
    return Views.of(load_placed())


def test_answers_carry_the_view_of_the_url_and_of_the_widgets(app, views):
    url = app[0]

    async def walk():
        visitor = Visitor(url, timeout=30)
        try:
            region = await visitor.open("region=76")
            card = await visitor.open("territory=roubaix")
            picked = await visitor.change("f_region", ["Hauts-de-France (2)"])
            return region, card, picked, visitor.query_string
        finally:
            await visitor.close()

    region, card, picked, query = run_sync(walk())
    assert "4 / 27" in region.texts()
    assert list(region.widget("f_region")[1].raw_values) == ["Occitanie (4)"]
    assert views.problems(region, "76", None) == []
    assert views.problems(region, "84", None)  # the check sees a wrong view
    assert "Roubaix" in [h.body for h in card.of_kind("heading")]
    assert views.problems(card, None, "roubaix") == []
    assert "2 / 27" in picked.texts()
    assert query == "region=32&territory=roubaix"  # the app wrote the new view into the URL


def test_every_action_finishes_and_a_malformed_backmsg_is_an_error(app, views):
    url, pids, log = app
    schedule = Schedule(sessions=3, seconds=6, interval=1, timeout=20)
    outcome = run_sync(measure(url, schedule, views, pids, bad_sessions=1))
    tally = outcome.tally
    assert len(tally.errors) == 1, tally.errors
    assert tally.errors[0].startswith("visitor 0, malformed:")
    assert "1002" in tally.errors[0]  # the server closed the connection: protocol error
    assert len(tally.seconds["load"]) == 3
    assert {"filter", "card", "reload", "reset"} <= set(tally.seconds)
    assert "malformed" not in tally.seconds
    assert outcome.wall < schedule.seconds + schedule.timeout  # nobody waited for a timeout
    figures = {f.key: f.value for f in section(outcome, log()).figures}
    assert figures["load_errors"] >= 1
    assert figures["load_sessions"] == 3
    assert (
        0
        < figures["load_p50_seconds"]
        <= figures["load_p95_seconds"]
        <= figures["load_max_seconds"]
    )
    assert figures["load_peak_rss_mb"] > 50
    assert figures["load_server_cpu_per_action_seconds"] > 0
