"""Every YAML file the project reads gives the same data through libyaml (core.yamlfile) as through PyYAML's
pure-Python safe loader, which the rules, catalogs, accounts and registry files were first read with."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from core import yamlfile

ROOT = Path(__file__).resolve().parents[1]
FILES = sorted(p for folder in ("data", "checks", "access") for p in (ROOT / folder).rglob("*.yaml"))


def test_the_fast_loader_is_libyaml() -> None:
    assert yamlfile._FastestSafeLoader is yaml.CSafeLoader


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(ROOT)) for p in FILES])
def test_same_data_as_the_safe_loader(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert yamlfile.load(text) == yaml.safe_load(text)
