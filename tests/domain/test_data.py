"""Invariants of the curated CSVs in data/, and the loader's errors on broken rows."""

from __future__ import annotations

import csv
import re
import shutil
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import pytest

from geo.config import ROOT
from geo.domain.data import LINK_BASES, load_dataset, split_list
from geo.domain.errors import DataValidationError
from geo.domain.views import ViewState, filter_territories
from geo.geocoding.gazetteer import departement_regions
from geo.geocoding.paths import DATA_DIR

# The specification (CONVENTIONS): the 27 French Impact territories, by wave.
WAVE_1 = {
    "aix-marseille-provence",
    "clermont-ferrand",
    "est-ensemble",
    "figeac",
    "le-mans-sarthe",
    "lyon-metropole",
    "mayotte",
    "montreuillois",
    "nantes-metropole",
    "pays-de-grasse",
    "region-bretagne",
    "region-normandie",
    "region-nouvelle-aquitaine",
    "roissy-pays-de-france",
    "roubaix",
    "strasbourg-eurometropole",
    "territoire-ledonien-cluster-jura",
    "territoire-olympique-2024",
    "valence-romans",
    "vallee-de-la-marne",
}
WAVE_2 = {
    "toulouse-metropole",
    "grand-narbonne",
    "occitanie-est",
    "grenoble-alpes-metropole",
    "grand-chambery",
    "genevois-innovales",
    "grand-poitiers",
}
REGIONS = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}
LEVERS = {
    "accompagnement-financement",
    "soutien-direct",
    "cooperation-territoriale",
    "foncier-tiers-lieux",
    "rd-sociale",
    "achats-responsables",
    "animation-sensibilisation",
}
THEMATIC_AREAS = {
    "economie-circulaire",
    "alimentation-durable",
    "habitat-durable",
    "numerique-responsable",
}
WAVE_2_LABEL_DATE = (
    "2019-12-20"  # 123savoie.com: Grand Chambéry "aux côtés de 6 autres territoires"
)
STUDY_PAGE = "https://www.avise.org/ressources/urban-regions-social-and-solidarity-economy-and-social-innovation"
MIRROR_HOSTS = ("kiwix", "frwiki.wiki", "wikiwand")
UNRELATED_REPUBLISHERS = ("allinoneoffers",)
DOCUMENT_COPY_HOSTS = ("docslib.org", "readkong.com", "studylibfr.com", "fdocuments.fr")
CDN_HOSTS = ("unpkg.com", "cdn.jsdelivr.net", "cdnjs.cloudflare.com")
INSEE_FLASH_2014 = "https://www.insee.fr/fr/statistiques/2417055"
MARTINIQUE_SHARE_PAGE = "https://avise.org/actualites/premiere-conference-territoriale-pour-less"
# The facts audit of December 2026 (docs/facts-review.md): each link it could not check or found
# partly supported, with what it became (its basis, and the source it cites now).
AUDITED_LINKS = [
    ("pays-de-grasse", "foncier-tiers-lieux", "stated", "scictetrisgrasse.wordpress.com"),
    ("pays-de-grasse", "numerique-responsable", "stated", "scictetrisgrasse.wordpress.com"),
    ("pays-de-grasse", "cooperation-territoriale", "stated", "scictetrisgrasse.wordpress.com"),
    ("strasbourg-eurometropole", "economie-circulaire", "stated", "le-frenchimpact.fr"),
    ("strasbourg-eurometropole", "animation-sensibilisation", "stated", "le-frenchimpact.fr"),
    ("strasbourg-eurometropole", "co-construction", "stated", "le-frenchimpact.fr"),
    ("roubaix", "economie-circulaire", "stated", "www.ville-roubaix.fr"),
    ("roubaix", "animation-sensibilisation", "stated", "www.mediacites.fr"),
    ("vallee-de-la-marne", "alimentation-durable", "stated", "rtes.fr"),
    ("vallee-de-la-marne", "cooperation-territoriale", "stated", "rtes.fr"),
    ("lyon-metropole", "animation-sensibilisation", "stated", "setup.aderly.fr"),
    ("region-nouvelle-aquitaine", "foncier-tiers-lieux", "suggested", "mecanicvallee.com"),
    ("region-nouvelle-aquitaine", "articulation-territoriale", "inferred", "mecanicvallee.com"),
    ("toulouse-metropole", "evaluation", "stated", "www.avise.org"),
]
COG_PAGE = "https://www.insee.fr/fr/metadonnees/source/serie/s2084"
RECMA_PAGE = "http://www.recma.org/actualite/apres-les-entreprises-les-territoires-french-impact"
ENVIRONNEMENT_MAGAZINE = (
    "https://www.environnement-magazine.fr/territoires/article/2019/02/04/122820/"
    "roubaix-lance-appel-projets-pour-une-maison-economie-circulaire"
)
HTTP_URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+\S*$")


