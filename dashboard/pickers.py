"""Choosing a unit among thousands: kind, then parent, then unit, each kept in the URL (dashboard/state.py).
The options come from services/units.py."""

from __future__ import annotations

from typing import Any

import streamlit as st

from dashboard import state, views
from dashboard.context import translator
from services import display, histories, units
from services.published import Base
from store.queries import Published


def pick_unit(b: Base, language: str) -> str | None:
    """Kind, then (when a kind spans several parents) the parent, then the unit: all kept in the URL."""
    say = translator("state")
    kinds = b.kinds()
    names = display.kind_names(kinds, language)
    c1, c2, c3 = st.columns([1, 1, 2])
    wanted = b.unit(state.get("unit") or "")
    kind = state.select(
        "kind",
        kinds,
        label=say("kind"),
        format_func=lambda k: names[k],
        container=c1,
        default=wanted["kind"] if wanted else None,
    )
    parent = None
    parents = units.parents(units.scored(b, kind))
    if len(parents) > 1:
        parent = state.select(
            "parent",
            list(parents),
            label=say("parent"),
            format_func=lambda p: parents[p],
            container=c2,
            default=wanted["parent_code"] if wanted else None,
        )
    label = units.labels(units.scored(b, kind, parent), language)
    return state.select("unit", list(label), label=say("unit"), format_func=lambda c: label[c], container=c3)


def pick_history(db: Published, kind: str | None, language: str, container: Any = st) -> str:
    """How a new unit's years before the reorganisation are rebuilt (?history=…): only the rules the data
    supports are offered, and a line says which are not and why."""
    offered = views.computed(db, histories.offered, kind)
    rule = state.select(
        "history",
        offered,
        label=histories.choose_label(language),
        default=histories.DEFAULT,
        format_func=lambda r: histories.label(r, language),
        container=container,
        help=histories.choose_help(language),
    )
    for line in views.computed(db, histories.not_offered, kind, language):
        container.caption(line)
    return str(rule)
