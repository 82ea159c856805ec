"""The council's session: the voting thresholds' arithmetic, the ballot and the tally sheet (.docx, re-opened with
python-docx) for a small scenario on the demo, recording the vote beside the database, and the report's section.

The demo's figures, by hand from its input file scores_department_2021.csv (appraised points of a maximum of
84,5, rescaled to 100): Sở Giao thông vận tải 75,75 → 89,64; Thanh tra tỉnh 74,25 → 87,87; Sở Tài chính,
Sở Du lịch and Ban Dân tộc 73,00 → 86,39 each; then Sở Lao động - Thương binh và Xã hội 71,25 → 84,32. So
"3 departments, a tie left to the council" awards the first two and puts the three at 86,39 to the vote
for 1 seat.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Any

import docx
import pytest
from quota_helpers import group, rule

from access import audit
from access.policy import Denied, Principal
from analysis import quota
from analysis.quota import council
from exports import council_docs
from exports.report import Scope, build
from exports.report import council as report_council
from services import council as council_service
from store.council import CouncilStore, DocumentSettings, folder, read_settings, settings_path
from store.queries import Published

ADMIN = Principal("lan", "Trần Thị Lan", "admin", "off")
VIEWER = Principal("minh", "Lê Minh", "viewer", "off")
SETTINGS = DocumentSettings(
    parent_issuer="UBND tỉnh Lạc Hồng",
    issuer="Hội đồng Thi đua - Khen thưởng",
    symbol="HĐTĐKT",
    place="Lạc Hồng",
    signer_title="Chủ tịch Hội đồng",
    signer_name="Nguyễn Văn An",
    recipients="Các thành viên Hội đồng;\nSở Nội vụ;",
)
TIED = ["Sở Tài chính", "Sở Du lịch", "Ban Dân tộc"]
KEY = "so-ban/departments/"


def _data() -> dict[str, Any]:
    dept = group("departments", ["department"], count=3)
    dept["name"] = {"vi": "Sở, ban, ngành", "en": "Departments"}
    return {
        "id": "hoi-dong-thu",
        "name": {"vi": "Thử hội đồng", "en": "Council trial"},
        "plan": {"title": "Kế hoạch thử", "number": "7/KH-UBND", "issuer": "UBND tỉnh Lạc Hồng", "date": "2021-02-01"},
        "rules": [rule("so-ban", [dept], name={"vi": "Giấy khen sở, ban", "en": "Departments' certificate"})],
    }


@pytest.fixture(scope="module")
def result(demo_db: Path) -> quota.SimulationResult:
    scope = quota.Scope(2021, 2021)
    return quota.simulate(quota.parse(_data()), quota.load_inputs(Published(demo_db), scope), scope)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A place beside which decisions and settings are written (the store never opens the database)."""
    return tmp_path / "parboard.duckdb"


def _rows(document: Any) -> list[list[str]]:
    return [[c.text for c in row.cells] for table in document.tables for row in table.rows]


def _text(document: Any) -> str:
    return "\n".join([p.text for p in document.paragraphs] + [c for row in _rows(document) for c in row])


def _open(data: bytes, tmp_path: Path, name: str) -> Any:
    path = tmp_path / name
    path.write_bytes(data)
    return docx.Document(str(path))


# ---- thresholds ---------------------------------------------------------------------------------------


def test_thresholds_count_whole_votes_of_the_right_base() -> None:
    t = council.thresholds()
    # more than half of 9 members is 5, of 10 members 6 (5 is half, not more)
    assert t["majority"].needed(9, 7) == 5 and t["majority"].needed(10, 10) == 6
    # at least two thirds: 6 of 9, 7 of 10 (6,67 rounds up)
    assert t["two_thirds"].needed(9, 9) == 6 and t["two_thirds"].needed(10, 10) == 7
    # 70 % of those present: 8 present → 5,6 → 6, whatever the membership
    assert t["seventy_percent"].needed(15, 8) == 6
    # 90 % of members: 9 of 10, 9 of 9 (8,1 → 9)
    assert t["ninety_percent"].needed(10, 10) == 9 and t["ninety_percent"].needed(9, 9) == 9
    assert council.quorum(9) == 6 and council.quorum(10) == 7
    assert council.default_threshold() == "majority"
    # every threshold says where it was read, and says so when it is not checked against the text in force
    assert all(x.document for x in t.values()) and not any(x.verified for x in t.values())


