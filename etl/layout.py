"""A table's layout, as far as a saved mapping cares: the shape of its header.

Two files have the same layout when their headers say the same things in the same order once folded, with the
year-like numbers ("Năm 2023") and other numbers ("(10,00 điểm)") set aside: next year's file of the same
body has the same shape, a file of another layout has not. A saved mapping is found by that shape's key, and
its header texts are carried over to the new file's by position (the shapes being equal, column i is the same
column in both).
"""

from __future__ import annotations

import dataclasses
import hashlib
import re

from core.text import fold
from etl.mapping import Mapping
from etl.raw import RawTable

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def header_shape(columns: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Each header folded, years written as 'yyyy' and other numbers (decimal commas included) as 'n'."""
    return tuple(fold(_NUMBER.sub(" n ", _YEAR.sub(" yyyy ", c or ""))) for c in columns)


def shape_key(columns: tuple[str, ...] | list[str]) -> str:
    """A short, stable name for a header's shape (the saved mapping's file name)."""
    text = "\x1f".join(header_shape(columns))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def table_key(raw: RawTable) -> str | None:
    """The key of a table as read with no mapping; None when it has no header to speak of."""
    return shape_key(raw.columns) if any(c.strip() for c in raw.columns) else None


def carried_over(mapping: Mapping, saved_headers: list[str], headers: tuple[str, ...]) -> Mapping:
    """The saved mapping with its header texts replaced by the new file's, column by column: the same layout
    another year writes '2024' where the saved file wrote '2023'."""
    if len(saved_headers) != len(headers):
        return mapping
    renamed = {fold(old): fold(new) for old, new in zip(saved_headers, headers, strict=True)}
    return dataclasses.replace(
        mapping,
        columns={renamed.get(k, k): v for k, v in mapping.columns.items()},
        items={renamed.get(k, k): v for k, v in mapping.items.items()},
    )
