"""Hostile files (issue 24): every probe is generated here, small, and must be refused or read
within a budget of time and memory; what goes back out as CSV reads back as the same rows.

The time and memory of reading a probe are measured in a fresh subprocess (its peak RSS from
`resource`), against the same subprocess reading a two-line file: the budget is 5 s and 300 MB
more than that empty run.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import subprocess
import sys
import time
import tomllib
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from babel.numbers import format_decimal
from openpyxl import Workbook

import geo.geocoding.readers as readers
from geo.geocoding.batch import geocode_table
from geo.geocoding.columns import PlaceColumns
from geo.geocoding.errors import InputError
from geo.geocoding.export import csv_bytes, spreadsheet_csv
from geo.geocoding.readers import MB, read_table, unique_names

ROOT = Path(__file__).resolve().parents[2]
SECONDS = 5.0
EXTRA_MB = 300

# Runs read_table on a file in a fresh process; prints what it found, its time and peak RSS.
PROBE = """
import json, resource, sys, time
from geo.geocoding.errors import InputError
from geo.geocoding.readers import read_table
data = open(sys.argv[1], "rb").read()
start = time.perf_counter()
try:
    shape, error = list(read_table(data, sys.argv[1]).shape), None
except InputError as err:
    shape, error = None, err.message("en")
