"""The reader's choice of a rebuilt history on the demo: kept in the URL (?history=…) across the Progress and
Reviews pages, only the rules the demo's register supports offered, and the charts drawing a rebuilt segment
as its own dashed trace with the rule in the footnote."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import plotly.graph_objects as go
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from charts import figures
from charts.frame import FOOTNOTE_ANNOTATION
from core.i18n import t
from services import histories, profile, published, reviews
from store.queries import Published

ROOT = Path(__file__).resolve().parent.parent
APP = str(ROOT / "dashboard" / "app.py")
NEW_COMMUNE = "DEMO-LH-N001"  # formed on 01/07/2025 from former communes


@pytest.fixture
def open_page(monkeypatch: pytest.MonkeyPatch) -> Callable[..., AppTest]:
    def run(db: Path, page: str, **params: str) -> AppTest:
        monkeypatch.setenv("PARBOARD_DB", str(db))
        at = AppTest.from_file(APP, default_timeout=60)
        for key, value in params.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(f"screens/{page}.py").run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return run


def _footnote(fig: go.Figure) -> str:
    notes = [a.text for a in fig.layout.annotations if a.name == FOOTNOTE_ANNOTATION]
    assert len(notes) == 1
    return notes[0]


def _name(trace: go.Scatter) -> str:
    """A trace's legend name as read: long names are wrapped to a phone's legend with Plotly's "<br>"."""
    return (trace.name or "").replace("<br>", " ")


def _rebuilt_traces(fig: go.Figure, legend: str) -> list[go.Scatter]:
    return [tr for tr in fig.data if _name(tr).endswith(legend)]


def _bases(at: AppTest) -> set[str]:
    """The improvement table's basis as the reader sees it: a column, or, when every row has the same basis,
    the one line under the table that states it."""
    column = t("charts.cols.basis", "vi")
    for df in at.dataframe:
        if column in df.value.columns:
            return set(df.value[column])
    prefix = f"{column}: "
    return {part[len(prefix) :] for c in at.caption for part in c.value.split(" · ") if part.startswith(prefix)}


def test_the_choice_round_trips_through_the_url_and_across_pages(
    open_page: Callable[..., AppTest], demo_db: Path
) -> None:
    at = open_page(demo_db, "progress", history="none", kind="commune", unit=NEW_COMMUNE)
    box = at.selectbox(key="w-history")
    assert box.value == "none" and at.query_params["history"] == "none"
    # The demo's register holds no population and no communes under a former commune: only these two.
    assert box.options == [histories.label(r, "vi") for r in ("mean_of_predecessors", "none")]
    captions = " ".join(c.value for c in at.caption)
    assert t("histories.figure.population", "vi") in captions and t("histories.figure.communes", "vi") in captions
    basis = t("progress.baseline_missing", "vi")
    assert _bases(at) == {basis}  # nothing rebuilt: no 2021 for new communes

    box.set_value("mean_of_predecessors").run()
    assert at.query_params["history"] == "mean_of_predecessors"
    assert _bases(at) == {t("progress.baseline_reconstructed", "vi")}

    at.switch_page("screens/reviews.py").run()
    assert not at.exception
    assert at.selectbox(key="w-history").value == "mean_of_predecessors"
    assert at.query_params["history"] == "mean_of_predecessors"


def test_a_rule_the_register_cannot_support_falls_back_to_the_default(
    open_page: Callable[..., AppTest], demo_db: Path
) -> None:
    at = open_page(demo_db, "reviews", history="population_weighted", kind="commune", period="final")
    assert at.selectbox(key="w-history").value == "mean_of_predecessors"
    cards = {m.label: m.value for m in at.metric}
    assert cards[t("reviews.reconstructed", "vi")] != "0"
    at = open_page(demo_db, "reviews", history="none", kind="commune", period="final")
    cards = {m.label: m.value for m in at.metric}
    assert cards[t("reviews.reconstructed", "vi")] == "0"


