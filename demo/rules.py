"""Scoring frameworks and tier sets, versioned by unit kind and years, written as rules YAML."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from demo.units import Layout

# Area maxima of an older provincial framework (10 / 10 / 14.5 / 11 / 16 / 7 / 16 / 15.5); the last area is
# measured by the sociological survey. Criteria maxima are quarter points summing to their area.
_BASE: list[tuple[str, str, str, list[tuple[str, str, float]]]] = [
    (
        "LV1",
        "Công tác chỉ đạo, điều hành cải cách hành chính",
        "appraisal",
        [
            ("1.1", "Kế hoạch CCHC năm", 2.0),
            ("1.2", "Báo cáo CCHC định kỳ", 1.5),
            ("1.3", "Kiểm tra công tác CCHC", 2.0),
            ("1.4", "Tuyên truyền CCHC", 1.5),
            ("1.5", "Thực hiện nhiệm vụ được UBND tỉnh giao", 2.0),
            ("1.6", "Sáng kiến, giải pháp mới trong CCHC", 1.0),
        ],
    ),
    (
        "LV2",
        "Cải cách thể chế",
        "appraisal",
        [
            ("2.1", "Xây dựng, ban hành văn bản quy phạm pháp luật", 3.0),
            ("2.2", "Rà soát, hệ thống hóa văn bản quy phạm pháp luật", 2.5),
            ("2.3", "Kiểm tra, xử lý văn bản quy phạm pháp luật", 2.0),
            ("2.4", "Theo dõi thi hành pháp luật", 2.5),
        ],
    ),
    (
        "LV3",
        "Cải cách thủ tục hành chính",
        "appraisal",
        [
            ("3.1", "Rà soát, đơn giản hóa thủ tục hành chính", 3.0),
            ("3.2", "Công bố, công khai thủ tục hành chính", 2.5),
            ("3.3", "Thực hiện cơ chế một cửa, một cửa liên thông", 3.5),
            ("3.4", "Tỷ lệ hồ sơ giải quyết đúng hạn", 3.5),
            ("3.5", "Tiếp nhận, xử lý phản ánh, kiến nghị", 2.0),
        ],
    ),
    (
        "LV4",
        "Cải cách tổ chức bộ máy hành chính nhà nước",
        "appraisal",
        [
            ("4.1", "Sắp xếp tổ chức bộ máy theo quy định", 3.5),
            ("4.2", "Thực hiện quy định về biên chế", 3.0),
            ("4.3", "Thực hiện phân cấp quản lý", 2.5),
            ("4.4", "Kiểm tra tình hình tổ chức, hoạt động", 2.0),
        ],
    ),
    (
        "LV5",
        "Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
        "appraisal",
        [
            ("5.1", "Vị trí việc làm và cơ cấu ngạch công chức", 3.0),
            ("5.2", "Tuyển dụng, bổ nhiệm, sử dụng công chức", 3.5),
            ("5.3", "Đánh giá, xếp loại công chức", 2.5),
            ("5.4", "Đào tạo, bồi dưỡng cán bộ, công chức, viên chức", 3.0),
            ("5.5", "Chấp hành kỷ luật, kỷ cương hành chính", 4.0),
        ],
    ),
    (
        "LV6",
        "Cải cách tài chính công",
        "appraisal",
        [
            ("6.1", "Thực hiện cơ chế tự chủ tài chính", 2.5),
            ("6.2", "Quản lý, sử dụng tài sản công", 2.0),
            ("6.3", "Thực hành tiết kiệm, chống lãng phí", 1.5),
            ("6.4", "Giải ngân vốn đầu tư công", 1.0),
        ],
    ),
    (
        "LV7",
        "Xây dựng và phát triển chính quyền điện tử, chính quyền số",
        "appraisal",
        [
            ("7.1", "Ứng dụng công nghệ thông tin trong hoạt động", 3.0),
            ("7.2", "Dịch vụ công trực tuyến toàn trình", 4.0),
            ("7.3", "Thanh toán trực tuyến", 2.5),
            ("7.4", "Số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", 3.0),
            ("7.5", "Hệ thống quản lý văn bản và điều hành", 2.0),
            ("7.6", "Áp dụng Hệ thống quản lý chất lượng ISO 9001", 1.5),
        ],
    ),
    (
        "LV8",
        "Tác động của cải cách hành chính đến người dân, tổ chức",
        "survey",
        [
            ("8.1", "Sự hài lòng về tiếp cận dịch vụ", 3.0),
            ("8.2", "Sự hài lòng về thủ tục hành chính", 3.0),
            ("8.3", "Sự hài lòng về công chức giải quyết thủ tục hành chính", 3.5),
            ("8.4", "Sự hài lòng về kết quả giải quyết thủ tục hành chính", 3.0),
            ("8.5", "Sự hài lòng về tiếp nhận, xử lý phản ánh, kiến nghị", 3.0),
        ],
    ),
]

# Criterion names that differ for district- and commune-level people's committees
_LOCAL_NAMES = {
    "1.5": "Thực hiện nhiệm vụ được cấp trên giao",
    "2.1": "Ban hành văn bản theo thẩm quyền",
    "4.2": "Thực hiện quy định về số lượng cán bộ, công chức",
    "6.1": "Quản lý, điều hành ngân sách",
}

KIND_LABEL = {"department": "các sở, ban, ngành", "district": "UBND cấp huyện", "commune": "UBND cấp xã"}

# Years in which the survey was not run for a kind: no survey scores, totals rescaled (rescale: when_no_survey)
NO_SURVEY_YEARS: dict[str, tuple[int, ...]] = {"department": (2021,)}


@dataclass(frozen=True)
class Criterion:
    code: str
    name: str
    max: float


@dataclass(frozen=True)
class Component:
    code: str
    name: str
    method: str
    criteria: tuple[Criterion, ...]

    @property
    def max(self) -> float:
        return sum(c.max for c in self.criteria)


@dataclass(frozen=True)
class Framework:
    kind: str
    years: tuple[int, ...]
    name: str
    source_doc: str
    rescale: str
    components: tuple[Component, ...]
    total_scale: float = 100.0

    @property
    def survey_max(self) -> float:
        return sum(c.max for c in self.components if c.method == "survey")

    def criteria(self) -> list[tuple[Criterion, Component]]:
        return [(cr, comp) for comp in self.components for cr in comp.criteria]


@dataclass(frozen=True)
class TierSet:
    kind: str
    years: tuple[int, ...]
    name: str
    source_doc: str
    tiers: tuple[dict[str, float | str], ...] = field(default_factory=tuple)


def _components(
    kind: str, changes: Mapping[str, float | None], added: dict[str, list[tuple[str, str, float]]]
) -> tuple[Component, ...]:
    """The base framework with some maxima changed (None drops a criterion) and criteria added."""
    out = []
    for code, name, method, criteria in _BASE:
        crit = []
        for ccode, cname, cmax in criteria + added.get(code, []):
            if kind != "department":
                cname = _LOCAL_NAMES.get(ccode, cname)
            new_max = changes.get(ccode, cmax)
            if new_max is None:  # only a change drops a criterion: every base maximum is a number
                continue
            crit.append(Criterion(ccode, cname, float(new_max)))
        out.append(Component(code, name, method, tuple(crit)))
    return tuple(out)


# 2023 versions: digital government re-weighted with a new criterion, procedures weighted towards deadlines
_V2_CHANGES = {
    "department": (
        {"7.2": 3.5, "7.6": 1.0, "3.4": 4.0, "3.5": 1.5},
        {"LV7": [("7.7", "Chữ ký số, định danh và xác thực điện tử", 1.0)]},
    ),
    "commune": (
        {"7.2": 3.0, "7.6": 1.5, "5.1": 2.5, "5.5": 4.5},
        {"LV7": [("7.7", "Hoạt động của Tổ công nghệ số cộng đồng", 1.0)]},
    ),
}


_DOC_NO = {"department": 215, "district": 231, "commune": 247}


def build_frameworks(layout: Layout) -> list[Framework]:
    last = layout.years[-1]
    national = layout.scale == "national"
    out = []
    for kind in ("department", "district", "commune"):
        rescale = "when_no_survey" if kind in NO_SURVEY_YEARS else "none"
        # (first year, last year), maxima changed, criteria added
        versions: list[tuple[tuple[int, int], Mapping[str, float | None], dict[str, list[tuple[str, str, float]]]]]
        if kind == "district":
            versions = [((2021, 2024), {}, {})]
        else:
            v2_changes, v2_added = _V2_CHANGES[kind]
            versions = [((2021, 2022), {}, {}), ((2023, last), v2_changes, v2_added)]
        for number, ((y0, y1), changes, added) in enumerate(versions, start=1):
            doc_no = _DOC_NO[kind] + number - 1
            source_doc = (
                f"Quyết định số {doc_no}/QĐ-UBND ngày 15/3/{y0} về Bộ chỉ số CCHC {KIND_LABEL[kind]} "
                f"({'mô phỏng dùng chung' if national else 'mô phỏng'})"
            )
            out.append(
                Framework(
                    kind=kind,
                    years=tuple(range(y0, y1 + 1)),
                    name=f"Bộ chỉ số CCHC {KIND_LABEL[kind]}, phiên bản {y0} (mô phỏng)",
                    source_doc=source_doc,
                    rescale=rescale,
                    components=_components(kind, changes, added),
                )
            )
    return out


# lower bounds of xuất sắc, tốt, khá, trung bình: departments are held to a higher bar
_TIERS = {
    "department": (90, 80, 70, 50),
    "district": (85, 75, 65, 50),
    "commune": (85, 75, 65, 50),
}


def build_tier_sets(layout: Layout) -> list[TierSet]:
    last = layout.years[-1]
    out = []
    for kind, (xs, tot, kha, tb) in _TIERS.items():
        y1 = 2024 if kind == "district" else last
        tiers: tuple[dict[str, float | str], ...] = (
            {"tier": "xuat_sac", "min": xs},
            {"tier": "tot", "min": tot, "below": xs},
            {"tier": "kha", "min": kha, "below": tot},
            {"tier": "trung_binh", "min": tb, "below": kha},
            {"tier": "yeu", "below": tb},
        )
        out.append(
            TierSet(
                kind,
                tuple(range(2021, y1 + 1)),
                f"Xếp loại Chỉ số CCHC {KIND_LABEL[kind]} (mô phỏng)",
                f"Quyết định số {_DOC_NO[kind]}/QĐ-UBND ngày 15/3/2021, phần xếp loại {KIND_LABEL[kind]} (mô phỏng)",
                tiers,
            )
        )
    return out


def framework_for(frameworks: list[Framework], kind: str, year: int) -> Framework | None:
    for fw in frameworks:
        if fw.kind == kind and year in fw.years:
            return fw
    return None


def _years_tag(years: tuple[int, ...]) -> str:
    return str(years[0]) if len(years) == 1 else f"{years[0]}-{years[-1]}"


def _s(text: str) -> str:
    # a JSON string is a valid YAML double-quoted scalar
    return json.dumps(text, ensure_ascii=False)


def _n(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def _head(
    kind_of_rules: str, issuer: dict[str, str], kind: str, years: tuple[int, ...], name: str, source_doc: str
) -> list[str]:
    return [
        f"rules: {kind_of_rules}",
        f"issuer: {{code: {issuer['code']}, name: {_s(issuer['name'])}}}",
        f"unit_kind: {kind}",
        f"years: [{', '.join(str(y) for y in years)}]",
        f"name: {_s(name)}",
        f"source_doc: {_s(source_doc)}",
    ]


def write_rules(layout: Layout, out_dir: Path) -> list[Path]:
    rules_dir = out_dir / "rules"
    rules_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for fw in build_frameworks(layout):
        lines = _head("framework", layout.issuer, fw.kind, fw.years, fw.name, fw.source_doc)
        lines += [f"total_scale: {_n(fw.total_scale)}", f"rescale: {fw.rescale}", "components:"]
        for comp in fw.components:
            lines += [
                f"  - code: {comp.code}",
                f"    name: {_s(comp.name)}",
                f"    method: {comp.method}",
                "    criteria:",
            ]
            lines += [f"      - {{code: {_s(c.code)}, name: {_s(c.name)}, max: {_n(c.max)}}}" for c in comp.criteria]
        path = rules_dir / f"framework_{fw.kind}_{_years_tag(fw.years)}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    for ts in build_tier_sets(layout):
        lines = [*_head("tier_set", layout.issuer, ts.kind, ts.years, ts.name, ts.source_doc), "tiers:"]
        for band in ts.tiers:
            parts = [f"tier: {band['tier']}"] + [f"{k}: {_n(float(v))}" for k, v in band.items() if k != "tier"]
            lines.append(f"  - {{{', '.join(parts)}}}")
        path = rules_dir / f"tiers_{ts.kind}_{_years_tag(ts.years)}.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        written.append(path)
    return written
