"""Start the dashboard server: `parboard serve` calls serve().

The safe flags are passed on the command line, not only in .streamlit/config.toml, because Streamlit
reads that file from the current directory and the command may be run from anywhere.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from access.mode import DEFAULT_MODE, ENV_HEADER, ENV_PROXY_SECRET_FILE, ENV_TRUSTED_PROXY, env_for
from dashboard.guard import ENV_SECURE

APP = Path(__file__).resolve().parent / "app.py"
# What the server runs: the app behind the guard (proxy check, session for downloads, security headers).
ENTRY = APP.parent / "asgi.py"
PROJECT_ROOT = APP.parent.parent

SAFE_FLAGS: dict[str, str] = {
    "server.headless": "true",
    "server.enableXsrfProtection": "true",
    "server.enableCORS": "true",
    "server.runOnSave": "false",
    "browser.gatherUsageStats": "false",
    "client.toolbarMode": "viewer",
    "client.showErrorDetails": "none",
    "runner.magicEnabled": "false",
    # No live reload in production (runOnSave is off): without this Streamlit still polls every module file
    # it has imported and re-scans sys.modules after each run, costing CPU on every page of every reader.
    "server.fileWatcherType": "none",
    # Streamlit runs a full garbage collection after every script run by default: with the frames, figures and
    # modules a server holds, that was ~0.14 s of CPU per page, the largest single cost of a page run
    # (bench/profile_runs.py). Python's own generational collector still runs; the launcher freezes what
    # was imported before the first reader so those collections do not walk it (dashboard/launch.py).
    "runner.postScriptGC": "false",
    # MB per uploaded file: the Import page takes spreadsheets; checks/limits.py refuses oversized ones
    # with a clear message before parsing, this is the server's hard ceiling.
    "server.maxUploadSize": "50",
}
# The look of .streamlit/config.toml, passed the same way: an installed wheel has no .streamlit/ folder to read.
THEME: dict[str, str] = {"theme.primaryColor": "#b3261e", "theme.base": "light"}


def serve_command(port: int = 8501, address: str = "127.0.0.1") -> list[str]:
    """The exact command line the server runs with (tests start the same one)."""
    flags = {**SAFE_FLAGS, **THEME, "server.address": address, "server.port": str(port)}
    return [
        sys.executable,
        "-m",
        "dashboard.launch",
        "run",
        str(ENTRY),
        *(f"--{name}={value}" for name, value in flags.items()),
    ]


def serve_env(
    db: Path,
    auth: str = DEFAULT_MODE,
    header: str | None = None,
    trusted_proxy: str | None = None,
    secret_file: str | None = None,
    secure_cookies: bool = False,
) -> dict[str, str]:
    """The server's environment: the database, and how it knows who is reading (access/mode.py)."""
    env = dict(os.environ)
    # Only what is chosen here counts, never something left in the caller's shell.
    for name in (ENV_HEADER, ENV_TRUSTED_PROXY, ENV_PROXY_SECRET_FILE, ENV_SECURE):
        env.pop(name, None)
    env.update(env_for(auth, header, trusted_proxy, secret_file))
    if secure_cookies:
        env[ENV_SECURE] = "1"
    # uvicorn would believe X-Forwarded-For/-Proto from any local process; the guard reads them from the
    # trusted proxy only (dashboard/guard.py). A value that is no address matches no peer.
    env["FORWARDED_ALLOW_IPS"] = "none"
    env["PARBOARD_DB"] = str(Path(db).expanduser().absolute())
    # The server keeps the bytecode of the modules it compiles (__pycache__ beside them): a machine that sets
    # PYTHONDONTWRITEBYTECODE would otherwise recompile the dashboard's own modules on every start (~0.4 s
    # before the first page can be sent).
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def serve(
    db: Path,
    port: int = 8501,
    address: str = "127.0.0.1",
    auth: str = DEFAULT_MODE,
    header: str | None = None,
    trusted_proxy: str | None = None,
    secret_file: str | None = None,
    secure_cookies: bool = False,
    processes: int = 1,
) -> int:
    """Run the dashboard on address:port against the database at db until stopped; its exit code.

    processes > 1: that many servers on consecutive ports (port, port + 1, …), for a reverse proxy with sticky
    sessions in front (README, "Serving many readers"). A page run is Python under one interpreter lock, so one
    process uses one core; the processes share the published versions read-only, and each one's watcher
    (dashboard/warm.py) picks up a publish. When one stops, the others are stopped and its exit code returned.
    """
    env = serve_env(db, auth, header, trusted_proxy, secret_file, secure_cookies)
    # From the project root so .streamlit/config.toml (theme, upload limits) applies too.
    procs = [
        subprocess.Popen(serve_command(port + i, address), env=env, cwd=PROJECT_ROOT) for i in range(max(1, processes))
    ]
    try:
        return _wait_first(procs)
    except KeyboardInterrupt:
        # Ctrl+C reached the servers too (same process group); give them time to shut down cleanly.
        return _stop_all(procs)
    finally:
        _stop_all(procs)


def _wait_first(procs: list[subprocess.Popen[bytes]]) -> int:
    """Wait until one of the servers exits; its exit code."""
    if len(procs) == 1:
        return procs[0].wait()
    while True:
        for proc in procs:
            code = proc.poll()
            if code is not None:
                return code
        time.sleep(0.5)


def _stop_all(procs: list[subprocess.Popen[bytes]]) -> int:
    """SIGINT every server still running, then wait (kill after 10 s); the first server's exit code."""
    for proc in procs:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    return procs[0].returncode
