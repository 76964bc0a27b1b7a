/* whenSized(map, then): run `then` once the map has a size. Leaflet's fitBounds on a zero-size
   map (created hidden, in a closed tab) zooms out to the whole world. */
(function (ns) {
  "use strict";
  ns.whenSized = function (map, then) {
    var box = map.getContainer();
    if (box.clientWidth > 0 && box.clientHeight > 0 || !window.ResizeObserver) {
      then();
      return;
    }
    var observer = new ResizeObserver(function () {
      if (box.clientWidth > 0 && box.clientHeight > 0) {
        observer.disconnect();
        map.invalidateSize();
        then();
      }
    });
    observer.observe(box);
  };
})(window.carteEss = window.carteEss || {});
