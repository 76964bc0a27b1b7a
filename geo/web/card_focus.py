"""Bring a newly opened card into view when it opened off-screen (a phone).

On a phone the page's columns stack: the card is drawn under the 530-px map, so a tapped
marker opened a card ~1,000 px below the tap and the tap seemed to do nothing. The page puts an
anchor before the card and this script (st.html, run in the page) scrolls to it when the
selection changed and the anchor is below or above the screen; on a laptop the card sits
beside the map, in view, and nothing moves. The first card of a visit (a shared link) does not
scroll: the visitor has not asked for it yet.
"""

from __future__ import annotations

import json

CARD_ANCHOR_ID = "fi-card-anchor"

_SCRIPT = """<div id="%(anchor)s" data-territory=%(territory)s></div><script>
(function () {
  var id = %(territory)s, last = window.fiCardShown;
  window.fiCardShown = id;
  if (last === undefined || last === id || !id) { return; }
  function bring() {
    var anchor = document.getElementById(%(anchor_json)s);
    if (!anchor) { return; }
    var box = anchor.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight - 80) {
      anchor.scrollIntoView({block: "start", behavior: "smooth"});
    }
  }
  setTimeout(bring, 60);
})();
</script>"""


def card_focus_html(territory_id: str) -> str:
    """The anchor and script placed before the card of `territory_id` ("" when none)."""
    territory = json.dumps(territory_id).replace("<", "\\u003c")
    return _SCRIPT % {
        "anchor": CARD_ANCHOR_ID,
        "anchor_json": json.dumps(CARD_ANCHOR_ID),
        "territory": territory,
    }
