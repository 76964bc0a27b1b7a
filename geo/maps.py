"""Build the folium maps of the territories in two parts: a base map that no filter changes
(tiles, the outlines of régions and départements, legend, go-to control, and the script that
draws territories) and a dynamic layer
(the shown markers, the selected territory's shapes, the framing) that updates a mounted map.

The dashboard mounts the base map once per language and base map, and sends the dynamic layer
as a script that streamlit-folium evaluates in the mounted map (the channel its
`feature_group_to_add` uses; see geo/mounted.py): a filter change moves markers in place, so
clicks, an open popup and the user's pan and zoom survive it. `build_territory_map` puts both
parts in one standalone map (downloads, the user's list, the command line).

Where new map content goes: what no filter or selection changes (outlines of régions, for
instance) is an element of the base map; what they change (a perimeter, lines to similar
territories) is a GeoJSON feature in the dynamic layer's "shapes", styled by its
`properties.style` (see perimeter_shape and feature); the régions in the filter are
restyled in place (OutlineLayer's `select`).

Every text that reaches HTML is escaped here (names come from data files and from users'
uploads). Colours are the Okabe-Ito palette (readable with colour-vision deficiencies), the
vermilion darkened to reach 3:1 on the grey of a map without tiles (WCAG 1.4.11); the second
wave also has a white centre and each kind of territory its own shape, so colour is never the
only cue.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from html import escape
from typing import NamedTuple

import folium
import pandas as pd
import xyzservices.providers as xyz
from branca.element import Element, MacroElement
from folium.template import Template

from geo.data import split_list
from geo.formatting import colon
from geo.geocoding import shapes
from geo.i18n import t
from geo.kinds import KIND, kind_label
from geo.perimeters import Perimeter

FRANCE_CENTER = (46.6, 2.4)
FRANCE_ZOOM = 6
SELECTED_ZOOM = 10
FIT_MAX_ZOOM = 9
MAINLAND_BOUNDS = ((41.0, -5.5), (51.5, 10.0))
OVERSEAS_AREA_DEGREES = 6  # overseas points closer than this (|Δlat| + |Δlon|) are one area
WAVE_COLORS = {"1": "#0072B2", "2": "#B84E00"}  # 3.8:1 and 3.7:1 on the no-tile grey #ddd
WAVE_MARK = {"2": '<circle cx="11" cy="11.5" r="3.2" fill="#fff" stroke="none"/>'}
PERIMETER_COLOR = "#000000"
LEAFLET_ONLY = {"leaflet", "leaflet_css"}  # the only libraries of folium's map that ours uses
OUTLINES_ONLY = "outlines"  # the base map without tiles: nothing leaves the machine
BASEMAPS = {
    "osm": ("tiles_osm", xyz.OpenStreetMap.Mapnik),
    "positron": ("tiles_positron", xyz.CartoDB.Positron),
    "ign": ("tiles_ign", xyz.GeoportailFrance.plan),
    OUTLINES_ONLY: ("tiles_outlines", None),
}
# Name of the GeoJSON property that tells streamlit-folium's returned "last_active_drawing" of a
# région click from anything else (see OutlineLayer and clicked_region).
REGION_CLICK_PROPERTY = "fi_region"
_SVG_SHAPES = {
    "square": '<rect x="3" y="3" width="16" height="16" rx="2"/>',
    "circle": '<circle cx="11" cy="11" r="8.5"/>',
    "triangle": '<polygon points="11,2 20.5,19 1.5,19"/>',
    "dot": '<circle cx="11" cy="11" r="6"/>',
    "diamond": '<polygon points="11,1.5 20.5,11 11,20.5 1.5,11"/>',
}
MARKER_CLASS = "fi-marker"
SPREAD_PIXELS = 22  # markers closer than this on screen are spread around their point
LEGEND_FOLD_BELOW_PIXELS = 480  # on a narrower map (a phone) the legend starts folded
GOTO_WIDTH_PIXELS = 100  # the go-to box's fixed width; frames keep clear of it
TILES_DOWN_AFTER = 4  # failed tiles (and none loaded) before the map says its tiles are down
FOCUS_PADDING_PIXELS = 70  # a focused marker is panned at least this far from the edges


class _Text(Element):
    """Already-rendered script text, added to the page as is."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text


class ScriptElement(MacroElement):
    """A MacroElement with only a `script` macro, rendered without a second Jinja pass.

    branca wraps each element's rendered script in a new Element, which compiles that text as
    a Jinja template: for a script carrying thousands of data rows, most of a map's render
    time. Our elements' output is final JavaScript, so it is added as plain text.
    """

    def render(self, **kwargs) -> None:
        script = self._template.module.__dict__["script"]
        self.get_root().script.add_child(_Text(script(self, kwargs)), name=self.get_name())


def marker_svg(shape: str, color: str, selected: bool = False, wave: str = "") -> str:
    """A 22-px SVG symbol; the selected territory gets a thick black outline, a second-wave
    territory a white centre (the wave is not told by colour alone)."""
    stroke = 'stroke="#000" stroke-width="3"' if selected else 'stroke="#fff" stroke-width="1.5"'
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="22" height="22" viewBox="0 0 22 22" '
        f'fill="{color}" {stroke} aria-hidden="true">{_SVG_SHAPES[shape]}'
        f"{WAVE_MARK.get(wave, '')}</svg>"
    )


def base_map(basemap: str, lang: str, outlines_inline: bool = True) -> folium.Map:
    """A map of mainland France on the chosen tiles (with their attribution), or on none, and
    the outlines of régions and départements, drawn whether tiles load or not (carried in the
    map, or read from OUTLINE_SCRIPT's global: see OutlineLayer)."""
    key, provider = BASEMAPS.get(basemap, BASEMAPS["osm"])
    m = ZoomableMap(location=FRANCE_CENTER, zoom_start=FRANCE_ZOOM, tiles=None)
    # folium links jQuery, Bootstrap, Font Awesome and awesome-markers for marker kinds this map
    # never draws (its markers are SVG): Leaflet alone, 480 kB and three sequential script
    # loads less before the first map, and a standalone file without their fonts.
    m.default_js = [link for link in folium.Map.default_js if link[0] in LEAFLET_ONLY]
    m.default_css = [link for link in folium.Map.default_css if link[0] in LEAFLET_ONLY]
    if provider is not None:
        folium.TileLayer(provider, name=t(key, lang)).add_to(m)
    OutlineLayer(lang, filled=provider is None, inline=outlines_inline).add_to(m)
    if provider is not None:
        TilesDown(lang).add_to(m)
    ScaleBar().add_to(m)
    MapDocument(lang).add_to(m)
    return m


