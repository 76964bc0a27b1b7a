"""The offline geocoder on the labels French users really write, and its geopy interface.

`expected` is what a French user expects: a 5-character INSEE commune code or a 9-digit SIREN is
compared with the answer's code, "region:NN" with a région's code, anything else with the
answer's département. For an ambiguous label it lists départements that must be among the
candidates ("93|974"); a 5-character code, the homonym it is placed at (its most populous
bearer, to check: nothing in the label tells which is meant).
"""

from __future__ import annotations

import pandas as pd
import pytest
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location

from geo.geocoding.geocoder import AMBIGUOUS, MIN_CONFIDENCE, NOT_FOUND, RESOLVED

RAW_KEYS = {"status", "code", "kind", "departement", "region", "confidence", "source"}

CASES = [
    # communes, as written
    ("Lyon", {}, RESOLVED, "69123"),
    ("Marseille", {}, RESOLVED, "13055"),
    ("Roubaix", {}, RESOLVED, "59512"),
    ("Figeac", {}, RESOLVED, "46102"),
    ("Clermont-Ferrand", {}, RESOLVED, "63113"),
    ("Chambéry", {}, RESOLVED, "73065"),
    ("Le Havre", {}, RESOLVED, "76351"),
    ("Aix-en-Provence", {}, RESOLVED, "13001"),
    ("Nice", {}, RESOLVED, "06088"),
    ("Romans-sur-Isère", {}, RESOLVED, "26281"),
    ("Montreuil-sur-Mer", {}, RESOLVED, "62588"),
    # communautés de communes
    ("Communauté de communes du Grand Figeac", {}, RESOLVED, "200067361"),
    ("CC Grand Figeac", {}, RESOLVED, "200067361"),
    ("CC de Petite-Terre", {}, RESOLVED, "200050532"),
    # communautés d'agglomération
    ("Communauté d'agglomération du Pays de Grasse", {}, RESOLVED, "200039857"),
    ("CA Pays de Grasse", {}, RESOLVED, "200039857"),
    ("Valence Romans Agglo", {}, RESOLVED, "200068781"),
    ("Grand Narbonne", {}, RESOLVED, "241100593"),
    ("Agglo du Grand Narbonne", {}, RESOLVED, "241100593"),
    ("Grand Chambéry", {}, RESOLVED, "200069110"),
    ("Roissy Pays de France", {}, RESOLVED, "200055655"),
    # communautés urbaines
    ("Grand Poitiers", {}, RESOLVED, "200069854"),
    ("Communauté urbaine du Grand Poitiers", {}, RESOLVED, "200069854"),
    ("CU Le Mans Métropole", {}, RESOLVED, "247200132"),
    ("Communauté urbaine de Dunkerque", {}, RESOLVED, "245900428"),
    # métropoles
    ("Toulouse Métropole", {}, RESOLVED, "243100518"),
    ("TOULOUSE METROPOLE", {}, RESOLVED, "243100518"),
    ("Métropole de Toulouse", {}, RESOLVED, "243100518"),
    ("Métropole de Lyon", {}, RESOLVED, "200046977"),
    ("Grand Lyon", {}, RESOLVED, "200046977"),
    ("Strasbourg Eurométropole", {}, RESOLVED, "246700488"),
    ("Eurométropole de Strasbourg", {}, RESOLVED, "246700488"),
    ("Grenoble-Alpes Métropole", {}, RESOLVED, "200040715"),
    ("Nantes Métropole", {}, RESOLVED, "244400404"),
    ("Métropole Européenne de Lille", {}, RESOLVED, "200093201"),
    ("Aix-Marseille-Provence", {}, RESOLVED, "200054807"),
    ("Métropole du Grand Paris", {}, RESOLVED, "200054781"),
    # établissements publics territoriaux
    ("Est Ensemble", {}, RESOLVED, "200057875"),
    ("Plaine Commune", {}, RESOLVED, "200057867"),
    ("Paris Terres d'Envol", {}, RESOLVED, "200058097"),
    # départements
    ("Drôme", {}, RESOLVED, "26"),
    ("Finistère", {}, RESOLVED, "29"),
    ("Département du Nord", {}, RESOLVED, "59"),
    ("Seine-Saint-Denis", {}, RESOLVED, "93"),
    ("Côtes-d'Armor", {}, RESOLVED, "22"),
    ("cotes d armor", {}, RESOLVED, "22"),
    ("Bouches-du-Rhône", {}, RESOLVED, "13"),
    ("Loire-Atlantique", {}, RESOLVED, "44"),
    # régions, official names and names in everyday use
    ("Bretagne", {}, RESOLVED, "region:53"),
    ("Région Bretagne", {}, RESOLVED, "region:53"),
    ("Occitanie", {}, RESOLVED, "region:76"),
    ("Région Occitanie", {}, RESOLVED, "region:76"),
    ("Hauts-de-France", {}, RESOLVED, "region:32"),
    ("ile de france", {}, RESOLVED, "region:11"),
    ("Auvergne-Rhône-Alpes", {}, RESOLVED, "region:84"),
    ("Normandie", {}, RESOLVED, "region:28"),
    ("Région Sud", {}, RESOLVED, "region:93"),
    ("PACA", {}, RESOLVED, "region:93"),
    ("Région Centre", {}, RESOLVED, "region:24"),
    ("Corse", {}, RESOLVED, "region:94"),
    # case, accents, hyphens, apostrophes, "St"
    ("st etienne", {}, RESOLVED, "42218"),
    ("SAINT-ÉTIENNE", {}, RESOLVED, "42218"),
    ("Saint Etienne", {}, RESOLVED, "42218"),
    ("l'haÿ-les-roses", {}, RESOLVED, "94038"),
    ("L'Hay les Roses", {}, RESOLVED, "94038"),
    ("St-Malo", {}, RESOLVED, "35288"),
    ("Ste-Maxime", {}, RESOLVED, "83115"),
    ("  LYON  ", {}, RESOLVED, "69123"),
    ("Aix en Provence", {}, RESOLVED, "13001"),
    # homonyms: population decides only when it clearly can; hints decide otherwise
    ("Valence", {}, AMBIGUOUS, "26362"),  # three Valence: the Drôme's placed, to check
    ("Valence", {"region": "Occitanie"}, RESOLVED, "82186"),
    ("Valence", {"region": "76"}, RESOLVED, "82186"),
    ("Valence", {"departement": "82"}, RESOLVED, "82186"),
    ("Valence", {"departement": "Tarn-et-Garonne"}, RESOLVED, "82186"),
    ("Valence", {"departement": "Drôme"}, RESOLVED, "26362"),
    ("Valence", {"departement": "Occitanie"}, RESOLVED, "82186"),  # région in the wrong column
    ("Valence", {"region": "82"}, RESOLVED, "82186"),  # département in the wrong column
    ("Valence (26)", {}, RESOLVED, "26362"),
    ("Valence (82)", {}, RESOLVED, "82186"),
    ("Valence", {"region": "Bretagne"}, AMBIGUOUS, "26|82"),
    ("Saint-Denis", {}, AMBIGUOUS, "93|974"),
    ("Saint Denis", {}, AMBIGUOUS, "93|974"),
    ("Saint-Denis", {"departement": "974"}, RESOLVED, "97411"),
    ("Saint-Denis", {"departement": "93"}, RESOLVED, "93066"),
    ("Saint-Denis", {"departement": "Seine-Saint-Denis"}, RESOLVED, "93066"),
    ("Saint-Denis", {"region": "La Réunion"}, RESOLVED, "97411"),
    ("Saint-Denis", {"region": "Île-de-France"}, RESOLVED, "93066"),
    ("Saint-Denis (93)", {}, RESOLVED, "93066"),
    ("SAINT DENIS (974)", {}, RESOLVED, "97411"),
    ("St Denis", {"departement": "Reunion"}, RESOLVED, "97411"),
    ("Beaulieu", {}, AMBIGUOUS, "07|34|38"),
    ("Beaulieu", {"departement": "07"}, RESOLVED, "07028"),
    ("Beaulieu", {"departement": "7"}, RESOLVED, "07028"),  # a spreadsheet dropped the 0
    ("Sainte-Marie", {}, AMBIGUOUS, "972|974"),
    ("Montreuil", {}, AMBIGUOUS, "93048"),
    ("Toulouse (75)", {}, AMBIGUOUS, "31"),
    # overseas
    ("Mamoudzou", {}, RESOLVED, "97611"),
    ("Mayotte", {}, RESOLVED, "976"),
    ("Dzaoudzi", {}, RESOLVED, "976"),
    ("Basse-Terre", {}, RESOLVED, "97105"),
    ("Pointe-à-Pitre", {}, RESOLVED, "97120"),
    ("Guadeloupe", {}, RESOLVED, "971"),
    ("Fort-de-France", {}, RESOLVED, "97209"),
    ("Martinique", {}, RESOLVED, "972"),
    ("Cayenne", {}, RESOLVED, "97302"),
    ("Kourou", {}, RESOLVED, "973"),
    ("La Réunion", {}, RESOLVED, "974"),
    # Corsica
    ("Ajaccio", {}, RESOLVED, "2A004"),
    ("Ajaccio (2a)", {}, RESOLVED, "2A004"),
    ("Bastia", {}, RESOLVED, "2B033"),
    ("Bastia", {"departement": "2b"}, RESOLVED, "2B033"),
    ("Corse-du-Sud", {}, RESOLVED, "2A"),
    ("Haute-Corse", {}, RESOLVED, "2B"),
    # typos
    ("Toulouze", {}, RESOLVED, "31555"),
    ("Marseile", {}, RESOLVED, "13055"),
    ("Strasbourgg", {}, RESOLVED, "67482"),
    ("Bordaux", {}, RESOLVED, "33063"),
    ("Monpellier", {}, RESOLVED, "34172"),
    ("Villeurbane", {}, RESOLVED, "69266"),
    ("Clermont Ferand", {}, RESOLVED, "63113"),
    ("Pays de Grase", {}, RESOLVED, "200039857"),
    # codes no postal code can be: a SIREN, a Corsican INSEE code
    ("200057875", {}, RESOLVED, "200057875"),
    ("2A004", {}, RESOLVED, "2A004"),
    ("123456789", {}, NOT_FOUND, None),
    # five digits in a place column are a postal code, never an INSEE code
    ("59512", {}, NOT_FOUND, None),  # INSEE code of Roubaix, no postal code
    ("97411", {}, RESOLVED, "97415"),  # INSEE code of Saint-Denis (974), postal code of Saint-Paul
    ("99999", {}, NOT_FOUND, None),
    ("13001", {}, RESOLVED, "13201"),  # Marseille 1er, not Aix-en-Provence (INSEE 13001)
    ("59100", {}, RESOLVED, "59512"),  # Roubaix, not Bousignies (INSEE 59100)
    ("75013", {}, RESOLVED, "75113"),
    ("69003", {}, RESOLVED, "69383"),
    ("01000", {}, AMBIGUOUS, "01"),  # Bourg-en-Bresse and Saint-Denis-lès-Bourg
    # municipal arrondissements as exports spell them; "Paris" alone stays Paris
    ("PARIS 13", {}, RESOLVED, "75113"),
    ("Paris 13e", {}, RESOLVED, "75113"),
    ("Paris XIIIe", {}, RESOLVED, "75113"),
    ("Paris 1er arrondissement", {}, RESOLVED, "75101"),
    ("PARIS 20E ARRONDISSEMENT", {}, RESOLVED, "75120"),
    ("LYON 3EME", {}, RESOLVED, "69383"),
    ("Lyon 9e", {}, RESOLVED, "69389"),
    ("Marseille 1er arrondissement", {}, RESOLVED, "13201"),
    ("MARSEILLE 16", {}, RESOLVED, "13216"),
    ("Paris 21e", {}, NOT_FOUND, None),  # Paris has 20 arrondissements
    # the city alone is the commune, not the département it fills (issue 22)
    ("Paris", {}, RESOLVED, "75056"),
    ("PARIS", {}, RESOLVED, "75056"),
    ("Lyon", {}, RESOLVED, "69123"),
    ("Marseille", {}, RESOLVED, "13055"),
    ("Département Paris", {}, RESOLVED, "75"),
    # a commune that is a small part of its namesake département leaves the name to it, noted
    ("Mayenne", {}, RESOLVED, "53"),
    # postal codes beside the name narrow the homonyms; CEDEX routes mail and is dropped
    ("SAINT-DENIS", {"postcode": "97490"}, RESOLVED, "97411"),
    ("ST DENIS", {"postcode": "93200"}, RESOLVED, "93066"),
    ("Saint Denis", {"postcode": "11310"}, RESOLVED, "11339"),
    ("POITIERS CEDEX", {}, RESOLVED, "86194"),
    ("POITIERS CEDEX 9", {"postcode": "86073"}, RESOLVED, "86194"),  # CEDEX code: dep 86
    ("POITIERS", {"postcode": "86000 CEDEX"}, RESOLVED, "86194"),
    ("LYON", {"postcode": "69003"}, RESOLVED, "69383"),
    ("Paris", {"postcode": "75013"}, RESOLVED, "75113"),
    ("Valence", {"postcode": "82400"}, RESOLVED, "82186"),
    ("Lyon", {"postcode": "59100"}, AMBIGUOUS, "69|59"),  # name and code disagree
    ("Roubiax", {"postcode": "59100"}, RESOLVED, "59512"),  # a typo among the code's communes
    # a postal code that leaves few communes lets a looser match decide (issue 22)
    ("Pairs", {"postcode": "75001"}, RESOLVED, "75101"),
    ("REJMS", {"postcode": "51100"}, RESOLVED, "51454"),
    ("TOURW", {"postcode": "37200"}, RESOLVED, "37261"),
    ("La Cwaux", {"postcode": "25650"}, RESOLVED, "25139"),
    ("Pairs", {}, AMBIGUOUS, "75056"),  # alone: Paris or Paars (02), one edit each
    ("MLEUN", {}, RESOLVED, "77288"),
    (
        "ST DEINS",
        {"postcode": "93200"},
        RESOLVED,
        "93066",
    ),  # a swap of the first letters, found by two-letter blocks
    ("LES VILLETETS", {}, RESOLVED, "43265"),  # the article typed: Les Villettes, not Villettes
    ("Nort", {}, AMBIGUOUS, "59|79"),  # Nord or Niort: a guess is not settled by size
    # one edit, a swap of two letters included, in a short name
    ("BNOZEE", {}, RESOLVED, "55060"),
    ("LILLL", {}, AMBIGUOUS, "59350"),  # Lille and Lilly (27) are both one edit away
    ("Trléans", {}, AMBIGUOUS, "45|48"),  # Orléans and Trélans, as close: no guess by size
    ("Saint Jean de Vauxl", {}, AMBIGUOUS, "38|71"),  # Vaulx (38), Vaux (71): one edit each
    # one-column addresses: postal code and commune read out
    ("12 rue de l'Épeule 59100 Roubaix", {}, RESOLVED, "59512"),
    ("3 place du Général de Gaulle, 59000 LILLE CEDEX", {}, RESOLVED, "59350"),
    ("Roubaix (59100)", {}, RESOLVED, "59512"),
    ("8 rue Blorp 99999 Blorptown", {}, NOT_FOUND, None),
    # former communes (merged, delegated, associated) lead to today's commune
    ("Arbignieu", {}, RESOLVED, "01015"),
    # the curated territories' own labels
    ("Montreuillois", {}, RESOLVED, "62"),
    ("Vallée de la Marne", {}, RESOLVED, "77"),
    ("Est Ensemble", {"departement": "93"}, RESOLVED, "93"),
    # nothing of the kind exists
    ("Blorptown", {}, NOT_FOUND, None),
    ("Xyzzyville-sur-Mer", {}, NOT_FOUND, None),
    ("qwertyuiop", {}, NOT_FOUND, None),
    ("", {}, NOT_FOUND, None),
    ("   ", {}, NOT_FOUND, None),
    ("Communauté de communes du Pays de Lunel", {}, NOT_FOUND, None),  # not "Pays de Lure"
    ("Région Paris", {}, NOT_FOUND, None),  # no région is called Paris
]


