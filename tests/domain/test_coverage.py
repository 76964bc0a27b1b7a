"""Coverage (geo.domain.coverage): the shipped table agrees with a rebuild and with hand-checked sums."""

from __future__ import annotations

import pandas as pd
import pytest

from geo.domain.coverage import COLUMNS, coverage_table, load_coverage
from geo.domain.territories import load_placed


@pytest.fixture(scope="module")
def rebuilt() -> pd.DataFrame:
    return coverage_table(load_placed().placed)


def row(table: pd.DataFrame, level: str, code: str) -> dict:
    return table[(table["level"] == level) & (table["code"] == code)].iloc[0].to_dict()


def test_the_shipped_file_is_the_build_of_the_shipped_data(rebuilt):
    shipped = load_coverage()
    assert list(shipped.columns) == list(COLUMNS)
    pd.testing.assert_frame_equal(shipped, rebuilt, check_dtype=False)
    assert (shipped["level"] == "region").sum() == 18
    assert (shipped["level"] == "departement").sum() == 101


def test_hauts_de_france_by_hand(rebuilt):
    # Roubaix (commune 59512, 98,286 people) is a true perimeter; the Montreuillois is drawn by
    # its seat's CA des Deux Baies en Montreuillois (46 communes, 64,943 people): approximate.
    hdf = row(rebuilt, "region", "32")
    assert hdf["population"] == 5_992_194  # groups.csv.gz: the région's communes summed
    assert hdf["covered_population"] == 98_286
    assert hdf["approximate_population"] == 64_943
    assert hdf["covered_pct"] == pytest.approx(100 * 98_286 / 5_992_194, abs=0.005)
    assert hdf["territories"] == "roubaix" and hdf["approximate_territories"] == "montreuillois"
    assert row(rebuilt, "departement", "62")["approximate_population"] == 64_943
    assert row(rebuilt, "departement", "59")["covered_population"] == 98_286


def test_occitanie_by_hand_counts_each_commune_once(rebuilt):
    # Occitanie Est = Aude, Gard, Hérault, Lozère, Pyrénées-Orientales (2,954,218 people) plus
    # Toulouse Métropole (841,524); Grand Narbonne lies inside the Aude and adds nobody; Grand
    # Figeac (44,038, Lot) is approximate.
    occitanie = row(rebuilt, "region", "76")
    assert occitanie["covered_population"] == 2_954_218 + 841_524
    assert occitanie["approximate_population"] == 44_038
    assert occitanie["territories"] == "grand-narbonne;occitanie-est;toulouse-metropole"
    assert row(rebuilt, "departement", "11")["covered_pct"] == 100.0
    assert row(rebuilt, "departement", "46")["covered_population"] == 0


def test_whole_regions_and_sums(rebuilt):
    for code in ("53", "28", "75", "06"):  # labelled as a whole (Mayotte: its département)
        assert row(rebuilt, "region", code)["covered_pct"] == 100.0
    regions = rebuilt[rebuilt["level"] == "region"]
    departements = rebuilt[rebuilt["level"] == "departement"]
    for column in ("population", "covered_population", "approximate_population"):
        assert regions[column].sum() == departements[column].sum()
    assert (
        rebuilt["covered_population"] + rebuilt["approximate_population"] <= rebuilt["population"]
    ).all()


def test_payload_follows_the_outline_order_and_speaks_both_languages():
    from geo.geocoding import shapes
    from geo.maps.coverage_layer import BREAKS, COLORS, coverage_payload, coverage_update_script

    payload = coverage_payload("fr")
    order = [feature["code"] for feature in shapes.outline_layers()["departements"]]
    assert [row[0] for row in payload["departements"]] == order
    assert payload["regions"]["53"] == [100.0, 0.0]
    assert len(payload["labels"]) == len(BREAKS) == len(COLORS)
    assert payload["labels"][-1] == "66–100\u00a0%" and "périmètre vrai" in payload["legend"]
    assert coverage_payload("en")["labels"][-1] == "66–100%"
    script = coverage_update_script(True, "/x/coverage.js", "map_div")
    assert script.endswith('(map_div, true, "/x/coverage.js");')
