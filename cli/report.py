"""`parboard report --year Y | --period 2021-2025 [--out FILE]`: the Word draft and the .zip pack.

Exit codes as the other commands: 0 written, 1 refused (no database, charts could not be drawn, file not
writable), 2 wrong usage (a year or period the movement does not have).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from core import fmt
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t


def _lang() -> str:
    lang = os.environ.get("PARBOARD_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lang = _lang()
    p = sub.add_parser("report", help=t("report.cli.help", lang))
    p.add_argument("--db", help=t("cli.help.db", lang))
    when = p.add_mutually_exclusive_group(required=True)
    when.add_argument("--year", type=int, help=t("report.cli.help_year", lang))
    when.add_argument("--period", help=t("report.cli.help_period", lang))
    p.add_argument("--out", help=t("report.cli.help_out", lang))
    p.add_argument("--scenario", help=t("report.cli.help_scenario", lang))
    p.set_defaults(func=run)


def _size(n: int, lang: str) -> str:
    return f"{fmt.number(n / 1024, lang, 0)} KB" if n < 1024 * 1024 else f"{fmt.number(n / 1048576, lang, 1)} MB"


def run(args: argparse.Namespace) -> int:
    from exports.charts import ChartExportError
    from exports.report import Scope, ScopeError, build
    from store.db import resolve_db_path
    from store.queries import Published

    lang = _lang()
    try:
        scope = Scope.year(args.year) if args.year is not None else Scope.parse_period(args.period)
    except ScopeError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 2
    from analysis.quota import presets

    if args.scenario is not None and args.scenario not in presets.names():
        print(
            t("report.errors.scenario", lang, scenario=args.scenario, known=", ".join(presets.names())), file=sys.stderr
        )
        return 2
    db = Published(resolve_db_path(args.db))
    if not db.exists:
        print(t("report.errors.no_database", lang, db=str(db.db)), file=sys.stderr)
        return 1

    def progress(share: float, text: str) -> None:
        print(f"[{share * 100:3.0f}%] {text}", file=sys.stderr, flush=True)

    start = time.perf_counter()
    try:
        files = build(db, scope, lang, progress, scenario=args.scenario)
    except ChartExportError as exc:
        print(exc.message(lang), file=sys.stderr)
        return 1
    docx_path = Path(args.out) if args.out else Path(files.docx_name)
    if docx_path.suffix.lower() != ".docx":
        docx_path = docx_path.with_name(docx_path.name + ".docx")
    zip_path = docx_path.with_suffix(".zip")
    for path, data in ((docx_path, files.docx), (zip_path, files.zip)):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        except OSError as exc:
            print(t("report.errors.write", lang, path=str(path), detail=exc.strerror or exc), file=sys.stderr)
            return 1
        print(t("report.cli.written", lang, path=str(path), size=_size(len(data), lang)))
    print(t("report.cli.seconds", lang, seconds=fmt.number(time.perf_counter() - start, lang, 1)))
    return 0
