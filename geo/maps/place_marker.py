"""The found place's marker (`?place=`), drawn in the mounted map with its other updates."""

from __future__ import annotations

import json

import numpy as np

from geo.domain.places import PlaceAnswer


def place_marker_script(answer: PlaceAnswer | None, map_name: str) -> str:
    """The JavaScript that shows the place's own marker (a black pin, unlike any territory's)
    on the map named `map_name`, replacing the previous one, and pans to a new place."""
    place = None
    if answer is not None and answer.found and not np.isnan(answer.lat):
        place = {"lat": answer.lat, "lon": answer.lon, "label": answer.name, "key": answer.code}
    data = json.dumps(place, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e")
    return f"{PLACE_MARKER_JS}({map_name}, {data});"


PLACE_MARKER_JS = """(function (map, place) {
  if (map.fiPlace) { map.removeLayer(map.fiPlace); map.fiPlace = null; }
  if (!place) { map.fiPlaceKey = null; return; }
  var pin = '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="34" viewBox="0 0 26 34"'
    + ' aria-hidden="true"><path d="M13 1C6.4 1 1 6.3 1 12.8 1 21.6 13 33 13 33s12-11.4 12-20.2'
    + 'C25 6.3 19.6 1 13 1z" fill="#111" stroke="#fff" stroke-width="2"/>'
    + '<circle cx="13" cy="13" r="4.5" fill="#fff"/></svg>';
  map.fiPlace = L.marker([place.lat, place.lon], {
    title: place.label, alt: place.label, keyboard: true, zIndexOffset: 1000,
    icon: L.divIcon({className: 'fi-place', html: pin, iconSize: [26, 34], iconAnchor: [13, 33]})
  }).bindTooltip(place.label).addTo(map);
  if (map.fiPlaceKey !== place.key) {
    map.fiPlaceKey = place.key;
    map.setView([place.lat, place.lon], Math.max(map.getZoom(), 9));
  }
})"""