def matches_expected(raw: dict, expected: str) -> bool:
    if expected.startswith("region:"):
        return raw["kind"] == "region" and raw["code"] == expected.removeprefix("region:")
    if len(expected) in (5, 9):
        return raw["code"] == expected
    return raw["departement"] == expected


@pytest.mark.parametrize("query,hints,expected_status,expected_code_or_dep", CASES)
def test_labels(geocoder, query, hints, expected_status, expected_code_or_dep):
    match = geocoder.resolve(query, **hints)
    shown = [(c.raw["name"], c.raw["departement"], c.raw["confidence"]) for c in match.candidates]
    assert match.status == expected_status, shown
    if expected_status == RESOLVED:
        raw = match.location.raw
        assert matches_expected(raw, expected_code_or_dep), raw
        assert raw["status"] == RESOLVED and raw["source"] == "offline"
        assert raw["confidence"] >= MIN_CONFIDENCE
        assert match.confidence == raw["confidence"]
        assert match.location is match.candidates[0]
    elif (
        expected_status == AMBIGUOUS
        and len(expected_code_or_dep) == 5
        and "|" not in expected_code_or_dep
    ):
        assert match.location is match.candidates[0], shown
        assert match.location.raw["code"] == expected_code_or_dep
        assert match.notes[-1].key == "homonyms_placed"
    elif expected_status == AMBIGUOUS:
        departements = {c.raw["departement"] for c in match.candidates}
        assert set(expected_code_or_dep.split("|")) <= departements, shown
    else:
        assert match.location is None


