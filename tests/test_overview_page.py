"""The Overview's internal charts sit in tabs that run only when open: each tab, when open, shows its figure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
TABS_KEY = "overview-internal"


def _chart_titles(monkeypatch: pytest.MonkeyPatch, db: Path, open_tab: str | None) -> str:
    monkeypatch.setenv("PARBOARD_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["year"] = "2024"
    if open_tab is not None:
        at.session_state[TABS_KEY] = open_tab  # the reader clicked that tab
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return " ".join(json.loads(chart.proto.spec)["layout"]["title"]["text"] for chart in at.get("plotly_chart"))


def test_only_the_open_tab_runs_and_each_shows_its_chart(monkeypatch: pytest.MonkeyPatch, demo_db: Path) -> None:
    tiers, averages = t("overview.tiers_title", "vi", year=2024), t("overview.avg_title", "vi")
    first_view = _chart_titles(monkeypatch, demo_db, None)
    assert tiers in first_view and averages not in first_view
    opened = _chart_titles(monkeypatch, demo_db, averages)
    assert averages in opened and tiers not in opened
