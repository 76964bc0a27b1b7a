"""What the page computes once per process and shares between visitors: the sidebar's filters,
the filtered territories, the table, the cards and their similar territories, the base map as
mounted, the map's dynamic layers (with the lines to similar or compared territories), the
standalone map and the territories' files, read only; and an uploaded file, read once (a copy
to each caller).

Why plain bounded `functools.lru_cache`s in a module of their own rather than Streamlit's
caches in the page: Streamlit runs the page's script again on every rerun, so a cached function
defined there is decorated again each time (and each decoration reads its source to key its
cache), and each call hashes its arguments with Streamlit's hasher; here they are decorated once
and keyed by Python's own hash, which made a filter change's rerun a fifth cheaper.
"""

from __future__ import annotations

import threading
from functools import lru_cache

import folium
import pandas as pd
import pyarrow as pa
import streamlit as st

from geo.domain.perimeters import territory_perimeter
from geo.domain.similar import SimilarityIndex, seat_points
from geo.domain.territories import load_placed
from geo.domain.views import Card, ViewState, filter_territories, territory_card
from geo.geocoding.gazetteer import load_gazetteer
from geo.geocoding.readers import read_table
from geo.maps import assets
from geo.maps.base import build_base_map
from geo.maps.coverage_layer import coverage_script
from geo.maps.dynamic_layer import TerritoryLinks, add_dynamic_layer, build_dynamic_layer
from geo.maps.markers import marker_rows
from geo.maps.outline_layer import outline_script
from geo.texts.cards import CardText, SimilarText, card_text, shared_words, similar_texts
from geo.texts.exports import overview_table, territories_csv, territories_geojson
from geo.texts.filters import Filter, sidebar_filters
from geo.texts.levers import levers_by_territory
from geo.texts.sheet import territory_sheet
from geo.web import publish
from geo.web.mounted import MountedBase, mount


@lru_cache(maxsize=4)
def lever_names(lang: str) -> dict[str, list[str]]:
    """Short names of each territory's levers and areas, once per language."""
    return levers_by_territory(load_placed().dataset, lang)


@lru_cache(maxsize=4)
def filter_specs(lang: str) -> list[Filter]:
    """The sidebar's filters (geo.texts.filters.sidebar_filters), once per language."""
    return sidebar_filters(load_placed().dataset, lang)


@lru_cache(maxsize=1)
def territory_names() -> dict[str, str]:
    """Each territory's name by its id."""
    placed = load_placed().placed
    return dict(zip(placed["id"], placed["name"], strict=True))


@lru_cache(maxsize=256)
def shown_territories(filters: ViewState) -> pd.DataFrame:
    """The territories a view's filters keep (geo.domain.views.filter_territories), once per set of
    filters: pandas' row selection is a good part of a rerun."""
    dataset, placed = load_placed()
    return filter_territories(placed, dataset.links, filters)


@lru_cache(maxsize=256)
def shown_summary(filters: ViewState) -> tuple[tuple[str, ...], int]:
    """(ids, number of régions) of the territories these filters keep."""
    shown = shown_territories(filters)
    return tuple(shown["id"]), shown["region_code"].nunique()


@lru_cache(maxsize=128)
def territory_table(ids: tuple[str, ...], lang: str) -> pa.Table:
    """The table tab's rows, as the Arrow table Streamlit sends (no conversion per rerun)."""
    table, position = full_table(lang)
    # Typed: an empty list of positions would be read as Arrow's null type, which take() refuses.
    return table.take(pa.array([position[tid] for tid in ids], type=pa.int64()))


@lru_cache(maxsize=4)
def full_table(lang: str) -> tuple[pa.Table, dict[str, int]]:
    """Every territory's row of the table tab, and each id's position in it."""
    loaded = load_placed()
    placed = loaded.placed
    table = overview_table(loaded.dataset, placed, lang)
    position = {tid: i for i, tid in enumerate(placed["id"])}
    return pa.Table.from_pandas(table, preserve_index=False), position


def base_map(
    lang: str, basemap: str, base_url: str, outlines_inline: bool = True, popups: bool = True
) -> folium.Map:
    """The map no filter changes (geo.maps.base.build_base_map), with the app's assets served at
    `base_url` (publish.served_base_url)."""
    m = build_base_map(
        lang, basemap, load_placed().placed, outlines_inline=outlines_inline, popups=popups
    )
    return assets.localize(m, base_url, publish.map_script_url())


def mounted_base(lang: str, basemap: str) -> MountedBase:
    """The base map as st_folium sends it, rendered once per language, base map and server
    base path; its outlines in a served script of their own (sent with every rerun inside the
    map's arguments, they were most of their size)."""
    return mounted_base_at(lang, basemap, publish.served_base_url())


@lru_cache(maxsize=8)
def mounted_base_at(lang: str, basemap: str, base_url: str) -> MountedBase:
    outlines = publish.publish("outlines", outline_script())
    # Beside the page's card: a marker's click opens the card, not a popup (TerritoryLayer).
    base = base_map(lang, basemap, base_url, outlines_inline=False, popups=False)
    return mount(base, scripts=[outlines])


@lru_cache(maxsize=128)
def dynamic_layer(
    ids: tuple[str, ...],
    lang: str,
    selected: str,
    compared: tuple[str, ...] = (),
    regions: tuple[str, ...] = (),
    popups: bool = False,
) -> dict:
    """What the map shows for these territories, this selection, these compared ones and the
    régions in the filter (geo.maps.base.build_dynamic_layer), once per view; `popups` for a map
    without the page's card (the download)."""
    placed = load_placed().placed
    shown = placed[placed["id"].isin(ids)]
    perimeter = None
    if selected:
        perimeter = territory_perimeter(placed[placed["id"] == selected].iloc[0].to_dict())
    return build_dynamic_layer(
        shown,
        lever_names(lang),
        lang,
        selected,
        perimeter,
        regions,
        markers=all_markers(lang, selected, popups),
        links=territory_links(ids, lang, selected, compared),
    )


