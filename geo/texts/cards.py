"""The texts of a territory's card and of its région (Markdown), built without Streamlit.

The page only lays them out; tests read them here. What the public sources do not document is
said once per card, in one line that names the missing facts, never as an empty line or a
repeated "unknown"; the région's figures keep their own wording.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from geo.domain.data import Dataset, split_list
from geo.domain.perimeters import Perimeter, perimeter_facts, perimeter_name, territory_perimeter
from geo.domain.similar import (
    BASIS_WEIGHT,
    KEYWORD_WEIGHT,
    KIND_WEIGHT,
    SIMILAR_COUNT,
    THEME_WEIGHT,
    Similarity,
)
from geo.domain.views import Card, LeverPage
from geo.geocoding.kinds import kind_label
from geo.texts.formatting import colon, long_date, number, percent
from geo.texts.i18n import t

# A link's basis is shown in words and with a mark: solid when documented, half when suggested
# by a rule, hollow when it rests on the label alone.
BASIS_MARK = {"stated": "●", "suggested": "◐", "inferred": "○"}


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
    facts: str  # only the facts the data holds
    challenges_title: str  # empty: no challenge documented
    challenges: str
    themes: str  # empty: no theme documented
    undocumented: str  # « Non documenté dans les sources publiques : … »; empty: nothing missing
    note: str  # empty: no note
    position: str
    perimeter: str
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
    return "\n".join(
        f"- **{t(k, lang)}**{colon(lang)}{value_or_unknown(v, lang)}" for k, v in facts.items()
    )


def grouped_number(value: str) -> str:
    """A whole number written the French way: 1 234 567 with narrow no-break spaces."""
    return number(int(value), "fr")


def count_text(value: int | float, lang: str) -> str:
    """A whole number in the reader's language (1 234 567 / 1,234,567), by Babel."""
    return number(int(value), lang)


def percent_text(value: str, lang: str) -> str:
    """A share in points as written in the data ("10.7") in the reader's language, with its
    sign (10,7 % / 10.7%)."""
    return percent(value, lang)


@dataclass(frozen=True)
class TerritoryFacts:
    """What the data holds on a territory and its région, in the reader's language, "" (or no
    challenge) where no public source documents it. Computed once here so that the card
    (Markdown) and the one-page sheet (geo.texts.sheet, plain text) state the same facts, each
    choosing its own order and saying the unknown ones its own way."""

    identity: dict[str, str]  # text key → value: official name, départements, région, seat, porteur
    label_date: str
    themes: str
    website: str
    challenges: list[str]
    region: dict[str, str]  # text key → Markdown value, the SSE figures first (see region_values)


def territory_facts(card: Card, dataset: Dataset, lang: str) -> TerritoryFacts:
    """The facts of a territory's card (see geo.domain.views.territory_card) in "fr" or "en"."""
    row = card.territory
    theme_names = dataset.themes.set_index("id")[f"name_{lang}"]
    return TerritoryFacts(
        identity={
            "official_name": row["official_name"],
            "departements": ", ".join(split_list(row["departement_codes"])),
            "region": row["region_name"],
            "seat": row["seat"],
            "porteur": row["porteur"],
        },
        label_date=long_date(row["label_date"], lang),
        themes=", ".join(theme_names.get(x, x) for x in split_list(row["themes"])),
        website=row["website"],
        challenges=split_list(row["challenges" if lang == "fr" else "challenges_en"]),
        region=region_values(card, lang),
    )


