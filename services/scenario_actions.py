"""Saving, duplicating and deleting award-quota scenarios on someone's behalf: the role check, the work and
the audit line in one place, so no page (or command) can save without asking who is acting.

Each function calls access.require first (a viewer, or nobody, gets Denied and nothing changes), then the
storage-only store/scenarios.py, then records the outcome in the audit trail: done, denied, refused (the
store refused the name: bad, taken, not found) or failed (the disk refused the write). Errors are re-raised
for the caller to word. The scenario dict must already be validated (analysis.quota.parse) by the caller:
services.quota.save validates, then saves through here.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from access import audit
from access.policy import Denied, Principal, require
from store.scenarios import SavedScenario, ScenarioStore, ScenarioStoreError

ACTION = "save_scenario"


@contextmanager
def _audited(db: Path, who: Principal | None, target: str, **details: Any) -> Iterator[None]:
    try:
        require(who, ACTION)
    except Denied:
        audit.record(db, who, ACTION, audit.DENIED, target, **details)
        raise
    try:
        yield
    except ScenarioStoreError as exc:
        audit.record(db, who, ACTION, audit.REFUSED, target, reason=exc.code, **details)
        raise
    except OSError as exc:
        audit.record(db, who, ACTION, audit.FAILED, target, reason=type(exc).__name__, **details)
        raise
    audit.record(db, who, ACTION, audit.DONE, target, **details)


def save(
    db: Path, who: Principal | None, name: str, scenario: dict[str, Any], author: str = "", overwrite: bool = False
) -> SavedScenario:
    """Save (or, asked to, overwrite) a scenario; the author defaults to the signed-in person's name."""
    with _audited(db, who, name, operation="save", overwrite=overwrite):
        return ScenarioStore(db).save(name, scenario, author.strip() or (who.name if who else ""), overwrite)


def duplicate(db: Path, who: Principal | None, name: str, new_name: str) -> SavedScenario:
    with _audited(db, who, name, operation="duplicate", copy=new_name):
        store = ScenarioStore(db)
        return store.duplicate(name, new_name, store.get(name).author)


def delete(db: Path, who: Principal | None, name: str) -> None:
    with _audited(db, who, name, operation="delete"):
        ScenarioStore(db).delete(name)
