"""A table's place columns (geo.geocoding.columns): detected from exports' headers, named ones
winning, and one PlaceColumns object handed to the batch, the CLI and the page."""

from __future__ import annotations

import dataclasses

import pytest

from geo.geocoding.columns import ROLES, PlaceColumns, choose_columns, detect_columns
from geo.geocoding.errors import InputError


@pytest.mark.parametrize(
    "headers, expected",
    [
        (["Commune", "CP"], PlaceColumns(name="Commune", postcode="CP")),
        (
            ["Nom de la structure", "Commune", "Département", "Code INSEE"],
            PlaceColumns(name="Commune", departement="Département", insee="Code INSEE"),
        ),
        (
            ["libelleCommuneEtablissement", "codePostalEtablissement"],
            PlaceColumns(name="libelleCommuneEtablissement", postcode="codePostalEtablissement"),
        ),
        (["Ville", "Région"], PlaceColumns(name="Ville", region="Région")),
        (["note", "montant"], PlaceColumns()),
    ],
)
def test_detect_columns_names_each_role(headers, expected):
    assert detect_columns(headers) == expected


def test_the_roles_are_the_fields_in_the_order_of_a_row():
    assert ROLES == ("name", "postcode", "departement", "region", "insee")
    columns = PlaceColumns("a", "b", "c", "d", "e")
    assert columns.used() == ("a", "b", "c", "d", "e")


def test_place_columns_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        PlaceColumns().name = "Commune"  # type: ignore[misc]  # frozen, on purpose


@pytest.mark.parametrize(
    "columns, label",
    [
        (PlaceColumns(name="Commune", postcode="CP", insee="INSEE"), "Commune"),
        (PlaceColumns(postcode="CP", insee="INSEE", region="Région"), "CP"),
        (PlaceColumns(insee="INSEE", departement="Dép"), "INSEE"),
        (PlaceColumns(departement="Dép", region="Région"), None),
    ],
)
def test_a_row_is_labelled_by_its_place_then_postcode_then_code(columns, label):
    assert columns.label() == label


def test_a_named_column_wins_and_the_rest_is_detected():
    headers = ["Ville", "Lieu", "Code postal"]
    chosen, detected = choose_columns(headers, PlaceColumns(name="lieu"))
    assert chosen == PlaceColumns(name="Lieu", postcode="Code postal")
    assert detected == ["postcode"]  # the roles found from the headers, said by the CLI


@pytest.mark.parametrize(
    "headers, named, key",
    [
        (["Commune"], PlaceColumns(postcode="cp"), "err_no_column"),
        (["Département", "note"], PlaceColumns(), "err_no_place_column"),
    ],
)
def test_choose_columns_refuses_a_missing_or_placeless_column(headers, named, key):
    with pytest.raises(InputError) as raised:
        choose_columns(headers, named)
    assert raised.value.key == key
