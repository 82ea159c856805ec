"""What the national indices page adds to the tables: the score-and-rank series with the national average, the
chart with the 2025 break, the province names of the year, and the province's own results against the PAR
INDEX areas, on real databases (an `init` one and the demo with a hand-written component file loaded)."""

from __future__ import annotations

import shutil
from pathlib import Path

import polars as pl
import pytest

from charts import figures
from charts.frame import SOURCE_ANNOTATION
from cli.main import main
from etl.units import NameVariant, name_variants
from services import national
from services import national_view as view
from services.published import Base, read
from store.queries import Published

FILES = Path(__file__).parent / "fixtures" / "national" / "files"
# Hand-written: Đồng Tháp's PAR INDEX 2024 by area (fictional figures, published ranks out of 63).
PARTIAL_2024 = FILES / "par_index_2024_linh_vuc_mot_phan.csv"


@pytest.fixture(scope="module")
def init_base(tmp_path_factory: pytest.TempPathFactory) -> Base:
    db = tmp_path_factory.mktemp("init") / "p.duckdb"
    assert main(["init", "--province", "22", "--db", str(db)]) == 0
    return read(Published(db))


@pytest.fixture(scope="module")
def demo_base(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Base:
    db = tmp_path_factory.mktemp("demo-national") / "p.duckdb"
    shutil.copy(demo_db, db)
    assert main(["load", str(PARTIAL_2024), "--db", str(db)]) == 0
    return read(Published(db))


# ---- names of the year ------------------------------------------------------------------------------------


def test_a_province_keeps_the_name_it_had_that_year() -> None:
    variants = name_variants()
    # Thừa Thiên Huế became Thành phố Huế on 01/01/2025 (Nghị quyết 1314/NQ-UBTVQH15).
    assert view.name_of_year("46", 2023, "Thành phố Huế", variants) == "Thừa Thiên Huế"
    assert view.name_of_year("46", 2024, "Thành phố Huế", variants) == "Thừa Thiên Huế"
    assert view.name_of_year("46", 2025, "Thành phố Huế", variants) == "Thành phố Huế"
    # Abbreviations and English names are spellings to recognise, never the name a table shows.
    assert view.name_of_year("OLD-79", 2023, "Thành phố Hồ Chí Minh", variants) == "Thành phố Hồ Chí Minh"
    assert view.name_of_year("01", 2022, "Thành phố Hà Nội", variants) == "Thành phố Hà Nội"


def test_the_rule_reads_the_variants_it_is_given() -> None:
    variants = [
        NameVariant("X", "TX-A", None, 2020),
        NameVariant("X", "Tỉnh Cũ", None, 2020),
        NameVariant("X", "Cũ Xưa", 2015, 2020),
    ]
    assert view.name_of_year("X", 2019, "Mới", variants) == "Cũ Xưa"
    assert view.name_of_year("X", 2014, "Mới", variants) == "Mới"
    assert view.name_of_year("X", 2021, "Mới", variants) == "Mới"


def test_tables_of_a_year_use_its_names(init_base: Base) -> None:
    assert view.year_names(init_base, 2023)["46"] == "Thừa Thiên Huế"
    assert view.year_names(init_base, 2025)["46"] == init_base.unit("46")["name"]  # type: ignore[index]
    # Huế led PAPI 2023 (data/reference): its row in the table of every province carries the 2023 name.
    table = national.provinces_table(init_base, "papi", 2023, "vi", view.year_names(init_base, 2023)).frame
    shown = table[table.columns[0]].to_list()
    assert "Thừa Thiên Huế" in shown and "Thành phố Huế" not in shown


# ---- score and rank over the years --------------------------------------------------------------------------


def test_the_series_carries_the_published_national_average(init_base: Base) -> None:
    averages = national.national_averages(init_base, "par_index")
    rows = {r["year"]: (r["national_avg"], r["avg_basis"]) for r in averages.iter_rows(named=True)}
    # data/reference/par_index_summary.csv: the provinces' average 86,98 in 2023, 88,37 in 2024.
    assert rows[2023] == (86.98, "published")
    assert rows[2024] == (88.37, "published")
    series = national.standing_with_average(init_base, "par_index", "22")
    assert set(series.columns) >= {"year", "score", "rank", "national_avg", "after_break"}
    assert series.filter(pl.col("year") == 2023)["national_avg"].to_list() == [86.98]
    # A rank of a partial year is out of the 63 provinces PAR INDEX ranked, not the few loaded.
    assert set(series.filter(pl.col("year") <= 2024)["units"].to_list()) == {63}


def test_the_chart_marks_the_break_and_keeps_the_eras_apart() -> None:
    frame = pl.DataFrame(
        {
            "year": [2023, 2024, 2025],
            "score": [90.0, 91.0, 88.0],
            "rank": [5, 3, 2],
            "units": [63, 63, 34],
            "after_break": [False, False, True],
            "national_avg": [86.98, 88.37, None],
        }
    )
    names = view.chart_names("vi")
    fig = figures.national_standing(frame, figures.Frame("T", "S", "Nguồn: thử", "vi"), names)
    score = next(tr for tr in fig.data if tr.name == names["score"])
    # No line joins 2024 (63 provinces) to 2025 (34): a gap in the points, and a line where the break falls.
    assert list(score.x) == [2023, 2024, None, 2025]
    assert [s.x0 for s in fig.layout.shapes] == [2024.5]
    rank = next(tr for tr in fig.data if tr.name == names["rank"])
    assert [t for t in rank.text if t] == ["5/63", "3/63", "2/34"]
    assert list(fig.layout.yaxis2.range) == [63.5, 0.5]  # first place at the top, the whole field shown
    average = next(tr for tr in fig.data if tr.name == names["national_avg"])
    assert list(average.y) == [86.98, 88.37]
    assert any(a.name == SOURCE_ANNOTATION and a.text == "Nguồn: thử" for a in fig.layout.annotations)


def test_the_chart_words_name_the_index_years_and_publisher(init_base: Base) -> None:
    chart = view.standing_chart(init_base, "par_index", "22", "vi")
    assert chart is not None
    series, title, subtitle, source = chart
    assert "Chỉ số" in title and "Quảng Ninh" in subtitle
    assert "Bộ Nội vụ" in source and str(series["year"].min()) in source


# ---- the province's own results against the national index ------------------------------------------------


def test_internal_results_beside_the_national_areas_flag_the_large_gaps(demo_base: Base) -> None:
    rows = national.internal_against_national(demo_base, 2024, "OLD-87")
    lv3 = rows.filter((pl.col("kind") == "commune") & (pl.col("national_code") == "lv3_procedures")).row(0, named=True)
    # The file's LV3: 11,20 points, 58th of the 63 provinces the index ranked in 2024.
    assert (lv3["national_score"], lv3["national_rank"], lv3["national_units"]) == (11.2, 58, 63)
    # Flagged: an internal average ≥ 85 % (data/rules/national_gap.yaml) where the province ranks below 42,21
    # (0,67 × 63). LV3 (58th) is not flagged: no group of units averages 85 % on it.
    # The demo's districts average 86,9 % on LV5 (55th) and its communes 85,0 % on LV8 (50th); its districts'
    # 85,3 % on LV6 is not flagged (12th).
    flagged = rows.filter(pl.col("gap"))
    assert sorted(zip(flagged["kind"], flagged["national_code"], flagged["national_rank"], strict=True)) == [
        ("commune", "lv8_impact", 50),
        ("district", "lv5_civil_service", 55),
    ]
    lines = view.gap_lines(demo_base, 2024, "OLD-87", "vi")
    assert len(lines) == flagged.height
    assert all("/63" in line and "%" in line for line in lines)
    table = view.internal_table(demo_base, 2024, "OLD-87", "vi").frame
    assert table.height == rows.height
    lv3_rows = table.filter(pl.col("Lĩnh vực Chỉ số CCHC") == "Cải cách thủ tục hành chính")
    assert lv3_rows["Điểm lĩnh vực của tỉnh"].to_list() == ["11,20"] * 3  # communes, departments, districts
    assert lv3_rows["Thứ hạng"].to_list() == ["58/63"] * 3


def test_self_against_appraised_puts_the_largest_gap_first(demo_base: Base) -> None:
    rows = national.self_against_appraised(demo_base, 2024)
    gaps = rows["gap"].abs().to_list()
    assert gaps == sorted(gaps, reverse=True)
    table = view.self_table(demo_base, 2024, "en").frame
    assert table.columns[0] == "Unit" and table.height == min(rows.height, 200)
