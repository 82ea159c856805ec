"""The award engine's inputs and simulations, cached per published version beside the other shared frames:
every reader asking for the same scenario, scope and version shares one frozen result instead of recomputing it.
"""

from __future__ import annotations

import json

import streamlit as st

from analysis import quota
from dashboard.context import _published
from store.queries import Published


@st.cache_resource(max_entries=16, show_spinner=False)
def _quota_inputs(db: str, version_file: str, first: int, last: int) -> quota.Inputs:
    # A resource: the frozen inputs are shared read-only by every reader of the version, not copied per rerun.
    return quota.load_inputs(_published(db, version_file), quota.Scope(first, last))


def quota_inputs(db: Published, first: int, last: int) -> quota.Inputs:
    """The award engine's inputs (units, results, registrations, sanctions…) for a year or review period."""
    return _quota_inputs(str(db.db), str(db.file), first, last)


@st.cache_resource(max_entries=32, show_spinner=False)
def _simulation(db: str, version_file: str, scenario_json: str, first: int, last: int) -> quota.SimulationResult:
    scope = quota.Scope(first, last)
    return quota.simulate(quota.parse(json.loads(scenario_json)), _quota_inputs(db, version_file, first, last), scope)


def simulation(db: Published, scenario_json: str, scope: quota.Scope) -> quota.SimulationResult:
    """One scenario (as canonical JSON) simulated on this version, shared by every reader asking the same."""
    return _simulation(str(db.db), str(db.file), scenario_json, scope.first, scope.last)
