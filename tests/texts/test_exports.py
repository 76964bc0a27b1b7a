"""The territories' exports (geo.texts.exports) and the lever matrix (geo.texts.matrix), without Streamlit."""

from __future__ import annotations

import dataclasses
import io
import json
import re

import pandas as pd
import pytest
import shapely
import shapely.geometry

from geo.domain.data import LINK_BASES, split_list
from geo.geocoding import shapes
from geo.texts.exports import (
    overview_table,
    territories_csv,
    territories_geojson,
    territories_table,
)
from geo.texts.i18n import t
from geo.texts.matrix import matrix_html
from geo.web.widget_text import WIDGET_TEXTS, widget_rules, widget_text_script


def test_csv_speaks_french_with_names_not_codes(loaded):
    dataset, placed = loaded
    table = pd.read_csv(io.BytesIO(territories_csv(dataset, placed, "fr")), sep=";", dtype=str)
    assert list(table.columns[:4]) == ["Territoire", "Vague", "Date du label", "Type"]
    row = table.set_index("Territoire").loc["Roubaix"]
    assert row["Type"] == "Commune"
    assert row["Région"] == "Hauts-de-France"
    assert row["Thématiques"] == "Économie circulaire et zéro déchet"
    assert row["Position approximative"] == "non"
    links = dataset.links[dataset.links["territory_id"] == "roubaix"]
    names = dataset.levers.set_index("id")["name_fr"]
    for basis in LINK_BASES:  # one column per basis: which links are used, which suggested
        cell = row[t(f"col_levers_{basis}", "fr")]
        own = links.loc[links["basis"] == basis, "lever_id"]
        assert sorted(cell.split(" ; ") if isinstance(cell, str) else []) == sorted(names[own])
    codes = {"metropole", "sustainable_food", "False", "True"}
    assert not codes & set(table.to_numpy().ravel())


def test_english_table_and_geojson_keep_stable_ids(loaded):
    dataset, placed = loaded
    table = territories_table(dataset, placed, "en")
    assert {"Territory", "Kind", "Region", "Levers used (documented)", "Approximate position"} <= (
        set(table.columns)
    )
    features = json.loads(territories_geojson(dataset, placed, "en"))["features"]
    assert len(features) == len(placed)
    roubaix = next(f["properties"] for f in features if f["properties"]["id"] == "roubaix")
    assert roubaix["kind"] == "commune" and roubaix["Kind"] == "Municipality"
    assert roubaix["region_code"] == "32" and roubaix["Region"] == "Hauts-de-France"
    pairs = set(roubaix["lever_ids"].split(";"))
    links = dataset.links[dataset.links["territory_id"] == "roubaix"]
    assert pairs == {f"{a}:{b}" for a, b in zip(links["lever_id"], links["basis"], strict=True)}


def test_matrix_labels_every_row_and_column_and_marks_each_basis(loaded):
    dataset, placed = loaded
    html = matrix_html(dataset, list(placed["id"]), "fr")
    rows = re.findall(r'<th scope="row">([^<]*)</th>', html)
    assert len(rows) == len(placed)
    levers = dataset.levers[dataset.levers["kind"] != "framework"]
    assert html.count('<th scope="col"') == len(levers)
    assert "Achats responsables" in html  # a short name as the header, the full one as its title
    shown = dataset.links[dataset.links["lever_id"].isin(levers["id"])]
    body = html[html.index("<tbody>") :]
    for basis, count in shown["basis"].value_counts().items():
        assert body.count(f'class="fi-mark fi-mark-{basis}" role="img"') == count


def test_matrix_escapes_names(loaded):
    dataset, _ = loaded
    hostile = dataset.territories.copy()
    hostile.loc[hostile["id"] == "roubaix", "name"] = "<img src=x onerror=alert(1)>"
    html = matrix_html(dataclasses.replace(dataset, territories=hostile), ["roubaix"], "fr")
    assert "<img" not in html


