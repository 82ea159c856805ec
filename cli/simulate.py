"""`parboard simulate`: the award lists a preset or saved scenario gives for a year or a review period,
printed with the rule that produced each list, the first left out, the ties and the exclusions; optionally
written as a proposal annex (.xlsx) or CSV, and with the robustness simulation.

Exit codes: 0 done, 1 refused (no database, unknown scenario, invalid scenario), 2 wrong usage.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from core import fmt
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator
from core.paths import RULES

if TYPE_CHECKING:
    from analysis import quota

# The quota engine, the store and polars are imported when the command runs, not when the parser is
# built: every other command (and --help) would pay their start-up otherwise.

EXCLUDED_SHOWN = 10  # per group in the terminal; the export and the page list them all


def _lang() -> str:
    lang = os.environ.get("PARBOARD_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def preset_names() -> list[str]:
    """The presets analysis.quota.presets.names() lists, read without importing the engine (polars)."""
    return sorted(p.stem for p in (RULES / "quota").glob("*.yaml") if not p.stem.startswith("_"))


def _scope(text: str) -> quota.Scope:
    from analysis import quota

    try:
        return quota.Scope.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(Translator("quota.cli", _lang())("bad_period", value=text)) from exc


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    say = Translator("quota.cli", _lang())
    p = subparsers.add_parser("simulate", help=say("help"))
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--preset", choices=preset_names(), metavar="NAME", help=say("help_preset", names=", ".join(preset_names()))
    )
    which.add_argument("--scenario", metavar="NAME", help=say("help_scenario"))
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--year", type=int, help=say("help_year"))
    when.add_argument("--period", type=_scope, help=say("help_period"))
    p.add_argument("--db", help=say.area_of("cli")("help.db"))
    p.add_argument("--out", metavar="FILE", help=say("help_out"))
    p.add_argument("--noise", type=float, metavar="SD", help=say("help_noise"))
    p.set_defaults(func=run)


def _print_group(g: quota.GroupResult, say: Translator) -> None:
    from analysis.quota import explain
    from analysis.quota.model import pick

    lang = say.lang
    print()
    print(
        f"## {pick(g.rule.name, lang)} — {pick(g.group.name, lang)}: "
        f"{explain.quota_text(g.group, lang, g.quota, g.rule.recipient)}"
    )
    print(f"  {explain.base_statement(g, lang)}")
    for n in g.notices:
        print(f"  ! {explain.notice(n, lang)}")
    if g.eligible:
        print(say("awarded", count=g.awarded.height))
        _table(explain.awarded_table(g, lang), say)
        if g.left_out.height:
            print(say("left_out"))
            _table(explain.left_out_table(g, lang), say)
    excluded = explain.excluded_table(g, lang)
    print(say("excluded", count=g.excluded["id"].n_unique() if g.excluded.height else 0))
    if excluded.height:
        _table(excluded.head(EXCLUDED_SHOWN), say)
        if excluded.height > EXCLUDED_SHOWN:
            print(say("excluded_more", count=excluded.height - EXCLUDED_SHOWN))


def _table(frame: object, say: Translator) -> None:
    import polars as pl

    assert isinstance(frame, pl.DataFrame)
    if frame.height == 0:
        print("  " + say("none"))
        return
    widths = [max(len(str(c)), *(len(str(v)) for v in frame[c].to_list())) for c in frame.columns]
    widths = [min(w, 60) for w in widths]
    print("  " + " | ".join(str(c).ljust(w) for c, w in zip(frame.columns, widths, strict=True)))
    for row in frame.iter_rows():
        print(
            "  " + " | ".join(str(v if v is not None else "–")[:60].ljust(w) for v, w in zip(row, widths, strict=True))
        )


def _print_fairness(result: quota.SimulationResult, inputs: quota.Inputs, lang: str) -> list[str]:
    """Who the individuals' awards go to, printed under the lists; the lines, for the annex."""
    from services import quota_fairness

    lines = quota_fairness.lines(result, inputs, lang)
    if lines:
        print()
        print("\n".join([f"# {lines[0]}", *lines[1:]]))
    return lines


def run(args: argparse.Namespace) -> int:
    from analysis import quota
    from analysis.quota import explain, presets
    from analysis.quota.model import pick
    from services import quota as quota_service
    from store.db import resolve_db_path
    from store.queries import Published
    from store.scenarios import ScenarioStoreError

    say = Translator("quota.cli", _lang())
    lang = say.lang
    db = resolve_db_path(args.db)
    if args.out and Path(args.out).suffix.lower() not in (".xlsx", ".csv"):
        print(say("bad_out", path=args.out))
        return 2
    published = Published(db)
    if not published.exists:
        print(say("no_database", db=str(db)))
        return 1
    if args.preset:
        scenario = presets.load(args.preset)
    else:
        try:
            scenario = quota.parse(quota_service.saved_scenario(db, args.scenario))
        except ScenarioStoreError:
            print(say("unknown_scenario", name=args.scenario))
            return 1
        except quota.ScenarioError as exc:
            print(say("invalid"))
            for e in exc.errors:
                print(f"  - {quota_service.field_error(e, lang)}")
            return 1
    # parse, not Scope.year: a plan older than the programme (an-bien-2020) is simulated for its own year
    scope = quota.Scope.parse(str(args.year)) if args.year is not None else args.period
    inputs = quota.load_inputs(published, scope)
    result = quota.simulate(scenario, inputs, scope)

    print(say("header", scenario=pick(scenario.name, lang), scope=explain.scope_label(result, lang)))
    if result.dataset_name:
        print(say("dataset", name=result.dataset_name))
    if result.synthetic:
        print(say("synthetic"))
    for n in result.notices:
        print(f"! {explain.notice(n, lang)}")
    for rr in result.rules:
        print()
        print("# " + "\n  ".join(explain.statement(scenario, rr.rule, lang, rr.groups)))
        for n in rr.notices:
            print(f"! {explain.notice(n, lang)}")
        for g in rr.groups:
            _print_group(g, say)
    fairness = _print_fairness(result, inputs, lang)
    if args.noise is not None and result.rules:
        noise = quota.Noise(
            criterion_sd=args.noise,
            rounding_step=scenario.robustness.rounding_step,
            draws=scenario.robustness.draws,
            seed=scenario.robustness.seed,
        )
        rob = quota.robustness(result, inputs, noise)
        print()
        print(
            say(
                "robust",
                draws=noise.draws,
                noise=say(
                    "noise_criterion", sd=fmt.number(args.noise, lang), step=fmt.number(noise.rounding_step, lang)
                ),
                **rob.summary(),
            )
        )
        _table(explain.robustness_table(rob, result, lang).filter(rob.frame["verdict"] == "coin_flip").head(20), say)
    if args.out:
        from exports import award_annex
        from store.council import read_settings

        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        data = (
            award_annex.to_xlsx(result, lang, published.version, fairness=fairness, settings=read_settings(db))
            if out.suffix.lower() == ".xlsx"
            else award_annex.to_csv(result, lang)
        )
        out.write_bytes(data)
        print()
        print(say("written", path=str(out)))
    return 0
