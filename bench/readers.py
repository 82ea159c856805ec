"""Readers per machine: one server process before and after a change, and two processes behind a real reverse
proxy with sticky sessions, side by side in one run.

    git worktree add --detach /tmp/before <commit>            # the code to compare against (optional)
    .venv/bin/python -m bench.readers [--before /tmp/before] [--scale locality|national] [--n 1,4,8,16]
                                      [--seconds 20] [--no-publish-check | --publish-check-only]
                                      [--memory-rounds R]

Servers are what `parboard serve` runs (sign-in off), all started at the start and warmed (every page once):
"before" (the `--before` checkout's code, the same interpreter and packages), "after" (this code), and
"after ×2": two processes of this code (`parboard serve --processes 2`: consecutive ports) behind nginx
(Debian's `nginx-light`, the configuration of the README's "Serving many readers", readers kept on one process
by a hash of Streamlit's `_streamlit_xsrf` cookie). Each websocket reader (bench/st_session.py) sends a cookie of
its own, as a browser sends the one Streamlit set. For each N the configurations run one after another (so a
busy machine weighs on all of them alike): N readers walk the pages of bench/sessions.py with no pause for
`--seconds`.

Per configuration and N: pages, median, p95, max page seconds, errors, pages per second, and the server
processes' CPU seconds per page (user + system from /proc, nginx's own included for ×2: the proxy's share),
with the load average at the start and end of each N. CPU per page is the figure that compares the code on a
machine others keep busy.

The publish check (on a copy of the database): with two processes serving it, `parboard load` publishes a
one-row correction, and the check waits until each process has the new version file open (its watcher,
dashboard/warm.py, warms it), printing how long each took.

`--memory-rounds R`: instead, the resident memory of one process of each code after warming and after each of
R rounds of 16 readers for `--seconds`.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench.sessions import DBS, Level, _level, _warm, ensure_db, walk
from bench.st_session import START_TIMEOUT_S, run

OUT = Path(__file__).parent / "out"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
TICKS = os.sysconf("SC_CLK_TCK")

# The README's "Serving many readers" configuration, for the bench on its own ports and folders.
NGINX_CONF = """\
worker_processes 1;
daemon off;
pid {dir}/nginx.pid;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/client_body;
    proxy_temp_path {dir}/proxy;
    fastcgi_temp_path {dir}/fastcgi;
    uwsgi_temp_path {dir}/uwsgi;
    scgi_temp_path {dir}/scgi;

    map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
    # A reader stays on one server process: by Streamlit's cookie once the browser has it, by address before.
    map $cookie__streamlit_xsrf $parboard_reader {{ "" $remote_addr; default $cookie__streamlit_xsrf; }}

    upstream parboard {{
        hash $parboard_reader consistent;
{servers}
    }}

    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://parboard;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_read_timeout 1d;
            proxy_buffering off;
        }}
    }}
}}
"""


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def load_average() -> str:
    return Path("/proc/loadavg").read_text().split()[0]


@dataclass
class Config:
    name: str
    url: str
    pids: list[int]
    cookies: bool = False
    rows: list[str] = field(default_factory=list)


def _wait_healthy(url: str, procs: list[subprocess.Popen[bytes]], log: Path) -> None:
    from bench.browser import healthy

    deadline = time.monotonic() + START_TIMEOUT_S * 2
    while not healthy(url):
        if any(p.poll() is not None for p in procs) or time.monotonic() > deadline:
            raise RuntimeError(f"{url} not healthy:\n{log.read_text(errors='replace')[-3000:]}")
        time.sleep(0.2)


@contextlib.contextmanager
def servers(db: Path, name: str, count: int = 1, before: Path | None = None) -> Iterator[tuple[list[int], list[int]]]:
    """count server processes on consecutive free ports; their ports. before: that checkout's code instead."""
    from bench.browser import free_port, stop
    from dashboard.serve import ENTRY, PROJECT_ROOT, serve_command, serve_env

    port = free_port()
    while any(_busy(port + i) for i in range(count)):
        port = free_port()
    procs = []
    env = serve_env(db, auth="off")
    cwd = PROJECT_ROOT
    if before:
        env["PYTHONPATH"] = str(before)
        cwd = before
    log = OUT / f"readers-{name}.log"
    try:
        with open(log, "wb") as out:
            for i in range(count):
                cmd = serve_command(port=port + i)
                if before:  # the checkout's entry file and its own flags (its config file is read from its root)
                    cmd = [str(before / ENTRY.relative_to(PROJECT_ROOT)) if a == str(ENTRY) else a for a in cmd]
                    cmd = [a for a in cmd if a.split("=")[0] not in _flags_new_since(before)]
                procs.append(
                    subprocess.Popen(
                        cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
                    )
                )
        for i, proc in enumerate(procs):
            _wait_healthy(f"http://127.0.0.1:{port + i}", [proc], log)
        yield [port + i for i in range(count)], [p.pid for p in procs]
    finally:
        for proc in procs:
            stop(proc)