seconds = time.perf_counter() - start
rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"shape": shape, "error": error, "seconds": seconds, "rss_mb": rss_mb}))
"""


def measure(tmp_path: Path, name: str, data: bytes) -> dict:
    path = tmp_path / name
    path.write_bytes(data)
    run = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        capture_output=True,
        cwd=ROOT,
        timeout=120,
        check=True,
    )
    return json.loads(run.stdout)


@pytest.fixture(scope="module")
def empty_run(tmp_path_factory) -> dict:
    """The same subprocess reading a two-line .xlsx (openpyxl imported, as for the probes)."""
    return measure(
        tmp_path_factory.mktemp("empty"), "empty.xlsx", workbook([["Commune"], ["Lyon"]])
    )


def workbook(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def width_bomb(rows: int) -> bytes:
    """A header, then rows of one place and one cell in column XFD (16,384): each row was
    padded to 16,384 cells by pd.read_excel."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Commune", "note"])
    for row in range(2, rows + 2):
        sheet.cell(row=row, column=1, value="Lyon")
        sheet.cell(row=row, column=16_384, value="x")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def padded(megabytes: int) -> bytes:
    """A three-row workbook whose sheet XML carries `megabytes` of whitespace: a small file,
    a large XML."""
    source = zipfile.ZipFile(io.BytesIO(workbook([["Commune"], ["Lyon"], ["Nice"], ["Brest"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename != "xl/worksheets/sheet1.xml":
                target.writestr(info, data)
                continue
            head, tail = data.split(b"</sheetData>")
            with target.open(info.filename, "w", force_zip64=True) as part:
                part.write(head)
                for _ in range(megabytes):
                    part.write(b" " * MB)
                part.write(b"</sheetData>" + tail)
    return out.getvalue()


def shared_strings(count: int) -> bytes:
    """A two-row workbook with a table of `count` distinct texts (openpyxl writes its texts
    inline, so the table is added by hand, with its relationship and content type)."""
    source = zipfile.ZipFile(io.BytesIO(workbook([["Commune"], ["Lyon"]])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdS" Target="sharedStrings.xml" Type="http://schemas.'
                    b'openxmlformats.org/officeDocument/2006/relationships/sharedStrings"/>'
                    b"</Relationships>",
                )
            if info.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="'
                    + readers.SHARED_STRINGS_TYPE.encode()
                    + b'"/></Types>',
                )
            target.writestr(info, data)
        texts = b"".join(b"<si><t>%07d</t></si>" % i for i in range(count))
        target.writestr(
            "xl/sharedStrings.xml",
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            + texts
            + b"</sst>",
        )
    return out.getvalue()


def within_budget(found: dict, empty: dict) -> None:
    assert found["seconds"] <= SECONDS, found
    assert found["rss_mb"] - empty["rss_mb"] <= EXTRA_MB, (found, empty)


# --- budgets ----------------------------------------------------------------------------------


def test_the_width_bomb_is_refused_at_its_first_row_in_time_and_memory(tmp_path, empty_run):
    data = width_bomb(2_000)
    assert 15_000 < len(data) < 25_000  # the 21 kB probe
    found = measure(tmp_path, "bomb.xlsx", data)
    print(f"width bomb {len(data)} B: {found} (empty run {empty_run})")
    within_budget(found, empty_run)
    assert found["error"].startswith("Line 2 has a value in column XFD; the limit is 200 columns")


@pytest.mark.parametrize("megabytes, refused", [(90, False), (150, True)])
def test_an_xlsx_padded_to_a_large_xml_is_refused_or_read_in_budget(
    tmp_path, empty_run, megabytes, refused
):
    data = padded(megabytes)
    assert len(data) < 1_000_000
    found = measure(tmp_path, "padded.xlsx", data)
    print(f"padded {megabytes} MB of XML in {len(data)} B: {found} (empty run {empty_run})")
    within_budget(found, empty_run)
    if refused:
        assert found["error"].startswith("Unpacked, the workbook is 150")
        assert "the limit is 100 MB" in found["error"]
    else:
        assert found == found | {"shape": [3, 1], "error": None}


def test_a_table_of_too_many_distinct_texts_is_refused_in_budget(tmp_path, empty_run):
    data = shared_strings(readers.MAX_SHARED_STRINGS + 1)
    found = measure(tmp_path, "strings.xlsx", data)
    print(f"shared strings {len(data)} B: {found}")
    within_budget(found, empty_run)
    assert found["error"].startswith("The workbook holds more than 200,000 distinct texts")
    small = shared_strings(3)  # the table is read: a text of it is a cell's value
    assert read_table(small, "liste.xlsx")["Commune"].tolist() == ["Lyon"]


@pytest.mark.parametrize("prefix", [b"", b"x:"])
def test_distinct_texts_are_counted_exactly_across_chunks(prefix):
    def table(count: int) -> io.BytesIO:  # ~25 bytes a text: several 1 MB chunks
        text = b"<%ssi><%st>abcdefghijk</%st></%ssi>" % (prefix, prefix, prefix, prefix)
        return io.BytesIO(b"<%ssst>" % prefix + text * count + b"</%ssst>" % prefix)

    readers._count_strings(table(readers.MAX_SHARED_STRINGS))
    with pytest.raises(InputError, match="more than 200,000 distinct texts"):
        readers._count_strings(table(readers.MAX_SHARED_STRINGS + 1))


def test_a_5_mb_header_of_duplicate_names_is_refused_in_time(tmp_path, empty_run):
    data = ("Commune;" + ";".join(["x"] * 2_500_000) + "\nLyon\n").encode()
    assert len(data) > 5_000_000
    found = measure(tmp_path, "header.csv", data)
    print(f"5 MB header: {found}")
    within_budget(found, empty_run)
    length = format(len(data.splitlines()[0]), ",")
    assert found["error"].startswith(f"Line 1 is {length} characters long; the limit is 100,000")


def test_duplicate_names_are_made_unique_in_linear_time():
    names = ["Commune", *["x"] * 500_000, "x.1", ""]
    start = time.perf_counter()
    unique = unique_names(names)
    seconds = time.perf_counter() - start
    assert seconds < SECONDS  # pandas' renaming: 40 k names 3.8 s, growing with their square
    assert len(set(unique)) == len(names)
    assert unique[:4] == ["Commune", "x", "x.2", "x.3"]  # "x.1" is a name of the file
    assert unique[-2:] == ["x.1", f"Unnamed: {len(names) - 1}"]


def test_a_header_of_duplicates_within_the_limits_is_read():
    table = read_table(("Commune;" + ";".join(["x"] * 199) + "\nLyon\n").encode())
    assert table.columns[:3].tolist() == ["Commune", "x", "x.1"]
    assert table.columns[-1] == "x.198"


@pytest.mark.parametrize(
    "limit, value, data, message",
    [
        ("MAX_UPLOAD_ROWS", 3, b"nom\na\nb\nc\nd\n", "more than 3 rows (line 5 is over the limit)"),
        ("MAX_CELLS", 5, b"nom;x\na;1\nb;2\nc;3\n", "more than 5 cells (line 4 is over the limit)"),
        ("MAX_COLUMNS", 2, b"a;b;c\n1;2;3\n", "Line 1 has a value in column 3; the limit is 2"),
        ("MAX_LINE_CHARS", 10, b"nom\nLyon\n" + b"x" * 11 + b"\n", "Line 3 is 11 characters"),
    ],
)
def test_the_first_row_over_a_limit_stops_the_csv_and_names_it(
    monkeypatch, limit, value, data, message
):
    monkeypatch.setattr(readers, limit, value)
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_table(data)


def test_the_first_row_over_a_limit_stops_the_xlsx_and_names_it(monkeypatch):
    monkeypatch.setattr(readers, "MAX_UPLOAD_ROWS", 2)
    rows = [["Commune"], ["Lyon"], [None], ["Nice"], ["Brest"]]
    with pytest.raises(InputError, match=r"more than 2 rows \(line 5 is over the limit\)"):
        read_table(workbook(rows), "liste.xlsx")
    assert read_table(workbook(rows[:4]), "liste.xlsx")["Commune"].tolist() == ["Lyon", "Nice"]


def test_the_limits_are_the_apps_and_streamlits_own():
    assert readers.MAX_UPLOAD_ROWS == 50_000
    assert {"MAX_COLUMNS", "MAX_CELLS", "MAX_LINE_CHARS", "MAX_XLSX_XML_BYTES"} <= set(
        vars(readers)
    )
    settings = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert settings["server"]["maxUploadSize"] * MB == readers.MAX_UPLOAD_BYTES


def test_refusals_write_their_numbers_in_the_users_language():
    error = InputError("err_too_many_rows", row=50_002, limit=50_000)
    fifty = format_decimal(50_000, locale="fr_FR")
    assert fifty != "50,000"
    assert error.message("fr").startswith(f"Le fichier a plus de {fifty} lignes")
    assert error.message("en").startswith("The file has more than 50,000 rows")
    big = InputError("err_too_big", size=20.5, limit=20)
    assert big.message("fr").startswith("Le fichier pèse 20,5 Mo ; la limite est de 20 Mo.")


# --- what the reading had to repair -------------------------------------------------------------


def test_a_file_mixing_utf8_and_windows_1252_is_read_line_by_line_and_says_so(geocoder):
    data = (
        b"Commune;note\n"
        + "Chambéry;é\n".encode()
        + "Évry;è\n".encode("cp1252")
        + "Nîmes;à\n".encode()
    )
    table = read_table(data)
    assert table.values.tolist() == [["Chambéry", "é"], ["Évry", "è"], ["Nîmes", "à"]]
    notes = (
        geocode_table(table, geocoder, PlaceColumns(name="Commune"), lang="en")
        .table["geo_note"]
        .tolist()
    )
    assert notes[1] == (
        "line 3 of the file read as Windows-1252 (the rest of the file is in another encoding): "
        "check its accents"
    )
    assert notes[0] == notes[2] == ""


def test_a_plain_windows_1252_file_is_not_reported():
    table = read_table("Commune;note\nÉvry;è\nNîmes;à\n".encode("cp1252"))
    assert table["Commune"].tolist() == ["Évry", "Nîmes"]
    assert not table.attrs


def test_a_formula_without_a_saved_value_is_not_silently_empty(geocoder):
    # openpyxl writes formulas without their value, as a program does before Excel opens it.
    data = workbook([["Commune", "total"], ["Lyon", "=1+1"], ["Nice", 3]])
    table = read_table(data, "liste.xlsx")
    assert table["total"].tolist() == ["", "3"]
    notes = (
        geocode_table(table, geocoder, PlaceColumns(name="Commune"), lang="fr")
        .table["geo_note"]
        .tolist()
    )
    assert notes[0].startswith("formule sans valeur enregistrée en B2 : lue comme vide")
    assert notes[1] == ""


# --- one CSV writer --------------------------------------------------------------------------

HOSTILE_CELLS = [
    '=HYPERLINK("http://evil.example","ici")',
    "+33 1 23 45 67 89",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "a\rb",  # a bare CR: written unquoted, it split the row in two
    "c\nd",
    "e\r\nf",
    "g;h,i",
    'j"k"',
    "Lyon",
]


def hostile_table() -> pd.DataFrame:
    return pd.DataFrame(
        {"=cmd|' /C calc'!A0": HOSTILE_CELLS, "Commune": ["Lyon"] * len(HOSTILE_CELLS)}
    )


def neutral(cell: str) -> str:
    return "'" + cell if cell[:1] in ("=", "+", "-", "@", "\t", "\r") else cell


@pytest.mark.parametrize(
    "write, sep",
    [(csv_bytes, ","), (spreadsheet_csv, ";"), (lambda table: csv_bytes(table, raw=True), ",")],
    ids=["cli", "spreadsheet", "raw"],
)
def test_hostile_cells_round_trip_with_the_same_rows(write, sep):
    data = write(hostile_table())
    raw = write is not csv_bytes and write is not spreadsheet_csv
    expected = HOSTILE_CELLS if raw else [neutral(cell) for cell in HOSTILE_CELLS]
    header = "=cmd|' /C calc'!A0" if raw else "'=cmd|' /C calc'!A0"
    text = data.decode("utf-8-sig")
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    assert len(records) == 1 + len(HOSTILE_CELLS)
    assert records[0] == [header, "Commune"]
    assert [record[0] for record in records[1:]] == expected
    back = read_table(data)  # the app reads its own files back
    assert back.columns.tolist() == [header, "Commune"]
    assert back.iloc[:, 0].tolist() == expected
    frame = pd.read_csv(io.BytesIO(data), sep=sep, dtype=str, keep_default_na=False)
    assert len(frame) == len(HOSTILE_CELLS)


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "geo", "geocode", *args],
        capture_output=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def test_the_command_line_writes_hostile_cells_safely_and_raw_leaves_them(tmp_path):
    source = tmp_path / "hostile.csv"
    source.write_bytes(csv_bytes(hostile_table(), raw=True))
    for flags, cells, header in (
        ((), [neutral(cell) for cell in HOSTILE_CELLS], "'=cmd|' /C calc'!A0"),
        (("--raw",), HOSTILE_CELLS, "=cmd|' /C calc'!A0"),
    ):
        run = run_cli(str(source), "--name", "Commune", *flags)
        assert run.returncode == 0, run.stderr
        records = list(csv.reader(io.StringIO(run.stdout.decode(), newline="")))
        assert len(records) == 1 + len(HOSTILE_CELLS)
        assert records[0][:2] == [header, "Commune"]
        assert [record[0] for record in records[1:]] == cells
        assert {record[2] for record in records[1:]} == {"resolved"}


# --- the server's own upload limit -------------------------------------------------------------

UPLOADER = "import streamlit as st\nst.file_uploader('file')\n"


async def upload_statuses(url: str, sizes: list[int]) -> list[int]:
    """Open a session over Streamlit's websocket as a browser does and, while it is open, PUT
    bodies of these sizes to its upload endpoint: their HTTP statuses."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.asyncio.client import connect

    stream = url.replace("http", "ws", 1) + "/_stcore/stream"
    async with connect(stream, additional_headers={"Origin": url}, proxy=None) as socket:
        message = BackMsg()
        message.rerun_script.query_string = ""
        await socket.send(message.SerializeToString())
        while True:
            answer = ForwardMsg.FromString(await socket.recv())
            if answer.WhichOneof("type") == "new_session":
                session = answer.new_session.initialize.session_id
                break
        endpoint = f"{url}/_stcore/upload_file/{session}/probe"
        return [await asyncio.to_thread(put, endpoint, size) for size in sizes]


def put(url: str, size: int) -> int:
    """The HTTP status of a PUT of `size` bytes to the upload endpoint (the server may answer
    413 and close before the whole body is sent: its answer is read all the same)."""
    import http.client
    from urllib.parse import urlsplit

    head = b'--b\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\n'
    tail = b"\r\n--b--\r\n"
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    connection.putrequest("PUT", parts.path)
    connection.putheader("Content-Type", "multipart/form-data; boundary=b")
    connection.putheader("Content-Length", str(len(head) + size + len(tail)))
    connection.endheaders()
    try:
        connection.send(head)
        for start in range(0, size, MB):
            connection.send(b"x" * min(MB, size - start))
        connection.send(tail)
    except OSError:  # the server closed after answering
        pass
    try:
        return connection.getresponse().status
    finally:
        connection.close()


def test_the_server_refuses_uploads_over_the_apps_limit(tmp_path):
    from benchmarks.protocol_load import run_sync
    from geo.web.harness import AppServer

    script = tmp_path / "uploader.py"
    script.write_text(UPLOADER)
    # XSRF is another matter: switched off here so that the size is the only check left.
    with AppServer(script, ["--server.enableXsrfProtection", "false"]) as server:
        sizes = [readers.MAX_UPLOAD_BYTES + MB, MB]
        # In a loop of its own (the browser tests keep one running in this thread).
        over, under = run_sync(upload_statuses(server.url, sizes))
    assert over == 413
    assert under in (200, 204)


@pytest.mark.parametrize(
    "english", ["File must be 21.0MB or smaller.", "File must be 20MB or smaller."]
)
def test_streamlits_size_error_is_french_on_the_french_page(english):
    import re

    from geo.web.widget_text import widget_rules

    french = next(
        re.sub(f"^{pattern}$", replacement, english)
        for pattern, replacement in widget_rules("fr")
        if re.fullmatch(pattern, english)
    )
    assert french == "Le fichier doit peser au plus 20 Mo."
    back = next(r for p, r in widget_rules("en") if re.fullmatch(p, french))
    assert back == "File must be 20 MB or smaller."