def card_text(card: Card, dataset: Dataset, lang: str) -> CardText:
    """The card of a territory (see geo.domain.views.territory_card) in "fr" or "en"."""
    row = card.territory
    known = territory_facts(card, dataset, lang)
    facts = {**known.identity, "label_date": known.label_date}
    challenges, themes, website = known.challenges, known.themes, known.website
    note = row["note" if lang == "fr" else "note_en"]
    missing = [key for key, value in facts.items() if not value]
    missing += [key for key, value in (("challenges", challenges), ("themes", themes)) if not value]
    return CardText(
        title=row["name"],
        caption=f"{kind_label(row['kind'], lang)} · {t('wave_value', lang, wave=row['wave'])}",
        facts=fact_list({k: v for k, v in facts.items() if v}, lang),
        challenges_title=f"**{t('challenges', lang)}**" if challenges else "",
        challenges="\n".join(f"1. {c}" for c in challenges),
        themes=f"**{t('themes', lang)}**{colon(lang)}{themes}" if themes else "",
        undocumented=undocumented_text(missing, lang),
        note=f"{t('note', lang)}{colon(lang)}{note}" if note else "",
        position=position_text(row, lang),
        perimeter=perimeter_text(row, lang),
        website=f"**{t('website', lang)}**{colon(lang)}[{website}]({website})" if website else "",
        sources="\n".join(f"- <{url}>" for url in split_list(row["sources"])),
        levers_title=f"### {t('levers_title', lang)}",
        levers=[lever_text(lever, dataset, lang) for lever in card.levers],
        region_title=f"### {t('region_title', lang)}{colon(lang)}{card.region.get('name', '')}",
        region_facts=fact_list(known.region, lang),
    )


def undocumented_text(keys: list[str], lang: str) -> str:
    """One line naming the facts (interface text keys) no public source documents, in lower
    case: « Non documenté dans les sources publiques : collectif porteur, défis »."""
    if not keys:
        return ""
    fields = ", ".join(lowered(t(key, lang)) for key in keys)
    return t("undocumented", lang, colon=colon(lang), fields=fields)


def lowered(label: str) -> str:
    """A label inside a sentence: its first letter in lower case (« Défis » → « défis »)."""
    return label[:1].lower() + label[1:]


def position_text(row: dict, lang: str) -> str:
    """How the territory's marker was placed."""
    method = row["position_method"]
    return (
        f"{t('position', lang)}{colon(lang)}"
        + (t(f"method_{method}", lang, code=row["position_code"]) if method else t("unknown", lang))
        + (f" ({t('approximate', lang)})" if row["position_approximate"] else "")
    )


def perimeter_text(row: dict, lang: str) -> str:
    """The perimeter drawn on the map, what it rests on, and its communes, population, area."""
    return f"**{t('perimeter', lang)}**{colon(lang)}{perimeter_summary(territory_perimeter(row), lang)}"


def perimeter_summary(perimeter: Perimeter | None, lang: str) -> str:
    """What a perimeter is (or that there is none) and its communes, population and area."""
    if perimeter is None:
        return t("no_perimeter", lang)
    facts = perimeter_facts(perimeter)
    name = t(f"perimeter_{perimeter.basis}", lang, name=perimeter_name(perimeter))
    numbers = t(
        "perimeter_facts",
        lang,
        communes=t(
            "one_commune" if facts.communes == 1 else "n_communes",
            lang,
            n=count_text(facts.communes, lang),
        ),
        population=count_text(facts.population, lang),
        area=count_text(facts.area_km2, lang),
    )
    return f"{name} — {numbers}"


def lever_text(lever: dict, dataset: Dataset, lang: str) -> LeverText:
    """How the link is known (its basis), why the lever fits the territory (with its source),
    the study's summary, its tools. The title carries the basis's mark and word."""
    paragraphs = [
        basis_text(lever["basis"], lever["rule_id"], dataset, lang),
        f"**{t('why', lang)}**{colon(lang)}{lever[f'rationale_{lang}']} ([source]({lever['source_link']}))",
        lever[f"summary_{lang}"],
    ]
    if lever["tools"]:
        paragraphs.append(
            f"**{t('tools', lang)}**{colon(lang)}" + ", ".join(split_list(lever["tools"]))
        )
    return LeverText(f"{basis_tag(lever['basis'], lang)} · {lever[f'name_{lang}']}", paragraphs)


def basis_tag(basis: str, lang: str) -> str:
    """The basis's mark and word: « ● utilisé (documenté) »."""
    return f"{BASIS_MARK[basis]} {t(f'basis_{basis}', lang)}"