def test_not_found_and_ambiguous_answers_are_none_for_geopy(geocoder):
    assert geocoder.geocode("Blorptown") is None
    assert geocoder.geocode("Blorptown", exactly_one=False) is None
    assert geocoder.geocode("Saint-Denis") is None
    assert geocoder.geocode("Valence") is None  # placed at the Drôme's, but not sure: no answer


def test_a_hintless_homonym_is_placed_at_its_most_populous_bearer_and_says_so(geocoder):
    match = geocoder.resolve("VALENCE")
    assert match.status == AMBIGUOUS and match.location.raw["code"] == "26362"
    assert {c.raw["code"] for c in match.candidates} >= {"26362", "82186", "16392"}
    note = match.notes[-1].text("fr")
    assert note.startswith("3 lieux portent ce nom (16, 26, 82) : placé à Valence (26)")
    assert "à vérifier" in note
    assert "to check" in match.notes[-1].text("en")
    # the commune at the end of a label nothing bears is read, and checked the same way
    label = geocoder.resolve("Emmaüs Connect Valence")
    assert label.status == AMBIGUOUS and label.location.raw["code"] == "26362"
    assert [n.key for n in label.notes] == ["commune_in_label", "homonyms_placed"]
    thiers = geocoder.resolve("Territoire zéro chômeur Thiers")
    assert thiers.status == AMBIGUOUS and thiers.location.raw["code"] == "63430"
    assert geocoder.resolve("Emmaüs Connect Valence", departement="82").location.raw["code"] == (
        "82186"
    )
    assert geocoder.resolve("Bravil-sur-Mer").status == NOT_FOUND  # "Mer" is part of the name
    # something in the row decides it: no longer to check
    assert geocoder.resolve("VALENCE", postcode="82400").status == RESOLVED
    assert geocoder.resolve("VALENCE", departement="Drôme").status == RESOLVED


