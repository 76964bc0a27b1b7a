/* listPoints(map, options): a user's list, thousands of points drawn from one compact array
   (geo/maps/list_map.py); returns the layer. options {rows: [[lat, lon, colour index, label,
   nearby territory index or -1, ...column values, inside]], columns, colors, territories:
   [[name, levers]], labels {colon, inside, nearest, levers}, cluster}. Tooltips and popups are
   built with DOM text nodes, never innerHTML, so a name such as `<img src=x onerror=...>`
   shows as text. */
(function (ns) {
  "use strict";
  function line(parent, label, value) {
    var div = document.createElement("div");
    var b = document.createElement("b");
    b.textContent = label;
    div.appendChild(b);
    div.appendChild(document.createTextNode(value));
    parent.appendChild(div);
  }
  ns.listPoints = function (map, options) {
    var columns = options.columns, labels = options.labels, nearby = options.territories;
    // The list's own pane, above the territories' markers (the list is what is read).
    map.createPane("fi-list").style.zIndex = 650;
    // Canvas for thousands of points; SVG (one element per point) for small lists.
    var renderer = options.cluster ? L.canvas({padding: 0.5, pane: "fi-list"})
      : L.svg({pane: "fi-list"});
    var layer = options.cluster
      ? L.markerClusterGroup({chunkedLoading: true, clusterPane: "fi-list"}) : L.featureGroup();
    options.rows.forEach(function (row) {
      var marker = L.circleMarker([row[0], row[1]], {
        renderer: renderer, pane: "fi-list", radius: 7, weight: 1.5, color: "#222",
        fillColor: options.colors[row[2]], fillOpacity: 1, className: "fi-point"
      });
      var tip = document.createElement("span");
      tip.textContent = row[3];
      marker.bindTooltip(tip);
      marker.bindPopup(function () {
        var box = document.createElement("div");
        box.className = "fi-point-popup";
        for (var i = 0; i < columns.length; i++) {
          line(box, columns[i] + labels.colon, row[5 + i] === null ? "" : String(row[5 + i]));
        }
        if (row[4] >= 0) {
          line(box, (row[5 + columns.length] ? labels.inside : labels.nearest) + labels.colon,
               nearby[row[4]][0]);
          line(box, labels.levers + labels.colon, nearby[row[4]][1]);
        }
        return box;
      }, {maxWidth: 320});
      layer.addLayer(marker);
    });
    layer.addTo(map);
    // Small lists (one SVG element per point): each point is named and opens with
    // Enter or Space, as the territories' markers do. (Clusters are Leaflet markers.)
    layer.eachLayer(function (marker) {
      var el = marker.getElement && marker.getElement();
      if (!el) { return; }
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", marker.getTooltip().getContent().textContent);
      L.DomEvent.on(el, "keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          L.DomEvent.preventDefault(event);
          marker.openPopup();
        }
      });
    });
    return layer;
  };
})(window.carteEss = window.carteEss || {});
