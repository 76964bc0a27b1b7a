"""Every state a visitor can reach runs, and shows counts that agree with the data.

Each one-facet view (every région, département, wave, kind, lever × basis, theme, territory,
and searches with and without matches), in both languages and on every tab that depends on the
view, then Hypothesis-drawn combinations of filters, selection, comparison, language and tab,
all through AppTest. The expected territories are computed here from the curated CSVs, each
facet on its own (OR within a facet, AND across facets), not by geo.domain.views.filter_territories.
"""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo.domain.data import load_dataset, split_list
from geo.domain.views import ViewState
from geo.texts.filters import WIDGET_KEYS
from geo.texts.i18n import t

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")
DATA = load_dataset()
TERRITORIES = DATA.territories
ALL_IDS = frozenset(TERRITORIES["id"])
NAMES = dict(zip(TERRITORIES["id"], TERRITORIES["name"], strict=True))
# Tabs whose content depends on the view (the list and About do not): all of them in French,
# the two that compute from the view's rows in English (the suite's time is shared).
VIEW_TABS = ("tab_table", "tab_matrix", "tab_regions", "tab_downloads")
TABS_BY_LANG = {"fr": VIEW_TABS, "en": ("tab_table", "tab_regions")}
SEARCHES = {  # search text → expected ids, checked by hand against data/territories.csv
    "Roubaix": {"roubaix"},
    "chambery": {"grand-chambery"},
    "zzzz": set(),
    "Saint-Denis": set(),
}


def folded(text: str) -> str:
    """Lower case without accents: the search ignores both."""
    return "".join(
        c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c)
    )


def holding(cells, value: str) -> set[str]:
    """Ids of the territories whose ';'-list cell holds `value`."""
    ids = TERRITORIES["id"]
    return {tid for tid, cell in zip(ids, cells, strict=True) if value in split_list(cell)}


def matching(facet: str, value: str, basis: str = "") -> set[str]:
    """Ids of the territories one facet value keeps, read from the curated tables."""
    rows = TERRITORIES
    if facet == "regions":
        return set(rows.loc[rows["region_code"] == value, "id"])
    if facet == "departements":
        return holding(rows["departement_codes"], value)
    if facet == "waves":
        return set(rows.loc[rows["wave"] == value, "id"])
    if facet == "kinds":
        return set(rows.loc[rows["kind"] == value, "id"])
    if facet == "themes":
        return holding(rows["themes"], value)
    if facet == "levers":
        links = DATA.links[DATA.links["lever_id"] == value]
        if basis:
            links = links[links["basis"] == basis]
        return set(links["territory_id"])
    raise ValueError(facet)


def searched(text: str) -> set[str]:
    if text in SEARCHES:
        return SEARCHES[text]
    fields = ["name", "official_name", "seat", "porteur", "challenges", "challenges_en"]
    return {
        row["id"]
        for row in TERRITORIES[["id", *fields]].to_dict("records")
        if folded(text) in folded(" ".join(row[f] for f in fields))
    }


def expected_ids(view: ViewState) -> set[str]:
    kept = set(ALL_IDS)
    for facet in ("regions", "departements", "waves", "kinds", "levers", "themes"):
        values = getattr(view, facet)
        if values:
            kept &= set().union(*(matching(facet, v, view.basis) for v in values))
    if view.text:
        kept &= searched(view.text)
    return kept


def vocabulary() -> dict[str, list[str]]:
    rows = TERRITORIES
    return {
        "regions": sorted(DATA.regions["code"]),
        "departements": sorted({d for cell in rows["departement_codes"] for d in split_list(cell)}),
        "waves": sorted(set(rows["wave"])),
        "kinds": sorted(set(rows["kind"])),
        "levers": sorted(DATA.levers["id"]),
        "themes": sorted(DATA.themes["id"]),
    }


def one_facet_views() -> list[ViewState]:
    views = []
    for facet, values in vocabulary().items():
        for value in values:
            views.append(ViewState(**{facet: (value,)}))
            if facet == "levers":
                views.append(ViewState(levers=(value,), basis="stated"))
    views += [ViewState(territory=tid) for tid in sorted(ALL_IDS)]
    views += [ViewState(text=text) for text in SEARCHES]
    return views


ONE_FACET = one_facet_views()


@cache
def session(lang: str) -> AppTest:
    """One page session per language, moved from view to view as a visitor's widgets would."""
    app = AppTest.from_file(APP, default_timeout=120)
    if lang == "en":
        app.query_params["lang"] = "en"
    return app.run()


def show(app: AppTest, view: ViewState, tab: str) -> AppTest:
    picker = app.selectbox(key="f_territory")
    if view.territory and NAMES[view.territory] not in picker.options:  # options as shown
        # As a visitor would: a territory the last view's picker did not offer is reached by
        # resetting the filters first (AppTest reads a widget's value among its options).
        show(app, ViewState(lang=view.lang), tab)
    for attribute, key in WIDGET_KEYS.items():
        value = getattr(view, attribute)
        app.session_state[key] = list(value) if isinstance(value, tuple) else value
    app.session_state[f"tab_{view.lang}"] = t(tab, view.lang)
    return app.run()