def build_base_map(
    lang: str,
    basemap: str,
    placed: pd.DataFrame,
    more_places: list[tuple[str, float, float]] = (),
    outlines_inline: bool = True,
    popups: bool = True,
    legend: tuple[LegendSection, ...] = (),
) -> folium.Map:
    """What no filter changes: tiles, outlines, legend, the go-to control of every overseas territory of
    `placed` (a dynamic layer hides those not shown) and of `more_places` ((name, lat, lon),
    always shown), and the script that draws territories; `popups`: markers open one (a map
    without the page's card: a download, a user's list), else a click only reaches the page;
    `legend`: sections listed before the territories' in the one legend (a user's list)."""
    m = base_map(basemap, lang, outlines_inline)
    TerritoryLayer(popups).add_to(m)
    Legend(lang, legend).add_to(m)
    others = [("", name, lat, lon) for name, lat, lon in more_places]
    GoToControl(overseas_places(placed) + others, lang).add_to(m)
    return m


def build_dynamic_layer(
    shown: pd.DataFrame,
    lever_names: dict[str, list[str]],
    lang: str,
    selected: str = "",
    perimeter: Perimeter | None = None,
    regions: tuple[str, ...] = (),
    frame: bool = True,
    markers: dict | None = None,
    links: TerritoryLinks | None = None,
) -> dict:
    """The part of the map that filters and selection change, as plain data (cacheable,
    JSON-ready) for TerritoryLayer.update: the shown markers, the selection's shapes (GeoJSON
    features styled for Leaflet: the selected territory's `perimeter`; with `links`, lines
    between territories), the régions in the filter (they stand out) and the box to frame
    (None: keep the view; links that ask to be framed are).

    `markers`: marker_rows of all territories with the same selection, computed once (a
    filter change then only picks rows); else the shown ones' are computed here."""
    if markers is None:
        markers = marker_rows(shown, lever_names, lang, selected)
    else:
        wanted = set(shown["id"])
        markers = markers | {"rows": [row for row in markers["rows"] if row[0] in wanted]}
    shapes = [] if perimeter is None else [perimeter_shape(perimeter)]
    box = framing(markers["rows"], selected, perimeter) if frame else None
    if links is not None:
        shapes += links.features()
        if links.frame and links.lines:
            box = {"bounds": corners(links.ends()), "padding": 40, "maxZoom": FIT_MAX_ZOOM}
    return markers | {"shapes": shapes, "frame": box, "regions": list(regions)}


def update_script(layer: dict, map_name: str) -> str:
    """The JavaScript that shows a dynamic layer on the map named `map_name`: in a standalone
    map after its base, or evaluated by streamlit-folium in the mounted map."""
    data = json.dumps(layer, ensure_ascii=True)  # made safe inside a <script>, as tojson
    for char, code in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("'", "\\u0027")):
        data = data.replace(char, code)
    return f"{map_name}.fiTerritories.update({data});"


def build_territory_map(
    placed: pd.DataFrame,
    lever_names: dict[str, list[str]],
    lang: str,
    basemap: str = "osm",
    selected: str = "",
    *,
    perimeter: Perimeter | None = None,
    regions: tuple[str, ...] = (),
    frame: bool = True,
    links: TerritoryLinks | None = None,
    more_places: list[tuple[str, float, float]] | None = None,
    legend: tuple[LegendSection, ...] = (),
) -> folium.Map:
    """One standalone map: the base map and the dynamic layer of these territories (see
    build_dynamic_layer); `more_places`: other overseas areas for the go-to control (those of a
    user's list); `legend`: see build_base_map."""
    m = build_base_map(lang, basemap, placed, more_places or [], legend=legend)
    layer = build_dynamic_layer(
        placed, lever_names, lang, selected, perimeter, regions, frame, links=links
    )
    add_dynamic_layer(m, layer)
    return m


@dataclass(frozen=True)
class TerritoryLinks:
    """Thin lines joining territories (a selected one to its similar ones, or the compared
    ones), each with a tooltip saying what they share; `frame` asks the map to frame them all.

    `lines` are ((lat, lon), (lat, lon), tooltip) triples, tooltips as plain text (escaped
    when drawn, see feature)."""

    lines: list[tuple[tuple[float, float], tuple[float, float], str]]
    frame: bool = False
    color: str = "#333333"

    def ends(self) -> list[tuple[float, float]]:
        """Every line's two ends (what `frame` frames)."""
        return [end for a, b, _ in self.lines for end in (a, b)]

    def features(self) -> list[dict]:
        """The lines as a dynamic layer's shapes (class fi-link), hovered for their tooltip."""
        return [
            feature(
                {
                    "type": "LineString",
                    "coordinates": [
                        [round(a[1], 5), round(a[0], 5)],
                        [round(b[1], 5), round(b[0], 5)],
                    ],
                },
                tooltip=tip,
                color=self.color,
                weight=2,
                opacity=0.8,
                dashArray="4 4",
                className="fi-link",
            )
            for a, b, tip in self.lines
        ]


def add_dynamic_layer(m: folium.Map, layer: dict) -> None:
    """Draw a dynamic layer in a map built by build_base_map, once its base is drawn."""
    TerritoryUpdate(layer).add_to(m)


def corners(points: list[tuple[float, float]]) -> list[list[float]]:
    """[[south, west], [north, east]] of (lat, lon) points."""
    lats, lons = [float(p[0]) for p in points], [float(p[1]) for p in points]
    return [[min(lats), min(lons)], [max(lats), max(lons)]]


