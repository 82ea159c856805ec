"""Unit name matching and cell values: the rules that decide what a typed cell means."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from etl.units import UnitRegister, bare_key, full_key
from etl.values import parse_date, parse_number, vocabulary_parser

UNITS = pl.DataFrame(
    {
        "unit_code": ["S01", "S03", "H01", "X01", "X03", "N01", "P1", "TX"],
        "name": [
            "Sở Nội vụ",
            "Sở Tài nguyên và Môi trường",
            "Huyện Hòa Bình",
            "Xã Long Hưng",
            "Thị trấn Hòa Bình",
            "Xã Long Hưng",
            "Tỉnh Hà Tĩnh",
            "Thị xã Ngã Năm",
        ],
        "kind": ["department", "department", "district", "commune", "commune", "commune", "province", "district"],
        "valid_from": [None, None, None, None, None, date(2025, 7, 1), None, None],
        "valid_to": [None, None, date(2025, 6, 30), date(2025, 6, 30), date(2025, 6, 30), None, None, None],
        "aliases": [None, "Sở TN&MT", None, None, None, None, None, None],
    },
    schema_overrides={"valid_from": pl.Date, "valid_to": pl.Date},
)


@pytest.fixture(scope="module")
def register() -> UnitRegister:
    return UnitRegister(UNITS)


@pytest.mark.parametrize(
    ("name", "year", "code"),
    [
        ("Sở Nội vụ", 2023, "S01"),
        ("SỞ NỘI VỤ", 2023, "S01"),
        ("So Noi vu", 2023, "S01"),  # OCR'd without diacritics
        ("Nội vụ", 2023, "S01"),  # without its kind word
        ("Sở TN&MT", 2023, "S03"),  # an alias
        ("UBND xã Long Hưng", 2024, "X01"),  # "UBND" prefix
        ("Ủy ban nhân dân xã Long Hưng", 2024, "X01"),
        ("Xã Long Hưng", 2025, "N01"),  # old and new share the name: the unit existing at year end
        ("Xa Long Hung", 2026, "N01"),
        ("Ha Tinh", 2023, "P1"),
        ("Tx. Ngã Năm", 2023, "TX"),  # abbreviation of "Thị xã"
        ("TX", 2023, "TX"),  # a code
    ],
)
def test_names_match_after_normalisation(register: UnitRegister, name: str, year: int, code: str) -> None:
    assert register.match(name, year=year).code == code


def test_a_name_that_fits_two_units_is_never_guessed(register: UnitRegister) -> None:
    match = register.match("Hòa Bình", year=2023)
    assert match.code is None
    assert {c.code for c in match.ambiguous} == {"H01", "X03"}


def test_the_kind_narrows_the_candidates(register: UnitRegister) -> None:
    assert register.match("Hòa Bình", year=2023, kinds=frozenset({"district"})).code == "H01"


def test_a_unit_is_not_matched_outside_its_validity(register: UnitRegister) -> None:
    assert register.match("Huyện Hòa Bình", year=2026).code is None


def test_an_unknown_name_comes_with_its_closest_units(register: UnitRegister) -> None:
    unknown = register.match("Sở Nôi vụ tỉnh", year=2023)
    assert unknown.code is None
    assert unknown.closest[0].code == "S01"


def test_the_quick_answer_for_a_name_and_code_that_agree_is_the_match_itself(register: UnitRegister) -> None:
    """agreeing lets the mapper skip match() for rows whose name is their code's: it may say yes only where
    match() gives that code, and says no wherever the answer needs a later level or the year's rule."""
    names = [*UNITS["name"], "SỞ NỘI VỤ", "Nội vụ", "Sở TN&MT", "Hòa Bình", "TX", "Sở Nôi vụ"]
    pairs = pl.DataFrame(
        [(code, name, year) for name in names for code in UNITS["unit_code"] for year in (None, 2023, 2025, 2026)],
        schema={"unit_code": pl.String, "unit": pl.String, "year": pl.Int32},
        orient="row",
    )
    said_yes = set()
    for kinds in (None, frozenset({"district"}), frozenset({"commune"})):
        sure = register.agreeing(pairs, kinds)
        assert sure.len() == pairs.height
        for (code, name, year), yes in zip(pairs.iter_rows(), sure, strict=True):
            if yes:
                assert register.match(name, year=year, kinds=kinds).code == code, (name, code, year, kinds)
                said_yes.add((code, name, year))
    assert ("S01", "Sở Nội vụ", 2023) in said_yes
    assert ("N01", "Xã Long Hưng", 2026) not in said_yes  # the name is two units': left to match, and its year rule
    assert register.match("Xã Long Hưng", year=2025).code == "N01"
    assert ("H01", "Huyện Hòa Bình", 2026) not in said_yes  # abolished by then
    assert ("S03", "Sở Nội vụ", 2023) not in said_yes  # another unit's name
    assert ("S01", "SỞ NỘI VỤ", 2023) not in said_yes  # not as registered: match decides


def test_pins_win(register: UnitRegister) -> None:
    assert register.match("Hòa Bình", year=2023, pins={full_key("Hòa Bình"): "X03"}).code == "X03"


def test_keys() -> None:
    assert full_key("TP. Sóc Trăng") == "thành phố sóc trăng"
    assert bare_key("UBND TX. Ngã Năm") == "ngã năm"
    assert full_key("Ho\u0300a Bi\u0300nh") == full_key("Hòa Bình")  # decomposed (cp1258) equals NFC


def test_numbers_as_people_type_them() -> None:
    values, bad = parse_number(pl.Series(["91,65", " 18.25 ", "12%", "", "-", None, "abc", "-3"]))
    assert values.to_list() == [91.65, 18.25, 12.0, None, None, None, None, None]
    assert bad.to_list() == [False, False, False, False, False, False, True, True]


def test_dates_day_first_or_iso() -> None:
    values, bad = parse_date(pl.Series(["2023-07-15", "15/7/2023", "31-07-2020", "31/13/2020"]))
    assert values.to_list()[:3] == [date(2023, 7, 15), date(2023, 7, 15), date(2020, 7, 31)]
    assert bad.to_list() == [False, False, False, True]


def test_tiers_in_words() -> None:
    values, bad = vocabulary_parser("tier")(pl.Series(["Xuất sắc", "TỐT", "kha", "Trung bình", "giỏi"]))
    assert values.to_list() == ["xuat_sac", "tot", "kha", "trung_binh", None]
    assert bad.to_list() == [False, False, False, False, True]
