"""Choosing a unit among thousands: kind, then parent, then unit, each kept in the URL (dashboard/state.py)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import display, state, views
from dashboard.context import txt


def pick_unit(b: views.Base, language: str) -> str | None:
    """Kind, then (when a kind spans several parents) the parent, then the unit: all kept in the URL."""
    kinds = b.kinds()
    names = {k: display.kind_name(k, language) for k in kinds}
    c1, c2, c3 = st.columns([1, 1, 2])
    wanted = b.unit(state.get("unit") or "")
    kind = state.select(
        "kind",
        kinds,
        label=txt("state.kind"),
        format_func=lambda k: names[k],
        container=c1,
        default=wanted["kind"] if wanted else None,
    )
    scored = set(b.results.filter(pl.col("kind") == kind)["unit_code"].to_list())
    units = b.units.filter(pl.col("unit_code").is_in(list(scored)))
    parents = dict(units.select("parent_code", "parent_name").unique().drop_nulls().iter_rows())
    if len(parents) > 1:
        order = sorted(parents, key=lambda p: parents[p])
        parent = state.select(
            "parent",
            order,
            label=txt("state.parent"),
            format_func=lambda p: parents[p],
            container=c2,
            default=wanted["parent_code"] if wanted else None,
        )
        units = units.filter(pl.col("parent_code") == parent)
    units = units.sort("name", "unit_code")
    label = {
        r["unit_code"]: r["name"] + (f" ({txt('profile.ended')})" if r["valid_to"] else "")
        for r in units.iter_rows(named=True)
    }
    return state.select("unit", list(label), label=txt("state.unit"), format_func=lambda c: label[c], container=c3)
