"""The card's texts (geo.texts.cards) and the sidebar's filters (geo.texts.filters), without Streamlit."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from geo.domain.similar import SimilarityIndex, seat_points
from geo.domain.territories import load_placed
from geo.domain.views import ViewState, lever_page, region_summary, territory_card
from geo.geocoding.gazetteer import load_gazetteer
from geo.texts.cards import (
    about_links_text,
    basis_counts_text,
    card_text,
    lever_page_text,
    region_sse_texts,
    region_table,
    similar_texts,
    territory_metric,
    value_or_unknown,
)
from geo.texts.filters import WIDGET_KEYS, basis_filter, sidebar_filters
from geo.texts.i18n import t


def text_of(loaded, territory_id: str, lang: str):
    dataset, placed = loaded
    return card_text(territory_card(dataset, placed, territory_id), dataset, lang)


def test_roubaix_card_in_french(loaded):
    text = text_of(loaded, "roubaix", "fr")
    assert text.title == "Roubaix"
    assert text.caption == "Commune · Vague 1"
    assert "- **Région** : Hauts-de-France" in text.facts.splitlines()
    assert "- **Département(s)** : 59" in text.facts.splitlines()
    assert "- **Collectif porteur** : Ville de Roubaix" in text.facts.splitlines()
    assert "- **Date du label** : 25 février 2019" in text.facts.splitlines()
    assert "inconnu" not in text.facts + text.challenges + text.themes
    assert text.themes == "**Thématiques** : Économie circulaire et zéro déchet"
    assert text.note.startswith("Remarque : La ville mène une politique zéro déchet")
    assert text.position == "Position sur la carte : code officiel de l'entité (59512)"
    assert text.perimeter.startswith("**Périmètre** : Roubaix — 1 commune ·")
    assert "entité administrative" not in text.position + text.perimeter
    assert text.website == ""
    assert (
        "- <https://www.ville-roubaix.fr/services-infos-pratiques/developpement-durable/"
        "economie-circulaire/>"
    ) in text.sources.splitlines()
    assert "demainlaville" not in text.sources  # a page no copy of was found again
    assert text.region_title == "### La région : Hauts-de-France"


def test_region_facts_are_sourced_and_grouped_the_french_way(loaded):
    region = text_of(loaded, "roubaix", "fr").region_facts.splitlines()
    assert "- **Chef-lieu** : Lille" in region
    assert "- **Population** : 5\u202f995\u202f292 (2021)" in region
    assert "- **CRESS** : [CRESS Hauts-de-France](https://cresshdf.org)" in region
    # the comparable figure first, in plain words with its basis and year; then the other one
    assert region[:2] == [
        "- **Poids de l'ESS, comparable entre régions** : 11,2\xa0% des emplois salariés en 2014 "
        "([source](https://www.insee.fr/fr/statistiques/2417055))",
        "- **Autre chiffre de l'ESS (contexte, à ne pas comparer)** : 210\u202f800 emplois dans "
        "l'ESS · 10,7\xa0% des emplois salariés (2021) "
        "([source](https://insee.fr/fr/statistiques/8189389))",
    ]
    grand_est = text_of(loaded, "strasbourg-eurometropole", "fr").region_facts.splitlines()
    assert grand_est[0] == (
        "- **Poids de l'ESS, comparable entre régions** : *pas de chiffre comparable publié*"
    )
    assert "199\u202f884 emplois dans l'ESS · 11,5\xa0% de l'emploi (2020)" in grand_est[1]
    assert not any("inconnu" in line or "zéro" in line for line in grand_est[:2])
    # La Réunion's only figure is the comparable one: its jobs join it, no context line
    reunion = region_sse_texts(loaded[0].regions.set_index("code").loc["04"].to_dict(), "fr")
    assert reunion == (
        "24\u202f951 emplois dans l'ESS · 11,1\xa0% des emplois salariés en 2014 "
        "([source](http://www.zinfos974.com/En-10-ans-l-emploi-dans-l-economie-sociale-et-"
        "solidaire-progresse-de-425_a118618.html))",
        "",
    )
    others = next(line for line in region if "Autres territoires" in line)
    assert "Montreuillois" in others and "Roubaix" not in others


def test_the_card_follows_the_language(loaded):
    text = text_of(loaded, "roubaix", "en")
    assert text.caption == "Municipality · Wave 1"
    assert "- **Region**: Hauts-de-France" in text.facts.splitlines()
    assert "- **Label date**: 25 February 2019" in text.facts.splitlines()
    assert "- **Population**: 5,995,292 (2021)" in text.region_facts.splitlines()
    assert "11.2% of salaried jobs in 2014" in text.region_facts.splitlines()[0]
    assert "210,800 SSE jobs · 10.7% of salaried jobs (2021)" in text.region_facts
    assert text.themes == "**Themes**: Circular economy and zero waste"
    assert "unknown" not in text.facts + text.challenges + text.themes
    assert text.note.startswith("Note: The city runs a pioneering zero-waste policy")


@pytest.mark.parametrize(
    "lang,expected",
    [
        ("fr", "Non documenté dans les sources publiques : collectif porteur, défis, thématiques"),
        ("en", "Not documented in public sources: lead collective, challenges, themes"),
    ],
)
def test_unknowns_are_said_once_in_one_line(loaded, lang, expected):
    dataset, placed = loaded
    card = territory_card(dataset, placed, "roubaix")
    blank = {"porteur": "", "challenges": "", "challenges_en": "", "themes": ""}
    text = card_text(replace(card, territory=card.territory | blank), dataset, lang)
    assert text.undocumented == expected
    assert text.challenges_title == text.challenges == text.themes == ""
    assert t("porteur", lang) not in text.facts  # no "Collectif porteur : inconnu" line
    assert t("unknown", lang) not in text.facts


@pytest.mark.parametrize("territory_id", sorted(load_placed().placed["id"]))
def test_every_card_names_what_is_undocumented_and_nothing_else(loaded, territory_id):
    _, placed = loaded
    row = placed.set_index("id").loc[territory_id]
    text = text_of(loaded, territory_id, "fr")
    missing = [
        label
        for column, label in (
            ("porteur", "collectif porteur"),
            ("challenges", "défis"),
            ("themes", "thématiques"),
        )
        if not row[column]
    ]
    for label in ("collectif porteur", "défis", "thématiques"):
        assert (label in text.undocumented) == (label in missing), text.undocumented
    assert "*inconnu*" not in "\n".join([text.facts, text.challenges, text.themes])


def test_each_linked_lever_has_its_reason_source_and_summary(loaded):
    dataset, _ = loaded
    text = text_of(loaded, "roubaix", "fr")
    links = dataset.links[dataset.links["territory_id"] == "roubaix"]
    assert len(text.levers) == len(links) > 0
    for lever in text.levers:
        basis, why, summary, *tools = lever.paragraphs
        assert basis.startswith("**Base du lien** : ● utilisé (documenté) — ")
        assert lever.title.startswith("● utilisé (documenté) · ")
        assert why.startswith("**Pourquoi** : ") and "([source](http" in why
        assert summary
        assert all(tool.startswith("**Outils** : ") for tool in tools)


def test_the_card_gives_the_perimeter_its_communes_population_and_area(loaded):
    """Numbers recomputed here from the gazetteer; areas near INSEE's published surfaces
    (Nouvelle-Aquitaine 84,036 km², Roubaix 13.23 km²)."""
    gazetteer = load_gazetteer().communes
    region = text_of(loaded, "region-nouvelle-aquitaine", "fr")
    members = gazetteer[gazetteer["region"] == "75"]
    assert region.perimeter.startswith("**Périmètre** : Nouvelle-Aquitaine — ")
    assert f"{len(members):,} communes".replace(",", "\u202f") in region.perimeter
    population = f"{members['population'].sum():,} habitants".replace(",", "\u202f")
    assert population in region.perimeter
    area = int(region.perimeter.split(" · ")[-1].removesuffix(" km²").replace("\u202f", ""))
    assert abs(area - 84036) / 84036 < 0.03
    roubaix = text_of(loaded, "roubaix", "en")
    assert roubaix.perimeter == "**Perimeter**: Roubaix — 1 municipality · population " + (
        f"{gazetteer.set_index('code').loc['59512', 'population']:,} · 13 km²"
    )
    assert roubaix.position == "Position on the map: official code of the entity (59512)"


def test_an_area_without_a_stated_perimeter_says_its_outline_is_approximate(loaded):
    area = text_of(loaded, "montreuillois", "fr")
    assert area.position == "Position sur la carte : commune siège (62588)"
    assert "l'intercommunalité de la commune siège (approximatif" in area.perimeter
    assert "Deux Baies en Montreuillois" in area.perimeter
    mayotte = text_of(loaded, "mayotte", "en")
    assert mayotte.challenges.splitlines()[0].startswith("1. ")  # a numbered list when known


def test_an_approximate_position_says_so_once(loaded):
    for lang, word in (("fr", "approximative"), ("en", "approximate")):
        text = text_of(loaded, "territoire-olympique-2024", lang)
        assert text.position.count(word) == 1, text.position


def test_small_helpers():
    assert value_or_unknown("", "en") == "*unknown*"
    assert value_or_unknown("Lille", "fr") == "Lille"


def test_the_sidebar_filters_cover_every_list_of_the_view(loaded):
    dataset, _ = loaded
    filters = sidebar_filters(dataset, "fr")
    attributes = [a for a, key in WIDGET_KEYS.items() if key in {f.key for f in filters}]
    list_attributes = [
        name for name, value in vars(ViewState()).items() if value == () and name != "compare"
    ]
    assert attributes == list_attributes
    by_key = {f.key: f for f in filters}
    english = {f.key: f for f in sidebar_filters(dataset, "en")}
    assert by_key["f_region"].label == "Région"
    assert by_key["f_region"].name("32") == "Hauts-de-France (2)"
    assert by_key["f_region"].name("94") == "Corse (aucun territoire)"
    names = list(by_key["f_region"].options.values())
    assert names[:3] == ["Auvergne-Rhône-Alpes (6)", "Bourgogne-Franche-Comté (1)", "Bretagne (1)"]
    assert names.index("Île-de-France (4)") == names.index("Hauts-de-France (2)") + 1
    assert english["f_region"].name("01") == "Guadeloupe (no territory)"
    # Short lever names where space is short: no two alike, none of the study's long names.
    levers = list(by_key["f_lever"].options.values())
    assert len(set(levers)) == len(levers)
    assert not any(name.startswith("Développement de") for name in levers)
    assert by_key["f_wave"].name("2") == "Vague 2"
    assert by_key["f_kind"].name("ept") == "Établissement public territorial"
    assert by_key["f_departement"].name("59") == "59"
    assert set(by_key["f_lever"].options) == set(dataset.levers["id"])
    assert english["f_kind"].name("commune") == "Municipality"


def test_suggested_and_inferred_links_say_so(loaded):
    text = text_of(loaded, "est-ensemble", "fr")
    by_lever = {lever.title.split(" · ", 1)[1]: lever for lever in text.levers}
    buying = by_lever["Développement des achats socialement et écologiquement responsables"]
    assert buying.title.startswith("◐ suggéré par une règle · ")
    basis = buying.paragraphs[0]
    # two rules suggest it; each is named, and the study's page is cited
    assert "« Alimentation durable et circuits courts → Développement des achats" in basis
    assert "« Insertion et inclusion par l'emploi → Développement des achats" in basis
    assert "[étude Avise](https://www.avise.org/ressources/urban-regions-social-" in basis
    awareness = next(lever for lever in text.levers if lever.title.startswith("○"))
    assert awareness.title.startswith("○ déduit du label · Animation")
    assert "repose sur le label seul" in awareness.paragraphs[0]
    english = text_of(loaded, "est-ensemble", "en")
    assert any(lever.title.startswith("◐ suggested by a rule · ") for lever in english.levers)


def test_lever_page_of_a_lever_no_territory_documents(loaded):
    dataset, placed = loaded
    page = lever_page(dataset, placed, "achats-responsables")
    assert not page.documented
    assert len(page.users) == 9 and {u["basis"] for u in page.users} == {"suggested"}
    text = lever_page_text(page, dataset, "fr")
    assert text.note.startswith("Aucun territoire labellisé ne documente sa commande publique")
    assert "**Outils** : " in text.study and "[source](https://www.avise.org/" in text.study
    # none uses it: the nine are suggested by a rule, in their own section
    assert text.users == [] and len(text.suggested) == 9 and text.inferred == []
    assert text.users_title == "**Territoires qui l'utilisent (documenté)**"
    assert text.suggested_title == "**◐ Suggéré par une règle**"
    assert text.suggested[0].startswith(
        "- **Aix-Marseille-Provence** — ◐ suggéré par une règle : Suggéré par"
    )
    assert basis_counts_text(page, "fr") == (
        "9 territoire(s) affiché(s), liés au levier choisi : ● utilisé (documenté) : 0 · "
        "◐ suggéré par une règle : 9 · ○ déduit du label : 0. Sa page est sous la carte."
    )
    assert territory_metric(page, 9, 27, "fr") == ("Utilisent ce levier (documenté)", "0 / 27")
    housing = lever_page_text(lever_page(dataset, placed, "habitat-durable"), dataset, "en")
    assert housing.users == housing.suggested == housing.inferred == []
    assert housing.note.startswith("No labelled territory documents sustainable housing")


def test_lever_page_lists_documented_links_first(loaded):
    dataset, placed = loaded
    page = lever_page(dataset, placed, "foncier-tiers-lieux")
    assert page.documented
    bases = [user["basis"] for user in page.users]
    assert bases == sorted(bases, key=["stated", "suggested", "inferred"].index)
    assert lever_page_text(page, dataset, "fr").note == ""
    shown = placed[placed["id"].isin(["roubaix", "mayotte"])]
    names = [u["name"] for u in lever_page(dataset, shown, "foncier-tiers-lieux").users]
    assert names == ["Roubaix", "Mayotte"]  # Roubaix documented, Mayotte suggested


def test_similar_territories_say_what_they_share(loaded):
    dataset, placed = loaded
    index = SimilarityIndex(dataset, seat_points(placed, load_gazetteer()))
    entries = similar_texts(index.ranked("roubaix"), dataset, "fr")
    assert [e.name for e in entries[:3]] == [
        "Vallée de la Marne",
        "Strasbourg Eurométropole",
        "Toulouse Métropole",
    ]
    assert entries[1].shared == (
        "leviers : Animation de la dynamique locale et sensibilisation à l'ESS et à l'innovation "
        "sociale (● utilisé (documenté)), Économie circulaire (● utilisé (documenté)) ; "
        "thématiques : Économie circulaire et zéro déchet — 405 km entre les sièges"
    )
    english = similar_texts(index.ranked("territoire-olympique-2024"), dataset, "en")
    assert english[0].shared.endswith("same kind (Project area) — distance unknown")


def test_about_explains_the_bases_the_rules_and_the_ranking(loaded):
    dataset, _ = loaded
    text = about_links_text(dataset, "fr")
    assert "● **utilisé (documenté)**" in text and "◐ **suggéré par une règle**" in text
    assert "○ **déduit du label**" in text
    assert "montrés à part, repliés" in text  # why inferred links are shown apart
    for rule in dataset.rules.itertuples():
        assert rule.rationale_fr in text
    assert "un levier ou domaine partagé 3 si les deux liens sont documentés, 2" in text
    assert "Similar territories" in about_links_text(dataset, "en")


def test_region_table_ranks_on_the_compared_series_only(loaded):
    dataset, placed = loaded
    table = region_table(dataset, region_summary(dataset, placed), "fr")
    share = "Part de l'ESS dans l'emploi salarié en 2014"
    missing = "pas de chiffre comparable publié"
    known = table[table[share] != missing]
    # INSEE 2014 (regions.csv): Bretagne 14.3, PdL 13.1, Occitanie 12.1, HdF 11.2, [La Réunion
    # 11.1: no territory], PACA 10.0, Île-de-France 7.1; written by Babel, French decimal comma
    assert known["Région"].tolist() == [
        "Bretagne",
        "Pays de la Loire",
        "Occitanie",
        "Hauts-de-France",
        "Provence-Alpes-Côte d'Azur",
        "Île-de-France",
    ]
    assert known[share].tolist() == [
        "14,3\xa0%",
        "13,1\xa0%",
        "12,1\xa0%",
        "11,2\xa0%",
        "10\xa0%",
        "7,1\xa0%",
    ]
    assert known["Rang (chiffre comparable)"].tolist() == ["1", "2", "3", "4", "6", "7"]
    assert known["Autre chiffre ESS (contexte)"].iloc[0] == "14,5\xa0% des emplois salariés (2021)"
    others = table[table[share] == missing]
    assert len(others) == len(table) - 6  # said in words, never zero, after the ranked ones
    assert set(others["Rang (chiffre comparable)"]) == {"—"}
    assert table.index.get_loc(others.index[0]) == 6
    grand_est = table[table["Région"] == "Grand Est"].iloc[0]
    assert grand_est["Autre chiffre ESS (contexte)"] == "11,5\xa0% de l'emploi (2020)"
    english = region_table(dataset, region_summary(dataset, placed), "en")
    assert english["SSE share of salaried jobs in 2014"].iloc[0] == "14.3%"
    cells = [str(cell) for cell in table.drop(columns=["CRESS"]).to_numpy().ravel()]
    assert [cell for cell in cells if re.search(r"\d\.\d", cell)] == []
    population = table.loc[table["Région"] == "Hauts-de-France", "Population"].iloc[0]
    assert population == "5\u202f995\u202f292"  # French number forms everywhere, by Babel


def test_basis_toggle_of_the_lever_filter():
    toggle = basis_filter("fr")
    assert toggle.key == WIDGET_KEYS["basis"]
    assert toggle.name("") == "Avec les suggestions"
    assert toggle.name("stated") == "Documentés seulement"
