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
from etl.problems import ROWS_SHOWN, GroupKey, Problem, group_key, grouped

# The database table each input table's rows go to, named in the messages.
_TABLE = {"scores": "unit_score", "task_completion": "task_completion"}


def _column(mapped: MappedTable, field: str, row: dict) -> str | None:
    label = mapped.labels.get(field, field)
    return row.get("_label") if label == "_label" else label


def _emit(mapped: MappedTable, bad: pl.DataFrame, code: str, field: str, **params: str) -> list[Problem]:
    """The failing rows as one message per column they fail in: the first rows named, all of them counted."""
    problems: list[Problem] = []
    totals: dict[GroupKey, int] = {}
    per_label = mapped.labels.get(field, field) == "_label" and bad.height > 0
    for part in bad.partition_by("_label", maintain_order=True) if per_label else [bad]:
        for row in part.head(ROWS_SHOWN).to_dicts():
            values = {k: row.get(v, v) for k, v in params.items()}
            finding = Finding(
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
            problems.append(finding)
            totals[group_key(finding)] = part.height
    return grouped(problems, totals)


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
