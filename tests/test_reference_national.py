"""The published results of the national indices (PAR INDEX, SIPAS, PAPI, PCI, DTI) in data/reference.

Every row is a figure read in a public source: the checks below hold each row to its index's scale, to a
year of the programme, to at least one web source and to a unit of the register as it was named that year.
Each check is also run on rows that break it, so that a bad row added to the files makes this file fail.
"""

from __future__ import annotations

from functools import cache

import polars as pl
import pytest

from core.paths import REFERENCE
from core.text import strip_diacritics
from etl.register import provinces
from etl.units import UnitRegister, full_key
from store.admin_units import package_rows

RESULTS = REFERENCE / "national_index_results.csv"
COMPONENTS = REFERENCE / "national_index_components.csv"
PAR_FACTS = REFERENCE / "par_index_published_facts.csv"
MINISTRIES = REFERENCE / "ministries.csv"

RESULT_COLUMNS = ["index", "year", "level", "unit", "score", "rank", "group", "note", "sources"]
COMPONENT_COLUMNS = ["index", "year", "level", "unit", "component", "score", "rank", "note", "sources"]
INDICES = {"par_index", "sipas", "papi", "pci", "dti"}
LEVELS = {"province", "ministry"}
YEARS = range(2021, 2026)
# Scales as published (README): PAR INDEX and SIPAS in %, PAPI the sum of 8 dimensions scored 1-10,
# PCI 0-100, DTI 0-1. Components: PAPI dimensions and PCI sub-indices 0-10, SIPAS sub-indices in %,
# DTI main indices and pillars 0-1, PAR INDEX areas in points of their own maximum (at most 100).
SCALES = {"par_index": (0, 100), "sipas": (0, 100), "papi": (8, 80), "pci": (0, 100), "dti": (0, 1)}
COMPONENT_SCALES = {"par_index": (0, 100), "sipas": (0, 100), "papi": (0, 10), "pci": (0, 10), "dti": (0, 1)}
# DTI 2024 was published for the 34 provinces of the 2025 merger: such rows name a province of after the merger.
MERGED_RANKING = "34 provinces after the 2025 merger"


def read(path) -> pl.DataFrame:
    frame = pl.read_csv(path, infer_schema_length=0)  # every column as text: blanks stay blank, "70,94" stays wrong
    return frame.with_columns(pl.all().fill_null(""))


@cache
def register() -> UnitRegister:
    frame = provinces(package_rows()).select(
        "unit_code", "name", pl.lit("province").alias("kind"), "valid_from", "valid_to", pl.lit(None).alias("aliases")
    )
    return UnitRegister(frame)


@cache
def ministry_names() -> frozenset[str]:
    rows = read(MINISTRIES)
    names = rows["Tên đơn vị"].to_list() + [a for cell in rows["Tên khác"] for a in cell.split(";") if a]
    return frozenset(strip_diacritics(full_key(n)) for n in names)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def problems(rows: pl.DataFrame, columns: list[str], scales: dict[str, tuple[float, float]]) -> list[str]:
    """What is wrong with each row, as "row N (…): …" (N counted from 2, the first line after the header)."""
    found = [f"header {rows.columns} is not {columns}"] if rows.columns != columns else []
    for n, row in enumerate(rows.iter_rows(named=True), start=2):
        where = f"row {n} ({row.get('index')} {row.get('year')} {row.get('unit')})"
        found += [f"{where}: {problem}" for problem in _row_problems(row, scales) + _unit_problems(row)]
        # published Vietnamese names: an English or empty name has no Vietnamese letter
        component = row.get("component", "")
        if "component" in columns and strip_diacritics(component) == component:
            found.append(f"{where}: component {component!r} is not a published Vietnamese name")
    return found


