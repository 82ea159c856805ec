"""Criterion scores, vectorised: one frame per unit kind and year, plus each unit's total for the award inputs."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import polars as pl

from demo.rng import FIRST_YEAR, quarter, stream
from demo.rules import NO_SURVEY_YEARS, Framework, framework_for
from demo.units import SCORED_KINDS, Layout

SCORE_COLUMNS = [
    "Mã đơn vị",
    "Tên đơn vị",
    "Năm",
    "Mã tiêu chí",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Điểm điều tra xã hội học",
]


def abilities(layout: Layout) -> pl.DataFrame:
    """Each scored unit's underlying level (percent of the maximum) and yearly improvement.

    A new commune inherits the mean level of its predecessors, so 2025 results follow the old ones.
    """
    rng = stream(layout.seed, "abilities")
    units = layout.units.filter(pl.col("kind").is_in(SCORED_KINDS)).select("code").sort("code")
    n = units.height
    level = rng.normal(80.0, 6.0, n)
    laggard = rng.random(n) < 0.04
    level = np.where(laggard, rng.normal(62.0, 3.0, n), level)
    frame = units.with_columns(
        pl.Series("level", np.clip(level, 40.0, 97.0)),
        pl.Series("slope", rng.normal(1.0, 0.4, n)),
        pl.Series("jitter", rng.normal(0.0, 2.0, n)),
    )
    inherited = (
        layout.lineage.join(frame.select(pl.col("code").alias("predecessor_code"), "level"), on="predecessor_code")
        .group_by("unit_code")
        .agg(pl.col("level").mean().alias("inherited"))
        .rename({"unit_code": "code"})
    )
    return (
        frame.join(inherited, on="code", how="left")
        .with_columns(
            pl.coalesce(pl.col("inherited") + pl.col("jitter"), pl.col("level")).clip(40.0, 97.0).alias("level")
        )
        .select("code", "level", "slope")
        .sort("code")
    )


def _difficulty(layout: Layout, frameworks: list[Framework]) -> dict[tuple[str, str], float]:
    """A per-criterion offset, constant across units and years: some criteria are harder to score on."""
    out = {}
    for kind in SCORED_KINDS:
        rng = stream(layout.seed, f"difficulty/{kind}")
        codes = sorted(
            {cr.code for fw in frameworks if fw.kind == kind for cr, _ in fw.criteria()},
            key=lambda c: tuple(int(p) for p in c.split(".")),
        )
        for code, d in zip(codes, rng.normal(0.0, 0.04, len(codes)), strict=True):
            out[(kind, code)] = float(d)
    return out


def score_frames(layout: Layout, frameworks: list[Framework]) -> Iterator[tuple[str, int, pl.DataFrame, pl.DataFrame]]:
    """(kind, year, scores in the input layout, totals) for every kind and year that has scored units."""
    ability = abilities(layout)
    difficulty = _difficulty(layout, frameworks)
    for year in layout.years:
        for kind in SCORED_KINDS:
            fw = framework_for(frameworks, kind, year)
            units = (
                layout.active(year)
                .filter(pl.col("kind") == kind)
                .select("code", "name")
                .sort("code")
                .join(ability, on="code", how="left", maintain_order="left")
            )
            if fw is None or units.is_empty():
                continue
            yield kind, year, *_score(layout.seed, kind, year, fw, units, difficulty)


def _score(
    seed: int, kind: str, year: int, fw: Framework, units: pl.DataFrame, difficulty: dict[tuple[str, str], float]
) -> tuple[pl.DataFrame, pl.DataFrame]:
    rng = stream(seed, f"scores/{kind}/{year}")
    no_survey = year in NO_SURVEY_YEARS.get(kind, ())
    crits = [(cr, comp) for cr, comp in fw.criteria() if not (no_survey and comp.method == "survey")]
    n, m = units.height, len(crits)
    cmax = np.array([cr.max for cr, _ in crits])
    survey = np.array([comp.method == "survey" for _, comp in crits])
    cdiff = np.array([difficulty[(kind, cr.code)] for cr, _ in crits])

    # the unit's level this year: ability, an upward trend of about a point a year, and a year's luck
    level = units["level"].to_numpy() + units["slope"].to_numpy() * (year - FIRST_YEAR) + rng.normal(0.0, 1.5, n)
    level = np.clip(level, 30.0, 99.0) / 100.0
    ui = np.repeat(np.arange(n), m)
    ci = np.tile(np.arange(m), n)
    mx = cmax[ci]
    is_survey = survey[ci]
    noise = np.where(is_survey, rng.normal(0.0, 0.05, n * m), rng.normal(0.0, 0.09, n * m))
    share = np.clip(level[ui] + cdiff[ci] + noise, 0.0, 1.0)

    appraised = quarter(share * mx)
    # units claim a little more than the council grants; now and then the council grants more
    cut = quarter(mx * np.abs(rng.normal(0.0, 0.08, n * m))) * (rng.random(n * m) < 0.5)
    self_score = np.minimum(mx, appraised + cut)
    raised = (rng.random(n * m) < 0.03) & (appraised >= 0.25)
    self_score = np.where(raised, appraised - 0.25, self_score)
    survey_score = np.round(share * mx, 2)

    appraised = np.where(is_survey, np.nan, appraised)
    self_score = np.where(is_survey, np.nan, self_score)
    survey_score = np.where(is_survey, survey_score, np.nan)

    idx = pl.Series(ui, dtype=pl.UInt32)
    frame = pl.DataFrame(
        {
            "Mã đơn vị": units["code"].gather(idx),
            "Tên đơn vị": units["name"].gather(idx),
            "Năm": pl.Series(np.full(n * m, year), dtype=pl.Int32),
            "Mã tiêu chí": pl.Series([cr.code for cr, _ in crits], dtype=pl.String).gather(
                pl.Series(ci, dtype=pl.UInt32)
            ),
            "Điểm tự đánh giá": pl.Series(self_score, dtype=pl.Float64),
            "Điểm thẩm định": pl.Series(appraised, dtype=pl.Float64),
            "Điểm điều tra xã hội học": pl.Series(survey_score, dtype=pl.Float64),
        }
    ).fill_nan(None)

    # Weighted, so float: the stubs only know bincount's unweighted (integer) result.
    points = np.asarray(np.bincount(ui, weights=np.where(is_survey, survey_score, appraised), minlength=n), np.float64)
    if no_survey and fw.rescale == "when_no_survey":
        points = points * fw.total_scale / (fw.total_scale - fw.survey_max)
    totals = pl.DataFrame(
        {
            "code": units["code"],
            "year": pl.Series(np.full(n, year), dtype=pl.Int32),
            "kind": pl.Series([kind] * n, dtype=pl.String),
            "total": np.round(points, 2),
        }
    )
    return frame, totals
