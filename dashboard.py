"""Carte ESS — French Impact: the Streamlit page. It lays out widgets and calls geo/.

Run with `streamlit run dashboard.py`. The view (filters, selected territory, language) lives in
the URL; the data and the maps are built once and cached.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.config import DATA_DATE
from geo.domain.coverage import load_coverage
from geo.domain.data import Dataset
from geo.domain.places import MAX_QUERY_CHARS, PlaceAnswer, shipped_place
from geo.domain.review import correct_row, export_table, row_candidates, rows_to_check, with_places
from geo.domain.territories import default_geocoder, load_placed
from geo.domain.views import (
    ViewState,
    compared_ids,
    lever_page,
    region_summary,
    vocabulary,
)
from geo.geocoding import normalize
from geo.geocoding.batch import geocode_table
from geo.geocoding.columns import detect_columns, detect_label_column
from geo.geocoding.errors import InputError
from geo.geocoding.export import spreadsheet_csv, to_geojson
from geo.geocoding.gazetteer import load_gazetteer
from geo.geocoding.online import PROVIDERS, shared_provider
from geo.geocoding.readers import MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS
from geo.maps import assets
from geo.maps.base import BASEMAPS
from geo.maps.coverage_layer import coverage_update_script
from geo.maps.list_map import build_list_map
from geo.maps.place_marker import place_marker_script
from geo.maps.protocol import region_click, toggle_region, update_script
from geo.texts.cards import (
    CardText,
    about_links_text,
    basis_counts_text,
    lever_page_text,
    region_table,
    territory_metric,
)
from geo.texts.compare import comparison_table
from geo.texts.coverage_table import coverage_display
from geo.texts.embed import EMBED_HEIGHT_PX, embed_url, iframe_code
from geo.texts.empty import empty_view_text
from geo.texts.exports import territories_csv, territories_geojson
from geo.texts.filters import WIDGET_KEYS, basis_filter
from geo.texts.formatting import long_date, markdown_text, number
from geo.texts.i18n import fault_message, t
from geo.texts.matrix import matrix_html
from geo.texts.place_text import place_text
from geo.texts.review_table import review_table
from geo.texts.sheet import sheet_filename, territory_sheet
from geo.web import publish
from geo.web.caches import (
    coverage_script_url,
    dynamic_layer,
    filter_specs,
    mounted_base,
    read_upload,
    shown_summary,
    shown_territories,
    similar_territories,
    standalone_map,
    territory_card_text,
    territory_names,
    territory_table,
    warm_up_in_background,
)
from geo.web.card_focus import card_focus_html
from geo.web.mounted import MAP_NAME, show_mounted
from geo.web.nodelay import send_without_delay
from geo.web.pagestyle import page_style
from geo.web.widget_text import widget_text_script

MAP_KEY = "map"
CARD_HEIGHT = 420
MAP_HEIGHT = 530  # with the page header, the map and the tab bar fit a 1366×768 laptop screen
# (a click also no longer scrolls the page: geo/maps/base.py focuses the map with preventScroll)
CATEGORY_GUESSES = ("category", "categorie", "type", "theme", "thematique")
# The tabs by their ?tab= value (the first is the default) and the key of their label.
TABS = {
    "table": "tab_table",
    "matrix": "tab_matrix",
    "regions": "tab_regions",
    "downloads": "tab_downloads",
    "list": "tab_upload",
    "about": "tab_about",
}
DEFAULT_TAB = next(iter(TABS))

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


def init_state(dataset: Dataset) -> None:
    """On a session's first run, the URL decides the view (a shared link restores it)."""
    if "initialised" in st.session_state:
        return
    known = vocabulary(dataset)
    view = ViewState.from_query(st.query_params.to_dict(), known)
    show_view(view)
    # What a shared ?compare= link named but the page left out, said once above the comparison.
    st.session_state["compare_dropped"] = compared_ids(
        st.query_params.get("compare", ""), known["territory"]
    )
    st.session_state["f_lang"] = view.lang
    st.session_state["f_basemap"] = st.query_params.get("basemap", "osm")
    st.session_state["f_place"] = st.query_params.get("place", "")[:MAX_QUERY_CHARS]
    st.session_state["f_coverage"] = st.query_params.get("coverage", "") == "1"
    tab = st.query_params.get("tab", DEFAULT_TAB)
    st.session_state["f_tab"] = tab if tab in TABS else DEFAULT_TAB
    st.session_state["initialised"] = True