def test_geocode_returns_a_geopy_location_with_the_full_answer(geocoder):
    assert isinstance(geocoder, Geocoder)
    location = geocoder.geocode("Roubaix")
    assert isinstance(location, Location)
    assert set(location.raw) >= RAW_KEYS
    assert location.raw["code"] == "59512"
    assert location.raw["kind"] == "commune"
    assert (location.raw["departement"], location.raw["region"]) == ("59", "32")
    assert 50.6 < location.latitude < 50.8 and 3.1 < location.longitude < 3.3
    assert "Roubaix" in location.address


def test_geocode_accepts_hints_as_keywords(geocoder):
    assert geocoder.geocode("Valence", region="Occitanie").raw["code"] == "82186"
    assert geocoder.geocode("Saint-Denis", departement="974").raw["code"] == "97411"


def test_exactly_one_false_returns_every_candidate(geocoder):
    candidates = geocoder.geocode("Saint-Denis", exactly_one=False)
    assert isinstance(candidates, list) and len(candidates) >= 2
    assert all(isinstance(c, Location) and set(c.raw) >= RAW_KEYS for c in candidates)
    assert {"93", "974"} <= {c.raw["departement"] for c in candidates}
    resolved = geocoder.geocode("Lyon", exactly_one=False)
    assert isinstance(resolved, list) and resolved[0].raw["code"] == "69123"