def framing(rows: list[list], selected: str, perimeter: Perimeter | None) -> dict | None:
    """The box to frame, from the shown markers' rows (marker_rows): the selected territory
    (its perimeter, or its own point up close), or else the shown territories of mainland
    France (overseas ones are one click away). None when nothing is shown."""
    if selected:
        if perimeter is not None:
            south, west, north, east = perimeter.bounds()
            return {"bounds": [[south, west], [north, east]], "padding": 30, "maxZoom": 18}
        own = [(row[1], row[2]) for row in rows if row[0] == selected]
        if own:
            return {"bounds": corners(own), "padding": 30, "maxZoom": SELECTED_ZOOM}
    points = mainland_first([(row[1], row[2]) for row in rows])
    if not points:
        return None
    return {"bounds": corners(points), "padding": 40, "maxZoom": FIT_MAX_ZOOM}


def mainland_first(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The (lat, lon) points of mainland France when there are any, else all of them."""
    (south, west), (north, east) = MAINLAND_BOUNDS
    mainland = [(lat, lon) for lat, lon in points if south <= lat <= north and west <= lon <= east]
    return mainland or points


def busiest_area(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The (lat, lon) points of the area holding most of them: mainland France, or one overseas
    area (points within OVERSEAS_AREA_DEGREES of each other), mainland on a tie."""
    (south, west), (north, east) = MAINLAND_BOUNDS
    areas: list[list[tuple[float, float]]] = [[]]  # areas[0]: mainland
    for lat, lon in points:
        if south <= lat <= north and west <= lon <= east:
            areas[0].append((lat, lon))
            continue
        near = next(
            (
                area
                for area in areas[1:]
                if abs(area[0][0] - lat) + abs(area[0][1] - lon) <= OVERSEAS_AREA_DEGREES
            ),
            None,
        )
        if near is None:
            areas.append([(lat, lon)])
        else:
            near.append((lat, lon))
    return max(areas, key=len)


def fit_points(m: folium.Map, lats: pd.Series, lons: pd.Series) -> None:
    """Frame these points where most of them are (the others stay one click away in the go-to
    control, rather than zooming out to the whole globe for one row in La Réunion)."""
    known = pd.DataFrame({"lat": lats, "lon": lons}).astype(float).dropna()
    shown = busiest_area(list(zip(known["lat"], known["lon"], strict=True)))
    if shown:
        FitBounds(corners(shown), padding=40, max_zoom=FIT_MAX_ZOOM).add_to(m)


# Runs `then` once the map has a size: Leaflet's fitBounds on a zero-size map (created hidden,
# in a closed tab) zooms out to the whole world.
WHEN_SIZED_JS = """
function whenSized(map, then) {
    var box = map.getContainer();
    if (box.clientWidth > 0 && box.clientHeight > 0 || !window.ResizeObserver) {
        then();
        return;
    }
    var observer = new ResizeObserver(function () {
        if (box.clientWidth > 0 && box.clientHeight > 0) {
            observer.disconnect();
            map.invalidateSize();
            then();
        }
    });
    observer.observe(box);
}
"""


class FitBounds(ScriptElement):
    """Frame a box, also when the map was created hidden (done once it first gets a size)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            {{ this.when_sized }}
            var map = {{ this._parent.get_name() }};
            whenSized(map, function () {
                map.fitBounds({{ this.bounds|tojson }}, {{ this.options|tojson }});
            });
        })();
        {% endmacro %}
        """
    )
    when_sized = WHEN_SIZED_JS

    def __init__(self, bounds: list[list[float]], padding: int, max_zoom: int):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.options = {"padding": [padding, padding], "maxZoom": max_zoom}


