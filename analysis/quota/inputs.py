"""What a simulation reads: the published figures for a scope, as polars frames (`Inputs`). The scope (a year,
or a review period such as 2021–2025) is core.scope.Scope, shared with the report; it is importable from here.

`load(published, scope)` asks the database through store.queries (quota_*.sql); tests build `Inputs`
straight from small frames with `Inputs.of(...)`, which fills the frames they leave out with empty ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from core.scope import Scope

_SCHEMAS: dict[str, dict[str, Any]] = {
    "units": {
        "unit_code": pl.String,
        "name": pl.String,
        "kind": pl.String,
        "subkind": pl.String,
        "parent_code": pl.String,
        "valid_from": pl.Date,
        "valid_to": pl.Date,
    },
    "results": {
        "unit_code": pl.String,
        "year": pl.Int32,
        "framework_id": pl.String,
        "total": pl.Float64,
        "tier": pl.String,
        "score_stage": pl.String,
        "n_items": pl.Int64,
        "scale": pl.Float64,
    },
    "components": {
        "unit_code": pl.String,
        "year": pl.Int32,
        "component_code": pl.String,
        "points": pl.Float64,
        "max_points": pl.Float64,
        "n_items": pl.Int64,
    },
    "registrations": {"unit_code": pl.String, "year": pl.Int32, "registered_on": pl.Date, "title": pl.String},
    "tasks": {
        "unit_code": pl.String,
        "year": pl.Int32,
        "tasks_assigned": pl.Int32,
        "tasks_done": pl.Int32,
        "completion_pct": pl.Float64,
    },
    "persons": {
        "person_id": pl.String,
        "full_name": pl.String,
        "unit_code": pl.String,
        "position": pl.String,
        "year": pl.Int32,
        "title": pl.String,
        "initiative": pl.String,
    },
    "sanctions": {
        "sanction_id": pl.String,
        "subject_kind": pl.String,
        "unit_code": pl.String,
        "person_id": pl.String,
        "kind": pl.String,
        "level": pl.String,
        "start_date": pl.Date,
        "end_date": pl.Date,
        "note": pl.String,
    },
    # The record before the scope, for conditions over several years (analysis.quota.history): every unit's
    # result in the lookback years (units that no longer exist included), the lineage of merged units, the
    # awards given and the titles people held.
    "record": {
        "unit_code": pl.String,
        "name": pl.String,
        "kind": pl.String,
        "year": pl.Int32,
        "total": pl.Float64,
        "tier": pl.String,
    },
    "lineage": {
        "unit_code": pl.String,
        "predecessor_code": pl.String,
        "predecessor_name": pl.String,
        "effective_date": pl.Date,
    },
    "given": {
        "year": pl.Int32,
        "award_kind": pl.String,
        "recipient_kind": pl.String,
        "unit_code": pl.String,
        "person_id": pl.String,
        "title": pl.String,
    },
    "person_titles": {"person_id": pl.String, "year": pl.Int32, "title": pl.String},
}
# How many years before a scope the record is read: the longest condition a rule may state (model: years ≤ 10).
LOOKBACK = 10
_DEFAULTS: dict[str, dict[str, Any]] = {
    "results": {"framework_id": "F", "score_stage": "appraised", "n_items": 1, "scale": 1.0},
    "components": {"n_items": 1},
}

__all__ = ["Inputs", "Scope", "load"]


@dataclass(frozen=True)
class Inputs:
    units: pl.DataFrame
    results: pl.DataFrame
    components: pl.DataFrame
    registrations: pl.DataFrame
    tasks: pl.DataFrame
    persons: pl.DataFrame
    sanctions: pl.DataFrame
    record: pl.DataFrame
    lineage: pl.DataFrame
    given: pl.DataFrame
    person_titles: pl.DataFrame
    dataset_name: str = ""
    synthetic: bool = False

    @staticmethod
    def of(dataset_name: str = "", synthetic: bool = False, **frames: Any) -> Inputs:
        """Inputs from frames or row lists; missing frames and columns are empty / defaulted (for tests)."""
        out: dict[str, pl.DataFrame] = {}
        for name, schema in _SCHEMAS.items():
            value = frames.get(name)
            if value is None:
                out[name] = pl.DataFrame(schema=schema)
                continue
            frame = value if isinstance(value, pl.DataFrame) else pl.DataFrame(value)
            for col, dtype in schema.items():
                if col not in frame.columns:
                    default = _DEFAULTS.get(name, {}).get(col)
                    frame = frame.with_columns(pl.lit(default, dtype=dtype).alias(col))
            out[name] = frame.select([pl.col(c).cast(t) for c, t in schema.items()])
        return Inputs(dataset_name=dataset_name, synthetic=synthetic, **out)


def load(published: Any, scope: Scope) -> Inputs:
    """The published figures a simulation of scope needs (published: a store.queries.Published)."""
    years = {"first_year": scope.first, "last_year": scope.last}
    days = {"first_day": date(scope.first, 1, 1), "last_day": date(scope.last, 12, 31)}
    meta = published.query("quota_dataset").row(0, named=True)
    frames = {
        "units": published.query("quota_units", **days),
        "results": published.query("quota_results", **years),
        "components": published.query("quota_components", **years),
        "registrations": published.query("quota_registrations", **years),
        "tasks": published.query("quota_task_completion", **years),
        "persons": published.query("quota_persons", **years),
        "sanctions": published.query("quota_sanctions", **days),
        "record": published.query("quota_record", first_year=scope.first - LOOKBACK, last_year=scope.last),
        "lineage": published.query("quota_lineage"),
        "given": published.query("quota_given", first_year=scope.first - LOOKBACK, last_year=scope.last),
        "person_titles": published.query(
            "quota_person_titles", first_year=scope.first - LOOKBACK, last_year=scope.last
        ),
    }
    return Inputs.of(dataset_name=meta["dataset_name"] or "", synthetic=bool(meta["synthetic"]), **frames)
