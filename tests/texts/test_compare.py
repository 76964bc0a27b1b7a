"""Side by side (geo.texts.compare), the `?compare=` and `?basis=` parameters, and the lines joining
territories on the map (geo.maps.base.TerritoryLinks)."""

from __future__ import annotations

from geo.domain.views import ViewState, compared_ids, filter_territories, vocabulary
from geo.geocoding.gazetteer import load_gazetteer
from geo.maps.base import build_territory_map
from geo.maps.dynamic_layer import TerritoryLinks
from geo.texts.compare import comparison_table, perimeter


def row_of(placed, territory_id: str) -> dict:
    return placed[placed["id"] == territory_id].iloc[0].to_dict()


def test_compared_ids_keep_two_or_three_known_ones_and_name_the_rest():
    known = {"roubaix", "nantes-metropole", "mayotte", "figeac"}
    assert compared_ids("roubaix, nantes-metropole,atlantis", known) == (
        ("roubaix", "nantes-metropole"),
        ("atlantis",),
    )
    assert compared_ids("roubaix,roubaix,mayotte,figeac,nantes-metropole", known) == (
        ("roubaix", "mayotte", "figeac"),
        ("nantes-metropole",),  # beyond three
    )
    assert compared_ids("", known) == ((), ())


def test_compare_and_basis_round_trip_through_the_url(loaded):
    words = vocabulary(loaded.dataset)
    view = ViewState.from_query(
        {"compare": "roubaix,nantes-metropole,nowhere", "basis": "stated"}, words
    )
    assert view.compare == ("roubaix", "nantes-metropole")
    assert view.basis == "stated"
    assert view.to_query() == {"compare": "roubaix,nantes-metropole", "basis": "stated"}
    assert ViewState.from_query({"basis": "guessed"}, words).basis == ""


def test_documented_only_drops_suggested_links(loaded):
    dataset, placed = loaded
    every = filter_territories(placed, dataset.links, ViewState(levers=("achats-responsables",)))
    documented = filter_territories(
        placed, dataset.links, ViewState(levers=("achats-responsables",), basis="stated")
    )
    # 9 suggested links (lever_rules.csv), none documented
    assert len(every) == 9
    assert documented.empty
    circular = ViewState(levers=("economie-circulaire",), basis="stated")
    assert "roubaix" in set(filter_territories(placed, dataset.links, circular)["id"])


def test_perimeter_figures_from_the_gazetteer(loaded):
    gazetteer = load_gazetteer()
    placed = loaded.placed
    roubaix = perimeter(gazetteer, row_of(placed, "roubaix"))
    assert roubaix.communes == 1
    assert 90_000 < roubaix.population < 110_000
    nantes = perimeter(gazetteer, row_of(placed, "nantes-metropole"))
    assert nantes.communes == 24  # Nantes Métropole's 24 communes
    assert 600_000 < nantes.population < 750_000
    area = perimeter(gazetteer, row_of(placed, "territoire-olympique-2024"))
    assert (area.population, area.communes) == (None, None)  # no known perimeter


def test_comparison_table_has_the_names_as_column_headings(loaded):
    dataset, placed = loaded
    table = comparison_table(
        ("roubaix", "nantes-metropole"), dataset, placed, load_gazetteer(), "fr"
    )
    lines = table.splitlines()
    assert lines[0] == "| Territoire | **Roubaix** | **Nantes Métropole** |"
    rows = {line.split(" | ")[0].strip("| *"): line for line in lines[2:]}
    assert "| Commune | Métropole |" in rows["Type de territoire"]
    assert "| 1 | 24 |" in rows["Communes du périmètre"]
    comparable = rows["Poids de l'ESS, comparable entre régions"]
    assert comparable.count("11,2\xa0% des emplois salariés en 2014") == 1  # Roubaix's HdF
    assert comparable.count("pas de chiffre comparable publié") == 0  # Pays de la Loire: 13,1
    assert "13,1\xa0% des emplois salariés en 2014" in comparable
    assert (
        "10,7\xa0% des emplois salariés (2021)"
        in rows["Autre chiffre de l'ESS (contexte, à ne pas comparer)"]
    )
    assert "● utilisé (documenté)" in rows["Leviers"]
    english = comparison_table(
        ("mayotte", "roubaix", "figeac"), dataset, placed, load_gazetteer(), "en"
    )
    assert english.splitlines()[0] == "| Territory | **Mayotte** | **Roubaix** | **Figeac** |"
    # Mayotte's région has no figure on the comparable series: said so, never zero
    assert "no comparable figure published" in english
    assert "not zero" not in english and "unknown on the compared" not in english


def test_comparison_cells_are_escaped(loaded):
    dataset, placed = loaded
    hostile = placed.copy()
    hostile.loc[hostile["id"] == "roubaix", "name"] = "<b>x</b> | y"
    table = comparison_table(("roubaix", "mayotte"), dataset, hostile, load_gazetteer(), "fr")
    assert "&lt;b&gt;x&lt;/b&gt; \\| y" in table.splitlines()[0]


def test_links_on_the_map_are_escaped_and_framed(loaded):
    placed = loaded.placed
    lines = [((50.69, 3.18), (47.22, -1.55), "Roubaix — Nantes <script>")]
    m = build_territory_map(placed, {}, "fr", links=TerritoryLinks(lines, frame=True))
    html = m.get_root().render()
    assert "fi-link" in html
    # escaped for HTML (Leaflet shows tooltips as HTML), then for the script block
    assert "Nantes \\u0026lt;script\\u0026gt;" in html and "Nantes <script>" not in html
    assert "[[47.22,-1.55],[50.69,3.18]]" in html  # the framed box: the lines' two ends
    plain = build_territory_map(placed, {}, "fr").get_root().render()
    assert "fi-link" not in plain
