"""The embed code (geo.texts.embed): the current view's URL in embed mode, as a safe <iframe>."""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

import pytest

from geo.texts.embed import EMBED_HEIGHT_PX, embed_url, iframe_code


@pytest.mark.parametrize(
    "app_url,query,expected",
    [
        (
            "http://127.0.0.1:8501/",
            {"region": "32", "lang": "en"},
            "http://127.0.0.1:8501/?region=32&lang=en&embed=true",
        ),
        ("https://carte.example.org/carte/", {}, "https://carte.example.org/carte/?embed=true"),
        (
            None,
            {"embed": "false", "territory": "roubaix", "tab": "downloads"},
            "http://localhost:8501/?territory=roubaix&embed=true",
        ),
    ],
)
def test_embed_url(app_url, query, expected):
    assert embed_url(app_url, query) == expected


def test_iframe_code_is_one_escaped_element():
    url = embed_url("http://127.0.0.1:8501/", {"q": '"><script>alert(1)</script>'})
    code = iframe_code(url, "Carte ESS")
    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, dict(attrs)))

    Collect().feed(code)
    assert [tag for tag, _ in found] == ["iframe"]
    attrs = found[0][1]
    assert parse_qs(urlsplit(attrs["src"]).query)["q"] == ['"><script>alert(1)</script>']
    assert attrs["height"] == str(EMBED_HEIGHT_PX) and attrs["title"] == "Carte ESS"
