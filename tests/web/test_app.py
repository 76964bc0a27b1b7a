"""The dashboard run headless with streamlit.testing.v1.AppTest: filters, URL, language, cards, lists."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from geo.domain.review import export_table
from geo.domain.territories import default_geocoder, load_placed
from geo.geocoding.batch import GEO_COLUMNS, geocode_table
from geo.geocoding.columns import PlaceColumns

APP = str(Path(__file__).resolve().parents[2] / "dashboard.py")
HOSTILE = "<img src=x onerror=alert(1)>"


def run_app(**params: str) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        app.query_params[key] = value
    return app.run()


def shown_count(app: AppTest) -> int:
    """Territories shown, from the first metric ("n / 27")."""
    return int(app.metric[0].value.split("/")[0])


def table_names(app: AppTest) -> list[str]:
    return app.dataframe[0].value.iloc[:, 0].tolist()


@pytest.fixture(scope="module")
def home() -> AppTest:
    return run_app()


def test_only_the_open_tab_runs(home):
    assert len(home.file_uploader) == 0
    assert len(open_tab(run_app(), "Ma liste").file_uploader) == 1


def test_home_shows_the_27_territories_in_french(home):
    assert not home.exception
    assert shown_count(home) == 27
    assert len(table_names(home)) == 27
    assert home.title[0].value == "Carte ESS — Territoires French Impact"
    assert "Cliquez sur un marqueur" in home.info[0].value


@pytest.mark.parametrize(
    "region, expected",
    [
        ("32", {"Roubaix", "Montreuillois"}),
        ("76", {"Figeac", "Toulouse Métropole", "Grand Narbonne", "Occitanie Est"}),
        ("06", {"Mayotte"}),
    ],
)
def test_region_query_parameter_filters(region, expected):
    app = run_app(region=region)
    assert set(table_names(app)) == expected
    assert app.multiselect(key="f_region").value == [region]


def test_several_regions_at_once():
    app = run_app(region="32,76")
    assert shown_count(app) == 6


def test_lever_query_parameter_keeps_only_linked_territories():
    app = run_app(lever="alimentation-durable")
    names = set(table_names(app))
    assert {"Clermont-Ferrand", "Est Ensemble"} <= names
    assert "Roubaix" not in names
    assert 0 < len(names) < 27


def test_territory_query_parameter_opens_its_card():
    app = run_app(territory="roubaix")
    assert app.main.header[0].value == "Roubaix"
    text = "\n".join(m.value for m in app.markdown)
    assert "Hauts-de-France" in text
    assert "Montreuillois" in text  # the other labelled territory of the region
    assert any("Économie circulaire" in e.label for e in app.expander)


def test_a_territory_outside_the_filter_says_so():
    app = run_app(region="76", territory="roubaix")
    assert not app.exception
    assert shown_count(app) == 4
    assert any("Roubaix" in w.value and "hors des filtres" in w.value for w in app.warning)


def test_english_on_request():
    app = run_app(lang="en", territory="mayotte")
    assert app.title[0].value == "SSE map — French Impact territories"
    assert app.sidebar.header[0].value == "Filters"
    assert app.main.header[0].value == "Mayotte"
    assert "Official entity" in "\n".join(m.value for m in app.markdown)


def test_unknown_query_values_are_ignored():
    app = run_app(region="99", territory="atlantis", lang="xx")
    assert not app.exception
    assert shown_count(app) == 27
    assert app.title[0].value.startswith("Carte ESS")


def test_changing_a_filter_updates_the_url():
    app = run_app()
    app.multiselect(key="f_region").set_value(["32"]).run()
    assert app.query_params["region"] == "32"
    assert shown_count(app) == 2
    app.multiselect(key="f_wave").set_value(["2"]).run()
    assert shown_count(app) == 0
    assert app.query_params["wave"] == "2"


def map_component(app: AppTest):
    """The territories' map as the page sent it: streamlit-folium's component element."""

    def walk(node):
        yield node
        for child in (getattr(node, "children", None) or {}).values():
            yield from walk(child)

    return next(
        node.proto
        for node in walk(app._tree)
        if getattr(node, "type", "") == "component_instance"
        and node.proto.component_name == "streamlit_folium.st_folium"
    )


def drawn_ids(component) -> list[str]:
    """The territories the map's dynamic script draws (their ids, in the markers' rows)."""
    script = json.loads(component.json_args)["feature_group"]
    call = "map_div.fiTerritories.update("
    assert script.startswith(call), script[:80]
    return [row[0] for row in json.JSONDecoder().raw_decode(script, len(call))[0]["rows"]]


def test_a_filter_change_keeps_the_map_mounted_and_sends_only_its_markers():
    """Same component key (its id) and base script: the browser keeps its map (no new
    iframe); the markers come in the script it evaluates in place."""
    app = run_app()
    before = map_component(app)
    assert len(drawn_ids(before)) == 27
    app.multiselect(key="f_region").set_value(["32"]).run()
    after = map_component(app)
    assert after.id == before.id
    assert json.loads(after.json_args)["script"] == json.loads(before.json_args)["script"]
    assert sorted(drawn_ids(after)) == ["montreuillois", "roubaix"]
    app.radio(key="f_lang").set_value("en").run()  # another language: another base map
    assert map_component(app).id != before.id


def test_empty_state_and_reset():
    app = run_app(region="32", kind="metropole")
    assert shown_count(app) == 0
    assert "Aucun territoire ne correspond" in app.warning[0].value
    next(b for b in app.button if b.label == "Réinitialiser les filtres").click().run()
    assert shown_count(app) == 27
    assert "region" not in app.query_params


def test_text_search_ignores_accents():
    app = run_app(q="chambery")
    assert table_names(app) == ["Grand Chambéry"]


# --- Bring your own list -------------------------------------------------------------------------


def open_tab(app: AppTest, label: str) -> AppTest:
    """Select a tab as a click does: only the open tab's content runs."""
    app.session_state["tab_fr"] = label
    return app.run()


