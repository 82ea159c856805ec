"""Hostile input, generated (hypothesis): whatever the readers and the mapping file are given, they return
tables or refuse with problems that name the file in Vietnamese and English; never another exception, never
a hang; and a load of such a file either leaves the published database byte-for-byte as it was or publishes
data that passes the checks.

Examples are derandomized (the same ones on every run) and few; each runs under a hard time limit, so a hang
fails the test instead of stalling CI. Hypothesis's own deadline is off: how long an example takes on a busy
machine is no part of what these tests check.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from checks_helpers import copy_published, fingerprint
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from checks.run import run_checks
from etl.mapping import Mapping, read_mapping
from etl.problems import InputError, Problem
from etl.raw import RawTable
from etl.readers import read_file
from services.load import load_files
from store.check_frames import suite_frames
from store.db import connect_read_only, current_file

SECONDS = 10  # hard limit per example; the slowest seen take well under one
FAST = settings(
    max_examples=100, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


class _Hang(BaseException):
    """Raised by the alarm: a BaseException, so no `except Exception` in the code under test can swallow it."""


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    def alarm(_signum: int, _frame: Any) -> None:
        raise _Hang(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _assert_renders(problems: list[Problem], name: str) -> None:
    assert problems, "an InputError must say what is wrong"
    for p in problems:
        assert p.file == name, (p.code, p.file)
        for lang in ("vi", "en"):
            text = p.message(lang)
            assert f"problems.{p.code}" not in text, text  # the message exists in the catalog
            assert name in text, text


def _read_or_refuse(call: Callable[[], Any], name: str, *, generated: bool = True) -> Any:
    """Tables (or a Mapping), or an InputError whose problems render: anything else fails the test."""
    note = event if generated else (lambda _text: None)  # what each generated example came to, for statistics
    with _time_limit(SECONDS):
        try:
            result = call()
        except InputError as exc:
            _assert_renders(exc.problems, name)
            note(f"refused: {exc.problems[0].code}")
            return None
    note("read")
    return result


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# --- text files ------------------------------------------------------------------------------------------

SCORE_HEADER = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Năm",
    "Mã tiêu chí",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Điểm điều tra xã hội học",
]
tricky = st.sampled_from(
    [
        "",
        " ",
        '"',
        '""',
        "'",
        "\x00",
        "\r",
        "\n",
        "\r\n",
        "\t",
        ";",
        ",",
        "sep=;",
        "\ufeff",
        "=1+1",
        "-1",
        "1e309",
        "NaN",
        "20,5",
        "1.234,5",
        "TST-S01",
        "2024",
        "năm nay",
        "x" * 10_000,
        "Điểm" * 500,
        "\u0301",
        "\U0001f600",
    ]
)
cell = st.one_of(tricky, st.text(max_size=20), st.sampled_from(SCORE_HEADER))
rows = st.lists(st.lists(cell, max_size=8), max_size=12)


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    body = draw(rows)
    if draw(st.booleans()):
        body = [draw(st.permutations(SCORE_HEADER)), *body]
    delimiter = draw(st.sampled_from([",", ";", "\t", "|"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL, None]))
    newline = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    if quoting is None:  # no quoting at all: the cells' own delimiters, quotes and line breaks break the rows
        text = "".join(delimiter.join(row) + newline for row in body)
    else:
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator=newline).writerows(body)
        text = buf.getvalue()
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1258", "latin-1", "utf-16"]))
    data = text.encode(encoding, errors="replace")
    cut = draw(st.integers(min_value=0, max_value=len(data)))
    return data[:cut] if draw(st.booleans()) else data


@FAST
@given(data=csv_bytes(), suffix=st.sampled_from([".csv", ".txt", ".xlsx"]))
def test_text_files_read_or_are_refused(folder: Path, data: bytes, suffix: str) -> None:
    path = folder / f"đơn vị{suffix}"
    path.write_bytes(data)
    tables = _read_or_refuse(lambda: read_file(path), path.name)
    assert tables is None or all(isinstance(t, RawTable) and t.data.height > 0 for t in tables)


magic = st.sampled_from(
    [
        b"",
        b"PK\x03\x04",
        b"PK\x05\x06",
        b"PAR1",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
        b"<html>",
        b"%PDF",
    ]
)


@FAST
@given(
    head=magic,
    body=st.binary(max_size=3000),
    tail=st.sampled_from([b"", b"PAR1"]),
    suffix=st.sampled_from([".xlsx", ".xls", ".csv", ".parquet", ".ods"]),
)
def test_random_bytes_read_or_are_refused(folder: Path, head: bytes, body: bytes, tail: bytes, suffix: str) -> None:
    path = folder / f"tệp{suffix}"
    path.write_bytes(head + body + tail)
    _read_or_refuse(lambda: read_file(path), path.name)


# --- workbooks -------------------------------------------------------------------------------------------

value = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1900, 3, 1), dt.date(2100, 1, 1)),
    cell.filter(lambda s: "\x00" not in s and "\r" not in s),
    st.sampled_from(["=SUM(A1:A3)", "=1/0", "=A1", '=HYPERLINK("http://x")', "=#REF!"]),
)


@st.composite
def workbook_bytes(draw: st.DrawFn) -> bytes:
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for s in range(draw(st.integers(1, 3))):
        ws = wb.create_sheet(f"Trang {s}")
        if draw(st.booleans()):
            ws.append(draw(st.permutations(SCORE_HEADER)))
        for row in draw(st.lists(st.lists(value, max_size=7), max_size=10)):
            ws.append([_excel_safe(v) for v in row])
        if ws.max_row > 1 and draw(st.booleans()):
            top = draw(st.integers(1, ws.max_row))
            left = draw(st.integers(1, max(ws.max_column, 1)))
            ws.merge_cells(
                start_row=top,
                start_column=left,
                end_row=top + draw(st.integers(0, 3)),
                end_column=left + draw(st.integers(0, 2)),
            )
        if draw(st.booleans()):
            ws.sheet_state = "hidden" if len(wb.sheetnames) > 1 else "visible"
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if draw(st.integers(0, 4)) == 0:  # now and then a damaged copy: cut short or with bytes changed
        at = draw(st.integers(0, len(data) - 1))
        data = data[:at] if draw(st.booleans()) else data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    return data


def _excel_safe(v: Any) -> Any:
    """What a workbook can hold at all (control characters are not allowed in its XML)."""
    if isinstance(v, str):
        return "".join(ch for ch in v if ch >= " " or ch in "\t\n")[:32_000]
    return v


@settings(max_examples=25, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(data=workbook_bytes())
def test_workbooks_read_or_are_refused(folder: Path, data: bytes) -> None:
    path = folder / "điểm.xlsx"
    path.write_bytes(data)
    tables = _read_or_refuse(lambda: read_file(path), path.name)
    assert tables is None or all(t.data.height > 0 for t in tables)


# --- the mapping file --------------------------------------------------------------------------------------

MAPPING_KEYS = [
    "table",
    "sheet",
    "header_row",
    "header_depth",
    "year",
    "issuer",
    "measure",
    "columns",
    "items",
    "units",
]
yaml_value = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False),
        st.text(max_size=20),
        st.sampled_from(["scores", "unit", "appraised_score", "LV1", "TST-X01"]),
    ),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)
mapping_doc = st.one_of(
    st.dictionaries(st.sampled_from(MAPPING_KEYS) | st.text(max_size=10), yaml_value, max_size=6),
    yaml_value,
)


@FAST
@given(doc=mapping_doc)
def test_mapping_documents_read_or_are_refused(folder: Path, doc: Any) -> None:
    path = folder / "ánh xạ.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    mapping = _read_or_refuse(lambda: read_mapping(path), path.name)
    assert mapping is None or isinstance(mapping, Mapping)


@FAST
@given(data=st.one_of(st.binary(max_size=500), st.text(max_size=300).map(lambda s: s.encode("utf-8", "replace"))))
def test_mapping_bytes_read_or_are_refused(folder: Path, data: bytes) -> None:
    path = folder / "ánh xạ.yaml"
    path.write_bytes(data)
    _read_or_refuse(lambda: read_mapping(path), path.name)


_LAUGHS = "".join(f"{a}: &{a} [{', '.join([f'*{b}'] * 9)}]\n" for a, b in zip("bcdefghi", "abcdefgh", strict=True))
HOSTILE_MAPPINGS = {
    "python_object": "!!python/object/apply:os.system ['touch /tmp/parboard-mapping-pwned']\n",
    "python_name": "table: !!python/name:os.system\n",
    "python_tuple": "columns: !!python/tuple [a, b]\n",
    "laughs_unknown_key": "a: &a [x, x, x, x, x, x, x, x, x]\n" + _LAUGHS,
    "laughs_in_columns": "a: &a [x, x, x, x, x, x, x, x, x]\n" + _LAUGHS + "columns: {Tên: *i}\n",
    "laughs_as_sheet": "a: &a [x, x, x, x, x, x, x, x, x]\n" + _LAUGHS + "sheet: *i\n",
    "deep_lists": "columns: " + "[" * 3000 + "]" * 3000 + "\n",
    "deep_maps": "columns: " + "{a: " * 2000 + "1" + "}" * 2000 + "\n",
    "list_as_pairs": "columns: [unit, year]\nitems: text\nunits: 5\n",
    "list_as_table": "table: [scores]\n",
    "bool_header_row": "header_row: true\n",
    "huge_key": "x" * 1_000_000 + ": 1\n",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_MAPPINGS))
def test_hostile_mapping_files_are_refused_safely(folder: Path, name: str) -> None:
    path = folder / f"{name}.yaml"
    path.write_text(HOSTILE_MAPPINGS[name], encoding="utf-8")
    with _time_limit(SECONDS), pytest.raises(InputError) as raised:
        read_mapping(path)
    _assert_renders(raised.value.problems, path.name)
    for p in raised.value.problems:
        assert len(p.message("en")) < 2000  # a value shown back is cut short, however big it unfolds
    assert not Path("/tmp/parboard-mapping-pwned").exists()


# --- whole loads --------------------------------------------------------------------------------------------

# One department's 2024 scores that the sample database accepts; the fuzz changes cells, rows and headers.
_BASE = [
    SCORE_HEADER,
    ["TST-S01", "Sở Nội vụ", "2024", "1.1", "18", "17.5", ""],
    ["TST-S01", "Sở Nội vụ", "2024", "1.2", "19", "19", ""],
    ["TST-S01", "Sở Nội vụ", "2024", "2.1", "20", "20", ""],
    ["TST-S01", "Sở Nội vụ", "2024", "2.2", "15", "14", ""],
    ["TST-S01", "Sở Nội vụ", "2024", "3.1", "", "", "18.5"],
]
edit = st.tuples(
    st.sampled_from(["cell", "drop", "copy", "header"]),
    st.integers(0, 5),
    st.integers(0, 6),
    st.one_of(
        tricky,
        st.sampled_from(["TST-S02", "TST-X01", "2023", "2031", "9.5", "25", "0", "1.1", "LV1", "3.1", "-0", "19,5"]),
    ),
)


def _edited(edits: list[tuple[str, int, int, str]]) -> list[list[str]]:
    out = [list(r) for r in _BASE]
    for kind, r, c, text in edits:
        r = min(r, len(out) - 1)
        if kind == "cell" and r > 0:
            out[r][c] = text
        elif kind == "drop" and r > 0:
            out.pop(r)
        elif kind == "copy":
            out.append(list(out[max(r, 1) if len(out) > 1 else 0]))
        elif kind == "header":
            out[0][c] = text
    return out


@settings(max_examples=8, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(edits=st.lists(edit, min_size=1, max_size=4), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1258"]))
def test_a_fuzzed_load_is_refused_untouched_or_published_clean(
    sample_db: Path, folder: Path, edits: list, encoding: str
) -> None:
    work = folder / "loads"
    if work.exists():
        import shutil

        shutil.rmtree(work)
    db = copy_published(sample_db, work / "db")
    before = fingerprint(db)
    path = work / "diem_so_2024.csv"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(_edited(edits))
    path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))

    with _time_limit(60):
        report = load_files(db, [path])
    event(report.status)

    for p in report.errors:
        for lang in ("vi", "en"):
            assert f"problems.{p.code}" not in p.message(lang)
    if report.status in ("refused", "unchanged"):
        assert fingerprint(db) == before
    else:
        assert report.status == "published"
        file = current_file(db)
        assert file is not None and fingerprint(db) != before
        con = connect_read_only(file)
        try:
            with suite_frames(con) as frames:
                assert run_checks(frames).failed("error") == 0
        finally:
            con.close()


# --- the bad-file corpus, each file under the same time limit --------------------------------------------

BAD = Path(__file__).parent / "fixtures" / "bad"


@pytest.mark.parametrize("name", sorted(p.name for p in BAD.iterdir() if p.suffix not in (".py", ".yaml")))
def test_each_bad_corpus_file_reads_or_is_refused_in_time(name: str) -> None:
    """tests/test_checks_bad_corpus.py loads each file and checks the rule and the untouched database; here
    the reader alone meets each one under the hard time limit."""
    _read_or_refuse(lambda: read_file(BAD / name), name, generated=False)


def test_the_corpus_mapping_files_read_in_time() -> None:
    for path in sorted(BAD.glob("*.mapping.yaml")):
        assert isinstance(_read_or_refuse(lambda p=path: read_mapping(p), path.name, generated=False), Mapping)
