"""What the reviewer of a geocoded list reads: the row, its status and why it needs a look, in
the reader's language.
"""

from __future__ import annotations

import pandas as pd

from geo.domain.review import input_columns, is_guess, review_status
from geo.geocoding.batch import BatchResult
from geo.geocoding.geocoder import NOT_FOUND, Match
from geo.geocoding.notes import notes_text
from geo.texts.formatting import number
from geo.texts.i18n import t


def review_reason(match: Match, lang: str) -> str:
    """Why a row needs a look: the geocoder's notes, else what its status means."""
    noted = notes_text(match.notes, lang)
    if noted:
        return noted
    if match.status == NOT_FOUND:
        return t("why_not_found", lang)
    if match.location is not None and is_guess(match):
        return t("why_near_name", lang, name=match.location.raw["name"])
    return ""


def review_table(result: BatchResult, lang: str) -> pd.DataFrame:
    """What the reviewer reads: the row number, the whole input row, the answer and why.

    Every cell is text and an empty one is "" (a spreadsheet shows nothing, not "None").
    """
    table = result.table
    confidence = [
        number(round(m.confidence, 2), lang) if m.confidence else "" for m in result.matches
    ]
    review = pd.DataFrame(
        {
            "row": range(1, len(table) + 1),
            "geo_status": [t(f"status_{review_status(m)}", lang) for m in result.matches],
            "geo_note": [review_reason(m, lang) for m in result.matches],
        },
        index=table.index,
    )
    inputs = table[input_columns(table)].astype("string").fillna("")
    # Status and reason first (what to look at), then the row as it came, then the answer.
    return pd.concat([review, inputs], axis=1).assign(
        geo_label=table["geo_label"].astype("string").fillna("").to_numpy(),
        geo_departement=table["geo_departement"].astype("string").fillna("").to_numpy(),
        geo_confidence=confidence,
        geo_correction=[result.corrections.get(i, "") for i in range(len(table))],
    )
