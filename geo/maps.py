"""Build the folium maps of the territories: the outlines of régions and départements, their
markers, a selected territory's true perimeter, the legend, the go-to control for overseas, and
the framing.

Map building is a function returning a `folium.Map`, so tests render it and look inside. Every
text that reaches HTML is escaped here (names come from data files and from users' uploads).
Colours are the Okabe-Ito palette (readable with colour-vision deficiencies), the vermilion
darkened to reach 3:1 on the grey of a map without tiles (WCAG 1.4.11); the second wave also has a
white centre and each kind of territory its own shape, so colour is never the only cue.
"""

from __future__ import annotations

import json
from html import escape
from typing import NamedTuple

import folium
import pandas as pd
import xyzservices.providers as xyz
from branca.element import Element, MacroElement
from folium.template import Template

from geo.data import split_list
from geo.geocoding import shapes
from geo.i18n import t
from geo.kinds import KIND, kind_label
from geo.perimeters import Perimeter

FRANCE_CENTER = (46.6, 2.4)
FRANCE_ZOOM = 6
SELECTED_ZOOM = 10
FIT_MAX_ZOOM = 9
MAINLAND_BOUNDS = ((41.0, -5.5), (51.5, 10.0))
WAVE_COLORS = {"1": "#0072B2", "2": "#B84E00"}  # 3.8:1 and 3.7:1 on the no-tile grey #ddd
WAVE_MARK = {"2": '<circle cx="11" cy="11.5" r="3.2" fill="#fff" stroke="none"/>'}
PERIMETER_COLOR = "#000000"
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


def base_map(basemap: str, lang: str, regions: tuple[str, ...] = ()) -> folium.Map:
    """A map of mainland France on the chosen tiles (with their attribution), or on none, and
    the outlines of régions and départements, drawn whether tiles load or not."""
    key, provider = BASEMAPS.get(basemap, BASEMAPS["osm"])
    m = folium.Map(location=FRANCE_CENTER, zoom_start=FRANCE_ZOOM, tiles=None, control_scale=True)
    if provider is not None:
        folium.TileLayer(provider, name=t(key, lang)).add_to(m)
    OutlineLayer(lang, filled=provider is None, selected_regions=regions).add_to(m)
    return m


def build_territory_map(
    placed: pd.DataFrame,
    lever_names: dict[str, list[str]],
    lang: str,
    basemap: str = "osm",
    selected: str = "",
    *,
    perimeter: Perimeter | None = None,
    regions: tuple[str, ...] = (),
    links: TerritoryLinks | None = None,
    more_places: list[tuple[str, float, float]] | None = None,
) -> folium.Map:
    """One marker per placed territory, styled by wave and kind, with tooltip and popup, over
    the outlines (the régions in `regions` stand out); the selected territory's `perimeter`
    drawn and framed; with `links`, thin lines between territories (drawn under the markers,
    framed last); `more_places`: other overseas areas for the go-to control (those of a user's
    list)."""
    m = base_map(basemap, lang, regions)
    if perimeter is not None:
        PerimeterLayer(perimeter).add_to(m)
    if links is not None:
        links.add_to(m)
    TerritoryMarkers(placed, lever_names, lang, selected).add_to(m)
    Legend(lang).add_to(m)
    GoToControl(overseas_places(placed) + (more_places or []), lang).add_to(m)
    focus_on_selection(m, placed, selected, perimeter)
    if links is not None and links.frame:
        fit_points(m, *links.points())
    return m


class TerritoryLinks(ScriptElement):
    """Thin lines joining territories (a selected one to its similar ones, or the compared
    ones), each with a tooltip saying what they share; `frame` asks the map to frame them all.

    `lines` are ((lat, lon), (lat, lon), tooltip) triples; tooltips are escaped here.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            {{ this.lines|tojson }}.forEach(function (line) {
                L.polyline([line[0], line[1]], {
                    color: {{ this.color|tojson }}, weight: 2, opacity: 0.8,
                    dashArray: "4 4", className: "fi-link"
                }).bindTooltip(line[2], {sticky: true}).addTo(map);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self,
        lines: list[tuple[tuple[float, float], tuple[float, float], str]],
        frame: bool = False,
        color: str = "#333333",
    ):
        super().__init__()
        self._name = "TerritoryLinks"
        self.lines = [
            [[round(a[0], 5), round(a[1], 5)], [round(b[0], 5), round(b[1], 5)], escape(tip)]
            for a, b, tip in lines
        ]
        self.frame = frame
        self.color = color

    def points(self) -> tuple[pd.Series, pd.Series]:
        """Latitudes and longitudes of every line's ends (what `frame` frames)."""
        ends = [end for line in self.lines for end in line[:2]]
        return pd.Series([e[0] for e in ends]), pd.Series([e[1] for e in ends])


