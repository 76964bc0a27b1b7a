"""The column-wise normalisation the gazetteer loads with agrees with the per-label one."""

from geo.geocoding.normalize import normalize, split_kind


def test_gazetteer_keys_equal_the_per_label_keys(geocoder):
    gaz = geocoder.gazetteer
    mismatched = [
        (n, k) for n, k in zip(gaz.names, gaz.full_keys, strict=True) if normalize(n) != k
    ]
    assert mismatched == []


def test_gazetteer_cores_equal_the_per_label_cores(geocoder):
    gaz = geocoder.gazetteer
    mismatched = [
        (name, core)
        for name, core in zip(gaz.names, gaz.cores, strict=True)
        if core != split_kind(name)[0]
    ]
    assert mismatched == []


def test_every_entity_is_found_by_name_but_arrondissements(geocoder):
    """ "Paris" must stay Paris: arrondissements are found by their spellings and postal codes
    (geo.geocoding.cells), never by a name index."""
    gaz = geocoder.gazetteer
    named = {index for indices in gaz.by_core.values() for index in indices}
    unnamed = {i for i in range(len(gaz.names)) if i not in named}
    assert {gaz.kinds[i] for i in unnamed} == {"arrondissement"}
    assert len(unnamed) == 45  # Paris 20, Lyon 9, Marseille 16
