"""The texts of a territory's card and of its région (Markdown), built without Streamlit.

The page only lays them out; tests read them here. Unknown facts show as *unknown* in the
reader's language, never as an empty line.
"""

from __future__ import annotations

from dataclasses import dataclass

from geo.data import Dataset, split_list
from geo.i18n import kind_label, t
from geo.views import Card

NARROW_NO_BREAK_SPACE = "\u202f"  # French thousands separator


@dataclass(frozen=True)
class LeverText:
    """One lever of the card: its name (an expander's title) and its paragraphs."""

    title: str
    paragraphs: list[str]


@dataclass(frozen=True)
class CardText:
    """Every text of a territory's card, in the order the page shows them."""

    title: str
    caption: str
    facts: str
    challenges_title: str
    challenges: str
    themes: str
    note: str  # empty: no note
    position: str
    website: str  # empty: no website
    sources: str
    levers_title: str
    levers: list[LeverText]
    region_title: str
    region_facts: str


def value_or_unknown(value: str, lang: str) -> str:
    """The value, or *unknown* (in italics) when the data holds nothing."""
    return value if value else f"*{t('unknown', lang)}*"


def fact_list(facts: dict[str, str], lang: str) -> str:
    """A Markdown list of « **label** : value » lines, labels being interface text keys."""
    return "\n".join(f"- **{t(k, lang)}** : {value_or_unknown(v, lang)}" for k, v in facts.items())


def grouped_number(value: str) -> str:
    """A whole number written the French way: 1 234 567 with narrow no-break spaces."""
    return f"{int(value):,}".replace(",", NARROW_NO_BREAK_SPACE)


def card_text(card: Card, dataset: Dataset, lang: str) -> CardText:
    """The card of a territory (see geo.views.territory_card) in "fr" or "en"."""
    row = card.territory
    facts = {
        "official_name": row["official_name"],
        "departements": ", ".join(split_list(row["departement_codes"])),
        "region": row["region_name"],
        "seat": row["seat"],
        "porteur": row["porteur"],
        "label_date": row["label_date"],
    }
    challenges = split_list(row["challenges" if lang == "fr" else "challenges_en"])
    theme_names = dataset.themes.set_index("id")[f"name_{lang}"]
    themes = ", ".join(theme_names.get(x, x) for x in split_list(row["themes"]))
    note = row["note" if lang == "fr" else "note_en"]
    website = row["website"]
    return CardText(
        title=row["name"],
        caption=f"{kind_label(row['kind'], lang)} · {t('wave_value', lang, wave=row['wave'])}",
        facts=fact_list(facts, lang),
        challenges_title=f"**{t('challenges', lang)}**",
        challenges="\n".join(f"1. {c}" for c in challenges)
        if challenges
        else value_or_unknown("", lang),
        themes=f"**{t('themes', lang)}** : " + value_or_unknown(themes, lang),
        note=f"{t('note', lang)} : {note}" if note else "",
        position=position_text(row, lang),
        website=f"**{t('website', lang)}** : [{website}]({website})" if website else "",
        sources="\n".join(f"- <{url}>" for url in split_list(row["sources"])),
        levers_title=f"#### {t('levers_title', lang)}",
        levers=[lever_text(lever, lang) for lever in card.levers],
        region_title=f"#### {t('region_title', lang)} : {card.region.get('name', '')}",
        region_facts=region_facts(card, lang),
    )


def position_text(row: dict, lang: str) -> str:
    """How the territory was placed, and whether its member communes are drawn."""
    method = row["position_method"]
    return (
        f"{t('position', lang)} : "
        + (t(f"method_{method}", lang, code=row["position_code"]) if method else t("unknown", lang))
        + (f" ({t('approximate', lang)})" if row["position_approximate"] else "")
        + " — "
        + (
            t("extent_note", lang)
            if row["entity_code"] and row["kind"] != "commune"
            else t("no_extent", lang)
        )
    )


def lever_text(lever: dict, lang: str) -> LeverText:
    """Why the lever fits the territory (with its source), the study's summary, its tools."""
    paragraphs = [
        f"**{t('why', lang)}** : {lever[f'rationale_{lang}']} ([source]({lever['source_link']}))",
        lever[f"summary_{lang}"],
    ]
    if lever["tools"]:
        paragraphs.append(f"**{t('tools', lang)}** : " + ", ".join(split_list(lever["tools"])))
    return LeverText(lever[f"name_{lang}"], paragraphs)


def region_facts(card: Card, lang: str) -> str:
    """The région's chef-lieu, population, CRESS, weight of the SSE and other territories."""
    region = card.region
    population = (
        f"{grouped_number(region['population'])} ({region['population_year']})"
        if region.get("population")
        else ""
    )
    share = f" ({region['sse_share_pct']} %)" if region.get("sse_share_pct") else ""
    year = f", {region['sse_year']}" if region.get("sse_year") else ""
    jobs = grouped_number(region["sse_jobs"]) if region.get("sse_jobs") else "?"
    sse = (
        t("sse_value", lang, jobs=jobs, share=share, year=year) if region.get("sse_source") else ""
    )
    cress = region.get("cress_name", "")
    if cress and region.get("cress_website"):
        cress = f"[{cress}]({region['cress_website']})"
    facts = {
        "chef_lieu": region.get("chef_lieu", ""),
        "population": population,
        "cress": cress,
        "sse_weight": sse + (f" — [source]({region['sse_source']})" if sse else ""),
        "others_in_region": ", ".join(n["name"] for n in card.neighbours) or t("no_other", lang),
    }
    return fact_list(facts, lang)