def rule_name(dataset: Dataset, rule_id: str, lang: str) -> str:
    """A suggestion rule named by what it joins: « theme → lever »."""
    rule = dataset.rules.set_index("id").loc[rule_id]
    theme = dataset.themes.set_index("id").loc[rule["theme_id"], f"name_{lang}"]
    lever = dataset.levers.set_index("id").loc[rule["lever_id"], f"name_{lang}"]
    return f"« {theme} → {lever} »"


def basis_text(basis: str, rule_ids: str, dataset: Dataset, lang: str) -> str:
    """One sentence on how a link is known; a suggested one names its rules and cites the study."""
    values = {}
    if basis == "suggested":
        rules = split_list(rule_ids)
        values = {
            "rules": " ; ".join(rule_name(dataset, rule, lang) for rule in rules),
            "source": study_source(dataset, rules[0]),
        }
    return f"**{t('basis_label', lang)}**{colon(lang)}{basis_tag(basis, lang)} — " + t(
        f"basis_{basis}_text", lang, **values
    )


def study_source(dataset: Dataset, rule_id: str) -> str:
    """The study's page a rule cites (the first of its sources, Avise's own)."""
    return split_list(str(dataset.rules.set_index("id").loc[rule_id, "source"]))[0]


def region_values(card: Card, lang: str) -> dict[str, str]:
    """The région's weight of the SSE (the comparable figure first, then any other figure as
    context), chef-lieu, population, CRESS (linked to its site) and other territories, by text
    key, in Markdown; "" where the data holds nothing."""
    region = card.region
    population = (
        f"{number(region['population'], lang)} ({region['population_year']})"
        if region.get("population")
        else ""
    )
    compared, context = region_sse_texts(region, lang)
    cress = region.get("cress_name", "")
    if cress and region.get("cress_website"):
        cress = f"[{cress}]({region['cress_website']})"
    facts = {"region_sse_compared": compared}
    if context:
        facts = {**facts, "region_sse_context": context}
    return {
        **facts,
        "chef_lieu": region.get("chef_lieu", ""),
        "population": population,
        "cress": cress,
        "others_in_region": ", ".join(n["name"] for n in card.neighbours) or t("no_other", lang),
    }


@dataclass(frozen=True)
class SimilarText:
    """One similar territory at the end of a card: its id (for the link), name and what it shares."""

    territory_id: str
    name: str
    shared: str


def shared_words(similarity: Similarity, dataset: Dataset, lang: str) -> str:
    """What two territories share, in words: levers (with the basis of the weaker link), themes,
    keywords of their challenges, kind; then the distance between their seats."""
    lever_names = dataset.levers.set_index("id")[f"name_{lang}"]
    theme_names = dataset.themes.set_index("id")[f"name_{lang}"]
    parts = []
    if similarity.levers:
        levers = ", ".join(
            f"{lever_names[lever]} ({BASIS_MARK[basis]} {t(f'basis_{basis}', lang)})"
            for lever, basis in similarity.levers
        )
        parts.append(f"{t('shared_levers', lang)}{colon(lang)}{levers}")
    if similarity.themes:
        themes = ", ".join(theme_names[theme] for theme in similarity.themes)
        parts.append(f"{t('shared_themes', lang)}{colon(lang)}{themes}")
    if similarity.keywords:
        parts.append(f"{t('shared_keywords', lang)}{colon(lang)}{', '.join(similarity.keywords)}")
    if similarity.same_kind:
        kind = str(dataset.territories.set_index("id").loc[similarity.territory_id, "kind"])
        parts.append(t("shared_kind", lang, kind=kind_label(kind, lang)))
    distance = (
        t("distance", lang, km=count_text(round(similarity.distance_km), lang))
        if similarity.distance_km is not None
        else t("distance_unknown", lang)
    )
    return " ; ".join(parts) + f" — {distance}"


