"""A user's own list on the map, beside the French Impact territories (dashboard and `geo map`).

Each resolved row becomes a point coloured by its category, with the row's own columns in its
popup and the nearest labelled territory with its levers, so that a CRESS's members or a
network's projects can be read against the territories and the study's levers.
"""

from __future__ import annotations

from html import escape

import folium
import folium.plugins
import numpy as np
import pandas as pd
from folium.elements import JSCSSMixin
from folium.template import Template
from geopy.location import Location

from geo.data import Dataset
from geo.geocoding.batch import GEO_COLUMNS, MAX_CELL_CHARS, BatchResult, geo_row
from geo.geocoding.geocoder import RESOLVED, Match, OfflineGeocoder
from geo.i18n import t
from geo.maps import Legend, ScriptElement, build_territory_map, fit_points, marker_svg
from geo.views import levers_by_territory

# Okabe-Ito colours for the categories of a user's list; the rest share grey.
CATEGORY_COLORS = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#CC79A7", "#0072B2", "#D55E00"]
OTHER_COLOR = "#999999"
CLUSTER_ABOVE = 1000


def category_colors(categories: list[str]) -> dict[str, str]:
    """A colour per category, the most frequent first; beyond the palette, grey ("other")."""
    counts = pd.Series(categories).value_counts()
    return {
        category: CATEGORY_COLORS[i] if i < len(CATEGORY_COLORS) else OTHER_COLOR
        for i, category in enumerate(counts.index)
    }


class PointLayer(JSCSSMixin, ScriptElement):
    """Thousands of user points drawn in the browser from one compact array.

    One folium.Marker with its popup per row costs about a kilobyte of HTML each; here each row
    is a short JSON array and a single function builds canvas circle markers, clustered above
    CLUSTER_ABOVE points. Tooltips and popups are built with DOM text nodes, never innerHTML,
    so a name such as `<img src=x onerror=...>` shows as text.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = (function () {
            var map = {{ this._parent.get_name() }};
            var columns = {{ this.columns|tojson }};
            var colors = {{ this.colors|tojson }};
            var nearby = {{ this.territories|tojson }};
            var labels = {{ this.labels|tojson }};
            var rows = {{ this.rows|tojson }};
            // Canvas for thousands of points; SVG (one element per point) for small lists.
            var renderer = {{ "L.canvas({padding: 0.5})" if this.cluster else "L.svg()" }};
            var layer = {{ "L.markerClusterGroup({chunkedLoading: true})" if this.cluster else "L.featureGroup()" }};
            function line(parent, label, value) {
                var div = document.createElement("div");
                var b = document.createElement("b");
                b.textContent = label + " : ";
                div.appendChild(b);
                div.appendChild(document.createTextNode(value));
                parent.appendChild(div);
            }
            rows.forEach(function (row) {
                var marker = L.circleMarker([row[0], row[1]], {
                    renderer: renderer, radius: 5, weight: 1, color: "#333",
                    fillColor: colors[row[2]], fillOpacity: 0.9, className: "fi-point"
                });
                var tip = document.createElement("span");
                tip.textContent = row[3];
                marker.bindTooltip(tip);
                marker.bindPopup(function () {
                    var box = document.createElement("div");
                    box.className = "fi-point-popup";
                    for (var i = 0; i < columns.length; i++) {
                        line(box, columns[i], row[5 + i] === null ? "" : String(row[5 + i]));
                    }
                    if (row[4] >= 0) {
                        line(box, labels.nearest, nearby[row[4]][0]);
                        line(box, labels.levers, nearby[row[4]][1]);
                    }
                    return box;
                }, {maxWidth: 320});
                layer.addLayer(marker);
            });
            layer.addTo(map);
            return layer;
        })();
        {% endmacro %}
        """
    )

    default_js = folium.plugins.MarkerCluster.default_js
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


class CategoryLegend(ScriptElement):
    """Colours of a user's categories, as a control under the territories' legend."""

    _template = Legend._template

    def __init__(self, colors: dict[str, str], title: str):
        super().__init__()
        self._name = "CategoryLegend"
        self.title = title
        shown = [(c, colors[c]) for c in list(colors)[: len(CATEGORY_COLORS)]]
        if len(colors) > len(CATEGORY_COLORS):
            shown.append(("…", OTHER_COLOR))
        self.html = f"<b>{escape(title)}</b><br>" + "<br>".join(
            f'<span style="display:inline-flex;align-items:center;gap:4px">'
            f"{marker_svg('dot', color)}{escape(category)}</span>"
            for category, color in shown
        )


def nearest_territory(lats: np.ndarray, lons: np.ndarray, placed: pd.DataFrame) -> np.ndarray:
    """Index (row position in `placed`) of the closest labelled territory to each point."""
    anchors = placed.dropna(subset=["lat", "lon"])
    if anchors.empty or len(lats) == 0:
        return np.full(len(lats), -1)
    t_lat = anchors["lat"].to_numpy()[None, :]
    t_lon = anchors["lon"].to_numpy()[None, :]
    dx = (lons[:, None] - t_lon) * np.cos(np.radians(lats[:, None]))
    dy = lats[:, None] - t_lat
    positions = np.argmin(dx * dx + dy * dy, axis=1)
    return placed.index.get_indexer(anchors.index[positions])


