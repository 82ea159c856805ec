"""Where a page run's time goes: cProfile of the server's script threads over the sessions benchmark's walk.

    .venv/bin/python -m bench.profile_runs [--scale locality|national] [--n 4] [--seconds 20] [--top 25]

The real server (what `parboard serve` runs, sign-in off) is started through this module, which wraps
Streamlit's `ScriptRunner._run_script` in a profiler with a CPU clock of the script's own thread
(`time.thread_time`): what each page run costs in CPU, whatever else the machine is doing. Each run's profile
is written to a file (bench/out/profile/) and added up here. N websocket readers (bench/st_session.py) walk
the pages as in bench/sessions.py for `--seconds`, after one warming walk that is not counted.

It prints the CPU seconds per page run (by page), the share of the runs' CPU in the groups of work a change
could cut (figures, dataframes to Arrow, polars, DuckDB, formatting…), and the functions with the highest
cumulative and own time. What the server's event loop does (sending the messages) is outside the script
thread; bench/sessions.py's CPU per page (the whole process) includes it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import shutil
import sys
import threading
import time
from pathlib import Path

OUT = Path(__file__).parent / "out"
ENV_DIR = "PARBOARD_BENCH_PROFILE_DIR"

# Groups of work, each the cumulative time of the functions named (file substring, function name): the
# first function of a group met on the stack counts, a recursive one is counted once (pstats' cumulative).
GROUPS: dict[str, list[tuple[str, str]]] = {
    "building Plotly figures (charts/)": [("charts/figures.py", ""), ("charts/maps.py", "")],
    "st.plotly_chart (figure → JSON spec)": [("streamlit/elements/plotly_chart.py", "plotly_chart")],
    "st.dataframe / st.table (frame → Arrow)": [
        ("streamlit/elements/arrow.py", "dataframe"),
        ("streamlit/elements/arrow.py", "table"),
    ],
    "dashboard views: shared frames and page data (dashboard/views.py)": [("dashboard/views.py", "")],
    "DuckDB queries (store/)": [("store/queries.py", "query"), ("store/queries.py", "sql")],
    "formatting for display (core/fmt.py, charts/frame.py)": [("core/fmt.py", ""), ("charts/frame.py", "")],
    "translation (core/i18n.py)": [("core/i18n.py", "t")],
    "st.cache_data lookups (hashing the arguments)": [("streamlit/runtime/caching/cache_utils.py", "__call__")],
    "sidebar, sign-in gate, style (dashboard/)": [
        ("dashboard/sidebar.py", ""),
        ("dashboard/signin.py", "gate"),
        ("dashboard/style.py", "apply"),
    ],
}


# ---- inside the server ----------------------------------------------------------------------------------


def _install(directory: Path) -> None:
    """Profile every script run of this process into directory/<n>-<page>.prof."""
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    original = ScriptRunner._run_script
    counter = iter(range(10**9))
    lock = threading.Lock()

    def profiled(self, rerun_data):  # type: ignore[no-untyped-def]
        profile = cProfile.Profile(time.thread_time)
        profile.enable()
        try:
            return original(self, rerun_data)
        finally:
            profile.disable()
            with lock:
                n = next(counter)
            page = (rerun_data.page_name or "overview").replace("/", "_")
            part = directory / f"{n:06d}-{page}.part"
            profile.dump_stats(part)
            part.rename(part.with_suffix(".prof"))

    ScriptRunner._run_script = profiled  # type: ignore[method-assign]


def _server_main() -> None:
    """`python -m bench.profile_runs run ENTRY --flags…`: dashboard/launch.py's start, profiled."""
    _install(Path(os.environ[ENV_DIR]))
    from dashboard import launch, warm
    from store.db import resolve_db_path

    warm.start(resolve_db_path())
    sys.exit(launch.main(prog_name="streamlit"))


# ---- the driver -----------------------------------------------------------------------------------------


def _serve_profiled(db: Path, log: Path, directory: Path):  # type: ignore[no-untyped-def]
    import bench.st_session as st_session
    from dashboard import serve as serve_module

    original = serve_module.serve_command

    def command(port: int = 8501, address: str = "127.0.0.1") -> list[str]:
        cmd = original(port, address)
        return [cmd[0], "-m", "bench.profile_runs", *cmd[3:]]

    os.environ[ENV_DIR] = str(directory)
    serve_module.serve_command = command  # type: ignore[assignment]
    return st_session.serve(db, log)


def _group_seconds(stats: pstats.Stats) -> dict[str, float]:
    raw = stats.stats  # type: ignore[attr-defined]
    out = {}
    for group, names in GROUPS.items():
        total = 0.0
        for (file, _line, func), (_cc, _nc, _tt, ct, callers) in raw.items():
            if not any(part in file and (not fn or func == fn) for part, fn in names):
                continue
            # Count a function only where no caller is in the same group (no double counting of nesting).
            inner = sum(
                c[3]
                for caller, c in callers.items()
                if any(part in caller[0] and (not fn or caller[2] == fn) for part, fn in names)
            )
            total += ct - inner
        out[group] = total
    return out


def report(directory: Path, top: int, skip: int) -> None:
    files = sorted(directory.glob("*.prof"))[skip:]
    if not files:
        print("no profiled runs", flush=True)
        return
    per_page: dict[str, list[float]] = {}
    stats = pstats.Stats(str(files[0]))
    for f in files:
        one = pstats.Stats(str(f))
        per_page.setdefault(f.stem.split("-", 1)[1], []).append(one.total_tt)  # type: ignore[attr-defined]
        if f is not files[0]:
            stats.add(one)
    total = stats.total_tt  # type: ignore[attr-defined]
    runs = len(files)
    print(
        f"{runs} page runs profiled, {total:.2f} s of script-thread CPU under the profiler: "
        f"{1000 * total / runs:.0f} ms per run",
        flush=True,
    )
    print("\n| page | runs | CPU ms per run (median) |\n|---|---:|---:|")
    for page, secs in sorted(per_page.items(), key=lambda kv: -sum(kv[1]) / len(kv[1])):
        secs.sort()
        print(f"| {page} | {len(secs)} | {1000 * secs[len(secs) // 2]:.0f} |")
    print("\n| group | CPU ms per run | share |\n|---|---:|---:|")
    for group, secs in sorted(_group_seconds(stats).items(), key=lambda kv: -kv[1]):
        print(f"| {group} | {1000 * secs / runs:.1f} | {100 * secs / total:.0f} % |")
    print(f"\nby cumulative time (top {top}):")
    stats.sort_stats("cumulative").print_stats(top)
    print(f"by own time (top {top}):")
    stats.sort_stats("tottime").print_stats(top)


def main() -> None:
    from bench.sessions import DBS, _level, _warm, ensure_db, run, walk

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(DBS), default="locality")
    parser.add_argument("--n", type=int, default=4, help="concurrent readers")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    db = ensure_db(args.scale)
    directory = OUT / "profile"
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    pages = walk(db)
    with _serve_profiled(db, OUT / "profile-server.log", directory) as server:
        run(_warm(server.url, pages))
        time.sleep(0.5)
        warmed = len(list(directory.glob("*.prof")))
        level = run(_level(server.url, pages, args.n, args.seconds, 0.0))
        print(
            f"{len(level.renders)} pages, {level.errors} errors, {len(level.renders) / level.seconds:.1f} pages/s "
            "(under the profiler)",
            flush=True,
        )
    report(directory, args.top, warmed)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "run":
        _server_main()
    else:
        main()
