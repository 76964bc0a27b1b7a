"""Bring a newly opened card into view when it opened off-screen (a phone).

On a phone the page's columns stack: the card is drawn under the 530-px map, so a tapped
marker opened a card ~1,000 px below the tap and the tap seemed to do nothing. The page puts an
anchor before the card and this script (static/js/card-focus.js, by st.html in the page)
scrolls to it when the selection changed and the anchor is below or above the screen; on a
laptop the card sits
beside the map, in view, and nothing moves. The first card of a visit (a shared link) does not
scroll: the visitor has not asked for it yet.
"""

from __future__ import annotations

from geo.maps.assets import script_text
from geo.maps.element import NAMESPACE, script_json

CARD_ANCHOR_ID = "fi-card-anchor"


def card_focus_html(territory_id: str) -> str:
    """The anchor and script (static/js/card-focus.js) placed before the card of `territory_id`
    ("" when none)."""
    territory = script_json(territory_id)
    call = f"{NAMESPACE}.cardFocus({script_json(CARD_ANCHOR_ID)}, {territory});"
    return (
        f'<div id="{CARD_ANCHOR_ID}" data-territory={territory}></div>'
        f"<script>{script_text('card-focus.js')}{call}</script>"
    )
