"""A user's own list on the map, beside the French Impact territories (dashboard and `geo map`),
and its review: the rows to check, each row's own candidates, corrections kept beside the input.

Each resolved row becomes a point coloured by its category, with the row's own columns in its
popup and the labelled territory whose perimeter holds it (else the nearest one) with its
levers, so that a CRESS's members or a network's projects can be read against the territories
and the study's levers. `with_places` gives every located row the région, département and EPCI
that contain its point, whichever geocoder placed it.
"""

from __future__ import annotations

from dataclasses import replace

import folium
import folium.plugins
import numpy as np
import pandas as pd
import shapely
from branca.element import Element
from folium.elements import JSCSSMixin
from folium.template import Template
from geopy.location import Location

from geo.data import Dataset
from geo.formatting import colon, number
from geo.geocoding import shapes
from geo.geocoding.batch import GEO_COLUMNS, MAX_CELL_CHARS, BatchResult, geo_row
from geo.geocoding.gazetteer import load_gazetteer
from geo.geocoding.geocoder import AMBIGUOUS, NOT_FOUND, RESOLVED, Match, OfflineGeocoder
from geo.geocoding.notes import notes_text
from geo.geocoding.rows import Row, resolve_row
from geo.i18n import t
from geo.maps import (
    MAINLAND_BOUNDS,
    LegendSection,
    ScriptElement,
    build_territory_map,
    fit_points,
    marker_svg,
    overseas_places,
)
from geo.perimeters import area_order, perimeter_shape, territory_perimeter
from geo.views import levers_by_territory

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
# The column of the export that keeps a reviewer's correction beside the row's input.
CORRECTION_COLUMN = "geo_correction"
# Columns with_places appends (after GEO_COLUMNS): the EPCI holding the point, and the labelled
# territory whose perimeter holds it.
PLACE_COLUMNS = ["geo_epci", "geo_territory"]


def category_colors(categories: list[str]) -> dict[str, str]:
    """A colour per category, the most frequent first; beyond the palette, grey (grouped)."""
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
    so a name such as `<img src=x onerror=...>` shows as text. Unclustered points are named
    for screen readers and open with the keyboard.
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
            // The list's own pane, above the territories' markers (the list is what is read).
            map.createPane("fi-list").style.zIndex = 650;
            // Canvas for thousands of points; SVG (one element per point) for small lists.
            var renderer = {{ "L.canvas({padding: 0.5, pane: 'fi-list'})" if this.cluster else "L.svg({pane: 'fi-list'})" }};
            var layer = {{ "L.markerClusterGroup({chunkedLoading: true, clusterPane: 'fi-list'})" if this.cluster else "L.featureGroup()" }};
            function line(parent, label, value) {
                var div = document.createElement("div");
                var b = document.createElement("b");
                b.textContent = label + labels.colon;
                div.appendChild(b);
                div.appendChild(document.createTextNode(value));
                parent.appendChild(div);
            }
            rows.forEach(function (row) {
                var marker = L.circleMarker([row[0], row[1]], {
                    renderer: renderer, pane: "fi-list", radius: 7, weight: 1.5, color: "#222",
                    fillColor: colors[row[2]], fillOpacity: 1, className: "fi-point"
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
                        line(box, row[5 + columns.length] ? labels.inside : labels.nearest,
                             nearby[row[4]][0]);
                        line(box, labels.levers, nearby[row[4]][1]);
                    }
                    return box;
                }, {maxWidth: 320});
                layer.addLayer(marker);
            });
            layer.addTo(map);
            // Small lists (one SVG element per point): each point is named and opens with
            // Enter or Space, as the territories' markers do. (Clusters are Leaflet markers.)
            layer.eachLayer(function (marker) {
                var el = marker.getElement && marker.getElement();
                if (!el) { return; }
                el.setAttribute("tabindex", "0");
                el.setAttribute("role", "button");
                el.setAttribute("aria-label", marker.getTooltip().getContent().textContent);
                L.DomEvent.on(el, "keydown", function (event) {
                    if (event.key === "Enter" || event.key === " ") {
                        L.DomEvent.preventDefault(event);
                        marker.openPopup();
                    }
                });
            });
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


