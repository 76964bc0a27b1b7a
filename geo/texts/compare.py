"""Two or three territories side by side (`?compare=`): one column per territory, one row per
fact, as a Markdown table built without Streamlit.

Figures that help compare come from the data already shipped: the perimeter's population and
number of communes from the gazetteer, the région's SSE figures with their year and basis.
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import pandas as pd

from geo.domain.data import Dataset, split_list
from geo.domain.perimeters import perimeter_facts, territory_perimeter
from geo.geocoding.gazetteer import Gazetteer
from geo.geocoding.kinds import kind_label
from geo.texts.cards import basis_tag, count_text, region_sse_texts
from geo.texts.formatting import colon
from geo.texts.i18n import t


@dataclass(frozen=True)
class Perimeter:
    """Population and number of communes of a territory's perimeter; None when unknown."""

    population: int | None
    communes: int | None


def perimeter(gazetteer: Gazetteer, territory: dict) -> Perimeter:
    """Facts of the perimeter the map draws (geo.domain.perimeters), summed from the gazetteer's
    communes. An approximate perimeter (an area or cluster drawn as its seat's EPCI) is no
    fact: both stay unknown. `gazetteer` is the one geo.domain.perimeters reads (kept for callers)."""
    drawn = territory_perimeter(territory)
    if drawn is None or drawn.approximate:
        return Perimeter(None, None)
    facts = perimeter_facts(drawn)
    return Perimeter(facts.population, facts.communes)


def _cell(text: str) -> str:
    """Data text made safe for one Markdown table cell shown with HTML allowed."""
    return escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def territory_column(
    row: dict, dataset: Dataset, gazetteer: Gazetteer, lang: str
) -> dict[str, str]:
    """The cells of one territory's column, by row label (interface text key)."""
    unknown = f"*{t('unknown', lang)}*"
    figures = perimeter(gazetteer, row)
    region = dataset.regions.set_index("code").loc[row["region_code"]].to_dict()
    compared, context = region_sse_texts(region, lang)
    links = dataset.links[dataset.links["territory_id"] == row["id"]]
    lever_names = dataset.levers.set_index("id")[f"name_{lang}"]
    order = {lever: i for i, lever in enumerate(dataset.levers["id"])}
    links = links.assign(order=links["lever_id"].map(order)).sort_values("order")
    theme_names = dataset.themes.set_index("id")[f"name_{lang}"]
    challenges = split_list(row["challenges" if lang == "fr" else "challenges_en"])
    return {
        "kind": kind_label(row["kind"], lang),
        "region": _cell(row["region_name"]),
        "perimeter_population": (
            count_text(figures.population, lang)
            if figures.population is not None
            else f"*{t('perimeter_unknown', lang)}*"
        ),
        "perimeter_communes": (
            count_text(figures.communes, lang)
            if figures.communes is not None
            else f"*{t('perimeter_unknown', lang)}*"
        ),
        "region_sse_compared": compared,
        "region_sse_context": context or t("none", lang),
        "col_levers": "<br>".join(
            f"**{_cell(lever_names[link.lever_id])}** ({basis_tag(link.basis, lang)}){colon(lang)}"
            f"{_cell(getattr(link, f'rationale_{lang}'))} ([source]({link.source}))"
            for link in links.itertuples()
        ),
        "themes": ", ".join(_cell(theme_names[x]) for x in split_list(row["themes"])) or unknown,
        "challenges": "<br>".join(f"{i}. {_cell(c)}" for i, c in enumerate(challenges, 1))
        or unknown,
        "sources": "<br>".join(
            f"[{_cell(host(url))}]({url})" for url in split_list(row["sources"])
        ),
    }


def host(url: str) -> str:
    """The site of a source URL, as a short link text."""
    return url.split("//", 1)[-1].split("/", 1)[0].removeprefix("www.")


def comparison_table(
    ids: tuple[str, ...], dataset: Dataset, placed: pd.DataFrame, gazetteer: Gazetteer, lang: str
) -> str:
    """The Markdown table of these territories (in this order), their names as column headings."""
    rows = placed.set_index("id", drop=False).loc[list(ids)].to_dict("records")
    columns = [territory_column(row, dataset, gazetteer, lang) for row in rows]
    # The corner cell names the row of headings (axe-core: no empty table header).
    header = (
        f"| {t('col_name', lang)} | "
        + " | ".join(f"**{_cell(row['name'])}**" for row in rows)
        + " |"
    )
    lines = [header, "|---" * (len(rows) + 1) + "|"]
    for key in columns[0]:
        lines.append(
            f"| **{t(key, lang)}** | " + " | ".join(column[key] for column in columns) + " |"
        )
    return "\n".join(lines)
