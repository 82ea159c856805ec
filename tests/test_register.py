"""The administrative register against the real package data.

Expected values are read from the packages' own files here, independently of etl.register's code paths.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from datetime import date
from functools import cache
from pathlib import Path

import polars as pl
import pytest
import vietnam_provinces
import vietnamadminunits

from core.i18n import catalog
from etl import register
from etl.problems import InputError
from store.admin_units import package_rows

NEW = date(2025, 7, 1)
OLD_END = date(2025, 6, 30)


# --- what the packages say, read directly -------------------------------------------------------------------


@cache
def nested() -> list[dict]:
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as fh:
        return json.load(fh)


@cache
def converter() -> dict:
    with open(Path(vietnamadminunits.__file__).parent / "data" / "converter_2025.json", encoding="utf-8") as fh:
        return json.load(fh)


def query(sql: str) -> list[tuple]:
    with sqlite3.connect(Path(vietnamadminunits.__file__).parent / "data" / "dataset.db") as conn:
        return conn.execute(sql).fetchall()


@cache
def legacy_provinces() -> dict[str, tuple[str, str]]:
    """provinceKey -> (code, name) of the 63 former provinces."""
    return {
        key: (code, name)
        for code, name, key in query("SELECT DISTINCT provinceCode, province, provinceKey FROM admin_units_legacy")
    }


@cache
def current_key_code() -> dict[str, str]:
    return dict(query("SELECT DISTINCT provinceKey, provinceCode FROM admin_units"))


def predecessors_of(current_code: str) -> list[str]:
    """Former province keys that became the current province, per the conversion table."""
    key = next(k for k, c in current_key_code().items() if c == current_code)
    return converter()["DICT_PROVINCE"][key]


def former_key_of(bare_name: str) -> str:
    return next(k for k, (_c, name) in legacy_provinces().items() if name.endswith(" " + bare_name))


CURRENT_CODES = sorted(f"{p['code']:02d}" for p in nested())


# --- find_province ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["01", "1", " 01 "])
def test_find_by_code(typed: str) -> None:
    found = register.find_province(typed, package_rows())
    hanoi = next(p for p in nested() if p["code"] == 1)
    assert found.code == "01"
    assert hanoi["name"] in found.name
    assert found.former_code is None and found.notice is None


@pytest.mark.parametrize(
    "typed", ["Hà Tĩnh", "Ha Tinh", "ha tinh", "HÀ TĨNH", "Tỉnh Hà Tĩnh", "tinh ha tinh", "Ha\u0300 Ti\u0303nh"]
)
def test_find_by_name_with_or_without_diacritics(typed: str) -> None:
    code = next(f"{p['code']:02d}" for p in nested() if p["codename"] == "ha_tinh")
    assert register.find_province(typed, package_rows()).code == code


def test_every_current_province_is_found_by_its_name_and_code() -> None:
    for prov in nested():
        code = f"{prov['code']:02d}"
        assert register.find_province(prov["name"], package_rows()).code == code
        assert register.find_province(str(prov["code"]), package_rows()).code == code


@pytest.mark.parametrize("typed", ["Sóc Trăng", "soc trang", "Tỉnh Sóc Trăng"])
def test_former_province_resolves_to_its_successor(typed: str) -> None:
    former_key = former_key_of("Sóc Trăng")
    successor_key = next(new for new, olds in converter()["DICT_PROVINCE"].items() if former_key in olds)
    found = register.find_province(typed, package_rows())
    assert found.code == current_key_code()[successor_key]
    assert found.former_code == legacy_provinces()[former_key][0]
    assert found.former_name == legacy_provinces()[former_key][1]
    assert found.notice is not None and found.notice.code == "province_former"
    assert found.name in found.notice.message("vi") and found.former_name in found.notice.message("en")


def test_former_code_resolves_to_its_successor() -> None:
    former_key = former_key_of("Sóc Trăng")
    former_code = legacy_provinces()[former_key][0]
    assert (
        register.find_province(former_code, package_rows()).code
        == register.find_province("Sóc Trăng", package_rows()).code
    )


def test_continuing_name_is_the_current_province_without_notice() -> None:
    # a former province whose name the current one kept is the current one, not "a former province"
    for new_key, olds in converter()["DICT_PROVINCE"].items():
        if new_key in olds:
            found = register.find_province(legacy_provinces()[new_key][1], package_rows())
            assert found.code == current_key_code()[new_key]
            assert found.notice is None


def test_unknown_name_raises_with_closest_candidates() -> None:
    with pytest.raises(InputError) as caught:
        register.find_province("Soc Trng", package_rows())
    problem = caught.value.problems[0]
    assert problem.code == "province_unknown"
    assert "Sóc Trăng" in problem.params["candidate_list"][0]
    assert "Soc Trng" in problem.message("vi") and "Sóc Trăng" in problem.message("en")


def test_unknown_code_raises() -> None:
    with pytest.raises(InputError) as caught:
        register.find_province("99", package_rows())
    assert caught.value.problems[0].code == "province_unknown"
    assert caught.value.problems[0].params["candidate_list"]


def test_ambiguous_name_raises_with_all_candidates() -> None:
    with pytest.raises(InputError) as caught:
        register.find_province("Quảng", package_rows())
    problem = caught.value.problems[0]
    assert problem.code == "province_ambiguous"
    quang = {f"{p['code']:02d}" for p in nested() if "Quảng" in p["name"].split()}
    assert quang <= set(problem.params["candidate_codes"])
    assert len(problem.params["candidate_codes"]) > 1


def test_problem_codes_are_in_both_catalogs() -> None:
    for lang in ("vi", "en"):
        for code in ("province_unknown", "province_ambiguous", "province_former"):
            assert f"problems.{code}" in catalog(lang)


# --- provinces() ----------------------------------------------------------------------------------------------


def test_provinces_lists_current_and_former() -> None:
    table = register.provinces(package_rows())
    current = table.filter(pl.col("valid_to").is_null())
    former = table.filter(pl.col("valid_to").is_not_null())
    assert sorted(current["code"]) == CURRENT_CODES
    assert set(former["valid_to"]) == {OLD_END}
    unchanged = [k for k, olds in converter()["DICT_PROVINCE"].items() if olds == [k]]
    assert former.height == len(legacy_provinces()) - len(unchanged)
    # the unchanged ones are one row with no dates
    for key in unchanged:
        row = table.filter(pl.col("code") == current_key_code()[key])
        assert row.height == 1 and row["valid_from"][0] is None
    assert table["unit_code"].n_unique() == table.height
    assert set(table["successor_code"]) == set(CURRENT_CODES)


# --- registers --------------------------------------------------------------------------------------------------


@cache
def all_registers() -> dict[str, register.Register]:
    return {code: register.province_register(code, package_rows()) for code in CURRENT_CODES}


def test_units_and_lineage_have_the_agreed_columns() -> None:
    reg = all_registers()["92"]
    assert reg.units.schema == pl.Schema(register.UNIT_SCHEMA)
    assert reg.lineage.schema == pl.Schema(register.LINEAGE_SCHEMA)
    assert "vietnam-provinces" in reg.source and "vietnamadminunits" in reg.source


@pytest.mark.parametrize("code", CURRENT_CODES)
def test_register_invariants(code: str) -> None:
    reg = all_registers()[code]
    units, lineage = reg.units, reg.lineage
    assert reg.province_code == code
    assert units["unit_code"].n_unique() == units.height
    by_code = {row["unit_code"]: row for row in units.iter_rows(named=True)}

    current = units.filter(pl.col("kind") == "commune", pl.col("valid_to").is_null())
    assert set(current["parent_code"]) == {code}
    assert set(current["valid_from"]) == {NEW}
    assert all(c.isdigit() and len(c) == 5 for c in current["unit_code"])

    old_communes = units.filter(pl.col("kind") == "commune", pl.col("valid_to").is_not_null())
    old_districts = units.filter(pl.col("kind") == "district")
    assert set(old_communes["valid_to"]) == {OLD_END}
    assert set(old_districts["valid_to"]) == {OLD_END}
    assert all(by_code[p]["kind"] == "district" for p in old_communes["parent_code"])
    assert all(by_code[p]["kind"] == "province" for p in old_districts["parent_code"])
    assert units.filter(pl.col("valid_from").is_not_null() & pl.col("valid_to").is_not_null()).is_empty()

    allowed = {
        "province": {"tỉnh", "thành phố trung ương"},
        "district": {"huyện", "quận", "thị xã", "thành phố"},
        "commune": {"xã", "phường", "thị trấn", "đặc khu"},
    }
    assert all(s in allowed[k] for k, s in zip(units["kind"], units["subkind"], strict=True))

    assert set(lineage["unit_code"]) <= set(by_code)
    assert set(lineage["predecessor_code"]) <= set(by_code)
    assert set(lineage["effective_date"]) == {NEW}
    assert lineage.select("unit_code", "predecessor_code").is_unique().all()
    # every current commune has a predecessor and every former commune a successor
    assert set(current["unit_code"]) <= set(lineage["unit_code"])
    assert set(old_communes["unit_code"]) <= set(lineage["predecessor_code"])
    # a successor is always current, a predecessor always former
    assert all(by_code[c]["valid_to"] is None for c in lineage["unit_code"])
    assert all(by_code[c]["valid_to"] == OLD_END for c in lineage["predecessor_code"])


@pytest.mark.parametrize("code", CURRENT_CODES)
def test_relations_follow_the_shape_of_the_change(code: str) -> None:
    lineage = all_registers()[code].lineage
    successors = Counter(lineage["predecessor_code"])
    predecessors = Counter(lineage["unit_code"])
    for new, old, relation in lineage.select("unit_code", "predecessor_code", "relation").iter_rows():
        if successors[old] > 1:
            assert relation == "split"
        elif predecessors[new] == 1:
            assert relation == "rename"
        else:
            assert relation == "merge"


def test_current_communes_add_up_to_the_national_list() -> None:
    current = pl.concat(r.units for r in all_registers().values()).filter(
        pl.col("kind") == "commune", pl.col("valid_to").is_null()
    )
    package = {f"{w['code']:05d}": w for p in nested() for w in p["wards"]}
    assert current.height == len(package) == 3321
    assert set(current["unit_code"]) == set(package)
    assert Counter(current["subkind"]) == Counter(w["division_type"] for w in package.values())


def test_every_unit_and_lineage_row_belongs_to_exactly_one_register() -> None:
    units = pl.concat(r.units for r in all_registers().values())
    assert units["unit_code"].n_unique() == units.height
    legacy = query("SELECT COUNT(DISTINCT wardCode), COUNT(DISTINCT districtCode) FROM admin_units_legacy")[0]
    assert units.filter(pl.col("kind") == "commune", pl.col("valid_to").is_not_null()).height == legacy[0]
    assert units.filter(pl.col("kind") == "district").height == legacy[1]


@pytest.mark.parametrize("code", ["92", "42", "79"])
def test_former_units_match_the_legacy_data(code: str) -> None:
    reg = all_registers()[code]
    keys = predecessors_of(code)
    rows = [r for r in query("SELECT provinceKey, districtCode, wardCode FROM admin_units_legacy") if r[0] in keys]
    expected_communes = {"OLD-" + w for _p, _d, w in rows if w}
    expected_districts = {"OLD-" + d for _p, d, _w in rows}
    units = reg.units
    assert (
        set(units.filter(pl.col("kind") == "commune", pl.col("valid_to").is_not_null())["unit_code"])
        == expected_communes
    )
    assert set(units.filter(pl.col("kind") == "district")["unit_code"]) == expected_districts
    provinces = units.filter(pl.col("kind") == "province")
    if keys == [next(k for k, c in current_key_code().items() if c == code)]:
        # unchanged: one province row, no dates, no province lineage
        assert provinces.height == 1 and provinces["valid_from"][0] is None
        assert not reg.lineage["predecessor_code"].is_in(provinces["unit_code"].implode()).any()
    else:
        former = provinces.filter(pl.col("valid_to").is_not_null())
        assert sorted(former["unit_code"]) == sorted("OLD-" + legacy_provinces()[k][0] for k in keys)
        province_edges = reg.lineage.filter(pl.col("predecessor_code").is_in(former["unit_code"].implode()))
        assert set(province_edges["unit_code"]) == {code}
        assert set(province_edges["relation"]) == {"merge"}


def _legacy_ward_code(old_key: str) -> str:
    pkey, dkey, wkey = old_key.split("_")
    return query(
        f"SELECT wardCode FROM admin_units_legacy WHERE provinceKey='{pkey}' AND districtKey='{dkey}'"
        f" AND wardKey='{wkey}'"
    )[0][0]


def test_a_divided_ward_appears_as_split() -> None:
    new_key, divided = next(iter(converter()["DICT_PROVINCE_WARD_DIVIDED"].items()))
    old_key, parts = next(iter(divided.items()))
    old_code = "OLD-" + _legacy_ward_code(old_key)
    reg = register.province_register(current_key_code()[new_key], package_rows())
    edges = reg.lineage.filter(pl.col("predecessor_code") == old_code)
    assert edges.height == len(parts) > 1
    assert set(edges["relation"]) == {"split"}
    names = dict(zip(reg.units["unit_code"], reg.units["name"], strict=True))
    new_names = {register._compact(names[c]) for c in edges["unit_code"]}
    assert new_names == {register._compact(p["newWardKey"]) for p in parts}


def test_several_whole_wards_merge() -> None:
    new_pkey, by_new = next(iter(converter()["DICT_PROVINCE_WARD_NO_DIVIDED"].items()))
    divided = converter()["DICT_PROVINCE_WARD_DIVIDED"].get(new_pkey, {})
    parts_of: dict[str, int] = defaultdict(int)
    for parts in divided.values():
        for p in parts:
            parts_of[p["newWardKey"]] += 1
    _new_key, old_keys = next((k, v) for k, v in by_new.items() if len(v) > 1 and not parts_of[k])
    reg = register.province_register(current_key_code()[new_pkey], package_rows())
    olds = {"OLD-" + _legacy_ward_code(k) for k in old_keys}
    edges = reg.lineage.filter(pl.col("predecessor_code").is_in(list(olds)))
    assert edges["unit_code"].n_unique() == 1
    assert set(edges["relation"]) == {"merge"}


def test_register_by_former_name_is_the_successors() -> None:
    former = register.province_register("Sóc Trăng", package_rows())
    assert former.units.equals(register.province_register("Cần Thơ", package_rows()).units)


def test_register_from_cold_caches() -> None:
    """What `parboard init` does in a fresh process; how long it takes is a benchmark (python -m bench.inputs)."""
    package_rows.cache_clear()  # from the package's database on, as a fresh process reads it
    register._data.cache_clear()
    register._index.cache_clear()
    hanoi = register.province_register("Hà Nội", package_rows())
    assert hanoi.province_code == "01"
    assert hanoi.units.equals(register.province_register("01", package_rows()).units)
    assert [register.province_register(code, package_rows()).province_code for code in CURRENT_CODES] == CURRENT_CODES
