"""One palette for the screen and the report: each tier is drawn in the same colour by every figure that colours
by tier, that colour is the palette file's, the palette follows the tier vocabulary, and its colours stay
apart for colour-blind readers."""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import plotly.graph_objects as go
import polars as pl
import pytest

from charts import figures
from charts.palette import PALETTE_FILE, palette, tier_colour
from core import programme, vocab
from core.i18n import t

TIERS = vocab.codes("tier")
LANG = "vi"


def _frame() -> figures.Frame:
    return figures.Frame("Tổng điểm năm 2024", "Điểm, thang 100", "Nguồn: dữ liệu thử", LANG)


def _ranked() -> pl.DataFrame:
    """Two units in each tier and one without."""
    tiers = [x for x in TIERS for _ in range(2)] + [None]
    scores = [95.0 - 4 * i for i in range(len(tiers))]
    return pl.DataFrame(
        {
            "label": [f"Đơn vị {i:02d}" for i in range(len(tiers))],
            "score": scores,
            "rank": list(range(1, len(tiers) + 1)),
            "tier": tiers,
            "score_text": [f"{s:.2f}" for s in scores],
        }
    )


def _bar_colours(fig: go.Figure, tier_of_name: dict[str, str]) -> dict[str, set[str]]:
    """tier code -> the fill colours of the bars drawn for it (one trace per tier, named for the tier)."""
    found: dict[str, set[str]] = {}
    for trace in fig.data:
        if trace.type != "bar" or trace.name not in tier_of_name:
            continue
        colour: Any = trace.marker.color
        found.setdefault(tier_of_name[trace.name], set()).update([colour] if isinstance(colour, str) else colour)
    return found


def _screen_figures() -> list[tuple[str, dict[str, set[str]]]]:
    names = {code: f"screen:{code}" for code in TIERS}
    back = {v: k for k, v in names.items()}
    ranked = _ranked()
    counts = pl.DataFrame({"group": ["Sở"] * len(TIERS), "tier": list(TIERS), "units": list(range(1, len(TIERS) + 1))})
    history = (
        ranked.drop_nulls("tier")
        .unique("tier", keep="first", maintain_order=True)
        .select(
            pl.Series("year", list(programme.years())[: len(TIERS)]),
            "score",
            "tier",
            pl.lit(False).alias("reconstructed"),
        )
    )
    fig = figures.history(history, _frame(), names, "Điểm", "Dựng lại")
    own = next(tr for tr in fig.data if tr.name == "Điểm")
    points: dict[str, set[str]] = {}
    for tier, colour in zip(history["tier"].to_list(), own.marker.color, strict=True):
        points.setdefault(tier, set()).add(colour)
    return [
        ("ranking_bars", _bar_colours(figures.ranking_bars(ranked, _frame(), names), back)),
        ("tier_distribution", _bar_colours(figures.tier_distribution(counts, _frame(), names), back)),
        ("history", points),
    ]


def _report_figures() -> list[tuple[str, dict[str, set[str]]]]:
    back = {t(f"report.tier.{code}", LANG): code for code in TIERS}
    ranked = _ranked().rename({"label": "name"})
    counts = pl.DataFrame(
        {"year": [2023] * len(TIERS) + [2024] * len(TIERS), "tier": list(TIERS) * 2, "units": [2] * (2 * len(TIERS))}
    )
    return [
        ("tiers", _bar_colours(figures.tiers(counts, "department", "năm 2024", "Nguồn: thử", LANG), back)),
        (
            "scores",
            _bar_colours(figures.scores(ranked, "score", "department", "năm 2024", "Nguồn: thử", LANG, False), back),
        ),
    ]


def test_screen_and_report_give_each_tier_the_same_colour() -> None:
    drawn = _screen_figures() + _report_figures()
    for name, colours in drawn:
        assert set(colours) == set(TIERS), f"{name} does not draw every tier: {sorted(colours)}"
    for tier in TIERS:
        per_figure = {name: colours[tier] for name, colours in drawn}
        assert all(c == {palette()["tiers"][tier]} for c in per_figure.values()), (tier, per_figure)


def test_a_unit_without_tier_is_grey_on_screen_and_in_the_report() -> None:
    ranked = _ranked()
    screen = figures.ranking_bars(ranked, _frame(), {code: code for code in TIERS})
    report = figures.scores(ranked.rename({"label": "name"}), "score", "department", "2024", "Nguồn", LANG, False)
    no_tier = t("charts.legend.no_tier", LANG)
    grey = palette()["no_tier"]["color"]
    assert grey not in palette()["tiers"].values()
    for fig in (screen, report):
        assert next(tr for tr in fig.data if tr.name == no_tier).marker.color == grey


def test_palette_follows_the_tier_vocabulary() -> None:
    assert PALETTE_FILE.parent.name == "charts"
    assert tuple(palette()["tiers"]) == TIERS, "palette.yaml's tiers must list vocab.yaml's tier codes in order"
    assert tuple(palette()["tier_patterns"]) == TIERS
    assert len(set(palette()["tiers"].values())) == len(TIERS)
    assert len(set(palette()["tier_patterns"].values())) == len(TIERS), "each tier needs its own pattern for grey"
    assert [tier_colour(x) for x in TIERS] == list(palette()["tiers"].values())
    assert tier_colour("not_a_tier") == tier_colour(None) == palette()["no_tier"]["color"]


def test_tiers_are_listed_best_first() -> None:
    fig = figures.ranking_bars(_ranked(), _frame(), {code: code for code in TIERS})
    assert [tr.name for tr in fig.data][: len(TIERS)] == list(TIERS)


# Colour-vision deficiencies simulated with Machado, Oliveira & Fernandes (2009), severity 1, on linear RGB.
_CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}
_SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
_WHITE = np.array([0.95047, 1.0, 1.08883])


def _lab(colour: str, vision: str | None) -> np.ndarray:
    srgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(srgb <= 0.04045, srgb / 12.92, ((srgb + 0.055) / 1.055) ** 2.4)
    if vision:
        linear = np.clip(np.array(_CVD[vision]) @ linear, 0, 1)
    xyz = _SRGB_TO_XYZ @ linear / _WHITE
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", [None, *_CVD])
def test_tier_colours_stay_apart_for_colour_blind_readers(vision: str | None) -> None:
    # ΔE*ab 20 is far above "just noticeable" (~2.3); the red/green tier scales used before fell to 11–12.
    colours = {**palette()["tiers"], "no_tier": palette()["no_tier"]["color"]}
    for (a, ca), (b, cb) in itertools.combinations(colours.items(), 2):
        distance = float(np.linalg.norm(_lab(ca, vision) - _lab(cb, vision)))
        assert distance >= 20, f"{a} and {b} look alike ({vision or 'normal vision'}): ΔE {distance:.1f}"
