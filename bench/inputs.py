"""What reading users' files costs: a workbook of 100,000 rows, a real province's register, the bomb limits.

    .venv/bin/python -m bench.inputs [--runs 5]

- a workbook of 100,000 rows × 20 columns with a title above its header (written directly, below), read whole
  by etl.readers.read_file;
- `parboard init`'s register: one province ("Hà Nội") from cold caches, as a fresh process builds it, then
  the 34 current provinces one after the other;
- checks/limits.py refusing each spreadsheet bomb of bench/bombs.py, in a fresh process as the loader would,
  beside the same check of an ordinary workbook.

The files are written once into a temporary folder; each figure is the median of --runs. The budgets are the
bounds the tests used to assert (tests now check only what these calls return).
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

from bench.suite import Figure, table

WORKBOOK_ROWS = 100_000
WORKBOOK_COLUMNS = 20


def big_xlsx(path: Path, rows: int, cols: int) -> Path:
    """A minimal workbook written directly (xlsxwriter takes seconds for two million cells)."""

    def row_xml(r: int) -> str:
        cells = [f'<c r="A{r}" t="inlineStr"><is><t>Đơn vị {r % 300}</t></is></c>']
        cells += [f"<c><v>{r * 0.01 + j}</v></c>" for j in range(1, cols)]
        return f'<row r="{r}">{"".join(cells)}</row>'

    header = "".join(
        f'<c t="inlineStr"><is><t>{h}</t></is></c>'
        for h in ["Tên đơn vị", "Năm", "Điểm thẩm định", *(f"Cột {j}" for j in range(3, cols))]
    )
    body = io.StringIO()
    body.write(
        '<?xml version="1.0" encoding="UTF-8"?><worksheet '
        'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    body.write(f'<row r="1"><c t="inlineStr"><is><t>BẢNG TỔNG HỢP</t></is></c></row><row r="3">{header}</row>')
    body.writelines(row_xml(r) for r in range(4, rows + 4))
    body.write("</sheetData></worksheet>")
    ns = "http://schemas.openxmlformats.org"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/'
            '2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
            'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        )
        zf.writestr(
            "_rels/.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/></Relationships>',
        )
        zf.writestr("xl/worksheets/sheet1.xml", body.getvalue())
    return path


def _timed(call: Callable[[], object], runs: int) -> list[float]:
    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    return seconds


def _workbook(folder: Path, runs: int) -> list[Figure]:
    from etl.readers import read_file

    path = big_xlsx(folder / "big.xlsx", WORKBOOK_ROWS, WORKBOOK_COLUMNS)
    return [
        Figure(
            "inputs",
            f"read a workbook of {WORKBOOK_ROWS:,} rows × {WORKBOOK_COLUMNS} columns",
            "s",
            _timed(lambda: read_file(path), runs),
            budget=3.0,
        )
    ]


def _register(runs: int) -> list[Figure]:
    import polars as pl

    from etl import register
    from store.admin_units import package_rows

    def cold() -> None:
        package_rows.cache_clear()  # from the package's database on, as a fresh `parboard init` reads it
        register._data.cache_clear()
        register._index.cache_clear()
        register.province_register("Hà Nội", package_rows())

    current = register.provinces(package_rows()).filter(pl.col("valid_to").is_null())["code"].to_list()
    cold_seconds = _timed(cold, runs)
    every_seconds = _timed(lambda: [register.province_register(code, package_rows()) for code in current], runs)
    return [
        Figure("inputs", "register of one province, cold caches (parboard init)", "s", cold_seconds, budget=2.0),
        Figure(
            "inputs",
            f"registers of the {len(current)} current provinces, one after the other",
            "s",
            every_seconds,
            budget=2.0,
        ),
    ]


def _bombs(folder: Path, runs: int) -> list[Figure]:
    from bench.bombs import BOMBS, check_in_child, ordinary_workbook

    ordinary = ordinary_workbook(folder / "ordinary.xlsx")
    figures = [
        Figure(
            "inputs",
            "limits on an ordinary workbook of 1,000 rows (fresh process)",
            "s",
            [check_in_child(ordinary)["seconds"] for _ in range(runs)],
        )
    ]
    for name, (make, _code) in sorted(BOMBS.items()):
        path = make(folder / name)
        figures.append(
            Figure(
                "inputs",
                f"limits refuse the bomb {name} (fresh process)",
                "s",
                [check_in_child(path)["seconds"] for _ in range(runs)],
                budget=10.0,
            )
        )
    return figures


def measure(runs: int = 5) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-inputs-") as tmp:
        folder = Path(tmp)
        return _workbook(folder, runs) + _register(runs) + _bombs(folder, runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    print(table(measure(args.runs)))


if __name__ == "__main__":
    main()
