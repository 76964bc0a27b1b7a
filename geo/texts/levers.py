"""The study's levers as a territory's card, popup and marker read them: short names, in the
study's order.
"""

from __future__ import annotations

from geo.domain.data import Dataset
from geo.texts.i18n import short_lever_name


def lever_labels(dataset: Dataset, territory_id: str, lang: str) -> list[str]:
    """Short names of the levers and areas linked to a territory, in the study's order (the
    study's long names begin alike: "Développement de…" twice)."""
    linked = set(dataset.links.loc[dataset.links["territory_id"] == territory_id, "lever_id"])
    levers = dataset.levers[dataset.levers["id"].isin(linked)]
    return [short_lever_name(lever_id, lang) for lever_id in levers["id"]]


def levers_by_territory(dataset: Dataset, lang: str) -> dict[str, list[str]]:
    """`lever_labels` of every territory, by id: what the map's popups list."""
    return {tid: lever_labels(dataset, tid, lang) for tid in dataset.territories["id"]}
