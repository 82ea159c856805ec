"""What the Quota simulation page and `parboard simulate` share beyond the engine: the scenarios they can run
(the shipped presets and those saved beside the database), a result compared with others, the robustness run
from the form's values, saving a scenario exactly as it will be read back, and the words of a refusal.

Streamlit-free: the page lays these out, the tests call them directly.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl

from access.policy import Principal
from analysis import quota
from analysis.quota import cost as list_cost
from analysis.quota import cost_words, explain, presets
from analysis.quota.form import field_of, scenario_from_form
from analysis.quota.model import pick
from analysis.quota.select import AWARDED
from core import fmt
from core.i18n import Translator
from services import scenario_actions
from store.scenarios import SavedScenario, ScenarioStore, ScenarioStoreError, folder

PRESET = "preset"
SAVED = "saved"
# A robustness chart draws at most this many bars: beyond (a national list), the units nearest the cut.
ROBUST_BARS = 40


# --------------------------------------------------------------------------- the scenarios to run


def saved(db: Path) -> list[SavedScenario]:
    """The scenarios saved beside the database, by name."""
    return ScenarioStore(db).list()


def saved_folder(db: Path) -> Path:
    """Where the scenarios are saved: a folder beside the database, never inside it."""
    return folder(db)


def saved_scenario(db: Path, name: str) -> dict[str, Any]:
    """The scenario dict saved under name (ScenarioStoreError not_found when there is none)."""
    return ScenarioStore(db).get(name).scenario


def scenario_key(data: dict[str, Any]) -> str:
    """The scenario as canonical JSON: the same scenario, however its dict was built, gives the same key (the
    cache key of its simulation)."""
    return json.dumps(data, sort_keys=True, ensure_ascii=False, default=str)


def from_form(values: dict[str, Any]) -> tuple[dict[str, Any], list[quota.FieldError]]:
    """The scenario dict of the one-rule form's values and what is wrong with it (nothing: it may be run)."""
    data = scenario_from_form(values)
    return data, quota.validate(data)


# --------------------------------------------------------------------------- the list at a glance


def headline(result: quota.SimulationResult, lang: str) -> str:
    """The proposed list in one line: who gets which award, counted, and the cost of the list (said to be
    incomplete when an amount is missing). result: priced with the reader's settings."""
    counts = explain.proposed_counts(result, lang)
    if not result.rules:
        return counts
    cost = list_cost.cost(result)
    return Translator("quota", lang)(
        "page.list_line",
        counts=counts,
        label=cost_words.total_label(cost, lang),
        total=cost_words.total_text(cost, lang),
    )


# --------------------------------------------------------------------------- comparing scenarios


def option(kind: str, name: str) -> str:
    """A scenario to compare with, as one string: 'preset:<name>' or 'saved:<name>'."""
    return f"{kind}:{name}"


def compare_options(db: Path, shown: str = "") -> list[str]:
    """Every preset and saved scenario, except the one shown (its preset or saved name)."""
    options = [option(PRESET, n) for n in presets.names()] + [option(SAVED, s.name) for s in saved(db)]
    return [o for o in options if o.split(":", 1)[1] != shown]


def option_name(choice: str, lang: str) -> str:
    """A preset's title in the reader's language, a saved scenario's name as saved."""
    kind, _, name = choice.partition(":")
    return pick(presets.load(name).name, lang) if kind == PRESET else name


def option_scenario(db: Path, choice: str) -> quota.Scenario:
    kind, _, name = choice.partition(":")
    return presets.load(name) if kind == PRESET else quota.parse(saved_scenario(db, name))


def changes(results: list[quota.SimulationResult]) -> quota.Comparison:
    """results[0] against the others, keeping only the units and people whose outcome differs in some scenario."""
    cmp = quota.compare(results)
    changed = cmp.frame.filter(pl.any_horizontal(pl.col(f"s{k}_change") != "same" for k in range(1, len(results))))
    return quota.Comparison(cmp.results, changed)


@dataclass(frozen=True)
class Compared:
    """The changed rows of a comparison and a heading per scenario, the one shown first."""

    comparison: quota.Comparison
    labels: list[str]

    @property
    def changed(self) -> bool:
        return self.comparison.frame.height > 0

    def table(self, lang: str) -> pl.DataFrame:
        return explain.comparison_table(self.comparison, self.labels, lang)


def award_forms(lang: str) -> dict[str, str]:
    """The award forms the table of reward amounts prices, id → name in lang, for a form to choose from."""
    return {f.id: pick(f.name, lang) for f in list_cost.load_amounts().forms.values()}


def cost_differences(compared: Compared, lang: str) -> list[str]:
    """For each scenario compared, its cost against the first's (the one shown), in one sentence each. Every
    list is priced with the shown scenario's decision date and filled-in multipliers: the same law on the
    same day, so that the difference is the lists'."""
    settings = compared.comparison.results[0].scenario.cost
    costs = [list_cost.cost(r, settings=settings) for r in compared.comparison.results]
    return [cost_words.difference(costs[0], c, compared.labels[0], lang) for c in costs[1:]]


def compare_with(
    db: Path, result: quota.SimulationResult, inputs: quota.Inputs, choices: list[str], label: str, lang: str
) -> Compared:
    """The result shown against each chosen scenario, simulated on the same inputs and scope."""
    others = [quota.simulate(option_scenario(db, c), inputs, result.scope) for c in choices]
    labels = [pick(result.scenario.name, lang) or label, *[option_name(c, lang) for c in choices]]
    return Compared(changes([result, *others]), labels)


# --------------------------------------------------------------------------- robustness


