"""Read users' spreadsheets as they really come, within budgets that hostile files cannot break.

French spreadsheets are exported as UTF-8 (with or without BOM) or Windows-1252, separated by
";" (Excel in a French locale), "," or tabs; or they are .xlsx files. Every cell is read as text
so codes keep their leading zeros. Unusable input raises InputError with a message that says what
is wrong and what to do.

Every file is read within the budgets below (one place; geo.config names them for the app, and
the CLI and the page apply the same), checked as the file is read and never after it: an .xlsx is
streamed row by row from its XML (openpyxl's sheet parser, which yields only the cells present,
where `pd.read_excel` padded every row to the widest one: one cell in column XFD per row of a
21 kB file took 1.5 GB), its parts' uncompressed size is capped before any is parsed, and the
first row over a limit stops the reading and says which limit. Duplicate header names are made
unique in linear time (pandas' renaming was quadratic: a 5 MB header never finished).

What the reading changed about a row (a line of another encoding, a formula whose value the file
does not hold) is not lost: `table.attrs[READ_NOTES]` maps row positions to notes, which the batch
appends to `geo_note`.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO
from xml.etree import ElementTree

import pandas as pd

from geo.geocoding.errors import InputError
from geo.geocoding.notes import Note

XLSX_MAGIC = b"PK\x03\x04"
SEPARATORS = ";,\t"
MB = 1024 * 1024  # Streamlit's server.maxUploadSize counts megabytes of 2**20 bytes
# Bring-your-own-list limits, stated to the user when exceeded (named again in geo.config).
MAX_UPLOAD_ROWS = 50_000  # data rows, header excluded
MAX_UPLOAD_BYTES = 20 * MB  # the file as uploaded; .streamlit/config.toml's maxUploadSize agrees
MAX_COLUMNS = 200  # a SIRENE establishment export has 53
MAX_CELLS = 2_500_000  # rows × columns kept, and cells parsed in an .xlsx: 50,000 rows × 50
MAX_LINE_CHARS = 100_000  # one physical line of a CSV
MAX_XLSX_XML_BYTES = 100 * MB  # an .xlsx's parts once uncompressed (its sheets and strings)
# Distinct texts of an .xlsx (its shared strings, all read before any row): 200,000 take ~2 s on
# this loaded 2-core machine, 500,000 took 5-23 s. 50,000 rows × 4 columns of distinct texts; a
# CSV has no such table, hence no such limit (the message says so).
MAX_SHARED_STRINGS = 200_000
READ_NOTES = "read_notes"  # key of DataFrame.attrs: {row position: (Note, ...)}


@dataclass
class _Table:
    """What a reader found: header cells, data rows (lists of text) and notes by row position."""

    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    notes: dict[int, tuple[Note, ...]] = field(default_factory=dict)


def read_table(data: bytes, filename: str = "") -> pd.DataFrame:
    """Every row of a CSV or .xlsx file as text columns, or InputError saying why not."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            "err_too_big", size=math.ceil(len(data) * 10 / MB) / 10, limit=MAX_UPLOAD_BYTES // MB
        )
    if not data.strip():
        raise InputError("err_empty")
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        found = _read_xlsx(data)
    else:
        found = _read_csv(data)
    if not any(found.header):
        raise InputError("err_no_header")
    names = unique_names([cell.strip() for cell in found.header])
    if not found.rows:
        raise InputError("err_no_rows", columns=", ".join(names))
    width = len(names)
    rows = [row + [""] * (width - len(row)) for row in found.rows]
    table = pd.DataFrame(rows, columns=names, dtype=str)
    if found.notes:
        table.attrs[READ_NOTES] = found.notes
    return table


