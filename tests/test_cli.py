"""`python -m geo geocode` as a user runs it, and the readers and exports behind it.

The command-line runs are independent processes: a module fixture starts them all at once and
the tests read their results, so the suite waits for the slowest run rather than for the sum.
"""

from __future__ import annotations

import io
import json
import math
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

import geo.geocoding.readers
from geo.domain.review import PLACE_COLUMNS
from geo.geocoding.batch import GEO_COLUMNS
from geo.geocoding.errors import InputError
from geo.geocoding.export import neutralize_formulas, spreadsheet_csv, to_geojson
from geo.geocoding.readers import read_table

ROOT = Path(__file__).resolve().parent.parent
HOSTILE = "<img src=x onerror=alert(1)>"

# Input rows: (code, name, note) and, for each, (geo_status, geo_code) expected back.
ROWS = [
    ("01001", "Lyon", "première ligne"),
    ("", "", "nom vide"),
    ("x", HOSTILE, "hostile"),
    ("02", "Chambéry", "accents, virgule"),
    ("01001", "Lyon", "doublon"),
    ("03", "Blorptown", "n'existe pas"),
    ("04", "Saint-Denis", "homonyme"),
    ("05", "Montreuillois", "libellé French Impact"),
    ("01001", "Lyon", "première ligne"),
]
EXPECTED = [
    ("resolved", "69123"),
    ("not_found", ""),
    ("not_found", ""),
    ("resolved", "73065"),
    ("resolved", "69123"),
    ("not_found", ""),
    ("ambiguous", "97411"),  # four Saint-Denis: the most populous placed, still to check
    ("resolved", "62588"),
    ("resolved", "69123"),
]
# With hint columns: the same names, the hints change the answers.
HINTED_ROWS = [
    ("Valence", "Occitanie", ""),
    ("Valence", "", "26"),
    ("Saint-Denis", "", "974"),
    ("Saint-Denis", "Île-de-France", ""),
    ("Lyon", "", ""),
]
HINTED_EXPECTED = ["82186", "26362", "97411", "93066", "69123"]


def csv_text(header: list[str], rows: list[tuple], sep: str) -> str:
    buffer = io.StringIO()
    pd.DataFrame(rows, columns=header).to_csv(buffer, sep=sep, index=False, lineterminator="\r\n")
    return buffer.getvalue()


