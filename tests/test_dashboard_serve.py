"""The dashboard's catalogs (every key it uses exists, in both languages) and its serve command."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from core.i18n import catalog
from dashboard.serve import ENTRY, serve_command, serve_env

ROOT = Path(__file__).resolve().parent.parent


def test_catalogs_have_the_same_keys() -> None:
    # Plotly's toolbar texts are keyed by plotly.js's own English: the English catalog keeps them as they are.
    own = ("dashboard.", "dashboard.plotly_modebar.")
    vi = {k for k in catalog("vi") if k.startswith(own[0]) and not k.startswith(own[1])}
    en = {k for k in catalog("en") if k.startswith(own[0]) and not k.startswith(own[1])}
    assert vi == en
    assert {k for k in catalog("vi") if k.startswith(own[1])}, "the Vietnamese toolbar texts are there"
    for key in vi:  # the same placeholders in both languages
        assert set(re.findall(r"{(\w+)}", catalog("vi")[key])) == set(re.findall(r"{(\w+)}", catalog("en")[key])), key


_BIND = re.compile(r'^\s*(\w+) = (?:translator|Translator)\(\s*"(dashboard[\w.]*)"')
_INLINE = re.compile(r'(?:translator|Translator)\(\s*"(dashboard[\w.]*)"[^)]*\)\(\s*["\']([\w.]+)["\']')


def _keys_used(text: str) -> set[str]:
    """dashboard.* keys named in full (t("dashboard.x")) or through a Translator bound to a dashboard area
    (say = translator("dashboard.home"); say("title")), the binding in force where each call is made."""
    used = set(re.findall(r'\bt\(\s*"(dashboard\.[\w.]+)"', text))
    bound: dict[str, str] = {}
    for line in text.splitlines():
        if match := _BIND.match(line):
            bound[match.group(1)] = match.group(2)
        for name, area in bound.items():
            used |= {f"{area}.{k}" for k in re.findall(rf'\b{name}\(\s*["\']([\w.]+)["\']', line)}
        used |= {f"{area}.{k}" for area, k in _INLINE.findall(line)}
    return used


def test_every_key_the_dashboard_uses_exists() -> None:
    used: set[str] = set()
    for folder in ("dashboard", "services"):  # the pages, and the services that word their tables and cards
        for path in (ROOT / folder).rglob("*.py"):
            used |= _keys_used(path.read_text(encoding="utf-8"))
    assert used, "no keys found: the pattern no longer matches the code"
    missing = sorted(k for k in used if k not in catalog("vi"))
    assert not missing


def test_serve_command_is_safe(tmp_path: Path) -> None:
    cmd = serve_command(port=8765)
    assert cmd[:4] == [sys.executable, "-m", "dashboard.launch", "run"]  # Streamlit's CLI, modules preloaded
    assert cmd[4] == str(ENTRY) and Path(cmd[4]).is_absolute()  # the app behind dashboard/guard.py
    flags = dict(arg[2:].split("=", 1) for arg in cmd[5:])
    assert flags["server.address"] == "127.0.0.1"
    assert flags["server.port"] == "8765"
    assert flags["server.headless"] == "true"
    assert flags["browser.gatherUsageStats"] == "false"
    assert flags["server.enableXsrfProtection"] == "true"
    assert flags["client.showErrorDetails"] == "none"
    assert serve_env(tmp_path / "x.duckdb")["PARBOARD_DB"] == str(tmp_path / "x.duckdb")


def test_config_file_matches_the_flags() -> None:
    import tomllib

    from dashboard.serve import SAFE_FLAGS, THEME

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["address"] == "127.0.0.1"
    for name, value in {**SAFE_FLAGS, **THEME}.items():
        section, option = name.split(".")
        assert str(config[section][option]).lower() == value, name


def test_serve_returns_the_server_exit_code(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import dashboard.serve as serve_module

    seen: dict[str, str] = {}

    def fake_command(port: int = 8501, address: str = "127.0.0.1") -> list[str]:
        seen.update(port=str(port), address=address)
        return [sys.executable, "-c", "import os, sys; sys.exit(3 if os.environ['PARBOARD_DB'] else 0)"]

    monkeypatch.setattr(serve_module, "serve_command", fake_command)
    assert serve_module.serve(tmp_path / "db.duckdb", port=9999) == 3
    assert seen == {"port": "9999", "address": "127.0.0.1"}


def test_serve_starts_one_server_per_process_on_consecutive_ports(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`parboard serve --processes 3`: three servers on 9990, 9991, 9992, each on the same database; when one
    exits, the others are stopped and its exit code is returned."""
    import dashboard.serve as serve_module

    ports: list[int] = []

    def fake_command(port: int = 8501, address: str = "127.0.0.1") -> list[str]:
        ports.append(port)
        # Each server marks the database it was given; the first exits with 4 once all three have, the others
        # would run until stopped.
        script = f"""
import os, pathlib, sys, time
db = os.environ["PARBOARD_DB"]
pathlib.Path(f"{{db}}.{port}").touch()
if {port} != 9990:
    time.sleep(60)
others = [pathlib.Path(f"{{db}}.{{p}}") for p in (9991, 9992)]
deadline = time.monotonic() + 30
while not all(p.exists() for p in others) and time.monotonic() < deadline:
    time.sleep(0.05)
sys.exit(4)
"""
        return [sys.executable, "-c", script]

    monkeypatch.setattr(serve_module, "serve_command", fake_command)
    db = tmp_path / "db.duckdb"
    assert serve_module.serve(db, port=9990, processes=3) == 4
    assert ports == [9990, 9991, 9992]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.duckdb.9990", "db.duckdb.9991", "db.duckdb.9992"]


def test_serve_refuses_fewer_than_one_process(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from cli.main import main

    assert main(["serve", "--db", str(tmp_path / "db.duckdb"), "--auth", "off", "--processes", "0"]) == 2
    assert "--processes" in capsys.readouterr().err


def test_the_server_collects_garbage_the_usual_way_not_after_every_page_run() -> None:
    """A full collection after each run was ~0.14 s of CPU per page (bench/profile_runs.py)."""
    flags = dict(arg[2:].split("=", 1) for arg in serve_command()[5:])
    assert flags["runner.postScriptGC"] == "false"
