/* goTo(map, options): buttons that fly to mainland France or to an overseas territory
   (geo/maps/goto.py). options {width, title, places: [[label, lat, lon, zoom, id]]}; a
   territory's button carries its id (data-id), so that the territory layer hides it when the
   territory is not shown. */
(function (ns) {
  "use strict";
  ns.goTo = function (map, options) {
    var control = L.control({position: "topright"});
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "leaflet-bar fi-goto");
      div.style.cssText = "background:#fff;padding:4px;font:12px sans-serif;"
        + "box-sizing:border-box;width:" + options.width + "px";
      var title = L.DomUtil.create("div", "", div);
      title.textContent = options.title;
      options.places.forEach(function (place) {
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
    return control.addTo(map);
  };
})(window.carteEss = window.carteEss || {});
