"""The legend never runs over the source line, on a phone or in an exported image: each figure is drawn by the
export's Chromium (kaleido) as SVG, at a phone's width and at the print width, and the boxes Plotly drew for
the legend and for the source and footnote annotations are read from the SVG and compared."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import plotly.graph_objects as go
import polars as pl
import pytest

from charts import figures
from charts.frame import FOOTNOTE_ANNOTATION, SOURCE_ANNOTATION, Frame
from exports import charts

Box = tuple[float, float, float, float]  # left, top, right, bottom in px

NAMES = ["Sở Nội vụ", "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Giáo dục và Đào tạo", "Sở Y tế", "Sở Tư pháp"]


@pytest.fixture(scope="module", autouse=True)
def _renderer() -> Iterator[None]:
    yield
    charts.shutdown()


def _histories(lang: str, units: int) -> go.Figure:
    rows = [
        {
            "unit_code": f"U{i}",
            "label": name,
            "year": year,
            "score": 80.0 + i + (year - 2021),
            "reconstructed": year == 2025 and i == 0,
        }
        for i, name in enumerate(NAMES[:units])
        for year in range(2021, 2026)
    ]
    f = Frame(
        title="Điểm các sở qua các năm",
        subtitle="2021–2025",
        source="Nguồn: Kết quả chấm điểm CCHC do Sở Nội vụ tổng hợp",
        lang=lang,
        note="Nét đứt: năm dựng lại từ các đơn vị cũ",
    )
    return figures.histories(pl.DataFrame(rows), f, "Năm dựng lại")


def _legend_box(svg: str) -> Box:
    m = re.search(
        r'<g class="legend"[^>]*transform="translate\(([\d.]+),([\d.]+)\)"><rect class="bg"[^>]*'
        r'width="([\d.]+)" height="([\d.]+)"',
        svg,
    )
    assert m, "no legend drawn"
    x, y, w, h = map(float, m.groups())
    return (x, y, x + w, y + h)


def _annotation_boxes(svg: str) -> dict[int, Box]:
    boxes = {}
    for m in re.finditer(
        r'<g class="annotation" data-index="(\d+)".*?<g class="cursor-pointer" transform="translate\(([\d.-]+),'
        r'([\d.-]+)\)"><rect class="bg" x="([\d.-]+)" y="([\d.-]+)" width="([\d.]+)" height="([\d.]+)"',
        svg,
    ):
        k = int(m.group(1))
        tx, ty, x, y, w, h = map(float, m.groups()[1:])
        boxes[k] = (tx + x, ty + y, tx + x + w, ty + y + h)
    return boxes


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_the_measure_sees_an_overlap() -> None:
    """A legend pushed onto the source line is caught: the check can fail."""
    fig = _histories("vi", 6)
    fig.update_layout(legend_y=-0.05 - fig.layout.margin.b / fig.layout.height)  # down onto the source
    svg = charts.image(fig, "svg", width=390).decode()
    source = next(i for i, a in enumerate(fig.layout.annotations) if a.name == SOURCE_ANNOTATION)
    assert _overlap(_legend_box(svg), _annotation_boxes(svg)[source])


@pytest.mark.parametrize("width", [390, 1200])
@pytest.mark.parametrize("units", [2, 6])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_legend_stays_off_the_source_line(lang: str, units: int, width: int) -> None:
    fig = _histories(lang, units)
    svg = charts.image(fig, "svg", width=width).decode()
    legend = _legend_box(svg)
    boxes = _annotation_boxes(svg)
    below = [i for i, a in enumerate(fig.layout.annotations) if a.name in (SOURCE_ANNOTATION, FOOTNOTE_ANNOTATION)]
    assert len(below) == 2
    for i in below:
        assert i in boxes, f"annotation {i} not drawn"
        assert not _overlap(legend, boxes[i]), (width, fig.layout.annotations[i].name, legend, boxes[i])
        assert boxes[i][3] <= float(fig.layout.height), "the source line falls off the image"


# ---- every builder at a phone's width: words whole inside the image, tick labels level ---------------------

LONG = "Nguồn: Kết quả chấm điểm CCHC do Sở Nội vụ tổng hợp, đã thẩm định; số liệu công bố tại hội nghị sơ kết"
UNITS = [f"{i}. {name} · Tỉnh Lạc Hồng (dữ liệu mô phỏng)" for i, name in enumerate(NAMES, start=1)]
AREAS = [
    "LV1. Công tác chỉ đạo, điều hành cải cách hành chính",
    "LV2. Cải cách thể chế",
    "LV5. Xây dựng và nâng cao chất lượng đội ngũ cán bộ, công chức, viên chức",
]


def _frame(lang: str) -> Frame:
    return Frame("Sở, ban, ngành: tăng, giảm điểm nhiều nhất năm 2025", "Theo tổng điểm; 20 đơn vị", LONG, lang)


def _phone_figures(lang: str) -> dict[str, go.Figure]:
    f = _frame(lang)
    tiers = {"xuat_sac": "Xuất sắc", "tot": "Tốt"}
    ranked = pl.DataFrame(
        {
            "label": UNITS,
            "score": [92.6 - i for i in range(6)],
            "rank": list(range(1, 7)),
            "tier": ["xuat_sac", "xuat_sac", "tot", "tot", "tot", "tot"],
            "score_text": [f"{92.6 - i:.2f}" for i in range(6)],
        }
    )
    years = pl.DataFrame(
        [{"year": y, "score": 70.0 + y - 2021, "reconstructed": y < 2025, "tier": "tot"} for y in range(2021, 2031)]
    )
    kinds = pl.DataFrame(
        [{"kind": k, "year": y, "value": 80.0 + (y % 3)} for k in ("department", "commune") for y in range(2021, 2031)]
    )
    matrix = pl.DataFrame(
        {"unit_code": [f"U{i}" for i in range(6)], **{str(y): [80.0 + i for i in range(6)] for y in range(2021, 2031)}}
    )
    return {
        "ranking_bars": figures.ranking_bars(ranked, f, tiers),
        "movers": figures.movers(
            ranked.select("label", pl.col("score").sub(90).alias("change"), pl.col("score_text").alias("change_text")),
            f,
        ),
        "review_bars": figures.review_bars(
            ranked.select(
                "label",
                pl.col("score").alias("period_mean"),
                pl.col("score").alias("latest_score"),
                pl.col("score_text").alias("mean_text"),
            ),
            f,
            {"mean": "Bình quân giai đoạn", "latest": "Năm gần nhất"},
        ),
        "components": figures.components(
            pl.DataFrame(
                {
                    "component_name": AREAS,
                    "points": [8.0, 7.5, 12.0],
                    "max_points": [10.0, 10.0, 16.0],
                    "median_points": [7.0, 7.0, 11.0],
                    "points_text": ["8,00", "7,50", "12,00"],
                }
            ),
            f,
            {"max": "Điểm tối đa", "points": "Điểm đạt được", "median": "Trung vị Sở, ban, ngành"},
        ),
        "heatmap": figures.heatmap(matrix, UNITS, f),
        "history": figures.history(years, f, tiers, "Điểm của đơn vị", "Dựng lại từ các đơn vị cũ"),
        "kind_lines": figures.kind_lines(
            kinds, f, {"department": "Sở, ban, ngành", "commune": "UBND cấp xã — tái dựng từ các đơn vị cũ (bình quân)"}
        ),
    }


def _text_boxes(svg: str) -> list[tuple[str, float]]:
    """Each text's class and the right edge Plotly's SVG gives it, where it says (annotations' boxes)."""
    return [(f"annotation {i}", box[2]) for i, box in _annotation_boxes(svg).items()]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_chart_fits_a_phone_with_level_tick_labels(lang: str) -> None:
    for name, fig in _phone_figures(lang).items():
        svg = charts.image(fig, "svg", width=390).decode()
        # No slanted tick label: a crowded axis is thinned instead
        ticks = re.findall(r'<g class="[xy]tick"><text[^>]*transform="([^"]*)"', svg)
        assert ticks, name
        assert not [tr for tr in ticks if "rotate" in tr], (name, ticks[:3])
        # Every annotation (source, footnote, the 2025 break) is drawn whole inside the image
        for label, right in _text_boxes(svg):
            assert right <= 390, (name, label, right)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_source_starts_at_the_charts_left_edge_under_long_labels(lang: str) -> None:
    """Beside horizontal bars the labels take a fixed room and the source line starts under them, at the
    figure's margin: at the plot's edge it was pushed off a phone's chart."""
    fig = _phone_figures(lang)["ranking_bars"]
    svg = charts.image(fig, "svg", width=390).decode()
    source = next(i for i, a in enumerate(fig.layout.annotations) if a.name == SOURCE_ANNOTATION)
    left, _, right, _ = _annotation_boxes(svg)[source]
    assert left < 20 and right <= 390, (left, right)


def _robustness(lang: str, units: int) -> go.Figure:
    names = [*NAMES, "Phường Thới Xuân", "Xã Hiệp Long", "Xã Phú Hòa", "Thanh tra tỉnh"]
    rows = [
        {
            "label": names[i % len(names)] + ("" if i < len(names) else f" ({i})"),
            "probability": 100.0 - i * 100.0 / max(units - 1, 1),
            "on_list": i < units // 2,
            "text": f"{100 - i * 100 / max(units - 1, 1):.1f}%",
        }
        for i in range(units)
    ]
    f = Frame(
        title="Xác suất được khen",
        subtitle="Khen thưởng hằng năm — tập thể — năm 2023, 10.000 lần rút",
        note="Đường liền: 50%; đường đứt: chắc chắn từ 95%, chắc chắn không từ 5% trở xuống",
        source="Nguồn: Kết quả chấm điểm CCHC do Sở Nội vụ tổng hợp",
        lang=lang,
    )
    names_ = {"on": "Có trong danh sách đề nghị", "off": "Không có trong danh sách"}
    return figures.robustness_bars(pl.DataFrame(rows), f, names_, [5.0, 50.0, 95.0])


def _cut_boxes(svg: str, fig: go.Figure) -> list[Box]:
    boxes = _annotation_boxes(svg)
    cuts = [i for i, a in enumerate(fig.layout.annotations) if a.name not in (SOURCE_ANNOTATION, FOOTNOTE_ANNOTATION)]
    assert len(cuts) == 3 and all(i in boxes for i in cuts), (cuts, boxes)
    return [boxes[i] for i in cuts]


@pytest.mark.parametrize("width", [390, 1200])
@pytest.mark.parametrize("units", [3, 40])
@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_robustness_chart_keeps_its_words_apart(lang: str, units: int, width: int) -> None:
    """The chart of each unit's probability: legend off the source line, the three cut labels (5, 50, 95 %) apart
    from each other and inside the image, the names written flat and apart."""
    fig = _robustness(lang, units)
    svg = charts.image(fig, "svg", width=width).decode()
    legend = _legend_box(svg)
    boxes = _annotation_boxes(svg)
    below = [i for i, a in enumerate(fig.layout.annotations) if a.name in (SOURCE_ANNOTATION, FOOTNOTE_ANNOTATION)]
    assert len(below) == 2
    for i in below:
        assert not _overlap(legend, boxes[i]), (width, legend, boxes[i])
        assert boxes[i][3] <= float(fig.layout.height), "the source line falls off the image"
    cuts = _cut_boxes(svg, fig)
    for i, a in enumerate(cuts):
        assert a[0] >= 0 and a[2] <= width, ("a cut label leaves the image", a)
        assert not _overlap(a, legend) and not any(_overlap(a, boxes[j]) for j in below)
        for b in cuts[i + 1 :]:
            assert not _overlap(a, b), (width, a, b)
    ticks = re.findall(r'<g class="ytick"><text[^>]*transform="([^"]*)"', svg)
    assert len(ticks) == units and not any("rotate" in t for t in ticks), ticks[:3]
    flat = re.findall(r'<g class="xtick"><text[^>]*transform="([^"]*)"', svg)
    assert flat and not any("rotate" in t for t in flat), flat
    ys = sorted(float(re.search(r"translate\([\d.-]+,([\d.-]+)\)", m).group(1)) for m in ticks)  # type: ignore[union-attr]
    assert all(b - a >= 12 for a, b in itertools.pairwise(ys)), "two names drawn on each other"


def test_the_measure_sees_cut_labels_on_each_other() -> None:
    """Cuts drawn 2 points apart at a phone's width: their labels are caught overlapping."""
    fig = _robustness("vi", 3)
    fig.layout.annotations = [a for a in fig.layout.annotations if a.name in (SOURCE_ANNOTATION, FOOTNOTE_ANNOTATION)]
    fig.layout.shapes = []
    for cut in (48.0, 50.0, 52.0):
        fig.add_vline(x=cut, annotation={"text": f"{cut:.0f}%"}, annotation_position="top")
    cuts = _cut_boxes(charts.image(fig, "svg", width=390).decode(), fig)
    assert _overlap(cuts[0], cuts[1])
