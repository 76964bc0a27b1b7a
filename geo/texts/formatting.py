"""Numbers, percentages and dates written the way the reader's language writes them (Babel).

French: 8 114 361 (narrow no-break spaces), 10,7 %, 25 février 2019; English: 8,114,361, 10.7%,
February 25, 2019. One place for it, so that the page, the cards and the exports agree.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

LOCALES = {"fr": "fr_FR", "en": "en_GB"}


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["fr"])


def number(value: float | int | str, lang: str) -> str:
    """A number with the language's grouping and decimal signs ("" for an empty value)."""
    if value == "" or value is None:
        return ""
    return format_decimal(float(value) if "." in str(value) else int(value), locale=_locale(lang))


def percent(value: float | str, lang: str) -> str:
    """A percentage given in points (10.7 → "10,7 %" / "10.7%"), keeping its decimals: the
    division is decimal, as a float's would write 11.2 as "11,199999999999999 %"."""
    if value == "" or value is None:
        return ""
    share = Decimal(str(value)) / 100
    return format_percent(share, locale=_locale(lang), decimal_quantization=False)


def long_date(value: str, lang: str) -> str:
    """An ISO date (2019-02-25) in full: "25 février 2019" / "25 February 2019"; "" if empty."""
    if not value:
        return ""
    return format_date(date.fromisoformat(value), format="long", locale=_locale(lang))


def colon(lang: str) -> str:
    """What separates a label from its value: French typography puts a space before the colon,
    English does not ("Région : Bretagne", "Region: Brittany")."""
    return " : " if lang == "fr" else ": "


# The signs Markdown (CommonMark, GFM, Streamlit's :emoji:, :color[] and $math$) gives a meaning.
_MARKDOWN_SPECIAL = re.compile("([" + re.escape("\\`*_{}[]()#+-.!|<>~$:&=@") + "])")


def markdown_text(value: object) -> str:
    """`value` as literal text inside Markdown: each sign Markdown reads backslash-escaped
    (CommonMark allows it for any ASCII punctuation), so that no link, image, emphasis, heading,
    HTML, entity or bare URL (GFM's autolinks need "://", "www." or "@") comes out of it, and
    line breaks as spaces.

    For any text the page did not write itself: a query parameter, a file's name or headers.
    """
    text = " ".join(str(value).split())
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)