def robustness(
    result: quota.SimulationResult,
    inputs: quota.Inputs,
    *,
    noise_kind: str,
    criterion_sd: float,
    rounding_step: float,
    total_sd: float,
    draws: int,
) -> quota.RobustnessResult:
    """The Monte Carlo run the form asks for: noise on each criterion, or on the total (noise_kind 'total'),
    with the scenario's seed so the same form gives the same answer."""
    noise = quota.Noise(
        criterion_sd=criterion_sd,
        rounding_step=rounding_step,
        total_sd=total_sd if noise_kind == "total" else None,
        draws=int(draws),
        seed=result.scenario.robustness.seed,
    )
    return quota.robustness(result, inputs, noise)


def robustness_key(scenario_key: str, scope: quota.Scope, version: int, noise: dict[str, Any]) -> str:
    """What a robustness run is kept in the reader's session under: the scenario, the year or period, the
    published version and the noise asked for. Any of them changing makes it another run."""
    return json.dumps([scenario_key, scope.first, scope.last, version, noise], sort_keys=True, default=str)


@dataclass(frozen=True)
class RobustChart:
    """One rule's bars: frame (label, probability in %, on_list, text), highest first; shown of total."""

    rule: str
    frame: pl.DataFrame
    total: int

    @property
    def shown(self) -> int:
        return self.frame.height


def robustness_charts(
    rob: quota.RobustnessResult, result: quota.SimulationResult, lang: str, limit: int = ROBUST_BARS
) -> list[RobustChart]:
    """Per rule, each candidate's probability of being awarded and whether the list shown proposes them. Past
    `limit`, the candidates nearest the cut: probability nearest 50 %, then measure nearest the group's last
    one proposed; the table keeps everyone."""
    groups = {(r.rule.id, g.group.id): pick(g.group.name, lang) for r in result.rules for g in r.groups}
    on = pl.col("status").is_in(AWARDED)
    out = []
    for rr in result.rules:
        rows = rob.frame.filter(pl.col("rule_id") == rr.rule.id)
        if rows.is_empty():
            continue
        cut = pl.when(on).then(pl.col("measure")).otherwise(None).min().over("group_id")
        cut = pl.coalesce(cut, pl.col("measure").max().over("group_id"))
        rows = rows.with_columns(
            on.alias("on_list"),
            (pl.col("probability") - 0.5).abs().alias("_near"),
            (pl.col("measure") - cut).abs().fill_null(0.0).alias("_gap"),
            pl.col("group_id")
            .replace_strict({g: n for (r, g), n in groups.items() if r == rr.rule.id}, default="")
            .alias("_group"),
        )
        total = rows.height
        if total > limit:
            rows = rows.sort("_near", "_gap").head(limit)
        rows = rows.sort(["probability", "measure"], descending=True, nulls_last=True)
        # a name twice: its group tells them apart when their groups differ, else a number does
        label = pl.col("name").cast(pl.String)
        by_group = label.is_duplicated() & ~pl.struct(label, pl.col("_group")).is_duplicated()
        rows = rows.with_columns(
            pl.when(by_group).then(pl.format("{} — {}", label, pl.col("_group"))).otherwise(label).alias("label")
        )
        rows = rows.with_columns(
            pl.when(pl.col("label").is_duplicated())
            .then(pl.format("{} ({})", pl.col("label"), pl.int_range(1, pl.len() + 1).over("label")))
            .otherwise(pl.col("label"))
            .alias("label")
        )
        frame = rows.select(
            "label",
            (pl.col("probability") * 100).alias("probability"),
            "on_list",
            pl.col("probability")
            .map_elements(lambda p: fmt.percent(p * 100, lang, 1), return_dtype=pl.String)
            .alias("text"),
        )
        out.append(RobustChart(pick(rr.rule.name, lang), frame, total))
    return out


# --------------------------------------------------------------------------- saving


def storable(data: dict[str, Any], name: str) -> dict[str, Any]:
    """The scenario as it is written and read back: named (the form's name, else its own), validated
    (ScenarioError) and through JSON, so dates become the text a saved file holds."""
    stored = dict(data, name=name or data.get("name"))
    quota.parse(stored)
    return json.loads(json.dumps(stored, default=str))


def save(
    db: Path, who: Principal | None, data: dict[str, Any], name: str, author: str = "", overwrite: bool = False
) -> SavedScenario:
    """Validate, then save on who's behalf (Denied, ScenarioStoreError, ScenarioError: nothing written)."""
    return scenario_actions.save(db, who, name, storable(data, name), author, overwrite)


# --------------------------------------------------------------------------- the words of a refusal


def field_error(e: quota.FieldError, lang: str) -> str:
    """'rules[0].groups[1].quota.percent: <what is wrong>'"""
    return f"{e.path}: {Translator('quota.validation', lang)(e.code, **e.params)}"


def form_error(e: quota.FieldError, lang: str) -> str:
    """The error next to the form field it belongs to: '**Nhóm 2 › Tỷ lệ (%)**: <what is wrong>'."""
    say = Translator("quota", lang)
    group, name = field_of(e)
    label = say(f"field.{name}") if say.has(f"field.{name}") else e.path
    where = f"{say('page.group_n', n=group)} › {label}" if group else label
    return f"- **{where}**: {say('validation.' + e.code, **e.params)}"


def store_error(exc: ScenarioStoreError | quota.ScenarioError, lang: str) -> str:
    """Why a scenario was not saved, duplicated or deleted."""
    say = Translator("quota", lang)
    if isinstance(exc, ScenarioStoreError):
        detail = say(f"store.{exc.code}", name=exc.name)
    else:
        detail = "; ".join(field_error(e, lang) for e in exc.errors)
    return say("page.store_error", detail=detail)