def unique_names(names: list[str]) -> list[str]:
    """Header names made unique the way pandas does ("x", "x.1", "x.2"; an empty one becomes
    "Unnamed: <position>"), in time linear in the number of names.

    Each base name remembers the next suffix to try, so no name is probed twice by the same base:
    2.5 M copies of one name cost 2.5 M probes, not 2.5 M².
    """
    names = [name or f"Unnamed: {position}" for position, name in enumerate(names)]
    used = set(names)
    if len(used) == len(names):
        return names
    taken: set[str] = set()
    suffix: dict[str, int] = {}
    unique = []
    for name in names:
        if name in taken:
            number = suffix.get(name, 1)
            while f"{name}.{number}" in used:
                number += 1
            suffix[name] = number + 1
            name = f"{name}.{number}"
            used.add(name)
        taken.add(name)
        unique.append(name)
    return unique


# --- CSV ------------------------------------------------------------------------------------


@dataclass
class Decoded:
    """A file's text, its encoding, and the physical lines (1-based) read in another encoding."""

    text: str
    encoding: str
    repaired: dict[int, str] = field(default_factory=dict)  # line → the encoding it was read in


def decode_text(data: bytes) -> Decoded:
    """Text of a file in UTF-8 (BOM or not) or Windows-1252, or of a file mixing both (lines
    pasted from another export): each line is then read in its own encoding and the lines of the
    minority encoding are reported. Else InputError."""
    if b"\x00" in data[:8192]:
        raise InputError("err_binary")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        if _looks_like_text(text):
            return Decoded(text, "utf-8")
        raise InputError("err_encoding")
    text = data.decode("cp1252", errors="replace")
    if not _looks_like_text(text):
        raise InputError("err_encoding")
    return _decode_mixed(data) or Decoded(text, "cp1252")


def _decode_mixed(data: bytes) -> Decoded | None:
    """Each line in UTF-8 if it is valid UTF-8, else Windows-1252; None when no line is UTF-8
    beyond ASCII (a plain Windows-1252 file)."""
    lines: list[str] = []
    encodings: list[str] = []
    for line in data.splitlines(keepends=True):
        try:
            lines.append(line.decode("utf-8-sig" if not lines else "utf-8"))
            encodings.append("utf-8" if not line.isascii() else "")
        except UnicodeDecodeError:
            lines.append(line.decode("cp1252", errors="replace"))
            encodings.append("cp1252")
    utf8 = encodings.count("utf-8")
    if utf8 == 0:
        return None
    majority = "utf-8" if utf8 >= encodings.count("cp1252") else "cp1252"
    repaired = {
        number: encoding
        for number, encoding in enumerate(encodings, start=1)
        if encoding and encoding != majority
    }
    return Decoded("".join(lines), majority, repaired)


