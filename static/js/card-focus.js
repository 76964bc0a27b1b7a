/* cardFocus(anchorId, territoryId): bring a newly opened card into view when it opened
   off-screen (a phone: the card lies under the map); geo/web/card_focus.py says why. The
   first card of a visit (a shared link) does not scroll: the visitor has not asked for it. */
(function (ns) {
  "use strict";
  ns.cardFocus = function (anchorId, territoryId) {
    var last = ns.cardShown;
    ns.cardShown = territoryId;
    if (last === undefined || last === territoryId || !territoryId) { return; }
    function bring() {
      var anchor = document.getElementById(anchorId);
      if (!anchor) { return; }
      var box = anchor.getBoundingClientRect();
      if (box.top < 0 || box.top > window.innerHeight - 80) {
        anchor.scrollIntoView({block: "start", behavior: "smooth"});
      }
    }
    setTimeout(bring, 60);
  };
})(window.carteEss = window.carteEss || {});