def show_view(view: ViewState) -> None:
    """Set the filter widgets to a view."""
    for attribute, key in WIDGET_KEYS.items():
        value = getattr(view, attribute)
        st.session_state[key] = list(value) if isinstance(value, tuple) else value


def reset_filters() -> None:
    show_view(current_view().cleared())


def current_view() -> ViewState:
    values = {attribute: st.session_state[key] for attribute, key in WIDGET_KEYS.items()}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return ViewState(lang=st.session_state["f_lang"], **values)


def sidebar(lang: str) -> None:
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
            format_func=names.get,
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


def apply_region_click() -> None:
    """A click on a région of the map toggles it in the région filter, as the sidebar would.

    An on_change callback: it runs before the sidebar's widget exists, so it may set it.
    """
    region = region_click(st.session_state.get(MAP_KEY))
    if region and region.stamp != st.session_state.get("last_region_click"):
        st.session_state["last_region_click"] = region.stamp
        regions = tuple(st.session_state.get("f_region", ()))
        st.session_state["f_region"] = list(toggle_region(regions, region.code))


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
                format_func=queries.get,
                key="place_pick",
                on_change=lambda: st.session_state.update(f_place=st.session_state["place_pick"]),
            )
    return answer


def show_map(
    shown: pd.DataFrame,
    ids: tuple[str, ...],
    view: ViewState,
    basemap: str,
    place: PlaceAnswer | None = None,
) -> None:
    compared = view.compare if len(view.compare) >= 2 else ()
    ids = ids + tuple(tid for tid in compared if tid not in set(ids))
    selected = view.territory if view.territory in ids else ""
    publish.register()
    # The base map is the same whatever the filters, so the map stays mounted; the filtered
    # markers, the selection, its lines and the framing reach it as a script evaluated in place.
    result = show_mounted(
        mounted_base(view.lang, basemap),
        update_script(dynamic_layer(ids, view.lang, selected, compared, view.regions), MAP_NAME)
        + place_marker_script(place, MAP_NAME)
        + coverage_update_script(
            st.session_state["f_coverage"], coverage_script_url(view.lang), MAP_NAME
        ),
        key=MAP_KEY,
        height=MAP_HEIGHT,
        returned_objects=[
            "last_object_clicked_tooltip",
            "last_object_clicked_count",
            "last_active_drawing",
        ],
        on_change=apply_region_click,
    )
    # Each click carries its own stamp (geo/maps/base.py): a click is new when its stamp is, so the
    # same marker clicked again after a reset opens its card again.
    result = result or {}
    stamp = result.get("last_object_clicked_count")
    if stamp and stamp != st.session_state.get("map_click_stamp"):
        st.session_state["map_click_stamp"] = stamp
        match = shown.loc[shown["name"] == result.get("last_object_clicked_tooltip"), "id"]
        if not match.empty and match.iloc[0] != view.territory:
            st.session_state["f_territory"] = match.iloc[0]
            st.rerun()


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


def show_card(ids: tuple[str, ...], view: ViewState) -> None:
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


def render_card(text: CardText, lang: str) -> None:
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


def show_table(ids: tuple[str, ...], lang: str) -> None:
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
    if shown.empty:
        st.info(t("tab_empty", lang))
        return
    st.caption(t("matrix_help", lang))
    st.html(matrix_html(dataset, list(shown["id"]), lang))


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


@st.cache_data(show_spinner=False, max_entries=32)
def territory_files(ids: tuple[str, ...], lang: str) -> tuple[bytes, str]:
    """The CSV and GeoJSON of these territories, built once per view."""
    dataset, placed = load_placed()
    shown = placed[placed["id"].isin(ids)]
    return territories_csv(dataset, shown, lang), territories_geojson(dataset, shown, lang)


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


