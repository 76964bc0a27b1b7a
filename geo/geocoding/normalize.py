"""Turn French place labels into comparable keys.

A label such as « Communauté d'agglomération du Pays de Grasse », "CA Pays de Grasse" or
"pays-de-grasse agglo" must meet the same key. Normalising does the mechanical part (case, accents,
ligatures, hyphens, apostrophes, "St"/"Saint"); `split_kind` then removes the words that name the
kind of body (Région, Métropole de, CC, … Agglo) and the leading articles, and reports which kind
they pointed to, so that the geocoder can prefer a métropole over the town of the same name when
the label says "Métropole".
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ABBREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_LIGATURES = {"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"}
_ARTICLES = ("de la", "de l", "des", "du", "de", "d", "la", "le", "les", "l", "et")

# Phrases naming a kind of territorial body, longest first so that the longest one wins.
_KIND_PHRASES = {
    "etablissement public territorial": "ept",
    "communaute d agglomeration": "agglomeration",
    "communaute de communes": "communes",
    "communaute urbaine": "communaute_urbaine",
    "metropole europeenne": "metropole",
    "eurometropole": "metropole",
    "metropole": "metropole",
    "agglomeration": "agglomeration",
    "agglo": "agglomeration",
    "departement": "departement",
    "region": "region",
    "ept": "ept",
    "cu": "communaute_urbaine",
    "ca": "agglomeration",
    "cc": "communes",
}
_KIND_PATTERN = re.compile(
    r"\b(" + "|".join(sorted(_KIND_PHRASES, key=len, reverse=True)) + r")\b"
    r"(?:\s+(?:" + "|".join(_ARTICLES) + r")\b)*"
)
_LEADING_ARTICLES = re.compile(r"^(?:(?:" + "|".join(_ARTICLES) + r")\s+)+")


@lru_cache(maxsize=200_000)
def normalize(text: str) -> str:
    """Lowercase ASCII words separated by single spaces; "St"/"Ste" spelt out."""
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    words = _NON_ALNUM.sub(" ", ascii_text.lower()).split()
    return " ".join(_ABBREVIATIONS.get(word, word) for word in words)


def normalize_all(names: pd.Series) -> pd.Series:
    """`normalize` over a whole column at once, in Arrow's compiled string kernels.

    The gazetteer's 36,000 names are normalised at every start; per-name Python costs most of
    the load time. Same steps, same result as `normalize`: a test checks it name by name.
    """
    text = pa.array(names.astype(str))
    for ligature, letters in _LIGATURES.items():
        text = pc.replace_substring(text, ligature, letters)
    text = pc.utf8_normalize(text, form="NFKD")
    text = pc.replace_substring_regex(text, r"[^\x00-\x7f]", "")
    text = pc.replace_substring_regex(pc.utf8_lower(text), _NON_ALNUM.pattern, " ")
    text = pc.utf8_trim_whitespace(text)
    for short, long in _ABBREVIATIONS.items():
        text = pc.replace_substring_regex(text, rf"\b{short}\b", long)
    return pd.Series(text.to_pylist(), index=names.index, dtype="str")


def core_all(keys: pd.Series) -> pd.Series:
    """`split_kind(...)[0]` over a column of already normalised keys."""
    text = pc.replace_substring_regex(pa.array(keys), _KIND_PATTERN.pattern, " ")
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(text, r"\s+", " "))
    text = pc.replace_substring_regex(text, _LEADING_ARTICLES.pattern, "")
    core = pd.Series(text.to_pylist(), index=keys.index, dtype="str")
    return core.where(core != "", keys)


@lru_cache(maxsize=200_000)
def split_kind(text: str) -> tuple[str, str | None]:
    """(core name, kind named by the label or None) of a raw or normalised label.

    >>> split_kind("Communauté d'agglomération du Pays de Grasse")
    ('pays de grasse', 'agglomeration')
    >>> split_kind("Strasbourg Eurométropole")
    ('strasbourg', 'metropole')
    """
    key = normalize(text)
    match = _KIND_PATTERN.search(key)
    kind = _KIND_PHRASES[match.group(1)] if match else None
    core = _KIND_PATTERN.sub(" ", key) if match else key
    core = _LEADING_ARTICLES.sub("", " ".join(core.split()))
    return (core or key), kind
