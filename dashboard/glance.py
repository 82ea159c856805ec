"""The Overview's one glance: per unit kind its mean against last year, tiers, best and worst, biggest riser and
faller, each a link to the unit's profile or the ranking behind it; and the one line of open warnings.
The figures: services/overview.py (KindGlance)."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from core.i18n import DEFAULT_LANGUAGE
from dashboard.context import translator
from dashboard.text import plain
from services.overview import KindGlance, Standing

_PROFILE, _RANKINGS, _QUALITY = "screens/profile.py", "screens/rankings.py", "screens/quality.py"


def _params(lang: str, **params: str) -> dict[str, str]:
    return {**params, **({"lang": lang} if lang != DEFAULT_LANGUAGE else {})}


def warnings_line(count: int, lang: str) -> None:
    """The province's own open data-quality warnings of the year: how many, and the page listing them."""
    say = translator("overview")
    if count == 0:
        st.success(say("warnings_none"), icon=":material/verified:")
        return
    st.page_link(
        _QUALITY,
        label=say("warnings_some", count=count),
        icon=":material/report:",
        query_params=_params(lang),
    )


def _unit_link(role: str, unit: Standing, kind: str, lang: str) -> None:
    say = translator("overview")
    change = say("glance_change", change=unit.change) if unit.change else ""
    st.page_link(
        _PROFILE,
        label=say(f"glance_{role}", name=plain(unit.name), score=unit.score, change=change),
        query_params=_params(lang, kind=kind, unit=unit.code),
    )


def kinds(lines: Sequence[KindGlance], year: int, lang: str) -> None:
    """One bordered box per kind, side by side on a wide screen, one under the other on a phone."""
    say = translator("overview")
    if not lines:
        st.caption(say("no_internal_year", year=year))
        return
    for column, g in zip(st.columns(len(lines)), lines, strict=True):
        with column, st.container(border=True, height="stretch"):
            # Streamlit colours a metric's delta by a leading ASCII minus
            st.metric(
                say("glance_mean", kind=g.name, units=g.units),
                g.mean,
                delta=g.delta.replace("−", "-") if g.delta[:1] in "+−" else None,
                delta_description=say("glance_vs_previous", previous=year - 1),
            )
            st.caption(" · ".join(f"{plain(name)} **{count}**" for name, count in g.tiers))
            _unit_link("best", g.best, g.kind, lang)
            _unit_link("worst", g.worst, g.kind, lang)
            if g.riser:
                _unit_link("riser", g.riser, g.kind, lang)
            if g.faller:
                _unit_link("faller", g.faller, g.kind, lang)
            st.page_link(
                _RANKINGS,
                label=say("glance_ranking", kind=g.name, year=year),
                icon=":material/leaderboard:",
                query_params=_params(lang, kind=g.kind, year=str(year)),
            )
