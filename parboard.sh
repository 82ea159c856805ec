#!/usr/bin/env bash
# parboard quick start. On a fresh machine with Python 3.11 and Debian's package manager:
#   ./parboard.sh demo   set everything up, build the demo database and serve the dashboard at http://127.0.0.1:8501
#                        for this machine only, without sign-in
#   ./parboard.sh test   set everything up (with Chromium for the browser tests) and run the whole test suite
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3.11}
command -v "$PYTHON" >/dev/null 2>&1 || PYTHON=python3
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"

# The uv that reads uv.lock (a newer one may write the lock differently); the same as the test extra's in pyproject.toml.
UV_VERSION=0.13.9

# Installs exactly the versions in uv.lock (and the project itself, so .venv/bin/parboard exists);
# refuses to run if pyproject.toml and uv.lock disagree. Arguments: uv sync options (--extra test).
setup_python() {
    case "$("$PYTHON" -m uv --version 2>/dev/null)" in
        "uv $UV_VERSION "*) ;;
        *) "$PYTHON" -m pip install --quiet "uv==$UV_VERSION" ;;
    esac
    # Byte-compile at install: the machine may disable writing bytecode, and Great Expectations
    # would then cost seconds on every import.
    UV_COMPILE_BYTECODE=1 "$PYTHON" -m uv sync --quiet --locked --python "$PYTHON" "$@"
    # The project's own modules too: the install is editable, so uv compiles none of them, and every command
    # would compile the ones it imports again (about 0.1 s of a load's start).
    .venv/bin/python -m compileall -q -j 0 access analysis charts checks cli core dashboard demo etl exports services store >/dev/null
}

setup_browser() {
    # Debian's Chromium drives the browser tests and chart export; fonts-dejavu covers Vietnamese.
    if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi dejavu; then
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
            chromium fonts-dejavu-core fontconfig >/dev/null
    fi
}

case "${1:-}" in
    demo)
        # --inexact: the test tools of a developer's checkout stay installed
        setup_python --inexact
        .venv/bin/parboard demo
        # One person on their own machine: no sign-in (the dashboard says so on every page; serve refuses
        # this on an address other machines can reach). A shared server: see README, "Sign-in and roles".
        exec .venv/bin/parboard serve --auth off "${@:2}"
        ;;
    test)
        setup_python --extra test
        setup_browser
        # Style, layers and types first: each fails in seconds, before the suite's minutes.
        .venv/bin/ruff check .
        .venv/bin/ruff format --check .
        .venv/bin/lint-imports
        .venv/bin/mypy
        exec .venv/bin/pytest "${@:2}"
        ;;
    *)
        echo "usage: ./parboard.sh demo | test" >&2
        exit 2
        ;;
esac
