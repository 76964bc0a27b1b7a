"""The downloads tab: the shown territories as CSV, GeoJSON and a standalone map, and the
<iframe> code that embeds the view in another site."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from geo.domain.views import ViewState
from geo.texts.embed import EMBED_HEIGHT_PX, embed_url, iframe_code
from geo.texts.i18n import t
from geo.web.caches import standalone_map, territory_files


def show_downloads(shown: pd.DataFrame, view: ViewState, basemap: str) -> None:
    """Files built before the click (cached per view) and a click that does not rerun: a file
    made on click (a deferred download) or removed by a rerun during the download could be
    missing when the browser asks for it."""
    lang = view.lang
    ids = tuple(shown["id"])
    csv, geojson = territory_files(ids, lang)
    selected = view.territory if view.territory in set(ids) else ""
    st.caption(t("download_help", lang))
    left, middle, right = st.columns(3)
    left.download_button(
        t("download_csv", lang),
        csv,
        "territoires-french-impact.csv",
        "text/csv",
        on_click="ignore",
    )
    middle.download_button(
        t("download_geojson", lang),
        geojson,
        "territoires-french-impact.geojson",
        "application/geo+json",
        on_click="ignore",
    )
    right.download_button(
        t("download_map", lang),
        standalone_map(ids, lang, basemap, selected, view.regions),
        "carte-french-impact.html",
        "text/html",
        on_click="ignore",
    )
    show_embed_code(lang)


def show_embed_code(lang: str) -> None:
    """ "Intégrer cette carte": the <iframe> code of the view in the URL (geo.texts.embed)."""
    st.header(t("embed_title", lang))  # h2: the page's sections are h2 (heading order)
    url = embed_url(st.context.url, st.query_params.to_dict())
    # Plain text: the highlighter's token colours fail 4.5:1 on the code block's grey.
    st.code(iframe_code(url, t("embed_frame_title", lang)), language=None, wrap_lines=True)
    st.caption(t("embed_help", lang, height=EMBED_HEIGHT_PX))