def add_list_layer(
    m: folium.Map,
    table: pd.DataFrame,
    label_column: str,
    category_column: str | None,
    placed: pd.DataFrame,
    levers: dict[str, list[str]],
    lang: str,
) -> int:
    """Draw the resolved rows of a geocoded table on `m`; returns how many were drawn.

    `levers`: the labels of each territory's levers (geo.views.levers_by_territory)."""
    resolved = table[(table["geo_status"] == RESOLVED) & table["geo_lat"].notna()]
    columns = [c for c in table.columns if c not in GEO_COLUMNS] + ["geo_label"]
    categories = (
        resolved[category_column].fillna("").astype(str).replace("", "—").tolist()
        if category_column
        else ["—"] * len(resolved)
    )
    colors = category_colors(categories) if categories else {}
    palette = list(dict.fromkeys(colors.values()))
    lats = resolved["geo_lat"].astype(float).to_numpy()
    lons = resolved["geo_lon"].astype(float).to_numpy()
    nearest = nearest_territory(lats, lons, placed)
    values = resolved[columns].astype(str).map(lambda v: v[:MAX_CELL_CHARS]).to_numpy().tolist()
    labels = resolved[label_column].astype(str).str.slice(0, 120).tolist()
    rows = [
        [round(lat, 5), round(lon, 5), palette.index(colors[cat]), label, int(near), *vals]
        for lat, lon, cat, label, near, vals in zip(
            lats, lons, categories, labels, nearest, values, strict=True
        )
    ]
    territories = [
        (name, " · ".join(levers.get(tid, [])))
        for tid, name in zip(placed["id"], placed["name"], strict=True)
    ]
    PointLayer(
        rows,
        columns,
        palette,
        territories,
        {"nearest": t("nearest_territory", lang), "levers": t("popup_levers", lang)},
    ).add_to(m)
    if category_column and colors:
        CategoryLegend(colors, category_column).add_to(m)
    return len(rows)


def build_list_map(
    table: pd.DataFrame,
    label_column: str,
    category_column: str | None,
    dataset: Dataset,
    placed: pd.DataFrame,
    lang: str = "fr",
    basemap: str = "osm",
) -> folium.Map:
    """The territories' map with the user's list as a layer of its own."""
    levers = levers_by_territory(dataset, lang)
    m = build_territory_map(placed, levers, lang, basemap)
    add_list_layer(m, table, label_column, category_column, placed, levers, lang)
    resolved = table[table["geo_status"] == RESOLVED]
    fit_points(m, resolved["geo_lat"], resolved["geo_lon"])
    return m


def candidate_label(location) -> str:
    """How a candidate reads in the review table: name, where, and its official code."""
    raw = location.raw
    return f"{raw['name']} ({raw['departement'] or raw['region']}) · {raw['code']}"


def candidate_options(matches: list[Match]) -> dict[str, Location]:
    """Every candidate of the rows that need a choice, by its label."""
    return {
        candidate_label(candidate): candidate
        for match in matches
        if match.status != RESOLVED
        for candidate in match.candidates
    }


def review_table(result: BatchResult, name_column: str, hint_columns: list[str]) -> pd.DataFrame:
    """The table the user reviews and corrects: status, match, confidence, a choice to make."""
    table = result.table
    review = pd.DataFrame(
        {
            "row": range(1, len(table) + 1),
            "geo_status": table["geo_status"],
            name_column: table[name_column],
            **{column: table[column] for column in hint_columns},
            "geo_label": table["geo_label"],
            "geo_departement": table["geo_departement"],
            "geo_confidence": table["geo_confidence"],
            "choice": [""] * len(table),
        },
        index=table.index,
    )
    return review


def apply_review(
    result: BatchResult,
    edited: pd.DataFrame,
    options: dict[str, Location],
    geocoder: OfflineGeocoder,
    name_column: str,
    region_column: str | None,
    departement_column: str | None,
) -> BatchResult:
    """Apply the user's corrections: a picked candidate wins; an edited name or hint is re-geocoded.

    Rows keep their order and their other columns; untouched rows keep their answer.
    """
    table = result.table.copy()
    matches = list(result.matches)
    edited_columns = [c for c in (name_column, region_column, departement_column) if c]
    for position, (index, row) in enumerate(edited.iterrows()):
        choice = row.get("choice") or ""
        changed = any(str(row[c]) != str(table.at[index, c]) for c in edited_columns)
        if choice in options:
            location = options[choice]
            picked = Location(location.address, location.point, location.raw | {"method": "pick"})
            matches[position] = Match(RESOLVED, picked, (picked,))
        elif changed:
            for column in edited_columns:
                table.at[index, column] = row[column]
            matches[position] = geocoder.resolve(
                str(row[name_column]),
                region=str(row[region_column]) or None if region_column else None,
                departement=str(row[departement_column]) or None if departement_column else None,
            )
    geo = pd.DataFrame([geo_row(m) for m in matches], columns=GEO_COLUMNS, index=table.index)
    table[GEO_COLUMNS] = geo
    return BatchResult(table, matches, result.warnings)
