"""What the award council decided, and the deployment's document settings: files beside the published database,
never inside it (like saved scenarios, store/scenarios.py), so recording a vote can never break a load.

- `<db dir>/<db stem>.council/<scope>--<scenario slug>.json`: one council decision per scenario and year or
  period (recording again replaces it): the scenario as simulated, the session, the votes and the final list.
- `<db dir>/<db stem>.settings.json`: who issues the documents (cơ quan chủ quản, cơ quan ban hành, ký hiệu),
  where (địa danh), who signs (chức vụ, họ tên) and to whom they go (nơi nhận); filled in once.

JSON only, written atomically (core.files.write_atomic); nothing is pickled or evaluated.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from pathlib import Path
from typing import Any

from core.errors import ParboardError
from core.files import write_atomic
from store.scenarios import slug

MAX_TEXT = 200


class CouncilStoreError(ParboardError, ValueError):
    """code: unreadable | bad_record (worded by council.store.* catalog entries)."""

    area = "council.store"


@dataclass(frozen=True)
class DocumentSettings:
    """The parts of an administrative document (Nghị định 30/2020/NĐ-CP) that belong to the deployment."""

    parent_issuer: str = ""  # cơ quan chủ quản: "UBND TỈNH LẠC HỒNG"
    issuer: str = ""  # cơ quan ban hành: "HỘI ĐỒNG THI ĐUA - KHEN THƯỞNG"
    symbol: str = ""  # chữ viết tắt tên cơ quan in số và ký hiệu: "HĐTĐKT"
    place: str = ""  # địa danh: "Lạc Hồng"
    signer_title: str = ""  # chức vụ người ký: "CHỦ TỊCH HỘI ĐỒNG"
    signer_name: str = ""
    recipients: str = ""  # nơi nhận, one per line

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def settings_path(db: Path) -> Path:
    db = Path(db)
    return db.parent / f"{db.stem}.settings.json"


def read_settings(db: Path) -> DocumentSettings:
    """The saved settings; none saved (or an unreadable file) gives empty ones, which documents print as dots."""
    path = settings_path(db)
    if not path.is_file():
        return DocumentSettings()
    try:
        data = json.loads(path.read_text(encoding="utf-8")).get("document", {})
    except (OSError, ValueError, AttributeError):
        return DocumentSettings()
    return DocumentSettings(**{k: _clean(data.get(k, ""), k == "recipients") for k in DocumentSettings.field_names()})


def write_settings(db: Path, settings: DocumentSettings) -> DocumentSettings:
    path = settings_path(db)
    whole: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        loaded = json.loads(path.read_text(encoding="utf-8"))
        whole = loaded if isinstance(loaded, dict) else {}
    clean = DocumentSettings(**{k: _clean(v, k == "recipients") for k, v in asdict(settings).items()})
    whole["document"] = asdict(clean)
    write_atomic(path, json.dumps(whole, ensure_ascii=False, indent=2).encode("utf-8"))
    return clean


def _clean(value: Any, multiline: bool = False) -> str:
    text = str(value or "")
    lines = [" ".join(line.split()) for line in text.splitlines()] if multiline else [" ".join(text.split())]
    return "\n".join(line[:MAX_TEXT] for line in lines if line)[: MAX_TEXT * 10]


@dataclass(frozen=True)
class Vote:
    """One candidate put to the council, with the votes it received and what the council decided."""

    key: str  # rule/group/candidate id (analysis.quota.council.key)
    group_title: str  # the rule and group, as the ballot named them
    id: str
    name: str
    unit_name: str
    measure: float | None
    status: str  # the simulation's status (awarded, tie_council…)
    votes_for: int
    votes_against: int
    decided: bool
    seats: int = 0  # the seats in play in the candidate's group


@dataclass(frozen=True)
class Decision:
    """A council session over one scenario's list for a year or period."""

    scenario_label: str  # the name the page shows (a preset's or a saved scenario's)
    scenario: dict[str, Any]  # the scenario as simulated, so the rule stays with the vote
    first: int
    last: int
    ballot: str  # ties | list: what was put to the vote
    session_date: date
    members: int
    present: int
    ballots_issued: int
    ballots_returned: int
    ballots_invalid: int
    threshold: str  # an id of data/rules/council.yaml
    votes: tuple[Vote, ...]
    final: tuple[str, ...]  # the candidate keys on the final list
    final_names: tuple[str, ...] = ()  # "name — award" as the list showed them when the vote was recorded
    recorded_by: str = ""
    recorded_at: datetime = field(default_factory=lambda: datetime.now().replace(microsecond=0))

    @property
    def scope_key(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}-{self.last}"


def folder(db: Path) -> Path:
    db = Path(db)
    return db.parent / f"{db.stem}.council"


class CouncilStore:
    def __init__(self, db: Path):
        self.dir = folder(db)

    def _path(self, first: int, last: int, label: str) -> Path:
        scope = str(first) if first == last else f"{first}-{last}"
        return self.dir / f"{scope}--{slug(label) or 'kich-ban'}.json"

    def record(self, decision: Decision) -> Decision:
        if decision.members < 1 or not 0 <= decision.present <= decision.members:
            raise CouncilStoreError("bad_record", label=decision.scenario_label)
        body = asdict(decision)
        body["session_date"] = decision.session_date.isoformat()
        body["recorded_at"] = decision.recorded_at.isoformat()
        write_atomic(
            self._path(decision.first, decision.last, decision.scenario_label),
            json.dumps(body, ensure_ascii=False, indent=2, default=str).encode("utf-8"),
        )
        return decision

    def get(self, first: int, last: int, label: str) -> Decision | None:
        path = self._path(first, last, label)
        return self._read(path) if path.is_file() else None

    def list(self, first: int | None = None, last: int | None = None) -> list[Decision]:
        """Every readable decision (for one scope when given), newest session first; an unreadable file is skipped."""
        out = []
        for path in sorted(self.dir.glob("*.json")) if self.dir.is_dir() else []:
            with contextlib.suppress(CouncilStoreError):
                d = self._read(path)
                if first is None or (d.first, d.last) == (first, last):
                    out.append(d)
        return sorted(out, key=lambda d: (d.session_date, d.recorded_at), reverse=True)

    def _read(self, path: Path) -> Decision:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            votes = tuple(Vote(**v) for v in data.pop("votes"))
            data["final"] = tuple(data["final"])
            data["final_names"] = tuple(data.get("final_names", ()))
            data["session_date"] = date.fromisoformat(data["session_date"])
            data["recorded_at"] = datetime.fromisoformat(data["recorded_at"])
            return Decision(votes=votes, **data)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise CouncilStoreError("unreadable", file=path.name) from exc
