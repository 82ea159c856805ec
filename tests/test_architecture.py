"""The layout's contracts: one-way layers (import-linter, configured in pyproject.toml), SQL only in store/,
thin pages, programme years only in data, one translate function and one error base.

Each rule is checked on the real tree, and the import contract is also shown to fail on a copy of the tree
given one upward import, so a green run means the contracts hold rather than that nothing was checked."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("core", "etl", "checks", "store", "analysis", "access", "services", "charts", "exports", "dashboard", "cli")
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
PAGE_LIMIT = 150
_SQL = re.compile(r"^\s*(SELECT|INSERT|CREATE|DELETE|UPDATE|WITH|DROP|DESCRIBE|ALTER|COPY|ATTACH)\s")


def _modules(*packages: str) -> Iterator[tuple[Path, ast.Module]]:
    for package in packages:
        for path in sorted((ROOT / package).rglob("*.py")):
            yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(cwd)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


def test_the_import_contracts_hold() -> None:
    run = _lint_imports(ROOT)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "0 broken" in run.stdout


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    """The same contracts on a copy of the tree where store/ imports the dashboard: lint-imports must refuse it."""
    tracked = subprocess.run(
        ["git", "ls-files", "-z", "--", "*.py", "pyproject.toml"], cwd=ROOT, capture_output=True, check=True
    ).stdout.decode()
    for name in filter(None, tracked.split("\0")):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, target)
    db = tmp_path / "store" / "db.py"
    db.write_text(db.read_text(encoding="utf-8") + "\nfrom dashboard import views  # noqa: E402, F401\n")
    run = _lint_imports(tmp_path)
    assert run.returncode != 0
    assert "store.db -> dashboard.views" in run.stdout


def test_no_sql_outside_store() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{node.lineno}"
        for path, tree in _modules(*(p for p in PACKAGES if p != "store"))
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and _SQL.match(node.value)
    ]
    assert not found, found
    assert not [
        p for p in ROOT.rglob("*.sql") if "store" not in p.relative_to(ROOT).parts[:1] and ".venv" not in p.parts
    ]


def test_pages_are_short() -> None:
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "dashboard/screens").glob("*.py")}
    assert {name: n for name, n in sizes.items() if n > PAGE_LIMIT} == {}


def test_pages_hold_no_queries_or_store_access() -> None:
    for path, tree in _modules("dashboard"):
        if path.parent.name != "screens":
            continue
        imported = {
            alias.name if isinstance(node, ast.Import) else node.module or ""
            for node in ast.walk(tree)
            if isinstance(node, ast.Import | ast.ImportFrom)
            for alias in node.names
        }
        assert not {m for m in imported if m.split(".")[0] in ("store", "duckdb")}, path.name


def _is_seed(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """A random seed that happens to be a year's number (the demo's and the robustness run's) is not a year."""
    parent = parents.get(node)
    if isinstance(parent, ast.keyword):
        return parent.arg in ("seed", "default") and "seed" in ast.unparse(parents.get(parent, parent))
    if isinstance(parent, ast.AnnAssign):
        return isinstance(parent.target, ast.Name) and parent.target.id == "seed"
    return False


def test_programme_years_live_in_data() -> None:
    """2021–2030 come from data/rules/reviews.yaml through core.programme, never from a literal in code."""
    found = []
    for path, tree in _modules(*PACKAGES):
        parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
        for node in ast.walk(tree):
            is_year = isinstance(node, ast.Constant) and type(node.value) is int and 2021 <= node.value <= 2030
            if is_year and not _is_seed(node, parents):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.value}")
    assert not found, found


def test_one_translate_function() -> None:
    """Only core.i18n translates: no module wraps `t` in a function that just prefixes an area to a key
    (core.i18n.Translator does that)."""
    wrappers = []
    for path, tree in _modules(*PACKAGES):
        if path.relative_to(ROOT).as_posix() == "core/i18n.py":
            continue
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            body = [b for b in node.body if not (isinstance(b, ast.Expr) and isinstance(b.value, ast.Constant))]
            if len(body) != 1 or not isinstance(body[0], ast.Return) or not isinstance(body[0].value, ast.Call):
                continue
            call = body[0].value
            key = call.args[0] if call.args else None
            params = {a.arg for a in node.args.args}
            if (
                isinstance(call.func, ast.Name)
                and call.func.id == "t"
                and isinstance(key, ast.JoinedStr)
                and any(isinstance(v, ast.FormattedValue) and ast.unparse(v.value) in params for v in key.values)
                and "key" in params
            ):
                wrappers.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not wrappers, wrappers


def test_one_error_base() -> None:
    """Every error a person reads derives from core.errors.ParboardError (a catalog code with parameters)."""
    others = []
    for path, tree in _modules(*PACKAGES):
        for node in ast.walk(tree):
            if not (isinstance(node, ast.ClassDef) and node.name.endswith("Error") and node.bases):
                continue  # a class with no base (a record such as FieldError) is not an exception
            bases = {ast.unparse(b) for b in node.bases}
            if node.name != "ParboardError" and not bases & {"ParboardError", "DatabaseError", "InputError"}:
                others.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name} {sorted(bases)}")
    assert not others, others


@pytest.mark.parametrize("package", ["store", "checks", "etl", "analysis", "core", "charts", "services", "exports"])
def test_only_dashboard_imports_streamlit_and_only_store_duckdb(package: str) -> None:
    """The same rule as the forbidden contracts, read straight from the source (function-level imports too)."""
    for path, tree in _modules(package):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                tops = {n.split(".")[0] for n in names}
                assert "streamlit" not in tops, path
                if package != "store":
                    assert not tops & {"duckdb", "sqlite3"}, path
