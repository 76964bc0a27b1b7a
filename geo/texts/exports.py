"""The territories as a download: a table in the reader's language (headers, kinds, themes,
région and lever names, the levers in one column per basis: used, suggested by a rule, inferred
from the label), and the same as GeoJSON with stable ids beside; and the table tab's shorter
table, its levers split the same way.

The CSV is for people (a French spreadsheet shows words, not codes); the GeoJSON is also for
programs, so its features keep the ids (territory, kind, région code, themes, levers) that do not
change with the language.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd
import shapely

from geo.domain.data import LINK_BASES, Dataset, split_list
from geo.domain.perimeters import territory_perimeter
from geo.geocoding import shapes
from geo.geocoding.export import spreadsheet_csv
from geo.geocoding.kinds import kind_label
from geo.texts.i18n import t

# Douglas-Peucker tolerance of the exported perimeters, in degrees (about 100 m in latitude,
# 70 m in longitude in mainland France): the whole file stays near 360 kB and a territory's
# area moves by well under 1 %.
EXPORT_TOLERANCE_DEG = 0.001

# Header keys (geo.texts.i18n) of the exported columns, in order.
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
        (str(territory), str(basis)): " ; ".join(names[lever] for lever in group["lever_id"])
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
    """Each territory's perimeter (Polygon or MultiPolygon) with the table's properties, the
    stable ids (id, kind, region_code, theme_ids, lever_ids as "lever-id:basis" separated by
    ";"), its seat point (seat_lon, seat_lat), the perimeter's level and codes, and whether that
    outline is approximate (areas and clusters). A territory with no perimeter keeps its point.
    """
    table = territories_table(dataset, shown, lang)
    links = dataset.links
    located = table.drop(columns=[t("export_lat", lang), t("export_lon", lang)])
    features = []
    for territory, props in zip(shown.to_dict("records"), located.to_dict("records"), strict=True):
        tid = territory["id"]
        perimeter = territory_perimeter(territory)
        stable = {
            "id": tid,
            "kind": territory["kind"],
            "region_code": territory["region_code"],
            "theme_ids": territory["themes"],
            "lever_ids": ";".join(
                f"{row.lever_id}:{row.basis}"
                for row in links[links["territory_id"] == tid].itertuples()
            ),
            "seat_lon": float(territory["lon"]),
            "seat_lat": float(territory["lat"]),
            "perimeter_level": perimeter.level if perimeter else None,
            "perimeter_codes": ";".join(perimeter.codes) if perimeter else None,
            "perimeter_approximate": perimeter.approximate if perimeter else None,
        }
        geometry = (
            perimeter_export_geometry(perimeter.level, perimeter.codes)
            if perimeter
            else {"type": "Point", "coordinates": [stable["seat_lon"], stable["seat_lat"]]}
        )
        properties = {key: (None if pd.isna(value) else value) for key, value in props.items()}
        features.append(
            {"type": "Feature", "geometry": geometry, "properties": stable | properties}
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False)


@lru_cache(maxsize=64)
def perimeter_export_geometry(
    level: str, codes: tuple[str, ...], tolerance: float = EXPORT_TOLERANCE_DEG
) -> dict:
    """A perimeter simplified to `tolerance` degrees as a valid GeoJSON geometry: rings closed,
    exteriors counter-clockwise and holes clockwise (RFC 7946), repaired if simplifying on the
    5-decimal grid made a ring cross itself. Cached per perimeter: callers must not mutate it."""
    geometry = shapely.from_geojson(
        json.dumps(shapes.perimeter_geojson(level, codes, tolerance=tolerance))
    )
    if not shapely.is_valid(geometry):
        geometry = shapely.make_valid(geometry, method="structure", keep_collapsed=False)
    return json.loads(shapely.to_geojson(shapely.orient_polygons(geometry)))