def all_urls(dataset) -> list[str]:
    territories, regions = dataset.territories, dataset.regions
    cells = [
        *territories["sources"],
        *territories["website"],
        *dataset.links["source"],
        *dataset.levers["source"],
        *dataset.rules["source"],
        *regions["sources"],
        *regions["sse_compared_source"],
        *regions["sse_source"],
        *regions["cress_website"],
    ]
    return [url for cell in cells for url in split_list(cell)]


# --- invariants of the shipped data -------------------------------------------------------------


def test_the_27_territories_have_exactly_the_agreed_ids_and_waves(dataset):
    territories = dataset.territories
    assert len(territories) == 27
    assert territories["id"].is_unique
    assert set(territories.loc[territories["wave"] == "1", "id"]) == WAVE_1
    assert set(territories.loc[territories["wave"] == "2", "id"]) == WAVE_2


def test_the_18_regions_with_their_insee_codes_as_strings(dataset):
    regions = dataset.regions
    assert len(regions) == 18
    assert dict(zip(regions["code"], regions["name"], strict=True)) == REGIONS


def test_the_seven_levers_and_four_thematic_areas_of_the_study(dataset):
    levers = dataset.levers
    assert levers["id"].is_unique
    assert set(levers.loc[levers["kind"] == "lever", "id"]) == LEVERS
    assert set(levers.loc[levers["kind"] == "theme", "id"]) == THEMATIC_AREAS
    assert set(levers["kind"]) <= {"lever", "theme", "framework"}


@pytest.mark.parametrize("tid", sorted(WAVE_1 | WAVE_2))
def test_every_territory_has_a_source_url_and_a_lever_link(dataset, tid):
    row = dataset.territories.set_index("id").loc[tid]
    sources = split_list(row["sources"])
    assert sources, f"{tid} has no source"
    assert all(HTTP_URL.match(url) for url in sources), sources
    assert (dataset.links["territory_id"] == tid).any(), f"{tid} has no lever link"


def test_every_link_points_to_existing_rows(dataset):
    links = dataset.links
    assert set(links["territory_id"]) <= set(dataset.territories["id"])
    assert set(links["lever_id"]) <= set(dataset.levers["id"])
    assert not links.duplicated(["territory_id", "lever_id"]).any()
    assert all(HTTP_URL.match(url) for url in links["source"])


def test_every_territory_theme_is_a_theme_of_themes_csv(dataset):
    known = set(dataset.themes["id"])
    used = {t for cell in dataset.territories["themes"] for t in split_list(cell)}
    assert used <= known


@pytest.mark.parametrize(
    "region, expected",
    [
        ("32", {"roubaix", "montreuillois"}),
        ("76", {"figeac", "toulouse-metropole", "grand-narbonne", "occitanie-est"}),
        ("06", {"mayotte"}),
        ("53", {"region-bretagne"}),
    ],
)
def test_territories_of_a_region(dataset, region, expected):
    territories = dataset.territories
    assert set(territories.loc[territories["region_code"] == region, "id"]) == expected


def test_departements_belong_to_the_territory_region(dataset):
    regions_of = departement_regions()
    for row in dataset.territories.itertuples():
        for code in split_list(row.departement_codes):
            assert regions_of[code] == row.region_code, (row.id, code)


def test_entity_and_seat_codes_exist_in_the_gazetteer(dataset, geocoder):
    gaz = geocoder.gazetteer
    for row in dataset.territories.itertuples():
        if row.entity_code:
            assert gaz.find_code(row.entity_code, row.kind) is not None, row.id
        if row.seat_code:
            index = gaz.find_code(row.seat_code, "commune")
            assert index is not None, row.id
            assert gaz.departements[index] in split_list(row.departement_codes), row.id


