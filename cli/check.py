"""`parboard check [--db PATH] [--json]`: run the data-quality suites on the published database.

It reads the published version (never writes it), prints a summary per suite and rule and the failing rows,
and records the run in the quality log beside the database. Exit 0 when no rule of severity error fails,
1 when one does or there is nothing to check.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from datetime import datetime
from typing import TYPE_CHECKING

from cli import exits
from core import fmt
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, t

if TYPE_CHECKING:
    from checks.run import CheckRun

# Failing rows printed per rule in the text summary (--json has every stored one).
_SHOWN_PER_RULE = 10


def _lang() -> str:
    lang = os.environ.get("PARBOARD_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lang = _lang()
    p = subparsers.add_parser("check", help=t("checks.cli.help", lang))
    p.add_argument("--db", help=t("cli.help.db", lang))
    p.add_argument("--json", action="store_true", help=t("checks.cli.help_json", lang))
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    # Imported here: building the parser for another command must not load the store, nor the checks.
    from checks.run import run_checks
    from etl.problems import shown
    from store import quality_log
    from store.check_frames import suite_frames
    from store.db import DatabaseError, connect_read_only, current_file, resolve_db_path, version_of
    from store.publish import current_user
    from store.queries import QueryError

    lang = _lang()
    db = resolve_db_path(args.db)
    file = current_file(db)
    if file is None:
        print(t("checks.cli.no_database", lang, db=str(db)))
        return 1
    started = datetime.now()
    try:
        con = connect_read_only(file)
        try:
            with suite_frames(con) as frames:
                result = run_checks(frames)
        finally:
            con.close()
    except (QueryError, OSError, DatabaseError) as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(t("checks.cli.unreadable", lang, db=shown(str(db)), detail=shown(detail)), file=sys.stderr)
        return exits.UNREADABLE
    findings = [f.record() for f in result.findings]
    summary = {
        "db": str(db),
        "version": version_of(file),
        "status": result.status,
        "errors": result.failed("error"),
        "warnings": result.failed("warning"),
        "seconds": round(result.seconds, 3),
        "results": [r.__dict__ for r in result.results],
        "findings": findings,
    }
    with contextlib.suppress(OSError):  # a read-only folder: the check still reports
        quality_log.record_run(
            db,
            {
                "kind": "check",
                "status": result.status,
                "at": started.isoformat(),
                "by": current_user(),
                "version": version_of(file),
                "files": [],
                "errors": summary["errors"],
                "warnings": summary["warnings"],
                "seconds": result.seconds,
                "results": summary["results"],
                "problems": [{**f, "file": f["file_name"], "row": f["source_row"]} for f in findings],
            },
        )
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=1, default=str))
    else:
        _print_text(summary, result, lang)
    return 1 if result.failed("error") else 0


def _print_text(summary: dict, result: CheckRun, lang: str) -> None:
    print(t("checks.cli.header", lang, db=summary["db"], version=summary["version"]))
    for r in result.results:
        if r.failed:
            key = "checks.cli.rule_failed_error" if r.severity == "error" else "checks.cli.rule_failed_warning"
            print(t(key, lang, suite=r.suite, rule=r.rule, failed=r.failed, checked=r.checked))
    shown: dict[str, int] = {}
    for f in result.findings:
        shown[f.code] = shown.get(f.code, 0) + 1
        if shown[f.code] <= _SHOWN_PER_RULE:
            print(f"  - {f.message(lang)}")
    passed = sum(1 for r in result.results if not r.failed)
    print(
        t(
            "checks.cli.summary",
            lang,
            rules=len(result.results),
            passed=passed,
            errors=summary["errors"],
            warnings=summary["warnings"],
            seconds=fmt.number(result.seconds, lang, 1),
        )
    )
    print(t(f"checks.cli.status_{result.status}", lang))
