"""The panel beside the map: the selected territory's card with its sheet and similar
territories, and the side-by-side comparison of two or three territories under the map."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.domain.data import Dataset
from geo.domain.views import ViewState
from geo.geocoding.gazetteer import load_gazetteer
from geo.texts.cards import CardText
from geo.texts.compare import comparison_table
from geo.texts.filters import WIDGET_KEYS
from geo.texts.formatting import markdown_text
from geo.texts.i18n import t
from geo.texts.sheet import sheet_filename, territory_sheet
from geo.web.caches import similar_territories, territory_card_text, territory_names
from geo.web.card_focus import card_focus_html

CARD_HEIGHT = 420


def show_card(ids: tuple[str, ...], view: ViewState) -> None:
    """The territory picker and the picked territory's card: a marker's click picks it too
    (territory_map), and a territory the filters hide keeps its card, with a warning."""
    lang = view.lang
    names = territory_names()
    choices = ["", *ids]
    if view.territory and view.territory not in choices:
        choices.append(view.territory)
    st.selectbox(
        t("pick_territory", lang),
        choices,
        placeholder=t("choose", lang),
        format_func=lambda tid: names.get(tid, t("none", lang)),
        key="f_territory",
    )
    selected = st.session_state["f_territory"]
    st.html(card_focus_html(selected), unsafe_allow_javascript=True)  # a phone scrolls to it
    shown_card = territory_card_text(selected, lang)
    if shown_card is None:
        st.info(t("click_hint", lang))
        return
    card, text = shown_card
    if card.territory["id"] not in ids:
        st.warning(t("filtered_out", lang, name=card.territory["name"]))
    with st.container(height=CARD_HEIGHT, border=False):  # scrolls beside the map
        render_card(text, lang)
        tid = card.territory["id"]
        st.download_button(
            t("sheet_download", lang),
            # Made before the click (a deferred file can be gone when the browser asks for it
            # after a rerun), once per territory, language and process (~0.3 s).
            territory_sheet(tid, lang),
            sheet_filename(tid, lang),
            "application/pdf",
            key=f"sheet_{tid}_{lang}",
            on_click="ignore",
        )
        show_similar(card.territory, lang)


def show_similar(territory: dict, lang: str) -> None:
    """The card's last section: territories sharing the most with this one, each one click
    from its own card or from a side-by-side comparison."""
    st.markdown(f"### {t('similar_title', lang)}")
    st.caption(t("similar_help", lang, name=territory["name"]))
    similar = similar_territories(territory["id"], lang)
    if not similar:
        st.markdown(t("similar_none", lang))
    for rank, entry in enumerate(similar, 1):
        name_column, compare_column = st.columns([5, 3], vertical_alignment="center")
        name_column.button(
            f"{rank}. {entry.name}",
            key=f"similar_{entry.territory_id}",
            type="tertiary",
            on_click=st.session_state.update,
            kwargs={"f_territory": entry.territory_id},
        )
        compare_column.button(
            t("compare_with", lang),
            key=f"compare_{entry.territory_id}",
            on_click=st.session_state.update,
            kwargs={WIDGET_KEYS["compare"]: [territory["id"], entry.territory_id]},
            help=f"{territory['name']} / {entry.name}",
        )
        st.caption(entry.shared)


def show_comparison(dataset: Dataset, placed: pd.DataFrame, view: ViewState) -> None:
    """Two or three territories side by side, with a notice for ids a link named in vain."""
    lang = view.lang
    kept, dropped = st.session_state.get("compare_dropped", ((), ()))
    if dropped and view.compare == kept:
        st.info(t("compare_dropped", lang, ids=markdown_text(", ".join(dropped))))
    if not view.compare:
        return
    st.header(t("compare_title", lang))
    if len(view.compare) < 2:
        st.info(t("compare_more", lang))
        return
    table = comparison_table(view.compare, dataset, placed, load_gazetteer(), lang)
    st.markdown(  # scrolls sideways on a phone rather than being cut
        f'<div style="overflow-x:auto">\n\n{table}\n\n</div>',
        unsafe_allow_html=True,  # <br> inside cells; every data text is escaped
    )
    st.button(
        t("compare_close", lang),
        on_click=st.session_state.update,
        kwargs={WIDGET_KEYS["compare"]: []},
    )


def render_card(text: CardText, lang: str) -> None:
    """A card's texts (geo.texts.cards.card_text), its longer parts folded."""
    st.header(text.title)  # h2 under the page's h1: headings in order
    st.caption(text.caption)
    st.markdown(text.facts)
    if text.challenges_title:
        st.markdown(text.challenges_title)
        st.markdown(text.challenges)
    if text.themes:
        st.markdown(text.themes)
    if text.undocumented:
        st.caption(text.undocumented)
    if text.note:
        st.caption(text.note)
    st.markdown(text.perimeter)
    st.caption(text.position)
    if text.website:
        st.markdown(text.website)
    with st.expander(t("sources", lang)):
        st.markdown(text.sources)
    st.markdown(text.levers_title)
    for lever in text.levers:
        with st.expander(lever.title):
            for paragraph in lever.paragraphs:
                st.markdown(paragraph)
    st.markdown(text.region_title)
    st.markdown(text.region_facts)
