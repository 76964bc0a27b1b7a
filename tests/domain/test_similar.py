"""The similarity ranking (geo.domain.similar) on pairs checked by hand against data/*.csv.

Each expected score below was added up by reading territory_levers.csv and territories.csv,
with the weights the About tab states: shared lever 3 (both documented) / 2 (weaker suggested)
/ 1 (weaker inferred), shared theme 2, shared challenge word 1, same kind 1.
"""

from __future__ import annotations

import pytest

from geo.domain.similar import SimilarityIndex, challenge_keywords, haversine_km, seat_points
from geo.domain.territories import load_placed
from geo.geocoding.gazetteer import load_gazetteer


@pytest.fixture(scope="module")
def index() -> SimilarityIndex:
    dataset, placed = load_placed()
    return SimilarityIndex(dataset, seat_points(placed, load_gazetteer()))


def test_roubaix_and_strasbourg(index):
    # Both documented on circular economy and on awareness (3 + 3), both have the theme
    # "circular economy" (2); Roubaix states no challenge; a commune vs a métropole.
    pair = index.between("roubaix", "strasbourg-eurometropole")
    assert pair.score == 8
    assert set(pair.levers) == {
        ("economie-circulaire", "stated"),
        ("animation-sensibilisation", "stated"),
    }
    assert pair.themes == ("circular_economy",)
    assert pair.keywords == ()
    assert not pair.same_kind
    # Roubaix (50.69 N, 3.18 E) to Strasbourg (48.57 N, 7.75 E): about 405 km by hand.
    assert pair.distance_km == pytest.approx(405, abs=5)


def test_toulouse_and_clermont_count_suggested_links_less(index):
    # Sustainable food documented on both (3); responsible buying suggested on both (2);
    # land: documented for Toulouse, suggested for Clermont, so the weaker counts (2); the theme
    # sustainable food (2); the words "alimentation" and "durable(s)" in both challenge lists
    # (2); both métropoles (1).
    pair = index.between("toulouse-metropole", "clermont-ferrand")
    assert pair.score == 12
    assert dict(pair.levers) == {
        "alimentation-durable": "stated",
        "achats-responsables": "suggested",
        "foncier-tiers-lieux": "suggested",
    }
    assert pair.keywords == ("alimentation", "durable")
    assert pair.same_kind


def test_a_link_inferred_from_the_label_counts_least(index):
    # Roubaix's awareness link is documented, Montreuillois' rests on the label: 1 point.
    assert index.between("roubaix", "montreuillois").score == 1
    # Two project areas known only by their label: the inferred link (1) and the kind (1).
    pair = index.between("montreuillois", "territoire-olympique-2024")
    assert pair.score == 2
    assert pair.levers == (("animation-sensibilisation", "inferred"),)
    assert pair.same_kind
    assert pair.distance_km is None  # no source names Territoire Olympique 2024's seat
    assert index.between("montreuillois", "roubaix").distance_km == pytest.approx(103, abs=3)


def test_roubaix_ranking_breaks_ties_by_distance(index):
    # Vallée de la Marne: circular economy and awareness documented (3 + 3), land suggested
    # there (2), the theme (2) = 10. Strasbourg and Toulouse both score 8 (Toulouse: circular
    # economy 3, land 3, theme 2); Strasbourg's seat is nearer, so it comes first.
    ranked = index.ranked("roubaix")
    assert [(s.territory_id, s.score) for s in ranked[:3]] == [
        ("vallee-de-la-marne", 10),
        ("strasbourg-eurometropole", 8),
        ("toulouse-metropole", 8),
    ]
    assert ranked[1].distance_km < ranked[2].distance_km


def test_every_territory_has_at_least_three_similar_ones(index):
    for territory_id in index.profiles:
        ranked = index.ranked(territory_id)
        assert len(ranked) >= 3, territory_id
        assert territory_id not in {s.territory_id for s in ranked}
        assert [s.score for s in ranked] == sorted((s.score for s in ranked), reverse=True)


def test_the_score_is_symmetric_and_the_ranking_stable(index):
    ids = list(index.profiles)
    for a in ids:
        for b in ids:
            if a != b:
                assert index.between(a, b).score == index.between(b, a).score
    assert index.ranked("mayotte") == index.ranked("mayotte")


def test_challenge_keywords_drop_articles_short_words_and_verbs():
    words = challenge_keywords("l'économie circulaire et la gestion des déchets;développer l'ESS")
    assert words == {
        "economie": "économie",
        "circulaire": "circulaire",
        "gestion": "gestion",
        "dechet": "déchets",  # plural folded: meets "déchet"
    }


def test_haversine_paris_lyon():
    # Paris (Notre-Dame) to Lyon (Bellecour): about 392 km as the crow flies.
    assert haversine_km((48.853, 2.349), (45.758, 4.832)) == pytest.approx(392, abs=3)
    assert haversine_km((45.0, 5.0), (45.0, 5.0)) == 0