def tab_downloads(app: AppTest) -> list:
    """The downloads tab's buttons (a card adds its PDF sheet's)."""
    return [b for b in app.get("download_button") if not (b.key or "").startswith("sheet_")]


def shown_count(app: AppTest) -> int:
    shown, total = app.metric[0].value.split(" / ")
    assert int(total) == len(ALL_IDS)
    return int(shown)


def check_page(app: AppTest, view: ViewState, tab: str) -> None:
    """No exception; the metrics, the open tab and the empty state agree with the data."""
    assert not app.exception, [e.message for e in app.exception]
    lang = view.lang
    expected = expected_ids(view)
    if len(view.levers) == 1:  # one lever: the metric counts the territories that use it
        links = DATA.links
        used = links.loc[
            (links["lever_id"] == view.levers[0]) & (links["basis"] == "stated"), "territory_id"
        ]
        assert app.metric[0].label == t("metric_lever_used", lang)
        assert shown_count(app) == len(set(used) & set(expected))
    else:
        assert shown_count(app) == len(expected)
    regions = set(TERRITORIES.loc[TERRITORIES["id"].isin(expected), "region_code"])
    assert int(app.metric[1].value) == len(regions)
    warnings = " ".join(w.value for w in app.warning)
    nothing = t("tab_empty", lang)
    infos = [i.value for i in app.info]
    if not expected:
        assert t("empty_view", lang, filters="").split("(")[0] in warnings
        for code in view.regions:
            name = DATA.regions.set_index("code").loc[code, "name"]
            if not matching("regions", code):  # a région with no territory names the nearest
                lines = [m.value for m in app.markdown if m.value.startswith(name)]
                assert lines and " km)" in lines[0], name
        if tab in ("tab_table", "tab_matrix", "tab_regions"):
            assert nothing in infos
        if tab == "tab_downloads":  # the files of zero rows stay downloadable
            assert len(tab_downloads(app)) == 3
        assert any(b.label == t("reset", lang) for b in app.button)
        return
    assert nothing not in infos
    if tab == "tab_table":
        table = app.dataframe[0].value
        names = set(TERRITORIES.loc[TERRITORIES["id"].isin(expected), "name"])
        assert set(table.iloc[:, 0]) == names and len(table) == len(expected)
    if tab == "tab_regions":
        table = app.dataframe[0].value
        assert table[t("col_count", lang)].sum() == len(expected)
        assert len(table) == len(regions)
    if tab == "tab_downloads":
        assert len(tab_downloads(app)) == 3


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    "view", ONE_FACET, ids=[str(v.to_query()).replace(" ", "") for v in ONE_FACET]
)
def test_every_one_facet_view_runs_and_counts_what_the_data_holds(view, lang):
    view = ViewState(**{**vars(view), "lang": lang})
    app = session(lang)
    for tab in TABS_BY_LANG[lang]:
        check_page(show(app, view, tab), view, tab)


def test_the_state_space_covers_every_facet_value():
    sizes = {facet: len(values) for facet, values in vocabulary().items()}
    assert len(ONE_FACET) == sum(sizes.values()) + sizes["levers"] + len(ALL_IDS) + len(SEARCHES)
    empty = [v for v in ONE_FACET if not expected_ids(v)]
    # The views that crashed the page: régions without a territory, a lever no territory
    # documents, searches that match nothing.
    assert ViewState(regions=("01",)) in empty and ViewState(levers=("habitat-durable",)) in empty
    assert ViewState(text="zzzz") in empty


FACETS = vocabulary()
IDS = sorted(ALL_IDS)


@st.composite
def views(draw) -> tuple[ViewState, str]:
    def some(facet: str, most: int) -> tuple[str, ...]:
        return tuple(draw(st.lists(st.sampled_from(FACETS[facet]), max_size=most, unique=True)))

    view = ViewState(
        lang=draw(st.sampled_from(["fr", "en"])),
        regions=some("regions", 3),
        departements=some("departements", 2),
        waves=some("waves", 1),
        kinds=some("kinds", 2),
        levers=some("levers", 2),
        themes=some("themes", 2),
        basis=draw(st.sampled_from(["", "stated"])),
        text=draw(st.sampled_from(["", "", "métropole", "Lyon", "zzzz"])),
        territory=draw(st.sampled_from(["", *IDS])),
        compare=tuple(draw(st.lists(st.sampled_from(IDS), max_size=3, unique=True))),
    )
    return view, draw(st.sampled_from([*VIEW_TABS, "tab_about"]))


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same draws on every run: a failure reproduces
    suppress_health_check=[HealthCheck.too_slow],
)
@given(views())
def test_drawn_combinations_of_filters_selection_and_comparison_run(drawn):
    view, tab = drawn
    app = show(session(view.lang), view, tab)
    check_page(app, view, tab)
    if len(view.compare) >= 2:
        assert any(h.value == t("compare_title", view.lang) for h in app.main.header)
