"""The demo generator: deterministic bytes, a plausible province, and scores consistent with its own rules."""

from __future__ import annotations

import hashlib
from collections import Counter
from datetime import date
from pathlib import Path

import polars as pl
import pytest
import yaml

import demo
from demo.__main__ import main as demo_main

KIND_OF = {
    "tỉnh": "province",
    "sở": "department",
    "ban": "department",
    "huyện": "district",
    "thị xã": "district",
    "thành phố": "district",
    "xã": "commune",
    "phường": "commune",
    "thị trấn": "commune",
    "đặc khu": "commune",
}
REFORM = date(2025, 7, 1)
OLD_END = date(2025, 6, 30)
SCORE_COLS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Năm",
    "Mã tiêu chí",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Điểm điều tra xã hội học",
]


def _hashes(root: Path, paths: list[Path]) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _csv(path: Path) -> pl.DataFrame:
    return pl.read_csv(
        path,
        infer_schema_length=None,
        try_parse_dates=True,
        schema_overrides={
            "Mã tiêu chí": pl.String,
            "Năm/Giai đoạn": pl.String,
            **dict.fromkeys(SCORE_COLS[4:], pl.Float64),
        },
    )


@pytest.fixture(scope="module")
def locality(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("demo_locality")
    return out, demo.generate(out)


@pytest.fixture(scope="module")
def units(locality: tuple[Path, list[Path]]) -> pl.DataFrame:
    out, _ = locality
    return _csv(out / "units.csv").with_columns(pl.col("Loại đơn vị").replace_strict(KIND_OF).alias("kind"))


@pytest.fixture(scope="module")
def frameworks(locality: tuple[Path, list[Path]]) -> list[dict]:
    out, _ = locality
    return [yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted((out / "rules").glob("framework_*.yaml"))]


@pytest.fixture(scope="module")
def scores(locality: tuple[Path, list[Path]]) -> pl.DataFrame:
    _, paths = locality
    frames = [
        _csv(p).with_columns(pl.lit(p.stem.split("_")[1]).alias("kind")) for p in paths if p.name.startswith("scores_")
    ]
    return pl.concat(frames, how="vertical_relaxed")


def _framework(frameworks: list[dict], kind: str, year: int) -> dict:
    found = [fw for fw in frameworks if fw["unit_kind"] == kind and year in fw["years"]]
    assert len(found) == 1, (kind, year, len(found))
    return found[0]


def _active(units: pl.DataFrame, year: int) -> pl.DataFrame:
    end = date(year, 12, 31)
    return units.filter(
        (pl.col("Hiệu lực từ").is_null() | (pl.col("Hiệu lực từ") <= end))
        & (pl.col("Hiệu lực đến").is_null() | (pl.col("Hiệu lực đến") >= end))
    )


# ------------------------------------------------------------------------------------------ determinism


def test_same_seed_gives_identical_bytes(tmp_path: Path) -> None:
    a = demo.generate(tmp_path / "a", seed=7)
    b = demo.generate(tmp_path / "b", seed=7)
    assert [p.relative_to(tmp_path / "a") for p in a] == [p.relative_to(tmp_path / "b") for p in b]
    assert _hashes(tmp_path / "a", a) == _hashes(tmp_path / "b", b)


def test_different_seed_gives_different_data(tmp_path: Path) -> None:
    a = _hashes(tmp_path / "a", demo.generate(tmp_path / "a", seed=1))
    b = _hashes(tmp_path / "b", demo.generate(tmp_path / "b", seed=2))
    assert a.keys() >= {k for k in b if k.startswith("scores_")}
    for name in ("units.csv", "lineage.csv", "scores_department_2023.csv", "individuals.csv"):
        assert a[name] != b[name], name


def test_national_files_are_deterministic_and_typed(tmp_path: Path) -> None:
    a = demo.generate(tmp_path / "a", scale="national")
    b = demo.generate(tmp_path / "b", scale="national")
    assert _hashes(tmp_path / "a", a) == _hashes(tmp_path / "b", b)
    score_files = [p for p in a if p.name.startswith("scores_")]
    assert score_files and all(p.suffix == ".parquet" for p in score_files)
    first = pl.read_parquet(score_files[0])
    assert first.columns == SCORE_COLS
    assert first.schema["Năm"].is_integer() and first.schema["Điểm thẩm định"] == pl.Float64
    rows = sum(pl.scan_parquet(p).select(pl.len()).collect().item() for p in score_files)
    assert 2_000_000 < rows < 4_000_000


def test_load_order_and_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = demo.generate(tmp_path / "x")
    names = [p.name for p in paths]
    assert names[:2] == ["units.csv", "lineage.csv"]
    first_score = next(i for i, n in enumerate(names) if n.startswith("scores_"))
    assert all(p.parent.name == "rules" for p in paths[2:first_score])
    assert names[-5:] == ["registrations.csv", "task_completion.csv", "individuals.csv", "sanctions.csv", "awards.csv"]
    assert demo_main([str(tmp_path / "cli"), "--seed", "2021"]) == 0
    printed = capsys.readouterr().out
    assert "units.csv" in printed and "awards.csv" in printed
    for p in paths:  # the CLI with the default seed writes the same bytes as the API
        assert (tmp_path / "cli" / p.relative_to(tmp_path / "x")).read_bytes() == p.read_bytes()


# ------------------------------------------------------------------------------------------ locality units


def test_locality_counts(units: pl.DataFrame) -> None:
    assert units["Mã đơn vị"].str.starts_with("DEMO-").all()
    assert units["Mã đơn vị"].is_unique().all()
    province = units.filter(pl.col("kind") == "province")
    assert province.height == 1 and "mô phỏng" in province["Tên đơn vị"][0]

    depts = units.filter(pl.col("kind") == "department")
    assert 18 <= depts.height <= 22
    assert depts["Hiệu lực đến"].is_null().all() and depts["Hiệu lực từ"].is_null().all()
    assert set(depts["Loại đơn vị"]) == {"sở", "ban"}

    districts = units.filter(pl.col("kind") == "district")
    assert districts.height == 8
    assert (districts["Hiệu lực đến"] == OLD_END).all()

    communes = units.filter(pl.col("kind") == "commune")
    old = communes.filter(pl.col("Hiệu lực đến") == OLD_END)
    new = communes.filter(pl.col("Hiệu lực từ") == REFORM)
    assert old.height + new.height == communes.height
    assert 80 <= old.height <= 100
    assert 50 <= new.height <= 70
    assert set(old["Loại đơn vị"]) <= {"xã", "phường", "thị trấn"}
    assert set(new["Loại đơn vị"]) <= {"xã", "phường", "đặc khu"}
    assert old["Mã đơn vị cấp trên"].is_in(districts["Mã đơn vị"].implode()).all()
    # the same commune name in two districts, as in real provinces; new names unique in the province
    assert (
        old.group_by("Tên đơn vị")
        .agg(pl.col("Mã đơn vị cấp trên").n_unique())
        .filter(pl.col("Mã đơn vị cấp trên") > 1)
        .height
        >= 1
    )
    assert new["Tên đơn vị"].is_unique().all()


def test_lineage(locality: tuple[Path, list[Path]], units: pl.DataFrame) -> None:
    out, _ = locality
    lineage = _csv(out / "lineage.csv")
    codes = set(units["Mã đơn vị"])
    assert set(lineage["Mã đơn vị mới"]) <= codes
    assert set(lineage["Mã đơn vị cũ"]) <= codes
    assert set(lineage["Hình thức"]) <= {"sáp nhập", "chia tách", "đổi tên"}
    assert (lineage["Ngày hiệu lực"] == REFORM).all()

    communes = units.filter(pl.col("kind") == "commune")
    old = set(communes.filter(pl.col("Hiệu lực đến").is_not_null())["Mã đơn vị"])
    new = set(communes.filter(pl.col("Hiệu lực từ").is_not_null())["Mã đơn vị"])
    assert set(lineage["Mã đơn vị cũ"]) == old  # every old commune went somewhere
    assert set(lineage["Mã đơn vị mới"]) == new  # every new commune came from somewhere
    districts = set(units.filter(pl.col("kind") == "district")["Mã đơn vị"])
    assert not districts & (set(lineage["Mã đơn vị cũ"]) | set(lineage["Mã đơn vị mới"]))

    preds = Counter(lineage["Mã đơn vị mới"])
    succs = Counter(lineage["Mã đơn vị cũ"])
    assert max(preds.values()) <= 4 and sum(1 for v in preds.values() if v >= 2) >= 15
    assert any(v >= 2 for v in succs.values())  # at least one old commune divided between two
    # the register's convention: split if the old unit went to several, rename if the new one had one source
    expected = [
        "chia tách" if succs[old] > 1 else "đổi tên" if preds[new] == 1 else "sáp nhập"
        for new, old in lineage.select("Mã đơn vị mới", "Mã đơn vị cũ").iter_rows()
    ]
    assert lineage["Hình thức"].to_list() == expected
    assert lineage.filter(pl.col("Hình thức") == "đổi tên").height >= 2
    # a renamed unit keeps its old name as an alias
    renamed = units.filter(pl.col("Tên khác").is_not_null() & (pl.col("kind") == "commune"))
    assert renamed.height >= 2


# ------------------------------------------------------------------------------------------ rules


def test_frameworks_add_up(frameworks: list[dict]) -> None:
    assert {fw["unit_kind"] for fw in frameworks} == {"department", "district", "commune"}
    for fw in frameworks:
        assert fw["rules"] == "framework" and "mô phỏng" in fw["issuer"]["name"]
        assert fw["total_scale"] == 100
        areas = fw["components"]
        assert [a["code"] for a in areas] == [f"LV{i}" for i in range(1, 9)]
        assert [sum(c["max"] for c in a["criteria"]) for a in areas] == [10, 10, 14.5, 11, 16, 7, 16, 15.5]
        assert sum(c["max"] for a in areas for c in a["criteria"]) == 100
        assert 36 <= sum(len(a["criteria"]) for a in areas) <= 44
        assert all(float(c["max"] * 4).is_integer() and c["max"] > 0 for a in areas for c in a["criteria"])
        assert [a.get("method", "appraisal") for a in areas] == ["appraisal"] * 7 + ["survey"]
        codes = [c["code"] for a in areas for c in a["criteria"]]
        assert len(codes) == len(set(codes))
    dept = sorted((fw for fw in frameworks if fw["unit_kind"] == "department"), key=lambda fw: fw["years"][0])
    assert len(dept) >= 2 and dept[1]["years"][0] == 2023
    assert all(fw["rescale"] == "when_no_survey" for fw in dept)
    v1 = {c["code"]: c["max"] for a in dept[0]["components"] for c in a["criteria"]}
    v2 = {c["code"]: c["max"] for a in dept[1]["components"] for c in a["criteria"]}
    assert v1 != v2


def test_tier_sets(locality: tuple[Path, list[Path]]) -> None:
    out, _ = locality
    sets = {}
    for p in sorted((out / "rules").glob("tiers_*.yaml")):
        ts = yaml.safe_load(p.read_text(encoding="utf-8"))
        assert ts["rules"] == "tier_set"
        assert [t["tier"] for t in ts["tiers"]] == ["xuat_sac", "tot", "kha", "trung_binh", "yeu"]
        sets[ts["unit_kind"]] = ts
    assert set(sets) == {"department", "district", "commune"}
    assert sets["department"]["tiers"][0] == {"tier": "xuat_sac", "min": 90}
    assert sets["department"]["tiers"][1] == {"tier": "tot", "min": 80, "below": 90}
    assert sets["commune"]["tiers"][0]["min"] != sets["department"]["tiers"][0]["min"]


# ------------------------------------------------------------------------------------------ scores


def test_scores_within_criterion_maxima(scores: pl.DataFrame, frameworks: list[dict]) -> None:
    assert scores.columns[:7] == SCORE_COLS
    rows = []
    for fw in frameworks:
        for year in fw["years"]:
            for area in fw["components"]:
                for c in area["criteria"]:
                    rows.append(
                        {
                            "kind": fw["unit_kind"],
                            "Năm": year,
                            "Mã tiêu chí": c["code"],
                            "max": c["max"],
                            "method": area.get("method", "appraisal"),
                        }
                    )
    maxima = pl.DataFrame(rows).with_columns(pl.col("Năm").cast(scores.schema["Năm"]))
    joined = scores.join(maxima, on=["kind", "Năm", "Mã tiêu chí"], how="left")
    assert joined["max"].null_count() == 0  # every scored criterion is in the applicable framework
    for col in ("Điểm tự đánh giá", "Điểm thẩm định", "Điểm điều tra xã hội học"):
        values = joined.filter(pl.col(col).is_not_null())
        assert (values[col] >= 0).all() and (values[col] <= values["max"]).all(), col
    appraisal = joined.filter(pl.col("method") == "appraisal")
    survey = joined.filter(pl.col("method") == "survey")
    assert appraisal["Điểm tự đánh giá"].null_count() == 0 and appraisal["Điểm thẩm định"].null_count() == 0
    assert appraisal["Điểm điều tra xã hội học"].null_count() == appraisal.height
    assert survey["Điểm điều tra xã hội học"].null_count() == 0
    assert survey["Điểm thẩm định"].null_count() == survey.height
    # councils score in quarter points and mostly cut, rarely raise
    assert ((appraisal["Điểm thẩm định"] * 4) % 1 == 0).all()
    cut = (appraisal["Điểm thẩm định"] < appraisal["Điểm tự đánh giá"]).mean()
    raised = (appraisal["Điểm thẩm định"] > appraisal["Điểm tự đánh giá"]).mean()
    assert cut > 0.1 and raised < 0.05


def test_every_active_unit_has_every_criterion(
    scores: pl.DataFrame, units: pl.DataFrame, frameworks: list[dict]
) -> None:
    got = {(r[0], r[1]): set() for r in scores.select("Mã đơn vị", "Năm").unique().iter_rows()}
    for code, year, crit in scores.select("Mã đơn vị", "Năm", "Mã tiêu chí").iter_rows():
        got[(code, year)].add(crit)
    expected_pairs = set()
    no_survey = []
    for year in range(2021, 2026):
        for kind in ("department", "district", "commune"):
            active = _active(units, year).filter(pl.col("kind") == kind)["Mã đơn vị"].to_list()
            if not active:
                continue
            fw = _framework(frameworks, kind, year)
            full = {c["code"] for a in fw["components"] for c in a["criteria"]}
            appraisal = {
                c["code"]
                for a in fw["components"]
                if a.get("method", "appraisal") == "appraisal"
                for c in a["criteria"]
            }
            for code in active:
                expected_pairs.add((code, year))
                scored = got.get((code, year))
                assert scored in (full, appraisal), (code, year)
                if scored == appraisal:
                    # only a framework that rescales when no survey was run may lack survey scores
                    assert fw["rescale"] == "when_no_survey", (code, year)
                    no_survey.append((kind, year))
    assert set(got) == expected_pairs  # and no unit is scored outside its validity
    assert set(no_survey) == {("department", 2021)}


def test_scores_look_like_a_province(scores: pl.DataFrame, locality: tuple[Path, list[Path]]) -> None:
    out, _ = locality
    totals = scores.group_by("Mã đơn vị", "Năm", "kind").agg(
        (pl.col("Điểm thẩm định").sum() + pl.col("Điểm điều tra xã hội học").sum()).alias("total")
    )
    by_year = totals.filter(pl.col("kind") == "commune").group_by("Năm").agg(pl.col("total").mean()).sort("Năm")
    means = by_year["total"].to_list()
    assert 72 < means[0] < 88 and means[-1] > means[0]  # an upward trend
    assert totals.filter(pl.col("Năm") > 2021)["total"].min() < 70  # a few laggards
    # a new commune's 2025 result follows its predecessors' 2024 level
    lineage = _csv(out / "lineage.csv")
    old = totals.filter(pl.col("Năm") == 2024).select(pl.col("Mã đơn vị").alias("Mã đơn vị cũ"), "total")
    new = totals.filter(pl.col("Năm") == 2025).select(
        pl.col("Mã đơn vị").alias("Mã đơn vị mới"), pl.col("total").alias("new_total")
    )
    pairs = (
        lineage.join(old, on="Mã đơn vị cũ")
        .group_by("Mã đơn vị mới")
        .agg(pl.col("total").mean())
        .join(new, on="Mã đơn vị mới")
    )
    assert pairs.select(pl.corr("total", "new_total")).item() > 0.5


# ------------------------------------------------------------------------------------------ award inputs


def test_award_inputs(locality: tuple[Path, list[Path]], units: pl.DataFrame) -> None:
    out, _ = locality
    codes = set(units["Mã đơn vị"])
    regs = _csv(out / "registrations.csv")
    tasks = _csv(out / "task_completion.csv")
    people = _csv(out / "individuals.csv")
    cases = _csv(out / "sanctions.csv")
    given = _csv(out / "awards.csv")
    for frame in (regs, tasks, people, cases, given):
        assert set(frame["Mã đơn vị"]) <= codes

    assert (regs["Ngày đăng ký"].dt.year() == regs["Năm"]).all()
    late = regs.filter(pl.col("Ngày đăng ký") > pl.date(pl.col("Năm"), 7, 31))
    assert 0 < late.height < regs.height * 0.15
    assert regs["Ngày đăng ký"].dt.month().min() >= 2

    pct = tasks["Tỷ lệ hoàn thành (%)"]
    assert pct.max() == 100 and pct.min() >= 80 and (pct == 100).mean() > 0.7
    assert (tasks["Số nhiệm vụ hoàn thành"] <= tasks["Số nhiệm vụ được giao"]).all()

    persons = people["Mã cá nhân"].n_unique()
    assert 200 <= persons <= 600
    assert set(people["Danh hiệu"].drop_nulls()) == {"Lao động tiên tiến", "Chiến sĩ thi đua cơ sở"}
    assert 0 < people["Sáng kiến"].drop_nulls().len() < people.height * 0.1
    assert people.select("Mã cá nhân", "Năm").is_unique().all()
    assert all(len(n.split()) >= 3 for n in people["Họ và tên"])

    assert set(cases["Loại"]) <= {"kỷ luật", "điều tra", "khiếu nại"}
    assert set(cases["Hình thức kỷ luật"].drop_nulls()) <= {"khiển trách", "cảnh cáo", "hạ bậc lương", "cách chức"}
    assert 3 <= cases.height <= 12
    assert cases.filter(pl.col("Hình thức kỷ luật") == "cảnh cáo").height >= 1
    assert set(cases["Mã cá nhân"].drop_nulls()) <= set(people["Mã cá nhân"])

    # Ngã Năm: each year 1 department + 2 communes, and 3 individuals
    assert sorted(set(given["Năm/Giai đoạn"])) == ["2021", "2022", "2023", "2024"]
    kind = dict(zip(units["Mã đơn vị"], units["kind"], strict=True))
    for year in ("2021", "2022", "2023", "2024"):
        rows = given.filter(pl.col("Năm/Giai đoạn") == year)
        collective = rows.filter(pl.col("Tập thể/cá nhân") == "tập thể")
        assert sorted(kind[c] for c in collective["Mã đơn vị"]) == ["commune", "commune", "department"]
        assert rows.filter(pl.col("Tập thể/cá nhân") == "cá nhân")["Mã cá nhân"].drop_nulls().len() == 3
        assert rows["Số quyết định"].n_unique() == 1
    assert (given["Hình thức khen thưởng"] == "Giấy khen").all()


def test_awards_respect_eligibility(locality: tuple[Path, list[Path]]) -> None:
    out, _ = locality
    regs = _csv(out / "registrations.csv")
    tasks = _csv(out / "task_completion.csv")
    cases = _csv(out / "sanctions.csv")
    given = (
        _csv(out / "awards.csv")
        .filter(pl.col("Tập thể/cá nhân") == "tập thể")
        .with_columns(pl.col("Năm/Giai đoạn").cast(pl.Int64).alias("Năm"))
    )
    keys = ["Mã đơn vị", "Năm"]
    checked = given.join(regs.select(*keys, "Ngày đăng ký"), on=keys, how="left").join(
        tasks.select(*keys, "Tỷ lệ hoàn thành (%)"), on=keys, how="left"
    )
    assert (checked["Ngày đăng ký"] <= pl.Series([date(y, 7, 31) for y in checked["Năm"]])).all()
    assert (checked["Tỷ lệ hoàn thành (%)"] == 100).all()
    barring = cases.filter(
        pl.col("Mã cá nhân").is_null() | pl.col("Hình thức kỷ luật").is_in(["cảnh cáo", "hạ bậc lương", "cách chức"])
    )
    for code, start, end in barring.select("Mã đơn vị", "Từ ngày", "Đến ngày").iter_rows():
        for code_given, year in given.select("Mã đơn vị", "Năm").iter_rows():
            if code_given == code:
                assert not (start <= date(year, 12, 31) and (end is None or end >= date(year, 1, 1)))


# ------------------------------------------------------------------------------------------ national


def test_national_units() -> None:
    layout = demo.build_layout("national")
    units = layout.units
    assert units["code"].str.starts_with("DEMO-").all() and units["code"].is_unique().all()
    after = units.filter(pl.col("valid_from").is_null() | (pl.col("valid_from") <= REFORM))
    after = after.filter(pl.col("valid_to").is_null() | (pl.col("valid_to") >= REFORM))
    before = units.filter(
        pl.col("valid_from").is_null() & (pl.col("valid_to").is_null() | (pl.col("valid_to") >= date(2024, 12, 31)))
    )
    assert after.filter(pl.col("kind") == "province").height == 34
    assert before.filter(pl.col("kind") == "province").height == 63
    communes = after.filter(pl.col("kind") == "commune")
    assert communes.height == 3321
    assert dict(communes.group_by("kind_vi").len().iter_rows()) == {"xã": 2621, "phường": 687, "đặc khu": 13}
    assert after.filter(pl.col("kind") == "district").height == 0
    old = before.filter(pl.col("kind") == "commune").height
    assert 2.5 < old / 3321 < 3.5
    assert 500 < before.filter(pl.col("kind") == "district").height < 1000
    per_province = after.filter(pl.col("kind") == "department").group_by("parent").len()["len"]
    assert per_province.len() == 34 and per_province.min() >= 18 and per_province.max() <= 25
    codes = set(units["code"])
    assert set(layout.lineage["unit_code"]) <= codes and set(layout.lineage["predecessor_code"]) <= codes
    assert set(layout.lineage.filter(pl.col("unit_code").str.starts_with("DEMO-N"))["unit_code"]) == set(
        communes["code"]
    )
    assert layout.years == tuple(range(2021, 2031))
