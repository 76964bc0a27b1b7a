"""The territory × lever matrix as an HTML table: every row and column labelled and readable.

A real table (row and column headers, a name for each mark) rather than a chart, so that every
label shows at any width: lever headers are short names, rotated; the territory column stays in
view while a narrow screen scrolls the table sideways. A link's basis is its mark: solid for
stated, hollow for suggested, dashed for inferred (not colour alone); the key counts the shown
links by basis, since only the documented ones say a territory uses a lever.
"""

from __future__ import annotations

from html import escape

from geo.domain.data import Dataset
from geo.domain.views import lever_matrix
from geo.texts.formatting import colon, number
from geo.texts.i18n import short_lever_name, t

BASES = ("stated", "suggested", "inferred")
MARK_COLOR = "#0072B2"  # 5.2:1 on white

STYLE = f"""
<style>
.fi-matrix-wrap {{ overflow-x: auto; max-width: 100%; }}
.fi-matrix {{ border-collapse: collapse; font-size: 0.85rem; margin-right: 9rem; }}
.fi-matrix th, .fi-matrix td {{ border: 1px solid #e0e0e0; }}
.fi-matrix thead th {{ border: none; }}
.fi-matrix th[scope=row] {{ text-align: left; font-weight: normal; padding: 2px 8px;
  position: sticky; left: 0; background: #fff; z-index: 1; min-width: 9rem; max-width: 15rem; }}
.fi-matrix th.fi-col {{ height: 10.5rem; width: 2.2rem; min-width: 2.2rem; vertical-align: bottom;
  padding: 0; white-space: nowrap; }}
.fi-matrix th.fi-col > div {{ transform: translate(1.05rem, -0.3rem) rotate(-55deg);
  transform-origin: left bottom; width: 2.2rem; }}
.fi-matrix th.fi-col span {{ font-weight: normal; color: #222; }}
.fi-matrix td {{ text-align: center; width: 2.2rem; height: 1.6rem; }}
.fi-mark {{ display: inline-block; width: 0.8rem; height: 0.8rem; border-radius: 50%;
  border: 2px solid {MARK_COLOR}; vertical-align: middle; box-sizing: border-box; }}
.fi-mark-stated {{ background: {MARK_COLOR}; }}
.fi-mark-inferred {{ border-style: dashed; border-width: 2px; }}
.fi-sr {{ position: absolute; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }}
.fi-matrix-key {{ font-size: 0.85rem; margin: 0 0 0.4rem; }}
.fi-matrix-key span {{ margin-right: 1rem; white-space: nowrap; }}
@media (max-width: 640px) {{
  .fi-matrix th[scope=row] {{ min-width: 7rem; max-width: 8.5rem; font-size: 0.8rem; }}
}}
</style>
"""


def mark(basis: str, lang: str) -> str:
    """The mark of a link's basis, named for screen readers."""
    return (
        f'<span class="fi-mark fi-mark-{basis}" role="img" '
        f'aria-label="{escape(t(f"basis_{basis}", lang))}"></span>'
    )


def matrix_html(dataset: Dataset, territory_ids: list[str], lang: str) -> str:
    """The matrix of these territories (rows) and the study's levers and areas (columns)."""
    matrix = lever_matrix(dataset, territory_ids, lang)
    levers = matrix.drop_duplicates("lever_id")[["lever_id", "lever"]]
    head = "".join(
        f'<th scope="col" class="fi-col" title="{escape(name)}"><div>'
        f'<span aria-label="{escape(name)}">{escape(short_lever_name(lid, lang))}</span>'
        "</div></th>"
        for lid, name in zip(levers["lever_id"], levers["lever"], strict=True)
    )
    rows = []
    for territory, cells in matrix.groupby("territory", sort=False):
        label = escape(str(territory))
        marks = "".join(
            f'<td title="{label} × {escape(lever)}">'
            + (
                mark(basis, lang)
                if basis
                else f'<span class="fi-sr">{t("not_linked", lang)}</span>'
            )
            + "</td>"
            for lever, basis in zip(cells["lever"], cells["basis"], strict=True)
        )
        rows.append(f'<tr><th scope="row">{label}</th>{marks}</tr>')
    counts = matrix["basis"].value_counts()
    key = "".join(
        f"<span>{mark(b, lang)} {escape(t(f'basis_{b}', lang))}{colon(lang)}"
        f"{number(int(counts.get(b, 0)), lang)}</span>"
        for b in BASES
    )
    return (
        STYLE
        + f'<p class="fi-matrix-key">{key}</p>'
        + f'<div class="fi-matrix-wrap" lang="{lang}"><table class="fi-matrix">'
        + f"<caption class='fi-sr'>{escape(t('tab_matrix', lang))}</caption>"
        + f'<thead><tr><td style="border:none"></td>{head}</tr></thead>'
        + f"<tbody>{''.join(rows)}</tbody></table></div>"
    )
