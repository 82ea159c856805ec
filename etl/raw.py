"""What a reader hands on: one sheet's cells as text, with the header found and every row's source number."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from etl.problems import Problem


@dataclass(frozen=True)
class RawTable:
    file_name: str  # base name as the user sent it
    sha256: str  # of the whole file's bytes
    sheet: str | None  # None for CSV / parquet
    header_rows: tuple[int, ...]  # 1-based rows that formed the header (two when merged headers span two rows)
    columns: tuple[str, ...]  # one label per column: "Điểm tự đánh giá / LV1" for a two-row header
    header_parts: tuple[tuple[str, ...], ...]  # per column: (top,) or (top, sub), each NFC and trimmed
    data: pl.DataFrame  # one Utf8 column per label (named c0, c1, …) plus "source_row" (Int64, 1-based)
    dropped_footer_rows: tuple[int, ...] = ()  # rows after the data block recognised as totals / signatures
    title: tuple[str, ...] = ()  # text of the rows above the header (issuing body, the table's title)
    notes: tuple[Problem, ...] = ()  # what the reader says about the sheet: hidden rows, columns and sheets

    def column_name(self, index: int) -> str:
        return f"c{index}"


@dataclass(frozen=True)
class ReadLimits:
    """What one file may cost to read. The loader passes checks/rules.yaml's values (checks/limits.read_limits);
    these defaults only serve a direct call, and match them."""

    memory_bytes: int = 2 * 2**30  # the workbook reader's address space (etl/workbook.py)
    seconds: int = 120  # its CPU time
    max_rows: int = 1_000_000
    max_columns: int = 1024  # a real sheet has tens of columns; a wide framework at most a few hundred
    max_cells: int = 20_000_000  # rows x columns of the rectangle a reader fills
