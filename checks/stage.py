"""The fast row checks between reading and publishing.

`check_incoming` runs on each mapped table before it is written to the draft; an error refuses the whole
load. Reading already refused what is not a value (text in a score, a year outside 2021–2030, an unknown
unit); these are the rules a value must keep against the framework, named in the output like the suites of
checks/rules.yaml, which then validate the whole draft (checks/run.py).
"""

from __future__ import annotations

import polars as pl

from checks.findings import Finding
from etl.mapper import MappedTable
from etl.problems import Problem

# The database table each input table's rows go to, named in the messages.
_TABLE = {"scores": "unit_score", "task_completion": "task_completion"}


def _column(mapped: MappedTable, field: str, row: dict) -> str | None:
    label = mapped.labels.get(field, field)
    return row.get("_label") if label == "_label" else label


def _emit(
    mapped: MappedTable, bad: pl.DataFrame, code: str, field: str, limit: int = 20, **params: str
) -> list[Problem]:
    problems: list[Problem] = []
    for row in bad.head(limit).to_dicts():
        values = {k: row.get(v, v) for k, v in params.items()}
        problems.append(
            Finding(
                code,
                file=mapped.raw.file_name,
                sheet=mapped.raw.sheet,
                row=row.get("source_row"),
                column=_column(mapped, field, row),
                params=values,
                suite="incoming",
                table_name=_TABLE[mapped.spec.name],
                year=row.get("year"),
            )
        )
    if bad.height > limit:
        problems.append(
            Finding(
                "more_like_this",
                file=mapped.raw.file_name,
                sheet=mapped.raw.sheet,
                column=mapped.labels.get(field, field),
                params={"count": bad.height - limit},
                suite="incoming",
                table_name=_TABLE[mapped.spec.name],
            )
        )
    return problems


def check_incoming(mapped: MappedTable) -> list[Problem]:
    frame = mapped.frame
    problems: list[Problem] = []
    if mapped.spec.name == "scores":
        for measure in ("self_score", "appraised_score", "survey_score"):
            over = frame.filter(pl.col("max_points").is_not_null() & (pl.col(measure) > pl.col("max_points") + 1e-9))
            problems += _emit(
                mapped,
                over,
                "score_above_max",
                measure,
                value=measure,
                max="max_points",
                item="item_code",
                unit="unit_code",
            )
        survey_on_appraisal = frame.filter((pl.col("method") == "appraisal") & pl.col("survey_score").is_not_null())
        problems += _emit(
            mapped, survey_on_appraisal, "survey_not_in_framework", "survey_score", item="item_code", unit="unit_code"
        )
    if mapped.spec.name == "task_completion":
        out = frame.filter(pl.col("completion_pct") > 100)
        problems += _emit(mapped, out, "percent_above_100", "completion_pct", value="completion_pct")
    return problems
