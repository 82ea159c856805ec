"""From a sheet's cells (all text) to a table: find the header, its labels, the data block and the footer.

A grid is a polars frame of Utf8 columns g0, g1, … (cells already NFC, trimmed, empty → null) plus "row",
the 1-based row number the user sees. Sheets are made by people: title rows above the header, two-row
merged headers, a column-numbering row "(1) (2) (3)", totals and signatures below the data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import polars as pl

from core.text import fold, lower_key, nfc
from etl import specs
from etl.specs import footer_markers, known_headers

ROW = "row"
HEADER_SEARCH_ROWS = 30
_NUMERIC = r"^[+\-]?[\d\s.,]*\d[\d\s.,]*%?$"
_COLUMN_NUMBER = re.compile(r"^\(?(\d+)\)?$")


@dataclass(frozen=True)
class Header:
    rows: tuple[int, ...]  # 1-based rows of the header block
    parts: tuple[tuple[str, ...], ...]  # per grid column: () when the header cell is empty
    end: int  # grid position of the first row after the header block
    known: int = 0  # header cells that are known headers: 0 for a notes sheet


@dataclass(frozen=True)
class Block:
    columns: tuple[str, ...]
    header_parts: tuple[tuple[str, ...], ...]
    data: pl.DataFrame  # c0, c1, … + source_row
    dropped_footer_rows: tuple[int, ...]
    title: tuple[str, ...] = ()  # the text of the rows above the header ("KẾT QUẢ … NĂM 2023"), one per row


def grid_columns(grid: pl.DataFrame) -> list[str]:
    return [c for c in grid.columns if c != ROW]


def clean_cells(frame: pl.DataFrame, *, excel: bool) -> pl.DataFrame:
    """NFC, trimmed, empty → null; calamine's datetime text for date cells → ISO date.

    The costly steps run only on the columns that need them (one cheap pass decides): text needs NFC only
    when it holds combining marks (decomposed Vietnamese), and few columns hold dates.
    """
    cols = [c for c in frame.columns if c != ROW and frame.schema[c] == pl.Utf8]  # a parquet number stays one
    if not cols:
        return frame
    probes = [pl.col(c).str.contains(r"\p{M}").any().alias(f"u{j}") for j, c in enumerate(cols)]
    if excel:
        probes += [
            ((pl.col(c).str.len_bytes() == 19) | (pl.col(c) == "-0")).any().alias(f"d{j}") for j, c in enumerate(cols)
        ]
    flags = frame.select(probes).row(0, named=True)
    exprs = []
    for j, name in enumerate(cols):
        cell = pl.col(name)
        if flags[f"u{j}"]:
            cell = cell.str.normalize("NFC")
        cell = cell.str.strip_chars()
        if excel and flags[f"d{j}"]:
            cell = (
                cell.str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", "$1")
                .str.replace(r"^1899-12-31 (\d{2}:\d{2}:\d{2})$", "$1")  # a time-only cell
                .str.replace(r"^-0$", "0")
            )
        exprs.append(pl.when(cell.str.len_bytes() == 0).then(None).otherwise(cell).alias(name))
    return frame.with_columns(exprs)


def _cells(values: list[str | None]) -> list[str | None]:
    return [nfc(v) if v is not None else None for v in values]


def _header_score(values: list[str | None]) -> int:
    known = known_headers()
    return sum(1 for v in values if v is not None and fold(v) in known)


def find_header(grid: pl.DataFrame, *, header_row: int | None = None, header_depth: int | None = None) -> Header | None:
    """The header block: the row given, or the one among the first rows that best matches the known headers.

    None when the grid has no row that could be a header (an empty sheet).
    """
    rows = grid.get_column(ROW).to_list()
    cols = grid_columns(grid)
    given = rows.index(header_row) if header_row is not None else None  # the caller checked it exists
    head = grid.head(HEADER_SEARCH_ROWS if given is None else max(HEADER_SEARCH_ROWS, given + 3))
    matrix = [_cells(list(r)) for r in head.select(cols).iter_rows()]
    if not matrix:
        return None

    if given is not None:
        top = given
        depth = header_depth or (2 if _is_two_row(matrix, top) else 1)
    else:
        best = _best_header_position(matrix)
        if best is None:
            return None
        top = best
        if header_depth == 2:
            depth = 2
            if top > 0 and _is_two_row(matrix, top - 1) and not _is_two_row(matrix, top):
                top -= 1
        elif header_depth == 1:
            depth = 1
        elif top > 0 and _is_two_row(matrix, top - 1) and _header_score(matrix[top - 1]) > 0:
            # the best row was the lower half of a two-row header ("Tự đánh giá" under a merged "Điểm")
            top, depth = top - 1, 2
        else:
            depth = 2 if _is_two_row(matrix, top) else 1

    depth = min(depth, len(matrix) - top)
    if depth == 2:
        parts = _two_row_parts(matrix[top], matrix[top + 1])
    else:
        parts = tuple((v,) if v else () for v in matrix[top])
    end = top + depth
    block_rows = [rows[i] for i in range(top, end)]
    known = sum(_header_score(matrix[i]) for i in range(top, end))
    if end < len(matrix) and _is_column_numbering(matrix[end], parts):
        block_rows.append(rows[end])
        end += 1
    return Header(rows=tuple(block_rows), parts=parts, end=end, known=known)


def _best_header_position(matrix: list[list[str | None]]) -> int | None:
    scores = [_header_score(r) for r in matrix]
    best = max(scores)
    if best > 0:
        return scores.index(best)
    # No known header at all: take the first row about as wide as the table so the mapper can name the
    # unknown headers it sees, rather than failing with "no table".
    widths = [sum(v is not None for v in r) for r in matrix]
    widest = max(widths)
    if widest == 0:
        return None
    for i, width in enumerate(widths):
        if width >= max(2, (widest + 1) // 2) or width == widest:
            return i
    return None


def _span_columns(top: list[str | None], sub: list[str | None]) -> list[str | None]:
    """Per column, the top label filled across a horizontal merge (None outside spans)."""
    filled: list[str | None] = []
    carry: str | None = None
    for t, s in zip(top, sub, strict=True):
        if t is not None:
            carry = t if s is not None and s != t else None
            filled.append(t)
        elif s is not None and carry is not None:
            filled.append(carry)
        else:
            carry = None
            filled.append(None)
    return filled


def _is_two_row(matrix: list[list[str | None]], top_pos: int) -> bool:
    """Whether rows top_pos and top_pos + 1 form one header with merged cells spanning columns.

    Calamine gives a merged cell's value in its first column only. The lower row is a header row, not data,
    when it has labels under an empty top cell that continues a span (the merge), the leftmost header
    column has nothing below it (a vertically merged "STT" / "Tên đơn vị": data rows always fill it),
    and it has no cell outside a span.
    """
    if top_pos + 1 >= len(matrix):
        return False
    top, sub = matrix[top_pos], matrix[top_pos + 1]
    if sum(v is not None for v in top) < 2:
        return False
    first = next(i for i, v in enumerate(top) if v is not None)
    if sub[first] is not None and sub[first] != top[first]:
        return False
    filled = _span_columns(top, sub)
    continuation = False
    for t, s, f in zip(top, sub, filled, strict=True):
        if s is None:
            continue
        if t is None and f is None:
            return False
        if t is None:
            continuation = True
    return continuation


def _two_row_parts(top: list[str | None], sub: list[str | None]) -> tuple[tuple[str, ...], ...]:
    filled = _span_columns(top, sub)
    parts: list[tuple[str, ...]] = []
    for t, s, f in zip(top, sub, filled, strict=True):
        upper = t if t is not None else f
        if upper is None:
            parts.append((s,) if s is not None else ())
        elif s is None or s == upper:
            parts.append((upper,))
        else:
            parts.append((upper, s))
    return tuple(parts)


def _is_column_numbering(values: list[str | None], parts: tuple[tuple[str, ...], ...]) -> bool:
    """A row "(1) (2) (3) …" or "1 2 3 …" under the header: numbers the columns, holds no data."""
    numbers = []
    for v in values:
        if v is None:
            continue
        m = _COLUMN_NUMBER.match(v)
        if not m:
            return False
        numbers.append(int(m.group(1)))
    labelled = sum(1 for p in parts if p)
    return (
        len(numbers) >= 3
        and len(numbers) * 2 >= labelled
        and numbers == list(range(numbers[0], numbers[0] + len(numbers)))
        and numbers[0] in (0, 1)
    )


@cache
def _marker_forms() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Footer markers as written (diacritics kept, for cells that have them) and folded."""
    written = tuple(lower_key(m) for m in specs._raw()["footer_markers"])
    return written, footer_markers()


