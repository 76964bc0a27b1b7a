"""Command line: `python -m geo geocode FILE.csv [--provider ...] [--domain ...] [--scheme ...]`.

Unusable input exits with status 2 and one line saying what is wrong and what to do; a failing
online provider is a warning on stderr and the rows still come back, answered offline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from geo.batch import geocode_table
from geo.errors import InputError
from geo.online import PROVIDERS, make_provider
from geo.readers import read_table
from geo.territories import default_geocoder

USAGE_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    geocode = commands.add_parser("geocode", help="geocode a CSV; write it back with geo_* columns")
    geocode.add_argument(
        "file", type=Path, help="CSV with a 'name' column (and optional 'region', 'departement')"
    )
    geocode.add_argument("--provider", choices=("offline", *PROVIDERS), default="offline")
    geocode.add_argument(
        "--domain", help="HOST[:PORT] of the provider's server (self-hosted, local)"
    )
    geocode.add_argument(
        "--scheme", choices=("https", "http"), help="scheme of the provider's server"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        table = load_input(args.file)
        name_column = find_column(table, "name")
    except InputError as err:
        print(f"error: {args.file}: {err}", file=sys.stderr)
        return USAGE_ERROR
    provider = None
    if args.provider != "offline":
        provider = make_provider(args.provider, args.domain, args.scheme)
    result = geocode_table(
        table,
        default_geocoder(),
        name_column=name_column,
        region_column=find_column(table, "region", required=False),
        departement_column=find_column(table, "departement", required=False),
        provider=provider,
    )
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    result.table.to_csv(sys.stdout, index=False, lineterminator="\n")
    return 0


def load_input(path: Path) -> pd.DataFrame:
    """The input table, or InputError for a missing, empty or non-text file."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"cannot read the file ({err.strerror}). Check the path.") from err
    return read_table(data, path.name)


def find_column(table: pd.DataFrame, wanted: str, required: bool = True) -> str | None:
    """The column whose header is `wanted`, ignoring case and surrounding spaces."""
    for column in table.columns:
        if column.strip().lower() == wanted:
            return column
    if required:
        raise InputError(
            f"no '{wanted}' column (columns found: {', '.join(map(str, table.columns))}). "
            f"Name the column holding the places '{wanted}'."
        )
    return None


if __name__ == "__main__":
    sys.exit(main())