def test_the_tally_gives_seats_most_votes_first_and_flags_equal_votes_over_the_last_seat() -> None:
    rule_ = council.thresholds()["majority"]
    one_seat = council.count({"a": (7, 2), "b": (6, 3), "c": (4, 5)}, 1, rule_, 9, 9)
    assert [(c.key, c.passes, c.seat, c.revote) for c in one_seat] == [
        ("a", True, True, False),
        ("b", True, False, False),  # passes the threshold, but the one seat went to more votes
        ("c", False, False, False),
    ]
    assert one_seat[0].share == Fraction(7, 9)
    # two seats, 6 and 6 behind a 7: both pass, the second seat is undecided between them
    equal = council.count({"a": (7, 2), "b": (6, 3), "c": (6, 3)}, 2, rule_, 9, 9)
    assert [(c.seat, c.revote) for c in equal] == [(True, False), (False, True), (False, True)]
    # fewer pass than seats: every one that passes has a seat, the rest none
    few = council.count({"a": (5, 4), "b": (4, 5)}, 2, rule_, 9, 9)
    assert [c.seat for c in few] == [True, False]
    # 70 % of those present: 6 of 8 present passes (75 %), 5 does not
    present = council.count({"a": (6, 2), "b": (5, 3)}, 2, council.thresholds()["seventy_percent"], 11, 8)
    assert [c.seat for c in present] == [True, False] and present[0].share == Fraction(6, 8)


# ---- the ballot ---------------------------------------------------------------------------------------


def test_the_ties_ballot_holds_the_three_at_the_cut_off_for_one_seat(result: quota.SimulationResult) -> None:
    (ties,) = council.ballot(result, "ties")
    assert ties.seats == 1
    assert sorted(ties.candidates["name"].to_list()) == sorted(TIED)
    assert ties.candidates["measure"].round(2).to_list() == [86.39, 86.39, 86.39]
    (whole,) = council.ballot(result, "list")
    assert whole.seats == 3
    assert whole.candidates["name"].to_list()[:2] == ["Sở Giao thông vận tải", "Thanh tra tỉnh"]
    assert sorted(whole.candidates["name"].to_list()[2:]) == sorted(TIED)


def test_the_ballot_docx_is_an_administrative_document(result: quota.SimulationResult, tmp_path: Path) -> None:
    document = _open(council_docs.ballot(result, "ties", SETTINGS, "vi"), tmp_path, "phieu.docx")
    text = _text(document)
    # the decree's heading: parent body and issuer, the national motto, the place
    header = _rows(document)[0]
    assert header[0].splitlines() == ["UBND TỈNH LẠC HỒNG", "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG", "―――――"]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc" in header[1]
    assert "Lạc Hồng, ngày …… tháng …… năm ……" in header[1]
    assert "PHIẾU BẦU" in text and "Xét các trường hợp bằng điểm tại ngưỡng khen thưởng — năm 2021" in text
    assert "Căn cứ: Thử hội đồng" in text and "Chọn tối đa 1 trong số 3 trường hợp." in text
    grid = _rows(document)[1:]
    assert grid[0] == ["STT", "Tập thể", "Điểm", "Thứ hạng", "Đồng ý", "Không đồng ý"]
    assert sorted(row[1] for row in grid[1:]) == sorted(TIED)
    # equal points share the first position of their tie: third
    assert all(row[2:] == ["86,39", "3", "☐", "☐"] for row in grid[1:])
    # a page number field in the header, hidden on the first page
    section = document.sections[0]
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert (section.page_width.cm, section.left_margin.cm, section.right_margin.cm) == pytest.approx(
        (21, 3, 2), abs=0.01
    )


def test_empty_settings_print_dots_to_fill_in(result: quota.SimulationResult, tmp_path: Path) -> None:
    document = _open(council_docs.tally(result, "ties", DocumentSettings(), "vi"), tmp_path, "trong.docx")
    text = _text(document)
    assert "……………" in _rows(document)[0][0]  # no issuer set
    assert "Số: ……/BB-……" in text and "Phiên họp Hội đồng ngày …… tháng …… năm ……" in text
    # no vote recorded: the count cells are blank for the council's secretary to fill in
    tied = [row for row in _rows(document) if row[1] in TIED]
    assert len(tied) == 3 and all(row[3:] == ["", "", "", "", ""] for row in tied)


# ---- recording the vote and the tally -----------------------------------------------------------------


