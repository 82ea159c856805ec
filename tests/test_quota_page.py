"""The Quota simulation page in AppTest on the demo: a preset's list, compared with another preset, its
robustness run, a wrong form told field by field, a link to a scenario that does not exist."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from import_helpers import copy_db
from streamlit.testing.v1 import AppTest

from core.i18n import t

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
QUOTA = "screens/quota.py"


def _q(key: str, **params: object) -> str:
    return t(f"quota.{key}", "vi", **params)


@pytest.fixture
def page(demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> AppTest:
    monkeypatch.setenv("PARBOARD_DB", str(copy_db(demo_db, tmp_path)))
    monkeypatch.setenv("PARBOARD_AUTH", "off")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["year"] = "2023"
    at.run()
    at.switch_page(QUOTA).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_preset_compared_and_tested_for_robustness(page: AppTest) -> None:
    at = page
    assert at.title[0].value == _q("page.title")
    # as the reader sees it: the names inside are escaped so that no data value can become Markdown
    shown = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown]
    assert "### Ngã Năm 2022 — Kế hoạch 50/KH-UBND — năm 2023" in shown
    (link,) = [c.value for c in at.code]
    assert {"preset=nga-nam-2022", "year=2023"} <= set(link.lstrip("?").split("&"))
    tables = len(at.dataframe)
    headers = [c for df in at.dataframe for c in df.value.columns]
    assert _q("table.unit") in headers and _q("table.person") in headers  # collectives' and individuals' lists
    assert not [c for c in headers if c.startswith(("quota.", "table."))], "a catalog key shown as itself"
    # The list's cost: Ngã Năm's Giấy khen of the town chairman has no multiplier from the decree's text (in
    # force on 31/12/2023: Nghị định 91/2017), so the total is said to be incomplete, not 0.
    metric = next(m for m in at.metric if m.label == _q("cost.total_incomplete"))
    assert metric.value == _q("cost.pending")
    warnings = [re.sub(r"\\(.)", r"\1", w.value) for w in at.warning]
    assert any(w.startswith("Chưa tính được kinh phí: 2 dòng chưa có mức thưởng") for w in warnings), warnings
    (cost_table,) = [df.value for df in at.dataframe if _q("cost.recipient") in df.value.columns]
    assert list(cost_table[_q("cost.recipient")]) == ["tập thể", "cá nhân"]
    # what is the same on every row (3 of each, no amount yet) is said once under the grid
    (said,) = [c.value for c in at.caption if f"{_q('cost.subtotal')}: {_q('cost.pending')}" in c.value]
    assert f"{_q('cost.count')}: 3" in said
    at.multiselect(key="compare").select("preset:tt02-2024")
    _ok(at.run())
    shown = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown]
    (said,) = [m for m in shown if m.startswith(":material/payments: ")]
    assert said.endswith(": một trong hai danh sách chưa đủ mức thưởng."), said
    assert len(at.dataframe) == tables + 1 or _q("page.compare_none") in [i.value for i in at.info]
    (run,) = [b for b in at.button if b.label == _q("page.run_robust")]
    _ok(run.click().run())
    assert [m.label for m in at.metric][-3:] == [
        _q("page.robust_metrics_in"),
        _q("page.robust_metrics_flip"),
        _q("page.robust_metrics_out"),
    ]
    assert any(c.value.startswith(_q("page.robust_formula", draws="10.000", seed=2021)[:40]) for c in at.caption)


def test_a_wrong_form_is_told_field_by_field(page: AppTest) -> None:
    at = page
    at.segmented_control(key="src").set_value("build")
    _ok(at.run())
    assert at.text_input(key="f_award").value == "Giấy khen của Chủ tịch UBND"
    at.selectbox(key="f_g1_qk").set_value("percent")
    at.number_input(key="f_g1_pct").set_value(250.0)
    (submit,) = [b for b in at.button if b.label == _q("page.build_submit")]
    _ok(submit.click().run())
    (error,) = at.error
    assert error.value.startswith(_q("page.build_errors"))
    assert f"- **{_q('page.group_n', n=1)} › " in error.value
    at.number_input(key="f_g1_pct").set_value(20.0)
    at.text_input(key="f_name").input("Thử")
    (submit,) = [b for b in at.button if b.label == _q("page.build_submit")]
    _ok(submit.click().run())
    assert [s.value for s in at.success] == [_q("page.build_ok")], [e.value for e in at.error]


def test_a_built_rule_priced_on_a_form_found_in_the_decree_shows_its_cost(page: AppTest) -> None:
    at = page
    at.segmented_control(key="src").set_value("build")
    _ok(at.run())
    at.text_input(key="f_name").input("Giấy khen cấp xã")
    at.selectbox(key="f_award_form").set_value("giay_khen_ubnd_xa")
    (submit,) = [b for b in at.button if b.label == _q("page.build_submit")]
    _ok(submit.click().run())
    # The form's default rule gives 1 department + 2 communes a collective Giấy khen of the commune chairman:
    # on 31/12/2023 (Nghị định 91/2017, Điều 73: a collective gets twice a person's 0.15) the base salary is
    # 1,800,000 đ, so each is 0.3 × 1,800,000 = 540,000 (already a multiple of 10,000: no rounding), and
    # 3 × 540,000 = 1,620,000.
    awarded = [len(df.value) for df in at.dataframe if df.value.columns[0] == "STT"]
    assert awarded == [3, 1, 2]  # the whole list first, then group by group
    (cost_table,) = [df.value for df in at.dataframe if _q("cost.recipient") in df.value.columns]
    assert list(cost_table[_q("cost.subtotal")]) == ["1.620.000 đ"]
    assert list(cost_table[_q("cost.each")]) == ["540.000 đ"]
    metric = next(m for m in at.metric if m.label == _q("cost.total"))
    assert metric.value == "1.620.000 đ"
    infos = [re.sub(r"\\(.)", r"\1", i.value) for i in at.info]
    assert "Tổng kinh phí: 1.620.000 đ cho 3 suất khen thưởng." in infos


def test_the_reader_fills_in_the_missing_multipliers_and_moves_the_decision_date(page: AppTest) -> None:
    at = page
    # Ngã Năm 2023: 3 collective and 3 individual Giấy khen of the town chairman, whose multipliers the table
    # leaves to fill in; the reader enters 0.6 and 0.3 (figures of this test, not the decree's).
    at.number_input(key="cost_m_giay_khen_ubnd_huyen_collective").set_value(0.6)
    at.number_input(key="cost_m_giay_khen_ubnd_huyen_individual").set_value(0.3)
    (apply,) = [b for b in at.button if b.label == _q("cost.apply")]
    _ok(apply.click().run())
    # 31/12/2023: Nghị định 91/2017 (rounded up to 10,000 đ), base salary 1,800,000 đ:
    # 3 × 0.6 × 1,800,000 = 3 × 1,080,000 = 3,240,000; 3 × 0.3 × 1,800,000 = 3 × 540,000 = 1,620,000
    metric = next(m for m in at.metric if m.label == _q("cost.total"))
    assert metric.value == "4.860.000 đ"
    # Decided on 01/07/2024 instead: Nghị định 98/2023, base salary 2,340,000 đ:
    # 3 × 1,404,000 + 3 × 702,000 = 4,212,000 + 2,106,000 = 6,318,000
    at.date_input(key="cost_day").set_value(date(2024, 7, 1))
    (apply,) = [b for b in at.button if b.label == _q("cost.apply")]
    _ok(apply.click().run())
    metric = next(m for m in at.metric if m.label == _q("cost.total"))
    assert metric.value == "6.318.000 đ"


def test_a_link_to_an_unknown_scenario_falls_back_to_the_default(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARBOARD_DB", str(copy_db(demo_db, tmp_path)))
    monkeypatch.setenv("PARBOARD_AUTH", "off")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["scenario"] = "không có"
    at.run()
    _ok(at.switch_page(QUOTA).run())
    assert _q("page.invalid_link", name="scenario") in [c.value for c in at.caption]
    assert at.segmented_control(key="src").value == "preset"


def _robust_metrics(at: AppTest) -> list[str]:
    names = (_q("page.robust_metrics_in"), _q("page.robust_metrics_flip"), _q("page.robust_metrics_out"))
    return [m.value for m in at.metric if m.label in names]


def test_the_list_comes_first_with_its_counts_and_cost(page: AppTest) -> None:
    at = page
    assert _q("page.list_heading") in at.subheader[0].value  # the first section of the page
    first = at.dataframe[0].value
    assert first.columns[0] == "STT" and len(first) == 6
    # one award form for all six: said once under the grid
    assert any(f"{_q('table.award')}: Giấy khen của Chủ tịch UBND" in c.value for c in at.caption)
    shown = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown]
    (line,) = [
        m
        for m in shown
        if m.startswith("**Giấy khen của Chủ tịch UBND thị xã (tập thể): 3 — Ban, phòng, ngành: 1, Xã, phường: 2; ")
    ]
    assert line.endswith(f" · {_q('cost.total_incomplete')}: {_q('cost.pending')}**"), line
    assert "(cá nhân): 3" in line
    labels = [tab.label for tab in at.tabs]  # the page's tabs, and inside the first, one per rule
    assert labels[0] == _q("page.tab_details")
    assert {_q(f"page.tab_{k}") for k in ("cost", "fairness", "files", "compare", "robust", "manage")} <= set(labels)
    assert {"Khen thưởng hằng năm — tập thể", "Khen thưởng hằng năm — cá nhân"} <= set(labels)


def test_the_robustness_run_is_kept_until_what_made_it_changes(
    page: AppTest, demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = page
    assert _robust_metrics(at) == []
    (run,) = [b for b in at.button if b.label == _q("page.run_robust")]
    _ok(run.click().run())
    counts = _robust_metrics(at)
    assert len(counts) == 3
    assert _q("page.robust_kept") not in [c.value for c in at.caption]
    # another widget: the comparison. The run is still shown, the same, and said to be kept.
    at.multiselect(key="compare").select("preset:tt02-2024")
    _ok(at.run())
    assert _robust_metrics(at) == counts
    assert _q("page.robust_kept") in [c.value for c in at.caption]
    # another reader, same address: no run of theirs, none of the first reader's
    second = AppTest.from_file(APP, default_timeout=90)
    second.query_params["year"] = "2023"
    second.run()
    _ok(second.switch_page(QUOTA).run())
    assert _robust_metrics(second) == []
    # the noise asked for changes: that run is not this one
    at.number_input(key="noise_draws").set_value(2000)
    _ok(at.run())
    assert _robust_metrics(at) == counts  # a form: nothing changes until it is submitted
    (run,) = [b for b in at.button if b.label == _q("page.run_robust")]
    _ok(run.click().run())
    assert any(c.value.startswith(_q("page.robust_formula", draws="2.000", seed=2021)[:40]) for c in at.caption)
    # another year: dropped
    at.selectbox(key="w-year").set_value(2024)
    _ok(at.run())
    assert _robust_metrics(at) == []
    at.selectbox(key="w-year").set_value(2023)
    _ok(at.run())
    assert _robust_metrics(at) == []
