"""Numbers, percentages and dates in the reader's language (geo.texts.formatting, Babel)."""

from __future__ import annotations

from geo.texts.formatting import long_date, number, percent


def test_french_forms():
    assert number(8114361, "fr") == "8\u202f114\u202f361"
    assert number("50000", "fr") == "50\u202f000"
    assert percent("10.7", "fr") == "10,7\xa0%"
    assert long_date("2019-02-25", "fr") == "25 février 2019"


def test_english_forms():
    assert number(8114361, "en") == "8,114,361"
    assert percent(10.7, "en") == "10.7%"
    assert long_date("2019-02-25", "en") == "25 February 2019"


def test_shares_keep_the_decimals_written_in_the_data():
    # 11.2 / 100 in floating point is 0.11199999999999999: the division is decimal
    assert percent("11.2", "fr") == "11,2\xa0%"
    assert percent("14.3", "en") == "14.3%"
    assert percent("10.0", "fr") == "10\xa0%"


def test_empty_values_stay_empty():
    assert number("", "fr") == percent("", "en") == long_date("", "fr") == ""
