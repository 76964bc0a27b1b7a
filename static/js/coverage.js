/* Label coverage layer (issue 23): régions, and départements from zoom 7, shaded by the share
   of their population inside a labelled territory's true perimeter (data/coverage/coverage.csv).
   Reuses the outlines the page already holds (window.fiOutlinePayload,
   geo/maps/outline_layer.py) and takes
   its own figures from window.fiCoveragePayload: {regions: {code: [share, approx]},
   departements: [[code, share, approx, name]] in the outline payload's order, colors, breaks,
   labels, legend, tip, locale}. Loaded on first use by toggleCoverage (coverage-toggle.js). */
(function (ns) {
  "use strict";
  var ZOOM_DEPARTEMENTS = 7;

  function colorOf(share, data) {
    for (var i = data.breaks.length - 1; i >= 0; i--) {
      if (share >= data.breaks[i]) { return data.colors[i]; }
    }
    return data.colors[0];
  }

  function percent(value, data) {
    return value.toLocaleString(data.locale, {maximumFractionDigits: 1}) + "\u202f%";
  }

  function tip(name, share, approx, data) {
    return data.tip.replace("{name}", name).replace("{share}", percent(share, data))
      .replace("{approximate}", percent(approx, data));
  }

  function build(map, outlines, data) {
    var pane = map.createPane("fi-coverage");
    pane.style.zIndex = 342;  // above the land (340), under the départements' lines (345)
    var renderer = L.svg({pane: "fi-coverage"});
    var shape = map.fiOutlines.shape;  // the outlines' decoder (outline-layer.js)
    function layer(polygons, share, approx, name) {
      return L.polygon(shape(polygons), {
        renderer: renderer, pane: "fi-coverage", interactive: true, className: "fi-coverage",
        stroke: false, fill: true, fillColor: colorOf(share, data), fillOpacity: 0.7
      }).bindTooltip(tip(name, share, approx, data), {sticky: true});
    }
    var regions = L.layerGroup();
    outlines.regions.forEach(function (region) {
      var figures = data.regions[region[0]] || [0, 0];
      regions.addLayer(layer(region[2], figures[0], figures[1], region[1]));
    });
    var departements = L.layerGroup();
    outlines.departements.forEach(function (polygons, i) {
      var figures = data.departements[i];
      departements.addLayer(layer(polygons, figures[1], figures[2], figures[3]));
    });
    var legend = L.control({position: "bottomright"});
    legend.onAdd = function () {
      var box = L.DomUtil.create("div", "fi-coverage-legend");
      box.setAttribute("role", "img");
      box.setAttribute("aria-label", data.legend);
      box.style.cssText = "background:#fff;padding:6px 8px;font:12px/1.4 sans-serif;" +
        "border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:210px";
      var html = "<b>" + data.legend + "</b>";
      data.labels.forEach(function (label, i) {
        html += '<div><span style="display:inline-block;width:14px;height:10px;margin-right:4px;' +
          'border:1px solid #888;' +
          "background:" + data.colors[i] + '"></span>' + label + "</div>";
      });
      box.innerHTML = html;
      return box;
    };
    function byZoom() {
      var deep = map.getZoom() >= ZOOM_DEPARTEMENTS;
      if (deep) { map.removeLayer(regions); departements.addTo(map); }
      else { map.removeLayer(departements); regions.addTo(map); }
    }
    return {
      show: function () { legend.addTo(map); byZoom(); map.on("zoomend", byZoom); },
      hide: function () {
        map.off("zoomend", byZoom); legend.remove();
        map.removeLayer(regions); map.removeLayer(departements);
      }
    };
  }

  /* Show (on = true) or hide the coverage layer of a map; built on first use. */
  ns.coverage = function (map, on) {
    if (!map.fiCoverageLayer) {
      if (!on) { return; }
      map.fiCoverageLayer = build(map, window.fiOutlinePayload, window.fiCoveragePayload);
    }
    if (on && !map.fiCoverageShown) { map.fiCoverageLayer.show(); }
    if (!on && map.fiCoverageShown) { map.fiCoverageLayer.hide(); }
    map.fiCoverageShown = on;
  };
})(window.carteEss = window.carteEss || {});
