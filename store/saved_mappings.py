"""Saved mappings: how to read a layout parboard did not recognise, as an analyst answered it once on the
Import page. Kept beside the published database in `<db dir>/<db stem>.mappings/`, never inside it (like
saved scenarios), so a saved answer can never break a load or a published version.

Each layout has two files named by its header's shape key (etl/layout.py): `<key>.yaml`, a mapping file the
command line's --mapping takes as it is, and `<key>.json`, what it is for: its name, who saved it and when,
the file it was made from and the header texts of that file (to carry the answer over to another year's file
by position). Writes are atomic (core.files.write_atomic); JSON and guarded YAML only.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml

from core.errors import ParboardError
from core.files import write_atomic
from etl.mapping import Mapping, read_mapping
from etl.problems import InputError

_KEY = re.compile(r"^[0-9a-f]{16}$")


class MappingStoreError(ParboardError, ValueError):
    """code: not_found | unreadable (worded by imports.saved.* catalog entries)."""

    area = "imports.saved"

    def __init__(self, code: str, key: str):
        super().__init__(code, key=key)


@dataclass(frozen=True)
class SavedMapping:
    key: str
    name: str  # the file it was made from, as a person would recognise the layout
    author: str
    saved: datetime
    headers: list[str]  # the header texts, as read with the mapping, of the file it was made from
    mapping: Mapping
    path: Path  # the mapping file (YAML)


def folder(db: Path) -> Path:
    db = Path(db)
    return db.parent / f"{db.stem}.mappings"


class MappingStore:
    def __init__(self, db: Path):
        self.dir = folder(db)

    def _paths(self, key: str) -> tuple[Path, Path]:
        if not _KEY.match(key):
            raise MappingStoreError("not_found", key)
        return self.dir / f"{key}.yaml", self.dir / f"{key}.json"

    def get(self, key: str) -> SavedMapping | None:
        """The mapping saved for this layout, None when there is none (an unreadable one is reported)."""
        yaml_path, meta_path = self._paths(key)
        if not yaml_path.is_file() or not meta_path.is_file():
            return None
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            mapping = read_mapping(yaml_path)
            return SavedMapping(
                key,
                str(meta["name"]),
                str(meta.get("author", "")),
                datetime.fromisoformat(meta["saved"]),
                [str(h) for h in meta["headers"]],
                mapping,
                yaml_path,
            )
        except (OSError, ValueError, KeyError, TypeError, InputError) as exc:
            raise MappingStoreError("unreadable", key) from exc

    def all(self) -> list[SavedMapping]:
        out = []
        for path in sorted(self.dir.glob("*.json")) if self.dir.is_dir() else []:
            try:
                found = self.get(path.stem)
            except MappingStoreError:
                continue
            if found is not None:
                out.append(found)
        return sorted(out, key=lambda m: m.saved, reverse=True)

    def save(self, key: str, document: dict[str, Any], name: str, author: str, headers: list[str]) -> SavedMapping:
        """Write (or replace) the answer for a layout: the mapping file first, then what it is for."""
        yaml_path, meta_path = self._paths(key)
        self.dir.mkdir(parents=True, exist_ok=True)
        body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
        write_atomic(yaml_path, body.encode("utf-8"))
        meta = {
            "name": name,
            "author": author,
            "saved": datetime.now().replace(microsecond=0).isoformat(),
            "headers": headers,
        }
        write_atomic(meta_path, json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))
        saved = self.get(key)
        assert saved is not None
        return saved

    def delete(self, key: str) -> None:
        yaml_path, meta_path = self._paths(key)
        if not meta_path.is_file():
            raise MappingStoreError("not_found", key)
        meta_path.unlink()
        yaml_path.unlink(missing_ok=True)
