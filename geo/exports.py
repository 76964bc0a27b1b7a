"""The territories as a download: a table in the reader's language (headers, kinds, themes,
région and lever names, each lever with its basis), and the same as GeoJSON with stable ids beside.

The CSV is for people (a French spreadsheet shows words, not codes); the GeoJSON is also for
programs, so its features keep the ids (territory, kind, région code, themes, levers) that do not
change with the language.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pandas as pd
import shapely

from geo.data import Dataset, split_list
from geo.geocoding import shapes, spreadsheet_csv
from geo.i18n import kind_label, t
from geo.perimeters import territory_perimeter

# Douglas-Peucker tolerance of the exported perimeters, in degrees (about 100 m in latitude,
# 70 m in longitude in mainland France): the whole file stays near 360 kB and a territory's
# area moves by well under 1 %.
EXPORT_TOLERANCE_DEG = 0.001

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
    "col_levers",
    "website",
    "note",
    "sources",
    "export_lat",
    "export_lon",
    "approximate_position",
)


def lever_list(dataset: Dataset, territory_id: str, lang: str) -> str:
    """The territory's levers, in the study's order, each with its basis: "Name (stated)"."""
    links = dataset.links[dataset.links["territory_id"] == territory_id]
    basis = dict(zip(links["lever_id"], links["basis"], strict=True))
    levers = dataset.levers[dataset.levers["id"].isin(basis)]
    return " ; ".join(
        f"{name} ({t(f'basis_{basis[lever_id]}', lang)})"
        for lever_id, name in zip(levers["id"], levers[f"name_{lang}"], strict=True)
    )


def territories_table(dataset: Dataset, shown: pd.DataFrame, lang: str) -> pd.DataFrame:
    """One row per shown territory, every header and value in `lang`."""
    themes = dataset.themes.set_index("id")[f"name_{lang}"]
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
        "col_levers": shown["id"].map(lambda tid: lever_list(dataset, tid, lang)),
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
            {"type": "Feature", "geometry": geometry, "properties": {**stable, **properties}}
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
