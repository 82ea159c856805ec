"""Chart exports opened and checked: PNG size and content, SVG text, PDF pages, standalone HTML.

These draw with the real kaleido and Debian's Chromium (/usr/bin/chromium, installed by ./parboard.sh
test): a missing Chromium fails here rather than skipping. The warm Chromium is started once per test
process and shared by every test that exports.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import xml.etree.ElementTree as ET

import plotly.graph_objects as go
import pytest
from PIL import Image, ImageStat
from pypdf import PdfReader

from charts.frame import SOURCE_ANNOTATION
from charts.theme import CHART_FONT
from exports import charts

TITLE = "Chỉ số CCHC các sở, ban, ngành năm 2024 (điểm)"
SOURCE = "Nguồn: Hội đồng thẩm định tỉnh Lạc Hồng, quyết định số 12/QĐ-UBND"


def chart(source: bool = True) -> go.Figure:
    fig = go.Figure(go.Bar(x=["Sở Nội vụ", "Sở Tư pháp", "Xã Đông Hưng"], y=[91.65, 84.5, 77.25]))
    fig.update_layout(title=TITLE, yaxis_title="Điểm")
    if source:
        fig.add_annotation(
            text=SOURCE, name=SOURCE_ANNOTATION, xref="paper", yref="paper", x=0, y=-0.18, showarrow=False
        )
    return fig


@pytest.fixture(scope="module")
def svg_text() -> str:
    return charts.image(chart(), "svg").decode("utf-8")


def _svg_strings(svg: str) -> list[str]:
    root = ET.fromstring(svg)
    return ["".join(el.itertext()) for el in root.iter() if el.tag.endswith("text")]


def test_png_is_print_sized_and_not_blank() -> None:
    data = charts.image(chart(), "png")
    img = Image.open(io.BytesIO(data))
    assert img.format == "PNG"
    assert img.size == (charts.WIDTH * charts.PRINT_SCALE, charts.HEIGHT * charts.PRINT_SCALE)
    grey = img.convert("L")
    # A blank (all white) image has no spread; bars, text and grid lines give plenty.
    assert ImageStat.Stat(grey).stddev[0] > 20
    dark = sum(grey.histogram()[:128])
    assert dark > 2_000, "too few dark pixels for bars and text"


def test_png_scale_never_below_two() -> None:
    img = Image.open(io.BytesIO(charts.image(chart(), "png", width=400, height=300, scale=1)))
    assert img.size == (800, 600)


def test_svg_holds_the_vietnamese_title_source_and_font(svg_text: str) -> None:
    strings = _svg_strings(svg_text)
    assert TITLE in strings
    assert SOURCE in strings
    assert "Xã Đông Hưng" in strings
    assert CHART_FONT.split(",")[0] in svg_text


def test_pdf_has_one_page_with_the_title() -> None:
    reader = PdfReader(io.BytesIO(charts.image(chart(), "pdf")))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "CCHC" in text and "2024" in text


def test_html_is_self_contained() -> None:
    page = charts.render(chart(), "html").decode("utf-8")
    assert f"<title>{TITLE}</title>" in page
    assert '<html lang="vi">' in page
    assert not re.search(r"<script[^>]+src=", page), "every script must be inlined"
    assert "Plotly.newPlot" in page and len(page) > 1_000_000  # plotly.js itself is inside
    assert json.dumps("Nguồn: Hội đồng thẩm định")[1:-1] in page  # in the figure's JSON, non-ASCII escaped


def test_missing_source_is_reported_not_invented() -> None:
    fig = chart(source=False)
    assert charts.missing_parts(fig) == ("source",)
    assert charts.missing_parts(chart()) == ()
    assert set(charts.missing_parts(go.Figure(go.Bar(y=[1])))) == {"title", "period", "source"}
    strings = _svg_strings(charts.image(fig, "svg").decode("utf-8"))
    assert not any(s.startswith("Nguồn") for s in strings)


def test_export_keeps_the_figure_unchanged() -> None:
    fig = chart()
    before = fig.to_json()
    charts.image(fig, "svg")
    assert fig.to_json() == before


def test_missing_chromium_gives_a_localised_message(monkeypatch: pytest.MonkeyPatch) -> None:
    # Detach the warm renderer for this test only, so the others keep it.
    monkeypatch.setattr(charts, "_renderer", None)
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    with pytest.raises(charts.ChartExportError) as err:
        charts.image(chart(), "png")
    assert err.value.key == "chromium_missing"
    assert "apt-get install -y chromium" in err.value.message("vi")
    assert "Không xuất được biểu đồ" in err.value.message("vi")
    assert "could not be exported" in err.value.message("en")


def test_chart_font_covers_vietnamese() -> None:
    # fontconfig's own coverage table: the family named first in CHART_FONT has every Vietnamese letter.
    families = subprocess.run(["fc-list", ":lang=vi", "family"], capture_output=True, text=True, check=True).stdout
    assert CHART_FONT.split(",")[0] in {name.strip() for line in families.splitlines() for name in line.split(",")}