def _looks_like_text(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls <= len(sample) // 100


def _lines(text: str) -> io.StringIO:
    """The text as physical lines ending in \\n, \\r\\n or a lone \\r, kept as they are."""
    return io.StringIO(text, newline="")


def sniff_separator(text: str) -> str:
    """The separator of a CSV text among ; , and tab (the most frequent in the header wins ties).

    Only the first 20 lines are looked at, each already within MAX_LINE_CHARS."""
    sample_lines = [line for _, line in zip(range(20), _lines(text), strict=False)]
    sample = "".join(sample_lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        header = sample_lines[0] if sample_lines else ""
        return max(SEPARATORS, key=header.count)


def _read_csv(data: bytes) -> _Table:
    decoded = decode_text(data)
    for number, line in enumerate(_lines(decoded.text), start=1):
        length = len(line.rstrip("\r\n"))
        if length > MAX_LINE_CHARS:
            raise InputError("err_line_too_long", row=number, length=length, limit=MAX_LINE_CHARS)
    lines = _lines(decoded.text)
    # strict: a quote left open would swallow every following line into one cell
    reader = csv.reader(lines, delimiter=sniff_separator(decoded.text), strict=True)
    found = _Table()
    previous_line = 0
    try:
        for record in reader:
            spanned = range(previous_line + 1, reader.line_num + 1)
            previous_line = reader.line_num
            if not record or record == [""]:
                continue  # a blank line, as pandas' skip_blank_lines
            if not found.header:
                if len(record) > MAX_COLUMNS:
                    raise InputError(
                        "err_too_many_columns", row=1, column=len(record), limit=MAX_COLUMNS
                    )
                found.header = record
                continue
            if len(record) > len(found.header):
                raise InputError(
                    "err_fields", row=reader.line_num, fields=len(record), header=len(found.header)
                )
            _check_budget(len(found.rows) + 1, len(found.header), reader.line_num)
            notes = tuple(
                Note.of("read_encoding", line=n, encoding=decoded.repaired[n])
                for n in spanned
                if n in decoded.repaired
            )
            if notes:
                found.notes[len(found.rows)] = notes
            found.rows.append(record)
    except csv.Error as err:
        raise InputError("err_malformed", detail=f"{reader.line_num}: {err}") from err
    return found


def _check_budget(rows: int, width: int, line: int) -> None:
    """InputError for the first data row beyond MAX_UPLOAD_ROWS, or beyond MAX_CELLS kept."""
    if rows > MAX_UPLOAD_ROWS:
        raise InputError("err_too_many_rows", row=line, limit=MAX_UPLOAD_ROWS)
    if rows * width > MAX_CELLS:
        raise InputError("err_too_many_cells", row=line, limit=MAX_CELLS)


# --- .xlsx ----------------------------------------------------------------------------------


def _read_xlsx(data: bytes) -> _Table:
    """The first sheet, streamed: at most MAX_CELLS cells parsed, no value beyond MAX_COLUMNS,
    rows checked against the budget as they come."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as err:
        raise InputError("err_xlsx") from err
    if unpacked > MAX_XLSX_XML_BYTES:
        raise InputError(
            "err_xlsx_too_big",
            size=math.ceil(unpacked * 10 / MB) / 10,
            limit=MAX_XLSX_XML_BYTES // MB,
        )
    from openpyxl.utils import get_column_letter  # on first use, as _sheet_rows

    found = _Table()
    width = 0
    parsed = 0
    try:
        for line, cells in _sheet_rows(data):
            parsed += len(cells)
            if parsed > MAX_CELLS:
                raise InputError("err_too_many_cells", row=line, limit=MAX_CELLS)
            values: dict[int, str] = {}
            formulas: list[str] = []
            for cell in cells:
                if cell.get("formula"):
                    formulas.append(f"{get_column_letter(cell['column'])}{line}")
                text = _cell_text(cell["value"])
                if text:
                    if cell["column"] > MAX_COLUMNS:
                        raise InputError(
                            "err_too_many_columns",
                            row=line,
                            column=get_column_letter(cell["column"]),
                            limit=MAX_COLUMNS,
                        )
                    values[cell["column"]] = text
            if not values and not formulas:
                continue  # an empty row
            if not found.header:  # the first row that holds anything
                width = max(values, default=0)
                found.header = _row_list(values, width)
                continue
            width = max(width, *values) if values else width
            _check_budget(len(found.rows) + 1, width, line)
            if formulas:
                found.notes[len(found.rows)] = (
                    Note.of("formula_no_value", cells=", ".join(formulas)),
                )
            found.rows.append(_row_list(values, max(values, default=0)))
    except InputError:
        raise
    except Exception as err:  # openpyxl raises many types for a damaged or mislabelled file
        if isinstance(err.__cause__, InputError):  # openpyxl wraps what its parts raise
            raise err.__cause__ from None
        raise InputError("err_xlsx") from err
    if len(found.header) < width:
        found.header += [""] * (width - len(found.header))
    return found


def _row_list(values: dict[int, str], width: int) -> list[str]:
    row = [""] * width
    for column, text in values.items():
        row[column - 1] = text
    return row


def _cell_text(value: object) -> str:
    """A cell as pandas' dtype=str wrote it: numbers without a needless ".0", dates in ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)  # a datetime as "2019-02-25 00:00:00", as pandas wrote it


def _sheet_rows(data: bytes) -> Iterator[tuple[int, list[dict]]]:
    """(row number, the cells present in the XML) of the first sheet, one row at a time.

    openpyxl's read-only worksheet pads each row to the sheet's widest (and its declared
    dimension), so the rows come from its sheet parser directly; a cell holding a formula
    without a saved value gets "formula": True (it would otherwise read as empty, silently).
    The shared strings are read by `_shared_strings` (openpyxl's reader took 134 s and 800 MB
    for 80 MB of them).
    """
    # openpyxl is imported on first use: the page starts without it (~0.15 s).
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

    class Reader(ExcelReader):
        def read_strings(self) -> None:
            part = self.package.find(SHARED_STRINGS_TYPE)
            if part is not None:
                with self.archive.open(part.PartName[1:]) as source:
                    _count_strings(source)  # C-speed count first: a bomb is refused in 0.2 s
                with self.archive.open(part.PartName[1:]) as source:
                    self.shared_strings = _shared_strings(source)

    class Parser(WorkSheetParser):
        def parse_cell(self, element):
            cell = super().parse_cell(element)
            # openpyxl writes <v></v>, other programs no <v>: either way, nothing to show
            if element.find(FORMULA_TAG) is not None and not element.findtext(VALUE_TAG):
                cell["formula"] = True
            return cell

    reader = Reader(io.BytesIO(data), read_only=True, data_only=True)
    reader.read()
    book = reader.wb
    try:
        sheet = book.worksheets[0]
        with sheet._get_source() as source:  # private: the part read_only would stream
            parser = Parser(
                source,
                sheet._shared_strings,
                data_only=True,
                epoch=book.epoch,
                date_formats=book._date_formats,
                timedelta_formats=book._timedelta_formats,
            )
            yield from parser.parse()
    finally:
        book.close()


SHARED_STRINGS_TYPE = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
)
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


_STRING_START = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s>/]")  # <si>, <x:si ...>