@lru_cache(maxsize=64)
def territory_card_text(territory_id: str, lang: str) -> tuple[Card, CardText] | None:
    """A territory's card (geo.domain.views.territory_card) and its texts (geo.texts.cards.card_text), once
    per territory and language: pandas' selections and merges made it most of a card's rerun."""
    dataset, placed = load_placed()
    card = territory_card(dataset, placed, territory_id)
    return None if card is None else (card, card_text(card, dataset, lang))


@lru_cache(maxsize=64)
def similar_territories(territory_id: str, lang: str) -> tuple[SimilarText, ...]:
    """The territories most similar to one, with what they share (geo.texts.cards.similar_texts)."""
    ranked = similarity_index().ranked(territory_id)
    return tuple(similar_texts(ranked, load_placed().dataset, lang))


_WARM_UP_STARTED: list[threading.Thread] = []  # once per process
_WARM_UP_LOCK = threading.Lock()


def warm_up_in_background(languages: tuple[str, ...] = ("fr", "en")) -> None:
    """Compute each territory's card, similar territories and selection on the whole map, then
    its sheet, for every language, in a thread of their own, once per process (the page's first
    run starts it).

    Why: each costs ~50 ms the first time, paid by the first visitor to open that card; after a
    start or a deployment, 100 visitors opening cards at once queued behind those computations
    (load test: cards' p95 1.07 s in the first 30 s, 0.07 s once warm). Python switches threads
    every few milliseconds, so visitors' reruns interleave with it.
    """
    with _WARM_UP_LOCK:
        if _WARM_UP_STARTED:
            return
        thread = threading.Thread(target=_warm_up, args=(languages,), name="warm-up", daemon=True)
        _WARM_UP_STARTED.append(thread)
    thread.start()


def _warm_up(languages: tuple[str, ...]) -> None:
    ids = tuple(load_placed().placed["id"])
    for lang in languages:
        for territory_id in ids:
            territory_card_text(territory_id, lang)
            similar_territories(territory_id, lang)
            dynamic_layer(ids, lang, territory_id, (), ())  # as the page asks: the same key
    # Then each card's one-page PDF (its download button carries it): ~0.3 s each, 54 in all,
    # which 100 visitors opening cards after a start paid themselves (cards' p95 18 s).
    for lang in languages:
        for territory_id in ids:
            territory_sheet(territory_id, lang)


@lru_cache(maxsize=1)
def similarity_index() -> SimilarityIndex:
    """The territories' profiles and seats, for the similar territories and their lines."""
    dataset, placed = load_placed()
    return SimilarityIndex(dataset, seat_points(placed, load_gazetteer()))


def territory_links(
    ids: tuple[str, ...], lang: str, selected: str, compared: tuple[str, ...]
) -> TerritoryLinks | None:
    """Lines between the compared territories (framed), else from the selected one to its
    similar territories on the map; tooltips say what they share."""
    dataset, placed = load_placed()
    index = similarity_index()
    names = territory_names()
    if len(compared) >= 2:
        pairs = [(a, b) for i, a in enumerate(compared) for b in compared[i + 1 :]]
    elif selected:
        pairs = [(selected, s.territory_id) for s in index.ranked(selected)]
    else:
        return None
    points = placed.dropna(subset=["lat", "lon"]).set_index("id")[["lat", "lon"]]
    lines = [
        (
            tuple(points.loc[a]),
            tuple(points.loc[b]),
            f"{names[a]} — {names[b]} : {shared_words(index.between(a, b), dataset, lang)}",
        )
        for a, b in pairs
        if b in ids and a in points.index and b in points.index
    ]
    return TerritoryLinks(lines, frame=len(compared) >= 2)


@lru_cache(maxsize=64)
def all_markers(lang: str, selected: str, popups: bool) -> dict:
    """Every territory's marker row (geo.maps.base.marker_rows) with this selection: a filter
    change then only picks rows (building them is most of a new view's cost)."""
    return marker_rows(load_placed().placed, lever_names(lang), lang, selected, popups)


@lru_cache(maxsize=8)
def standalone_map(
    ids: tuple[str, ...], lang: str, basemap: str, selected: str, regions: tuple[str, ...] = ()
) -> str:
    """The map of this view as one self-contained HTML file (the downloads tab; ~1 MB each)."""
    m = base_map(lang, basemap, publish.ASSET_BASE_URL)
    add_dynamic_layer(m, dynamic_layer(ids, lang, selected, regions=regions, popups=True))
    return assets.standalone_html(m)


@lru_cache(maxsize=32)
def territory_files(ids: tuple[str, ...], lang: str) -> tuple[bytes, str]:
    """The downloads tab's CSV and GeoJSON of these territories, built once per view."""
    dataset, placed = load_placed()
    shown = placed[placed["id"].isin(ids)]
    return territories_csv(dataset, shown, lang), territories_geojson(dataset, shown, lang)


@st.cache_data(show_spinner=False, max_entries=4)
def read_upload(data: bytes, filename: str) -> pd.DataFrame:
    """An uploaded file read once (Streamlit's cache: each caller gets its own copy)."""
    return read_table(data, filename)


@lru_cache(maxsize=2)
def coverage_script_url(lang: str) -> str:
    """The coverage script served once per process and language (publish.publish)."""
    return publish.publish(f"coverage-{lang}", coverage_script(lang))
