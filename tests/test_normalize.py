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
    core_of = {index: core for core, indices in gaz.by_core.items() for index in indices}
    assert len(core_of) == len(gaz.names)
    mismatched = [
        (name, core_of[i]) for i, name in enumerate(gaz.names) if core_of[i] != split_kind(name)[0]
    ]
    assert mismatched == []