def test_no_url_points_to_a_wikipedia_mirror(dataset):
    urls = all_urls(dataset)
    assert len(urls) > 50
    assert [u for u in urls if any(host in urlparse(u).netloc for host in MIRROR_HOSTS)] == []


def test_no_url_points_to_a_document_copy_site(dataset):
    urls = all_urls(dataset)
    assert [u for u in urls if any(h in urlparse(u).netloc for h in DOCUMENT_COPY_HOSTS)] == []


@pytest.mark.parametrize(("territory", "lever", "basis", "host"), AUDITED_LINKS)
def test_audited_links_cite_a_url_and_carry_their_basis(dataset, territory, lever, basis, host):
    links = dataset.links.set_index(["territory_id", "lever_id"])
    link = links.loc[(territory, lever)]
    assert link["basis"] == basis
    (url,) = split_list(link["source"])
    assert HTTP_URL.match(url) and urlparse(url).netloc == host
    assert "demainlaville.com" not in url  # the one page no other copy was found of
    if basis == "stated":
        assert not link["rationale_en"].startswith(("Inferred", "Suggested"))
    else:  # a downgraded link says what it rests on in its own words
        assert link["rationale_en"].startswith(
            {"inferred": "Inferred", "suggested": "Suggested"}[basis]
        )


def test_partly_supported_links_say_what_the_source_does_not(dataset):
    links = dataset.links.set_index(["territory_id", "lever_id"])
    toulouse = links.loc[("toulouse-metropole", "evaluation"), "rationale_en"]
    assert "social-impact evaluation" in toulouse and "no evaluation of its SSE policy" in toulouse
    lyon = links.loc[("lyon-metropole", "animation-sensibilisation"), "rationale_en"]
    assert "raises firms' awareness" in lyon and "two other services" in lyon
    articulation = dataset.levers.set_index("id").loc["articulation-territoriale"]
    assert "Nouvelle-Aquitaine" in articulation["no_territory_note_en"]


def test_datasets_are_cited_by_their_publisher_not_a_cdn(dataset):
    urls = all_urls(dataset)
    assert [u for u in urls if urlparse(u).netloc in CDN_HOSTS] == []
    for source_md in DATA_DIR.rglob("SOURCE.md"):
        text = source_md.read_text(encoding="utf-8")
        assert not any(host in text for host in CDN_HOSTS), source_md
    cited = {u for cell in dataset.territories["sources"] for u in split_list(cell)}
    assert {"https://github.com/etalab/decoupage-administratif", COG_PAGE} <= cited


def test_perimeters_reconsidered_with_their_sources(dataset):
    territories = dataset.territories.set_index("id")
    genevois = territories.loc["genevois-innovales"]
    assert "Grand Genève Mont-Blanc" in genevois["note"] and "Genevois français" in genevois["note"]
    assert "https://alveole.fr/rencontre-inter-ptce-rhone-alpes" in split_list(genevois["sources"])
    le_mans = territories.loc["le-mans-sarthe"]
    assert RECMA_PAGE in split_list(le_mans["sources"])
    # Recma counts one département among the 20, but names none: the kind stays "area"
    assert "un département" in le_mans["note"] and le_mans["kind"] == "area"
    roubaix = territories.loc["roubaix"]
    assert ENVIRONNEMENT_MAGAZINE in split_list(roubaix["sources"])
    assert "4 février 2019" in roubaix["note"]


def test_every_link_has_a_basis_and_stated_ones_cite_a_source(dataset):
    links = dataset.links
    assert set(links["basis"]) == set(LINK_BASES)
    stated = links[links["basis"] == "stated"]
    assert all(
        split_list(cell) and all(HTTP_URL.match(u) for u in split_list(cell))
        for cell in stated["source"]
    )


def test_links_resting_on_the_label_alone_are_inferred(dataset):
    """A rationale that says the link rests on the label cannot claim a documented practice, and an
    inferred link says so in words."""
    on_label = r"rests (?:only )?on the label|^Inferred from the label"
    says_label = dataset.links["rationale_en"].str.contains(on_label)
    assert says_label.sum() >= 9
    assert (says_label == (dataset.links["basis"] == "inferred")).all()


