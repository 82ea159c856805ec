"""The `parboard` command: demo, init, load, status, serve, user, audit (and the commands registered below).

Messages come from locales/<lang>/cli.toml; problems with input are printed in Vietnamese and English.
Exit codes: 0 done (or nothing to change), 1 refused, 2 wrong usage.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
import time
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from access.mode import DEFAULT_HEADER, DEFAULT_MODE, MODES
from cli import exits
from core import fmt
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES, Translator, t
from etl.problems import InputError, Problem, shown

if TYPE_CHECKING:
    from services.load import LoadReport

# The load pipeline, the store, polars and DuckDB are imported inside the commands that use them: building
# the parser (every command, --help) must stay cheap, and a command that only reads never pays for the
# load's imports (Great Expectations among them).

LANG = os.environ.get("PARBOARD_LANG", DEFAULT_LANGUAGE)
# The command's words, in the language main() reads from the environment at each call.
say = Translator("cli", LANG)
say_access = say.area_of("access.cli")


def _print_problems(problems: list[Problem], header: str) -> None:
    if not problems:
        return
    print(say(header, count=len(problems)))
    for p in problems:
        print(f"  - {p.both()}" if LANG == "vi" else f"  - {p.message('en')}")


def _print_report(report: LoadReport, seconds: float) -> int:
    for f in report.files:
        where = f"{f.file_name} › {f.sheet}" if f.sheet else f.file_name
        table = say(f"table.{f.table}")
        if f.table == "scores":  # only a score sheet's layout tells the reader something (a column per criterion)
            layout = t(f"imports.page.layout_{f.layout}", LANG)
            print(say("file_read", where=where, table=table, layout=layout, rows=f.rows))
        else:
            print(say("file_read_plain", where=where, table=table, rows=f.rows))
    notes = [p for p in report.notes if p.severity == "warning"]
    infos = [p for p in report.notes if p.severity == "info"]
    _print_problems(notes, "warnings")
    _print_problems(infos, "notes")
    if report.status == "refused":
        _print_problems(report.errors, "refused")
        print(say("unchanged_db"))
        return 1
    if report.status == "unchanged":
        print(say("nothing_changed"))
        return 0
    c = report.counts
    print(
        say(
            "published",
            version=report.version,
            new=c.new,
            changed=c.changed,
            unchanged=c.unchanged,
            removed=c.removed,
            seconds=fmt.number(seconds, LANG, 1),
        )
    )
    return 0


def _audit_load(db: Path, command: str, files: list[Path], report: LoadReport | None = None, reason: str = "") -> None:
    """Record a load run from the command line as publish_load by the OS account: done when it published or
    found nothing to change, refused otherwise (the database is then unchanged)."""
    from access import audit
    from access.policy import os_principal

    target = ", ".join(Path(f).name for f in files)
    if report is None:
        audit.record(db, os_principal(), "publish_load", audit.REFUSED, target, command=command, reason=reason)
        return
    outcome = audit.DONE if report.status in ("published", "unchanged") else audit.REFUSED
    c = report.counts
    details: dict[str, object] = {
        "command": command,
        "status": report.status,
        "version": report.version,
        "new": c.new,
        "changed": c.changed,
        "unchanged": c.unchanged,
        "removed": c.removed,
    }
    if report.errors:
        details["problems"] = sorted({p.code for p in report.errors})
    audit.record(db, os_principal(), "publish_load", outcome, target, **details)


def _progress(name: str) -> None:
    print(say("progress", name=name), file=sys.stderr, flush=True)


def cmd_load(args: argparse.Namespace) -> int:
    from etl.mapping import Mapping, read_mapping
    from etl.source import path_problem
    from services.load import load_files
    from store.db import resolve_db_path

    db = resolve_db_path(args.db)
    try:
        mapping = read_mapping(Path(args.mapping)) if args.mapping else Mapping()
    except InputError as exc:
        _print_problems(exc.problems, "refused")
        _audit_load(db, "load", [Path(f) for f in args.files], reason="mapping")
        return 1
    unusable = [p for f in args.files if (p := path_problem(Path(f))) is not None]
    if unusable:
        _print_problems(unusable, "refused")
        print(say("unchanged_db"))
        _audit_load(db, "load", [Path(f) for f in args.files], reason="file_unreadable")
        return 1
    start = time.perf_counter()
    files = [Path(f) for f in args.files]
    if not args.mapping:
        # A layout an analyst answered for on the Import page is read the same way here.
        from services.guided import saved_for, used_line

        use = saved_for(db, [(f, f.name) for f in files])
        if use is not None:
            mapping = use.mapping
            print(used_line(use, LANG))
    report = load_files(db, files, mapping=mapping, progress=_progress, replace=args.replace)
    _audit_load(db, "load", files, report)
    return _print_report(report, time.perf_counter() - start)


def _guard_fresh(db: Path, allow_real: bool) -> bool:
    """demo and init replace the database: refuse to replace real data unless asked."""
    from store.queries import Published

    published = Published(db)
    if not published.exists or allow_real:
        return True
    meta = dict(published.query("dataset_meta").iter_rows())
    counts = published.query("table_row_counts").to_dicts()[0]
    if meta.get("synthetic") == "true" or not any(counts.values()):
        return True
    print(say("refuse_replace", db=str(db)))
    return False


def cmd_demo(args: argparse.Namespace) -> int:
    from demo import generate
    from etl.bootstrap import reference_files
    from services.load import load_files
    from store.admin_units import package_rows
    from store.db import resolve_db_path

    db = resolve_db_path(args.db)
    if not _guard_fresh(db, args.force):
        return 1
    start = time.perf_counter()
    inputs = db.parent / f"{db.stem}.inputs"
    files = reference_files(inputs / "reference", package_rows())
    files += generate(inputs / f"demo-{args.scale}", args.scale, args.seed)
    meta = {
        "dataset_name": t("cli.demo_dataset_name", "vi"),
        "synthetic": "true",
        "home_issuer": "DEMO",
        "scale": args.scale,
    }
    report = load_files(db, files, command="demo", synthetic=True, meta=meta, progress=_progress, fresh=True)
    _audit_load(db, "demo", files, report)
    return _print_report(report, time.perf_counter() - start)


def cmd_init(args: argparse.Namespace) -> int:
    from etl.bootstrap import province_files, reference_files
    from etl.register import find_province
    from services.load import load_files
    from store.admin_units import package_rows
    from store.db import resolve_db_path

    db = resolve_db_path(args.db)
    if not _guard_fresh(db, args.force):
        return 1
    package = package_rows()
    try:
        notice = find_province(args.province, package).notice
        register, province = province_files(db.parent / f"{db.stem}.inputs" / "register", args.province, package)
    except InputError as exc:
        _print_problems(exc.problems, "refused")
        return 1
    if notice is not None:
        _print_problems([notice], "notes")
    start = time.perf_counter()
    files = reference_files(db.parent / f"{db.stem}.inputs" / "reference", package) + province
    meta = {
        "dataset_name": register.province_name,
        "synthetic": "false",
        "home_issuer": register.province_code,
        "province_code": register.province_code,
        "register_source": register.source,
    }
    report = load_files(db, files, command="init", meta=meta, progress=_progress, fresh=True)
    _audit_load(db, "init", files, report)
    code = _print_report(report, time.perf_counter() - start)
    if code == 0:
        print(say("init_next", province=register.province_name))
    return code


def cmd_status(args: argparse.Namespace) -> int:
    from store.db import DatabaseError, resolve_db_path
    from store.queries import QueryError

    db = resolve_db_path(args.db)
    try:
        return _status(db)
    except (QueryError, OSError, DatabaseError) as exc:
        # A truncated, damaged, empty or foreign file where the database should be: said, not a traceback.
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        print(say("status_unreadable", db=shown(str(db)), detail=shown(detail)), file=sys.stderr)
        return exits.UNREADABLE


def _status(db: Path) -> int:
    from core import indices
    from store.queries import Published

    published = Published(db)
    if not published.exists:
        print(say("no_database", db=str(db)))
        return 0
    meta = dict(published.query("dataset_meta").iter_rows())
    print(say("status_header", db=str(db), version=published.version, name=meta.get("dataset_name", "—")))
    if meta.get("synthetic") == "true":
        print(say("synthetic"))
    for row in published.query("units_per_kind", as_of=date.today()).iter_rows(named=True):
        print(say("status_units", kind=say(f"kind.{row['kind']}"), active=row["active"], total=row["total"]))
    for row in published.query("score_years_per_kind").iter_rows(named=True):
        print(say("status_scores", kind=say(f"kind.{row['unit_kind']}"), year=row["year"], units=row["units"]))
    for row in published.query("frameworks_overview").iter_rows(named=True):
        years = row["years"]
        print(
            say(
                "status_framework",
                name=row["name"],
                kind=say(f"kind.{row['unit_kind']}"),
                first=min(years),
                last=max(years),
                criteria=row["criteria"],
                components=row["components"],
            )
        )
    for row in published.query("official_coverage").iter_rows(named=True):
        index = indices.get(row["index_code"])
        expected = index.expected_units(row["level"], row["year"])
        complete = expected is not None and row["with_score"] >= expected
        print(
            say(
                "status_official" if complete else "status_official_partial",
                index=index.short[LANG],
                year=row["year"],
                level=say(f"kind.{row['level']}"),
                units=row["units"],
                scores=row["with_score"],
            )
        )
    for row in published.query("load_history").head(10).iter_rows(named=True):
        print(
            say(
                "status_load",
                id=row["load_id"],
                command=row["command"],
                who=row["loaded_by"],
                when=row["published_at"].strftime("%Y-%m-%d %H:%M"),
                new=row["rows_new"],
                changed=row["rows_changed"],
            )
        )
    return 0


def _loopback(address: str) -> bool:
    """Whether only this machine can reach address (a name other than localhost is taken as reachable)."""
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


def cmd_serve(args: argparse.Namespace) -> int:
    from access.accounts import AccountError, accounts, accounts_path
    from access.mode import DEFAULT_HEADER
    from cli.user import account_error
    from dashboard.serve import serve
    from store.db import resolve_db_path

    db = resolve_db_path(args.db)
    header = args.auth_header or DEFAULT_HEADER
    if args.auth == "off" and not _loopback(args.address):
        print(say_access("auth_off_public", address=args.address), file=sys.stderr)
        return 2
    if args.auth == "password":
        path = accounts_path(db)
        try:
            usable = [a for a in accounts(path) if a.role]
        except AccountError as exc:
            print(say_access("refused", reason=account_error(exc, LANG)), file=sys.stderr)
            return 1
        if not usable:
            print(say_access("no_accounts", file=str(path)), file=sys.stderr)
            return 1
        mode = say_access("mode_password", file=str(path))
    if args.auth == "header" and not args.trusted_proxy:
        print(say_access("header_needs_proxy", header=header), file=sys.stderr)
        return 2
    if args.trusted_proxy:
        refusal = _check_proxy(args.trusted_proxy, args.proxy_secret_file)
        if refusal:
            print(refusal, file=sys.stderr)
            return 2
    if args.auth == "header":
        mode = say_access("mode_header_proxy", header=header, proxy=args.trusted_proxy)
    else:
        mode = say_access("mode_off")
    if args.processes < 1:
        print(say("processes_invalid"), file=sys.stderr)
        return 2
    for i in range(args.processes):
        print(say("serving", address=args.address, port=args.port + i, db=str(db)))
    print(say_access("auth_mode", mode=mode))
    return serve(
        db,
        port=args.port,
        address=args.address,
        auth=args.auth,
        header=header if args.auth == "header" else None,
        trusted_proxy=args.trusted_proxy,
        secret_file=str(Path(args.proxy_secret_file).absolute()) if args.proxy_secret_file else None,
        secure_cookies=args.secure_cookies,
        processes=args.processes,
    )


PROXY_SECRET_MIN = 24


def _check_proxy(proxy: str, secret_file: str | None) -> str | None:
    """Why the trusted proxy settings cannot be used, or None. A proxy on this machine shares its address
    with every local program: only a secret it alone knows tells its requests apart."""
    try:
        address = ipaddress.ip_address(proxy)
    except ValueError:
        return say_access("bad_proxy", proxy=proxy)
    if secret_file is None:
        return say_access("proxy_needs_secret", proxy=proxy) if address.is_loopback else None
    try:
        with open(secret_file, encoding="utf-8") as fh:
            secret = fh.readline().strip()
    except (OSError, UnicodeDecodeError):
        secret = ""
    if len(secret) < PROXY_SECRET_MIN:
        return say_access("secret_unreadable", file=secret_file, minimum=PROXY_SECRET_MIN)
    return None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parboard", description=say("description"))
    sub = parser.add_subparsers(dest="command", required=True)

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--db", help=say("help.db"))
        return p

    p = with_db(sub.add_parser("demo", help=say("help.demo")))
    p.add_argument("--scale", choices=("locality", "national"), default="locality")
    p.add_argument("--seed", type=int, default=2021)
    p.add_argument("--force", action="store_true", help=say("help.force"))
    p.set_defaults(func=cmd_demo)

    p = with_db(sub.add_parser("init", help=say("help.init")))
    p.add_argument("--province", required=True, help=say("help.province"))
    p.add_argument("--force", action="store_true", help=say("help.force"))
    p.set_defaults(func=cmd_init)

    p = with_db(sub.add_parser("load", help=say("help.load")))
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--mapping", help=say("help.mapping"))
    p.add_argument("--replace", action="store_true", help=say("help.replace"))
    p.set_defaults(func=cmd_load)

    p = with_db(sub.add_parser("status", help=say("help.status")))
    p.set_defaults(func=cmd_status)

    p = with_db(sub.add_parser("serve", help=say("help.serve")))
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="127.0.0.1", help=say("help.address"))
    p.add_argument("--auth", choices=MODES, default=DEFAULT_MODE, help=say_access("help_auth"))
    p.add_argument("--auth-header", metavar="NAME", help=say_access("help_auth_header", default=DEFAULT_HEADER))
    p.add_argument("--trusted-proxy", metavar="ADDRESS", help=say_access("help_trusted_proxy"))
    p.add_argument("--proxy-secret-file", metavar="FILE", help=say_access("help_proxy_secret_file"))
    p.add_argument("--secure-cookies", action="store_true", help=say_access("help_secure_cookies"))
    p.add_argument("--processes", type=int, default=1, metavar="N", help=say("help.processes"))
    p.set_defaults(func=cmd_serve)

    from cli import check as cmd_check

    cmd_check.add_parser(sub)
    from cli import simulate as cmd_simulate

    cmd_simulate.add_parser(sub)
    from cli import report as cmd_report

    cmd_report.add_parser(sub)
    from cli import user as cmd_user

    cmd_user.add_parser(sub)
    from cli import audit as cmd_audit

    cmd_audit.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    global LANG, say, say_access
    LANG = os.environ.get("PARBOARD_LANG", DEFAULT_LANGUAGE)
    if LANG not in LANGUAGES:
        LANG = DEFAULT_LANGUAGE
    say = Translator("cli", LANG)
    say_access = say.area_of("access.cli")
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":
    sys.exit(main())