NO_COLUMN = ""  # the "— none —" choice of a column picker (a header is never empty)


def remembered_select(
    label: str, options: list, key: str, default: object, format_func=str, widget=st.selectbox
) -> object:
    """A selectbox (or radio) whose choice survives tab changes and the language toggle."""
    restore_choice(key, default, options)
    return keep_choice(key, widget(label, options, key=key, format_func=format_func))


def restore_choice(key: str, default: object, allowed: list | None = None) -> None:
    """Before a widget of "Ma liste": hand it back the value it had (or `default`).

    Only the open tab runs, and Streamlit forgets the state of a widget that did not run; the
    value is kept in a plain session entry (keep_choice) and handed back when the tab returns.
    """
    choices = st.session_state.setdefault("mylist_choices", {})
    if key not in st.session_state:
        kept = choices.get(key, default)
        st.session_state[key] = kept if allowed is None or kept in allowed else default


def keep_choice(key: str, value: object) -> object:
    """After the widget: remember its value for restore_choice; returns it."""
    st.session_state.setdefault("mylist_choices", {})[key] = value
    return value


def uploaded_list(lang: str) -> tuple[str, bytes] | None:
    """The list of this session: a new upload replaces it; a tab change or the language
    toggle (which empty the uploader) keep it; "Remove the list" forgets it."""
    uploaded = st.file_uploader(
        t("upload_label", lang),
        type=["csv", "txt", "xlsx"],
        key="upload",
        max_upload_size=-(
            -MAX_UPLOAD_BYTES // 10**6
        ),  # MB, rounded up: Streamlit's message says the app's limit
    )
    if uploaded is not None:
        data = uploaded.getvalue()
        if st.session_state.get("mylist_file") != (uploaded.name, data):
            st.session_state["mylist_file"] = (uploaded.name, data)
            choices = st.session_state.get("mylist_choices", {})
            for key in [k for k in choices if k.startswith("review_")]:  # the old list's rows
                del choices[key]
    kept = st.session_state.get("mylist_file")
    if kept is None:
        st.info(
            t(
                "upload_empty",
                lang,
                rows=number(MAX_UPLOAD_ROWS, lang),
                mb=number(MAX_UPLOAD_BYTES // 10**6, lang),
            )
        )
    elif st.button(t("forget_list", lang)):
        for key in ("mylist_file", "mylist", "mylist_choices", "mylist_files"):
            st.session_state.pop(key, None)
        st.rerun()
    return kept


def show_my_list(dataset: Dataset, placed: pd.DataFrame, lang: str, basemap: str) -> None:
    kept = uploaded_list(lang)
    if kept is None:
        return
    filename, data = kept
    try:
        table = read_upload(data, filename)
    except InputError as err:
        st.error(f"{t('upload_failed', lang)} {markdown_text(err.message(lang))}")
        return
    st.caption(t("list_kept", lang, name=markdown_text(filename), rows=number(len(table), lang)))
    columns = list(table.columns)
    detected = detect_columns(columns)
    none_label = t("no_column", lang)
    optional = [NO_COLUMN, *columns]

    def optional_column(label_key: str, key: str, default: str | None) -> str | None:
        chosen = remembered_select(
            t(label_key, lang),
            optional,
            key,
            default or NO_COLUMN,
            lambda c: none_label if c == NO_COLUMN else c,
        )
        return chosen or None

    def pick(label_key: str, role: str) -> str | None:
        return optional_column(label_key, f"up_{role}", detected.get(role))

    left, right = st.columns(2)
    with left:
        place = {"name": pick("col_place", "name")}
        place["postcode"] = pick("col_postcode_hint", "postcode")
        place["departement"] = pick("col_dep_hint", "departement")
        place["region"] = pick("col_region_hint", "region")
        place["insee"] = pick("col_insee", "insee")
    with right:
        guessed = next((c for c in columns if normalize(c) in CATEGORY_GUESSES), None)
        category_column = optional_column("col_category", "up_cat", guessed)
        labels = detect_label_column(columns, [*place.values(), category_column])
        label_column = optional_column("col_label", "up_label", labels)
        provider_name = remembered_select(
            t("provider", lang),
            ["offline", *PROVIDERS],
            "up_provider",
            "offline",
            lambda p: t(f"provider_{p}", lang),
            widget=st.radio,
        )
        # One provider per server process and endpoint: every session shares its pace and cache.
        provider = shared_provider(provider_name) if provider_name != "offline" else None
        if provider is not None and place["name"]:
            seconds = provider.expected_seconds(table[place["name"]].nunique())
            st.warning(t("provider_warning", lang, minutes=max(1, round(seconds / 60))))
            if provider.run_cap is not None:
                cap_minutes = round(provider.expected_seconds(provider.run_cap) / 60)
                st.info(t("provider_cap_note", lang, cap=provider.run_cap, minutes=cap_minutes))
    settings = (hash(data), filename, *place.values(), provider_name)
    if st.button(t("geocode_button", lang), type="primary"):
        bar = st.progress(0.0, text=t("progress", lang, done=0, total="…"))
        result = geocode_table(
            table,
            default_geocoder(),
            place["name"],
            place["region"],
            place["departement"],
            provider,
            progress=lambda done, total: bar.progress(
                done / total, text=t("progress", lang, done=done, total=total)
            ),
            postcode_column=place["postcode"],
            code_column=place["insee"],
            lang=lang,
        )
        st.session_state["mylist"] = (settings, result)
    stored = st.session_state.get("mylist")
    if not stored or stored[0] != settings:
        return
    result = stored[1]
    for warning in result.warnings:
        st.warning(warning)
    for fault in result.provider_faults:
        st.warning(fault_message(fault, lang))
    counts = result.table["geo_status"].value_counts()
    st.markdown(
        t(
            "status_summary",
            lang,
            resolved=number(counts.get("resolved", 0), lang),
            ambiguous=number(counts.get("ambiguous", 0), lang),
            not_found=number(counts.get("not_found", 0), lang),
            total=number(len(result.table), lang),
        )
    )
    review_list(result, settings, place, label_column, lang)
    st.subheader(t("list_map_title", lang))
    label = label_column or place["name"] or place["postcode"] or place["insee"]

    located = with_places(result.table, placed)  # the same columns whichever geocoder placed it

    def list_map():
        return build_list_map(located, label, category_column, dataset, placed, lang, basemap)

    m = list_map()
    publish.register()
    st_folium(
        assets.localize(m, publish.served_base_url(), publish.map_script_url()),
        key="list_map",
        height=560,
        use_container_width=True,  # st_folium's own parameter
        returned_objects=[],
    )
    # The files are made before the click, once per list, corrections and view, and the clicks
    # do not rerun: a file made on click is registered under a new id at every rerun and dropped
    # at the end of the next one, so a click racing a rerun (the map's first message) asked for a
    # file already gone ("Deferred file … not found", 3 clicks in ~36).
    corrections = tuple(sorted(result.corrections.items()))
    key = (settings, corrections, label, category_column, lang, basemap)
    kept = st.session_state.get("mylist_files")
    if kept is None or kept[0] != key:
        csv_file = spreadsheet_csv(with_places(export_table(result), placed))
        placed_rows = located[located["geo_status"] == "resolved"]
        geojson = to_geojson(placed_rows, lat="geo_lat", lon="geo_lon")
        html = assets.standalone_html(list_map())  # a fresh map: rendering changes one
        kept = (key, (csv_file, geojson, html))
        st.session_state["mylist_files"] = kept
    csv_file, geojson, html = kept[1]
    left, middle, right = st.columns(3)
    left.download_button(
        t("download_list_csv", lang), csv_file, "liste-geocodee.csv", "text/csv", on_click="ignore"
    )
    middle.download_button(
        t("download_list_geojson", lang),
        geojson,
        "liste-geocodee.geojson",
        "application/geo+json",
        on_click="ignore",
    )
    right.download_button(
        t("download_list_map", lang), html, "carte-liste.html", "text/html", on_click="ignore"
    )


REVIEW_LABELS = {
    "row": "review_row",
    "geo_status": "review_status",
    "geo_label": "review_match",
    "geo_departement": "departement",
    "geo_confidence": "review_confidence",
    "geo_note": "review_note",
    "geo_correction": "review_correction",
}
MAX_ROW_CHOICES = 1000  # the row picker lists the rows to check first, then the others


def review_list(
    result, settings, place: dict[str, str | None], label_column: str | None, lang: str
) -> None:
    st.subheader(t("review_title", lang))
    st.caption(t("review_help", lang))
    to_check = rows_to_check(result)
    review = review_table(result, lang)
    restore_choice("review_only", bool(to_check))
    only = keep_choice(
        "review_only",
        st.toggle(t("rows_to_check", lang, count=number(len(to_check), lang)), key="review_only"),
    )
    shown = review.iloc[to_check] if only else review
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        column_config={
            column: st.column_config.TextColumn(t(key, lang))
            for column, key in REVIEW_LABELS.items()
        },
    )
    if only and not to_check:
        st.caption(t("nothing_to_check", lang))
    rest = [i for i in range(len(review)) if i not in set(to_check)]
    choices = (to_check + rest)[:MAX_ROW_CHOICES]
    # Each row by its label (a structure's name), else its place; its status as it is now.
    name_column = label_column or place["name"] or place["postcode"] or place["insee"]

    def row_label(position: int) -> str:
        cell = review.iloc[position][name_column] if name_column else ""
        return f"{position + 1} · {cell} · {review.iloc[position]['geo_status']}"

    # Every choice below survives a tab change, including a name typed but not applied yet.
    position = remembered_select(
        t("row_to_fix", lang), choices, "review_row", choices[0], format_func=row_label
    )
    options = row_candidates(result.matches[position])
    picked = remembered_select(  # "" is "keep the answer" (None would show a placeholder)
        t("pick_candidate", lang),
        ["", *options],
        f"review_pick_{position}",
        "",
        format_func=lambda label: label or t("no_pick", lang),
    )
    restore_choice(f"review_name_{position}", "")
    name = keep_choice(
        f"review_name_{position}",
        st.text_input(t("corrected_name", lang), key=f"review_name_{position}"),
    )
    if st.button(t("apply_correction", lang)):
        corrected = correct_row(
            result,
            position,
            default_geocoder(),
            place,
            pick=options.get(picked) if picked else None,
            name=name,
            lang=lang,
        )
        st.session_state["mylist"] = (settings, corrected)
        st.rerun()


def main() -> None:
    dataset, placed = load_placed()
    warm_up_in_background()
    init_state(dataset)
    lang = st.session_state["f_lang"]
    sidebar(lang)
    st.html(widget_text_script(lang), unsafe_allow_javascript=True)
    st.markdown(page_style(), unsafe_allow_html=True)  # st.html drops a lone <style>
    view = current_view()
    basemap = st.session_state["f_basemap"]
    place = st.session_state["f_place"].strip()
    st.query_params.from_dict(
        view.to_query()
        | ({"basemap": basemap} if basemap != "osm" else {})
        | ({"place": place} if place else {})
        | ({"coverage": "1"} if st.session_state["f_coverage"] else {})
    )

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
        "regions": lambda: (show_regions(dataset, shown, lang), show_coverage_table(lang)),
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
    st.markdown(t("about_text", lang))
    st.markdown(about_links_text(dataset, lang))
    st.markdown(f"## {t('about_a11y_title', lang)}\n\n{t('about_a11y', lang)}")
    st.markdown(f"## {t('coverage_about_title', lang)}\n\n{t('coverage_about', lang)}")
    st.caption(t("data_date", lang, date=long_date(DATA_DATE, lang)))


main()
