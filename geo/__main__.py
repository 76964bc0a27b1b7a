"""Command line: `python -m geo sheet ID|--all [-o FILE|DIR] [--lang en]`, and `python -m geo
geocode|map FILE.csv [--name COL] [--postcode COL] [--departement
COL] [--region COL] [--insee COL] [--provider ...] [--domain ...] [--scheme ...]`.

`geocode` writes the CSV back on stdout with geo_* columns (formula-like cells and headers get an
apostrophe unless `--raw`, see geo.geocoding.export); `map -o map.html` writes a standalone HTML
map of the rows beside the French Impact territories; `sheet` writes a territory's one-page PDF
sheet (geo.texts.sheet), or all 27 with --all. Columns not named by a flag are
detected from their headers (geo.geocoding.columns) and the choice is printed on stderr.

Unusable input exits with status 2 and one line saying what is wrong and what to do; a failing
online provider is a warning on stderr and the rows still come back, answered offline.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from geo.domain.review import with_places
from geo.domain.territories import default_geocoder, load_placed
from geo.geocoding.batch import geocode_table
from geo.geocoding.columns import ROLES, PlaceColumns, choose_columns, find_column
from geo.geocoding.errors import InputError
from geo.geocoding.export import csv_bytes
from geo.geocoding.online import PROVIDERS, shared_provider
from geo.geocoding.readers import read_table
from geo.maps.assets import standalone_html
from geo.maps.list_map import build_list_map
from geo.texts.i18n import fault_message
from geo.texts.sheet import sheet_filename, sheet_pdf

USAGE_ERROR = 2
ROLE_HELP = {
    "name": "column of places: commune names, addresses or postal codes",
    "postcode": "column of postal codes",
    "departement": "column of départements (code or name)",
    "region": "column of régions (code or name)",
    "insee": "column of INSEE commune codes (or EPCI SIREN)",
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    geocode = commands.add_parser("geocode", help="geocode a CSV; write it back with geo_* columns")
    map_ = commands.add_parser("map", help="geocode a CSV and write a standalone HTML map of it")
    for command in (geocode, map_):
        command.add_argument(
            "file", type=Path, help="CSV or .xlsx; its place columns are detected or named"
        )
        for role in ROLES:
            command.add_argument(f"--{role}", metavar="COL", help=ROLE_HELP[role])
        command.add_argument("--provider", choices=("offline", *PROVIDERS), default="offline")
        command.add_argument("--domain", help="HOST[:PORT] of the provider's server")
        command.add_argument("--scheme", choices=("https", "http"), help="the server's scheme")
    map_.add_argument("-o", "--output", type=Path, required=True, help="HTML file to write")
    map_.add_argument("--category", help="column whose values colour the points")
    map_.add_argument("--lang", choices=("fr", "en"), default="fr")
    geocode.add_argument("--lang", choices=("fr", "en"), default="fr", help="of geo_note")
    geocode.add_argument(
        "--raw",
        action="store_true",
        help="write cells as they are: no apostrophe before a formula-like =, +, -, @ (for programs)",
    )
    sheet = commands.add_parser("sheet", help="write a territory's one-page PDF sheet")
    which = sheet.add_mutually_exclusive_group(required=True)
    which.add_argument("id", nargs="?", help="territory id, e.g. roubaix")
    which.add_argument("--all", action="store_true", help="all 27 sheets, into the -o folder")
    sheet.add_argument("-o", "--output", type=Path, help="PDF file (a folder with --all)")
    sheet.add_argument("--lang", choices=("fr", "en"), default="fr")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "sheet":
        return write_sheets(args.id, args.all, args.output, args.lang)
    try:
        table = load_input(args.file)
        columns, detected = choose_columns(
            list(table.columns), PlaceColumns(**{role: getattr(args, role) for role in ROLES})
        )
        category_name = getattr(args, "category", None)
        category = find_column(list(table.columns), category_name) if category_name else None
    except InputError as err:
        print(f"error: {args.file}: {err}", file=sys.stderr)
        return USAGE_ERROR
    if detected:
        shown = ", ".join(f"--{role} {getattr(columns, role)!r}" for role in detected)
        print(f"columns detected: {shown}", file=sys.stderr)
    provider = None
    if args.provider != "offline":
        provider = shared_provider(args.provider, args.domain, args.scheme)
    result = geocode_table(table, default_geocoder(), columns, provider, lang=args.lang)
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for fault in result.provider_faults:
        print(f"warning: {fault_message(fault, 'en')}", file=sys.stderr)
    dataset, placed = load_placed()
    table = with_places(result.table, placed)  # région, département, EPCI from the polygons
    if args.command == "geocode":
        sys.stdout.flush()
        sys.stdout.buffer.write(csv_bytes(table, raw=args.raw))
        return 0
    m = build_list_map(table, columns.label(), category, dataset, placed, args.lang)
    args.output.write_text(standalone_html(m), encoding="utf-8")
    counts = result.table["geo_status"].value_counts().to_dict()
    summary = ", ".join(f"{n} {status}" for status, n in counts.items())
    print(f"wrote {args.output} ({len(result.table)} rows: {summary})", file=sys.stderr)
    return 0


def write_sheets(territory_id: str | None, every: bool, output: Path | None, lang: str) -> int:
    """`python -m geo sheet`: one sheet to -o (default fiche-ID.pdf), or --all into a folder."""
    dataset, placed = load_placed()
    if every:
        if output is None:
            print("error: --all needs -o DIR, the folder to write the sheets in", file=sys.stderr)
            return USAGE_ERROR
        output.mkdir(parents=True, exist_ok=True)
        targets = [(tid, output / sheet_filename(tid, lang)) for tid in placed["id"]]
    else:
        known = set(placed["id"])
        if territory_id is None or territory_id not in known:
            print(
                f"error: no territory {territory_id!r}; ids are: {', '.join(sorted(known))}",
                file=sys.stderr,
            )
            return USAGE_ERROR
        targets = [(territory_id, output or Path(sheet_filename(territory_id, lang)))]
    for tid, path in targets:
        path.write_bytes(sheet_pdf(dataset, placed, tid, lang))
        print(f"wrote {path}", file=sys.stderr)
    return 0


def load_input(path: Path) -> pd.DataFrame:
    """The input table, or InputError for a missing, empty or non-text file."""
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError("err_unreadable", detail=err.strerror) from err
    return read_table(data, path.name)


if __name__ == "__main__":
    sys.exit(main())
