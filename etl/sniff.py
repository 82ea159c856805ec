"""What a file really is, judged by its bytes: people rename CSVs to .xlsx and save web pages as .xls."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections import Counter
from enum import Enum

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and password-protected .xlsx)
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
_PARQUET = b"PAR1"
_ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
# Formats that are recognisably not a table: named so the message can say "not a spreadsheet" with confidence.
_OTHER_BINARY = (b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"{\\rtf", b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
_SEPARATORS = ("\t", ";", ",")
_SNIFF_LINES = 60
_SNIFF_CHARS = 2**20


class Kind(Enum):
    EMPTY = "empty"
    WORKBOOK = "workbook"  # xlsx / xlsm / xlsb / xls / ods: calamine reads them all
    ZIP_NOT_WORKBOOK = "zip"
    DAMAGED = "damaged"  # a zip that cannot be opened: truncated download, half-copied file
    PARQUET = "parquet"
    TEXT = "text"
    MARKUP = "markup"  # HTML or XML saved under a spreadsheet name
    UNKNOWN = "unknown"


def detect(data: bytes) -> Kind:
    if not data.strip():
        return Kind.EMPTY
    if data.startswith(_ZIP):
        return _zip_kind(data)
    if data.startswith(_OLE2):
        return Kind.WORKBOOK
    if data.startswith(_PARQUET):
        return Kind.PARQUET if data.endswith(_PARQUET) else Kind.DAMAGED
    if data.startswith(_OTHER_BINARY):
        return Kind.UNKNOWN
    text = decode_text(data[:65536], partial=True)
    if text is None:
        return Kind.UNKNOWN
    head = text.lstrip("\ufeff \t\r\n")[:1024].lower()
    if head.startswith(("<!doctype", "<html", "<?xml", "<table", "<meta")) or "<table" in head:
        return Kind.MARKUP
    return Kind.TEXT


def _zip_kind(data: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if {"xl/workbook.xml", "xl/workbook.bin"} & names:
                return Kind.WORKBOOK
            if "mimetype" in names and zf.read("mimetype").strip().startswith(_ODS_MIME):
                return Kind.WORKBOOK
            if "content.xml" in names and "META-INF/manifest.xml" in names:
                return Kind.WORKBOOK
            return Kind.ZIP_NOT_WORKBOOK
    except (zipfile.BadZipFile, EOFError, ValueError, OSError):
        return Kind.DAMAGED


def line_count(data: bytes) -> int:
    """Lines of a text file, whichever ending each uses: Windows (CR LF), Unix (LF) or old Mac (CR alone)."""
    crlf = data.count(b"\r\n")
    return data.count(b"\n") + data.count(b"\r") - crlf + (1 if data and not data.endswith((b"\n", b"\r")) else 0)


def decode_text(data: bytes, *, partial: bool = False) -> str | None:
    """The text of a CSV, or None if it is not text in an encoding Vietnamese units use.

    `partial` means data is a prefix of the file, so a multi-byte character may be cut at the end.
    """
    if data.startswith(codecs.BOM_UTF8):
        candidates = [("utf-8", data[3:])]
    elif data.startswith(codecs.BOM_UTF16_LE):
        candidates = [("utf-16-le", data[2:])]
    elif data.startswith(codecs.BOM_UTF16_BE):
        candidates = [("utf-16-be", data[2:])]
    elif (guess := _bomless_utf16(data)) is not None:
        candidates = [(guess, data)]
    else:
        # UTF-8 is strict enough that a cp1258 file almost never passes as UTF-8 by accident.
        candidates = [("utf-8", data), ("cp1258", data)]
    for encoding, body in candidates:
        try:
            decoder = codecs.getincrementaldecoder(encoding)()
            text = decoder.decode(body, final=not partial)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    return None


def _bomless_utf16(data: bytes) -> str | None:
    sample = data[:512]
    if len(sample) < 4:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


def _looks_like_text(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for ch in sample if ch < " " and ch not in "\t\r\n\f")
    return controls == 0


def separator(text: str) -> tuple[str, int]:
    """The field separator, and how many leading lines to skip (Excel's "sep=;" hint line)."""
    first, _, _ = text.partition("\n")
    first = first.strip().lstrip("\ufeff")
    if first.lower().startswith("sep=") and len(first) == 5:
        return first[4], 1
    # The first lines of the first MiB: a file of a million lines is not split whole to look at sixty.
    lines = [ln for ln in text[:_SNIFF_CHARS].splitlines()[:_SNIFF_LINES] if ln.strip()]
    best, best_score = ",", (0, 0, 0)
    for rank, sep in enumerate(reversed(_SEPARATORS)):
        try:
            counts = [len(fields) for fields in csv.reader(lines, delimiter=sep)]
        except csv.Error:  # a field longer than csv allows when split this way: not the separator
            continue
        multi = [c for c in counts if c > 1]
        if not multi:
            continue
        width, lines_with_width = Counter(multi).most_common(1)[0]
        # The separator that splits the most lines into the same number of fields wins: a ';' file with
        # decimal commas splits into ragged counts on ','.
        score = (lines_with_width, width, rank)
        if score > best_score:
            best, best_score = sep, score
    return best, 0
