"""What a benchmark reports: samples of one figure, its budget, and the reference measured beside it.

Every benchmark module has a `measure(...)` that returns `Figure`s; `python -m bench` runs them all, prints
one table and writes it as JSON so that two runs can be compared.
"""

from __future__ import annotations

import json
import math
import statistics
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class Figure:
    group: str  # the budget's line in bench/README.md: load, checks, pages, browser, quota, memory, exports, inputs
    what: str
    unit: str  # "s", "ms" or "MB"
    samples: list[float]
    budget: float | None = None  # the most the statistic below may be
    stat: str = "median"  # which statistic the budget bounds: median or p95
    reference: list[float] = field(default_factory=list)
    reference_what: str = ""
    ratio_budget: float | None = None  # the most median / reference median may be

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(0.95 * len(ordered)) - 1))]

    @property
    def ratio(self) -> float | None:
        if not self.reference:
            return None
        return self.median / statistics.median(self.reference)

    @property
    def verdict(self) -> str:
        if self.budget is None and self.ratio_budget is None:
            return ""
        ok = self.budget is None or getattr(self, self.stat) <= self.budget
        ratio = self.ratio
        if self.ratio_budget is not None and ratio is not None:
            ok = ok and ratio <= self.ratio_budget
        return "ok" if ok else "OVER"

    def as_dict(self) -> dict:
        return {
            **asdict(self),
            "median": self.median,
            "min": min(self.samples),
            "max": max(self.samples),
            "p95": self.p95,
            "ratio": self.ratio,
            "verdict": self.verdict,
        }


def _num(value: float | None, unit: str) -> str:
    if value is None:
        return ""
    if unit == "ms" or unit == "MB":
        return f"{value:,.0f}"
    return f"{value:.2f}" if value < 100 else f"{value:,.0f}"


def table(figures: list[Figure]) -> str:
    """A Markdown table: it reads in a terminal and pastes into bench/README.md as it is."""
    lines = [
        "| what | unit | median | p95 | min | max | n | budget | reference (median) | ratio | verdict |",
        "|---|---|---:|---:|---:|---:|---:|---|---|---:|---|",
    ]
    for f in figures:
        budget = ""
        if f.budget is not None:
            budget = f"{f.stat} ≤ {_num(f.budget, f.unit)}"
        if f.ratio_budget is not None:
            budget += f"{'; ' if budget else ''}ratio ≤ {f.ratio_budget:g}×"
        reference = ""
        if f.reference:
            reference = f"{f.reference_what}: {_num(statistics.median(f.reference), f.unit)}"
        ratio = f"{f.ratio:.2f}×" if f.ratio is not None else ""
        lines.append(
            f"| {f.what} | {f.unit} | {_num(f.median, f.unit)} | {_num(f.p95, f.unit)} | "
            f"{_num(min(f.samples), f.unit)} | {_num(max(f.samples), f.unit)} | {len(f.samples)} | {budget} | "
            f"{reference} | {ratio} | {f.verdict} |"
        )
    return "\n".join(lines)


def write_json(figures: list[Figure], path: Path, machine: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps({"machine": machine, "figures": [f.as_dict() for f in figures]}, ensure_ascii=False, indent=1),
        encoding="utf-8",
    )


def compare(old_path: Path, figures: list[Figure]) -> str:
    """This run's medians beside an earlier run's, figure by figure (matched on group and what)."""
    old = {(f["group"], f["what"]): f for f in json.loads(old_path.read_text(encoding="utf-8"))["figures"]}
    lines = ["| what | unit | before | now | now / before |", "|---|---|---:|---:|---:|"]
    for f in figures:
        before = old.get((f.group, f.what))
        if before is None:
            continue
        change = f.median / before["median"] if before["median"] else math.nan
        lines.append(
            f"| {f.what} | {f.unit} | {_num(before['median'], f.unit)} | {_num(f.median, f.unit)} | {change:.2f}× |"
        )
    return "\n".join(lines)