def containing_territory(lats: np.ndarray, lons: np.ndarray, placed: pd.DataFrame) -> np.ndarray:
    """Row position in `placed` of the labelled territory whose true perimeter holds each point
    (the smallest when several do), -1 where none does. Approximate perimeters do not count:
    "inside" must be a fact."""
    inside = np.full(len(lats), -1)
    found = np.zeros(len(lats), dtype=bool)
    perimeters = [territory_perimeter(row) for row in placed.to_dict("records")]
    exact = [(i, p) for i, p in enumerate(perimeters) if p is not None and not p.approximate]
    for position, perimeter in area_order(exact):
        hits = ~found & shapely.contains_xy(perimeter_shape(perimeter), lons, lats)
        inside[hits] = position
        found |= hits
    return inside


def with_places(table: pd.DataFrame, placed: pd.DataFrame) -> pd.DataFrame:
    """`table` (geo_* columns) with the département, région and EPCI that contain each located
    row's point, and the labelled territory whose perimeter holds it (PLACE_COLUMNS, appended).

    An online provider's answer often lacks the département or région; a point inside France
    now gets them from the polygons, like an offline answer. A département or région the answer
    already gives is kept (an offline région's point lies in one of its départements).
    """
    out = table.copy()
    for column in PLACE_COLUMNS:
        out[column] = ""
    located = out["geo_lat"].notna() & out["geo_lon"].notna()
    lats = out.loc[located, "geo_lat"].astype(float).to_numpy()
    lons = out.loc[located, "geo_lon"].astype(float).to_numpy()
    if not len(lats):
        return out
    places = shapes.locate(lats, lons)
    for column, found in (("geo_departement", "departement"), ("geo_region", "region")):
        given = out.loc[located, column].fillna("").astype(str).to_numpy()
        out.loc[located, column] = np.where(given == "", places[found].to_numpy(), given)
    out.loc[located, "geo_epci"] = places["epci"].to_numpy()
    inside = containing_territory(lats, lons, placed)
    names = np.where(inside >= 0, placed["name"].to_numpy()[inside], "")
    out.loc[located, "geo_territory"] = names
    return out


def placed_rows(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a geocoded table that have a point to draw."""
    return table[(table["geo_status"] == RESOLVED) & table["geo_lat"].notna()]


def row_categories(resolved: pd.DataFrame, category_column: str | None) -> list[str]:
    """Each placed row's category ("—" when empty or when the list has no category column)."""
    if not category_column:
        return ["—"] * len(resolved)
    return resolved[category_column].fillna("").astype(str).replace("", "—").tolist()


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
    """Draw the resolved rows of a geocoded table on `m`, coloured by their `categories`
    (row_categories) with `colors` (category_colors); returns how many were drawn.

    `levers`: the labels of each territory's levers (geo.views.levers_by_territory)."""
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
    placed = table[(table["geo_status"] == RESOLVED) & table["geo_lat"].notna()]
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
    label_column: str,
    category_column: str | None,
    dataset: Dataset,
    placed: pd.DataFrame,
    lang: str = "fr",
    basemap: str = "osm",
) -> folium.Map:
    """The territories' map with the user's list as a layer of its own: the list's points on
    top, the territories smaller and faded beneath, one legend (the list's section first),
    framed where most of the points are (the other areas one click away in "Go to")."""
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
    m.get_root().header.add_child(Element(FADED_TERRITORIES_CSS), name="fi_faded_territories")
    add_list_layer(m, table, label_column, categories, colors, placed, levers, lang)
    fit_points(m, resolved["geo_lat"], resolved["geo_lon"])
    return m


def candidate_label(location: Location) -> str:
    """How a candidate reads in the review: name, where, and its official code."""
    raw = location.raw
    return f"{raw['name']} ({raw['departement'] or raw['region']}) · {raw['code']}"


def row_candidates(match: Match) -> dict[str, Location]:
    """The candidates of one row, by label: only its own, never another row's."""
    return {candidate_label(candidate): candidate for candidate in match.candidates}


# Notes that make a placed row a guess: a person should confirm it.
GUESS_NOTES = {"homonyms_by_size", "placed_by_postcode", "name_not_in_postcode", "hint_conflict"}
CHECK = "check"  # a placed row that is a guess (review_status), beside the geocoder's statuses


