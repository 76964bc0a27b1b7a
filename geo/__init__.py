"""Carte ESS: two layers. geo.geocoding is a reusable French geocoder; the rest of geo/ is the
dashboard's domain (data, territories, views, maps, the user's list, texts), tested without Streamlit.
"""