def similar_texts(similar: list[Similarity], dataset: Dataset, lang: str) -> list[SimilarText]:
    """The card's "similar territories", best first."""
    names = dataset.territories.set_index("id")["name"]
    return [
        SimilarText(s.territory_id, names[s.territory_id], shared_words(s, dataset, lang))
        for s in similar
    ]


@dataclass(frozen=True)
class LeverPageText:
    """A lever's page: the study's words, the note when no territory documents it, then the
    shown territories in one section per basis of their link: those that use it (documented),
    those a rule suggests, and those inferred from the label, apart (the page folds them)."""

    title: str
    study: str
    note: str  # empty: some territory documents the lever
    users_title: str
    users: list[str]  # one Markdown line per territory documenting it; empty: none shown
    suggested_title: str
    suggested: list[str]
    inferred_title: str
    inferred: list[str]


def lever_page_text(page: LeverPage, dataset: Dataset, lang: str) -> LeverPageText:
    """The texts of a lever's page (see geo.domain.views.lever_page)."""
    lever = page.lever
    study = f"{lever[f'summary_{lang}']} ([source]({split_list(lever['source'])[0]}))"
    if lever["tools"]:
        study += f"\n\n**{t('tools', lang)}**{colon(lang)}" + ", ".join(split_list(lever["tools"]))
    note = ""
    if not page.documented:
        note = lever[f"no_territory_note_{lang}"] or t("lever_not_documented", lang)
    lines = {
        basis: [
            f"- **{user['name']}** — {basis_tag(user['basis'], lang)}{colon(lang)}"
            f"{user[f'rationale_{lang}']} ([source]({user['source']}))"
            for user in users
        ]
        for basis, users in page.by_basis().items()
    }
    return LeverPageText(
        title=f"## {lever[f'name_{lang}']}",
        study=study,
        note=note,
        users_title=f"**{t('lever_users', lang)}**",
        users=lines["stated"],
        suggested_title=f"**{BASIS_MARK['suggested']} {t('lever_suggested', lang)}**",
        suggested=lines["suggested"],
        inferred_title=f"{BASIS_MARK['inferred']} "
        + t("lever_inferred", lang, count=count_text(len(lines["inferred"]), lang)),
        inferred=lines["inferred"],
    )


def about_links_text(dataset: Dataset, lang: str) -> str:
    """The About tab's part on links and similar territories: the three bases, the suggestion
    rules with their sources, and the ranking rule with its weights."""
    return "\n\n".join(
        [
            f"## {t('about_bases_title', lang)}",
            t("about_bases", lang),
            f"## {t('about_rules_title', lang)}",
            rules_text(dataset, lang),
            f"## {t('about_similar_title', lang)}",
            t(
                "about_similar",
                lang,
                count=SIMILAR_COUNT,
                theme=THEME_WEIGHT,
                keyword=KEYWORD_WEIGHT,
                kind=KIND_WEIGHT,
                **BASIS_WEIGHT,
            ),
        ]
    )


def counts_by_basis(counts: dict[str, int], lang: str) -> str:
    """« ● utilisé (documenté) : 0 · ◐ suggéré par une règle : 9 · ○ déduit du label : 0 »."""
    return " · ".join(
        f"{basis_tag(basis, lang)}{colon(lang)}{count_text(counts.get(basis, 0), lang)}"
        for basis in BASIS_MARK
    )


def basis_counts_text(page: LeverPage, lang: str) -> str:
    """How the shown territories are linked to the chosen lever, counted by basis, under the
    metrics (the lever's own page is further down)."""
    counts = {basis: len(users) for basis, users in page.by_basis().items()}
    return t(
        "basis_counts",
        lang,
        shown=count_text(len(page.users), lang),
        counts=counts_by_basis(counts, lang),
    )


def territory_metric(page: LeverPage | None, shown: int, total: int, lang: str) -> tuple[str, str]:
    """The first metric's label and value: the territories shown (« 9 / 27 »), or, when one
    lever is chosen, those that use it by a documented link (« 0 / 27 »): a suggestion or the
    label alone is not a use (basis_counts_text gives the other counts beside it)."""
    if page is None:
        return t("metric_territories", lang), f"{shown} / {total}"
    used = len(page.by_basis()["stated"])
    return t("metric_lever_used", lang), f"{used} / {total}"


