"""Accuracy on real lists (tests/fixtures/lists, from the public TZCLD lists): the exports' own
columns detected, each row placed in its true commune or arrondissement, none confidently wrong."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from geo.domain.territories import default_geocoder
from geo.geocoding.batch import GEO_COLUMNS, geocode_table
from geo.geocoding.columns import PlaceColumns, choose_columns
from geo.geocoding.readers import read_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "lists"
FILES = sorted(FIXTURES.glob("*.csv"))
TARGET_ACCURACY = 0.98


def geocoded(path: Path) -> tuple[pd.DataFrame, pd.Series, PlaceColumns]:
    table = read_table(path.read_bytes(), path.name)
    truth = table.pop("_truth")
    columns, _ = choose_columns(list(table.columns), PlaceColumns())
    result = geocode_table(table, default_geocoder(), columns)
    return result.table, truth, columns


@pytest.fixture(scope="module")
def answers() -> dict[str, tuple[pd.DataFrame, pd.Series, PlaceColumns]]:
    return {path.name: geocoded(path) for path in FILES}


def test_the_fixture_holds_at_least_100_rows_in_six_shapes(answers):
    assert len(answers) == 6
    assert sum(len(table) for table, _, _ in answers.values()) >= 100


@pytest.mark.parametrize(
    "name, place, postcode, departement",
    [
        ("sirene.csv", "libelleCommuneEtablissement", "codePostalEtablissement", None),
        ("rna.csv", "adrs_libcommune", "adrs_codepostal", None),
        ("adresses.csv", "nom_commune", "code_postal", None),
        ("tableur.csv", "Commune", "Code postal", None),
        ("villes_departements.csv", "Ville", None, "Département"),
        ("adresse_une_colonne.csv", "Adresse", None, None),
    ],
)
def test_the_exports_columns_are_detected(answers, name, place, postcode, departement):
    columns = answers[name][2]
    assert (columns.name, columns.postcode, columns.departement) == (
        place,
        postcode,
        departement,
    )


def test_accuracy_on_real_lists_and_no_confident_wrong_answer(answers):
    rows = pd.concat(
        [
            table.assign(truth=truth.to_numpy(), file=name)
            for name, (table, truth, _) in answers.items()
        ]
    )
    resolved = rows["geo_status"] == "resolved"
    right = resolved & (rows["geo_code"] == rows["truth"])
    wrong = rows[resolved & (rows["geo_code"] != rows["truth"])]
    assert wrong.empty, wrong[["file", "truth", "geo_code", "geo_label"]]
    assert right.mean() >= TARGET_ACCURACY, rows[~right][
        ["file", "truth", "geo_status", "geo_note"]
    ]


def test_every_row_comes_back_in_order_with_the_geo_columns(answers):
    for name, (table, _, _) in answers.items():
        source = read_table((FIXTURES / name).read_bytes(), name).drop(columns="_truth")
        assert list(table.columns) == list(source.columns) + GEO_COLUMNS
        pd.testing.assert_frame_equal(table[source.columns], source)