def is_footer_text(text: str) -> bool:
    """Whether a cell starts the footer. Diacritics are compared when the cell has them, so "Công an tỉnh"
    is not "Cộng" and "Tổng công ty" is not "Tổng cộng"; a one-word marker must be the whole cell."""
    written, folded = _marker_forms()
    key_written = lower_key(text)
    key_folded = fold(text)
    key, markers = (key_folded, folded) if key_written == key_folded else (key_written, written)
    return any(key == m or (" " in m and key.startswith(m + " ")) for m in markers)


def _quick_fold(expr: pl.Expr) -> pl.Expr:
    # A vectorised approximation of `fold`, only to pick candidate rows for the exact check.
    return (
        expr.str.to_lowercase()
        .str.normalize("NFD")
        .str.replace_all(r"\p{Mn}", "")
        .str.replace_all("đ", "d", literal=True)
        .str.replace_all(r"[^\w&/%.\- ]+", " ")
        .str.strip_chars()
    )


def data_block(grid: pl.DataFrame, header: Header, *, footer: bool = True) -> Block:
    """The rows under the header up to the footer, fully empty rows and unlabelled empty columns dropped."""
    cols = grid_columns(grid)
    body = grid.slice(header.end).filter(pl.any_horizontal([pl.col(c).is_not_null() for c in cols]))

    footer_rows: tuple[int, ...] = ()
    if footer and body.height:
        start = _footer_start(body, cols)
        if start is not None:
            footer_rows = tuple(body.get_column(ROW).slice(start).to_list())
            body = body.head(start)

    keep = [j for j, c in enumerate(cols) if header.parts[j] or body.get_column(c).null_count() < body.height]
    data = body.select(
        *(pl.col(cols[j]).alias(f"c{k}") for k, j in enumerate(keep)),
        pl.col(ROW).cast(pl.Int64).alias("source_row"),
    )
    parts = tuple(header.parts[j] for j in keep)
    labels = tuple(" / ".join(p) for p in parts)
    above = grid.filter(pl.col(ROW) < header.rows[0]).select(cols) if header.rows else grid.head(0)
    title = tuple(" ".join(v for v in r if v) for r in above.iter_rows() if any(r))
    return Block(columns=labels, header_parts=parts, data=data, dropped_footer_rows=footer_rows, title=title)


