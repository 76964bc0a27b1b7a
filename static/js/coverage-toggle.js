/* toggleCoverage(map, on, url): show or hide the label coverage layer (geo/maps/coverage_layer.py),
   loading its script (coverage.js with its figures, at `url`) the first time it is shown. */
(function (ns) {
  "use strict";
  ns.toggleCoverage = function (map, on, url) {
    map.fiCoverageWanted = on;
    if (ns.coverage) { ns.coverage(map, on); return; }
    if (!on || map.fiCoverageLoading) { return; }
    map.fiCoverageLoading = true;
    var script = document.createElement("script");
    script.src = url;
    script.onload = function () { ns.coverage(map, map.fiCoverageWanted); };
    document.head.appendChild(script);
  };
})(window.carteEss = window.carteEss || {});
