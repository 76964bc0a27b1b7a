/* tilesDown(map, options): when the tiles do not load (offline, a tile server down), say so on
   the map and offer the "outlines only" look in place (geo/maps/tiles_down.py).
   options {after: failed tiles (and none loaded) before saying it, message, button}. */
(function (ns) {
  "use strict";
  ns.tilesDown = function (map, options) {
    var tiles = null;
    map.eachLayer(function (layer) { if (layer instanceof L.TileLayer) tiles = layer; });
    if (!tiles) { return; }
    var failed = 0, loaded = 0, control = null;
    function show() {
      control = L.control({position: "bottomright"});
      control.onAdd = function () {
        var div = L.DomUtil.create("div", "leaflet-bar fi-tiles-down");
        div.setAttribute("role", "status");
        div.style.cssText = "background:#fff;padding:5px 7px;max-width:170px;"
          + "font:12px/1.35 sans-serif;color:#222";
        L.DomUtil.create("div", "", div).textContent = options.message;
        var button = L.DomUtil.create("button", "", div);
        button.type = "button";
        button.textContent = options.button;
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
    tiles.on("tileload", function () { loaded += 1; });
    tiles.on("tileerror", function () {
      failed += 1;
      if (!control && !loaded && failed >= options.after) { show(); }
    });
  };
})(window.carteEss = window.carteEss || {});