def _busy(port: int) -> bool:
    import socket

    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def _flags_new_since(before: Path) -> set[str]:
    """Server flags this code passes that the checkout's dashboard/serve.py does not know."""
    from dashboard.serve import SAFE_FLAGS

    text = (before / "dashboard" / "serve.py").read_text(encoding="utf-8")
    return {f"--{name}" for name in SAFE_FLAGS if f'"{name}"' not in text}


@contextlib.contextmanager
def nginx(backends: list[int]) -> Iterator[tuple[str, int]]:
    """nginx on a free port in front of the backends (sticky by cookie); its url and pid."""
    from bench.browser import free_port, stop

    folder = OUT / "nginx"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    port = free_port()
    servers_conf = "\n".join(f"        server 127.0.0.1:{p};" for p in backends)
    conf = folder / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=folder, servers=servers_conf, port=port), encoding="utf-8")
    log = folder / "error.log"
    with open(folder / "stdout.log", "wb") as out:
        proc = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(conf), "-e", str(log)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_healthy(url, [proc], folder / "stdout.log")
        yield url, proc.pid
    finally:
        stop(proc)


def _all_pids(pid: int) -> list[int]:
    """A process and its children (nginx's master and worker)."""
    kids = Path(f"/proc/{pid}/task/{pid}/children")
    return [pid, *(int(k) for k in kids.read_text().split())] if kids.exists() else [pid]


def measure(config: Config, pages: list[tuple[str, str]], n: int, seconds: float) -> Level:
    pids = [q for p in config.pids for q in _all_pids(p)]
    cpu0 = {p: cpu_seconds(p) for p in pids}
    load0 = load_average()
    level = run(_level(config.url, pages, n, seconds, 0.0, cookies=config.cookies))
    cpu = {p: cpu_seconds(p) - cpu0[p] for p in pids}
    t = level.times
    per_page = sum(cpu.values()) / max(1, len(level.renders))
    split = " + ".join(f"{c:.1f}" for c in cpu.values())
    row = (
        f"| {config.name} | {n} | {len(level.renders)} | {statistics.median(t):.2f} | {level.p95():.2f} | "
        f"{max(t):.2f} | {level.errors} | {len(level.renders) / level.seconds:.1f} | {1000 * per_page:.0f} | "
        f"{split} | {load0} → {load_average()} |"
        if t
        else f"| {config.name} | {n} | {len(level.renders)} | – | – | – | {level.errors} | – | – | {split} | – |"
    )
    config.rows.append(row)
    print(row, flush=True)
    return level


def publish_check(db: Path) -> None:
    """Two processes on a copy of db; a one-row correction published; how long until each process has the new
    version open."""
    from bench.startup import correction
    from store.db import current_file

    copy_dir = OUT / "readers-publish"
    shutil.rmtree(copy_dir, ignore_errors=True)
    shutil.copytree(db.parent, copy_dir, symlinks=True)
    copy = copy_dir / db.name
    with servers(copy, "publish", count=2) as (ports, pids):
        old = current_file(copy)
        (OUT / "startup").mkdir(parents=True, exist_ok=True)  # where the correction file is written
        file = correction(copy, 1.37)
        cmd = [sys.executable, "-m", "cli.main", "load", str(file), "--db", str(copy)]
        # The moment the link is swapped is the publish; the load goes on a little after it (the audit trail).
        with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
            while current_file(copy) == old and proc.poll() is None:
                time.sleep(0.01)
            published_at = time.monotonic()
            seen = _seen_by(pids, current_file(copy), published_at)
            out, err = proc.communicate()
        done = subprocess.CompletedProcess(cmd, proc.returncode, out, err)
        new = current_file(copy)
        print(
            f"publish check: load exit {done.returncode}, version {old.name if old else None} → "
            f"{new.name if new else None}",
            flush=True,
        )
        if new is None or new == old:
            print(done.stdout[-2000:], done.stderr[-2000:], flush=True)
            return
        for port, pid in zip(ports, pids, strict=True):
            when = f"{seen[pid]:.2f} s after the publish" if pid in seen else "NOT within 30 s"
            print(f"  process on port {port}: has {new.name} open {when}", flush=True)


