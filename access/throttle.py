"""Repeated wrong passwords: a growing lock-out per account and per client address.

After FREE_FAILURES wrong passwords, each further one locks the account (or the address) for a time that
doubles from FIRST_LOCK_S up to MAX_LOCK_S. While locked, a sign-in is refused without looking at the
password, so guessing gains nothing and costs no bcrypt work. A right password clears its account's count;
an address's count only fades (failures older than WINDOW_S are forgotten), so an attacker who owns one
account cannot reset the count of the address they guess from.

The state is a small JSON file beside the accounts file (`<accounts stem>.throttle.json`), shared by every
session and every server process on the machine: read and written under an exclusive lock on a companion
`.lock` file, and replaced atomically (core.files.write_atomic), so a crash leaves the old state or the new.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.files import write_atomic

FREE_FAILURES = 5
FIRST_LOCK_S = 30.0
MAX_LOCK_S = 15 * 60.0
WINDOW_S = 60 * 60.0  # a failure this old no longer counts
LOCAL = "local"  # the address key of a connection from this machine (Streamlit does not name it)


@dataclass(frozen=True)
class Lock:
    """Why a sign-in must wait, and until when (seconds since the epoch)."""

    key: str  # "account:<name>" or "address:<ip>"
    until: float
    failures: int

    @property
    def kind(self) -> str:
        return self.key.split(":", 1)[0]


def state_path(accounts: Path) -> Path:
    accounts = Path(accounts)
    return accounts.parent / f"{accounts.stem}.throttle.json"


def keys(username: str, address: str | None, known: bool) -> list[str]:
    """The counters one attempt touches: the address always, the account only when it exists (unknown
    names are not kept: they may be a password typed into the wrong box, and they would grow the file)."""
    found = [f"address:{address or LOCAL}"]
    if known and username:
        found.insert(0, f"account:{username}")
    return found


def lock_for(failures: int) -> float:
    """Seconds locked after this many consecutive failures (0 while under the free allowance)."""
    if failures < FREE_FAILURES:
        return 0.0
    return min(FIRST_LOCK_S * 2 ** (failures - FREE_FAILURES), MAX_LOCK_S)


def check(accounts: Path, attempt_keys: list[str], now: float | None = None) -> Lock | None:
    """The longest lock in force on any of these counters, or None: the attempt may go ahead."""
    now = time.time() if now is None else now
    with _locked(accounts, now) as state:
        locks = [
            Lock(key, float(entry["until"]), int(entry["failures"]))
            for key in attempt_keys
            if (entry := state.get(key)) and float(entry.get("until", 0)) > now
        ]
    return max(locks, key=lambda lock: lock.until) if locks else None


def failed(accounts: Path, attempt_keys: list[str], now: float | None = None) -> Lock | None:
    """Count a wrong password on each counter; the lock it starts (the longest), if any."""
    now = time.time() if now is None else now
    started: list[Lock] = []
    with _locked(accounts, now, write=True) as state:
        for key in attempt_keys:
            entry = state.get(key) or {}
            recent = float(entry.get("last", 0)) > now - WINDOW_S
            failures = (int(entry.get("failures", 0)) if recent else 0) + 1
            wait = lock_for(failures)
            state[key] = {"failures": failures, "last": now, "until": now + wait if wait else 0.0}
            if wait:
                started.append(Lock(key, now + wait, failures))
    return max(started, key=lambda lock: lock.until) if started else None


def succeeded(accounts: Path, username: str, now: float | None = None) -> None:
    now = time.time() if now is None else now
    with _locked(accounts, now, write=True) as state:
        state.pop(f"account:{username}", None)


@contextlib.contextmanager
def _locked(accounts: Path, now: float, write: bool = False) -> Iterator[dict[str, Any]]:
    path = state_path(accounts)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.with_suffix(".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        state = _read(path)
        yield state
        if write:
            # Forget what no longer counts, so the file stays as small as the recent attacks.
            kept = {
                key: entry
                for key, entry in state.items()
                if float(entry.get("until", 0)) > now or float(entry.get("last", 0)) > now - WINDOW_S
            }
            write_atomic(path, json.dumps(kept, sort_keys=True).encode("utf-8"))
    finally:
        os.close(fd)  # closing releases the lock


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError):
        # A damaged file must not open the door wider than a fresh one, nor keep everyone out: start again.
        return {}
    return {k: v for k, v in data.items() if isinstance(v, dict)} if isinstance(data, dict) else {}