class TerritoryLayer(ScriptElement):
    """The base map's script that draws territories: `map.fiTerritories.update(layer)` adds,
    changes and removes markers by territory id, redraws the selection's shapes and frames.

    One folium.Marker with its DivIcon, Tooltip and Popup is four elements per territory to
    render on every rerun; here each territory is one row of a compact array. A marker whose
    row is unchanged is left alone, a changed one is changed in place: its open popup stays
    open. The markers are plain L.marker layers of the map, so streamlit-folium reports which
    one was clicked by its tooltip. The update also restyles the régions in the filter
    (OutlineLayer's `select`) and fires "fi:update" (the legend checks it hides no marker).

    Each marker also:
    - stamps its clicks (streamlit-folium's click count becomes a timestamp), so that the page
      sees a second click on the same marker as a new click, also on a freshly mounted map;
    - has an accessible name, opens with Enter or Space as a click would, and on focus keeps
      clear of the map's controls;
    - is spread around its point when it would stack on others (closer than SPREAD_PIXELS),
      after each update and zoom.
    The map takes focus without scrolling the page: Leaflet focuses the map on a press, and the
    browser scrolling the frame into view made that first tap or click land elsewhere.

    Without `popups` (the page's mounted map) a click opens the territory's card, not a popup:
    the card says the same, and a popup opened on a marker that the card's framing then moves
    was cut by the map's edge or hidden under the go-to box. Framing keeps clear of that box.

    Framing keeps the user's view unless the layer asks for a new box (a filter or a selection
    changed what is shown) that the current view does not show well: part of the box is
    outside it, or the box would fit `zoom_in_levels` levels closer. A fresh map always
    frames. Reframing is not animated (quick, and no motion the user did not ask for).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            {{ this.when_sized }}
            var map = {{ this._parent.get_name() }};
            var box = map.getContainer();
            box.focus = function () { HTMLElement.prototype.focus.call(box, {preventScroll: true}); };
            var markers = {};
            var shapes = L.layerGroup().addTo(map);
            // Shapes without a tooltip in a pane that lets clicks through to the régions below.
            map.createPane("fi-shapes").style.pointerEvents = "none";
            map.getPane("fi-shapes").style.zIndex = 390;
            var lastFrame = null, framed = false;
            var popups = {{ this.popups|tojson }};

            function stampClick() {
                var data = window.__GLOBAL_DATA__;  // streamlit-folium's state, if served
                if (data) { data.last_object_clicked_count = Date.now(); }
            }
            function label(marker, name) {
                var el = marker.getElement();
                if (!el) return;
                el.setAttribute("role", "button");
                el.setAttribute("aria-label", name);
                if (el.fiLabelled) return;
                el.fiLabelled = true;
                L.DomEvent.on(el, "keydown", function (event) {
                    if (event.key === "Enter" || event.key === " ") {
                        event.preventDefault();  // no keypress: the popup opens once
                        marker.fire("click", {latlng: marker.getLatLng(), originalEvent: event});
                    }
                });
                L.DomEvent.on(el, "focus", function () {
                    box.scrollTop = 0;
                    box.scrollLeft = 0;
                    map.panInside(marker.getLatLng(), {padding: [{{ this.focus_padding }}, {{ this.focus_padding }}]});
                });
            }

            function icon(html, row) {
                return L.divIcon({
                    html: html, className: row[4], iconSize: [22, 22], iconAnchor: [11, 11]
                });
            }
            function drawMarkers(rows, icons) {
                var keep = {};
                rows.forEach(function (row) {
                    var id = row[0], html = icons[row[3]], key = JSON.stringify(row) + html;
                    var marker = markers[id];
                    keep[id] = true;
                    if (!marker) {
                        marker = markers[id] = L.marker([row[1], row[2]], {
                            icon: icon(html, row), zIndexOffset: row[7],
                            riseOnHover: true, autoPanOnFocus: false
                        }).bindTooltip(row[5]);
                        if (popups) marker.bindPopup(row[6], {maxWidth: 320});
                        marker.on("click", stampClick);
                        marker.on("add", function () { label(marker, marker.fiName); });
                        marker.fiName = row[8];
                        marker.addTo(map);
                    } else if (marker.fiKey !== key) {
                        marker.fiName = row[8];
                        marker.setLatLng([row[1], row[2]]).setIcon(icon(html, row));
                        marker.setZIndexOffset(row[7]).setTooltipContent(row[5]);
                        if (popups) marker.setPopupContent(row[6]);
                        label(marker, row[8]);  // a new icon is a new element
                    }
                    marker.fiKey = key;
                });
                Object.keys(markers).forEach(function (id) {
                    if (!keep[id]) {
                        map.removeLayer(markers[id]);
                        delete markers[id];
                    }
                });
                map.getContainer().querySelectorAll(".fi-goto-button[data-id]").forEach(
                    function (button) {
                        button.style.display = keep[button.dataset.id] ? "block" : "none";
                    }
                );
            }
            function drawShapes(features) {
                shapes.clearLayers();
                [true, false].forEach(function (interactive) {  // an option set when made
                    L.geoJSON(features.filter(function (feature) {
                        return !!feature.properties.tooltip === interactive;
                    }), {
                        interactive: interactive,
                        pane: interactive ? "overlayPane" : "fi-shapes",
                        style: function (feature) { return feature.properties.style; },
                        pointToLayer: function (feature, latlng) {
                            return L.circleMarker(latlng, feature.properties.style);
                        },
                        onEachFeature: function (feature, layer) {
                            var tooltip = feature.properties.tooltip;
                            if (tooltip) layer.bindTooltip(tooltip, {sticky: true});
                        }
                    }).addTo(shapes);
                });
            }
            // The frame's padding, widened on the right by the go-to box (top right; its width
            // is fixed: measured before Leaflet's style sheet applies, it spans the map).
            function margins(frame) {
                var right = Math.max(frame.padding, {{ this.goto_width }} + 16);
                return {topLeft: L.point(frame.padding, frame.padding),
                        bottomRight: L.point(right, frame.padding)};
            }
            function showsWell(frame) {
                var pad = margins(frame);
                var inner = L.latLngBounds(
                    map.containerPointToLatLng(pad.topLeft),
                    map.containerPointToLatLng(map.getSize().subtract(pad.bottomRight))
                );
                var target = L.latLngBounds(frame.bounds);
                var fit = Math.min(frame.maxZoom,
                                   map.getBoundsZoom(target, false, pad.topLeft.add(pad.bottomRight)));
                return inner.contains(target) && fit - map.getZoom() < {{ this.zoom_in_levels }};
            }
            function reframe(frame) {
                var key = JSON.stringify(frame);
                if (!frame || key === lastFrame) return;
                lastFrame = key;
                whenSized(map, function () {
                    if (framed && showsWell(frame)) return;
                    framed = true;
                    var pad = margins(frame);
                    map.fitBounds(frame.bounds, {
                        paddingTopLeft: pad.topLeft, paddingBottomRight: pad.bottomRight,
                        maxZoom: frame.maxZoom, animate: false
                    });
                });
            }
            function spread() {
                var onMap = Object.keys(markers).map(function (id) { return markers[id]; });
                if (!onMap.length || !box.clientWidth) return;
                var near = {{ this.spread_pixels }};
                var points = onMap.map(function (m) { return map.latLngToLayerPoint(m.getLatLng()); });
                var group = onMap.map(function (m, i) { return i; });
                function root(i) { while (group[i] !== i) { i = group[i]; } return i; }
                function join(i, j) { group[root(j)] = root(i); }
                for (var i = 0; i < onMap.length; i++) {
                    for (var j = i + 1; j < onMap.length; j++) {
                        if (points[i].distanceTo(points[j]) < near) { join(i, j); }
                    }
                }
                // Lay each group out on a ring around its centre, turned to clash least; a marker
                // still clashing joins the group, until no marker sits on another (bounded).
                var final;
                for (var round = 0; round < onMap.length; round++) {
                    var members = {};
                    onMap.forEach(function (m, i) { (members[root(i)] = members[root(i)] || []).push(i); });
                    final = points.slice();
                    Object.keys(members).forEach(function (key) {
                        var list = members[key];
                        if (list.length < 2) { return; }
                        var cx = 0, cy = 0;
                        list.forEach(function (i) { cx += points[i].x / list.length; cy += points[i].y / list.length; });
                        var radius = 8 + 4 * list.length;
                        var angle = function (i) { return Math.atan2(points[i].y - cy, points[i].x - cx); };
                        list.sort(function (a, b) { return angle(a) - angle(b); });
                        var best = null;
                        for (var turn = 0; turn < 12; turn++) {
                            var start = angle(list[0]) + turn * Math.PI / 6, cost = 0, spots = [];
                            list.forEach(function (index, k) {
                                var a = start + 2 * Math.PI * k / list.length;
                                var spot = L.point(cx + radius * Math.cos(a), cy + radius * Math.sin(a));
                                spots.push(spot);
                                points.forEach(function (other, j) {
                                    if (list.indexOf(j) < 0) { cost += Math.max(0, near - other.distanceTo(spot)); }
                                });
                            });
                            if (best === null || cost < best.cost) { best = {cost: cost, spots: spots}; }
                        }
                        list.forEach(function (index, k) { final[index] = best.spots[k]; });
                    });
                    var joined = false;
                    for (var a = 0; a < onMap.length && !joined; a++) {
                        for (var b = a + 1; b < onMap.length && !joined; b++) {
                            if (root(a) !== root(b) && final[a].distanceTo(final[b]) < near) { join(a, b); joined = true; }
                        }
                    }
                    if (!joined) { break; }
                }
                onMap.forEach(function (marker, index) {
                    var dx = Math.round(final[index].x - points[index].x);
                    var dy = Math.round(final[index].y - points[index].y);
                    var el = marker.getElement();
                    el.style.marginLeft = (dx - 11) + "px";
                    el.style.marginTop = (dy - 11) + "px";
                    el.classList.toggle("fi-spread", dx !== 0 || dy !== 0);
                    marker.getTooltip().options.offset = L.point(dx, dy);
                });
            }
            map.on("zoomend viewreset", spread);
            map.fiTerritories = {
                update: function (layer) {
                    drawMarkers(layer.rows, layer.icons);
                    drawShapes(layer.shapes);
                    if (map.fiOutlines) map.fiOutlines.select(layer.regions);
                    reframe(layer.frame);
                    whenSized(map, spread);
                    map.fire("fi:update");
                }
            };
        })();
        {% endmacro %}
        """
    )
    when_sized = WHEN_SIZED_JS
    zoom_in_levels = 2
    spread_pixels = SPREAD_PIXELS
    goto_width = GOTO_WIDTH_PIXELS
    focus_padding = FOCUS_PADDING_PIXELS

    def __init__(self, popups: bool = True):
        super().__init__()
        self._name = "TerritoryLayer"
        self.popups = popups


