"""The report pack opened and checked: the .docx's headings, sentences, tables and images; the .zip's charts
and workbooks; `parboard report` end to end. Built once per module on the session's demo database."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from PIL import Image

from cli.main import main
from core.i18n import catalog
from exports.charts import PRINT_SCALE, WIDTH
from exports.report import Scope, ScopeError, build
from store.db import connect_read_only, current_file
from store.queries import Published

SCENARIO = "nga-nam-2022"


def query(db: Path, sql: str) -> list[tuple]:
    # The same connection settings as the report's reader: DuckDB refuses a second configuration in-process.
    con = connect_read_only(current_file(db))
    try:
        return con.sql(sql).fetchall()
    finally:
        con.close()


@pytest.fixture(scope="module")
def year_files(demo_db: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    out = tmp_path_factory.mktemp("report") / "bao-cao.docx"
    assert main(["report", "--db", str(demo_db), "--year", "2024", "--out", str(out), "--scenario", SCENARIO]) == 0
    return out, out.with_suffix(".zip")


@pytest.fixture(scope="module")
def period_build(demo_db: Path):
    steps: list[tuple[float, str]] = []
    files = build(Published(demo_db), Scope.parse_period("2021–2025"), progress=lambda s, m: steps.append((s, m)))
    return files, steps


def _headings(document: docx.document.Document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def _text(document: docx.document.Document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_year_docx_has_its_sections(year_files: tuple[Path, Path]) -> None:
    document = docx.Document(str(year_files[0]))
    headings = _headings(document)
    assert headings[0] == "Báo cáo kết quả thi đua cải cách hành chính năm 2024"
    for heading in (
        "Kết quả chính",
        "Xếp hạng Sở, ban, ngành, năm 2024",
        "Xếp hạng UBND cấp xã, năm 2024",
        "Đề xuất khen thưởng",
        "Tình trạng chất lượng dữ liệu",
        "Nguồn số liệu",
    ):
        assert heading in headings
    text = _text(document)
    assert "Đây là dữ liệu mẫu" in text
    assert "DỰ THẢO" in text
    assert "Quy tắc: " in text and "50/KH-UBND" in text  # the award rule is stated with its document


def test_key_figures_match_the_database(year_files: tuple[Path, Path], demo_db: Path) -> None:
    ((count, mean, best),) = query(
        demo_db,
        "SELECT count(*), round(avg(total), 2), max(total) FROM unit_result "
        "WHERE unit_kind = 'department' AND year = 2024 AND total IS NOT NULL",
    )
    ((best_name,),) = query(
        demo_db,
        "SELECT u.name FROM unit_result r JOIN unit u USING (unit_code) "
        "WHERE r.unit_kind = 'department' AND r.year = 2024 ORDER BY r.total DESC LIMIT 1",
    )
    paragraphs = docx.Document(str(year_files[0])).paragraphs
    sentence = next(p.text for p in paragraphs if p.text.startswith("Sở, ban, ngành:"))
    vi = lambda x: f"{x:.2f}".replace(".", ",")  # noqa: E731
    assert f"{count} đơn vị được chấm điểm năm 2024" in sentence
    assert f"điểm bình quân {vi(mean)} điểm" in sentence
    assert f"Cao nhất: {best_name} ({vi(best)} điểm)" in sentence


def test_year_docx_ranking_table(year_files: tuple[Path, Path], demo_db: Path) -> None:
    document = docx.Document(str(year_files[0]))
    table = document.tables[0]
    header = [c.text for c in table.rows[0].cells]
    assert header[:4] == ["Hạng", "Đơn vị", "Tổng điểm", "Xếp loại"]
    assert "Điểm năm 2023" in header
    ranked = query(
        demo_db,
        "SELECT u.name, r.total FROM unit_result r JOIN unit u USING (unit_code) "
        "WHERE r.unit_kind = 'department' AND r.year = 2024 ORDER BY r.total DESC",
    )
    assert len(table.rows) == len(ranked) + 1
    first = [c.text for c in table.rows[1].cells]
    assert first[0] == "1" and first[1] == ranked[0][0] and first[2] == f"{ranked[0][1]:.2f}".replace(".", ",")
    # The header row repeats on each page the table runs over.
    assert table.rows[0]._tr.trPr.xml.count("tblHeader") == 1


def test_docx_images_are_the_print_charts(year_files: tuple[Path, Path]) -> None:
    document = docx.Document(str(year_files[0]))
    shapes = document.inline_shapes
    assert len(shapes) >= 4
    captions = [p.text for p in document.paragraphs if re.match(r"Biểu đồ \d+\. ", p.text)]
    assert len(captions) == len(shapes)
    for shape in shapes:
        blob = document.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        img = Image.open(io.BytesIO(blob))
        assert img.format == "PNG" and img.width == WIDTH * PRINT_SCALE


def test_zip_holds_every_chart_and_table(year_files: tuple[Path, Path]) -> None:
    document = docx.Document(str(year_files[0]))
    with zipfile.ZipFile(year_files[1]) as archive:
        names = archive.namelist()
        assert all(re.fullmatch(r"[a-z0-9._-]+", n) for n in names)
        pngs = sorted(n for n in names if n.endswith(".png"))
        svgs = sorted(n for n in names if n.endswith(".svg"))
        books = sorted(n for n in names if n.endswith(".xlsx"))
        assert len(pngs) == len(svgs) == len(document.inline_shapes)
        assert [p.removesuffix(".png") for p in pngs] == [s.removesuffix(".svg") for s in svgs]
        assert len(books) == len(document.tables)
        assert any(n.endswith(".docx") for n in names)
        assert all("_2024_" in n for n in names)
        svg = archive.read(svgs[0]).decode("utf-8")
        assert "Điểm CCHC bình quân theo năm" in svg and "Nguồn: kết quả chấm điểm CCHC" in svg
        first = openpyxl.load_workbook(io.BytesIO(archive.read(books[0]))).active
        header_row = next(r for r in range(1, 15) if first.cell(r, 1).value == "Hạng")
        docx_header = [c.text for c in document.tables[0].rows[0].cells]
        assert [c.value for c in first[header_row]][: len(docx_header)] == docx_header
        assert first.cell(header_row + 1, 3).number_format == "0.00"
        assert first.cell(1, 1).value == "Xếp hạng Sở, ban, ngành, năm 2024"


def test_period_report_ranks_by_period_mean(period_build) -> None:
    files, _ = period_build
    assert files.docx_name.startswith("so-ket-cchc_2021-2025_") and files.zip_name.endswith(".zip")
    document = docx.Document(io.BytesIO(files.docx))
    assert _headings(document)[0] == "Báo cáo sơ kết phong trào thi đua cải cách hành chính giai đoạn 2021–2025"
    header = [c.text for c in document.tables[0].rows[0].cells]
    assert header[:3] == ["Hạng giai đoạn", "Đơn vị", "Điểm bình quân"]
    assert "Chưa chọn kịch bản khen thưởng" in _text(document)  # no scenario: says how, picks none
    long_tables = [t for t in document.tables if len(t.rows) == 31]
    assert long_tables and "bảng đầy đủ" in _text(document)  # communes cut in Word, whole in Excel


def test_progress_goes_from_start_to_done(period_build) -> None:
    _, steps = period_build
    shares = [s for s, _ in steps]
    assert shares[0] == 0.0 and shares[-1] == 1.0 and shares == sorted(shares)
    assert steps[0][1] == "Đang đọc số liệu…" and steps[-1][1] == "Xong."
    assert any(m.startswith("Đang vẽ biểu đồ") for _, m in steps)


def test_empty_database_gives_a_short_draft(empty_db: Path) -> None:
    files = build(Published(empty_db), Scope.year(2024))
    text = _text(docx.Document(io.BytesIO(files.docx)))
    assert "Chưa có kết quả chấm điểm nào cho năm 2024." in text


def test_scopes() -> None:
    assert Scope.parse_period("2021-2030") == Scope(2021, 2030, "final")
    assert Scope.parse_period("midterm") == Scope(2021, 2025, "midterm")
    with pytest.raises(ScopeError) as err:
        Scope.parse_period("2021-2024")
    assert "2021-2025, 2021-2030" in err.value.message("vi")
    with pytest.raises(ScopeError):
        Scope.year(2035)


def test_cli_refusals(demo_db: Path, missing_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--db", str(demo_db), "--period", "2022-2023"]) == 2
    assert "Không có giai đoạn «2022-2023»" in capsys.readouterr().err
    assert main(["report", "--db", str(missing_db), "--year", "2024"]) == 1
    assert "Chưa có cơ sở dữ liệu" in capsys.readouterr().err
    assert main(["report", "--db", str(demo_db), "--year", "2024", "--scenario", "khong-co"]) == 2
    with pytest.raises(SystemExit):
        main(["report", "--db", str(demo_db)])  # a year or a period is required


def test_catalogs_in_step() -> None:
    for area in ("report.", "exports."):
        vi = {k for k in catalog("vi") if k.startswith(area)}
        en = {k for k in catalog("en") if k.startswith(area)}
        assert vi == en
