"""A metric scale bar in the reader's number forms."""

from __future__ import annotations

from geo.maps.element import FactoryElement


class ScaleBar(FactoryElement):
    """A metric scale (kilometres only: one bar, half the height of Leaflet's default pair)
    that moves up when the attribution would cover it, as on a phone's narrow map."""

    factory = "scaleBar"  # static/js/scale-bar.js

    def __init__(self):
        super().__init__()
        self._name = "ScaleBar"