def _session(**votes: tuple[int, int, bool]) -> council_service.Session:
    return council_service.Session(
        ballot="ties",
        session_date=date(2022, 1, 14),
        members=9,
        present=8,
        ballots_issued=8,
        ballots_returned=8,
        ballots_invalid=1,
        threshold="majority",
        votes=votes,
    )


def _ids(result: quota.SimulationResult) -> dict[str, str]:
    (ties,) = council.ballot(result, "ties")
    return dict(zip(ties.candidates["name"].to_list(), ties.candidates["key"].to_list(), strict=True))


def test_recording_keeps_the_rule_the_votes_and_the_final_list_together(
    result: quota.SimulationResult, db: Path, tmp_path: Path
) -> None:
    keys = _ids(result)
    votes = {keys["Sở Tài chính"]: (6, 1, True), keys["Sở Du lịch"]: (5, 2, False), keys["Ban Dân tộc"]: (2, 5, False)}
    made = council_service.record(db, ADMIN, result, "Thử hội đồng", _data(), _session(**votes))
    assert made.final_names == (
        "Sở Giao thông vận tải — Giấy khen sở, ban",
        "Thanh tra tỉnh — Giấy khen sở, ban",
        "Sở Tài chính — Giấy khen sở, ban",
    )
    # one file beside the database, outside the published versions, holding the scenario as simulated
    files = list(folder(db).glob("*.json"))
    assert [f.name for f in files] == ["2021--thu-hoi-dong.json"]
    stored = json.loads(files[0].read_text(encoding="utf-8"))
    assert stored["scenario"] == _data() and stored["recorded_by"] == "Trần Thị Lan"
    again = CouncilStore(db).get(2021, 2021, "Thử hội đồng")
    assert again == made
    assert audit.read(db)[-1]["action"] == "record_council" and audit.read(db)[-1]["outcome"] == "done"

    # the tally: more than half of 9 members is 5; one seat, Sở Tài chính has the most votes
    counted = {v.name: c for v, c in council_service.counted(made).values()}
    assert counted["Sở Tài chính"].seat and counted["Sở Tài chính"].share == Fraction(6, 9)
    assert counted["Sở Du lịch"].passes and not counted["Sở Du lịch"].seat
    assert not counted["Ban Dân tộc"].passes

    document = _open(council_docs.tally(result, "ties", SETTINGS, "vi", made), tmp_path, "bien-ban.docx")
    text = _text(document)
    assert "BIÊN BẢN KIỂM PHIẾU" in text and "Số: ……/BB-HĐTĐKT" in text
    assert "Lạc Hồng, ngày 14 tháng 01 năm 2022" in _rows(document)[0][1]
    assert "Tổng số thành viên Hội đồng: 9; có mặt: 8." in text
    assert "Phiên họp cần ít nhất 6 thành viên có mặt" in text and ": đủ." in text
    assert "Số phiếu phát ra: 8; số phiếu thu về: 8; hợp lệ: 7; không hợp lệ: 1." in text
    assert "Số phiếu đồng ý tối thiểu: 5; số suất: 1." in text
    rows = {row[1]: row[2:] for row in _rows(document) if row[1] in TIED}
    assert rows == {
        "Sở Tài chính": ["86,39", "6", "1", "66,67 %", "Đạt", "Có"],
        "Sở Du lịch": ["86,39", "5", "2", "55,56 %", "Không đạt", "Không"],
        "Ban Dân tộc": ["86,39", "2", "5", "22,22 %", "Không đạt", "Không"],
    }
    assert "Danh sách được Hội đồng thống nhất đề nghị khen thưởng (3 trường hợp):" in text
    assert "CHỦ TỊCH HỘI ĐỒNG" in _rows(document)[-1][1] and "Nguyễn Văn An" in _rows(document)[-1][1]
    assert "- Sở Nội vụ;" in _rows(document)[-1][0]


def test_a_viewer_cannot_record_and_nothing_is_written(result: quota.SimulationResult, db: Path) -> None:
    with pytest.raises(Denied):
        council_service.record(db, VIEWER, result, "Thử hội đồng", _data(), _session())
    with pytest.raises(Denied):
        council_service.write_settings(db, VIEWER, SETTINGS)
    assert not folder(db).exists() and not settings_path(db).exists()
    assert [e["outcome"] for e in audit.read(db)] == ["denied", "denied"]


