"""The suites as data: checks/rules.yaml read once, with its symbolic bounds resolved from `settings`."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from core import yamlfile

RULES_FILE = Path(__file__).with_name("rules.yaml")
EXPECT_KINDS = ("not_null", "is_null", "between", "in_set", "regex", "unique")


@dataclass(frozen=True)
class Rule:
    suite: str
    rule: str
    severity: Literal["error", "warning"]
    expect: str  # one of EXPECT_KINDS
    column: str | None = None
    columns: tuple[str, ...] = ()
    min: float | None = None
    max: float | None = None
    values: tuple[Any, ...] = ()
    pattern: str | None = None
    params: tuple[str, ...] = ()

    @property
    def target_columns(self) -> tuple[str, ...]:
        return self.columns if self.expect == "unique" else (self.column or "",)


@dataclass(frozen=True)
class Suite:
    name: str
    sql: str  # the name of the query its frame comes from: store/sql/checks/<sql>.sql
    rules: tuple[Rule, ...]
    reads: tuple[str, ...] = ()  # the tables its frame is computed from ("load": the files of the load checked)
    whole: str | None = None  # why, when it runs, it needs the whole database
    # the tables that bear on its frame one unit-year at a time (rules.yaml: per_unit_year)
    per_unit_year: tuple[str, ...] = ()


@dataclass(frozen=True)
class Config:
    settings: dict[str, Any]
    suites: tuple[Suite, ...] = field(default_factory=tuple)

    def setting(self, name: str) -> Any:
        value: Any = self.settings
        for part in name.split("."):
            value = value[part]
        return value


def _resolve(settings: dict[str, Any], value: Any) -> Any:
    """A bound may name a setting ("years.min", "-tolerance"); numbers and lists pass through."""
    if not isinstance(value, str):
        return value
    sign, name = (-1, value[1:]) if value.startswith("-") else (1, value)
    resolved: Any = settings
    for part in name.split("."):
        resolved = resolved[part]
    return sign * resolved if sign < 0 else resolved


@cache
def load(path: Path = RULES_FILE) -> Config:
    data = yamlfile.load(path.read_text(encoding="utf-8"))
    settings = data["settings"]
    suites = []
    for name, spec in data["suites"].items():
        rules = []
        seen: set[str] = set()
        for item in spec["expectations"]:
            if item["expect"] not in EXPECT_KINDS:
                raise ValueError(f"{path.name}: {item['rule']}: unknown expect {item['expect']!r}")
            if item["rule"] in seen:
                raise ValueError(f"{path.name}: rule {item['rule']} twice in suite {name}")
            if item["severity"] not in ("error", "warning"):
                raise ValueError(f"{path.name}: {item['rule']}: severity must be error or warning")
            seen.add(item["rule"])
            values = _resolve(settings, item.get("values", ()))
            pattern = item.get("pattern")
            rules.append(
                Rule(
                    suite=name,
                    rule=item["rule"],
                    severity=item["severity"],
                    expect=item["expect"],
                    column=item.get("column"),
                    columns=tuple(item.get("columns", ())),
                    min=_resolve(settings, item.get("min")),
                    max=_resolve(settings, item.get("max")),
                    values=tuple(values),
                    pattern=settings.get(pattern, pattern) if pattern else None,
                    params=tuple(item.get("params", ())),
                )
            )
        if not spec.get("reads") or not spec.get("whole"):
            raise ValueError(f"{path.name}: suite {name} must say which tables it reads and why it needs them whole")
        per_unit_year = tuple(spec.get("per_unit_year", ()))
        if not set(per_unit_year) <= set(spec["reads"]):
            raise ValueError(f"{path.name}: suite {name}: per_unit_year names a table it does not read")
        suites.append(Suite(name, spec["sql"], tuple(rules), tuple(spec["reads"]), spec.get("whole"), per_unit_year))
    return Config(settings, tuple(suites))