class TerritoryUpdate(ScriptElement):
    """A dynamic layer in a standalone map (see update_script)."""

    _template = Template("{% macro script(this, kwargs) %}{{ this.script() }}{% endmacro %}")

    def __init__(self, layer: dict):
        super().__init__()
        self._name = "TerritoryUpdate"
        self.layer = layer

    def script(self) -> str:
        return update_script(self.layer, self._parent.get_name())


def marker_rows(
    shown: pd.DataFrame,
    lever_names: dict[str, list[str]],
    lang: str,
    selected: str,
    popups: bool = True,
) -> dict:
    """One compact row per placed territory ([id, lat, lon, symbol, class, tooltip, popup,
    z-offset, accessible name]) and each distinct symbol once. Tooltip and popup texts are escaped here, as
    folium would (Leaflet shows them as HTML); without `popups` (a map beside the page's card)
    the popup is left empty."""
    symbols: dict[str, int] = {}
    rows = []
    for row in shown.dropna(subset=["lat", "lon"]).itertuples():
        is_selected = row.id == selected
        svg = marker_svg(
            KIND[row.kind].shape if row.kind in KIND else "dot",
            WAVE_COLORS.get(row.wave, "#666"),
            is_selected,
            row.wave,
        )
        rows.append(
            [
                row.id,
                round(float(row.lat), 5),
                round(float(row.lon), 5),
                symbols.setdefault(svg, len(symbols)),
                f"{MARKER_CLASS} fi-wave-{row.wave} fi-kind-{row.kind}"
                + (" fi-selected" if is_selected else ""),
                escape(row.name),
                popup_html(row._asdict(), lever_names.get(row.id, []), lang) if popups else "",
                1000 if is_selected else 0,
                marker_name(row.name, row.kind, row.wave, lang),
            ]
        )
    return {"rows": rows, "icons": list(symbols)}


def marker_name(name: str, kind: str, wave: str, lang: str) -> str:
    """What a screen reader says for a marker: its name, kind and wave (an attribute, so not
    HTML-escaped: the browser sets it as text)."""
    return f"{name} — {kind_label(kind, lang)}, {t('wave_value', lang, wave=wave)}"


def popup_html(row: dict, levers: list[str], lang: str) -> str:
    """The essentials of a territory, every value escaped; unknown shown as unknown."""
    unknown = f"<i>{t('unknown', lang)}</i>"

    def line(label: str, value: str) -> str:
        return f"<b>{escape(label)}</b>{colon(lang)}{escape(value) if value else unknown}<br>"

    challenges = split_list(row.get("challenges" if lang == "fr" else "challenges_en", "") or "")
    return (
        f'<div class="fi-popup" lang="{lang}"><h4 style="margin:0 0 4px">{escape(row["name"])}</h4>'
        + line(t("kind", lang), kind_label(row["kind"], lang))
        + line(t("official_name", lang), row.get("official_name", ""))
        + line(t("departements", lang), ", ".join(split_list(row.get("departement_codes", ""))))
        + line(t("region", lang), row.get("region_name", ""))
        + line(t("porteur", lang), row.get("porteur", ""))
        + line(t("challenges", lang), " · ".join(challenges))
        + line(t("popup_levers", lang), " · ".join(levers))
        + "</div>"
    )


