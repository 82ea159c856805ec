"""Hostile and careless inputs, written by hand at test time: workbooks built part by part (so a test controls
every cell reference and declared size), and a child process that runs a load under a memory and time cap
and reports what happened, so a file that kills or hangs its reader cannot take the test run down."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from checks_helpers import fingerprint

CHILD_SECONDS = 30
# Address space, not memory used: DuckDB, Arrow and polars reserve far more than they touch. What a load
# really used is its peak resident size (peak_mb), asserted under PEAK_MB.
CHILD_MEMORY = 4 * 2**30
PEAK_MB = 1024

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{i}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def cell(ref: str, value: str | float) -> str:
    """One cell: text inline, a number as a number."""
    if isinstance(value, str):
        return f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
    return f'<c r="{ref}"><v>{value}</v></c>'


# Cell styles as Excel writes them: s="0" the default, s="1" the built-in percentage format 0% (numFmtId 9),
# s="2" a custom format showing two decimals and a percent sign.
PERCENT_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{_MAIN}">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="0.00&quot; &quot;%"/></numFmts>'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
    '<borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="9" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    "</styleSheet>"
)


def xlsx_by_hand(
    path: Path,
    sheets: dict[str, tuple[str, str | None]],
    styles: str | None = None,
    *,
    states: dict[str, str] | None = None,
    cols: dict[str, str] | None = None,
) -> Path:
    """A workbook of sheets {name: (the <sheetData> rows as XML, declared <dimension> ref or None)}, with
    styles.xml when given; `states` {name: "hidden" | "veryHidden"} hides sheets as Excel's Hide does (and VBA's
    xlSheetVeryHidden), `cols` {name: "<col …/>…"} gives a sheet's column settings (widths, hidden)."""
    names = list(sheets)
    states, cols = states or {}, cols or {}
    book = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        + "".join(
            f'<sheet name="{n}" sheetId="{i}"' + (f' state="{states[n]}"' if n in states else "") + f' r:id="rId{i}"/>'
            for i, n in enumerate(names, 1)
        )
        + "</sheets></workbook>"
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, len(names) + 1)
        )
        + (f'<Relationship Id="rIdS" Type="{_REL}/styles" Target="styles.xml"/>' if styles else "")
        + "</Relationships>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        types = "".join(_SHEET_TYPE.format(i=i) for i in range(1, len(names) + 1))
        if styles:
            types += (
                '<Override PartName="/xl/styles.xml" '
                'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            )
            zf.writestr("xl/styles.xml", styles)
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES.format(sheets=types))
        zf.writestr("_rels/.rels", _ROOT_RELS)
        zf.writestr("xl/workbook.xml", book)
        zf.writestr("xl/_rels/workbook.xml.rels", rels)
        for i, (name, (rows, declared)) in enumerate(sheets.items(), 1):
            dimension = f'<dimension ref="{declared}"/>' if declared else ""
            columns = f"<cols>{cols[name]}</cols>" if name in cols else ""
            zf.writestr(
                f"xl/worksheets/sheet{i}.xml",
                f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">{dimension}{columns}'
                f"<sheetData>{rows}</sheetData></worksheet>",
            )
    return path


def abort_workbook(path: Path) -> Path:
    """A small scores table with one stray cell at the last cell a sheet can have: XFD1048576."""
    header = "".join(
        cell(f"{c}1", v) for c, v in zip("ABCD", ["Mã đơn vị", "Năm", "Mã tiêu chí", "Điểm thẩm định"], strict=True)
    )
    data = "".join(cell(f"{c}2", v) for c, v in zip("ABCD", ["DEMO-LH-S01", 2024, "1.1", 1.5], strict=True))
    stray = '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    rows = f'<row r="1">{header}</row><row r="2">{data}</row>{stray}'
    return xlsx_by_hand(path, {"Điểm 2024": (rows, "A1:XFD1048576")})


_CHILD = r"""
import json, resource, sys
from pathlib import Path
memory, seconds = int(sys.argv[1]), int(sys.argv[2])
resource.setrlimit(resource.RLIMIT_AS, (memory, resource.RLIM_INFINITY))
resource.setrlimit(resource.RLIMIT_CPU, (seconds, resource.RLIM_INFINITY))
from services.load import load_files
report = load_files(Path(sys.argv[3]), [Path(p) for p in sys.argv[4:]])
problems = report.errors + report.notes
print(json.dumps({
    "status": report.status,
    "codes": [p.code for p in report.errors],
    "notes": [p.code for p in report.notes],
    "sheets": [p.sheet for p in report.errors],
    "messages": [p.message(lang) for p in problems for lang in ("vi", "en")],
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
}))
"""


def load_in_child(db: Path, files: list[Path]) -> dict:
    """load_files(db, files) in a fresh process capped at CHILD_MEMORY and CHILD_SECONDS of CPU; the wall-clock
    timeout only catches a load that never finishes."""
    args = [sys.executable, "-c", _CHILD, str(CHILD_MEMORY), str(CHILD_SECONDS), str(db), *map(str, files)]
    done = subprocess.run(args, capture_output=True, text=True, timeout=CHILD_SECONDS * 3, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    outcome = json.loads(done.stdout.splitlines()[-1])
    assert outcome["peak_mb"] < PEAK_MB, outcome
    return outcome


def refused_unchanged(db: Path, files: list[Path]) -> dict:
    """load_in_child, which must refuse the files and leave the published database exactly as it was."""
    before = fingerprint(db)
    outcome = load_in_child(db, files)
    assert outcome["status"] == "refused", outcome
    assert fingerprint(db) == before
    return outcome


# --- OpenDocument spreadsheets, as LibreOffice Calc writes them ---------------------------------------------

_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
    'xmlns:calcext="urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0" '
    'xmlns:of="urn:oasis:names:tc:opendocument:xmlns:of:1.2"'
)
_ODS_MANIFEST = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
    '<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
    'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
    '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
    "</manifest:manifest>"
)


def ods_cell(value: str | float | None) -> str:
    """One cell as Calc saves it: text as a string, a number as a float (value and shown text), None empty."""
    if value is None:
        return "<table:table-cell/>"
    if isinstance(value, str):
        return (
            '<table:table-cell office:value-type="string" calcext:value-type="string">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    return (
        f'<table:table-cell office:value-type="float" office:value="{value}" calcext:value-type="float">'
        f"<text:p>{value}</text:p></table:table-cell>"
    )


def ods_by_hand(path: Path, sheets: dict[str, str], hidden: tuple[str, ...] = ()) -> Path:
    """A spreadsheet of sheets {name: the <table:table-row> elements, columns first if any}; the sheets named in
    `hidden` use a table style with display="false", as Calc's Hide Sheet writes it."""
    styles = (
        '<office:automatic-styles><style:style style:name="ta1" style:family="table">'
        '<style:table-properties table:display="true"/></style:style>'
        '<style:style style:name="ta2" style:family="table"><style:table-properties table:display="false"/>'
        "</style:style></office:automatic-styles>"
    )
    tables = "".join(
        f'<table:table table:name="{name}" table:style-name="{"ta2" if name in hidden else "ta1"}">{rows}</table:table>'
        for name, rows in sheets.items()
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} office:version="1.3">'
        f"{styles}<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("META-INF/manifest.xml", _ODS_MANIFEST)
        zf.writestr("content.xml", content)
    return path