def test_ambiguous_answers_carry_comparable_candidates(geocoder):
    match = geocoder.resolve("Saint-Denis")
    assert match.status == AMBIGUOUS
    assert len(match.candidates) >= 2
    top = match.candidates[:2]
    assert {c.raw["code"] for c in top} == {"93066", "97411"}
    assert 0 < match.confidence <= 1


def test_composes_with_geopy_rate_limiter_and_pandas_apply(geocoder):
    geocode = RateLimiter(geocoder.geocode, min_delay_seconds=0)
    names = pd.Series(["Roubaix", "Blorptown", "Métropole de Lyon", "Valence (82)"])
    locations = names.apply(geocode)
    codes = [loc.raw["code"] if loc else None for loc in locations]
    assert codes == ["59512", None, "200046977", "82186"]
    assert geocode("Valence", region="Occitanie").raw["code"] == "82186"


def test_every_answer_over_a_sample_of_the_gazetteer_keeps_its_promises(geocoder):
    """Resolved means confident; ambiguous means at least two far-apart candidates."""
    gaz = geocoder.gazetteer
    sample = gaz.names[::40] + [
        n for n, k in zip(gaz.names, gaz.kinds, strict=True) if k != "commune"
    ]
    statuses = set()
    for name in sample:
        match = geocoder.resolve(name)
        statuses.add(match.status)
        if match.status == RESOLVED:
            assert match.location.raw["confidence"] >= MIN_CONFIDENCE, name
            assert geocoder.resolve(match.location.raw["name"]).status == RESOLVED, name
        elif match.status == AMBIGUOUS:
            assert len(match.candidates) >= 2, name
            assert match.location in (None, match.candidates[0]), name
        else:
            pytest.fail(f"{name!r}, a name of the gazetteer, was not found")
    assert statuses == {RESOLVED, AMBIGUOUS}


