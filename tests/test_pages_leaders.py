"""The leaders' pages in AppTest on the demo database: the figures they show equal figures computed here with
plain SQL, the view lives in the URL, and an empty database gets the friendly page."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from core import fmt
from core.i18n import t
from store.db import CONNECT_CONFIG, current_file

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TIMEOUT_S = 30
PAGES = ("overview", "rankings", "profile", "progress", "reviews")


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    def run(db: Path, page: str = "overview", **params: str) -> AppTest:
        monkeypatch.setenv("PARBOARD_DB", str(db))
        at = AppTest.from_file(APP, default_timeout=TIMEOUT_S)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        if page != "overview":
            at.switch_page(f"screens/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def query(db: Path, sql: str) -> list[tuple]:
    """Plain SQL on the published file, with the configuration the app opens it with (same process)."""
    con = duckdb.connect(str(current_file(db)), read_only=True, config=CONNECT_CONFIG)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def _col(key: str, lang: str = "vi") -> str:
    return t(f"charts.cols.{key}", lang)


def _frame(at: AppTest, first_column: str) -> pd.DataFrame:
    for df in at.dataframe:
        if df.value.columns[0] == first_column:
            return df.value
    raise AssertionError(f"no table starting with {first_column!r}")


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def _units(db: Path, kind: str, year: int) -> int:
    (units,) = query(db, f"SELECT count(*) FROM unit_result WHERE unit_kind = '{kind}' AND year = {year}")[0]
    return int(units)


def _score(value: float, lang: str = "vi") -> str:
    return fmt.number(value, lang, 2)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_on_an_empty_database_says_how_to_load(
    open_page: Callable[..., AppTest], empty_db: Path, page: str
) -> None:
    at = open_page(empty_db, page)
    assert not at.error
    assert any(t("dashboard.empty.title", "vi") in md.value for md in at.markdown)
    assert "parboard demo" in [c.value for c in at.code]
    assert not at.metric and not at.dataframe


def test_overview_figures(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db)
    assert at.title[0].value == t("overview.title", "vi")
    (year,) = query(demo_db, "SELECT max(year) FROM unit_result")[0]
    assert at.selectbox(key="w-year").value == year
    metrics = _metrics(at)
    for kind, mean in query(
        demo_db, f"SELECT unit_kind, round(avg(total), 2) FROM unit_result WHERE year = {year} GROUP BY unit_kind"
    ):
        label = t(
            "overview.glance_mean", "vi", kind=t(f"dashboard.kinds.{kind}", "vi"), units=_units(demo_db, kind, year)
        )
        assert metrics[label] == _score(mean)
    # No official result for the fictional province: the country's leader of the year is shown instead
    assert t("overview.no_home_province", "vi") in [i.value for i in at.info]
    charts = at.get("plotly_chart")
    assert len(charts) >= 3


def test_overview_movers_and_official_leader_for_a_chosen_year(
    open_page: Callable[..., AppTest], demo_db: Path
) -> None:
    at = open_page(demo_db, year="2023")
    top = query(
        demo_db, "SELECT published_name FROM official_result WHERE year = 2023 AND level = 'province' AND rank = 1"
    )
    assert _metrics(at)[t("overview.top_province", "vi")] == top[0][0]
    assert _metrics(at)[t("overview.coverage", "vi")].endswith("/63")


def test_rankings_equal_sql_ranks_with_ties(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db, "rankings", kind="commune", year="2024")
    table = _frame(at, _col("rank"))
    expected = query(
        demo_db,
        "SELECT u.name, rank() OVER (ORDER BY r.total DESC) AS rk, r.total, p.total, r.total - p.total "
        "FROM unit_result r JOIN unit u USING (unit_code) "
        "LEFT JOIN unit_result p ON p.unit_code = r.unit_code AND p.year = 2023 "
        "WHERE r.unit_kind = 'commune' AND r.year = 2024 ORDER BY rk, r.unit_code",
    )
    assert len(table) == len(expected)
    # Numbers, not text: the grid sorts them as numbers (1, 2, 10), and writes them in the reader's language
    shown = {(n, r, s) for n, r, s in zip(table[_col("unit")], table[_col("rank")], table[_col("score")], strict=True)}
    assert shown == {(name, rk, round(total, 2)) for name, rk, total, _, _ in expected}
    changes = dict(zip(table[_col("unit")], table[_col("score_change")], strict=True))
    name, _, _, _, delta = expected[0]
    assert changes[name] == pytest.approx(round(delta, 2), abs=0.005)
    assert at.selectbox(key="w-kind").value == "commune"
    assert at.query_params["year"] == "2024"


def test_rankings_by_component(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db, "rankings", kind="department", year="2024", comp="LV3")
    table = _frame(at, _col("rank"))
    expected = query(
        demo_db,
        "SELECT u.name, rank() OVER (ORDER BY c.points DESC), c.points FROM component_result c "
        "JOIN unit u USING (unit_code) JOIN framework f USING (framework_id) "
        "WHERE f.unit_kind = 'department' AND c.year = 2024 AND c.component_code = 'LV3'",
    )
    shown = set(zip(table[_col("unit")], table[_col("rank")], table[_col("score")], strict=True))
    assert shown == {(n, r, round(p, 2)) for n, r, p in expected}


def test_official_ranking_reproduces_the_published_ranks(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db, "rankings", kind="province", year="2023")
    table = _frame(at, _col("rank"))
    published = query(
        demo_db,
        "SELECT DISTINCT published_name, rank FROM official_result WHERE year = 2023 AND index_code = 'par_index' "
        "AND level = 'province' AND rank IS NOT NULL ORDER BY rank",
    )
    ranked = table[table[_col("rank")].notna()]
    assert list(zip(ranked[_col("unit")], ranked[_col("rank")], strict=True)) == [(n, r) for n, r in published]
    assert any("63" in w.value for w in at.warning)  # partial year, said so
    flags = dict(zip(table[_col("unit")], table[_col("flags")], strict=True))
    assert "91,81" in flags["Hải Phòng"]


def test_profile_figures_trace_to_their_files(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db, "profile", kind="department", unit="DEMO-LH-S03", year="2024")
    total, tier = query(demo_db, "SELECT total, tier FROM unit_result WHERE unit_code = 'DEMO-LH-S03' AND year = 2024")[
        0
    ]
    (rank,) = query(
        demo_db,
        "SELECT rk FROM (SELECT unit_code, rank() OVER (ORDER BY total DESC) rk "
        "FROM unit_result WHERE unit_kind = 'department' AND year = 2024) "
        "WHERE unit_code = 'DEMO-LH-S03'",
    )[0]
    metrics = _metrics(at)
    assert metrics[t("profile.total", "vi", year=2024)] == _score(total)
    assert metrics[t("profile.rank", "vi")] == str(rank)
    assert metrics[t("profile.tier", "vi")] == t(f"dashboard.tiers.{tier}", "vi")

    criteria = _frame(at, _col("item"))
    rows = query(
        demo_db,
        "SELECT s.item_code, src.file_name, s.source_row FROM unit_score s "
        "JOIN source src USING (source_id) WHERE unit_code = 'DEMO-LH-S03' AND year = 2024",
    )
    # Every criterion from one file: the file is said once under the table, not on every row
    ((file,),) = {(file,) for _, file, _ in rows}
    assert _col("file") not in criteria.columns
    assert any(f"{_col('file')}: {file}" in c.value for c in at.caption)
    shown = set(zip(criteria[_col("item")], criteria[_col("row")], strict=True))
    assert shown == {(item, row) for item, _, row in rows}

    years = _frame(at, _col("year"))
    history = dict(query(demo_db, "SELECT year, total FROM unit_result WHERE unit_code = 'DEMO-LH-S03'"))
    assert dict(zip(years[_col("year")], years[_col("score")], strict=True)) == {
        str(y): round(s, 2) for y, s in history.items()
    }


def test_profile_of_a_merged_commune_shows_its_lineage_and_reconstructed_years(
    open_page: Callable[..., AppTest], demo_db: Path
) -> None:
    at = open_page(demo_db, "profile", kind="commune", unit="DEMO-LH-N001")
    preds = query(
        demo_db,
        "SELECT p.name FROM unit_lineage l JOIN unit p ON p.unit_code = l.predecessor_code "
        "WHERE l.unit_code = 'DEMO-LH-N001'",
    )
    text = " ".join(md.value for md in at.markdown)
    assert all(name in text for (name,) in preds)
    years = _frame(at, _col("year"))
    (mean_2021,) = query(
        demo_db,
        "SELECT round(avg(r.total), 2) FROM unit_lineage l JOIN unit_result r "
        "ON r.unit_code = l.predecessor_code AND r.year = 2021 "
        "WHERE l.unit_code = 'DEMO-LH-N001'",
    )[0]
    row = years[years[_col("year")] == "2021"].iloc[0]
    assert row[_col("score")] == pytest.approx(mean_2021)
    assert row[_col("basis")].startswith("Dựng lại")


def test_progress_improvement_against_2021(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db, "progress", kind="department")
    table = _frame(at, _col("unit"))
    expected = query(
        demo_db,
        "SELECT u.name, a.total - b.total FROM unit_result a JOIN unit_result b "
        "USING (unit_code) JOIN unit u USING (unit_code) WHERE a.unit_kind = 'department' "
        "AND a.year = 2025 AND b.year = 2021",
    )
    changes = dict(zip(table[_col("unit")], table[_col("change")], strict=True))
    for name, delta in expected:
        assert changes[name] == pytest.approx(round(delta, 2), abs=0.005)
    assert len(at.get("plotly_chart")) >= 3


def test_progress_targets_are_kept_in_the_url(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db, "progress", kind="department", unit="DEMO-LH-S01", targets="2030s99r1,1999s5,2027x")
    assert at.query_params["targets"] == "2030s99r1"  # the malformed items dropped
    targets = _frame(at, _col("year"))
    assert targets[_col("target_score")].tolist() == [99.0]


def test_midterm_review_ranks_only_current_units(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db, "reviews", kind="commune", period="midterm")
    ranked = _frame(at, _col("period_rank"))
    (current,) = query(
        demo_db,
        "SELECT count(DISTINCT unit_code) FROM unit_result r JOIN unit u USING (unit_code) "
        "WHERE r.unit_kind = 'commune' AND u.valid_to IS NULL",
    )[0]
    assert len(ranked) == current
    # A merged commune's period mean: its predecessors' mean for 2021–2024, its own 2025 score
    (mean,) = query(
        demo_db,
        """
        WITH years AS (
            SELECT r.year, avg(r.total) AS s FROM unit_lineage l JOIN unit_result r ON r.unit_code = l.predecessor_code
            WHERE l.unit_code = 'DEMO-LH-N001' AND r.year BETWEEN 2021 AND 2024 GROUP BY r.year
            UNION ALL SELECT year, total FROM unit_result WHERE unit_code = 'DEMO-LH-N001'
        ) SELECT avg(round(s, 2)) FROM years""",
    )[0]
    # The page names units, never their codes: find the commune by its name.
    (name,) = query(demo_db, "SELECT name FROM unit WHERE unit_code = 'DEMO-LH-N001'")[0]
    names = ranked[_col("unit")].tolist()
    assert ranked[_col("period_mean")].iloc[names.index(name)] == pytest.approx(round(mean, 2))
    ended = [df.value for df in at.dataframe if df.value.columns[0] == _col("period_rank")][1]
    assert ended[_col("period_rank")].isna().all()  # the old communes are listed, never ranked


def test_english_numbers_and_words(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db, "overview", lang="en", year="2024", kind="commune")
    assert at.title[0].value == "Overview"
    (mean,) = query(
        demo_db, "SELECT round(avg(total), 2) FROM unit_result WHERE year = 2024 AND unit_kind = 'commune'"
    )[0]
    label = t("overview.glance_mean", "en", kind="Communes", units=_units(demo_db, "commune", 2024))
    assert _metrics(at)[label] == fmt.number(mean, "en", 2)
    assert "." in _metrics(at)[label]  # decimal point in English


def test_state_follows_the_reader_across_pages(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db, "rankings", kind="commune", year="2024")
    at.switch_page("screens/reviews.py").run()
    assert not at.exception
    assert at.selectbox(key="w-kind").value == "commune"  # the chosen kind follows the reader
    at.switch_page("screens/overview.py").run()
    assert at.selectbox(key="w-year").value == 2024


def test_invalid_url_values_fall_back_to_defaults(open_page: Callable[..., AppTest], demo_db: Path) -> None:
    at = open_page(demo_db, "rankings", kind="'; DROP TABLE unit; --", year="1999", comp="__import__('os')")
    assert at.selectbox(key="w-kind").value == "department"
    (latest,) = query(demo_db, "SELECT max(year) FROM unit_result WHERE unit_kind = 'department'")[0]
    assert at.selectbox(key="w-year").value == latest
    assert at.selectbox(key="w-comp").value == "total"


def _drawn(at: AppTest, index: int) -> pl.DataFrame:
    """The grid's cells as drawn (the Styler's display values), beside the values it sorts on."""
    proto = at.dataframe[index].proto
    table = pa.ipc.open_stream(proto.arrow_data.styler.display_values).read_all()
    return pl.DataFrame(table.to_pylist())


@pytest.mark.parametrize(("lang", "pattern"), [("vi", r"\d{1,3},\d\d"), ("en", r"\d{1,3}\.\d\d")])
def test_a_ranking_grid_sorts_numbers_and_draws_them_as_the_language_writes_them(
    open_page: Callable[..., AppTest], demo_db: Path, lang: str, pattern: str
) -> None:
    at = open_page(demo_db, "rankings", kind="commune", year="2024", lang=lang)
    grid = next(i for i, df in enumerate(at.dataframe) if df.value.shape[0] > 20)
    values, drawn = at.dataframe[grid].value, _drawn(at, grid)
    decimals = [c for c in values.columns if values[c].dtype.kind == "f" and (values[c].dropna() % 1 != 0).any()]
    assert decimals, "no decimal column held as numbers: the grid would sort scores as text"
    cells = [c for c in drawn[decimals[0]].to_list() if c and c[0].isdigit()]
    assert cells and all(re.fullmatch(pattern, c) for c in cells), cells[:5]
    # a change in rank: held as a number (sorts +1, +10 apart), drawn with its sign
    signs = [c for col in values.columns if values[col].dtype.kind == "f" for c in drawn[col].to_list() if c]
    assert any(c.startswith("+") for c in signs) and any(c.startswith("−") for c in signs)
