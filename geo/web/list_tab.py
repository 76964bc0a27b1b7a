"""The "Ma liste" tab: a user's own list uploaded, its columns chosen, geocoded, reviewed row by
row, drawn on a map beside the territories and downloaded.

The list, its geocoded result and the files stay in the session (`mylist_*` entries) across
tab changes and the language toggle; a new upload or "Remove the list" replaces them.
"""

from __future__ import annotations

from dataclasses import dataclass

import folium
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.domain.data import Dataset
from geo.domain.review import correct_row, export_table, row_candidates, rows_to_check, with_places
from geo.domain.territories import default_geocoder
from geo.geocoding.batch import BatchResult, geocode_table
from geo.geocoding.columns import PlaceColumns, detect_columns, detect_label_column
from geo.geocoding.errors import InputError
from geo.geocoding.export import spreadsheet_csv, to_geojson
from geo.geocoding.normalize import normalize
from geo.geocoding.online import PROVIDERS, OnlineProvider, shared_provider
from geo.geocoding.readers import MAX_UPLOAD_BYTES, MAX_UPLOAD_ROWS, MB
from geo.maps import assets
from geo.maps.list_map import build_list_map
from geo.texts.formatting import markdown_text, number
from geo.texts.i18n import fault_message, t
from geo.texts.review_table import review_table
from geo.web import publish
from geo.web.caches import read_upload
from geo.web.state import CHOICES, keep_choice, remembered_select, restore_choice

CATEGORY_GUESSES = ("category", "categorie", "type", "theme", "thematique")
NO_COLUMN = ""  # the "— none —" choice of a column picker (a header is never empty)
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
# What a geocoded result was made with (the file, its place columns, the provider): a result
# is shown only while the choices on screen are still those.
Settings = tuple[object, ...]


@dataclass(frozen=True)
class ListChoices:
    """What the user chose for the list: where each row is, what colours and names its point,
    and who geocodes it (None: offline)."""

    place: PlaceColumns
    category: str | None
    label: str | None
    provider_name: str
    provider: OnlineProvider | None


def show_my_list(dataset: Dataset, placed: pd.DataFrame, lang: str, basemap: str) -> None:
    """The whole tab, each step shown once the one before it has something to show."""
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
    choices = list_choices(table, lang)
    settings = (hash(data), filename, *choices.place.used(), choices.provider_name)
    result = geocoded_list(table, choices, settings, lang)
    if result is None:
        return
    show_status(result, lang)
    review_list(result, settings, choices.place, choices.label, lang)
    show_list_map(result, settings, choices, dataset, placed, lang, basemap)


def uploaded_list(lang: str) -> tuple[str, bytes] | None:
    """The list of this session: a new upload replaces it; a tab change or the language
    toggle (which empty the uploader) keep it; "Remove the list" forgets it."""
    uploaded = st.file_uploader(
        t("upload_label", lang),
        type=["csv", "txt", "xlsx"],
        key="upload",
        # In MB (rounded up, never 0): Streamlit's own message then says the app's limit.
        max_upload_size=-(-MAX_UPLOAD_BYTES // MB),
    )
    if uploaded is not None:
        data = uploaded.getvalue()
        if st.session_state.get("mylist_file") != (uploaded.name, data):
            st.session_state["mylist_file"] = (uploaded.name, data)
            choices = st.session_state.get(CHOICES, {})
            for key in [k for k in choices if k.startswith("review_")]:  # the old list's rows
                del choices[key]
    kept: tuple[str, bytes] | None = st.session_state.get("mylist_file")
    if kept is None:
        st.info(
            t(
                "upload_empty",
                lang,
                rows=number(MAX_UPLOAD_ROWS, lang),
                mb=number(MAX_UPLOAD_BYTES // MB, lang),
            )
        )
    elif st.button(t("forget_list", lang)):
        for key in ("mylist_file", "mylist", CHOICES, "mylist_files"):
            st.session_state.pop(key, None)
        st.rerun()
    return kept


def list_choices(table: pd.DataFrame, lang: str) -> ListChoices:
    """The column pickers (the detected columns first chosen) and the provider, side by side."""
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
        return optional_column(label_key, f"up_{role}", getattr(detected, role))

    left, right = st.columns(2)
    with left:
        place = PlaceColumns(
            name=pick("col_place", "name"),
            postcode=pick("col_postcode_hint", "postcode"),
            departement=pick("col_dep_hint", "departement"),
            region=pick("col_region_hint", "region"),
            insee=pick("col_insee", "insee"),
        )
    with right:
        guessed = next((c for c in columns if normalize(c) in CATEGORY_GUESSES), None)
        category_column = optional_column("col_category", "up_cat", guessed)
        labels = detect_label_column(columns, [*place.used(), category_column])
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
        if provider is not None and place.name:
            show_provider_notes(provider, table[place.name].nunique(), lang)
    return ListChoices(place, category_column, label_column, provider_name, provider)


def show_provider_notes(provider: OnlineProvider, places: int, lang: str) -> None:
    """How long an online provider will take for these places, and its cap per run."""
    seconds = provider.expected_seconds(places)
    st.warning(t("provider_warning", lang, minutes=max(1, round(seconds / 60))))
    if provider.run_cap is not None:
        cap_minutes = round(provider.expected_seconds(provider.run_cap) / 60)
        st.info(t("provider_cap_note", lang, cap=provider.run_cap, minutes=cap_minutes))


def geocoded_list(
    table: pd.DataFrame, choices: ListChoices, settings: Settings, lang: str
) -> BatchResult | None:
    """The geocode button, and the result kept for these settings (None before the first run
    or once a choice has changed)."""
    if st.button(t("geocode_button", lang), type="primary"):
        bar = st.progress(0.0, text=t("progress", lang, done=0, total="…"))

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=t("progress", lang, done=done, total=total))

        result = geocode_table(
            table, default_geocoder(), choices.place, choices.provider, progress, lang
        )
        st.session_state["mylist"] = (settings, result)
    stored = st.session_state.get("mylist")
    if not stored or stored[0] != settings:
        return None
    kept: BatchResult = stored[1]
    return kept


def show_status(result: BatchResult, lang: str) -> None:
    """The run's warnings and how many rows were placed, are ambiguous or were not found."""
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


def review_list(
    result: BatchResult,
    settings: Settings,
    place: PlaceColumns,
    label_column: str | None,
    lang: str,
) -> None:
    """The rows to check, a row picked, and its correction: a candidate or a corrected name."""
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
    name_column = label_column or place.label()

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


def show_list_map(
    result: BatchResult,
    settings: Settings,
    choices: ListChoices,
    dataset: Dataset,
    placed: pd.DataFrame,
    lang: str,
    basemap: str,
) -> None:
    """The list's points on a map beside the territories, and its three downloads."""
    st.subheader(t("list_map_title", lang))
    label = choices.label or choices.place.label()
    located = with_places(result.table, placed)  # the same columns whichever geocoder placed it
    category_column = choices.category

    def list_map() -> folium.Map:
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
