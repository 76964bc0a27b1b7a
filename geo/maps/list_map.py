"""A user's own list on the map, beside the French Impact territories (dashboard and `geo map`),
and its review: the rows to check, each row's own candidates, corrections kept beside the input.

Each resolved row becomes a point coloured by its category, with the row's own columns in its
popup and the labelled territory whose perimeter holds it (else the nearest one) with its
levers, so that a CRESS's members or a network's projects can be read against the territories
and the study's levers. `with_places` gives every located row the région, département and EPCI
that contain its point, whichever geocoder placed it.
"""

from __future__ import annotations

import folium
import folium.plugins
import numpy as np
import pandas as pd
from branca.element import Element

from geo.domain.data import Dataset
from geo.domain.review import (
    PLACE_COLUMNS,
    containing_territory,
    nearest_territory,
    placed_rows,
    row_categories,
)
from geo.geocoding.batch import GEO_COLUMNS, MAX_CELL_CHARS
from geo.geocoding.gazetteer import load_gazetteer
from geo.maps.base import build_territory_map
from geo.maps.element import FactoryElement, figure_of, script_json
from geo.maps.framing import MAINLAND_BOUNDS, fit_points
from geo.maps.legend import LegendSection
from geo.maps.markers import marker_svg, overseas_places
from geo.texts.formatting import colon
from geo.texts.i18n import t
from geo.texts.levers import levers_by_territory

# Colours for the categories of a user's list: Okabe-Ito's and Paul Tol's muted colours, without
# the two the territories' waves use (#0072B2, #D55E00), so a point never reads as a territory.
CATEGORY_COLORS = [
    "#E69F00",
    "#56B4E9",
    "#009E73",
    "#F0E442",
    "#CC79A7",
    "#332288",
    "#882255",
    "#44AA99",
    "#999933",
    "#CC6677",
]
OTHER_COLOR = "#999999"
# Under a user's list the territories are context: smaller and faded (still named, clickable).
FADED_TERRITORIES_CSS = (
    "<style>.fi-marker svg{transform:scale(.72);opacity:.6}"
    ".fi-marker:hover svg,.fi-marker:focus svg{opacity:1}</style>"
)
CLUSTER_ABOVE = 1000


def category_colors(categories: list[str]) -> dict[str, str]:
    """A colour per category, the most frequent first; beyond the palette, grey (grouped)."""
    counts = pd.Series(categories).value_counts()
    return {
        category: CATEGORY_COLORS[i] if i < len(CATEGORY_COLORS) else OTHER_COLOR
        for i, category in enumerate(counts.index)
    }


class PointLayer(FactoryElement):
    """Thousands of user points drawn in the browser from one compact array.

    One folium.Marker with its popup per row costs about a kilobyte of HTML each; here each row
    is a short JSON array and a single function builds canvas circle markers, clustered above
    CLUSTER_ABOVE points. Tooltips and popups are built with DOM text nodes, never innerHTML,
    so a name such as `<img src=x onerror=...>` shows as text. Unclustered points are named
    for screen readers and open with the keyboard.
    """

    factory = "listPoints"  # static/js/list-points.js

    default_js = [*folium.plugins.MarkerCluster.default_js, *FactoryElement.default_js]  # noqa: RUF012
    default_css = folium.plugins.MarkerCluster.default_css

    def __init__(
        self,
        rows: list[list],
        columns: list[str],
        colors: list[str],
        territories: list[tuple[str, str]],
        labels: dict[str, str],
    ):
        super().__init__()
        self._name = "PointLayer"
        self.rows, self.columns, self.colors = rows, columns, colors
        self.territories, self.labels = territories, labels
        self.cluster = len(rows) > CLUSTER_ABOVE

    def target(self) -> str:
        return f"var {self.get_name()} = "

    def arguments(self) -> list[str]:
        options = {
            "rows": self.rows,
            "columns": self.columns,
            "colors": self.colors,
            "territories": self.territories,
            "labels": self.labels,
            "cluster": self.cluster,
        }
        return [script_json(options)]


def list_legend(colors: dict[str, str], category_column: str | None, lang: str) -> LegendSection:
    """The list's section of the map's one legend: a colour per category (the most frequent
    first, the rest grouped in grey), or the one colour of every placed row."""
    if not category_column:
        return LegendSection(
            t("legend_list", lang),
            [(marker_svg("dot", CATEGORY_COLORS[0]), t("legend_list_points", lang))],
        )
    shown = [(c, colors[c]) for c in list(colors)[: len(CATEGORY_COLORS)]]
    grouped = len(colors) - len(CATEGORY_COLORS)
    if grouped > 0:
        shown.append((t("categories_grouped", lang, count=grouped), OTHER_COLOR))
    title = f"{t('legend_list', lang)} ({category_column})"
    return LegendSection(title, [(marker_svg("dot", color), name) for name, color in shown])


