/* legend(map, options): the map's one legend, a control in the bottom-left corner
   (geo/maps/legend.py). options {title, html, foldBelow}. It never hides a marker: folded on a
   map narrower than foldBelow pixels (a phone), and folded whenever a marker or a point lies
   under it once the map has moved or its markers changed ("fi:update"); if one still does,
   the map shifts it clear, once per view. */
(function (ns) {
  "use strict";
  ns.legend = function (map, options) {
    var legend = L.control({position: "bottomleft"});
    var div;
    legend.onAdd = function () {
      div = L.DomUtil.create("div", "fi-legend");
      div.setAttribute("role", "region");
      div.setAttribute("aria-label", options.title);
      div.style.cssText = "background:rgba(255,255,255,.92);padding:4px 6px;max-width:230px;"
        + "border-radius:4px;font:11px/1.35 sans-serif;color:#222;box-shadow:0 1px 4px #0004";
      div.innerHTML = options.html;
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    legend.addTo(map);
    var details = div.querySelector("details");
    function covered() {
      var area = div.getBoundingClientRect();
      var hidden = [];
      map.getContainer().querySelectorAll(".fi-marker, .fi-point").forEach(function (el) {
        var r = el.getBoundingClientRect();
        if (r.width && r.left < area.right && r.right > area.left
            && r.top < area.bottom && r.bottom > area.top) {
          hidden.push(r);
        }
      });
      return {area: area, hidden: hidden};
    }
    var shifted = false;
    function keepOffMarkers() {
      var box = map.getContainer();
      if (!box.clientWidth || !details) { return; }
      var seen = covered();
      if (seen.hidden.length && details.open) {
        details.open = false;
        seen = covered();
      }
      if (seen.hidden.length && !shifted) {
        shifted = true;  // once per view: never a loop of moves
        var right = 0, up = 0;
        seen.hidden.forEach(function (r) {
          right = Math.max(right, seen.area.right - r.left + 6);
          up = Math.max(up, r.bottom - seen.area.top + 6);
        });
        map.panBy(right <= up ? [-right, 0] : [0, up], {animate: false});
      }
    }
    var sized = false;
    function settle() {
      if (!map.getContainer().clientWidth || !details) { return; }
      if (!sized && map.getContainer().clientWidth < options.foldBelow) {
        details.open = false;  // a narrow map (a phone): folded from its first size
      }
      sized = true;
      keepOffMarkers();
    }
    map.on("zoomstart", function () { shifted = false; });
    map.on("moveend zoomend resize fi:update", function () { setTimeout(settle, 0); });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { setTimeout(settle, 0); }).observe(map.getContainer());
    }
    setTimeout(settle, 0);
    return legend;
  };
})(window.carteEss = window.carteEss || {});
