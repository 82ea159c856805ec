"""Every file of tests/fixtures/bad/ is refused or warned with the rule expected.yaml names, nothing crashes,
and a refused load leaves the published database byte-for-byte as it was."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from checks_helpers import copy_published, fingerprint

from checks.config import load as load_rules
from etl.mapping import Mapping, read_mapping
from services.load import load_files
from store import quality_log

BAD = Path(__file__).parent / "fixtures" / "bad"
EXPECTED: dict[str, dict] = yaml.safe_load((BAD / "expected.yaml").read_text(encoding="utf-8"))


def test_the_corpus_is_complete() -> None:
    stored = {p.name for p in BAD.iterdir() if p.suffix != ".py" and p.name != "expected.yaml"}
    mappings = {e["mapping"] for e in EXPECTED.values() if "mapping" in e}
    companions = {f for e in EXPECTED.values() for f in e.get("load_with", [])}
    generated = {name for name, e in EXPECTED.items() if e.get("generated")}
    assert stored == set(EXPECTED) - generated | mappings | companions
    assert len(EXPECTED) >= 40
    assert len({e["defect"] for e in EXPECTED.values()}) == len(EXPECTED)


def _enormous(path: Path) -> Path:
    """A scores CSV with one row more than the limit, written at test time (about 40 MB)."""
    rows = int(load_rules().setting("max_file_rows")) + 1
    line = b"DEMO-LH-S01,S\xe1\xbb\x9f N\xe1\xbb\x99i v\xe1\xbb\xa5,2024,1.1,1.75,1.5,\n"
    with open(path, "wb") as fh:
        fh.write(
            "Mã đơn vị,Tên đơn vị,Năm,Mã tiêu chí,Điểm tự đánh giá,Điểm thẩm định,Điểm điều tra xã hội học\n".encode()
        )
        chunk = line * 10_000
        for _ in range(rows // 10_000 + 1):
            fh.write(chunk)
    return path


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_bad_file_is_refused_or_warned_with_its_rule(name: str, demo_db: Path, tmp_path: Path) -> None:
    case = EXPECTED[name]
    db = copy_published(demo_db, tmp_path / "db")
    before = fingerprint(db)
    path = _enormous(tmp_path / name) if case.get("generated") else BAD / name
    files = [BAD / f for f in case.get("load_with", [])] + [path]
    mapping = read_mapping(BAD / case["mapping"]) if "mapping" in case else Mapping()

    report = load_files(db, files, mapping=mapping, replace=case.get("replace", False))

    found = {(p.code, p.severity) for p in report.errors + report.notes}
    assert (case["rule"], case["severity"]) in found, (name, sorted(found))
    named = [p for p in report.errors + report.notes if p.code == case["rule"]]
    assert all(p.file for p in named if p.code.startswith(("dq_score", "dq_appraised", "dq_conflicting"))), named
    for p in named:  # every message renders in both languages and names the file when it has one
        for lang in ("vi", "en"):
            text = p.message(lang)
            assert "{" not in text and f"problems.{p.code}" not in text, text
            if p.file:
                assert p.file in text
    if case["severity"] == "error":
        assert report.status == "refused"
        assert fingerprint(db) == before
        pending = quality_log.quarantine(db).filter(quality_log.pl.col("status") == "pending")
        assert case["rule"] in pending["rule"].to_list()
    else:
        assert report.status == "published"
        assert not report.errors
