"""Read users' spreadsheets as they really come: French exports, any common encoding and separator.

French spreadsheets are exported as UTF-8 (with or without BOM) or Windows-1252, separated by
";" (Excel in a French locale), "," or tabs; or they are .xlsx files. Every cell is read as text
so codes keep their leading zeros. Unusable input raises InputError with a message that says what
is wrong and what to do.
"""

from __future__ import annotations

import csv
import io
import warnings

import pandas as pd

from geo.geocoding.errors import InputError

XLSX_MAGIC = b"PK\x03\x04"
SEPARATORS = ";,\t"
# Bring-your-own-list limits, stated to the user when exceeded.
MAX_UPLOAD_ROWS = 50_000
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def read_table(data: bytes, filename: str = "") -> pd.DataFrame:
    """Every row of a CSV or .xlsx file as text columns, or InputError saying why not."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InputError(
            "err_too_big", size=f"{len(data) / 1e6:.1f}", limit=MAX_UPLOAD_BYTES // 10**6
        )
    if not data.strip():
        raise InputError("err_empty")
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        table = _read_xlsx(data)
    else:
        table = _read_csv(decode_text(data))
    if table.empty and len(table.columns) == 0:
        raise InputError("err_no_header")
    if table.empty:
        raise InputError("err_no_rows", columns=", ".join(str(c).strip() for c in table.columns))
    if len(table) > MAX_UPLOAD_ROWS:
        raise InputError("err_too_many_rows", rows=f"{len(table):,}", limit=f"{MAX_UPLOAD_ROWS:,}")
    table.columns = [str(column).strip() for column in table.columns]
    return table


def decode_text(data: bytes) -> str:
    """Text of a file in UTF-8 (BOM or not) or Windows-1252, else InputError."""
    if b"\x00" in data[:8192]:
        raise InputError("err_binary")
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    raise InputError("err_encoding")


def _looks_like_text(text: str) -> bool:
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls <= len(sample) // 100


def sniff_separator(text: str) -> str:
    """The separator of a CSV text among ; , and tab (the most frequent in the header wins ties)."""
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        header = text.splitlines()[0] if text.splitlines() else ""
        return max(SEPARATORS, key=header.count)


def _read_csv(text: str) -> pd.DataFrame:
    try:
        with warnings.catch_warnings():
            # pandas only warns when a row has more fields than the header: refuse, lose nothing
            warnings.simplefilter("error", pd.errors.ParserWarning)
            return pd.read_csv(
                io.StringIO(text),
                sep=sniff_separator(text),
                dtype=str,
                keep_default_na=False,
                skip_blank_lines=True,
                index_col=False,  # extra fields on a row must not silently become an index
            )
    except pd.errors.EmptyDataError as err:
        raise InputError("err_no_header") from err
    except (pd.errors.ParserError, pd.errors.ParserWarning) as err:
        raise InputError("err_malformed", detail=str(err).strip()) from err


def _read_xlsx(data: bytes) -> pd.DataFrame:
    try:
        table = pd.read_excel(io.BytesIO(data), dtype=str, engine="openpyxl")
    except Exception as err:  # openpyxl raises many types for a damaged or mislabelled file
        raise InputError("err_xlsx") from err
    return table.fillna("")