def test_widget_texts_go_to_french_and_back():
    french = dict(widget_rules("fr"))
    assert french["No results"] == "Aucun résultat"
    assert any(
        pattern.startswith("(\\d") and "Mo par fichier" in rep for pattern, rep in french.items()
    )
    english = dict(widget_rules("en"))
    assert english["Aucun résultat"] == "No results"
    assert len(WIDGET_TEXTS) >= 10
    assert "<script>" in widget_text_script("fr") and "Aucun r" in widget_text_script("fr")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_overview_table_has_challenges_themes_and_levers_by_basis(loaded, lang):
    dataset, placed = loaded
    table = overview_table(dataset, placed, lang).set_index(t("col_name", lang))
    for key in ("challenges", "themes", *(f"col_levers_{b}" for b in LINK_BASES)):
        assert t(key, lang) in table.columns
    links = dataset.links
    names = dataset.levers.set_index("id")[f"name_{lang}"]
    for row in placed.itertuples():
        for basis in LINK_BASES:
            cell = table.loc[row.name, t(f"col_levers_{basis}", lang)]
            own = links[(links["territory_id"] == row.id) & (links["basis"] == basis)]
            assert sorted(filter(None, cell.split(" ; "))) == sorted(names[own["lever_id"]])
        challenges = row.challenges if lang == "fr" else row.challenges_en
        assert table.loc[row.name, t("challenges", lang)] == " ; ".join(split_list(challenges))
    # the question of issue 21: what each territory of Auvergne-Rhône-Alpes works on, at once
    aura = table[table[t("col_region", lang)] == "Auvergne-Rhône-Alpes"]
    assert len(aura) >= 2 and aura[t("themes", lang)].str.len().gt(0).any()


def test_achats_responsables_is_used_by_none_in_the_table(loaded):
    dataset, placed = loaded
    table = overview_table(dataset, placed, "fr")
    name = dataset.levers.set_index("id").loc["achats-responsables", "name_fr"]
    assert not table["Leviers utilisés (documentés)"].str.contains(name, regex=False).any()
    assert table["Leviers suggérés par une règle"].str.contains(name, regex=False).sum() == 9


def test_matrix_key_counts_the_shown_links_by_basis(loaded):
    dataset, placed = loaded
    html = matrix_html(dataset, list(placed["id"]), "fr")
    key = html[html.index('<p class="fi-matrix-key">') : html.index("</p>")]
    framework = set(dataset.levers.loc[dataset.levers["kind"] == "framework", "id"])
    counted = dataset.links[~dataset.links["lever_id"].isin(framework)]
    for basis in LINK_BASES:
        word = t(f"basis_{basis}", "fr")
        assert f"{word} : {(counted['basis'] == basis).sum()}</span>" in key


def ring_is_valid(ring: list[list[float]]) -> bool:
    """A GeoJSON linear ring: closed, at least four positions, longitude then latitude."""
    inside = all(-180 <= lon <= 180 and -90 <= lat <= 90 for lon, lat in ring)
    return len(ring) >= 4 and ring[0] == ring[-1] and inside


def test_geojson_features_are_valid_perimeters_with_their_seat(loaded):
    dataset, placed = loaded
    features = json.loads(territories_geojson(dataset, placed, "fr"))["features"]
    assert len(features) == len(placed) == 27
    for feature in features:
        geometry = feature["geometry"]
        assert geometry["type"] in {"Polygon", "MultiPolygon"}, feature["properties"]["id"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        for polygon in polygons:
            assert all(ring_is_valid(ring) for ring in polygon)
            exterior = shapely.LinearRing(polygon[0])
            assert exterior.is_ccw  # RFC 7946: exteriors counter-clockwise
            assert not any(shapely.LinearRing(hole).is_ccw for hole in polygon[1:])
        shape = shapely.geometry.shape(geometry)
        assert shape.is_valid, feature["properties"]["id"]
        props = feature["properties"]
        assert shape.buffer(0.01).contains(shapely.Point(props["seat_lon"], props["seat_lat"]))
        assert props["Territoire"] and props["lever_ids"]


def test_exported_perimeter_has_the_shipped_area(loaded):
    dataset, placed = loaded
    features = json.loads(territories_geojson(dataset, placed, "en"))["features"]
    by_id = {f["properties"]["id"]: f for f in features}
    for tid, level, code in (
        ("roubaix", "commune", "59512"),
        ("nantes-metropole", "epci", "244400404"),
    ):
        exported = shapes.area_km2(shapely.geometry.shape(by_id[tid]["geometry"]))
        shipped = shapes.area_km2(shapes.perimeter(level, code))
        assert exported == pytest.approx(shipped, rel=0.01)
        assert by_id[tid]["properties"]["perimeter_codes"] == code
    approximate = {
        f["properties"]["id"] for f in features if f["properties"]["perimeter_approximate"]
    }
    assert "montreuillois" in approximate and "roubaix" not in approximate