def perimeter_shape(perimeter: Perimeter) -> dict:
    """The selected territory's true outline (dashed when approximate) as a dynamic layer's
    shape, not clickable."""
    return feature(
        perimeter.geojson(),
        color=PERIMETER_COLOR,
        weight=2.5,
        dashArray="6 4" if perimeter.approximate else None,
        fillColor=PERIMETER_COLOR,
        fillOpacity=0.07,
        className="fi-perimeter",
    )


def feature(geometry: dict, tooltip: str = "", **style) -> dict:
    """A GeoJSON feature for a dynamic layer's shapes, drawn with this Leaflet path style;
    with a tooltip (escaped here) it shows it on hover, else it takes no mouse events."""
    properties: dict = {"style": style | {"interactive": bool(tooltip)}}
    if tooltip:
        properties["tooltip"] = escape(tooltip)
    return {"type": "Feature", "geometry": geometry, "properties": properties}


def overseas_places(placed: pd.DataFrame) -> list[tuple[str, str, float, float]]:
    """(id, name, lat, lon) of the placed territories outside mainland France, for the go-to
    control."""
    (south, west), (north, east) = MAINLAND_BOUNDS
    rows = placed.dropna(subset=["lat", "lon"])
    outside = rows[~rows["lat"].between(south, north) | ~rows["lon"].between(west, east)]
    return [(row.id, row.name, row.lat, row.lon) for row in outside.itertuples()]


class ZoomableMap(folium.Map):
    """folium's map without its viewport's `maximum-scale=1.0, user-scalable=no`: a reader must
    be able to pinch-zoom (WCAG 1.4.4, axe-core's meta-viewport rule). folium writes that meta
    in its map's header macro; it is rewritten once the header is rendered."""

    def render(self, **kwargs) -> None:
        super().render(**kwargs)
        header = self.get_root().header
        rendered = header._children[self.get_name()].render()
        header.add_child(_Text(_VIEWPORT.sub(VIEWPORT, rendered)), name=self.get_name())


VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />'
_VIEWPORT = re.compile(r'<meta name="viewport"[^>]*>')


