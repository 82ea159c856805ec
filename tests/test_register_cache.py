"""The unit register is built once per distinct set of units in a process, and never served for other units."""

from __future__ import annotations

from datetime import date

import polars as pl

from etl.units import register_of


def _units(name: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "unit_code": ["S01", "S02"],
            "name": ["Sở Nội vụ", name],
            "kind": ["department", "department"],
            "valid_from": [date(2021, 1, 1), date(2021, 1, 1)],
            "valid_to": [None, None],
            "aliases": [None, None],
        },
        schema_overrides={"valid_to": pl.Date, "aliases": pl.String},
    )


def test_the_same_units_share_one_register() -> None:
    first = register_of(_units("Sở Tài chính"))
    assert register_of(_units("Sở Tài chính")) is first  # a new frame with the same rows
    assert first.match("Sở Tài chính").code == "S02"


def test_units_that_differ_get_their_own_register() -> None:
    before = register_of(_units("Sở Tài chính"))
    renamed = register_of(_units("Sở Tài chính và Kế hoạch"))
    assert renamed is not before
    assert renamed.match("Sở Tài chính và Kế hoạch").code == "S02"
    assert before.match("Sở Tài chính và Kế hoạch").code is None  # the old register never had that name
