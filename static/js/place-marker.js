/* placeMarker(map, place): the found place's own marker, a black pin unlike any territory's
   (geo/maps/place_marker.py), replacing the previous one; pans to a new place.
   place {lat, lon, label, key} or null (no place: the pin goes). */
(function (ns) {
  "use strict";
  var PIN = '<svg xmlns="http://www.w3.org/2000/svg" width="26" height="34" viewBox="0 0 26 34"'
    + ' aria-hidden="true"><path d="M13 1C6.4 1 1 6.3 1 12.8 1 21.6 13 33 13 33s12-11.4 12-20.2'
    + 'C25 6.3 19.6 1 13 1z" fill="#111" stroke="#fff" stroke-width="2"/>'
    + '<circle cx="13" cy="13" r="4.5" fill="#fff"/></svg>';
  ns.placeMarker = function (map, place) {
    if (map.fiPlace) { map.removeLayer(map.fiPlace); map.fiPlace = null; }
    if (!place) { map.fiPlaceKey = null; return; }
    map.fiPlace = L.marker([place.lat, place.lon], {
      title: place.label, alt: place.label, keyboard: true, zIndexOffset: 1000,
      icon: L.divIcon({className: "fi-place", html: PIN, iconSize: [26, 34], iconAnchor: [13, 33]})
    }).bindTooltip(place.label).addTo(map);
    if (map.fiPlaceKey !== place.key) {
      map.fiPlaceKey = place.key;
      map.setView([place.lat, place.lon], Math.max(map.getZoom(), 9));
    }
  };
})(window.carteEss = window.carteEss || {});
