"""What leaves the engine: saved scenarios beside the database, the award annex (.xlsx, CSV), the
`parboard simulate` command, and the presets on the real demo database."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import openpyxl
import polars as pl
import pytest
from quota_helpers import group, result, rule, run, scenario, unit

from analysis import quota
from analysis.quota import presets
from cli.main import main
from exports import award_annex
from store.council import DocumentSettings, settings_path, write_settings
from store.db import CONNECT_CONFIG, current_file
from store.queries import Published
from store.scenarios import ScenarioStore, ScenarioStoreError, folder


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_saved_scenarios_live_beside_the_database(sample_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "data" / "parboard.duckdb"
    db.parent.mkdir()
    store = ScenarioStore(db)
    data = presets.raw("an-bien-2020")
    t0 = datetime(2025, 3, 1, 9, 30)
    saved = store.save("Ngã Năm — bản thử", data, "nguyen.van.a", now=t0)
    assert saved.created == saved.updated == t0
    assert (folder(db) / "nga-nam-ban-thu.json").is_file()
    assert not [p for p in folder(db).iterdir() if p.name.startswith(".tmp-")]
    # A new store (a restart) reads it back; the scenario still parses.
    again = ScenarioStore(db).get("Ngã Năm — bản thử")
    assert (again.author, again.created) == ("nguyen.van.a", t0)
    assert quota.parse(again.scenario).id == "an-bien-2020"
    # Same spelling without diacritics is another name, refused rather than overwritten.
    with pytest.raises(ScenarioStoreError) as err:
        store.save("Nga Nam - ban thu", data, "b")
    assert err.value.code == "exists"
    with pytest.raises(ScenarioStoreError):
        store.save("Ngã Năm — bản thử", data, "b")  # exists, no overwrite asked
    later = store.save("Ngã Năm — bản thử", data, "tran.thi.b", overwrite=True, now=datetime(2025, 3, 2))
    assert (later.created, later.updated, later.author) == (t0, datetime(2025, 3, 2), "tran.thi.b")
    store.duplicate("Ngã Năm — bản thử", "Bản sao", "c")
    assert [s.name for s in store.list()] == ["Bản sao", "Ngã Năm — bản thử"]
    store.delete("Bản sao")
    assert [s.name for s in store.list()] == ["Ngã Năm — bản thử"]
    for bad in ("", "   ", "///", "x" * 81, "a\x00b"):
        with pytest.raises(ScenarioStoreError):
            store.save(bad, data, "a")
    # A damaged file is skipped in the list, not fatal.
    (folder(db) / "hong.json").write_text("{not json", encoding="utf-8")
    assert [s.name for s in store.list()] == ["Ngã Năm — bản thử"]
    # The published database is never touched.
    before = _sha(current_file(sample_db))
    ScenarioStore(sample_db).save("x", data, "a")
    assert _sha(current_file(sample_db)) == before
    assert folder(sample_db).parent == sample_db.parent and folder(sample_db).name == "parboard.scenarios"
    assert json.loads((folder(sample_db) / "x.json").read_text(encoding="utf-8"))["scenario"]["id"] == "an-bien-2020"


def _annex_result() -> quota.SimulationResult:
    units = [
        unit("A", name='=HYPERLINK("http://x")'),
        unit("B", name="Xã Bình An"),
        unit("C", name="Xã Cát"),
        unit("D", name="Xã Dương"),
    ]
    results = [result("A", 2024, 95.5), result("B", 2024, 90.25), result("C", 2024, 88), result("D", 2024, 88)]
    sc = scenario(rule(groups=[group(count=3)], citation={"section": "III.1", "quote": "Tặng 03 Giấy khen"}))
    return run(sc, units=units, results=results)


def test_award_annex_xlsx(tmp_path: Path) -> None:
    res = _annex_result()
    path = tmp_path / "annex.xlsx"
    path.write_bytes(award_annex.to_xlsx(res, "vi", version=7, now=datetime(2025, 3, 1, 9, 30)))
    ws = openpyxl.load_workbook(path).active
    cells = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    header = cells.index(["STT", "Tên đơn vị / Họ và tên", "Đơn vị", "Thành tích / điểm", "Hình thức khen thưởng"])
    assert [row[0] for row in cells[5:7]] == ["Phụ lục", "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"]
    assert cells[header + 1][0] == "Giấy khen — g (tập thể)"
    assert cells[header + 2] == [1, '\'=HYPERLINK("http://x")', "g", 95.5, "Giấy khen"]
    assert cells[header + 3] == [2, "Xã Bình An", "g", 90.25, "Giấy khen"]
    # C and D tie at 88 for the last seat: listed apart, for the council.
    assert cells[header + 4][0] == "Giấy khen — g (tập thể) — Chờ Hội đồng quyết định (bằng điểm ở ngưỡng)"
    assert [cells[header + 5][1], cells[header + 6][1]] == ["Xã Cát", "Xã Dương"]
    text = [row[0] for row in cells if isinstance(row[0], str)]
    assert "Quy tắc đã áp dụng" in text
    assert "Quy tắc: Quy tắc r" in text
    assert "Căn cứ: 1/KH ngày 02/01/2024 của UBND — Kế hoạch thử, mục III.1" in text
    assert any(t.startswith("• 2 bằng điểm ở ngưỡng tranh 1 suất còn lại") for t in text)
    assert ws.cell(row=header + 3, column=4).number_format == "0.00"


SETTINGS = DocumentSettings(
    parent_issuer="UBND tỉnh Lạc Hồng",
    issuer="Hội đồng Thi đua - Khen thưởng",
    symbol="HĐTĐKT",
    place="Lạc Hồng",
    signer_title="Chủ tịch Hội đồng",
    signer_name="Nguyễn Văn An",
    recipients="Sở Nội vụ",
)
LIST_HEADER = ("STT", "Tên đơn vị / Họ và tên", "Đơn vị", "Thành tích / điểm", "Hình thức khen thưởng")


def _merged(ws: Any, cell: str) -> str | None:
    """The merged range a cell heads, None when it is not merged."""
    return next((str(r) for r in ws.merged_cells.ranges if r.start_cell.coordinate == cell), None)


def _annex(demo_db: Path, settings: DocumentSettings | None) -> Any:
    scope = quota.Scope.parse("2023")
    sim = quota.simulate(presets.load("nga-nam-2022"), quota.load_inputs(Published(demo_db), scope), scope)
    data = award_annex.to_xlsx(sim, "vi", version=1, now=datetime(2025, 3, 1, 9, 30), settings=settings)
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_the_award_annex_is_an_administrative_document_from_the_settings(demo_db: Path) -> None:
    ws = _annex(demo_db, SETTINGS)
    # The issuer (A:B) beside the national motto (C:E), then the place and the date to fill in at signing.
    assert [ws["A1"].value, ws["A2"].value, ws["A3"].value] == [
        "UBND TỈNH LẠC HỒNG",
        "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG",
        "―――――",
    ]
    assert ws["A2"].font.b and not ws["A1"].font.b and ws["A1"].font.name == "Times New Roman"
    assert [ws["C1"].value, ws["C2"].value, ws["C3"].value] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "―――――――――――",
    ]
    assert ws["C4"].value == "Lạc Hồng, ngày …… tháng …… năm ……" and ws["C4"].font.i
    assert [_merged(ws, c) for c in ("A1", "A2", "C1", "C2", "C4")] == ["A1:B1", "A2:B2", "C1:E1", "C2:E2", "C4:E4"]
    # "Phụ lục", the list's title and the decision it goes with, its number and date left to fill in.
    assert [ws["A6"].value, ws["A7"].value, ws["A8"].value] == [
        "Phụ lục",
        "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG",
        "(Kèm theo Quyết định số ……/QĐ-HĐTĐKT ngày …… tháng …… năm …… của Hội đồng Thi đua - Khen thưởng)",
    ]
    assert ws["A6"].font.b and ws["A8"].font.i and _merged(ws, "A6") == "A6:E6"
    # The table of the real simulation, then the signer's block on the right half under everything else.
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    header = rows.index(LIST_HEADER) + 1  # a 1-based row number, as Excel counts
    numbered = [i + 1 for i, r in enumerate(rows) if isinstance(r[0], int)]
    assert [rows[i - 1][1] for i in numbered] == [
        "Thanh tra tỉnh",
        "Xã Phú Hòa",
        "Phường Thới Xuân",
        "Nguyễn Thu Oanh",
        "Trần Minh Hùng",
        "Nguyễn Thu Linh",
    ]
    signer = next(i + 1 for i, r in enumerate(rows) if r[2] == "CHỦ TỊCH HỘI ĐỒNG")
    assert signer > max(numbered) and all(r[0] is None for r in rows[signer - 1 :])
    assert ws.cell(signer + 1, 3).value == "(Ký, ghi rõ họ tên)" and ws.cell(signer + 1, 3).font.i
    assert [ws.cell(signer + k, 3).value for k in range(2, 6)] == [None] * 4  # room to sign and seal
    assert ws.cell(signer + 6, 3).value == "Nguyễn Văn An" and ws.cell(signer + 6, 3).font.b
    assert _merged(ws, f"C{signer}") == f"C{signer}:E{signer}"
    assert _merged(ws, f"C{signer + 6}") == f"C{signer + 6}:E{signer + 6}"
    # Printed on A4 landscape, as wide as the page, the table's header on every page, numbered at the foot.
    setup = ws.page_setup
    assert (setup.paperSize, setup.orientation) == (9, "landscape")  # 9: A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToHeight == 0 and (setup.fitToWidth or 1) == 1
    assert ws.print_title_rows == f"${header}:${header}"
    assert "&P" in (ws.oddFooter.center.text or "")
    assert round(ws.page_margins.left * 2.54, 2) == 3.0 and round(ws.page_margins.right * 2.54, 2) == 2.0


def test_an_annex_without_settings_leaves_dotted_lines_to_fill_in(demo_db: Path) -> None:
    ws = _annex(demo_db, None)
    texts = [str(c.value) for row in ws.iter_rows() for c in row if c.value is not None]
    assert not [text for text in texts if "None" in text]
    assert [ws["A1"].value, ws["A2"].value, ws["C3"].value] == ["……………", "―――――", "―――――――――――"]
    assert ws["C4"].value == "……………, ngày …… tháng …… năm ……"
    assert ws["A8"].value == "(Kèm theo Quyết định số ……/QĐ-…… ngày …… tháng …… năm …… của ……………)"
    rows = [tuple(r) for r in ws.iter_rows(values_only=True)]
    signer = next(i + 1 for i, r in enumerate(rows) if r[2] == "(Ký, ghi rõ họ tên)") - 1
    assert ws.cell(signer, 3).value == "……………" and ws.cell(signer + 6, 3).value == "……………"


def test_the_simulate_command_signs_the_annex_with_the_saved_settings(
    demo_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARBOARD_LANG", "vi")
    out = tmp_path / "de-nghi.xlsx"
    write_settings(demo_db, SETTINGS)
    try:
        assert (
            main(["simulate", "--preset", "nga-nam-2022", "--year", "2023", "--db", str(demo_db), "--out", str(out)])
            == 0
        )
    finally:
        settings_path(demo_db).unlink()
    ws = openpyxl.load_workbook(out).active
    assert [ws["A1"].value, ws["A2"].value] == ["UBND TỈNH LẠC HỒNG", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"]
    assert "Nguyễn Văn An" in [c.value for c in ws["C"]]


def test_award_annex_csv() -> None:
    data = award_annex.to_csv(_annex_result(), "en")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["No.", "Unit / Full name", "Unit", "Achievement / score", "Award", "Outcome", "Rule", "Basis"]
    assert rows[1][:6] == ["1", '\'=HYPERLINK("http://x")', "g", "95.5", "Giấy khen", "Awarded"]
    assert rows[3][5] == "Tied at the cut-off — for the council"
    assert rows[1][7] == "Basis: 1/KH of 2024-01-02, UBND — Kế hoạch thử, section III.1"


def test_simulate_command(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARBOARD_LANG", "vi")
    out = tmp_path / "de-nghi.xlsx"
    assert (
        main(["simulate", "--preset", "nga-nam-2022", "--year", "2023", "--db", str(demo_db), "--out", str(out)]) == 0
    )
    printed = capsys.readouterr().out
    assert "MÔ PHỎNG CHỈ TIÊU KHEN THƯỞNG — Ngã Năm 2022 — Kế hoạch 50/KH-UBND — năm 2023" in printed
    assert "Căn cứ: 50/KH-UBND ngày 23/05/2022" in printed
    ws = openpyxl.load_workbook(out).active
    assert ws["A7"].value == "DANH SÁCH ĐỀ NGHỊ KHEN THƯỞNG"
    assert (
        main(
            [
                "simulate",
                "--preset",
                "nga-nam-2022",
                "--period",
                "2021-2025",
                "--db",
                str(demo_db),
                "--out",
                str(tmp_path / "a.csv"),
            ]
        )
        == 0
    )
    assert (tmp_path / "a.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    capsys.readouterr()
    assert main(["simulate", "--scenario", "không có", "--year", "2023", "--db", str(demo_db)]) == 1
    assert "Không có kịch bản đã lưu “không có”." in capsys.readouterr().out
    assert main(["simulate", "--preset", "tt02-2024", "--year", "2024", "--db", str(tmp_path / "none.duckdb")]) == 1
    for bad in (
        ["--preset", "khong-co", "--year", "2023"],
        ["--preset", "tt02-2024", "--period", "2025-2021"],
        ["--preset", "tt02-2024"],
    ):
        with pytest.raises(SystemExit) as exc:
            main(["simulate", *bad, "--db", str(demo_db)])
        assert exc.value.code == 2


def test_saved_scenario_from_the_command_line(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PARBOARD_LANG", "en")
    data = presets.raw("tt02-2024")
    data["rules"][0]["groups"][0]["quota"]["percent"] = 50
    store = ScenarioStore(demo_db)
    store.save("Nửa số đơn vị", data, "tester", overwrite=True)
    try:
        assert main(["simulate", "--scenario", "Nửa số đơn vị", "--year", "2024", "--db", str(demo_db)]) == 0
        assert "50% of those holding" in capsys.readouterr().out
    finally:
        store.delete("Nửa số đơn vị")


def test_demo_awards_are_the_nga_nam_rule_with_a_registration_deadline(demo_db: Path) -> None:
    """The demo generated its certificates by Ngã Năm's quota among units registered by 31/07: the engine,
    given the same rule, finds the same collectives in every award year."""
    published = Published(demo_db)
    data = presets.raw("nga-nam-2022")
    data["rules"] = [r for r in data["rules"] if r["id"] == "yearly-collective"]
    data["rules"][0]["eligibility"]["registered_by"] = "07-31"
    data["rules"][0]["eligibility"]["no_case"] = ["discipline", "investigation", "complaint"]
    sc = quota.parse(data)
    con = duckdb.connect(str(current_file(demo_db)), read_only=True, config=CONNECT_CONFIG)
    try:
        given = con.sql("SELECT scope, unit_code FROM award WHERE recipient_kind = 'collective'").pl()
    finally:
        con.close()
    years = sorted({int(y) for y in given["scope"]})
    assert years
    for year in years:
        scope = quota.Scope.year(year)
        res = quota.simulate(sc, quota.load_inputs(published, scope), scope)
        expected = set(given.filter(pl.col("scope") == str(year))["unit_code"])
        assert set(res.awards()["id"]) == expected, year


@pytest.mark.parametrize("name", presets.names())
def test_every_preset_runs_on_the_demo(demo_db: Path, name: str) -> None:
    published = Published(demo_db)
    for text in ("2024", "2021-2025"):
        scope = quota.Scope.parse(text)
        res = quota.simulate(presets.load(name), quota.load_inputs(published, scope), scope)
        for g in res.group_results():
            assert g.awarded.height <= g.quota.seats or g.rule.at_cutoff == "admit_all"
        assert res.rules or res.notices[0].code == "no_rule_for_scope"
