"""Carte ESS — French Impact: the Streamlit page. It lays out widgets and calls geo/.

Run with `streamlit run dashboard.py`. The view (filters, selected territory, language) lives in
the URL; the data and the maps are built once and cached.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.config import DATA_DATE
from geo.domain.data import Dataset
from geo.domain.places import PlaceAnswer, shipped_place
from geo.domain.territories import load_placed
from geo.domain.views import ViewState, lever_page
from geo.geocoding.gazetteer import load_gazetteer
from geo.maps.base import BASEMAPS
from geo.texts.cards import about_links_text, basis_counts_text, lever_page_text, territory_metric
from geo.texts.empty import empty_view_text
from geo.texts.filters import WIDGET_KEYS, basis_filter
from geo.texts.formatting import long_date
from geo.texts.i18n import t
from geo.texts.matrix import matrix_html
from geo.texts.place_text import place_text
from geo.web.caches import (
    filter_specs,
    shown_summary,
    shown_territories,
    territory_names,
    territory_table,
    warm_up_in_background,
)
from geo.web.card_panel import show_card, show_comparison
from geo.web.downloads import show_downloads
from geo.web.list_tab import show_my_list
from geo.web.nodelay import send_without_delay
from geo.web.pagestyle import page_style
from geo.web.regions_tab import show_regions_tab
from geo.web.state import DEFAULT_TAB, TABS, current_view, init_state, reset_filters, sync_query
from geo.web.territory_map import show_map
from geo.web.widget_text import widget_text_script

send_without_delay()  # for `streamlit run dashboard.py`; carte-ess does it before serving
st.set_page_config(page_title="Carte ESS — French Impact", page_icon="🗺️", layout="wide")
# Less empty space above the title, so that the map and the tab bar fit on a laptop screen; the
# tab bar wraps on a phone rather than hiding tabs behind a sideways scroll.
st.html(
    "<style>.block-container{padding-top:2.75rem}"
    "h1{font-size:2rem!important;padding-top:0!important}"
    ".stTabs [role=tablist]{flex-wrap:wrap;row-gap:.25rem;overflow:visible}"
    "</style>"
)


def sidebar(lang: str) -> None:
    """The language, the filters, the search, the comparison picker, Reset and the base map."""
    choose = t("choose", lang)
    with st.sidebar:
        st.radio(
            "Langue / Language",
            ["fr", "en"],
            format_func={"fr": "Français", "en": "English"}.get,
            key="f_lang",
            horizontal=True,
        )
        st.header(t("filters", lang))
        for spec in filter_specs(lang):
            st.multiselect(
                spec.label,
                list(spec.options),
                format_func=spec.name,
                placeholder=choose,
                key=spec.key,
                select_all=False,  # Streamlit's "Select all" is English only
            )
            if spec.key == WIDGET_KEYS["levers"]:
                basis = basis_filter(lang)
                st.radio(
                    basis.label,
                    list(basis.options),
                    format_func=basis.name,
                    key=basis.key,
                    horizontal=True,
                    help=t("basis_filter_help", lang),
                )
        st.text_input(t("search", lang), key="f_text", placeholder=t("search_help", lang))
        names = territory_names()
        st.multiselect(
            t("compare", lang),
            list(names),
            format_func=names.__getitem__,
            max_selections=3,
            placeholder=choose,
            key=WIDGET_KEYS["compare"],
        )
        st.button(t("reset", lang), on_click=reset_filters, width="stretch")
        st.selectbox(
            t("basemap", lang),
            list(BASEMAPS),
            format_func=lambda key: t(BASEMAPS[key][0], lang),
            key="f_basemap",
        )


def show_place(dataset: Dataset, placed: pd.DataFrame, place: str, lang: str) -> PlaceAnswer | None:
    """The "find my place" field (?place=) and its answer; a choice when the query is ambiguous."""
    st.text_input(t("place_field", lang), key="f_place", placeholder=t("place_help", lang))
    if not place:
        return None
    answer = shipped_place(place)
    with st.container(border=True, key="place_answer"):
        st.markdown(place_text(answer, dataset, placed, lang))
        if answer.choices:
            queries = {choice.query: choice.label for choice in answer.choices}
            st.selectbox(
                t("place_choice", lang),
                list(queries),
                index=None,
                format_func=queries.__getitem__,
                key="place_pick",
                on_change=lambda: st.session_state.update(f_place=st.session_state["place_pick"]),
            )
    return answer


def show_empty(dataset: Dataset, placed: pd.DataFrame, view: ViewState) -> None:
    """No territory matches: which filters left nothing, the reset, and the nearest
    territories of a région that holds none."""
    lang = view.lang
    text = empty_view_text(view, dataset, placed, load_gazetteer(), filter_specs(lang), lang)
    with st.container(border=True):
        st.warning(text.message)
        for line in text.regions:
            st.markdown(line)
        st.button(t("reset", lang), on_click=reset_filters, key="empty_reset", type="primary")


def show_lever_page(dataset: Dataset, shown: pd.DataFrame, view: ViewState) -> None:
    """One lever chosen: the study's words, the note when no territory documents it, and each
    shown territory's reason to use it, with its source and basis."""
    lang = view.lang
    text = lever_page_text(lever_page(dataset, shown, view.levers[0]), dataset, lang)
    with st.container(border=True):
        st.markdown(text.title)
        st.markdown(f"**{t('lever_study', lang)}** : {text.study}")
        if text.note:
            st.info(text.note)
        st.markdown(text.users_title)
        st.markdown("\n".join(text.users) or t("lever_no_documented_user", lang))
        if text.suggested:
            st.markdown(text.suggested_title)
            st.markdown("\n".join(text.suggested))
        if text.inferred:
            with st.expander(text.inferred_title):  # apart, folded: see the About tab
                st.markdown("\n".join(text.inferred))


