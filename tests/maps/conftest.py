"""Readers of what a rendered map hands to the factories of its scripts (static/js)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest

from geo.maps.element import NAMESPACE


@pytest.fixture(scope="session")
def factory_arguments() -> Callable[[str, str], list[list]]:
    """Reader: the JSON arguments after the map of each call of `carteEss.<factory>(map, ...)`
    in a rendered map or script, one list per call."""

    def read(html: str, factory: str) -> list[list]:
        calls = []
        for call in re.finditer(rf"{NAMESPACE}\.{factory}\(\w+", html):
            args, end, decoder = [], call.end(), json.JSONDecoder()
            while html.startswith(", ", end):
                value, end = decoder.raw_decode(html, end + 2)
                args.append(value)
            calls.append(args)
        return calls

    return read