def _row_problems(row: dict[str, str], scales: dict[str, tuple[float, float]]) -> list[str]:
    found = []
    sources = row.get("sources", "").split()
    if not sources or not all(s.startswith(("http://", "https://")) for s in sources):
        found.append(f"sources must be http(s) URLs, got {row.get('sources')!r}")
    if row.get("index") not in INDICES:
        found.append(f"index {row.get('index')!r} not in {sorted(INDICES)}")
    if row.get("level") not in LEVELS:
        found.append(f"level {row.get('level')!r} not in {sorted(LEVELS)}")
    if not row.get("year", "").isdigit() or int(row["year"]) not in YEARS:
        found.append(f"year {row.get('year')!r} outside 2021-2025")
    if row.get("score") and row.get("index") in scales:
        score, (low, high) = _number(row["score"]), scales[row["index"]]
        if score is None or not low <= score <= high:
            found.append(f"score {row['score']!r} outside {low}-{high}")
    if row.get("rank"):
        top = 34 if MERGED_RANKING in row.get("note", "") else 63 if row.get("level") == "province" else 30
        if not row["rank"].isdigit() or not 1 <= int(row["rank"]) <= top:
            found.append(f"rank {row['rank']!r} not 1-{top}")
    if not (row.get("score") or row.get("rank") or row.get("group") or row.get("note")):
        found.append("no score, rank, group or note: nothing was published")
    return found


def _unit_problems(row: dict[str, str]) -> list[str]:
    unit, level = row.get("unit", ""), row.get("level")
    if level == "ministry" and strip_diacritics(full_key(unit)) not in ministry_names():
        return [f"{unit!r} is not in ministries.csv"]
    if level != "province" or not row.get("year", "").isdigit() or int(row["year"]) not in YEARS:
        return []
    # a merged-ranking row names a province of after 01/07/2025; others a province of their own year
    year = 2026 if MERGED_RANKING in row.get("note", "") else int(row["year"])
    if register().match(unit, year=year, kinds=frozenset({"province"})).code is None:
        return [f"{unit!r} is no province of {year}"]
    return []


def test_results_hold_to_their_rules() -> None:
    assert problems(read(RESULTS), RESULT_COLUMNS, SCALES) == []


def test_components_hold_to_their_rules() -> None:
    assert problems(read(COMPONENTS), COMPONENT_COLUMNS, COMPONENT_SCALES) == []


GOOD = {
    "index": "pci",
    "year": "2023",
    "level": "province",
    "unit": "Long An",
    "score": "70.94",
    "rank": "2",
    "group": "",
    "note": "",
    "sources": "https://example.org/a",
}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({}, None),
        ({"sources": ""}, "sources must be"),
        ({"sources": "cafef.vn/pci-2023"}, "sources must be"),
        ({"index": "pgi"}, "index 'pgi'"),
        ({"level": "district"}, "level 'district'"),
        ({"year": "2019"}, "year '2019'"),
        ({"score": "170.94"}, "outside 0-100"),
        ({"index": "dti", "score": "70.94"}, "outside 0-1"),
        ({"index": "papi", "score": "4.5"}, "outside 8-80"),
        ({"score": "70,94"}, "outside 0-100"),
        ({"rank": "64"}, "not 1-63"),
        ({"unit": "Long Ân Giang"}, "is no province of 2023"),
        # Long An was merged into Tây Ninh on 01/07/2025: no province of that name in a merged ranking
        ({"note": "ranked among the 34 provinces after the 2025 merger"}, "is no province of 2026"),
        ({"unit": "Thừa Thiên Huế", "year": "2025"}, "is no province of 2025"),
        ({"level": "ministry", "unit": "Bộ Không Tồn Tại"}, "is not in ministries.csv"),
        ({"score": "", "rank": ""}, "nothing was published"),
    ],
)
def test_a_bad_row_is_caught(change: dict[str, str], expected: str | None) -> None:
    rows = pl.DataFrame([{**GOOD, **change}])
    found = problems(rows, RESULT_COLUMNS, SCALES)
    if expected is None:
        assert found == []
    else:
        assert len(found) == 1 and expected in found[0], found


def test_a_component_in_english_or_off_scale_is_caught() -> None:
    row = {**GOOD, "component": "Cạnh tranh bình đẳng", "score": "5.92"}
    row.pop("group")
    columns = COMPONENT_COLUMNS
    assert problems(pl.DataFrame([row]).select(columns), columns, COMPONENT_SCALES) == []
    english = pl.DataFrame([{**row, "component": "Policy Bias"}]).select(columns)
    assert "not a published Vietnamese name" in problems(english, columns, COMPONENT_SCALES)[0]
    whole = pl.DataFrame([{**row, "score": "59.2"}]).select(columns)
    assert "outside 0-10" in problems(whole, columns, COMPONENT_SCALES)[0]