def test_suggested_links_name_rules_that_cite_the_study(dataset):
    rules = dataset.rules.set_index("id")
    suggested = dataset.links[dataset.links["basis"] == "suggested"]
    assert not suggested.empty
    for link in suggested.itertuples():
        names = split_list(link.rule_id)
        assert names and set(names) <= set(rules.index), link
        assert {rules.loc[n, "lever_id"] for n in names} == {link.lever_id}
    assert all(split_list(cell)[0] == STUDY_PAGE for cell in rules["source"])
    assert (dataset.links.loc[dataset.links["basis"] != "suggested", "rule_id"] == "").all()


def test_every_lever_and_area_reaches_a_territory_or_says_why_not(dataset):
    linked = set(dataset.links["lever_id"])
    stated = set(dataset.links.loc[dataset.links["basis"] == "stated", "lever_id"])
    for lever in dataset.levers.itertuples():
        explained = bool(lever.no_territory_note_fr and lever.no_territory_note_en)
        assert lever.id in linked or explained, lever.id
        assert lever.id in stated or explained, lever.id


def test_readme_lever_examples_show_territories_or_the_explanation(dataset):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    examples = set(re.findall(r"\?lever=([a-z-]+)", readme))
    assert "achats-responsables" in examples
    levers = dataset.levers.set_index("id")
    for lever in examples:
        shown = filter_territories(dataset.territories, dataset.links, ViewState(levers=(lever,)))
        assert not shown.empty or levers.loc[lever, "no_territory_note_fr"], lever
    purchasing = dataset.links[dataset.links["lever_id"] == "achats-responsables"]
    assert set(purchasing["basis"]) == {"suggested"}
    assert levers.loc["achats-responsables", "no_territory_note_en"]


def test_the_compared_regional_figure_is_one_series(dataset):
    regions = dataset.regions
    filled = regions[regions["sse_compared_share_pct"] != ""]
    assert len(filled) == 7
    assert set(filled["sse_compared_year"]) == {"2014"}
    assert set(filled["sse_compared_basis"]) == {"salaried_jobs"}
    assert all(HTTP_URL.match(u) for u in filled["sse_compared_source"])
    empty = regions[regions["sse_compared_share_pct"] == ""]
    assert (
        (empty[["sse_compared_year", "sse_compared_basis", "sse_compared_source"]] == "")
        .all()
        .all()
    )
    shares = dict(zip(filled["code"], filled["sse_compared_share_pct"].astype(float), strict=True))
    # Insee Flash Hauts-de-France n° 10 (Nov. 2016), 2014: the région and five others it names
    assert shares == {
        "32": 11.2,
        "53": 14.3,
        "52": 13.1,
        "76": 12.1,
        "11": 7.1,
        "93": 10.0,
        "04": 11.1,  # CRESS de La Réunion from INSEE data, end 2014 (zinfos974)
    }
    sources = dict(zip(filled["code"], filled["sse_compared_source"], strict=True))
    assert {sources[code] for code in ("32", "53", "52", "76", "11", "93")} == {INSEE_FLASH_2014}


def test_the_compared_series_covers_more_regions_than_any_context_series(dataset):
    """No other year-and-basis pair in the context columns covers as many régions: the reason
    this series is the one shown first and ranked."""
    regions = dataset.regions
    compared = (regions["sse_compared_share_pct"] != "").sum()
    dated = regions[(regions["sse_share_pct"] != "") & (regions["sse_year"] != "")]
    widest = dated.groupby(["sse_year", "sse_share_basis"]).size().max()
    assert compared > widest


def test_context_figures_have_the_years_their_sources_give(dataset):
    regions = dataset.regions.set_index("code")
    assert regions.loc["06", "sse_year"] == "2016"  # IEDOM: "selon le panorama de 2016 de la CRESS"
    assert regions.loc["44", "sse_year"] == "2020"  # UDES: "Édition 2020 de l'Atlas commenté"
    martinique = regions.loc["02"]
    assert "cress-aura.org" not in martinique["sources"]  # only says a CRES exists there
    assert martinique["cress_name"] == ""  # no stored public page names it, but copies
    assert MARTINIQUE_SHARE_PAGE in split_list(martinique["sources"])


