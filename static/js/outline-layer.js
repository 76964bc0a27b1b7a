/* outlineLayer(map, data, options): régions (bold) and départements (thin) under the markers,
   decoded in the browser (geo/maps/outline_layer.py); returns the object the map keeps as
   map.fiOutlines: {shape, select, fillLand}.
   data {unit, regions: [[code, name, polygons]], departements: [polygons]}: a ring is decoded
   with a running sum of its integers times the unit. options {style, clickProperty}: a click on
   a région reaches Python through streamlit-folium's "last_active_drawing", a feature with
   clickProperty and a click stamp, so that clicking the same région again is a new value. */
(function (ns) {
  "use strict";
  ns.outlineLayer = function (map, data, options) {
    var style = options.style;
    var perDegree = Math.round(1 / data.unit);
    function ring(steps) {
      var out = [], x = 0, y = 0;
      for (var i = 0; i < steps.length; i += 2) {
        x += steps[i]; y += steps[i + 1];
        out.push([y / perDegree, x / perDegree]);
      }
      return out;
    }
    function shape(polygons) {
      return polygons.map(function (rings) { return rings.map(ring); });
    }
    // Région areas with their bold borders (hover, click), and over them the thin
    // départements' lines, in a pane that lets clicks through to the régions.
    var land = map.createPane("fi-land");
    land.style.zIndex = 340;
    var lines = map.createPane("fi-outlines");
    lines.style.zIndex = 345;
    lines.style.pointerEvents = "none";
    var landRenderer = L.svg({pane: "fi-land"});
    var lineRenderer = L.svg({pane: "fi-outlines"});
    if (style.filled) {
      map.getContainer().style.background = style.sea;
    }
    data.departements.forEach(function (polygons) {
      L.polygon(shape(polygons), {
        renderer: lineRenderer, pane: "fi-outlines", interactive: false,
        color: style.departement, weight: 0.7, fill: false
      }).addTo(map);
    });
    var group = L.featureGroup();
    var chosen = [];
    function look(code) {
      var on = chosen.indexOf(code) >= 0;
      return {
        color: style.region, weight: on ? 3.5 : 1.8, fill: true,
        fillColor: on ? style.chosen : style.land,
        fillOpacity: style.filled ? 1 : (on ? 0.2 : 0)
      };
    }
    var byCode = {};
    data.regions.forEach(function (region) {
      var layer = L.polygon(shape(region[2]), L.extend(
        {renderer: landRenderer, pane: "fi-land", className: "fi-region"},
        look(region[0])
      ));
      var stamp = 0;
      byCode[region[0]] = layer;
      layer.bindTooltip(region[1], {sticky: true, className: "fi-region-tip"});
      layer.on("mouseover", function () {
        layer.setStyle({weight: 3.5, fillColor: style.hover,
                        fillOpacity: style.filled ? 1 : 0.2});
      });
      layer.on("mouseout", function () { layer.setStyle(look(region[0])); });
      layer.on("click", function () { stamp = Date.now() + Math.random(); });
      layer.toGeoJSON = function () {
        var properties = {name: region[1], click: stamp};
        properties[options.clickProperty] = region[0];
        return {type: "Feature", properties: properties, geometry: null};
      };
      group.addLayer(layer);
    });
    group.addTo(map);
    // The régions in the filter stand out; restyled in place (the territory layer's update),
    // so that a change of régions keeps the map mounted.
    function restyle() {
      Object.keys(byCode).forEach(function (code) { byCode[code].setStyle(look(code)); });
    }
    return {
      shape: shape,  // the decoder, for other layers on the same outlines (coverage)
      select: function (codes) {
        chosen = codes || [];
        restyle();
      },
      // The "outlines only" look, for a map whose tiles stopped loading (tilesDown).
      fillLand: function () {
        style.filled = true;
        map.getContainer().style.background = style.sea;
        restyle();
      }
    };
  };
})(window.carteEss = window.carteEss || {});
