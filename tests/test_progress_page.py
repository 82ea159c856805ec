"""The Progress page's figures (services/progress.py) without Streamlit: improvement on the programme's first
year, the heatmap's rows, the projection's note, targets and the years they may be set for. The page itself runs
in test_pages_leaders.py."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from core import programme
from services import profile, progress, published
from store.queries import Published


def _history(scores: dict[int, float]) -> pl.DataFrame:
    return pl.DataFrame({"year": list(scores), "score": list(scores.values()), "reconstructed": [False] * len(scores)})


def test_improvement_says_when_there_is_no_baseline(sample_db: Path) -> None:
    b = published.read(Published(sample_db))
    assert progress.baseline_year() == programme.first_year()
    improved = progress.improvement(b, "department", 2024)
    assert improved["unit_code"].to_list() == ["TST-S01", "TST-S02", "TST-S03", "TST-S04"]
    assert improved["change"].is_null().all()  # the sample starts in 2023
    table = progress.improvement_table(improved, "en")
    assert set(table.frame["Basis"]) == {"No 2021 score"}
    assert table.frame["Score"].to_list() == ["93.10", "88.00", "81.75", "72.00"]


def test_heatmap_rows_are_the_best_scores_within_a_known_parent(sample_db: Path) -> None:
    b = published.read(Published(sample_db))
    improved = progress.improvement(b, "department", 2024)
    heat = progress.heatmap(b, "department", improved, parent="NOT-A-PARENT", rows=2)  # unknown parent: ignored
    assert heat.names == ["Sở Nội vụ", "Sở Tài chính"] and heat.of == 4
    assert heat.matrix.columns == ["unit_code", "2023", "2024"]
    assert heat.matrix.row(0) == ("TST-S01", 91.65, 93.1)


def test_projection_targets_and_target_years() -> None:
    history = _history({2021: 80.0, 2022: 82.0, 2023: 84.0, 2024: 86.0})
    proj = progress.project(history)
    assert proj.made and proj.years[-1] == programme.last_year()
    assert ": 98.00 (95% interval: 98.00 – 98.00)" in progress.projection_note(proj, "en")  # 86 + 6 years × 2
    assert progress.projection_note(progress.project(_history({2024: 80.0})), "en").startswith("No projection")
    ranks = pl.DataFrame({"year": [2024], "rank": [1], "ranked": [4]})
    table = progress.targets_table({2024: (85.0, 1), 2030: (95.0, None)}, history, ranks, proj, "en").frame
    assert table["Met?"].to_list() == ["Met", "No result yet"]
    assert table["Projected"].to_list()[1] != "–"
    first_review_end = min(end for _, end in programme.review_periods().values())
    assert progress.target_years() == list(range(first_review_end + 1, programme.last_year() + 1))
    points = progress.target_points({2030: (95.0, None), 2027: (None, 3)})
    assert points.rows() == [(2030, 95.0)]


def test_components_holding_a_unit_back_lose_most_first(demo_db: Path) -> None:
    b = published.read(Published(demo_db))
    history = profile.unit_history(b, "DEMO-LH-S01")
    year = progress.latest_own_year(history)
    assert year is not None
    table = progress.holding_back_table(profile.component_profile(b, "DEMO-LH-S01", year), "en").frame
    lost = [float(v.replace(",", "")) for v in table["Points lost"]]
    assert lost == sorted(lost, reverse=True)