def rss_mb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
    return 0


def memory_check(db: Path, pages: list[tuple[str, str]], before: Path | None, rounds: int, seconds: float) -> None:
    """Resident memory of one process (and of the before code's, side by side) after warming and after each
    round of 16 readers: does a server that no longer collects after every run keep growing?"""
    with contextlib.ExitStack() as stack:
        watched: dict[str, tuple[str, int]] = {}
        if before:
            (port,), (pid,) = stack.enter_context(servers(db, "memory-before", before=before))
            watched["before"] = (f"http://127.0.0.1:{port}", pid)
        (port,), (pid,) = stack.enter_context(servers(db, "memory-after"))
        watched["after"] = (f"http://127.0.0.1:{port}", pid)
        for url, _ in watched.values():
            run(_warm(url, pages))

        def say(when: str) -> None:
            print(f"{when}: " + ", ".join(f"{name} {rss_mb(pid)} MB" for name, (_, pid) in watched.items()), flush=True)

        say("resident memory after warming")
        for i in range(rounds):
            for url, _ in watched.values():
                run(_level(url, pages, 16, seconds, 0.0))
            say(f"after round {i + 1} of 16 readers for {seconds:g} s")


def _seen_by(pids: list[int], new: Path | None, published_at: float) -> dict[int, float]:
    """Seconds from the publish until each process had the new version open (missing: not within 30 s)."""
    seen: dict[int, float] = {}
    while new is not None and len(seen) < len(pids) and time.monotonic() - published_at < 30:
        for pid in pids:
            if pid not in seen and _has_open(pid, new):
                seen[pid] = time.monotonic() - published_at
        time.sleep(0.02)
    return seen


def _has_open(pid: int, file: Path) -> bool:
    target = str(file.resolve())
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        with contextlib.suppress(OSError):
            if os.readlink(fd) == target:
                return True
    return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=sorted(DBS), default="locality")
    parser.add_argument("--n", default="1,4,8,16")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--before", type=Path, help="a checkout of the code to compare against")
    parser.add_argument("--no-publish-check", action="store_true")
    parser.add_argument("--publish-check-only", action="store_true")
    parser.add_argument("--memory-rounds", type=int, default=0, help="only the memory check, this many rounds")
    args = parser.parse_args()
    db = ensure_db(args.scale)
    if args.publish_check_only:
        publish_check(db)
        return
    pages = walk(db)
    if args.memory_rounds:
        memory_check(db, pages, args.before.absolute() if args.before else None, args.memory_rounds, args.seconds)
        return
    ns = [int(n) for n in args.n.split(",") if n.strip()]
    print(f"{args.scale}: {len(pages)} pages in the walk · {args.seconds:g} s per N · load average {load_average()}")
    with contextlib.ExitStack() as stack:
        configs = []
        if args.before:
            (port,), pids = stack.enter_context(servers(db, "before", before=args.before.absolute()))
            configs.append(Config("before, 1 process", f"http://127.0.0.1:{port}", pids))
        (port,), pids = stack.enter_context(servers(db, "after"))
        configs.append(Config("after, 1 process", f"http://127.0.0.1:{port}", pids))
        ports, pids = stack.enter_context(servers(db, "after2", count=2))
        url, proxy = stack.enter_context(nginx(ports))
        configs.append(Config("after, 2 processes + nginx", url, [*pids, proxy], cookies=True))
        for config in configs:
            run(_warm(config.url, pages))
            if config.cookies:  # warm both processes: readers' cookies land on either
                for p in ports:
                    run(_warm(f"http://127.0.0.1:{p}", pages))
        print(
            "| server | readers N | pages | median s | p95 s | max s | errors | pages/s | CPU ms per page | "
            "CPU s per process | load average |"
        )
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|", flush=True)
        for n in ns:
            for config in configs:
                measure(config, pages, n, args.seconds)
    if not args.no_publish_check:
        publish_check(db)


if __name__ == "__main__":
    main()
