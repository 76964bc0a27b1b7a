"""The coverage table (geo.domain.coverage) as the région tab shows it: headers in the reader's
language, the territories by name."""

from __future__ import annotations

import pandas as pd

from geo.texts.i18n import t


def coverage_display(table: pd.DataFrame, level: str, names: dict[str, str], lang: str):
    """The région (or département) rows with headers in `lang`, for a sortable table: shares as
    numbers (sorted as numbers), the territories by name."""
    rows = table[table["level"] == level]

    def named(ids: str) -> str:
        return ", ".join(names.get(tid, tid) for tid in ids.split(";") if tid)

    return pd.DataFrame(
        {
            t("region" if level == "region" else "departement", lang): rows["name"],
            t("coverage_col_code", lang): rows["code"],
            t("coverage_col_population", lang): rows["population"],
            t("coverage_col_share", lang): rows["covered_pct"],
            t("coverage_col_people", lang): rows["covered_population"],
            t("coverage_col_approximate", lang): rows["approximate_pct"],
            t("coverage_col_territories", lang): rows["territories"].map(named),
            t("coverage_col_approximate_territories", lang): rows["approximate_territories"].map(
                named
            ),
        }
    ).reset_index(drop=True)
