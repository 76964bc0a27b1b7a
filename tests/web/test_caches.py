"""Every cache has a bound: a server that runs for weeks must not grow with its visitors' views.

Read from the source (ast): Streamlit caches of functions that take arguments name their
`max_entries`; `functools.cache` (unbounded) only wraps functions without arguments; an
`lru_cache` never has `maxsize=None`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted([ROOT / "dashboard.py", *(ROOT / "geo").rglob("*.py")])


def _decorator_name(node: ast.expr) -> str:
    target = node.func if isinstance(node, ast.Call) else node
    return ast.unparse(target)


def _keywords(node: ast.expr) -> dict[str, str]:
    if not isinstance(node, ast.Call):
        return {}
    return {k.arg: ast.unparse(k.value) for k in node.keywords if k.arg}


def _maxsize(node: ast.expr) -> str:
    """lru_cache's maxsize as written ("128" when not given: its default)."""
    if not isinstance(node, ast.Call):
        return "128"
    if node.args:
        return ast.unparse(node.args[0])
    return _keywords(node).get("maxsize", "128")


def unbounded_caches(source: str) -> list[str]:
    """The functions of `source` whose cache can grow without limit, as 'name: why'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        takes_arguments = bool(node.args.args or node.args.kwonlyargs or node.args.vararg)
        for decorator in node.decorator_list:
            name, keywords = _decorator_name(decorator), _keywords(decorator)
            if name in {"st.cache_data", "st.cache_resource"}:
                if takes_arguments and "max_entries" not in keywords:
                    found.append(f"{node.name}: {name} without max_entries")
            elif name in {"cache", "functools.cache"} and takes_arguments:
                found.append(f"{node.name}: functools.cache on a function with arguments")
            elif name in {"lru_cache", "functools.lru_cache"} and _maxsize(decorator) == "None":
                found.append(f"{node.name}: lru_cache(maxsize=None)")
    return found


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_cache_has_a_bound(path):
    assert unbounded_caches(path.read_text(encoding="utf-8")) == []


@pytest.mark.parametrize(
    "source",
    [
        "@st.cache_data\ndef f(x): ...",
        "@st.cache_resource(show_spinner=False)\ndef f(x): ...",
        "@cache\ndef f(x): ...",
        "@functools.lru_cache(maxsize=None)\ndef f(x): ...",
        "@lru_cache(None)\ndef f(x): ...",
    ],
)
def test_the_check_finds_unbounded_caches(source):
    assert len(unbounded_caches(source)) == 1


@pytest.mark.parametrize(
    "source",
    [
        "@st.cache_data(max_entries=4)\ndef f(x): ...",
        "@st.cache_resource\ndef f(): ...",
        "@cache\ndef f(): ...",
        "@lru_cache(maxsize=8)\ndef f(x): ...",
    ],
)
def test_the_check_accepts_bounded_caches(source):
    assert unbounded_caches(source) == []
