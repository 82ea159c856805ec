"""Saved award-quota scenarios: one JSON file per scenario in `<db dir>/<db stem>.scenarios/`, beside the
published database and never inside it, so saving can never break a load or a published version.

Each file holds the scenario's name, author, created and updated times, and the scenario dict (validated
by the engine before it is written). Writes go to a temporary file in the same folder, are flushed, and
replace the target with os.replace, so a crash leaves either the old file or the new one. File names are
derived from the name (ASCII, lower case, digits and dashes); the name itself is kept inside the file.
JSON only: nothing is pickled or evaluated.
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from core.errors import ParboardError
from core.files import write_atomic
from core.text import strip_diacritics

MAX_NAME = 80
_SLUG = re.compile(r"[^a-z0-9]+")


class ScenarioStoreError(ParboardError, ValueError):
    """code: bad_name | exists | not_found | unreadable (worded by quota.store.* catalog entries)."""

    area = "quota.store"

    def __init__(self, code: str, name: str):
        super().__init__(code, name=name)
        self.name = name


@dataclass(frozen=True)
class SavedScenario:
    name: str
    author: str
    created: datetime
    updated: datetime
    scenario: dict[str, Any]


def folder(db: Path) -> Path:
    db = Path(db)
    return db.parent / f"{db.stem}.scenarios"


def slug(name: str) -> str:
    """'Ngã Năm — bản 2' → 'nga-nam-ban-2' (đ → d); empty when nothing usable is left."""
    text = strip_diacritics(name).lower()
    return _SLUG.sub("-", text).strip("-")[:60]


def clean_name(name: str) -> str:
    name = unicodedata.normalize("NFC", " ".join(str(name or "").split()))
    if not name or len(name) > MAX_NAME or not slug(name) or any(unicodedata.category(c) == "Cc" for c in name):
        raise ScenarioStoreError("bad_name", name)
    return name


class ScenarioStore:
    def __init__(self, db: Path):
        self.dir = folder(db)

    def _path(self, name: str) -> Path:
        return self.dir / f"{slug(name)}.json"

    def _read(self, path: Path) -> SavedScenario:
        try:
            with open(path, encoding="utf-8") as fh:
                data = json.load(fh)
            return SavedScenario(
                data["name"],
                data.get("author", ""),
                datetime.fromisoformat(data["created"]),
                datetime.fromisoformat(data["updated"]),
                data["scenario"],
            )
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ScenarioStoreError("unreadable", path.name) from exc

    def list(self) -> list[SavedScenario]:
        """Every readable saved scenario, newest first (an unreadable file is skipped, not fatal)."""
        out = []
        for path in sorted(self.dir.glob("*.json")) if self.dir.is_dir() else []:
            with contextlib.suppress(ScenarioStoreError):
                out.append(self._read(path))
        return sorted(out, key=lambda s: s.updated, reverse=True)

    def get(self, name: str) -> SavedScenario:
        path = self._path(clean_name(name))
        if not path.is_file():
            raise ScenarioStoreError("not_found", name)
        saved = self._read(path)
        if saved.name != clean_name(name):
            raise ScenarioStoreError("not_found", name)
        return saved

    def exists(self, name: str) -> bool:
        try:
            self.get(name)
        except ScenarioStoreError:
            return False
        return True

    def save(
        self, name: str, scenario: dict[str, Any], author: str, overwrite: bool = False, now: datetime | None = None
    ) -> SavedScenario:
        """Write a scenario (already validated by the caller). A name whose file holds another name (two
        names with the same spelling without diacritics) is refused rather than overwritten."""
        name = clean_name(name)
        path = self._path(name)
        now = now or datetime.now().replace(microsecond=0)
        created = now
        if path.is_file():
            try:
                old = self._read(path)
            except ScenarioStoreError:
                old = None
            if old is not None and (old.name != name or not overwrite):
                raise ScenarioStoreError("exists", old.name)
            created = old.created if old else now
        saved = SavedScenario(name, author.strip() or "?", created, now, scenario)
        self._write(path, saved)
        return saved

    def duplicate(self, name: str, new_name: str, author: str) -> SavedScenario:
        return self.save(new_name, self.get(name).scenario, author)

    def delete(self, name: str) -> None:
        self.get(name)
        self._path(name).unlink()

    def _write(self, path: Path, saved: SavedScenario) -> None:
        body = json.dumps(
            {
                "name": saved.name,
                "author": saved.author,
                "created": saved.created.isoformat(),
                "updated": saved.updated.isoformat(),
                "scenario": saved.scenario,
            },
            ensure_ascii=False,
            indent=2,
            default=str,
        )
        write_atomic(path, body.encode("utf-8"))
