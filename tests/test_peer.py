"""The addok comparison's own parts, without addok or redis: the municipality documents it
indexes, the draw both geocoders answer, the scores, and what it says when addok cannot run."""

from __future__ import annotations

import ast
from collections import Counter

import pytest

from benchmarks import peer
from geo.geocoding.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def documents() -> dict[str, dict]:
    return {doc["citycode"]: doc for doc in peer.municipality_documents(load_gazetteer())}


def test_one_municipality_document_per_commune_and_arrondissement(documents):
    gaz = load_gazetteer()
    expected = sum(kind in ("commune", "arrondissement") for kind in gaz.kinds)
    assert len(documents) == expected
    assert {doc["type"] for doc in documents.values()} == {"municipality"}
    paris_13 = documents["75113"]
    assert paris_13["postcode"] == ["75013"]
    assert paris_13["context"] == "75, Paris, Île-de-France"
    assert "75013" in documents["75056"]["postcode"]  # the city carries its arrondissements' codes
    assert documents["26362"]["context"] == "26, Drôme, Auvergne-Rhône-Alpes"
    assert documents["26362"]["name"] == "Valence" and documents["26362"]["id"] == "26362"


def test_importance_grows_with_population_from_0_to_1(documents):
    importances = [doc["importance"] for doc in documents.values()]
    assert min(importances) >= 0 and max(importances) == 1.0
    assert documents["75056"]["importance"] == 1.0
    assert documents["26362"]["importance"] > documents["82186"]["importance"]  # Valence
    assert 0 < documents["75113"]["importance"] < documents["75056"]["importance"]


def test_the_draw_is_reproducible_and_covers_every_slice():
    gaz = load_gazetteer()
    rows = peer.draw_peer(gaz, count=2000)
    assert rows == peer.draw_peer(gaz, count=2000)
    counts = Counter(name for row in rows for name in row.slices)
    assert set(counts) == set(peer.SLICES)
    assert 0.25 < counts["postcode"] / len(rows) < 0.35
    codes = {code for code, kind in zip(gaz.codes, gaz.kinds, strict=True)
             if kind in ("commune", "arrondissement")}  # fmt: skip
    assert all(row.truth in codes for row in rows)
    assert all(row.query.startswith(row.place) for row in rows)
    alone = [row for row in rows if "homonym_alone" in row.slices]
    assert alone and not any(row.postcode for row in alone)


def test_scores_count_top_answers_wrong_resolutions_and_the_rest():
    rows = [
        peer.PeerRow("A", "", "1", frozenset({"typo"})),
        peer.PeerRow("B", "", "2", frozenset()),
        peer.PeerRow("C", "", "3", frozenset({"typo"})),
        peer.PeerRow("D", "", "4", frozenset()),
    ]
    answers = peer.Answers(["1", "9", "3", ""], [True, True, False, False], 0.0)
    scores = peer.scores(rows, answers)
    assert scores["all"] == {"rows": 4, "right": 0.5, "wrong": 0.25, "unresolved": 0.5}
    assert scores["typo"] == {"rows": 2, "right": 1.0, "wrong": 0.0, "unresolved": 0.5}
    assert scores["overseas"]["rows"] == 0


def test_without_redis_the_comparison_says_so(monkeypatch):
    monkeypatch.setattr(peer.shutil, "which", lambda name: None)
    python, reason = peer.addok_python()
    assert python is None and "redis-server" in reason
    monkeypatch.setattr(peer, "addok_python", lambda: (None, "redis-server not found"))
    section = peer.run(samples=1)
    assert "geocode_right" in {f.key for f in section.figures}
    assert not any(f.key.startswith("geocode_peer_addok") for f in section.figures)
    assert section.notes[0] == "addok skipped: redis-server not found"


def test_the_worker_imports_only_addok_which_stays_out_of_the_project():
    """addok runs in its own throwaway environment: the worker imports nothing else of note."""
    tree = ast.parse(peer.WORKER.read_text(encoding="utf-8"))
    imported = {
        (node.module if isinstance(node, ast.ImportFrom) else alias.name).split(".")[0]
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert imported - {"__future__", "json", "sys", "time", "pathlib"} == {"addok"}
    assert {package.split("==")[0] for package in peer.ADDOK_PACKAGES} == {
        name.replace("_", "-") for name in peer.ADDOK_MODULES
    }