def test_a_typo_scores_lower_than_the_exact_name(geocoder):
    exact = geocoder.resolve("Toulouse").confidence
    typo = geocoder.resolve("Toulouze").confidence
    assert MIN_CONFIDENCE <= typo < exact == 1.0


@pytest.mark.parametrize(
    "code, expected, kind",
    [
        ("93066", "93066", "commune"),
        ("13001", "13001", "commune"),  # in a code column: Aix-en-Provence, not Marseille 1er
        ("1053", "01053", "commune"),  # a spreadsheet dropped the leading zero
        ("75113", "75113", "arrondissement"),
        ("2a004", "2A004", "commune"),
        ("200046977", "200046977", "metropole"),
        ("01003", "01165", "commune"),  # merged into Francheleins: today's commune
    ],
)
def test_an_official_code_is_authoritative(geocoder, code, expected, kind):
    by_code = geocoder.resolve_code(code)
    assert by_code.status == RESOLVED and by_code.confidence == 1.0
    assert by_code.location.raw["code"] == expected
    assert by_code.location.raw["kind"] == kind


def test_a_former_communes_code_says_which_commune_it_became(geocoder):
    match = geocoder.resolve_code("01003")
    assert [note.text("en") for note in match.notes] == [
        "former commune 01003 (merged), now Francheleins"
    ]