def xlsx_bytes(header: list[str], rows: list[tuple]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = ["code", "Name", "note"]
GOOD_INPUTS = {
    "utf8-comma": ("liste.csv", csv_text(HEADER, ROWS, ",").encode("utf-8")),
    "utf8-bom-semicolon": ("liste.csv", csv_text(HEADER, ROWS, ";").encode("utf-8-sig")),
    "cp1252-semicolon": ("liste.csv", csv_text(HEADER, ROWS, ";").encode("cp1252")),
    "utf8-tab": ("liste.tsv", csv_text(HEADER, ROWS, "\t").encode("utf-8")),
    "xlsx": ("liste.xlsx", xlsx_bytes(HEADER, ROWS)),
}
HINT_INPUT = (
    "hints.csv",
    csv_text(["name", "Region", "DEPARTEMENT"], HINTED_ROWS, ";").encode("utf-8-sig"),
)
# The export a new user tried (issue 11): Windows-1252, ";", the place in "Commune".
EXPORT = (
    "Nom de la structure;Commune;Code postal;Secteur\r\n"
    "Atelier de l'Épeule;ROUBAIX;59100;Insertion\r\n"
    "Recyclerie;POITIERS CEDEX;86000;Réemploi\r\n"
    "Café associatif;ST DENIS;93200;Culture\r\n"
    "Jardin partagé;SAINT-DENIS;97490;Agriculture\r\n"
    "Régie de quartier;PARIS 13;75013;Services\r\n"
    "Épicerie solidaire;LYON 3EME;69003;Alimentation\r\n"
    "Tiers-lieu;;13001;Culture\r\n"
    "Ressourcerie;Marseille 1er arrondissement;;Réemploi\r\n"
).encode("cp1252")
EXPORT_CODES = ["59512", "86194", "93066", "97411", "75113", "69383", "13201", "13201"]
BAD_INPUTS = {
    "no-place-column": ("nom.csv", b"titre;effectif\nAtelier;3\n", "--name"),
    "header-only": ("entete.csv", b"Commune;Code postal\r\n", "no data rows"),
    "empty-file": ("vide.csv", b"", "empty"),
    "blank-file": ("blanc.csv", b"\r\n  \r\n", "empty"),
    "binary-file": ("image.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "binary"),
    "not-a-workbook": ("faux.xlsx", b"name\nLyon\n", ".xlsx"),
    "missing-file": (None, None, "cannot read the file"),
}


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", *args],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def cli_runs(tmp_path_factory) -> dict[str, subprocess.CompletedProcess]:
    """Every command-line run of this module, started together."""
    directory = tmp_path_factory.mktemp("cli")
    files: dict[str, Path] = {}
    inputs = {key: (name, data) for key, (name, data) in GOOD_INPUTS.items()}
    inputs["hints"] = HINT_INPUT
    inputs["export"] = ("export.csv", EXPORT)
    inputs |= {key: (name, data) for key, (name, data, _) in BAD_INPUTS.items()}
    for key, (name, data) in inputs.items():
        path = directory / key / (name or "absent.csv")
        path.parent.mkdir()
        if data is not None:
            path.write_bytes(data)
        files[key] = path
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {key: pool.submit(run_cli, "geocode", str(path)) for key, path in files.items()}
        return {key: future.result() for key, future in futures.items()}


def output_table(run: subprocess.CompletedProcess) -> pd.DataFrame:
    assert run.returncode == 0, run.stderr.decode("utf-8", "replace")
    text = run.stdout.decode("utf-8")
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


@pytest.mark.parametrize("variant", list(GOOD_INPUTS))
def test_geocode_writes_every_row_back_with_the_geo_columns(cli_runs, variant):
    table = output_table(cli_runs[variant])
    assert table.columns.tolist() == HEADER + GEO_COLUMNS + PLACE_COLUMNS
    assert [tuple(row) for row in table[HEADER].itertuples(index=False)] == ROWS
    got = list(zip(table["geo_status"], table["geo_code"], strict=True))
    assert got == EXPECTED
    resolved = table[table["geo_status"] == "resolved"]
    assert (resolved["geo_source"] == "offline").all()
    assert resolved["geo_lat"].astype(float).between(-25, 52).all()
    assert resolved["geo_confidence"].astype(float).ge(0.8).all()
    assert table.loc[0, "geo_departement"] == "69" and table.loc[0, "geo_region"] == "84"
    assert (table.loc[[1, 2, 5], ["geo_lat", "geo_lon", "geo_source"]] == "").all().all()
    assert cli_runs[variant].stderr == b"columns detected: --name 'Name'\n"


def test_geocode_uses_region_and_departement_columns_as_hints(cli_runs):
    table = output_table(cli_runs["hints"])
    assert table.columns.tolist() == ["name", "Region", "DEPARTEMENT", *GEO_COLUMNS, *PLACE_COLUMNS]
    assert table["geo_code"].tolist() == HINTED_EXPECTED
    assert table["geo_status"].eq("resolved").all()


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_unusable_input_exits_2_with_one_line_and_no_traceback(cli_runs, case):
    run = cli_runs[case]
    stderr = run.stderr.decode("utf-8")
    assert run.returncode == 2, stderr
    assert run.stdout == b""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    assert BAD_INPUTS[case][2].lower() in lines[0].lower()
    assert "Traceback" not in stderr


def test_a_windows_1252_export_works_without_flags(cli_runs):
    run = cli_runs["export"]
    table = output_table(run)
    assert table["geo_code"].tolist() == EXPORT_CODES
    assert table["geo_status"].eq("resolved").all()
    assert table["Nom de la structure"].tolist()[0] == "Atelier de l'Épeule"
    assert run.stderr.decode() == "columns detected: --name 'Commune', --postcode 'Code postal'\n"
    assert table.loc[1, "geo_note"] == "mention CEDEX retirée"
    assert table.loc[4, "geo_kind"] == "arrondissement"


def test_flags_name_the_columns_and_a_missing_one_exits_2_with_the_columns_found(tmp_path):
    source = tmp_path / "liste.csv"
    source.write_text("Structure;Lieu;CP;Dep\nA;Saint-Denis;97490;\nB;Valence;;82\n")
    run = run_cli(
        "geocode", str(source), "--name", "Lieu", "--postcode", "cp", "--departement", "Dep"
    )
    table = output_table(run)
    assert table["geo_code"].tolist() == ["97411", "82186"]
    assert run.stderr == b""  # every column named: nothing detected, nothing to say
    missing = run_cli("geocode", str(source), "--postcode", "Code postal")
    assert missing.returncode == 2
    assert missing.stdout == b""
    assert missing.stderr.decode().strip() == (
        f"error: {source}: No 'Code postal' column (columns found: Structure, Lieu, CP, Dep)."
    )


def test_an_insee_code_column_is_read_as_codes_and_a_place_column_as_postal_codes(tmp_path):
    source = tmp_path / "codes.csv"
    source.write_text("ville;code insee\n13001;\n59100;\n;13001\n;59512\n;200046977\n")
    table = output_table(run_cli("geocode", str(source)))
    assert table["geo_code"].tolist() == ["13201", "59512", "13001", "59512", "200046977"]
    assert table["geo_label"].tolist()[:3] == [
        "Marseille 1er Arrondissement",
        "Roubaix",
        "Aix-en-Provence",
    ]


def test_hints_that_are_not_what_their_column_says_are_used_or_reported(tmp_path):
    source = tmp_path / "indices.csv"
    source.write_text(
        "commune;departement;code postal\n"
        "Saint-Denis;97490;\n"  # a postal code in the département column: used as one
        "Valence;;82\n"  # a département in the postal code column: used as one
        "Saint-Denis;Narnia;\n"  # nothing known: reported
    )
    table = output_table(run_cli("geocode", str(source), "--lang", "en"))
    assert table["geo_code"].tolist()[:2] == ["97411", "82186"]
    assert table["geo_note"].tolist()[:2] == [
        "'97490' in the département column read as postal code",
        "'82' in the postal code column read as département",
    ]
    assert table.loc[2, "geo_status"] == "ambiguous"
    assert (
        "'Narnia' in the département column is not recognised: ignored" in table.loc[2, "geo_note"]
    )


def test_a_one_column_address_is_placed_at_its_commune_and_says_so(tmp_path):
    source = tmp_path / "adresses.csv"
    source.write_text("adresse\n12 rue de l'Épeule 59100 Roubaix\n", encoding="utf-8")
    table = output_table(run_cli("geocode", str(source), "--lang", "en"))
    assert table.loc[0, ["geo_code", "geo_precision"]].tolist() == ["59512", "commune"]
    assert table.loc[0, "geo_note"] == (
        "address read: postal code 59100, commune 'Roubaix'; placed at commune precision"
    )


def test_usage_error_without_a_file():
    run = run_cli("geocode")
    assert run.returncode == 2
    assert b"Traceback" not in run.stderr


# --- geo.geocoding.readers --------------------------------------------------------------------------------


def test_reads_a_tab_separated_file_keeping_codes_as_text():
    table = read_table(b"name\tcode\tdep\nNice\t06088\t06\nBourg\t01053\t01\n")
    assert table.columns.tolist() == ["name", "code", "dep"]
    assert table.values.tolist() == [["Nice", "06088", "06"], ["Bourg", "01053", "01"]]


@pytest.mark.parametrize(
    "data",
    [
        "name;note\nChambéry;a,b\n".encode(),
        "name;note\nChambéry;a,b\n".encode("utf-8-sig"),
        "name;note\nChambéry;a,b\n".encode("cp1252"),
        'name,note\nChambéry,"a,b"\n'.encode("cp1252"),
    ],
    ids=["utf8", "utf8-bom", "cp1252", "cp1252-comma-quoted"],
)
def test_reads_french_exports_in_any_common_encoding(data):
    table = read_table(data)
    assert table.columns.tolist() == ["name", "note"]
    assert table.values.tolist() == [["Chambéry", "a,b"]]


def test_reads_an_xlsx_written_by_openpyxl():
    data = xlsx_bytes(["name", "code", "effectif"], [("Chambéry", "01001", 12), ("Lyon", "", None)])
    table = read_table(data, "liste.xlsx")
    assert table.columns.tolist() == ["name", "code", "effectif"]
    assert table["name"].tolist() == ["Chambéry", "Lyon"]
    assert table["code"].tolist() == ["01001", ""]
    assert table.loc[1, "effectif"] == ""


def test_header_spaces_are_trimmed():
    assert read_table(b"  name , dep \nLyon,69\n").columns.tolist() == ["name", "dep"]


def test_over_size_file_is_refused(monkeypatch):
    monkeypatch.setattr(geo.geocoding.readers, "MAX_UPLOAD_BYTES", 1000)
    data = ("name\n" + "Lyon\n" * 300).encode()
    with pytest.raises(InputError, match="limit is"):
        read_table(data)
    assert len(read_table(data[:900])) > 100


def test_too_many_rows_are_refused(monkeypatch):
    monkeypatch.setattr(geo.geocoding.readers, "MAX_UPLOAD_ROWS", 10)
    with pytest.raises(InputError, match=r"more than 10 rows \(line 12 is over the limit\)"):
        read_table(("name\n" + "Lyon\n" * 11).encode())


@pytest.mark.parametrize(
    "data, filename, message",
    [
        (b"", "", "empty"),
        (b"\x00\x01\x02" * 50, "", "binary"),
        (b"name\nLyon\n", "liste.xlsx", "Excel workbook"),
        (b"name,dep\nLyon,1\nNice,2,3\n", "", "same number of separators"),
    ],
)
def test_unusable_files_raise_input_error_saying_what_to_do(data, filename, message):
    with pytest.raises(InputError, match=message) as caught:
        read_table(data, filename)
    assert isinstance(caught.value, ValueError)


def test_a_row_with_too_many_fields_is_not_silently_shifted():
    try:
        table = read_table(b"name,dep\nLyon,69,extra,fields\nNice,06\n")
    except InputError:
        return
    assert table["name"].tolist()[:1] == ["Lyon"]


# --- geo.geocoding.export ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "cell, safe",
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+33 1 23 45 67 89", "'+33 1 23 45 67 89"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1+1", "'\t=1+1"),
        ("Lyon", "Lyon"),
        ("a=b", "a=b"),
        ("", ""),
    ],
)
def test_formula_cells_are_neutralised(cell, safe):
    table = pd.DataFrame({"name": [cell], "n": [-1.5]})
    out = neutralize_formulas(table)
    assert out.loc[0, "name"] == safe
    assert out.loc[0, "n"] == -1.5  # numbers are not text: left alone
    assert table.loc[0, "name"] == cell  # a copy: the input is untouched


