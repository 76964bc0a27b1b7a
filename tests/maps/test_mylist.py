"""A user's list on the map: escaping, clustering, nearest territory, and `python -m geo map`."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from html import escape
from pathlib import Path

import pandas as pd
import pytest

from geo.domain.data import load_dataset
from geo.domain.review import PLACE_COLUMNS, containing_territory, nearest_territory, with_places
from geo.domain.territories import default_geocoder, load_placed, place_territories
from geo.geocoding import shapes
from geo.geocoding.batch import geocode_table
from geo.geocoding.columns import PlaceColumns
from geo.maps.assets import script_text, standalone_html
from geo.maps.framing import busiest_area
from geo.maps.list_map import CLUSTER_ABOVE, FADED_TERRITORIES_CSS, build_list_map

ROOT = Path(__file__).resolve().parents[2]
HOSTILE = "<img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def placed() -> pd.DataFrame:
    return place_territories(load_dataset().territories, default_geocoder())


def list_map_html(rows: pd.DataFrame, placed: pd.DataFrame, category: str | None = None) -> str:
    result = geocode_table(rows, default_geocoder(), PlaceColumns(name="name"))
    m = build_list_map(result.table, "name", category, load_dataset(), placed)
    return m.get_root().render()


def test_a_list_without_a_label_column_draws_and_is_named_by_the_places_found(
    placed, factory_arguments
):
    """Without a column that names its rows (PlaceColumns.label() is None: a list read by its
    département alone, which places nothing) the map still draws (it raised KeyError: None);
    placed points are then named by the place the geocoder found."""
    by_departement = geocode_table(
        pd.DataFrame({"dep": ["Ain", "Finistère"]}),
        default_geocoder(),
        PlaceColumns(departement="dep"),
    )
    assert set(by_departement.table["geo_status"]) == {"not_found"}
    html = build_list_map(by_departement.table, None, None, load_dataset(), placed)
    (options,) = (args[0] for args in factory_arguments(html.get_root().render(), "listPoints"))
    assert options["rows"] == []
    named = geocode_table(
        pd.DataFrame({"v": ["Brest", "Lyon"]}), default_geocoder(), PlaceColumns(name="v")
    )
    html = build_list_map(named.table, None, None, load_dataset(), placed).get_root().render()
    (options,) = (args[0] for args in factory_arguments(html, "listPoints"))
    assert [row[3] for row in options["rows"]] == named.table["geo_label"].tolist()  # the label


def test_hostile_values_never_reach_html_unescaped(placed):
    rows = pd.DataFrame(
        {"name": ["Lyon", "Nantes"], "note": [HOSTILE, "</script><script>alert(2)</script>"]}
    )
    html = list_map_html(rows, placed, category="note")
    assert HOSTILE not in html
    assert "</script><script>alert(2)" not in html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in html  # carried as data, shown as text


def test_small_lists_are_not_clustered_and_large_ones_are(placed, factory_arguments):
    small = list_map_html(pd.DataFrame({"name": ["Lyon"] * 10}), placed)
    large = list_map_html(pd.DataFrame({"name": ["Lyon"] * (CLUSTER_ABOVE + 1)}), placed)
    assert factory_arguments(small, "listPoints")[0][0]["cluster"] is False
    assert factory_arguments(large, "listPoints")[0][0]["cluster"] is True
    code = script_text("list-points.js")
    assert 'L.markerClusterGroup({chunkedLoading: true, clusterPane: "fi-list"})' in code


def test_nearest_territory_of_a_point(placed):
    lats = pd.Series([50.70, -12.78]).to_numpy()
    lons = pd.Series([3.16, 45.23]).to_numpy()
    ids = placed["id"].to_numpy()[nearest_territory(lats, lons, placed)]
    assert ids.tolist() == ["roubaix", "mayotte"]


def test_points_learn_the_places_that_contain_them_whichever_geocoder_placed_them(placed):
    """Rows as an online provider returns them (a point, no département or région), one
    offline answer, and one row not found."""
    points = shapes.commune_points().set_index("code")
    roubaix, poitiers, paris = (points.loc[c] for c in ("59512", "86194", "75056"))
    table = pd.DataFrame(
        {
            "name": ["Hôtel de ville, Roubaix", "Poitiers", "Paris", "Blorptown"],
            "geo_status": ["resolved", "resolved", "resolved", "not_found"],
            "geo_lat": [roubaix["lat"], poitiers["lat"], paris["lat"], None],
            "geo_lon": [roubaix["lon"], poitiers["lon"], paris["lon"], None],
            "geo_departement": ["", "", "75", ""],
            "geo_region": ["", "", "11", ""],
            "geo_source": ["ban", "nominatim", "offline", ""],
        }
    )
    out = with_places(table, placed)
    assert out.columns.tolist() == table.columns.tolist() + PLACE_COLUMNS
    assert out["geo_departement"].tolist() == ["59", "86", "75", ""]
    assert out["geo_region"].tolist() == ["32", "75", "11", ""]
    assert out["geo_epci"].tolist()[:2] == ["200093201", "200069854"]  # MEL, Grand Poitiers
    # Paris lies in no labelled territory's stated perimeter (the Olympic one is approximate).
    assert out["geo_territory"].tolist() == ["Roubaix", "Grand Poitiers", "", ""]
    assert out["name"].tolist() == table["name"].tolist()  # every row back, in order


def test_a_point_inside_a_territory_says_so_instead_of_nearest(placed, factory_arguments):
    points = shapes.commune_points().set_index("code")
    # Villeneuve-d'Ascq (MEL, next to Roubaix but outside it); Poitiers (in Grand Poitiers and
    # in Nouvelle-Aquitaine: the smaller perimeter wins).
    lats = points.loc[["59009", "86194"], "lat"].to_numpy()
    lons = points.loc[["59009", "86194"], "lon"].to_numpy()
    inside = containing_territory(lats, lons, placed)
    assert inside[0] == -1
    assert placed["id"].to_numpy()[inside[1]] == "grand-poitiers"
    html = list_map_html(pd.DataFrame({"name": ["Poitiers"]}), placed)
    assert json.dumps("Dans le périmètre du territoire French Impact") in html
    assert [row[-1] for row in factory_arguments(html, "listPoints")[0][0]["rows"]] == [True]


def test_geo_map_command_writes_a_standalone_escaped_map(tmp_path):
    source = tmp_path / "liste.csv"
    source.write_text(f"name;type;note\nLyon;a;{HOSTILE}\nBlorptown;b;x\n", encoding="cp1252")
    output = tmp_path / "carte.html"
    run = subprocess.run(
        [sys.executable, "-m", "geo", "map", str(source), "-o", str(output), "--category", "type"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    html = output.read_text(encoding="utf-8")
    assert HOSTILE not in html
    assert "fi-marker" in html  # the labelled territories are a layer of the same map
    assert "cdnjs.cloudflare.com" not in html and "cdn.jsdelivr.net" not in html
    assert "1 resolved, 1 not_found" in run.stderr


def test_geo_map_command_popups_name_each_territorys_region(tmp_path, territory_layer):
    source = tmp_path / "liste.csv"
    source.write_text("name\nLyon\n", encoding="utf-8")
    output = tmp_path / "carte.html"
    run = subprocess.run(
        [sys.executable, "-m", "geo", "map", str(source), "-o", str(output)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    rows = territory_layer(output.read_text(encoding="utf-8"))["rows"]
    popups = {row[5]: row[6] for row in rows}  # tooltip (the name) → popup
    dataset, placed = load_placed()
    assert len(popups) == placed["lat"].notna().sum()
    assert "<b>Région</b> : Hauts-de-France<br>" in popups["Roubaix"]
    region_names = dataset.regions.set_index("code")["name"]
    for row in placed.dropna(subset=["lat", "lon"]).itertuples():
        assert (
            f"<b>Région</b> : {escape(region_names[row.region_code])}<br>"
            in popups[escape(row.name)]
        )


def test_geo_map_command_refuses_unusable_input(tmp_path):
    source = tmp_path / "x.csv"
    source.write_text("structure\nAtelier\n", encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "geo", "map", str(source), "-o", str(tmp_path / "m.html")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 2
    assert run.stderr.count("\n") == 1 and "--name" in run.stderr
    assert "Traceback" not in run.stderr


def test_ten_thousand_points_stay_small(placed):
    rows = pd.DataFrame({"name": ["Lyon", "Roubaix", "Mamoudzou", "Nantes"] * 2500})
    result = geocode_table(rows, default_geocoder(), PlaceColumns(name="name"))
    m = build_list_map(result.table, "name", None, load_dataset(), placed)
    served = len(m.get_root().render().encode())
    assert served < 3_000_000
    assert len(standalone_html(m).encode()) < served + 2_000_000


def test_category_colours_are_not_the_waves_and_ten_categories_get_their_own(placed):
    from geo.maps.list_map import CATEGORY_COLORS, OTHER_COLOR, category_colors
    from geo.maps.markers import WAVE_COLORS

    assert not set(CATEGORY_COLORS) & set(WAVE_COLORS.values())
    colors = category_colors([f"c{i}" for i in range(12)])
    assert len(set(list(colors.values())[:10])) == 10
    assert list(colors.values())[10:] == [OTHER_COLOR, OTHER_COLOR]


def test_a_legend_with_more_categories_than_colours_says_how_many_are_grouped(placed):
    rows = pd.DataFrame({"name": ["Lyon"] * 12, "type": [f"type {i}" for i in range(12)]})
    html = list_map_html(rows, placed, category="type")
    assert "2 autre(s), regroup\\u00e9e(s)" in html  # JSON-escaped in the legend's script


def test_popups_name_the_place_found_not_the_raw_column(placed, factory_arguments):
    html = list_map_html(pd.DataFrame({"name": ["Lyon"], "note": ["x"]}), placed)
    columns = factory_arguments(html, "listPoints")[0][0]["columns"]
    assert columns == ["name", "note", "lieu trouvé"]


def test_the_go_to_control_offers_every_overseas_area_with_points(placed, factory_arguments):
    rows = pd.DataFrame({"name": ["Saint-Denis (974)", "Fort-de-France", "Cayenne", "Lyon"]})
    html = list_map_html(rows, placed)
    places = factory_arguments(html, "goTo")[0][0]["places"]
    assert [place[0] for place in places] == [
        "Métropole",
        "Mayotte",
        "Martinique",
        "Guyane",
        "La Réunion",
    ]


REUNION = (-21.1151, 55.5364)  # Saint-Denis (La Réunion)
NANTES, LYON = (47.2186, -1.5538), (45.7677, 4.8354)


@pytest.mark.parametrize(
    "points, framed",
    [
        ([NANTES, LYON, REUNION], [NANTES, LYON]),  # one row overseas: the mainland is framed
        ([REUNION], [REUNION]),
        (
            [NANTES, REUNION, (-20.88, 55.45), (-21.33, 55.47)],
            [REUNION, (-20.88, 55.45), (-21.33, 55.47)],
        ),
        ([(16.24, -61.53), (-12.78, 45.23)], [(16.24, -61.53)]),  # a tie between two areas
        ([], []),
    ],
)
def test_the_list_map_frames_the_area_holding_most_points(points, framed):
    assert busiest_area(points) == framed


def test_the_list_map_draws_the_list_above_faded_territories_with_one_legend(
    placed, factory_arguments
):
    rows = pd.DataFrame({"name": ["Nantes", "Lyon", "Cilaos"], "kind": ["a", "b", "a"]})
    html = list_map_html(rows, placed, category="kind")
    (options,) = (args[0] for args in factory_arguments(html, "legend"))  # one legend
    legend = options["html"]
    assert legend.index("Votre liste (kind)") < legend.index("Territoires French Impact")
    assert legend.startswith("<details open>")  # it folds
    code = script_text("list-points.js")
    assert 'createPane("fi-list").style.zIndex = 650' in code  # above the markers' pane (600)
    assert 'pane: "fi-list"' in code and FADED_TERRITORIES_CSS in html
    # Framed on the two mainland points, La Réunion one click away in "Go to".
    bounds = json.loads(re.search(r"\.fitBounds\((\[\[.*?\]\])", html).group(1))
    assert bounds[0][0] > 41 and bounds[1][0] < 51.5
    assert "La Réunion" in [place[0] for place in factory_arguments(html, "goTo")[0][0]["places"]]


def test_a_hintless_homonym_is_drawn_at_its_most_populous_bearer(placed, factory_arguments):
    """Valence alone stays to check (ambiguous) but keeps the Drôme's point on the map."""
    rows = pd.DataFrame({"name": ["Valence", "Blorptown", "Lyon"]})
    result = geocode_table(rows, default_geocoder(), PlaceColumns(name="name"))
    assert result.table["geo_status"].tolist() == ["ambiguous", "not_found", "resolved"]
    m = build_list_map(result.table, "name", None, load_dataset(), placed)
    drawn = factory_arguments(m.get_root().render(), "listPoints")[0][0]["rows"]
    assert [row[3] for row in drawn] == ["Valence", "Lyon"]
    assert (drawn[0][0], drawn[0][1]) == tuple(result.table.loc[0, ["geo_lat", "geo_lon"]])