def show_table(ids: tuple[str, ...], lang: str) -> None:
    """The table tab: one row per shown territory, its link a column of its own."""
    if not ids:
        st.info(t("tab_empty", lang))
        return
    st.dataframe(
        territory_table(ids, lang),
        hide_index=True,
        width="stretch",
        column_config={t("col_link", lang): st.column_config.LinkColumn(display_text="↗")},
    )


def show_matrix(dataset: Dataset, shown: pd.DataFrame, lang: str) -> None:
    """The territory × lever matrix tab, of the shown territories."""
    if shown.empty:
        st.info(t("tab_empty", lang))
        return
    st.caption(t("matrix_help", lang))
    st.html(matrix_html(dataset, list(shown["id"]), lang))


def main() -> None:
    """The page, top to bottom: header, map and card side by side, comparison, the open tab."""
    dataset, placed = load_placed()
    warm_up_in_background()
    init_state(dataset)
    lang = st.session_state["f_lang"]
    st.markdown(page_style(), unsafe_allow_html=True)  # st.html drops a lone <style>
    view = current_view()
    basemap = st.session_state["f_basemap"]
    place = st.session_state["f_place"].strip()
    sync_query(view, basemap, place)

    st.title(t("title", lang))
    st.markdown(t("subtitle", lang))
    shown = shown_territories(view.filters())
    ids, region_count = shown_summary(view.filters())
    if shown.empty:
        show_empty(dataset, placed, view)
    map_column, card_column = st.columns([3, 2], gap="medium")
    with card_column:  # beside the map, which stays where it was on a laptop's first screen
        answer = show_place(dataset, placed, place, lang)
        st.toggle(t("coverage_toggle", lang), key="f_coverage", help=t("coverage_legend", lang))
    with map_column:
        show_map(shown, ids, view, basemap, answer)
    # The sidebar's widgets read and write session state only, so they can be drawn after the
    # map: the map's frame then reaches the browser before them (the first map is sooner).
    sidebar(lang)
    st.html(widget_text_script(lang), unsafe_allow_javascript=True)
    with card_column:
        first, second = st.columns(2)
        page = lever_page(dataset, shown, view.levers[0]) if len(view.levers) == 1 else None
        first.metric(*territory_metric(page, len(shown), len(placed), lang))
        second.metric(t("metric_regions", lang), region_count)
        if page is not None:
            st.caption(basis_counts_text(page, lang))
        show_card(ids, view)
    show_comparison(dataset, placed, view)
    if len(view.levers) == 1:
        show_lever_page(dataset, shown, view)
    labels = {tab: t(key, lang) for tab, key in TABS.items()}
    # The open tab is kept in the URL (?tab=) and across a language switch (each language's
    # tab bar has its own key: the one not drawn is forgotten, so it is handed the tab back).
    key = f"tab_{lang}"
    if key not in st.session_state:
        st.session_state[key] = labels[st.session_state["f_tab"]]
    # Only the open tab runs (the others cost a third of a rerun): a tab change reruns.
    tabs = st.tabs(list(labels.values()), key=key, on_change="rerun")
    views = {
        "table": lambda: show_table(ids, lang),
        "matrix": lambda: show_matrix(dataset, shown, lang),
        "regions": lambda: show_regions_tab(dataset, shown, lang),
        "downloads": lambda: show_downloads(shown, view, basemap),
        "list": lambda: show_my_list(dataset, placed, lang, basemap),
        "about": lambda: show_about(dataset, lang),
    }
    for tab, (name, view_of) in zip(tabs, views.items(), strict=True):
        if tab.open:
            st.session_state["f_tab"] = name
            if name != DEFAULT_TAB:
                st.query_params["tab"] = name
            with tab:
                view_of()


def show_about(dataset: Dataset, lang: str) -> None:
    """The About tab: what the page shows, its sources, accessibility, the data's date."""
    st.markdown(t("about_text", lang))
    st.markdown(about_links_text(dataset, lang))
    st.markdown(f"## {t('about_a11y_title', lang)}\n\n{t('about_a11y', lang)}")
    st.markdown(f"## {t('coverage_about_title', lang)}\n\n{t('coverage_about', lang)}")
    st.caption(t("data_date", lang, date=long_date(DATA_DATE, lang)))


main()
