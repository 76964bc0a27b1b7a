"""The page's state between the URL, the widgets and the session.

The view (filters, selection, language, base map, place, coverage, open tab) lives in the URL
so that a link restores it: a session's first run reads it into the widgets (init_state), every
run writes the widgets back (sync_query). Only the open tab runs, and Streamlit forgets the state
of a widget that did not run: the choices of "Ma liste" are kept in a plain session entry and
handed back when the tab returns (remembered_select, restore_choice, keep_choice).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import streamlit as st

from geo.domain.data import Dataset
from geo.domain.places import MAX_QUERY_CHARS
from geo.domain.views import ViewState, compared_ids, vocabulary
from geo.texts.filters import WIDGET_KEYS

T = TypeVar("T")

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
CHOICES = "mylist_choices"  # the session entry that keeps the choices of "Ma liste"


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
    """The Reset button's callback: every filter cleared, the language kept."""
    show_view(current_view().cleared())


def current_view() -> ViewState:
    """The view the filter widgets show."""
    values = {attribute: st.session_state[key] for attribute, key in WIDGET_KEYS.items()}
    values = {k: tuple(v) if isinstance(v, list) else v for k, v in values.items()}
    return ViewState(lang=st.session_state["f_lang"], **values)


def sync_query(view: ViewState, basemap: str, place: str) -> None:
    """Write the view to the URL, leaving out what is at its default (a short link)."""
    st.query_params.from_dict(
        view.to_query()
        | ({"basemap": basemap} if basemap != "osm" else {})
        | ({"place": place} if place else {})
        | ({"coverage": "1"} if st.session_state["f_coverage"] else {})
    )


def remembered_select(
    label: str,
    options: Sequence[T],
    key: str,
    default: T,
    format_func: Callable[[T], str] = str,
    widget: Callable[..., Any] = st.selectbox,
) -> T:
    """A selectbox (or radio) whose choice survives tab changes and the language toggle."""
    restore_choice(key, default, options)
    return keep_choice(key, widget(label, options, key=key, format_func=format_func))


def restore_choice(key: str, default: T, allowed: Sequence[T] | None = None) -> None:
    """Before a widget of "Ma liste": hand it back the value it had (or `default`).

    Only the open tab runs, and Streamlit forgets the state of a widget that did not run; the
    value is kept in a plain session entry (keep_choice) and handed back when the tab returns.
    """
    choices = st.session_state.setdefault(CHOICES, {})
    if key not in st.session_state:
        kept = choices.get(key, default)
        st.session_state[key] = kept if allowed is None or kept in allowed else default


def keep_choice(key: str, value: T) -> T:
    """After the widget: remember its value for restore_choice; returns it."""
    st.session_state.setdefault(CHOICES, {})[key] = value
    return value