def test_spreadsheet_csv_is_for_french_excel():
    table = pd.DataFrame({"name": ["Chambéry", "=cmd|' /C calc'!A0"], "lat": [45.57, None]})
    data = spreadsheet_csv(table)
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "name;lat"
    assert lines[1] == "Chambéry;45,57"
    assert lines[2].startswith("'=cmd")
    back = pd.read_csv(
        io.BytesIO(data), sep=";", decimal=",", encoding="utf-8-sig", dtype={"name": str}
    )
    assert back["name"].tolist() == ["Chambéry", "'=cmd|' /C calc'!A0"]
    assert back.loc[0, "lat"] == 45.57


def test_geojson_puts_longitude_first_and_skips_rows_without_a_position():
    table = pd.DataFrame(
        {
            "name": ["Roubaix", "Nulle part", HOSTILE],
            "lat": [50.69421, None, -12.78],
            "lon": [3.17456, None, 45.23],
            "population": [98000.0, 1.0, math.nan],
        }
    )
    collection = json.loads(to_geojson(table))
    assert collection["type"] == "FeatureCollection"
    features = collection["features"]
    assert [f["properties"]["name"] for f in features] == ["Roubaix", HOSTILE]
    assert features[0]["geometry"] == {"type": "Point", "coordinates": [3.17456, 50.69421]}
    assert features[1]["geometry"]["coordinates"] == [45.23, -12.78]
    assert features[1]["properties"]["population"] is None
    assert "lat" not in features[0]["properties"]