def _text_cell(c: str) -> pl.Expr:
    return pl.when(~pl.col(c).str.contains(_NUMERIC)).then(pl.col(c))


def _footer_start(body: pl.DataFrame, cols: list[str]) -> int | None:
    """Position in body of the first footer row: its first text cell among the first three columns (or, when
    those hold none, in the whole row) is a footer marker."""
    indexed = body.with_row_index("_i").with_columns(pl.coalesce([_text_cell(c) for c in cols[:3]]).alias("_t"))
    if len(cols) > 3:
        # Rows with no text in the first columns are few (signature blocks on the right): look further there.
        rest = indexed.filter(pl.col("_t").is_null()).select(
            "_i", pl.coalesce([_text_cell(c) for c in cols[3:]]).alias("_t")
        )
        indexed = pl.concat([indexed.filter(pl.col("_t").is_not_null()).select("_i", "_t"), rest]).sort("_i")
    prefixes = "|".join(sorted({re.escape(m.split(" ")[0]) for m in footer_markers()}))
    candidates = indexed.filter(_quick_fold(pl.col("_t")).str.contains(f"^(?:{prefixes})").fill_null(False))
    numbered = _numbered_positions(body, cols)
    for i, value in candidates.select("_i", "_t").iter_rows():
        # A group subtotal ("Cộng khối phường") with numbered unit rows below it is inside the data: the
        # mapper skips it with a note. The footer is the first marker with no numbered row after it.
        if is_footer_text(value) and not (numbered and numbered[-1] > i):
            return i
    return None


def _numbered_positions(body: pl.DataFrame, cols: list[str]) -> list[int]:
    """Positions of rows whose first or second cell is a row number (STT "1", "12."): unit rows."""
    number = r"^\d{1,4}\.?$"
    firsts = [pl.col(c).str.contains(number).fill_null(False) for c in cols[:2]]
    flags = body.select(pl.any_horizontal(firsts).alias("n")) if firsts else pl.DataFrame({"n": []})
    return [i for i, flag in enumerate(flags.get_column("n").to_list()) if flag]