def test_a_wrong_header_is_caught() -> None:
    rows = pl.DataFrame([GOOD]).rename({"unit": "province"})
    assert problems(rows, RESULT_COLUMNS, SCALES)[0].startswith("header")


def test_par_index_headlines_are_not_repeated() -> None:
    """PAR INDEX headline figures stay in par_index_published_facts.csv; the new file must not repeat them."""
    facts = read(PAR_FACTS).select("year", "level", "unit")
    repeated = read(RESULTS).filter(pl.col("index") == "par_index").join(facts, on=["year", "level", "unit"])
    assert repeated.is_empty(), repeated


def test_one_claim_per_unit_unless_marked_as_conflict() -> None:
    """Two rows for the same unit and ranking are two sources disagreeing: the second says so."""
    rows = read(RESULTS).with_columns(merged=pl.col("note").str.contains(MERGED_RANKING, literal=True))
    former = pl.col("note").str.contains("63 former provinces", literal=True)
    claims = rows.filter(~pl.col("note").str.starts_with("CONFLICT") & ~former)
    repeated = claims.group_by("index", "year", "level", "unit", "merged").len().filter(pl.col("len") > 1)
    assert repeated.is_empty(), repeated
    conflicts = rows.filter(pl.col("note").str.starts_with("CONFLICT"))
    assert not conflicts.is_empty()
    assert conflicts.join(claims, on=["index", "year", "level", "unit"]).height == conflicts.height


def test_figures_checked_by_hand() -> None:
    """A few figures as the sources print them (read again by hand in the cited pages)."""
    rows = read(RESULTS)

    def one(index: str, year: str, unit: str) -> dict[str, str]:
        found = rows.filter((pl.col("index") == index) & (pl.col("year") == year) & (pl.col("unit") == unit))
        assert found.height >= 1, (index, year, unit)
        return found.row(0, named=True)

    assert (one("pci", "2024", "Hải Phòng")["score"], one("pci", "2024", "Hải Phòng")["rank"]) == ("74.84", "1")
    assert one("papi", "2023", "Ninh Thuận")["score"] == "45.5054"
    assert one("sipas", "2023", "Thái Nguyên")["score"] == "90.29"
    assert one("dti", "2022", "Thừa Thiên - Huế")["rank"] == "4"
    dti_2022 = rows.filter((pl.col("index") == "dti") & (pl.col("year") == "2022") & (pl.col("level") == "province"))
    assert dti_2022.height == 63  # dti.gov.vn prints the whole ranking: 63 provinces, Thanh Hóa and Yên Bái tied 15th
    assert sorted(dti_2022["rank"].cast(int).to_list()) == [*range(1, 15), 15, 15, *range(17, 64)]
    components = read(COMPONENTS)
    hai_duong = components.filter(
        (pl.col("index") == "pci") & (pl.col("year") == "2021") & (pl.col("unit") == "Hải Dương")
    )
    assert dict(zip(hai_duong["component"], hai_duong["score"], strict=True))["Cạnh tranh bình đẳng"] == "8.38"
    assert hai_duong.height == 10  # VCCI's ten sub-indices
    codes = {register().match(unit, year=2022, kinds=frozenset({"province"})).code for unit in dti_2022["unit"]}
    assert len(codes) == 63 and None not in codes  # each name is a different province of 2022


def test_par_index_facts_keep_to_the_same_rules() -> None:
    """The PAR INDEX headline facts (extended alongside the new files) name real units and cite a web source."""
    facts = read(PAR_FACTS).rename({"score_pct": "score"}).with_columns(index=pl.lit("par_index"))
    found = [
        problem
        for row in facts.iter_rows(named=True)
        for problem in _row_problems(row, SCALES) + _unit_problems(row)
        if "nothing was published" not in problem  # a fact row may carry only a note (bottom of a year, …)
    ]
    assert found == []
