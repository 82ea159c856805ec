"""services.quota, without Streamlit: the comparison the page shows, a scenario saved and read back as the
page and the command read it, the robustness rows shown, and the words of a refusal."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import polars as pl
import pytest
from import_helpers import ANALYST, VIEWER
from quota_helpers import group, result, rule, run, scenario, unit

from access.policy import Denied
from analysis import quota
from analysis.quota import Inputs, Scope, presets
from services import quota as service
from store.scenarios import ScenarioStoreError


def _frames(totals: dict[str, float]) -> dict:
    return {"units": [unit(c) for c in totals], "results": [result(c, 2024, t, n_items=25) for c, t in totals.items()]}


def test_changes_keep_only_who_gains_or_loses_in_some_scenario() -> None:
    frames = _frames({"A": 95, "B": 90, "C": 85, "D": 80})
    two = run(scenario(rule(groups=[group(count=2)])), **frames)
    same = run(scenario(rule(groups=[group(count=2)])), **frames)
    three = run(scenario(rule(groups=[group(count=3)])), **frames)
    cmp = service.changes([two, same, three])
    assert cmp.frame["id"].to_list() == ["C"]  # gains a seat in the third scenario, the same everywhere else
    assert (cmp.frame["s1_change"][0], cmp.frame["s2_change"][0]) == ("same", "gains")
    assert len(cmp.results) == 3
    assert service.changes([two, same]).frame.is_empty()


def test_compare_options_name_presets_and_saved_scenarios_but_not_the_one_shown(tmp_path: Path) -> None:
    db = tmp_path / "parboard.duckdb"
    service.save(db, ANALYST, presets.raw("tt02-2024"), "Bản thử")
    options = service.compare_options(db, shown="nga-nam-2022")
    assert "preset:nga-nam-2022" not in options
    assert options == [f"preset:{n}" for n in presets.names() if n != "nga-nam-2022"] + ["saved:Bản thử"]
    assert service.option_name("saved:Bản thử", "vi") == "Bản thử"
    assert service.option_name("preset:nga-nam-2022", "vi") == "Ngã Năm 2022 — Kế hoạch 50/KH-UBND"
    assert service.option_scenario(db, "saved:Bản thử").id == presets.load("tt02-2024").id
    with pytest.raises(ScenarioStoreError):
        service.option_scenario(db, "saved:không có")


def test_compare_with_simulates_each_choice_on_the_same_inputs_and_scope(tmp_path: Path) -> None:
    db = tmp_path / "parboard.duckdb"
    frames = _frames({"A": 95, "B": 90, "C": 85})
    service.save(
        db,
        ANALYST,
        {"id": "one", "name": "Một suất", "plan": {"title": "Thử"}, "rules": [rule(groups=[group(count=1)])]},
        "Một suất",
    )
    shown = run(scenario(rule(groups=[group(count=2)])), **frames)
    compared = service.compare_with(db, shown, Inputs.of(**frames), ["saved:Một suất"], "", "vi")
    assert compared.labels == ["Thử", "Một suất"]
    assert compared.changed and compared.comparison.frame["id"].to_list() == ["B"]
    table = compared.table("vi")
    assert table.row(0, named=True)["Thay đổi (Một suất)"] == "Mất"
    named = service.compare_with(db, shown, Inputs.of(**frames), ["saved:Một suất"], "Gốc", "en")
    # The scenario's own title heads its column (a preset's id never does); the page's label only stands in
    # for a scenario without a name.
    assert named.labels[0] == "Thử"


def test_a_saved_scenario_reads_back_as_it_simulates(tmp_path: Path) -> None:
    db = tmp_path / "parboard.duckdb"
    data = presets.raw("nga-nam-2022")
    assert isinstance(data["plan"]["date"], date)  # YAML gives dates; a saved file holds text
    stored = service.storable(data, "Ngã Năm — bản thử")
    assert stored["name"] == "Ngã Năm — bản thử" and stored["plan"]["date"] == str(data["plan"]["date"])
    assert service.storable(data, "")["name"] == data["name"]  # no name typed: the scenario's own
    saved = service.save(db, ANALYST, data, "Ngã Năm — bản thử", author="  ")
    assert saved.author == ANALYST.name
    assert [s.name for s in service.saved(db)] == ["Ngã Năm — bản thử"]
    assert service.saved_folder(db).parent == db.parent and list(service.saved_folder(db).glob("*.json"))
    again = service.saved_scenario(db, "Ngã Năm — bản thử")
    assert again == stored
    # The page caches a simulation by this key: the dict read back and the dict saved are the same scenario.
    assert service.scenario_key(again) == service.scenario_key(stored)
    assert service.scenario_key({"b": 1, "a": date(2024, 1, 2)}) == service.scenario_key({"a": "2024-01-02", "b": 1})
    assert quota.parse(again).rules == quota.parse(stored).rules


def test_saving_refuses_an_invalid_scenario_and_a_viewer_before_writing(tmp_path: Path) -> None:
    db = tmp_path / "parboard.duckdb"
    with pytest.raises(quota.ScenarioError) as exc:
        service.save(db, ANALYST, {"id": "x"}, "Hỏng")
    assert service.store_error(exc.value, "en").startswith("Not saved: ")
    with pytest.raises(Denied):
        service.save(db, VIEWER, presets.raw("tt02-2024"), "Của Vic")
    service.save(db, ANALYST, presets.raw("tt02-2024"), "Bản thử")
    with pytest.raises(ScenarioStoreError) as taken:
        service.save(db, ANALYST, presets.raw("tt02-2024"), "Bản thử")
    assert "Bản thử" in service.store_error(taken.value, "vi")
    assert [s.name for s in service.saved(db)] == ["Bản thử"]


def test_the_form_says_which_field_is_wrong() -> None:
    values = {
        "name": "Thử",
        "award_label": "Giấy khen",
        "recipient": "collective",
        "groups": [
            {
                "name": "Sở",
                "kinds": ["department"],
                "quota_kind": "percent",
                "percent": 250.0,
                "base": "all",
                "rounding": "floor",
            }
        ],
        "measure": "total",
        "at_cutoff": "flag",
    }
    data, errors = service.from_form(values)
    assert data["rules"][0]["groups"][0]["quota"]["percent"] == 250.0
    assert errors
    lines = [service.form_error(e, "vi") for e in errors]
    assert any(line.startswith("- **Nhóm 1 › ") for line in lines), lines
    assert service.field_error(errors[0], "en").startswith(errors[0].path + ": ")
    values["groups"][0]["percent"] = 20.0
    assert service.from_form(values)[1] == []


def test_robustness_runs_the_form_and_charts_the_candidates_nearest_the_cut() -> None:
    totals = {f"U{i:02d}": 99.0 - i for i in range(30)} | {"T1": 70.0, "T2": 70.0}
    frames = _frames(totals)
    inputs = Inputs.of(**frames)
    res = quota.simulate(scenario(rule(groups=[group(count=31)])), inputs, Scope.year(2024))
    rob = service.robustness(
        res, inputs, noise_kind="criterion", criterion_sd=0.5, rounding_step=0.25, total_sd=9.0, draws=300
    )
    assert rob.noise.total_sd is None and rob.noise.seed == res.scenario.robustness.seed
    assert (
        service.robustness(
            res, inputs, noise_kind="total", criterion_sd=0.5, rounding_step=0.25, total_sd=2.0, draws=300
        ).noise.total_sd
        == 2.0
    )
    (everyone,) = service.robustness_charts(rob, res, "vi")
    assert everyone.shown == everyone.total == rob.frame.height
    assert everyone.frame["probability"].to_list() == sorted(everyone.frame["probability"].to_list(), reverse=True)
    # the list shown: 31 seats for 32 candidates, so the two tied last share the last seat
    on = dict(zip(rob.frame["name"], rob.frame["status"].is_in(("awarded", "tie_admitted")), strict=True))
    assert dict(zip(everyone.frame["label"], everyone.frame["on_list"], strict=True)) == on
    (near,) = service.robustness_charts(rob, res, "vi", limit=5)
    assert (near.shown, near.total) == (5, rob.frame.height)
    flips = rob.frame.filter(pl.col("verdict") == "coin_flip")
    assert 0 < flips.height <= 5
    assert set(flips["name"]) <= set(near.frame["label"])  # the coin flips, nearest the cut, are kept
    assert {"Đơn vị T1", "Đơn vị T2"} <= set(near.frame["label"])  # tied for the last seat: coin flips
