"""What password sign-in costs a reader: the sign-in form's script run (with the library's default 0.7 s
pre-login sleep and with parboard's 0), one password check, and a signed-in page run against the same page
with sign-in off.

    .venv/bin/python -m bench.signin [--runs 15]

In-process AppTest runs on a small sample database (script time as AppTest measures it); the figures are
about the gate, not the pages.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

PASSWORD = "correct horse battery"


def _median_ms(fn: Callable[[], object], runs: int) -> tuple[float, float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times), max(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()

    import logging

    from streamlit.testing.v1 import AppTest

    from access.accounts import accounts_path, add, verify
    from dashboard import signin
    from store.db import draft
    from tests.conftest import fill_sample

    logging.getLogger("streamlit").setLevel(logging.ERROR)
    tmp = Path(tempfile.mkdtemp(prefix="bench-signin-"))
    db = tmp / "parboard.duckdb"
    with draft(db) as d:
        fill_sample(d.con)
    users = accounts_path(db)
    add(users, "ana", "analyst", PASSWORD, "Ana")
    os.environ["PARBOARD_DB"] = str(db)
    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"

    def run(mode: str, username: str | None = None) -> None:
        os.environ["PARBOARD_AUTH"] = mode
        at = AppTest.from_file(str(app), default_timeout=60)
        if username:
            at.session_state["authentication_status"] = True
            at.session_state["username"] = username
        at.run()
        assert not at.exception

    run("password")  # imports and caches warm
    run("off")
    rows = []
    for label, sleep in (("sign-in form, library default sleep", 0.7), ("sign-in form, parboard (no sleep)", 0.0)):
        signin._LOGIN_SLEEP_S = sleep
        rows.append((label, _median_ms(lambda: run("password"), args.runs)))
    rows.append(("overview, signed in (password mode)", _median_ms(lambda: run("password", "ana"), args.runs)))
    rows.append(("overview, sign-in off", _median_ms(lambda: run("off"), args.runs)))
    rows.append(("one password check (bcrypt)", _median_ms(lambda: verify(users, "ana", PASSWORD), args.runs)))
    print(f"{'what':<40} {'median ms':>10} {'min':>8} {'max':>8}   (n={args.runs})")
    for label, (median, low, high) in rows:
        print(f"{label:<40} {median:10.0f} {low:8.0f} {high:8.0f}")


if __name__ == "__main__":
    main()
