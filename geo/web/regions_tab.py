"""The régions tab: the régions of the shown territories, then how much of each région and
département the labelled territories cover."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.domain.coverage import load_coverage
from geo.domain.data import Dataset
from geo.domain.views import region_summary
from geo.texts.cards import region_table
from geo.texts.coverage_table import coverage_display
from geo.texts.i18n import t
from geo.web.caches import territory_names


def show_regions_tab(dataset: Dataset, shown: pd.DataFrame, lang: str) -> None:
    """The tab: the shown territories' régions, then the coverage of every région."""
    show_regions(dataset, shown, lang)
    show_coverage_table(lang)


def show_coverage_table(lang: str) -> None:
    """The coverage figures (geo.domain.coverage) as sortable tables: régions, then départements."""
    names = territory_names()
    share = t("coverage_col_share", lang)
    approximate = t("coverage_col_approximate", lang)
    config = {
        share: st.column_config.ProgressColumn(share, format="%.1f %%", min_value=0, max_value=100),
        approximate: st.column_config.NumberColumn(approximate, format="%.1f %%"),
    }
    st.header(t("coverage_title", lang))  # h2 under the page's h1
    st.caption(t("coverage_help", lang))
    table = load_coverage()
    st.dataframe(
        coverage_display(table, "region", names, lang),
        hide_index=True,
        width="stretch",
        column_config=config,
        key="coverage_regions",
    )
    with st.expander(t("coverage_departements", lang)):
        st.dataframe(
            coverage_display(table, "departement", names, lang),
            hide_index=True,
            width="stretch",
            column_config=config,
        )


def show_regions(dataset: Dataset, shown: pd.DataFrame, lang: str) -> None:
    """The régions of the shown territories with their SSE figures, and the year they are of."""
    if shown.empty:
        st.info(t("tab_empty", lang))
        return
    summary = region_summary(dataset, shown)
    table = region_table(dataset, summary, lang)
    year = dataset.regions["sse_compared_year"].replace("", None).dropna().iloc[0]
    known = int(dataset.regions["sse_compared_share_pct"].ne("").sum())
    st.caption(t("regions_help", lang, year=year, known=known, total=len(dataset.regions)))
    st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        column_config={t("cress", lang): st.column_config.LinkColumn()},
    )