@pytest.mark.parametrize("code", ["99999", "x", "123456789", ""])
def test_an_unknown_code_is_not_found_and_says_so(geocoder, code):
    match = geocoder.resolve_code(code)
    assert match.status == NOT_FOUND
    assert [note.key for note in match.notes] == ["code_unknown"]


@pytest.mark.parametrize(
    "query, postcode, keys",
    [
        ("13001", None, ["postcode_in_place", "postcode_only"]),
        ("POITIERS CEDEX", None, ["cedex"]),
        ("POITIERS", "86073 CEDEX 9", ["cedex", "postcode_unknown"]),
        ("12 rue de l'Épeule 59100 Roubaix", None, ["address"]),
        ("Blorptown", "59100", ["placed_by_postcode"]),
        ("Lyon", "59100", ["name_not_in_postcode"]),
        ("", "01000", ["postcode_many"]),
        ("Saint-Denis", None, ["homonyms_placed"]),
        ("Saint-Denis", "", ["homonyms_placed"]),
        ("Arbignieu", None, ["former_commune"]),
    ],
)
def test_every_reading_that_is_not_plain_is_noted(geocoder, query, postcode, keys):
    assert [note.key for note in geocoder.resolve(query, postcode=postcode).notes] == keys


def test_an_ambiguous_row_says_why(geocoder):
    note = geocoder.resolve("Saint-Denis").notes[-1]
    assert note.text("fr").startswith("4 lieux portent ce nom (11, 30, 93, 974)")
    conflict = geocoder.resolve("Roubaix", departement="Drôme").notes[-1]
    assert conflict.key == "hint_conflict" and "59" in conflict.text("en")


@pytest.mark.parametrize(
    "hint, departement, region",
    [
        ("Drôme", "26", None),
        ("drome", "26", None),
        ("26", "26", None),
        ("6", "06", "06"),  # "06" after a spreadsheet dropped the 0: Alpes-Maritimes / Mayotte
        ("2a", "2A", None),
        ("974", "974", None),
        ("La Réunion", "974", "04"),
        ("Reunion", "974", "04"),
        ("Occitanie", None, "76"),
        ("Région Occitanie", None, "76"),
        ("76", "76", "76"),  # Seine-Maritime and Occitanie share the code: the column decides
        ("PACA", None, "93"),
        ("Région Sud", None, "93"),
        ("Narnia", None, None),
    ],
)
def test_hints_are_read_by_name_or_code(geocoder, hint, departement, region):
    gaz = geocoder.gazetteer
    assert gaz.departement_code(hint) == departement
    assert gaz.region_code(hint) == region
