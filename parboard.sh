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

setup_python() {
    "$PYTHON" -m uv --version >/dev/null 2>&1 || "$PYTHON" -m pip install --quiet uv
    [ -x .venv/bin/python ] || "$PYTHON" -m uv venv --quiet --python "$PYTHON" .venv
    # Byte-compile at install: the machine may disable writing bytecode, and Great Expectations
    # would then cost seconds on every import.
    UV_COMPILE_BYTECODE=1 "$PYTHON" -m uv pip install --quiet --python .venv/bin/python -e ".[test]"
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
        setup_python
        .venv/bin/parboard demo
        # One person on their own machine: no sign-in (the dashboard says so on every page; serve refuses
        # this on an address other machines can reach). A shared server: see README, "Sign-in and roles".
        exec .venv/bin/parboard serve --auth off "${@:2}"
        ;;
    test)
        setup_python
        setup_browser
        .venv/bin/ruff check .
        exec .venv/bin/pytest "${@:2}"
        ;;
    *)
        echo "usage: ./parboard.sh demo | test" >&2
        exit 2
        ;;
esac