def focus_on_selection(
    m: folium.Map, placed: pd.DataFrame, selected: str, perimeter: Perimeter | None
) -> None:
    """Frame the selected territory (its perimeter, or its own point up close), or else the
    shown territories of mainland France (overseas ones are one click away)."""
    if not selected:
        fit_points(m, placed["lat"], placed["lon"])
        return
    rows = placed[(placed["id"] == selected)].dropna(subset=["lat", "lon"])
    if perimeter is not None:
        south, west, north, east = perimeter.bounds()
        FitBounds([[south, west], [north, east]], padding=30, max_zoom=18).add_to(m)
    elif not rows.empty:
        m.location = [float(rows["lat"].iloc[0]), float(rows["lon"].iloc[0])]
        m.options["zoom"] = SELECTED_ZOOM


def fit_points(m: folium.Map, lats: pd.Series, lons: pd.Series) -> None:
    """Frame these points, those of mainland France when there are any (overseas ones stay
    one click away in the go-to control, rather than zooming out to the whole globe)."""
    points = pd.DataFrame({"lat": lats, "lon": lons}).astype(float).dropna()
    (south, west), (north, east) = MAINLAND_BOUNDS
    mainland = points[points["lat"].between(south, north) & points["lon"].between(west, east)]
    shown = mainland if not mainland.empty else points
    if not shown.empty:
        FitBounds(
            [[shown["lat"].min(), shown["lon"].min()], [shown["lat"].max(), shown["lon"].max()]],
            padding=40,
            max_zoom=FIT_MAX_ZOOM,
        ).add_to(m)


