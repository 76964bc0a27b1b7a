"""Section 2: the dashboard's map of the 27 territories and a 10,000-point uploaded layer.

Bytes are those of the rendered map HTML (what the browser receives for the map), with the
self-hosted scripts and stylesheets left out since the browser caches them: after
geo.maps.assets.localize the page only links them. The st_folium payload (the JSON the component
sends over the websocket) is given beside it for information.
"""

from __future__ import annotations

import copy
import random
from html import escape

import folium
import pandas as pd

from benchmarks.common import Section, median, timed
from geo.domain.territories import PlacedDataset, default_geocoder, load_placed, place_dataset
from geo.geocoding.batch import geocode_table
from geo.geocoding.columns import PlaceColumns
from geo.geocoding.geocoder import OfflineGeocoder
from geo.maps import assets
from geo.maps.base import build_territory_map
from geo.maps.list_map import build_list_map
from geo.maps.outline_layer import OutlineLayer
from geo.texts.levers import levers_by_territory
from geo.web import publish

POINTS = 10_000
CATEGORIES = ("Association", "Coopérative", "Mutuelle", "Fondation", "Entreprise ESUS", "SIAE")


def territory_map_html(territories: PlacedDataset, lang: str = "fr") -> str:
    """dashboard.territory_map for all 27 (placing included), localized, rendered."""
    placed = place_dataset(territories.dataset, default_geocoder())
    m = build_territory_map(placed, levers_by_territory(territories.dataset, lang), lang)
    return assets.localize(m, publish.ASSET_BASE_URL, publish.map_script_url()).get_root().render()


def payload_bytes(m: folium.Map) -> int | None:
    """Bytes of what st_folium sends for this map (script, header, html, links); None if the
    private helpers of streamlit_folium changed."""
    try:
        from streamlit_folium import _get_header, _get_html, _get_map_string
    except ImportError:
        return None
    m.get_root().render()
    html, header = _get_html(m), _get_header(m)
    script = _get_map_string(m)
    links = [src for e in assets._walk(m) for _, src in getattr(e, "default_js", [])]
    links += [href for e in assets._walk(m) for _, href in getattr(e, "default_css", [])]
    return sum(len(part.encode()) for part in (script, header, html, *dict.fromkeys(links)))


def without_outlines(m: folium.Map) -> folium.Map:
    """A copy of a map without its outline layer: the same map as before the outlines came."""
    bare = copy.deepcopy(m)
    for name in [key for key, child in bare._children.items() if isinstance(child, OutlineLayer)]:
        del bare._children[name]
    return bare


def list_table(territories: PlacedDataset, geocoder: OfflineGeocoder) -> pd.DataFrame:
    """A 10,000-row uploaded list (structure, commune, département, category), geocoded by the
    real batch path; the few rows it cannot settle alone are set as a user's review would."""
    rng = random.Random(7)
    gaz = geocoder.gazetteer
    communes = [i for i, kind in enumerate(gaz.kinds) if kind == "commune"]
    picks = rng.choices(communes, k=POINTS)
    table = pd.DataFrame(
        {
            "structure": [f"Structure {n:05d}" for n in range(POINTS)],
            "commune": [gaz.names[i] for i in picks],
            "departement": [gaz.departements[i] for i in picks],
            "categorie": rng.choices(CATEGORIES, weights=(50, 15, 5, 5, 15, 10), k=POINTS),
            "effectif": [str(rng.randint(1, 250)) for _ in range(POINTS)],
        }
    )
    geocoded = geocode_table(
        table, geocoder, PlaceColumns(name="commune", departement="departement")
    ).table
    unsettled = geocoded["geo_status"] != "resolved"
    geocoded.loc[unsettled, "geo_status"] = "resolved"
    geocoded.loc[unsettled, "geo_lat"] = [gaz.lats[picks[i]] for i in range(POINTS) if unsettled[i]]
    geocoded.loc[unsettled, "geo_lon"] = [gaz.lons[picks[i]] for i in range(POINTS) if unsettled[i]]
    return geocoded


def naive_map(table: pd.DataFrame, territories: PlacedDataset, lang: str = "fr") -> folium.Map:
    """The same points as one folium.Marker each, the row's columns in its popup."""
    dataset, placed = territories
    m = build_territory_map(placed, levers_by_territory(dataset, lang), lang)
    columns = ["structure", "commune", "departement", "categorie", "effectif", "geo_label"]
    for row in table[[*columns, "geo_lat", "geo_lon"]].itertuples(index=False):
        html = "".join(f"<b>{escape(c)}</b> : {escape(str(getattr(row, c)))}<br>" for c in columns)
        folium.Marker((row.geo_lat, row.geo_lon), popup=folium.Popup(html)).add_to(m)
    return assets.localize(m, publish.ASSET_BASE_URL, publish.map_script_url())


def run(samples: int, geocoder: OfflineGeocoder) -> Section:
    section = Section("2. Maps (build + localize + render)")
    territories = load_placed()
    placed_count = int(territories.placed["lat"].notna().sum())
    times, html = [], ""
    for _ in range(samples):
        seconds, html = timed(lambda: territory_map_html(territories))
        times.append(seconds)
    levers = levers_by_territory(territories.dataset, "fr")
    m27 = assets.localize(
        build_territory_map(territories.placed, levers, "fr"),
        publish.ASSET_BASE_URL,
        publish.map_script_url(),
    )
    section.add("map_27_seconds", median(times), "s", "", f"{placed_count} markers, placing incl.")
    section.add("map_27_bytes", len(html.encode()), "B", "<= 500000", "rendered HTML")
    payload = payload_bytes(m27)
    section.add("map_27_payload_bytes", payload, "B", "", "st_folium payload")
    without = payload_bytes(without_outlines(m27))
    outlines = None if payload is None or without is None else payload - without
    section.add("map_27_outline_bytes", outlines, "B", "<= 300000", "régions + départements")

    table = list_table(territories, geocoder)

    def list_html() -> str:
        m = build_list_map(table, "structure", "categorie", territories.dataset, territories.placed)
        return (
            assets.localize(m, publish.ASSET_BASE_URL, publish.map_script_url()).get_root().render()
        )

    times = []
    for _ in range(samples):
        seconds, html = timed(list_html)
        times.append(seconds)
    list_bytes = len(html.encode())
    seconds, naive_html = timed(lambda: naive_map(table, territories).get_root().render())
    naive_bytes = len(naive_html.encode())
    section.add("map_10k_seconds", median(times), "s", "<= 1.5", f"{len(table)} points")
    section.add("map_10k_bytes", list_bytes, "B", "<= 3000000", "rendered HTML")
    section.add("map_10k_naive_bytes", naive_bytes, "B", "", "one folium.Marker+Popup per row")
    section.add(
        "map_10k_naive_over_ours", round(naive_bytes / list_bytes, 2), "×", ">= 3", "bytes ratio"
    )
    section.add("map_10k_naive_seconds", seconds, "s", "", "1 sample, for information")
    return section
