/* mapDocument(map, options): the map's document as a screen reader meets it (geo/maps/document.py):
   options {lang, title}. */
(function (ns) {
  "use strict";
  ns.mapDocument = function (map, options) {
    var box = map.getContainer();
    document.documentElement.lang = options.lang;
    document.title = options.title;
    box.setAttribute("role", "main");
    box.setAttribute("aria-label", options.title);
    var heading = document.createElement("h1");
    heading.textContent = options.title;
    heading.style.cssText = "position:absolute;width:1px;height:1px;overflow:hidden;"
      + "clip:rect(0 0 0 0);white-space:nowrap;margin:0";
    box.insertBefore(heading, box.firstChild);
    try {
      if (window.frameElement) {
        window.frameElement.setAttribute("aria-label", options.title);
      }
    } catch { /* another origin's frame: its own title stays */ }
  };
})(window.carteEss = window.carteEss || {});
