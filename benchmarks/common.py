"""Shared helpers: medians of timed samples, and the figures each section reports."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Figure:
    """One reported number: its JSON key, value, unit, target and a short note."""

    key: str
    value: float | int | None
    unit: str = ""
    target: str = ""  # e.g. "<= 1", ">= 0.97", "= 0"; empty for an informative figure
    note: str = ""

    @property
    def verdict(self) -> str:
        if not self.target:
            return ""
        if self.value is None:
            return "n/a"
        op, bound = self.target.split()
        limit = float(bound)
        ok = {
            "<=": self.value <= limit,
            ">=": self.value >= limit,
            "=": self.value == limit,
        }[op]
        return "PASS" if ok else "MISS"


@dataclass
class Section:
    """The figures of one part of the run, plus free text lines (rules, baselines)."""

    title: str
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, key: str, value: Any, unit: str = "", target: str = "", note: str = "") -> None:
        self.figures.append(Figure(key, value, unit, target, note))

    def value(self, key: str) -> Any:
        return next(f.value for f in self.figures if f.key == key)


def median(values: list[float]) -> float:
    return float(statistics.median(values))


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one call, on the monotonic high-resolution clock."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def p95(values: list[float]) -> float:
    """95th percentile (nearest rank) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(0.95 * len(ordered) + 0.499999))
    return float(ordered[min(rank, len(ordered)) - 1])