def test_second_wave_label_date_and_corrected_perimeters(dataset):
    territories = dataset.territories.set_index("id")
    assert set(territories.loc[sorted(WAVE_2), "label_date"]) == {WAVE_2_LABEL_DATE}
    assert set(split_list(territories.loc["figeac", "departement_codes"])) == {"12", "46"}
    assert "Pays Rochois" in territories.loc["genevois-innovales", "note"]
    assert territories.loc["roissy-pays-de-france", "challenges"] == ""
    roubaix_land = dataset.links.set_index(["territory_id", "lever_id"]).loc[
        ("roubaix", "foncier-tiers-lieux")
    ]
    assert "since the label" not in roubaix_land["rationale_en"].lower()
    assert "2016" in roubaix_land["rationale_en"]


def test_no_source_is_an_unrelated_republisher(dataset):
    urls = all_urls(dataset)
    assert [u for u in urls if any(h in urlparse(u).netloc for h in UNRELATED_REPUBLISHERS)] == []
    assert all(split_list(cell)[0] == STUDY_PAGE for cell in dataset.levers["source"])


# --- the loader's errors on broken files --------------------------------------------------------


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A writable copy of the curated CSVs (the gazetteer stays the shipped one)."""
    for path in DATA_DIR.glob("*.csv"):
        shutil.copy(path, tmp_path / path.name)
    load_dataset(tmp_path)  # the copy itself is valid
    return tmp_path


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def line_of(rows: list[dict[str, str]], key: str, value: str) -> int:
    """The spreadsheet line (header on line 1) of the first row with rows[key] == value."""
    return next(i for i, row in enumerate(rows) if row[key] == value) + 2


Edit = Callable[[Path], tuple[str, int | None]]


def set_cell(name: str, tid: str, column: str, value: str) -> Edit:
    def edit(directory: Path) -> tuple[str, int | None]:
        fields, rows = read_rows(directory / name)
        line = line_of(rows, "id", tid)
        rows[line - 2][column] = value
        write_rows(directory / name, fields, rows)
        return name, line

    return edit


def duplicate_territory(directory: Path):
    fields, rows = read_rows(directory / "territories.csv")
    rows.append(dict(rows[3]))
    write_rows(directory / "territories.csv", fields, rows)
    return "territories.csv", len(rows) + 1


def unknown_lever_in_link(directory: Path):
    fields, rows = read_rows(directory / "territory_levers.csv")
    line = line_of(rows, "territory_id", "roubaix")
    rows[line - 2]["lever_id"] = "levier-inconnu"
    write_rows(directory / "territory_levers.csv", fields, rows)
    return "territory_levers.csv", line


def unlink_territory(directory: Path):
    fields, rows = read_rows(directory / "territory_levers.csv")
    write_rows(
        directory / "territory_levers.csv",
        fields,
        [r for r in rows if r["territory_id"] != "figeac"],
    )
    _, territories = read_rows(directory / "territories.csv")
    return "territories.csv", line_of(territories, "id", "figeac")


def drop_column(directory: Path):
    fields, rows = read_rows(directory / "territories.csv")
    fields.remove("sources")
    for row in rows:
        del row["sources"]
    write_rows(directory / "territories.csv", fields, rows)
    return "territories.csv", None


def set_link(tid: str, lever: str, column: str, value: str) -> Edit:
    def edit(directory: Path) -> tuple[str, int | None]:
        fields, rows = read_rows(directory / "territory_levers.csv")
        index = next(
            i for i, r in enumerate(rows) if r["territory_id"] == tid and r["lever_id"] == lever
        )
        rows[index][column] = value
        write_rows(directory / "territory_levers.csv", fields, rows)
        return "territory_levers.csv", index + 2

    return edit


def drop_suggestion(directory: Path):
    fields, rows = read_rows(directory / "territory_levers.csv")
    kept = [
        r
        for r in rows
        if not (r["territory_id"] == "mayotte" and r["lever_id"] == "achats-responsables")
    ]
    write_rows(directory / "territory_levers.csv", fields, kept)
    _, rules = read_rows(directory / "lever_rules.csv")
    return "lever_rules.csv", line_of(rules, "id", "alimentation-restauration-collective")


def mix_compared_years(directory: Path):
    fields, rows = read_rows(directory / "regions.csv")
    rows[line_of(rows, "code", "11") - 2]["sse_compared_year"] = "2022"
    write_rows(directory / "regions.csv", fields, rows)
    return "regions.csv", None


def remove_file(directory: Path):
    (directory / "regions.csv").unlink()
    return "regions.csv", None


@pytest.mark.parametrize(
    "edit, problem",
    [
        (duplicate_territory, "duplicate id 'figeac'"),
        (unknown_lever_in_link, "lever_id 'levier-inconnu' is not in levers.csv"),
        (
            set_cell("territories.csv", "roubaix", "departement_codes", "13"),
            "département 13 belongs to region 93, not to region_code 32",
        ),
        (
            set_cell("territories.csv", "figeac", "region_code", "99"),
            "region_code '99' is not in regions.csv",
        ),
        (
            set_cell("territories.csv", "grand-poitiers", "sources", ""),
            "sources needs at least one source URL",
        ),
        (set_cell("territories.csv", "mayotte", "wave", "3"), "wave must be 1 or 2, not '3'"),
        (
            set_cell("territories.csv", "roubaix", "label_date", "25/02/2019"),
            "label_date '25/02/2019' is not an ISO date",
        ),
        (
            set_cell("territories.csv", "roubaix", "themes", "employment_inclusion;pas-un-theme"),
            "theme 'pas-un-theme' is not an id of themes.csv",
        ),
        (
            set_cell("territories.csv", "figeac", "sources", "www.figeac.fr"),
            "'www.figeac.fr' is not an http(s) URL",
        ),
        (unlink_territory, "no link to a lever or thematic area"),
        (
            set_link("roubaix", "economie-circulaire", "basis", "documented"),
            "basis 'documented' is not one of stated, suggested, inferred",
        ),
        (
            set_link("roubaix", "economie-circulaire", "source", ""),
            "source needs at least one source URL",
        ),
        (
            set_link("mayotte", "achats-responsables", "rule_id", ""),
            "a suggested link needs the rule_id",
        ),
        (
            set_link(
                "strasbourg-eurometropole", "achats-responsables", "rule_id", "alimentation-foncier"
            ),
            "suggests 'foncier-tiers-lieux', not this lever",
        ),
        (
            set_link("mayotte", "achats-responsables", "source", "https://example.org/autre"),
            "is not among the territory's own sources",
        ),
        (drop_suggestion, "no link to 'achats-responsables' for mayotte"),
        (
            set_cell("levers.csv", "habitat-durable", "no_territory_note_en", ""),
            "no stated link in territory_levers.csv",
        ),
        (mix_compared_years, "sse_compared_year mixes '2014', '2022'"),
        (drop_column, "missing column(s) sources"),
        (remove_file, "file not found"),
    ],
    ids=[
        "duplicate-id",
        "unknown-lever",
        "departement-outside-region",
        "unknown-region",
        "missing-sources",
        "bad-wave",
        "non-iso-date",
        "unknown-theme",
        "url-without-scheme",
        "territory-without-link",
        "unknown-basis",
        "stated-without-source",
        "suggested-without-rule",
        "rule-for-another-lever",
        "suggestion-citing-a-foreign-source",
        "rule-not-applied",
        "empty-lever-without-note",
        "compared-years-mixed",
        "missing-column",
        "missing-file",
    ],
)
def test_broken_data_is_reported_with_file_line_and_problem(data_copy, edit, problem):
    name, line = edit(data_copy)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data_copy)
    where = f"{name}, line {line}" if line else name
    matching = [p for p in caught.value.problems if p.startswith(where) and problem in p]
    assert matching, caught.value.problems
    assert isinstance(caught.value, ValueError)
    assert problem in str(caught.value)


def test_every_problem_is_reported_at_once(data_copy):
    set_cell("territories.csv", "roubaix", "wave", "9")(data_copy)
    set_cell("territories.csv", "figeac", "label_date", "hier")(data_copy)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data_copy)
    problems = caught.value.problems
    assert len(problems) == 2, problems
    assert any("wave must be 1 or 2" in p and "(roubaix)" in p for p in problems)
    assert any("'hier' is not an ISO date" in p and "(figeac)" in p for p in problems)


def test_territory_without_link_names_its_line(data_copy):
    _, rows = read_rows(data_copy / "territories.csv")
    line = line_of(rows, "id", "figeac")
    unlink_territory(data_copy)
    with pytest.raises(DataValidationError) as caught:
        load_dataset(data_copy)
    assert any(f"line {line}" in p and "figeac" in p for p in caught.value.problems)
