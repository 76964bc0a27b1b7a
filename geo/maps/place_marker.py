"""The found place's marker (`?place=`), drawn in the mounted map with its other updates."""

from __future__ import annotations

import numpy as np

from geo.domain.places import PlaceAnswer
from geo.maps.element import NAMESPACE, script_json


def place_marker_script(answer: PlaceAnswer | None, map_name: str) -> str:
    """The JavaScript that shows the place's own marker (a black pin, unlike any territory's)
    on the map named `map_name`, replacing the previous one, and pans to a new place
    (static/js/place-marker.js)."""
    place = None
    if answer is not None and answer.found and not np.isnan(answer.lat):
        place = {"lat": answer.lat, "lon": answer.lon, "label": answer.name, "key": answer.code}
    return f"{NAMESPACE}.placeMarker({map_name}, {script_json(place)});"
