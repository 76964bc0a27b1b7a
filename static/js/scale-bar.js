/* scaleBar(map): a metric scale (kilometres only) that moves up when the attribution would
   cover it, as on a phone's narrow map (geo/maps/scale_bar.py). */
(function (ns) {
  "use strict";
  ns.scaleBar = function (map) {
    var scale = L.control.scale({imperial: false}).addTo(map);
    function place() {
      var box = scale.getContainer();
      var credit = map.attributionControl && map.attributionControl.getContainer();
      box.style.marginBottom = "";
      if (!credit) { return; }
      var a = box.getBoundingClientRect(), b = credit.getBoundingClientRect();
      if (a.right > b.left && a.bottom > b.top) {
        box.style.marginBottom = (10 + a.bottom - b.top + 4) + "px";
      }
    }
    map.whenReady(function () { setTimeout(place, 0); });
    map.on("resize layeradd", place);
    return scale;
  };
})(window.carteEss = window.carteEss || {});
