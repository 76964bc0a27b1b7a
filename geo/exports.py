"""The territories as a download: a table in the reader's language (headers, kinds, themes,
région and lever names, the levers in one column per basis: used, suggested by a rule, inferred
from the label), and the same as GeoJSON with stable ids beside; and the table tab's shorter
table, its levers split the same way.

The CSV is for people (a French spreadsheet shows words, not codes); the GeoJSON is also for
programs, so its features keep the ids (territory, kind, région code, themes, levers) that do not
change with the language.
"""

from __future__ import annotations

import pandas as pd

from geo.data import LINK_BASES, Dataset, split_list
from geo.geocoding import spreadsheet_csv, to_geojson
from geo.i18n import kind_label, t

# Header keys (geo.i18n) of the exported columns, in order.
EXPORT_COLUMNS = (
    "col_name",
    "wave",
    "label_date",
    "col_kind",
    "official_name",
    "export_entity_code",
    "departements",
    "col_region",
    "seat",
    "porteur",
    "challenges",
    "themes",
    "col_levers_stated",
    "col_levers_suggested",
    "col_levers_inferred",
    "website",
    "note",
    "sources",
    "export_lat",
    "export_lon",
    "approximate_position",
)


def levers_by_basis(dataset: Dataset, lang: str) -> dict[tuple[str, str], str]:
    """(territory id, basis) → the names of its levers on that basis, in the study's order,
    separated by " ; " (a spreadsheet cell)."""
    order = {lever_id: i for i, lever_id in enumerate(dataset.levers["id"])}
    names = dataset.levers.set_index("id")[f"name_{lang}"]
    links = dataset.links.assign(order=dataset.links["lever_id"].map(order)).sort_values("order")
    return {
        (territory, basis): " ; ".join(names[lever] for lever in group["lever_id"])
        for (territory, basis), group in links.groupby(["territory_id", "basis"], sort=False)
    }


def overview_table(dataset: Dataset, shown: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The table tab: each territory with its région, challenges and themes, and its levers in
    one column per basis (used, suggested by a rule, inferred from the label): a text
    alternative to the map that says what each link rests on. `col_link` is its website."""
    themes = dataset.themes.set_index("id")[f"name_{lang}"]
    levers = levers_by_basis(dataset, lang)
    columns = {
        t("col_name", lang): shown["name"],
        t("col_kind", lang): shown["kind"].map(lambda k: kind_label(k, lang)),
        t("col_region", lang): shown["region_name"],
        t("wave", lang): shown["wave"].astype(int),
        t("challenges", lang): shown["challenges" if lang == "fr" else "challenges_en"].map(
            lambda c: " ; ".join(split_list(c))
        ),
        t("themes", lang): shown["themes"].map(
            lambda c: ", ".join(themes.get(x, x) for x in split_list(c))
        ),
    }
    for basis in LINK_BASES:
        columns[t(f"col_levers_{basis}", lang)] = shown["id"].map(
            lambda tid, b=basis: levers.get((tid, b), "")
        )
    columns[t("col_link", lang)] = shown["website"]  # empty, not None: no "None" shown
    return pd.DataFrame(columns)


def territories_table(dataset: Dataset, shown: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per shown territory, every header and value in `lang`."""
    themes = dataset.themes.set_index("id")[f"name_{lang}"]
    levers = levers_by_basis(dataset, lang)
    values = {
        "col_name": shown["name"],
        "wave": shown["wave"],
        "label_date": shown["label_date"],  # ISO: every spreadsheet reads it as a date
        "col_kind": shown["kind"].map(lambda kind: kind_label(kind, lang)),
        "official_name": shown["official_name"],
        "export_entity_code": shown["entity_code"],
        "departements": shown["departement_codes"].map(lambda c: ", ".join(split_list(c))),
        "col_region": shown["region_name"],
        "seat": shown["seat"],
        "porteur": shown["porteur"],
        "challenges": shown["challenges" if lang == "fr" else "challenges_en"].map(
            lambda c: " ; ".join(split_list(c))
        ),
        "themes": shown["themes"].map(lambda c: ", ".join(themes.get(x, x) for x in split_list(c))),
        **{
            f"col_levers_{basis}": shown["id"].map(lambda tid, b=basis: levers.get((tid, b), ""))
            for basis in LINK_BASES
        },
        "website": shown["website"],
        "note": shown["note" if lang == "fr" else "note_en"],
        "sources": shown["sources"].map(lambda c: " ".join(split_list(c))),
        "export_lat": shown["lat"],
        "export_lon": shown["lon"],
        "approximate_position": shown["position_approximate"].map(
            lambda flag: t("yes" if flag else "no", lang)
        ),
    }
    return pd.DataFrame({t(key, lang): values[key] for key in EXPORT_COLUMNS})


def territories_csv(dataset: Dataset, shown: pd.DataFrame, lang: str) -> bytes:
    """The table for a French spreadsheet (see geo.geocoding.export.spreadsheet_csv)."""
    return spreadsheet_csv(territories_table(dataset, shown, lang))


def territories_geojson(dataset: Dataset, shown: pd.DataFrame, lang: str) -> str:
    """Points with the table's properties plus the stable ids: id, kind, region_code, themes,
    levers ("lever-id:basis" separated by ";")."""
    table = territories_table(dataset, shown, lang)
    links = dataset.links
    stable = pd.DataFrame(
        {
            "id": shown["id"],
            "kind": shown["kind"],
            "region_code": shown["region_code"],
            "theme_ids": shown["themes"],
            "lever_ids": shown["id"].map(
                lambda tid: ";".join(
                    f"{row.lever_id}:{row.basis}"
                    for row in links[links["territory_id"] == tid].itertuples()
                )
            ),
            "lat": shown["lat"],
            "lon": shown["lon"],
        },
        index=shown.index,
    )
    located = table.drop(columns=[t("export_lat", lang), t("export_lon", lang)])
    return to_geojson(pd.concat([stable, located], axis=1))