def is_guess(match: Match) -> bool:
    """A placed row that rests on a guess: a homonym chosen by size, a name replaced by its
    postal code, a hint that disagreed, or a near name (a typo) rather than the name itself."""
    if match.status != RESOLVED or match.location is None:
        return False
    if any(note.key in GUESS_NOTES for note in match.notes):
        return True
    return match.location.raw.get("method") == "name" and match.confidence < 1


def review_status(match: Match) -> str:
    """What the review says of a row: the geocoder's status, or CHECK for a placed guess."""
    return CHECK if is_guess(match) else match.status


def rows_to_check(result: BatchResult) -> list[int]:
    """Positions of the rows a person should look at: ambiguous ones, those not found, then the
    placed guesses."""
    statuses = [review_status(match) for match in result.matches]
    return [
        i for status in (AMBIGUOUS, NOT_FOUND, CHECK) for i, s in enumerate(statuses) if s == status
    ]


def review_reason(match: Match, lang: str) -> str:
    """Why a row needs a look: the geocoder's notes, else what its status means."""
    noted = notes_text(match.notes, lang)
    if noted:
        return noted
    if match.status == NOT_FOUND:
        return t("why_not_found", lang)
    if is_guess(match):
        return t("why_near_name", lang, name=match.location.raw["name"])
    return ""


def input_columns(table: pd.DataFrame) -> list[str]:
    """The columns of the user's file, as it came (no geo_* column)."""
    return [c for c in table.columns if c not in GEO_COLUMNS and c != CORRECTION_COLUMN]


def review_table(result: BatchResult, lang: str) -> pd.DataFrame:
    """What the reviewer reads: the row number, the whole input row, the answer and why.

    Every cell is text and an empty one is "" (a spreadsheet shows nothing, not "None").
    """
    table = result.table
    confidence = [
        number(round(m.confidence, 2), lang) if m.confidence else "" for m in result.matches
    ]
    review = pd.DataFrame(
        {
            "row": range(1, len(table) + 1),
            "geo_status": [t(f"status_{review_status(m)}", lang) for m in result.matches],
            "geo_note": [review_reason(m, lang) for m in result.matches],
        },
        index=table.index,
    )
    inputs = table[input_columns(table)].astype("string").fillna("")
    # Status and reason first (what to look at), then the row as it came, then the answer.
    return pd.concat([review, inputs], axis=1).assign(
        geo_label=table["geo_label"].astype("string").fillna("").to_numpy(),
        geo_departement=table["geo_departement"].astype("string").fillna("").to_numpy(),
        geo_confidence=confidence,
        geo_correction=[result.corrections.get(i, "") for i in range(len(table))],
    )


def correct_row(
    result: BatchResult,
    position: int,
    geocoder: OfflineGeocoder,
    columns: dict[str, str | None],
    pick: Location | None = None,
    name: str = "",
    lang: str = "fr",
) -> BatchResult:
    """One row corrected: a picked candidate wins, else a corrected place is geocoded again.

    The input cells are never changed: the correction is kept in `corrections` (written to
    the export's geo_correction column); the row keeps its other cells as hints.
    """
    table = result.table.copy()
    matches = list(result.matches)
    corrections = dict(result.corrections)
    if pick is not None:
        picked = Location(pick.address, pick.point, pick.raw | {"method": "pick"})
        matches[position] = Match(RESOLVED, picked, (picked,))
        corrections[position] = candidate_label(pick)
    elif name.strip():
        row = table.iloc[position]

        def cell(role: str) -> str:
            column = columns.get(role)
            return "" if not column or pd.isna(row[column]) else str(row[column]).strip()

        corrected = Row(name.strip(), cell("postcode"), cell("departement"), cell("region"))
        matches[position] = resolve_row(geocoder, corrected)
        corrections[position] = name.strip()
    else:
        return result
    table.iloc[position, [table.columns.get_loc(c) for c in GEO_COLUMNS]] = geo_row(
        matches[position], lang
    )
    return replace(result, table=table, matches=matches, corrections=corrections)


def export_table(result: BatchResult) -> pd.DataFrame:
    """The table to download: every input column as it came, the geo_* columns, and the
    reviewer's corrections in a column of their own."""
    corrections = [result.corrections.get(i, "") for i in range(len(result.table))]
    return result.table.assign(**{CORRECTION_COLUMN: corrections})
