"""Embedding the map in another site: the `<iframe>` code of the current view.

Streamlit's embed mode (`?embed=true`) shows the page without its toolbar and menu; every
filter and the language already live in the URL (geo.domain.views.ViewState.to_query), so the embedded
page opens on the same view. The code is plain HTML a network pastes in its own site, like
GoGoCarto's or uMap's.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlencode, urlsplit, urlunsplit

EMBED_HEIGHT_PX = 720
DEFAULT_APP_URL = "http://localhost:8501/"  # when the browser's address is not known
# Not part of the embedded view: the mode is set here, and the code is copied from the
# downloads tab, which the embedded map need not open on.
DROPPED = ("embed", "tab")


def embed_url(app_url: str | None, query: dict[str, str]) -> str:
    """The app's address (without its own query) with the view's parameters (less DROPPED) and
    embed=true."""
    parts = urlsplit(app_url or DEFAULT_APP_URL)
    params = {key: value for key, value in query.items() if key not in DROPPED} | {"embed": "true"}
    return urlunsplit((parts.scheme, parts.netloc, parts.path or "/", urlencode(params), ""))


def iframe_code(url: str, title: str, height: int = EMBED_HEIGHT_PX) -> str:
    """An `<iframe>` element for `url`, escaped, full width, lazy, with a title for screen
    readers; `allow="clipboard-write"` lets the embedded page's copy buttons work."""
    return (
        f'<iframe src="{escape(url, quote=True)}" title="{escape(title, quote=True)}" '
        f'width="100%" height="{int(height)}" style="border:0" loading="lazy" '
        f'allow="clipboard-write"></iframe>'
    )