def upload(app: AppTest, name: str, content: bytes) -> AppTest:
    open_tab(app, "Ma liste")
    app.file_uploader(key="upload").upload(name, content, "application/octet-stream").run()
    return app


def geocode(app: AppTest) -> AppTest:
    next(b for b in app.button if b.label == "Géocoder la liste").click().run()
    return app


def result_table(app: AppTest) -> pd.DataFrame:
    return app.session_state["mylist"][1].table


LIST = "nom;département;catégorie;note\nValence;Drôme;a;x\nLyon;;b;{hostile}\nBlorptown;;c;y\n"


@pytest.mark.parametrize(
    "filename, encoding, separator",
    [
        ("liste.csv", "utf-8", ";"),
        ("liste.csv", "utf-8-sig", ";"),
        ("liste.csv", "cp1252", ";"),
        ("liste.csv", "utf-8", ","),
        ("liste.txt", "cp1252", "\t"),
    ],
)
def test_upload_any_french_csv(filename, encoding, separator):
    text = LIST.format(hostile=HOSTILE).replace(";", separator)
    app = geocode(upload(run_app(), filename, text.encode(encoding)))
    assert not app.exception
    table = result_table(app)
    assert table["nom"].tolist() == ["Valence", "Lyon", "Blorptown"]
    assert table["geo_status"].tolist() == ["resolved", "resolved", "not_found"]
    assert table.loc[0, "geo_departement"] == "26"
    assert table.loc[1, "note"] == HOSTILE  # user data kept as is, escaped only where shown
    summary = [m.value for m in app.markdown if "placée" in m.value]
    assert summary == ["2 placée(s), 0 ambiguë(s), 1 introuvable(s) sur 3 ligne(s)."]