def add_list_layer(
    m: folium.Map,
    table: pd.DataFrame,
    label_column: str,
    categories: list[str],
    colors: dict[str, str],
    placed: pd.DataFrame,
    levers: dict[str, list[str]],
    lang: str,
) -> int:
    """Draw the rows of a geocoded table that have a point on `m` (placed_rows), coloured by
    their `categories` (row_categories) with `colors` (category_colors); returns how many were
    drawn. `levers`: the labels of each territory's levers (geo.domain.views.levers_by_territory)."""
    resolved = placed_rows(table)
    columns = [c for c in table.columns if c not in GEO_COLUMNS + PLACE_COLUMNS] + ["geo_label"]
    headers = [*columns[:-1], t("review_match", lang)]  # the place found, not "geo_label"
    palette = list(dict.fromkeys(colors.values()))
    lats = resolved["geo_lat"].astype(float).to_numpy()
    lons = resolved["geo_lon"].astype(float).to_numpy()
    inside = containing_territory(lats, lons, placed)
    nearest = np.where(inside >= 0, inside, nearest_territory(lats, lons, placed))
    values = resolved[columns].astype(str).map(lambda v: v[:MAX_CELL_CHARS]).to_numpy().tolist()
    labels = resolved[label_column].astype(str).str.slice(0, 120).tolist()
    rows = [
        [round(lat, 5), round(lon, 5), palette.index(colors[cat]), label, int(near), *vals, held]
        for lat, lon, cat, label, near, vals, held in zip(
            lats, lons, categories, labels, nearest, values, (inside >= 0).tolist(), strict=True
        )
    ]
    territories = [
        (name, " · ".join(levers.get(tid, [])))
        for tid, name in zip(placed["id"], placed["name"], strict=True)
    ]
    PointLayer(
        rows,
        headers,
        palette,
        territories,
        {
            "nearest": t("nearest_territory", lang),
            "inside": t("inside_territory", lang),
            "colon": colon(lang),
            "levers": t("popup_levers", lang),
        },
    ).add_to(m)
    return len(rows)


def overseas_areas(table: pd.DataFrame, known: list[str]) -> list[tuple[str, float, float]]:
    """(name, lat, lon) of each overseas département holding placed rows, for the go-to
    control; `known`: names it already offers (the territories' Mayotte)."""
    (south, west), (north, east) = MAINLAND_BOUNDS
    placed = table[table["geo_lat"].notna()]
    lats, lons = placed["geo_lat"].astype(float), placed["geo_lon"].astype(float)
    outside = placed[~lats.between(south, north) | ~lons.between(west, east)]
    gaz = load_gazetteer()
    areas = []
    for code, rows in outside.groupby("geo_departement", sort=True):
        index = gaz.find_code(str(code), "departement")
        name = gaz.names[index] if index is not None else str(code)
        if name not in known:
            areas.append(
                (
                    name,
                    float(rows["geo_lat"].astype(float).median()),
                    float(rows["geo_lon"].astype(float).median()),
                )
            )
    return areas


def build_list_map(
    table: pd.DataFrame,
    label_column: str | None,
    category_column: str | None,
    dataset: Dataset,
    placed: pd.DataFrame,
    lang: str = "fr",
    basemap: str = "osm",
) -> folium.Map:
    """The territories' map with the user's list as a layer of its own: the list's points on
    top, the territories smaller and faded beneath, one legend (the list's section first),
    framed where most of the points are (the other areas one click away in "Go to").

    `label_column` names each point; without one (a list placed by its département or région
    alone), the place the geocoder found names it."""
    levers = levers_by_territory(dataset, lang)
    known = [name for _, name, _, _ in overseas_places(placed)]
    more = overseas_areas(table, known)
    resolved = placed_rows(table)
    categories = row_categories(resolved, category_column)
    colors = category_colors(categories) if categories else {}
    legend = (list_legend(colors, category_column, lang),)
    m = build_territory_map(
        placed, levers, lang, basemap, frame=False, more_places=more, legend=legend
    )
    figure_of(m).header.add_child(Element(FADED_TERRITORIES_CSS), name="fi_faded_territories")
    label = label_column or "geo_label"
    add_list_layer(m, table, label, categories, colors, placed, levers, lang)
    fit_points(m, resolved["geo_lat"], resolved["geo_lon"])
    return m