def test_a_session_with_more_present_than_members_is_refused(result: quota.SimulationResult, db: Path) -> None:
    bad = council_service.Session("ties", date(2022, 1, 14), 5, 6, 6, 6, 0, "majority", {})
    with pytest.raises(council_service.CouncilStoreError) as caught:
        council_service.record(db, ADMIN, result, "Thử hội đồng", _data(), bad)
    assert "số có mặt không vượt quá số thành viên" in caught.value.message("vi")
    assert not folder(db).exists()


def test_settings_are_kept_beside_the_database_and_a_damaged_file_reads_as_empty(db: Path) -> None:
    council_service.write_settings(db, ADMIN, SETTINGS)
    assert read_settings(db) == SETTINGS
    settings_path(db).write_text("{not json", encoding="utf-8")
    assert read_settings(db) == DocumentSettings()
    # a damaged decision file is skipped, not fatal
    folder(db).mkdir()
    (folder(db) / "2021--hong.json").write_text("[]", encoding="utf-8")
    assert CouncilStore(db).list() == []


# ---- the report ---------------------------------------------------------------------------------------


def test_the_report_carries_the_councils_decision(demo_db: Path, tmp_path: Path) -> None:
    # A copy of the demo: the decision is written beside it, and other tests read the shared one.
    copy = tmp_path / "demo"
    shutil.copytree(demo_db.parent, copy)
    db = copy / demo_db.name
    published = Published(db)
    scope = quota.Scope(2021, 2021)
    res = quota.simulate(quota.parse(_data()), quota.load_inputs(published, scope), scope)
    keys = _ids(res)
    votes = {keys["Ban Dân tộc"]: (8, 0, True), keys["Sở Tài chính"]: (3, 5, False)}
    council_service.record(db, ADMIN, res, "Thử hội đồng", _data(), _session(**votes))
    council_service.write_settings(db, ADMIN, SETTINGS)
    files = build(published, Scope.year(2021), "vi", on=date(2022, 1, 20))
    document = _open(files.docx, tmp_path, "bao-cao.docx")
    paragraphs = [p.text for p in document.paragraphs]
    at = paragraphs.index("Quyết định của Hội đồng thi đua - khen thưởng")
    assert paragraphs[at + 1] == (
        "Phiên họp ngày 14/01/2022 xét “Thử hội đồng” (7/KH-UBND ngày 01/02/2021 của UBND tỉnh Lạc Hồng — Kế hoạch "
        "thử): 8/9 thành viên có mặt; phiếu phát ra 8, thu về 8, hợp lệ 7. Ngưỡng: số phiếu đồng ý quá nửa tổng số "
        "thành viên Hội đồng (Quyết định 2264/QĐ-KTNN năm 2014, Điều 11 (Quy chế hoạt động của Hội đồng Thi đua - "
        "Khen thưởng Kiểm toán Nhà nước))."
    )
    rows = _rows(document)
    group = "Giấy khen sở, ban — Sở, ban, ngành"
    assert ["Ban Dân tộc", "8", "0", "88,89", "Đạt", "Có", group] in rows
    assert ["Sở Tài chính", "3", "5", "33,33", "Không đạt", "Không", group] in rows
    final = next(p for p in paragraphs[at:] if p.startswith("Danh sách cuối cùng"))
    assert final == (
        "Danh sách cuối cùng (3 trường hợp): Sở Giao thông vận tải — Giấy khen sở, ban; Thanh tra tỉnh — Giấy khen "
        "sở, ban; Ban Dân tộc — Giấy khen sở, ban."
    )
    # the draft is set out as an administrative document: heading on the first page, signature at the end
    first = document.sections[0].first_page_header
    heading = [c.text for row in first.tables[0].rows for c in row.cells]
    assert "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG" in heading[0] and "Số: ……/BC-HĐTĐKT" in heading[0]
    assert "Độc lập - Tự do - Hạnh phúc" in heading[1] and "Lạc Hồng, ngày 20 tháng 01 năm 2022" in heading[1]
    assert paragraphs[-10:-4] == ["CHỦ TỊCH HỘI ĐỒNG", "(Ký, ghi rõ họ tên)", "", "", "", "Nguyễn Văn An"]
    assert paragraphs[-4] == "Nơi nhận:"
    assert paragraphs[-3:] == ["- Các thành viên Hội đồng;", "- Sở Nội vụ;", "- Lưu: VT."]
    # a year without a session says nothing about the council
    assert report_council.section(published, Scope.year(2022), "vi") is None
