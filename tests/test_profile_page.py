"""The Unit profile page's figures (services/profile.py) without Streamlit: a unit's history, ranks, cards and
tables on the sample database, its lineage and components on the demo. The page itself runs in
test_pages_leaders.py."""

from __future__ import annotations

from pathlib import Path

from services import profile, published
from store.db import connect_read_only, current_file
from store.queries import Published


def query(db: Path, sql: str) -> list[tuple]:
    """Plain SQL on the published file, with the configuration the services open it with (same process)."""
    file = current_file(db)
    assert file is not None
    con = connect_read_only(file)
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


def test_history_ranks_and_cards_of_a_department(sample_db: Path) -> None:
    b = published.read(Published(sample_db))
    history = profile.unit_history(b, "TST-S03")
    assert profile.own_years(history) == [2023, 2024]
    ranks = profile.kind_ranks(b, "TST-S03")
    assert ranks.rows() == [(2023, 3, 4), (2024, 3, 4)]
    unit = b.unit("TST-S03")
    assert unit is not None
    cards = {c.label: c for c in profile.cards(history, ranks, unit, 2024, "en")}
    assert cards["Total score 2024"].value == "81.75" and cards["Total score 2024"].note == "Appraised"
    assert (cards["Rank"].value, cards["Rank"].note) == ("3", "among 4 Departments")
    assert cards["Tier"].value == "Good"
    assert cards["Against 2023"].value == "+4.50"  # 81.75 − 77.25
    assert profile.facts(unit, "en") == "Departments · sở · Tỉnh Thử Nghiệm"  # no code, no empty validity
    assert profile.history_table(history, ranks, "en").frame["Rank"].to_list() == ["3/4", "3/4"]
    assert profile.kind_medians(b, "department").rows() == [(2023, 80.88), (2024, 84.88)]
    assert profile.lineage(b, "TST-S03", "en") == []
    assert profile.unit_history(b, "NO-SUCH-UNIT").is_empty()


def test_a_merged_commune_names_its_predecessors_and_its_components(demo_db: Path) -> None:
    b = published.read(Published(demo_db))
    code = "DEMO-LH-N001"
    lines = profile.lineage(b, code, "vi")
    predecessors = query(
        demo_db,
        f"SELECT p.name FROM unit_lineage l JOIN unit p ON p.unit_code = l.predecessor_code "
        f"WHERE l.unit_code = '{code}'",
    )
    assert len(lines) == len(predecessors)
    assert all(any(name in line for line in lines) for (name,) in predecessors)
    history = profile.unit_history(b, code)
    assert history.filter(history["reconstructed"])["year"].to_list()  # the years before it began, rebuilt
    year = profile.own_years(history)[-1]
    comps = profile.component_profile(b, code, year)
    expected = query(demo_db, f"SELECT count(*) FROM component_result WHERE unit_code = '{code}' AND year = {year}")
    assert comps.height == expected[0][0]
    assert {"median_points", "lost", "vs_median"} <= set(comps.columns)
    rows = profile.components_chart_rows(comps, "vi")
    assert all(
        label.startswith(f"{c}. ") for label, c in zip(rows["component_name"], comps["component_code"], strict=True)
    )
