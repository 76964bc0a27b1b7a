"""The cheapest page that does what the dashboard's filter change does: a région multiselect in
the sidebar (same key, same options) and one st_folium map, self-hosted assets as the dashboard
(geo.maps.assets), with one marker that moves with the choice (its class names the région).

`rerun_floor_seconds` and `browser_floor_seconds` are measured on this page.
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.maps import assets
from geo.web import publish

REGIONS = {
    "01": ("Guadeloupe", 16.0, -61.7),
    "02": ("Martinique", 14.6, -61.07),
    "03": ("Guyane", 4.94, -52.33),
    "04": ("La Réunion", -20.88, 55.45),
    "06": ("Mayotte", -12.78, 45.23),
    "11": ("Île-de-France", 48.85, 2.35),
    "24": ("Centre-Val de Loire", 47.9, 1.9),
    "27": ("Bourgogne-Franche-Comté", 47.32, 5.04),
    "28": ("Normandie", 49.18, -0.37),
    "32": ("Hauts-de-France", 50.63, 3.06),
    "44": ("Grand Est", 48.58, 7.75),
    "52": ("Pays de la Loire", 47.22, -1.55),
    "53": ("Bretagne", 48.11, -1.68),
    "75": ("Nouvelle-Aquitaine", 44.84, -0.58),
    "76": ("Occitanie", 43.6, 1.44),
    "84": ("Auvergne-Rhône-Alpes", 45.76, 4.84),
    "93": ("Provence-Alpes-Côte d'Azur", 43.3, 5.37),
    "94": ("Corse", 41.93, 8.74),
}

chosen = st.sidebar.multiselect(
    "Région", list(REGIONS), format_func=lambda code: REGIONS[code][0], key="f_region"
)
code = chosen[0] if chosen else "fr"
name, lat, lon = REGIONS[code] if chosen else ("France", 46.6, 2.4)
m = folium.Map(location=(46.6, 2.4), zoom_start=6)
folium.Marker(
    (lat, lon),
    tooltip=name,
    # A class naming the région, so that a browser can tell when the new map is drawn.
    icon=folium.DivIcon(html="&#9679;", class_name=f"floor-marker floor-{code}"),
).add_to(m)
publish.register()
st_folium(
    assets.localize(m, publish.ASSET_BASE_URL, publish.map_script_url()),
    key="map",
    height=620,
    use_container_width=True,
    returned_objects=[],
)