def test_a_new_communes_projection_chart_dashes_its_rebuilt_years_and_states_the_rule(demo_db: Path) -> None:
    b = published.read(Published(demo_db))
    history = profile.unit_history(b, NEW_COMMUNE, "mean_of_predecessors")
    legend = histories.legend("mean_of_predecessors", "vi")
    assert legend == "tái dựng từ các đơn vị cũ (bình quân)"
    note = histories.chart_note(history, "mean_of_predecessors", True, "vi")
    frame = figures.Frame("t", "s", "src", "vi", note)
    names = {"band": "b", "projection": "p", "score": "Điểm", "target": "m", "reconstructed": legend}
    fig = figures.projection(history, None, pl.DataFrame(schema={"year": pl.Int64, "score": pl.Float64}), frame, names)
    (rebuilt,) = _rebuilt_traces(fig, legend)
    assert rebuilt.line.dash == "dash"
    own = next(tr for tr in fig.data if tr.name == "Điểm")
    assert own.line.dash is None  # solid
    # the dashed trace holds the rebuilt years and joins the first own year
    rebuilt_years = history.filter(pl.col("reconstructed"))["year"].to_list()
    first_own = history.filter(~pl.col("reconstructed"))["year"].min()
    assert list(rebuilt.x) == [*rebuilt_years, first_own] and rebuilt_years == [2021, 2022, 2023, 2024]
    assert _footnote(fig).startswith("Nét đứt") and "bình quân" in _footnote(fig)


def test_kind_medians_rebuilt_or_broken_at_the_reorganisation(demo_db: Path) -> None:
    b = published.read(Published(demo_db))
    legend = histories.legend("mean_of_predecessors", "en")
    rebuilt = histories.median_lines(b, "mean_of_predecessors")
    communes = rebuilt.filter(pl.col("kind") == "commune")
    assert communes.filter(pl.col("rebuilt"))["year"].to_list() == [2021, 2022, 2023, 2024]
    # the rebuilt 2021 median is the median of the new communes' rebuilt 2021 scores
    current = histories.current_units(b, "commune")
    from analysis import lineage as lin

    series = lin.with_history(b.scores("commune"), b.lineage, current, "mean_of_predecessors", b.units)
    assert communes.filter(pl.col("year") == 2021)["value"].item() == round(
        series.filter(pl.col("year") == 2021)["score"].median(), 2
    )
    note = histories.median_note(b, rebuilt, "mean_of_predecessors", "en")
    fig = figures.kind_lines(rebuilt, figures.Frame("t", "s", "src", "en", note), {}, rebuilt_name=legend)
    (dashed,) = _rebuilt_traces(fig, legend)
    assert dashed.line.dash == "dash" and _name(dashed) == f"commune — {legend}"
    own = next(tr for tr in fig.data if tr.name == "commune")
    assert None not in own.x  # no break when a rebuilt series is chosen
    assert "mean of the former units" in _footnote(fig)

    broken = histories.median_lines(b, "none")
    fig = figures.kind_lines(
        broken, figures.Frame("t", "s", "src", "en", histories.median_note(b, broken, "none", "en")), {}
    )
    assert not _rebuilt_traces(fig, legend)
    assert None in next(tr for tr in fig.data if tr.name == "commune").x  # the line breaks
    assert _footnote(fig).startswith("History not rebuilt")


def test_reviews_history_chart_of_the_top_units(demo_db: Path) -> None:
    b = published.read(Published(demo_db))
    lines = reviews.histories(b, "commune", 2021, 2025, "mean_of_predecessors")
    assert lines["label"].n_unique() == reviews.HISTORY_ROWS
    legend = histories.legend("mean_of_predecessors", "vi")
    note = reviews.history_note(b, "commune", 2021, 2025, "mean_of_predecessors", "vi")
    fig = figures.histories(lines, figures.Frame("t", "s", "src", "vi", note), legend)
    dashed = [tr for tr in _rebuilt_traces(fig, legend) if tr.x != (None,)]
    assert len(dashed) == reviews.HISTORY_ROWS and {tr.line.dash for tr in dashed} == {"dash"}
    (key,) = [tr for tr in fig.data if tr.name == legend]  # one legend entry for the dashes
    assert key.line.dash == "dash"
    summary = reviews.review(b, "commune", 2021, 2025)
    assert reviews.bars_note(reviews.chart_rows(summary, "vi"), "mean_of_predecessors", "vi") == f"* {legend}"
    assert "bình quân" in _footnote(fig)
    bare = reviews.histories(b, "commune", 2021, 2025, "none")
    assert not bare["reconstructed"].any() and set(bare["year"]) == {2025}