def _count_strings(source: IO[bytes]) -> None:
    """InputError if the table holds more than MAX_SHARED_STRINGS strings, counted on the raw
    XML without parsing it (parsing 500,000 of them took 5-23 s on this loaded machine): a
    regular expression over 1 MB chunks, each match counted in the chunk where it starts."""
    count = 0
    carry = b""
    while chunk := source.read(MB):
        window = carry + chunk
        cut = max(len(window) - 64, 0)  # a tag that may go on in the next chunk waits for it
        count += sum(1 for match in _STRING_START.finditer(window) if match.start() < cut)
        carry = window[cut:]
        if count > MAX_SHARED_STRINGS:
            raise InputError("err_too_many_strings", limit=MAX_SHARED_STRINGS)
    if count + len(_STRING_START.findall(carry)) > MAX_SHARED_STRINGS:
        raise InputError("err_too_many_strings", limit=MAX_SHARED_STRINGS)


def _shared_strings(source: IO[bytes]) -> list[str]:
    """The workbook's shared strings, each one's plain text (its runs joined, phonetic hints
    left out), at most MAX_SHARED_STRINGS of them."""
    strings: list[str] = []
    events = ElementTree.iterparse(source, events=("start", "end"))
    _, root = next(events)
    for event, node in events:
        if event != "end" or node.tag != f"{_MAIN}si":
            continue
        plain = node.find(f"{_MAIN}t")
        if plain is not None:
            text = plain.text or ""
        else:
            text = "".join(run.findtext(f"{_MAIN}t") or "" for run in node.iter(f"{_MAIN}r"))
        strings.append(text.replace("x005F_", ""))
        root.clear()  # the table is read once: keep no element
        if len(strings) > MAX_SHARED_STRINGS:
            raise InputError("err_too_many_strings", limit=MAX_SHARED_STRINGS)
    return strings