class FitBounds(ScriptElement):
    """Frame a box, also when the map was created hidden (in a closed tab, a zero-size frame).

    Leaflet's fitBounds on a zero-size map zooms out to the whole world; here the framing is
    done again once, when the map first gets a size.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var bounds = {{ this.bounds|tojson }};
            var options = {{ this.options|tojson }};
            var box = map.getContainer();
            if (box.clientWidth > 0 && box.clientHeight > 0 || !window.ResizeObserver) {
                map.fitBounds(bounds, options);
                return;
            }
            var observer = new ResizeObserver(function () {
                if (box.clientWidth > 0 && box.clientHeight > 0) {
                    observer.disconnect();
                    map.invalidateSize();
                    map.fitBounds(bounds, options);
                }
            });
            observer.observe(box);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], padding: int, max_zoom: int):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.options = {"padding": [padding, padding], "maxZoom": max_zoom}


class TerritoryMarkers(ScriptElement):
    """The territories' markers, built in the browser from one compact array.

    One folium.Marker with its DivIcon, Tooltip and Popup is four elements to render per
    territory on every rerun; here each territory is one array row and each distinct symbol is
    sent once. Tooltip and popup texts are escaped here, as folium would (Leaflet shows them as
    HTML); the markers are plain L.marker layers of the map, so streamlit-folium reports which
    one was clicked by its tooltip.

    The script also:
    - stamps each click (streamlit-folium's click count becomes a timestamp), so that the page
      sees a second click on the same marker as a new click, also on a freshly mounted map;
    - gives each marker an accessible name, opens it with Enter or Space as a click would, and
      on focus keeps it clear of the map's controls;
    - spreads markers that would stack (closer than SPREAD_PIXELS) around their common point;
    - focuses the map without scrolling the page: Leaflet focuses the map on a press, and the
      browser scrolling the frame into view made that first tap or click land elsewhere.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var box = map.getContainer();
            box.focus = function () { HTMLElement.prototype.focus.call(box, {preventScroll: true}); };
            var icons = {{ this.icons|tojson }};
            var markers = [];
            function stampClick() {
                var data = window.__GLOBAL_DATA__;  // streamlit-folium's state, if served
                if (data) { data.last_object_clicked_count = Date.now(); }
            }
            function label(marker, name) {
                var el = marker.getElement();
                el.setAttribute("role", "button");
                el.setAttribute("aria-label", name);
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
            {{ this.rows|tojson }}.forEach(function (row) {
                var marker = L.marker([row[0], row[1]], {
                    icon: L.divIcon({
                        html: icons[row[2]], className: row[3],
                        iconSize: [22, 22], iconAnchor: [11, 11]
                    }),
                    zIndexOffset: row[6], riseOnHover: true, autoPanOnFocus: false
                }).bindTooltip(row[4]).bindPopup(row[5], {maxWidth: 320});
                marker.on("click", stampClick);
                marker.on("add", function () { label(marker, row[7]); });
                marker.addTo(map);
                markers.push(marker);
            });
            function spread() {
                var near = {{ this.spread_pixels }};
                var points = markers.map(function (m) { return map.latLngToLayerPoint(m.getLatLng()); });
                var group = markers.map(function (m, i) { return i; });
                function root(i) { while (group[i] !== i) { i = group[i]; } return i; }
                function join(i, j) { group[root(j)] = root(i); }
                for (var i = 0; i < markers.length; i++) {
                    for (var j = i + 1; j < markers.length; j++) {
                        if (points[i].distanceTo(points[j]) < near) { join(i, j); }
                    }
                }
                // Lay each group out on a ring around its centre, turned to clash least; a marker
                // still clashing joins the group, until no marker sits on another (bounded).
                var final;
                for (var round = 0; round < markers.length; round++) {
                    var members = {};
                    markers.forEach(function (m, i) { (members[root(i)] = members[root(i)] || []).push(i); });
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
                    for (var a = 0; a < markers.length && !joined; a++) {
                        for (var b = a + 1; b < markers.length && !joined; b++) {
                            if (root(a) !== root(b) && final[a].distanceTo(final[b]) < near) { join(a, b); joined = true; }
                        }
                    }
                    if (!joined) { break; }
                }
                markers.forEach(function (marker, index) {
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
            spread();
        })();
        {% endmacro %}
        """
    )

    def __init__(
        self, placed: pd.DataFrame, lever_names: dict[str, list[str]], lang: str, selected: str
    ):
        super().__init__()
        self._name = "TerritoryMarkers"
        self.spread_pixels = SPREAD_PIXELS
        self.focus_padding = FOCUS_PADDING_PIXELS
        symbols: dict[str, int] = {}
        self.rows = []
        for row in placed.dropna(subset=["lat", "lon"]).itertuples():
            is_selected = row.id == selected
            svg = marker_svg(
                KIND[row.kind].shape if row.kind in KIND else "dot",
                WAVE_COLORS.get(row.wave, "#666"),
                is_selected,
                row.wave,
            )
            self.rows.append(
                [
                    round(float(row.lat), 5),
                    round(float(row.lon), 5),
                    symbols.setdefault(svg, len(symbols)),
                    f"{MARKER_CLASS} fi-wave-{row.wave} fi-kind-{row.kind}",
                    escape(row.name),
                    popup_html(row._asdict(), lever_names.get(row.id, []), lang),
                    1000 if is_selected else 0,
                    marker_name(row.name, row.kind, row.wave, lang),
                ]
            )
        self.icons = list(symbols)


def marker_name(name: str, kind: str, wave: str, lang: str) -> str:
    """What a screen reader says for a marker: its name, kind and wave (an attribute, so not
    HTML-escaped: the browser sets it as text)."""
    return f"{name} — {kind_label(kind, lang)}, {t('wave_value', lang, wave=wave)}"


def popup_html(row: dict, levers: list[str], lang: str) -> str:
    """The essentials of a territory, every value escaped; unknown shown as unknown."""
    unknown = f"<i>{t('unknown', lang)}</i>"

    def line(label: str, value: str) -> str:
        return f"<b>{escape(label)}</b> : {escape(value) if value else unknown}<br>"

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


def overseas_places(placed: pd.DataFrame) -> list[tuple[str, float, float]]:
    """(name, lat, lon) of the placed territories outside mainland France, for the go-to control."""
    (south, west), (north, east) = MAINLAND_BOUNDS
    rows = placed.dropna(subset=["lat", "lon"])
    outside = rows[~rows["lat"].between(south, north) | ~rows["lon"].between(west, east)]
    return [(row.name, row.lat, row.lon) for row in outside.itertuples()]


class Legend(ScriptElement):
    """Wave colours and kind shapes, as a Leaflet control in the bottom-left corner.

    It never hides a marker: folded on a narrow map (a phone), and folded whenever a marker or a
    point lies under it once the map has moved; if one still does, the map shifts it clear.
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
            map.on("moveend zoomend resize", function () { setTimeout(settle, 0); });
            if (window.ResizeObserver) {
                new ResizeObserver(function () { setTimeout(settle, 0); }).observe(map.getContainer());
            }
            setTimeout(settle, 0);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str):
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
        items = "<br>".join(
            f'<span style="display:inline-flex;align-items:center;gap:4px">'
            f"{svg.replace('22', '14', 2)}{escape(label)}</span>"
            for svg, label in rows
        )
        self.html = (
            f'<details open><summary style="cursor:pointer;font-weight:bold">'
            f"{escape(self.title)}</summary>{items}</details>"
        )


class GoToControl(ScriptElement):
    """Buttons that fly to mainland France or to each overseas territory: one click away."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            var control = L.control({position: "topright"});
            control.onAdd = function () {
                var div = L.DomUtil.create("div", "leaflet-bar fi-goto");
                div.style.cssText = "background:#fff;padding:4px;font:12px sans-serif";
                var title = L.DomUtil.create("div", "", div);
                title.textContent = {{ this.title|tojson }};
                {{ this.places|tojson }}.forEach(function (place) {
                    var button = L.DomUtil.create("button", "fi-goto-button", div);
                    button.type = "button";
                    button.textContent = place[0];
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

    def __init__(self, places: list[tuple[str, float, float]], lang: str):
        super().__init__()
        self._name = "GoToControl"
        self.title = t("goto", lang)
        self.places = [(t("metropole", lang), *FRANCE_CENTER, FRANCE_ZOOM)] + [
            (name, lat, lon, 9) for name, lat, lon in places
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


def script_json(value: object) -> str:
    """JSON without spaces, safe inside a <script> block (as Jinja's tojson, a quarter smaller
    for the outlines' integer lists)."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


class OutlineLayer(ScriptElement):
    """Régions (bold) and départements (thin) under the markers, decoded in the browser.

    Sent once, as shipped (see geo.geocoding.shapes, "Outline payload"): a ring is decoded with a
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
            data.regions.forEach(function (region) {
                var chosen = style.selected.indexOf(region[0]) >= 0;
                var base = {
                    renderer: landRenderer, pane: "fi-land", className: "fi-region",
                    color: style.region, weight: chosen ? 3.5 : 1.8, fill: true,
                    fillColor: chosen ? style.chosen : style.land,
                    fillOpacity: style.filled ? 1 : (chosen ? 0.2 : 0)
                };
                var layer = L.polygon(shape(region[2]), base);
                var stamp = 0;
                layer.bindTooltip(region[1], {sticky: true, className: "fi-region-tip"});
                layer.on("mouseover", function () {
                    layer.setStyle({weight: 3.5, fillColor: style.hover,
                                    fillOpacity: style.filled ? 1 : 0.2});
                });
                layer.on("mouseout", function () { layer.setStyle(base); });
                layer.on("click", function () { stamp = Date.now() + Math.random(); });
                layer.toGeoJSON = function () {
                    var properties = {name: region[1], click: stamp};
                    properties[{{ this.click_property|tojson }}] = region[0];
                    return {type: "Feature", properties: properties, geometry: null};
                };
                group.addLayer(layer);
            });
            group.addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, lang: str, filled: bool, selected_regions: tuple[str, ...] = ()):
        super().__init__()
        self._name = "OutlineLayer"
        self.payload = script_json(outline_payload())
        self.click_property = REGION_CLICK_PROPERTY
        self.style = {
            "filled": filled,  # no tiles: land drawn white on a pale sea
            "land": "#ffffff",
            "sea": "#dfe9f0",
            "hover": "#d2e3f3",
            "region": "#3b3b3b",
            "departement": "#8a8a8a",
            "chosen": "#b9d3ea",  # régions in the filter: a light blue, the markers stay readable
            "selected": list(selected_regions),
        }


class PerimeterLayer(ScriptElement):
    """The selected territory's true outline (dashed when approximate), not clickable."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var map = {{ this._parent.get_name() }};
            // Its own pane, which lets clicks through to the régions below.
            map.createPane("fi-perimeter").style.pointerEvents = "none";
            map.getPane("fi-perimeter").style.zIndex = 390;
            L.geoJSON({{ this.geometry|tojson }}, {
                interactive: false, className: "fi-perimeter", pane: "fi-perimeter",
                style: {{ this.style|tojson }}
            }).addTo(map);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, perimeter: Perimeter):
        super().__init__()
        self._name = "PerimeterLayer"
        self.geometry = perimeter.geojson()
        self.style = {
            "color": PERIMETER_COLOR,
            "weight": 2.5,
            "dashArray": "6 4" if perimeter.approximate else None,
            "fillColor": PERIMETER_COLOR,
            "fillOpacity": 0.07,
        }


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