class MapDocument(ScriptElement):
    """The map's own document as a screen reader meets it: in the reader's language, titled,
    the map a named main landmark with a level-one heading (hidden from view), and the frame
    that holds it (streamlit-folium's, same origin) named by that title rather than by the
    component's name. The standalone map gets the same."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var box = {{ this._parent.get_name() }}.getContainer();
            document.documentElement.lang = {{ this.lang|tojson }};
            document.title = {{ this.title|tojson }};
            box.setAttribute("role", "main");
            box.setAttribute("aria-label", {{ this.title|tojson }});
            var heading = document.createElement("h1");
            heading.textContent = {{ this.title|tojson }};
            heading.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;"
                + "clip:rect(0 0 0 0);white-space:nowrap;margin:0";
            box.insertBefore(heading, box.firstChild);
            try {
                if (window.frameElement) {
                    window.frameElement.setAttribute("aria-label", {{ this.title|tojson }});
                }
            } catch (error) { /* another origin's frame: its own title stays */ }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str):
        super().__init__()
        self._name = "MapDocument"
        self.lang = lang
        self.title = t("map_title", lang)


class ScaleBar(ScriptElement):
    """A metric scale (kilometres only: one bar, half the height of Leaflet's default pair)
    that moves up when the attribution would cover it, as on a phone's narrow map."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var scale = L.control.scale({imperial: false}).addTo(map);
            function place() {
                var box = scale.getContainer();
                var credit = map.attributionControl && map.attributionControl.getContainer();
                box.style.marginBottom = "";
                if (!credit) { return; }
                var a = box.getBoundingClientRect(), b = credit.getBoundingClientRect();
                if (a.right > b.left && a.bottom > b.top) {
                    box.style.marginBottom = (10 + a.bottom - b.top + 4) + "px";
                }
            }
            map.whenReady(function () { setTimeout(place, 0); });
            map.on("resize layeradd", place);
        })();
        {% endmacro %}
        """
    )

    def __init__(self):
        super().__init__()
        self._name = "ScaleBar"


class Legend(ScriptElement):
    """Wave colours and kind shapes, as a Leaflet control in the bottom-left corner.

    It never hides a marker: folded on a narrow map (a phone), and folded whenever a marker or a
    point lies under it once the map has moved or its markers changed (TerritoryLayer fires
    "fi:update"); if one still does, the map shifts it clear.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var legend = L.control({position: "bottomleft"});
            var div;
            legend.onAdd = function () {
                div = L.DomUtil.create("div", "fi-legend");
                div.setAttribute("role", "region");
                div.setAttribute("aria-label", {{ this.title|tojson }});
                div.style.cssText = "background:rgba(255,255,255,.92);padding:4px 6px;max-width:230px;"
                    + "border-radius:4px;font:11px/1.35 sans-serif;color:#222;box-shadow:0 1px 4px #0004";
                div.innerHTML = {{ this.html|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            legend.addTo(map);
            var details = div.querySelector("details");
            function covered() {
                var area = div.getBoundingClientRect();
                var hidden = [];
                map.getContainer().querySelectorAll(".fi-marker, .fi-point").forEach(function (el) {
                    var r = el.getBoundingClientRect();
                    if (r.width && r.left < area.right && r.right > area.left
                            && r.top < area.bottom && r.bottom > area.top) {
                        hidden.push(r);
                    }
                });
                return {area: area, hidden: hidden};
            }
            var shifted = false;
            function keepOffMarkers() {
                var box = map.getContainer();
                if (!box.clientWidth || !details) { return; }
                var seen = covered();
                if (seen.hidden.length && details.open) {
                    details.open = false;
                    seen = covered();
                }
                if (seen.hidden.length && !shifted) {
                    shifted = true;  // once per view: never a loop of moves
                    var right = 0, up = 0;
                    seen.hidden.forEach(function (r) {
                        right = Math.max(right, seen.area.right - r.left + 6);
                        up = Math.max(up, r.bottom - seen.area.top + 6);
                    });
                    map.panBy(right <= up ? [-right, 0] : [0, up], {animate: false});
                }
            }
            var sized = false;
            function settle() {
                if (!map.getContainer().clientWidth || !details) { return; }
                if (!sized && map.getContainer().clientWidth < {{ this.fold_below|default(0) }}) {
                    details.open = false;  // a narrow map (a phone): folded from its first size
                }
                sized = true;
                keepOffMarkers();
            }
            map.on("zoomstart", function () { shifted = false; });
            map.on("moveend zoomend resize fi:update", function () { setTimeout(settle, 0); });
            if (window.ResizeObserver) {
                new ResizeObserver(function () { setTimeout(settle, 0); }).observe(map.getContainer());
            }
            setTimeout(settle, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str, sections: tuple[LegendSection, ...] = ()):
        super().__init__()
        self._name = "Legend"
        self.title = t("legend_title", lang)
        self.fold_below = LEGEND_FOLD_BELOW_PIXELS
        rows = [
            (marker_svg("circle", WAVE_COLORS["1"]), t("legend_wave1", lang)),
            (marker_svg("circle", WAVE_COLORS["2"], wave="2"), t("legend_wave2", lang)),
        ]
        rows += [
            (marker_svg(shape, "#767676"), t(f"legend_{shape}", lang)) for shape in _SVG_SHAPES
        ]
        # Other sections (a user's list) come first, the territories' under their own title.
        if sections:
            sections = (*sections, LegendSection(t("legend_territories", lang), rows))
            items = "".join(section.html() for section in sections)
        else:
            items = LegendSection("", rows).html()
        self.html = (
            f'<details open><summary style="cursor:pointer;font-weight:bold">'
            f"{escape(self.title)}</summary>{items}</details>"
        )


@dataclass(frozen=True)
class LegendSection:
    """A titled list of (symbol SVG, label) rows in the map's one legend."""

    title: str
    rows: list[tuple[str, str]]

    def html(self) -> str:
        title = f'<div style="font-weight:bold;margin-top:3px">{escape(self.title)}</div>'
        return (title if self.title else "") + "<br>".join(
            f'<span style="display:inline-flex;align-items:center;gap:4px">'
            f"{svg.replace('22', '14', 2)}{escape(label)}</span>"
            for svg, label in self.rows
        )


class GoToControl(ScriptElement):
    """Buttons that fly to mainland France or to each overseas territory: one click away.
    A territory's button carries its id, so that a dynamic layer hides it when not shown."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var control = L.control({position: "topright"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "leaflet-bar fi-goto");
                div.style.cssText = "background:#fff;padding:4px;font:12px sans-serif;"
                    + "box-sizing:border-box;width:{{ this.width }}px";
                var title = L.DomUtil.create("div", "", div);
                title.textContent = {{ this.title|tojson }};
                {{ this.places|tojson }}.forEach(function (place) {
                    var button = L.DomUtil.create("button", "fi-goto-button", div);
                    button.type = "button";
                    button.textContent = place[0];
                    if (place[4]) button.dataset.id = place[4];
                    button.style.cssText = "display:block;width:100%;margin-top:2px;cursor:pointer";
                    L.DomEvent.on(button, "click", function (event) {
                        L.DomEvent.stop(event);
                        map.setView([place[1], place[2]], place[3]);
                    });
                });
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            control.addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, places: list[tuple[str, str, float, float]], lang: str):
        super().__init__()
        self._name = "GoToControl"
        self.width = GOTO_WIDTH_PIXELS
        self.title = t("goto", lang)
        self.places = [(t("metropole", lang), *FRANCE_CENTER, FRANCE_ZOOM, "")] + [
            (name, lat, lon, 9, tid) for tid, name, lat, lon in places
        ]


# --------------------------------------------------------------------------- outlines, perimeter


def outline_payload() -> dict:
    """The régions' and départements' outlines for the browser, as compact as shipped: the
    départements without their names (they are not interactive), delta-coded integer rings."""
    layers = shapes.outline_layers()
    return {
        "unit": layers["unit"],
        "regions": [[f["code"], f["name"], f["polygons"]] for f in layers["regions"]],
        "departements": [f["polygons"] for f in layers["departements"]],
    }


OUTLINE_GLOBAL = "fiOutlinePayload"


def outline_script() -> str:
    """The outlines as a script of their own, setting OUTLINE_GLOBAL (see OutlineLayer)."""
    return f"window.{OUTLINE_GLOBAL}={script_json(outline_payload())};"


def script_json(value: object) -> str:
    """JSON without spaces, safe inside a <script> block (as Jinja's tojson, a quarter smaller
    for the outlines' integer lists)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class OutlineLayer(ScriptElement):
    """Régions (bold) and départements (thin) under the markers, decoded in the browser.

    Carried in the map (`inline`, for a file that must stand alone), or read from the global
    that outline_script() sets, for a map whose scripts are served (the mounted map: its
    arguments then stay small, see geo.assets.publish).
    As shipped (see geo.geocoding.shapes, "Outline payload"): a ring is decoded with a
    running sum of its integers times the unit. Drawn in their own pane, below the markers and
    above the tiles, so they show with or without tiles. Hovering a région highlights it with its
    name; a click on it reaches Python like a marker click (streamlit-folium's onLayerClick),
    through the région group's "last_active_drawing": a feature with REGION_CLICK_PROPERTY and a
    click stamp, so that clicking the same région again is a new value.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var data = {{ this.payload }};
            var style = {{ this.style|tojson }};
            var perDegree = Math.round(1 / data.unit);
            function ring(steps) {
                var out = [], x = 0, y = 0;
                for (var i = 0; i < steps.length; i += 2) {
                    x += steps[i]; y += steps[i + 1];
                    out.push([y / perDegree, x / perDegree]);
                }
                return out;
            }
            function shape(polygons) {
                return polygons.map(function (rings) { return rings.map(ring); });
            }
            // Région areas with their bold borders (hover, click), and over them the thin
            // départements' lines, in a pane that lets clicks through to the régions.
            var land = map.createPane("fi-land");
            land.style.zIndex = 340;
            var lines = map.createPane("fi-outlines");
            lines.style.zIndex = 345;
            lines.style.pointerEvents = "none";
            var landRenderer = L.svg({pane: "fi-land"});
            var lineRenderer = L.svg({pane: "fi-outlines"});
            if (style.filled) {
                map.getContainer().style.background = style.sea;
            }
            data.departements.forEach(function (polygons) {
                L.polygon(shape(polygons), {
                    renderer: lineRenderer, pane: "fi-outlines", interactive: false,
                    color: style.departement, weight: 0.7, fill: false
                }).addTo(map);
            });
            var group = L.featureGroup();
            var chosen = [];
            function look(code) {
                var on = chosen.indexOf(code) >= 0;
                return {
                    color: style.region, weight: on ? 3.5 : 1.8, fill: true,
                    fillColor: on ? style.chosen : style.land,
                    fillOpacity: style.filled ? 1 : (on ? 0.2 : 0)
                };
            }
            var byCode = {};
            data.regions.forEach(function (region) {
                var layer = L.polygon(shape(region[2]), L.extend(
                    {renderer: landRenderer, pane: "fi-land", className: "fi-region"},
                    look(region[0])
                ));
                var stamp = 0;
                byCode[region[0]] = layer;
                layer.bindTooltip(region[1], {sticky: true, className: "fi-region-tip"});
                layer.on("mouseover", function () {
                    layer.setStyle({weight: 3.5, fillColor: style.hover,
                                    fillOpacity: style.filled ? 1 : 0.2});
                });
                layer.on("mouseout", function () { layer.setStyle(look(region[0])); });
                layer.on("click", function () { stamp = Date.now() + Math.random(); });
                layer.toGeoJSON = function () {
                    var properties = {name: region[1], click: stamp};
                    properties[{{ this.click_property|tojson }}] = region[0];
                    return {type: "Feature", properties: properties, geometry: null};
                };
                group.addLayer(layer);
            });
            group.addTo(map);
            // The régions in the filter stand out; restyled in place (TerritoryLayer's update),
            // so that a change of régions keeps the map mounted.
            function restyle() {
                Object.keys(byCode).forEach(function (code) { byCode[code].setStyle(look(code)); });
            }
            map.fiOutlines = {
                shape: shape,  // the decoder, for other layers on the same outlines (coverage)
                select: function (codes) {
                    chosen = codes || [];
                    restyle();
                },
                // The "outlines only" look, for a map whose tiles stopped loading (TilesDown).
                fillLand: function () {
                    style.filled = true;
                    map.getContainer().style.background = style.sea;
                    restyle();
                }
            };
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str, filled: bool, inline: bool = True):
        super().__init__()
        self._name = "OutlineLayer"
        self.payload = script_json(outline_payload()) if inline else f"window.{OUTLINE_GLOBAL}"
        self.click_property = REGION_CLICK_PROPERTY
        self.style = {
            "filled": filled,  # no tiles: land drawn white on a pale sea
            "land": "#ffffff",
            "sea": "#dfe9f0",
            "hover": "#d2e3f3",
            "region": "#3b3b3b",
            "departement": "#8a8a8a",
            "chosen": "#b9d3ea",  # régions in the filter: a light blue, the markers stay readable
        }


class TilesDown(ScriptElement):
    """When the tiles do not load (offline, a tile server down), say so on the map and offer the
    "outlines only" look in place: without a word, the default base map just turned grey.

    Said once the first TILES_DOWN_AFTER tiles of a view have all failed; the button removes
    the tile layer and fills the land like the "Contours seuls" base map (OutlineLayer).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var tiles = null;
            map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) tiles = layer; });
            if (!tiles) { return; }
            var failed = 0, loaded = 0, control = null;
            tiles.on("tileload", function () { loaded += 1; });
            tiles.on("tileerror", function () {
                failed += 1;
                if (!control && !loaded && failed >= {{ this.after }}) { show(); }
            });
            function show() {
                control = L.control({position: "bottomright"});
                control.onAdd = function () {
                    var div = L.DomUtil.create("div", "leaflet-bar fi-tiles-down");
                    div.setAttribute("role", "status");
                    div.style.cssText = "background:#fff;padding:5px 7px;max-width:170px;"
                        + "font:12px/1.35 sans-serif;color:#222";
                    L.DomUtil.create("div", "", div).textContent = {{ this.message|tojson }};
                    var button = L.DomUtil.create("button", "", div);
                    button.type = "button";
                    button.textContent = {{ this.button|tojson }};
                    button.style.cssText = "margin-top:4px;cursor:pointer";
                    L.DomEvent.on(button, "click", function (event) {
                        L.DomEvent.stop(event);
                        map.removeLayer(tiles);
                        if (map.fiOutlines) { map.fiOutlines.fillLand(); }
                        map.removeControl(control);
                    });
                    L.DomEvent.disableClickPropagation(div);
                    return div;
                };
                control.addTo(map);
            }
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str):
        super().__init__()
        self._name = "TilesDown"
        self.after = TILES_DOWN_AFTER
        self.message = t("tiles_down", lang)
        self.button = t("tiles_outlines", lang)


class RegionClick(NamedTuple):
    """A click on a région of the map: its INSEE code and the click's stamp."""

    code: str
    stamp: float


def region_click(result: dict | None) -> RegionClick | None:
    """The last click on the map's régions in st_folium's answer, or None.

    A rerun returns the same answer again: the caller acts only on a stamp it has not seen.
    """
    feature = (result or {}).get("last_active_drawing") or {}
    properties = feature.get("properties") or {}
    code, stamp = properties.get(REGION_CLICK_PROPERTY), properties.get("click")
    if not code or not stamp:
        return None
    return RegionClick(str(code), float(stamp))


def toggle_region(regions: tuple[str, ...], code: str) -> tuple[str, ...]:
    """The région filter after a click on a région: added, or removed if it was in it."""
    return tuple(r for r in regions if r != code) if code in regions else (*regions, code)
