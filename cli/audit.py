"""`parboard audit [--limit N] [--json]`: the audit trail, newest first (access/audit.py).

One line per event: when, who (with role and how they signed in), what, the outcome and its target; --json
prints the events as recorded, one JSON object a line, for other tools.
"""

from __future__ import annotations

import argparse
import json
import os

from access import audit
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, catalog, t


def _lang() -> str:
    lang = os.environ.get("PARBOARD_LANG", DEFAULT_LANGUAGE)
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


def _word(section: str, code: object, lang: str) -> str:
    """A catalog word for a code, or the code itself for one recorded by a newer version."""
    key = f"access.{section}.{code}"
    return t(key, lang) if key in catalog(lang) else str(code or "—")


def run(args: argparse.Namespace) -> int:
    from store.db import resolve_db_path  # here, not at the top: it loads DuckDB; the trail is a text file

    lang = _lang()
    db = resolve_db_path(args.db)
    events = audit.read(db, limit=max(1, args.limit))
    if args.json:
        for event in events:
            print(json.dumps(event, ensure_ascii=False))
        return 0
    path = audit.trail_path(db)
    if not events:
        print(t("access.cli.audit_empty", lang, file=str(path)))
        return 0
    print(t("access.cli.audit_header", lang, file=str(path), count=len(events)))
    for event in events:
        details = event.get("details") or {}
        target = str(event.get("target") or "")
        extra = ", ".join(f"{k}={v}" for k, v in details.items()) if isinstance(details, dict) else str(details)
        print(
            t(
                "access.cli.audit_row",
                lang,
                at=event.get("at", "?"),
                who=event.get("who") or t("access.cli.anonymous", lang),
                role=event.get("role") or "—",
                via=event.get("via") or "—",
                event=_word("event", event.get("action"), lang),
                outcome=_word("outcome", event.get("outcome"), lang),
                target=f"{target} ({extra})" if extra else target,
            )
        )
    return 0


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lang = _lang()
    p = sub.add_parser("audit", help=t("access.cli.help_audit", lang), description=t("access.cli.help_audit", lang))
    p.add_argument("--db", help=t("cli.help.db", lang))
    p.add_argument("--limit", type=int, default=50, help=t("access.cli.help_limit", lang))
    p.add_argument("--json", action="store_true", help=t("access.cli.help_json", lang))
    p.set_defaults(func=run)