def test_upload_xlsx():
    frame = pd.DataFrame({"Commune": ["Mamoudzou", "Ajaccio"], "Type": ["x", "y"]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    app = geocode(upload(run_app(), "liste.xlsx", buffer.getvalue()))
    table = result_table(app)
    assert table["geo_departement"].tolist() == ["976", "2A"]


@pytest.mark.parametrize(
    "filename, content, message",
    [
        ("vide.csv", b"", "Le fichier est vide"),
        ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "n'est pas du texte"),
        ("faux.xlsx", b"PK\x03\x04 not really a workbook", "classeur Excel"),
        ("bancal.csv", b'nom;x\n"Lyon;1\n', "bien formé"),
    ],
)
def test_bad_files_get_a_clear_message(filename, content, message):
    app = upload(run_app(), filename, content)
    assert not app.exception
    assert message in app.error[0].value
    app.multiselect(key="f_region").set_value(["32"]).run()  # the app keeps working
    assert shown_count(app) == 2


def test_too_big_file_is_refused(monkeypatch):
    monkeypatch.setattr("geo.geocoding.readers.MAX_UPLOAD_BYTES", 100)
    app = upload(run_app(), "gros.csv", b"nom\n" + b"Lyon\n" * 50)
    assert "la limite est de" in app.error[0].value


def test_too_long_cells_are_reported_and_kept():
    content = ("nom\nLyon\n" + "A" * 5000 + "\nNantes\n").encode()
    app = geocode(upload(run_app(), "long.csv", content))
    table = result_table(app)
    assert table["geo_status"].tolist() == ["resolved", "not_found", "resolved"]
    assert any("nom de lieu de plus de 500 caractères" in w.value for w in app.warning)
    english = geocode_table(
        pd.DataFrame({"nom": ["A" * 501]}), default_geocoder(), PlaceColumns(name="nom"), lang="en"
    )
    assert english.warnings == [
        "1 row(s) have a place name over 500 characters and were not geocoded (rows 1); "
        "shorten those cells."
    ]


def review_row(app: AppTest, position: int) -> AppTest:
    app.selectbox(key="review_row").set_value(position).run()
    return app


def test_ambiguous_row_resolved_by_picking_one_of_its_own_candidates():
    app = geocode(upload(run_app(), "amb.csv", b"nom;note\nSaint-Denis;a\nLyon;\nBeaulieu;c\n"))
    assert result_table(app)["geo_status"].tolist() == ["ambiguous", "resolved", "ambiguous"]
    # The row picker offers the rows to check first; each row offers its own candidates only.
    assert app.selectbox(key="review_row").options[:2] == [
        "1 · Saint-Denis · ambiguë : choisir",
        "3 · Beaulieu · ambiguë : choisir",
    ]
    review_row(app, 0)
    options = app.selectbox(key="review_pick_0").options
    assert any("(974)" in option for option in options)
    assert not any("Beaulieu" in option for option in options)
    reunion = next(option for option in options if "(974)" in option)
    app.selectbox(key="review_pick_0").set_value(reunion).run()
    next(b for b in app.button if b.label == "Appliquer à cette ligne").click().run()
    table = result_table(app)
    assert table.loc[0, ["nom", "geo_status", "geo_departement"]].tolist() == [
        "Saint-Denis",
        "resolved",
        "974",
    ]
    assert table.loc[2, "geo_status"] == "ambiguous"  # the other rows keep their answer


def test_a_corrected_name_never_overwrites_the_input():
    app = geocode(upload(run_app(), "typo.csv", b"nom;note\nBlorptown;x\nLyon;\n"))
    review_row(app, 0)
    app.text_input(key="review_name_0").set_value("Nantes").run()
    next(b for b in app.button if b.label == "Appliquer à cette ligne").click().run()
    result = app.session_state["mylist"][1]
    assert result.table.loc[0, ["nom", "geo_label"]].tolist() == ["Blorptown", "Nantes"]
    exported = export_table(result)
    assert exported.columns.tolist() == ["nom", "note", *GEO_COLUMNS, "geo_correction"]
    assert exported["geo_correction"].tolist() == ["Nantes", ""]
    assert exported["note"].tolist() == ["x", ""]


def test_the_review_shows_whole_rows_empty_cells_empty_and_why():
    app = geocode(upload(run_app(), "revue.csv", b"nom;note;autre\nSaint-Denis;;z\nLyon;b;\n"))
    shown = app.dataframe[-1].value
    assert {"nom", "note", "autre"} <= set(shown.columns)
    assert "None" not in shown.astype(str).to_numpy().ravel().tolist()
    assert (
        shown.loc[shown["nom"] == "Saint-Denis", "geo_note"]
        .iloc[0]
        .startswith("4 lieux portent ce nom")
    )
    assert len(shown) == 1  # "rows to check" view first: only the ambiguous row
    app.toggle(key="review_only").set_value(False).run()
    assert len(app.dataframe[-1].value) == 2


def test_the_list_survives_tab_changes_language_and_filters():
    content = (
        "Nom de la structure;Commune;Code postal;Secteur\r\nA;ST DENIS;93200;x\r\nB;Ville?;;y\r\n"
    )
    app = geocode(upload(run_app(), "export.csv", content.encode("cp1252")))
    assert app.selectbox(key="up_postcode").value == "Code postal"  # detected
    app.selectbox(key="up_cat").set_value("Secteur").run()
    review_row(app, 1)
    app.text_input(key="review_name_1").set_value("Nantes").run()
    next(b for b in app.button if b.label == "Appliquer à cette ligne").click().run()
    open_tab(app, "Tableau")
    assert len(app.file_uploader) == 0
    open_tab(app, "Ma liste")
    app.multiselect(key="f_region").set_value(["32"]).run()
    app.session_state["f_lang"] = "en"
    app.run()
    app.session_state["tab_en"] = "My list"
    app.run()
    assert not app.exception
    assert app.selectbox(key="up_cat").value == "Secteur"
    assert app.selectbox(key="up_postcode").value == "Code postal"
    summary = [m.value for m in app.markdown if "placed" in m.value]
    assert summary == ["2 placed, 0 ambiguous, 0 not found, of 2 row(s)."]
    result = app.session_state["mylist"][1]
    assert result.corrections == {1: "Nantes"}
    assert result.table["geo_code"].tolist() == ["93066", "44109"]


def test_review_choices_not_applied_yet_survive_a_tab_change():
    app = geocode(upload(run_app(), "amb.csv", b"nom;note\nSaint-Denis;a\nLyon;\nBeaulieu;c\n"))
    app.toggle(key="review_only").set_value(False).run()
    review_row(app, 1)
    app.text_input(key="review_name_1").set_value("Lyon 3e").run()  # typed, not applied
    open_tab(app, "Tableau")
    open_tab(app, "Ma liste")
    assert not app.exception
    assert app.toggle(key="review_only").value is False
    assert app.selectbox(key="review_row").value == 1
    assert app.text_input(key="review_name_1").value == "Lyon 3e"
    assert app.session_state["mylist"][1].corrections == {}  # still not applied
    # Another file starts its review afresh: nothing typed for the old one carries over.
    app.file_uploader(key="upload").upload("autre.csv", b"nom\nSaint-Denis\nLyon\n", "text/csv")
    geocode(app.run())
    review_row(app, 1)
    assert app.text_input(key="review_name_1").value == ""


def test_a_header_without_rows_says_so():
    app = upload(run_app(), "entete.csv", b"Commune;Code postal\r\n")
    assert "aucune ligne de données" in app.error[0].value


def test_ten_thousand_rows():
    names = ["Lyon", "Roubaix", "Mamoudzou", "Blorptown"] * 2500
    content = ("nom;n\n" + "\n".join(f"{name};{i}" for i, name in enumerate(names))).encode()
    app = geocode(upload(run_app(), "grand.csv", content))
    table = result_table(app)
    assert len(table) == 10_000
    assert table["n"].tolist() == [str(i) for i in range(10_000)]
    assert (table["geo_status"] == "resolved").sum() == 7500
    assert list(table.columns[-len(GEO_COLUMNS) :]) == GEO_COLUMNS


# --- Lever bases, lever pages, similar territories, side by side --------------------------------


def markdown_text(app: AppTest) -> str:
    return "\n".join(m.value for m in app.markdown)


def comparison(app: AppTest) -> str:
    """The side-by-side Markdown table (inside its scrolling wrapper)."""
    value = next(m.value for m in app.markdown if "\n| Territ" in m.value)
    return value[value.index("\n| Territ") + 1 :]


def similar_buttons(app: AppTest) -> list:
    return [b for b in app.button if (b.key or "").startswith("similar_")]


def test_card_ends_with_similar_territories():
    app = run_app(territory="roubaix")
    assert "### Territoires similaires" in markdown_text(app)
    names = [b.label for b in similar_buttons(app)]
    assert len(names) >= 3
    assert names[:3] == [
        "1. Vallée de la Marne",
        "2. Strasbourg Eurométropole",
        "3. Toulouse Métropole",
    ]
    assert any("km entre les sièges" in c.value for c in app.caption)


def test_similar_territories_in_english():
    app = run_app(lang="en", territory="roubaix")
    assert "### Similar territories" in markdown_text(app)
    assert len(similar_buttons(app)) >= 3
    assert any("km between the seats" in c.value for c in app.caption)


def test_a_similar_territory_opens_its_card_and_compares():
    app = run_app(territory="roubaix")
    similar_buttons(app)[1].click().run()
    assert app.main.header[0].value == "Strasbourg Eurométropole"
    assert app.query_params["territory"] == "strasbourg-eurometropole"
    next(b for b in app.button if b.key == "compare_roubaix").click().run()
    assert app.query_params["compare"] == "strasbourg-eurometropole,roubaix"
    table = comparison(app)
    assert table.splitlines()[0] == "| Territoire | **Strasbourg Eurométropole** | **Roubaix** |"


def test_compare_shows_the_names_as_column_headings():
    app = run_app(compare="roubaix,nantes-metropole")
    assert not app.exception
    assert any(s.value == "Côte à côte" for s in app.main.header)
    table = comparison(app)
    assert table.splitlines()[0] == "| Territoire | **Roubaix** | **Nantes Métropole** |"
    assert app.multiselect(key="f_compare").value == ["roubaix", "nantes-metropole"]


def test_compare_drops_unknown_ids_with_a_notice():
    app = run_app(compare="atlantis,roubaix,nantes-metropole")
    assert not app.exception
    assert any("atlantis" in i.value for i in app.info)
    assert app.query_params["compare"] == "roubaix,nantes-metropole"
    alone = run_app(compare="atlantis")
    assert not alone.exception
    assert any("atlantis" in i.value for i in alone.info)


def test_a_lever_no_territory_documents_shows_territories_or_says_why():
    app = run_app(lever="achats-responsables")
    # nine shown, all suggested by one rule: none uses it, and the metric says so
    assert (app.metric[0].label, app.metric[0].value) == (
        "Utilisent ce levier (documenté)",
        "0 / 27",
    )
    assert len(table_names(app)) == 9
    assert any(
        c.value.startswith("9 territoire(s) affiché(s), liés au levier") for c in app.caption
    )
    notes = [i.value for i in app.info]
    assert any(n.startswith("Aucun territoire labellisé ne documente") for n in notes)
    text = markdown_text(app)
    assert "## Développement des achats socialement et écologiquement responsables" in text
    assert "**Territoires qui l'utilisent (documenté)**" in text
    assert "Aucun territoire affiché ne documente ce levier." in text
    assert "**◐ Suggéré par une règle**" in text
    assert "**Est Ensemble** — ◐ suggéré par une règle" in text
    documented = run_app(lever="achats-responsables", basis="stated")
    assert shown_count(documented) == 0
    assert any(
        n.startswith("Aucun territoire labellisé ne documente")
        for n in (i.value for i in documented.info)
    )  # not only the empty-map warning
    assert documented.radio(key="f_basis").value == "stated"


def test_a_lever_without_any_territory_shows_its_note():
    app = run_app(lever="habitat-durable", lang="en")
    assert shown_count(app) == 0
    assert any(
        i.value.startswith("No labelled territory documents sustainable housing") for i in app.info
    )
    assert "No territory shown documents this lever." in markdown_text(app)


def test_the_basis_toggle_writes_the_url():
    app = run_app(lever="foncier-tiers-lieux")
    every, used = len(table_names(app)), shown_count(app)
    app.radio(key="f_basis").set_value("stated").run()
    assert app.query_params["basis"] == "stated"
    assert 0 < len(table_names(app)) == used < every
    assert shown_count(app) == used  # the metric counts documented links either way


def test_inferred_links_are_counted_apart_and_folded():
    app = run_app(lever="animation-sensibilisation")
    dataset = load_placed().dataset
    links = dataset.links[dataset.links["lever_id"] == "animation-sensibilisation"]
    counts = links["basis"].value_counts()
    assert shown_count(app) == counts.get("stated", 0) < len(links)
    folded = [e for e in app.expander if e.label.startswith("○ Déduit du label seul")]
    assert [e.label for e in folded] == [
        f"○ Déduit du label seul ({counts['inferred']}, affiché à part)"
    ]
    assert len(table_names(app)) == len(links)


def test_about_lists_the_rules_and_the_ranking():
    app = open_tab(run_app(), "À propos")
    text = markdown_text(app)
    assert "## Règles de suggestion" in text
    assert "## Territoires similaires" in text


def test_region_tab_ranks_on_the_compared_series():
    app = open_tab(run_app(), "Par région")
    caption = next(c.value for c in app.caption if "7 des 18" in c.value)
    assert "emploi salarié en 2014" in caption and "pas de chiffre comparable publié" in caption
    table = app.dataframe[0].value
    assert table["Région"].tolist()[:4] == [
        "Bretagne",
        "Pays de la Loire",
        "Occitanie",
        "Hauts-de-France",
    ]
    # the shares as the reader's language writes them, beside the context column's
    share = table["Part de l'ESS dans l'emploi salarié en 2014"]
    assert share.iloc[0] == "14,3\xa0%" and share.iloc[-1] == "pas de chiffre comparable publié"
    assert table["Autre chiffre ESS (contexte)"].iloc[0] == "14,5\xa0% des emplois salariés (2021)"


CRESS_EXPORT = (
    "Raison sociale;Commune;CP\n"
    "Emmaüs Connect Valence;Valence;\n"  # three Valence, no postal code: a guess
    "Régie de quartier;Marseile;13001\n"  # a typo the postal code leaves few doubts about
    "La Ressourcerie;Blorptown;\n"  # found nowhere
    "Atelier vélo;Lyon;\n"
).encode()


def test_the_review_catches_doubt_names_rows_by_their_label_and_says_why():
    app = geocode(upload(run_app(), "cress.csv", CRESS_EXPORT))
    assert app.selectbox(key="up_label").value == "Raison sociale"  # guessed as the label
    picker = app.selectbox(key="review_row")
    # Rows to check first (ambiguous, not found, then placed guesses), each named by its label.
    assert picker.options[:3] == [
        "1 · Emmaüs Connect Valence · ambiguë : choisir",
        "3 · La Ressourcerie · introuvable",
        "2 · Régie de quartier · placée, à vérifier",
    ]
    assert picker.options[3] == "4 · Atelier vélo · placée"
    shown = app.dataframe[-1].value  # the rows to check, each with its reason
    why = dict(zip(shown["Raison sociale"], shown["geo_note"], strict=True))
    assert set(why) == {"La Ressourcerie", "Emmaüs Connect Valence", "Régie de quartier"}
    assert why["La Ressourcerie"].startswith("aucune commune de ce nom")
    assert (
        "Valence" in why["Emmaüs Connect Valence"] and "vérifier" in why["Emmaüs Connect Valence"]
    )
    assert (
        why["Régie de quartier"]
        == "nom approché : « Marseille 1er Arrondissement » retenu, vérifiez"
    )
    # The candidates box speaks French (no Streamlit placeholder), its first choice keeps.
    review_row(app, 0)
    candidates = app.selectbox(key="review_pick_0")
    assert candidates.options[0] == "— garder la réponse —" and candidates.index == 0
    drome = next(option for option in candidates.options if "(26)" in option)
    candidates.set_value(drome).run()
    next(b for b in app.button if b.label == "Appliquer à cette ligne").click().run()
    # After the fix, the picker says so.
    assert "1 · Emmaüs Connect Valence · placée" in app.selectbox(key="review_row").options


def test_the_review_in_english_says_why_in_english():
    app = run_app(lang="en")
    app.session_state["tab_en"] = "My list"
    app.run()
    app.file_uploader(key="upload").upload("l.csv", CRESS_EXPORT, "text/csv").run()
    next(b for b in app.button if b.label == "Geocode the list").click().run()
    shown = app.dataframe[-1].value
    assert shown["geo_note"].str.contains("no commune of that name").any()
    assert (
        app.selectbox(key="review_pick_" + str(app.selectbox(key="review_row").value)).options[0]
        == "— keep the answer —"
    )


# --- hostile input (issue 24) -------------------------------------------------------------------

PHISHING = (
    "roubaix,**Session expirée** [reconnectez-vous](https://evil.example/login) "
    "![](http://x.example/px.gif)"
)


def test_a_compare_link_is_shown_as_text_never_as_a_link_or_an_image():
    from markdown_it import MarkdownIt  # CommonMark with GFM's tables and bare-URL links

    app = run_app(compare=PHISHING)
    assert not app.exception
    notice = next(i.value for i in app.info if "reconnectez" in i.value)
    assert "\\[reconnectez\\-vous\\]\\(https\\://evil\\.example/login\\)" in notice
    html = MarkdownIt("gfm-like").render(notice)
    assert "<a " not in html and "<img" not in html and "<strong>" not in html
    assert "[reconnectez-vous](https://evil.example/login) ![](http://x.example/px.gif)" in html


def test_an_over_size_upload_is_refused_in_french_with_french_numbers():
    app = upload(run_app(), "gros.csv", b"nom\n" + b"Lyon\n" * (4 * 1024 * 1024 + 10))
    errors = [e.value for e in app.error]
    assert errors and "pèse 20,1 Mo ; la limite est de 20 Mo" in errors[0]
    assert "MB" not in errors[0]


def test_the_list_downloads_are_files_made_before_the_click():
    app = geocode(upload(run_app(), "liste.csv", b"nom\nLyon\nNice\n"))
    buttons = [e.proto for e in app.get("download_button")]
    assert len(buttons) == 3
    for button in buttons:
        assert button.url and not button.deferred_file_id
    again = [e.proto.url for e in app.run().get("download_button")]
    assert again == [button.url for button in buttons]  # the same files: a click never misses


def test_place_in_the_url_answers_and_stays_in_it():
    app = run_app(place="Montreuil-sur-Mer")
    assert not app.exception
    answer = " ".join(m.value for m in app.markdown)
    assert "**Montreuil-sur-Mer** (62588)" in answer and "Hauts-de-France" in answer
    assert "Montreuillois" in answer
    assert app.query_params["place"] == "Montreuil-sur-Mer"
    app.text_input(key="f_place").set_value("Saint-Denis").run()
    assert not app.exception and app.query_params["place"] == "Saint-Denis"
    app.selectbox(key="place_pick").set_value("Saint-Denis (93)").run()
    assert app.query_params["place"] == "Saint-Denis (93)"
    assert "**Saint-Denis** (93066)" in " ".join(m.value for m in app.markdown)


def test_region_tab_has_the_coverage_table_and_about_its_method():
    app = open_tab(run_app(), "Par région")
    assert not app.exception
    frames = [frame.value for frame in app.dataframe]
    coverage = next(f for f in frames if "% dans un périmètre vrai" in f.columns)
    assert len(coverage) == 18
    bretagne = coverage.set_index("Région").loc["Bretagne"]
    assert bretagne["% dans un périmètre vrai"] == 100.0
    hdf = coverage.set_index("Région").loc["Hauts-de-France"]
    assert hdf["Territoires au périmètre approché"] == "Montreuillois"
    about = open_tab(run_app(), "À propos")
    assert any("Couverture du label : la méthode" in m.value for m in about.markdown)


def test_downloads_tab_gives_the_iframe_code_of_the_view():
    app = open_tab(run_app(region="32", wave="2"), "Téléchargements")
    assert not app.exception
    codes = [block.value for block in app.code]
    assert any("<iframe" in code and "embed=true" in code for code in codes), codes
    code = next(code for code in codes if "<iframe" in code)
    assert "region=32" in code and "wave=2" in code