def rules_text(dataset: Dataset, lang: str) -> str:
    """The suggestion rules as a Markdown list, each with its rationale and sources."""
    rules = dataset.rules[["id", f"rationale_{lang}", "source"]]
    return "\n".join(
        f"- {rule_name(dataset, rule_id, lang)}{colon(lang)}{rationale} "
        + " ".join(f"[source {i}]({url})" for i, url in enumerate(split_list(source), 1))
        for rule_id, rationale, source in rules.itertuples(index=False, name=None)
    )


def region_sse_texts(region: dict, lang: str) -> tuple[str, str]:
    """A région's SSE figures: its value on the one comparable series, with its basis and year
    (or *no comparable figure published*: the series lacks the région, which is not zero), and
    its other figure as context with its own year and basis ("" when the other figure is the
    comparable one, whose jobs count then joins the comparable text)."""
    jobs = ""
    if region.get("sse_jobs"):
        jobs = t("sse_jobs", lang, jobs=count_text(int(region["sse_jobs"]), lang))
    same_series = all(
        region.get(f"sse_{column}") == region.get(f"sse_compared_{column}")
        for column in ("share_pct", "year", "source")
    )
    if region.get("sse_compared_share_pct"):
        compared = t(
            "sse_compared_value",
            lang,
            share=percent_text(region["sse_compared_share_pct"], lang),
            basis=t(f"sse_basis_{region['sse_compared_basis']}", lang),
            year=region["sse_compared_year"],
            source=region["sse_compared_source"],
        )
        compared = f"{jobs} · {compared}" if same_series and jobs else compared
    else:
        compared = f"*{t('sse_compared_unknown', lang)}*"
    if same_series or not (region.get("sse_share_pct") and region.get("sse_source")):
        return compared, ""
    context = t(
        "sse_context_value",
        lang,
        share=percent_text(region["sse_share_pct"], lang),
        basis=t(f"sse_basis_{region['sse_share_basis']}", lang),
        year=region.get("sse_year") or t("year_unknown", lang),
    )
    figures = " · ".join(filter(None, [jobs, context]))
    return compared, f"{figures} ([source]({region['sse_source']}))"


def region_table(dataset: Dataset, summary: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The région summary (geo.domain.views.region_summary) with headers in the reader's language:
    rank and share on the comparable series, the share written by Babel ("11,2 %" / "11.2%";
    a région the series lacks says so in words, never zero), then the other figure labelled as
    context with its own basis and year."""
    year = dataset.regions["sse_compared_year"].replace("", None).dropna().iloc[0]

    def context(row: pd.Series) -> str:
        if not row["sse_share_pct"] or region_sse_texts(row.to_dict(), lang)[1] == "":
            return ""  # none, or the compared figure itself
        basis = t(f"sse_basis_{row['sse_share_basis']}", lang)
        when = row["sse_year"] or t("year_unknown", lang)
        return f"{percent_text(row['sse_share_pct'], lang)} {basis} ({when})"

    return pd.DataFrame(
        {
            t("col_region", lang): summary["name"],
            t("col_compared_rank", lang): summary["compared_rank"].map(
                lambda rank: t("none", lang) if pd.isna(rank) else str(int(rank))
            ),
            t("col_compared_share", lang, year=year): summary["sse_compared_share_pct"].map(
                lambda share: percent_text(share, lang) or t("sse_compared_unknown", lang)
            ),
            # One text per row (apply(axis=1) turns an empty summary into a frame, not a column).
            t("col_other_figure", lang): [context(row) for _, row in summary.iterrows()],
            t("col_count", lang): summary["territories"],
            t("col_name", lang): summary["names"],
            t("chef_lieu", lang): summary["chef_lieu"],
            t("population", lang): summary["population"].map(
                lambda population: count_text(int(population), lang) if population else ""
            ),
            t("cress", lang): summary["cress_website"].replace("", None),
        }
    )
