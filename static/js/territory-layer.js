/* territoryLayer(map, options): draws the territories' markers and updates them in place
   (geo/maps/territory_layer.py says why and what each marker does); returns the object the
   map keeps as map.fiTerritories, whose update(layer) adds, changes and removes markers by
   territory id, redraws the selection's shapes, restyles the régions in the filter, frames,
   and fires "fi:update".
   options {popups, focusPadding, gotoWidth, spreadPixels, zoomInLevels}.
   layer {rows: [[id, lat, lon, icon, class, tooltip, popup, z-offset, name]], icons,
   shapes: GeoJSON features, regions, frame: {bounds, padding, maxZoom} or null}. */
(function (ns) {
  "use strict";
  ns.territoryLayer = function (map, options) {
    var box = map.getContainer();
    box.focus = function () { HTMLElement.prototype.focus.call(box, {preventScroll: true}); };
    var markers = {};
    var shapes = L.layerGroup().addTo(map);
    // Shapes without a tooltip in a pane that lets clicks through to the régions below.
    map.createPane("fi-shapes").style.pointerEvents = "none";
    map.getPane("fi-shapes").style.zIndex = 390;
    var lastFrame = null, framed = false;
    var popups = options.popups;

    function stampClick() {
      var data = window.__GLOBAL_DATA__;  // streamlit-folium's state, if served
      if (data) { data.last_object_clicked_count = Date.now(); }
    }
    function label(marker, name) {
      var el = marker.getElement();
      if (!el) return;
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", name);
      if (el.fiLabelled) return;
      el.fiLabelled = true;
      L.DomEvent.on(el, "keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") {
          event.preventDefault();  // no keypress: the popup opens once
          marker.fire("click", {latlng: marker.getLatLng(), originalEvent: event});
        }
      });
      L.DomEvent.on(el, "focus", function () {
        box.scrollTop = 0;
        box.scrollLeft = 0;
        map.panInside(marker.getLatLng(), {padding: [options.focusPadding, options.focusPadding]});
      });
    }

    function icon(html, row) {
      return L.divIcon({
        html: html, className: row[4], iconSize: [22, 22], iconAnchor: [11, 11]
      });
    }
    function drawMarkers(rows, icons) {
      var keep = {};
      rows.forEach(function (row) {
        var id = row[0], html = icons[row[3]], key = JSON.stringify(row) + html;
        var marker = markers[id];
        keep[id] = true;
        if (!marker) {
          marker = markers[id] = L.marker([row[1], row[2]], {
            icon: icon(html, row), zIndexOffset: row[7],
            riseOnHover: true, autoPanOnFocus: false
          }).bindTooltip(row[5]);
          if (popups) marker.bindPopup(row[6], {maxWidth: 320});
          marker.on("click", stampClick);
          marker.on("add", function () { label(marker, marker.fiName); });
          marker.fiName = row[8];
          marker.addTo(map);
        } else if (marker.fiKey !== key) {
          marker.fiName = row[8];
          marker.setLatLng([row[1], row[2]]).setIcon(icon(html, row));
          marker.setZIndexOffset(row[7]).setTooltipContent(row[5]);
          if (popups) marker.setPopupContent(row[6]);
          label(marker, row[8]);  // a new icon is a new element
        }
        marker.fiKey = key;
      });
      Object.keys(markers).forEach(function (id) {
        if (!keep[id]) {
          map.removeLayer(markers[id]);
          delete markers[id];
        }
      });
      map.getContainer().querySelectorAll(".fi-goto-button[data-id]").forEach(
        function (button) {
          button.style.display = keep[button.dataset.id] ? "block" : "none";
        }
      );
    }
    function drawShapes(features) {
      shapes.clearLayers();
      [true, false].forEach(function (interactive) {  // an option set when made
        L.geoJSON(features.filter(function (feature) {
          return !!feature.properties.tooltip === interactive;
        }), {
          interactive: interactive,
          pane: interactive ? "overlayPane" : "fi-shapes",
          style: function (feature) { return feature.properties.style; },
          pointToLayer: function (feature, latlng) {
            return L.circleMarker(latlng, feature.properties.style);
          },
          onEachFeature: function (feature, layer) {
            var tooltip = feature.properties.tooltip;
            if (tooltip) layer.bindTooltip(tooltip, {sticky: true});
          }
        }).addTo(shapes);
      });
    }
    // The frame's padding, widened on the right by the go-to box (top right; its width
    // is fixed: measured before Leaflet's style sheet applies, it spans the map).
    function margins(frame) {
      var right = Math.max(frame.padding, options.gotoWidth + 16);
      return {topLeft: L.point(frame.padding, frame.padding),
              bottomRight: L.point(right, frame.padding)};
    }
    function showsWell(frame) {
      var pad = margins(frame);
      var inner = L.latLngBounds(
        map.containerPointToLatLng(pad.topLeft),
        map.containerPointToLatLng(map.getSize().subtract(pad.bottomRight))
      );
      var target = L.latLngBounds(frame.bounds);
      var fit = Math.min(frame.maxZoom,
                         map.getBoundsZoom(target, false, pad.topLeft.add(pad.bottomRight)));
      return inner.contains(target) && fit - map.getZoom() < options.zoomInLevels;
    }
    function reframe(frame) {
      var key = JSON.stringify(frame);
      if (!frame || key === lastFrame) return;
      lastFrame = key;
      ns.whenSized(map, function () {
        if (framed && showsWell(frame)) return;
        framed = true;
        var pad = margins(frame);
        map.fitBounds(frame.bounds, {
          paddingTopLeft: pad.topLeft, paddingBottomRight: pad.bottomRight,
          maxZoom: frame.maxZoom, animate: false
        });
      });
    }
    function spread() {
      var onMap = Object.keys(markers).map(function (id) { return markers[id]; });
      if (!onMap.length || !box.clientWidth) return;
      var near = options.spreadPixels;
      var points = onMap.map(function (m) { return map.latLngToLayerPoint(m.getLatLng()); });
      var group = onMap.map(function (m, i) { return i; });
      function root(i) { while (group[i] !== i) { i = group[i]; } return i; }
      function join(i, j) { group[root(j)] = root(i); }
      for (var i = 0; i < onMap.length; i++) {
        for (var j = i + 1; j < onMap.length; j++) {
          if (points[i].distanceTo(points[j]) < near) { join(i, j); }
        }
      }
      // Lay each group out on a ring around its centre, turned to clash least; a marker
      // still clashing joins the group, until no marker sits on another (bounded).
      var final;
      function layOut(list) {
        var cx = 0, cy = 0;
        list.forEach(function (i) {
          cx += points[i].x / list.length; cy += points[i].y / list.length;
        });
        var radius = 8 + 4 * list.length;
        var angle = function (i) { return Math.atan2(points[i].y - cy, points[i].x - cx); };
        list.sort(function (a, b) { return angle(a) - angle(b); });
        var best = null;
        for (var turn = 0; turn < 12; turn++) {
          var start = angle(list[0]) + turn * Math.PI / 6, cost = 0, spots = [];
          list.forEach(function (index, k) {
            var a = start + 2 * Math.PI * k / list.length;
            var spot = L.point(cx + radius * Math.cos(a), cy + radius * Math.sin(a));
            spots.push(spot);
            points.forEach(function (other, j) {
              if (list.indexOf(j) < 0) { cost += Math.max(0, near - other.distanceTo(spot)); }
            });
          });
          if (best === null || cost < best.cost) { best = {cost: cost, spots: spots}; }
        }
        list.forEach(function (index, k) { final[index] = best.spots[k]; });
      }
      for (var round = 0; round < onMap.length; round++) {
        var members = {};
        onMap.forEach(function (m, i) { (members[root(i)] = members[root(i)] || []).push(i); });
        final = points.slice();
        Object.keys(members).forEach(function (key) {
          if (members[key].length >= 2) { layOut(members[key]); }
        });
        var joined = false;
        for (var a = 0; a < onMap.length && !joined; a++) {
          for (var b = a + 1; b < onMap.length && !joined; b++) {
            if (root(a) !== root(b) && final[a].distanceTo(final[b]) < near) {
              join(a, b);
              joined = true;
            }
          }
        }
        if (!joined) { break; }
      }
      onMap.forEach(function (marker, index) {
        var dx = Math.round(final[index].x - points[index].x);
        var dy = Math.round(final[index].y - points[index].y);
        var el = marker.getElement();
        el.style.marginLeft = (dx - 11) + "px";
        el.style.marginTop = (dy - 11) + "px";
        el.classList.toggle("fi-spread", dx !== 0 || dy !== 0);
        marker.getTooltip().options.offset = L.point(dx, dy);
      });
    }
    map.on("zoomend viewreset", spread);
    return {
      update: function (layer) {
        drawMarkers(layer.rows, layer.icons);
        drawShapes(layer.shapes);
        if (map.fiOutlines) map.fiOutlines.select(layer.regions);
        reframe(layer.frame);
        ns.whenSized(map, spread);
        map.fire("fi:update");
      }
    };
  };
})(window.carteEss = window.carteEss || {});
