"""Section 1: gazetteer load, 10,000 labels through the real batch path and a plain loop, and the
naive baseline (difflib.get_close_matches against every gazetteer name) on a slice of the draw."""

from __future__ import annotations

import difflib
import gc
from dataclasses import dataclass

import pandas as pd

from benchmarks.common import Section, median, timed
from benchmarks.draw import SAME_PLACE_KM, Label, as_table, draw, km
from geo.geocoding import gazetteer as gazetteer_module
from geo.geocoding.batch import geocode_table
from geo.geocoding.gazetteer import Gazetteer
from geo.geocoding.geocoder import NOT_FOUND, RESOLVED, Match, OfflineGeocoder
from geo.geocoding.normalize import normalize, split_kind
from geo.kinds import CODE_SPACE

NOMINATIM_SECONDS_PER_LABEL = 1.0  # Nominatim's usage policy: at most one request a second
RULE = (
    f"right = resolved to the drawn entity (same code space and code), or to another entity "
    f"whose point is within {SAME_PLACE_KM:g} km of it (e.g. Paris commune vs département); "
    f"made-up names: right only when not_found"
)


@dataclass
class Draw:
    labels: list[Label]
    table: pd.DataFrame


def cold_load() -> tuple[float, OfflineGeocoder]:
    """Seconds to read the gazetteer files and index them for the geocoder, every cache cleared."""
    gazetteer_module.load_gazetteer.cache_clear()
    normalize.cache_clear()
    split_kind.cache_clear()
    gc.collect()
    return timed(lambda: OfflineGeocoder(Gazetteer.load()))


def is_right(label: Label, match: Match) -> bool:
    if label.truth is None:
        return match.status == NOT_FOUND
    if match.status != RESOLVED or match.location is None:
        return False
    raw = match.location.raw
    if (CODE_SPACE.get(raw["kind"], "siren"), raw["code"]) == label.truth:
        return True
    lat, lon = match.location.point[:2]
    return km(lat, lon, label.lat, label.lon) <= SAME_PLACE_KM


def accuracy(labels: list[Label], matches: list[Match]) -> dict[str, float]:
    """Overall share of right answers, and per pool, typo and hint subsets."""
    right = [is_right(label, match) for label, match in zip(labels, matches, strict=True)]
    subsets = {
        "all": [True] * len(labels),
        **{
            pool: [lb.pool == pool for lb in labels]
            for pool in dict.fromkeys(lb.pool for lb in labels)
        },
        "typo": [lb.typo for lb in labels],
        "hinted": [lb.hinted for lb in labels],
    }
    return {
        name: sum(r for r, m in zip(right, mask, strict=True) if m) / max(1, sum(mask))
        for name, mask in subsets.items()
    }


def naive(labels: list[Label], names: list[str]) -> tuple[float, float]:
    """(seconds per label, accuracy) of difflib.get_close_matches against every name."""
    first_by_name: dict[str, int] = {}
    for index, name in enumerate(names):
        first_by_name.setdefault(name, index)
    seconds, answers = timed(
        lambda: [difflib.get_close_matches(label.name, names, n=1) for label in labels]
    )
    return seconds / len(labels), sum(
        (found == [] if label.truth is None else bool(found) and found[0] == label.name)
        for label, found in zip(labels, answers, strict=True)
    ) / len(labels)


def run(samples: int, naive_labels: int) -> tuple[Section, Draw, OfflineGeocoder]:
    section = Section("1. Geocoding (offline gazetteer)")
    _, geocoder = cold_load()
    gaz = geocoder.gazetteer
    labels = draw(gaz)
    table = as_table(labels)
    loads, batch_times, loop_times = [], [], []
    result = None
    for _ in range(samples):
        seconds, geocoder = cold_load()
        loads.append(seconds)
        seconds, result = timed(
            lambda g=geocoder: geocode_table(table, g, "name", "region", "departement")
        )
        batch_times.append(seconds)
        _, geocoder = cold_load()
        seconds, _ = timed(
            lambda g=geocoder: [
                g.resolve(lb.name, region=lb.region or None, departement=lb.departement or None)
                for lb in labels
            ]
        )
        loop_times.append(seconds)
    assert result is not None
    scores = accuracy(labels, result.matches)
    statuses = result.table["geo_status"].value_counts().to_dict()
    step = max(1, len(labels) // naive_labels)
    naive_per_label, naive_accuracy = naive(labels[::step][:naive_labels], geocoder.gazetteer.names)
    batch = median(batch_times)
    ours_per_label = batch / len(labels)
    section.add("gazetteer_load_seconds", median(loads), "s", "<= 0.5", "read 2 CSV + index")
    section.add(
        "geocode_10k_seconds", batch, "s", "<= 1", "geo.geocoding.batch.geocode_table (dedupes)"
    )
    section.add("geocode_10k_loop_seconds", median(loop_times), "s", "", "plain resolve() loop")
    section.add("geocode_10k_accuracy", round(scores["all"], 4), "", ">= 0.97", "see rule below")
    section.add(
        "geocode_naive_ratio",
        round(ours_per_label / naive_per_label, 5),
        "",
        "<= 0.02",
        f"ours/difflib per label, difflib on {min(naive_labels, len(labels[::step]))} labels",
    )
    section.add("naive_seconds_per_label", naive_per_label, "s", "", "difflib, all names")
    section.add("naive_accuracy", round(naive_accuracy, 4), "", "", "difflib, same rule on name")
    section.add(
        "nominatim_floor_10k_seconds",
        NOMINATIM_SECONDS_PER_LABEL * len(labels),
        "s",
        "",
        "policy floor: 1 label/s",
    )
    section.notes.append(f"accuracy rule: {RULE}")
    section.notes.append(
        "accuracy by subset: "
        + ", ".join(f"{k} {v:.3f}" for k, v in scores.items() if k != "all")
        + f"; statuses: {statuses}; unique labels: {len(set(zip(table['name'], table['region'], table['departement'], strict=True)))}"
    )
    section.notes.append(
        f"per label: ours {ours_per_label * 1e6:.0f} µs, difflib {naive_per_label * 1e3:.1f} ms, "
        f"Nominatim ≥ {NOMINATIM_SECONDS_PER_LABEL:.0f} s"
    )
    return section, Draw(labels, result.table), geocoder
