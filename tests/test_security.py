"""What the code never does with what users send: unpickle, evaluate, load YAML with tags, run a shell, build
SQL from text; and what leaves it safely: exported cells never run as formulas, URL state is only parsed.

The first part reads the project's own source (an AST scan, so a comment or a string cannot trip it and a
renamed import cannot hide); a snippet of bad code shows the scan finds each thing it looks for.
"""

from __future__ import annotations

import ast
import io
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exports.cells import neutralise
from exports.tables import TableMeta, to_csv, to_xlsx

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    "access",
    "analysis",
    "bench",
    "charts",
    "checks",
    "cli",
    "core",
    "dashboard",
    "demo",
    "etl",
    "exports",
    "services",
    "store",
)

_UNSAFE_MODULES = {"pickle", "cPickle", "marshal", "shelve", "dill", "cloudpickle", "jsonpickle"}
_SQL_METHODS = {"execute", "executemany", "sql"}
# Functions that return the text of a .sql file shipped in the package: the argument picks a file.
_SQL_READERS = {"read_sql", "sql_text", "_sql"}
# Methods of a string that keep it what it was (trimming the ";" off a file's text).
_SAME_TEXT = {"strip", "rstrip", "lstrip"}

# SQL built with an f-string from values that are not plain constants, each checked by hand. Key: the file and
# the function; value: why nothing a user sends reaches the text (values always travel as parameters).
SQL_EXCEPTIONS = {
    ("store/check_frames.py", "candidate_rows"): (
        "the suite's query is the text of store/sql/checks/<suite>.sql, named in rules.yaml; the WHERE clause is "
        "built by store/check_candidates.could_fail from rules.yaml (column names quoted, values as SQL literals); "
        "the temporary table's name is a module constant"
    ),
    ("store/check_frames.py", "_unit_year_views"): (
        "the tables are those rules.yaml names under per_unit_year (checked against the suite's reads when it is "
        "loaded); the catalog and the scope table's names are module constants"
    ),
    ("store/check_frames.py", "_attached"): (
        "ATTACH takes no parameter: the path is the published version's own file (store.db.current_file), its "
        "quotes doubled; the catalog's name is a module constant"
    ),
    ("store/publish.py", "next_id"): (
        "table and column are string constants at every call (load_run/load_id, source/source_id)"
    ),
    ("store/upgrade.py", "upgrade"): (
        "the schema is the text of store/sql/schema.sql; the DDL of a missing table is DuckDB's own text of that "
        "table as the schema creates it; table, column and type names come from information_schema of the "
        "schema's in-memory copy, and the names are quoted"
    ),
    ("store/publish.py", "apply_rows"): (
        "the table must be a key of TABLE_KEYS (a fixed dict; any other name raises KeyError first); its columns "
        "are read from information_schema for that table; key columns come from TABLE_KEYS; every value "
        "(table name in row_history, load id, time) is a bound parameter"
    ),
    ("store/publish.py", "_insert_new"): (
        "called by apply_rows only, after its TABLE_KEYS lookup: the table is a key of that fixed dict, the columns "
        "are read from information_schema for it"
    ),
    ("store/publish.py", "_to_derive"): (
        "called by apply_rows and _insert_new only, with queries built there from constants and the temporary "
        "tables classified and incoming; the scope table's name is the constant _SCOPE"
    ),
    ("store/publish.py", "derive"): (
        "the tables are those of DERIVED and the views' names and queries those of _ALL and _SCOPED, module "
        "constants; the scope table's name is the constant _SCOPE"
    ),
}


@dataclass(frozen=True)
class Finding:
    file: str
    line: int
    function: str
    what: str


class _Scan(ast.NodeVisitor):
    def __init__(self, file: str, tree: ast.Module):
        self.file = file
        self.findings: list[Finding] = []
        self.sql_built: list[Finding] = []
        self.stack: list[ast.AST] = []
        # Module-level names bound once to a string constant (table names such as _FRAME).
        self.constants = {
            t.id
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for t in node.targets
            if isinstance(t, ast.Name)
        }

    def _function(self) -> str:
        names = [n.name for n in self.stack if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
        return names[-1] if names else "<module>"

    def _flag(self, node: ast.AST, what: str) -> None:
        self.findings.append(Finding(self.file, getattr(node, "lineno", 0), self._function(), what))

    def generic_visit(self, node: ast.AST) -> None:
        self.stack.append(node)
        super().generic_visit(node)
        self.stack.pop()

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            if alias.name.split(".")[0] in _UNSAFE_MODULES:
                self._flag(node, f"import {alias.name}")
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if (node.module or "").split(".")[0] in _UNSAFE_MODULES:
            self._flag(node, f"from {node.module} import")
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        owner = func.value.id if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) else ""
        keywords = {k.arg: k.value for k in node.keywords}
        if isinstance(func, ast.Name) and name in ("eval", "exec", "__import__"):
            self._flag(node, f"{name}()")
        if owner == "yaml" and name in ("load", "load_all"):
            loader = keywords.get("Loader", node.args[1] if len(node.args) > 1 else None)
            loader_name = ast.unparse(loader) if loader is not None else ""
            if not loader_name.endswith(("SafeLoader", "CSafeLoader")):
                self._flag(node, f"yaml.{name} without SafeLoader")
        if owner == "yaml" and name in ("unsafe_load", "full_load", "unsafe_load_all", "full_load_all"):
            self._flag(node, f"yaml.{name}")
        if (owner, name) in (("os", "system"), ("os", "popen"), ("subprocess", "getoutput")):
            self._flag(node, f"{owner}.{name}() runs a shell")
        shell = keywords.get("shell")
        if shell is not None and not (isinstance(shell, ast.Constant) and shell.value is False):
            self._flag(node, f"{name}(shell=...)")
        sql_call = isinstance(func, ast.Attribute) and name in _SQL_METHODS and bool(node.args)
        if sql_call and not self._fixed(node.args[0], set()):
            self.sql_built.append(Finding(self.file, node.lineno, self._function(), ast.unparse(node.args[0])))
        self.generic_visit(node)

    # --- is a query's text fixed in the source? ------------------------------------------------------------

    def _assigned(self, name: str) -> list[ast.expr]:
        """What name is bound to in the enclosing function (or the module)."""
        scope = next(
            (n for n in reversed(self.stack) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)),
            self.stack[0] if self.stack else None,
        )
        values: list[ast.expr] = []
        for node in ast.walk(scope) if scope is not None else []:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
                values.append(node.value)
            if isinstance(node, ast.arg) and node.arg == name:
                values.append(ast.Name(id="<argument>"))  # a parameter: its text comes from the caller
        return values

    def _fixed(self, expr: ast.expr, seen: set[str]) -> bool:
        if isinstance(expr, ast.Constant):
            return isinstance(expr.value, str)
        if isinstance(expr, ast.JoinedStr):
            return all(
                isinstance(v, ast.Constant) or self._fixed(v.value, seen)
                for v in expr.values
                if not isinstance(v, ast.Constant)
            )
        if isinstance(expr, ast.Call):
            func = expr.func
            called = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
            if called in _SQL_READERS:
                return True
            return called in _SAME_TEXT and isinstance(func, ast.Attribute) and self._fixed(func.value, seen)
        if isinstance(expr, ast.Subscript):
            return self._fixed(expr.value, seen)
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return self._fixed(expr.left, seen) and self._fixed(expr.right, seen)
        if isinstance(expr, ast.Name):
            if expr.id in self.constants:
                return True
            if expr.id in seen:
                return False
            values = self._assigned(expr.id)
            return bool(values) and all(self._fixed(v, seen | {expr.id}) for v in values)
        return False


def scan_source(text: str, file: str) -> tuple[list[Finding], list[Finding]]:
    """(unsafe constructs, SQL calls whose text is built from something other than constants) in one file."""
    tree = ast.parse(text, file)
    scan = _Scan(file, tree)
    scan.visit(tree)
    return scan.findings, scan.sql_built


def _project_files() -> list[Path]:
    return sorted(p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py"))


def test_the_scan_covers_the_whole_project() -> None:
    files = _project_files()
    assert len(files) > 100
    assert {p.relative_to(ROOT).parts[0] for p in files} == set(PACKAGES)


def test_no_unpickling_eval_unsafe_yaml_or_shell_in_the_project() -> None:
    found = []
    for path in _project_files():
        found += scan_source(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))[0]
    assert found == []


def test_sql_text_is_fixed_or_a_listed_exception() -> None:
    built: dict[tuple[str, str], list[Finding]] = {}
    for path in _project_files():
        for f in scan_source(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)))[1]:
            built.setdefault((f.file, f.function), []).append(f)
    unlisted = {key: calls for key, calls in built.items() if key not in SQL_EXCEPTIONS}
    assert unlisted == {}, "SQL built from non-constant text: pass values as parameters, or justify it here"
    assert set(SQL_EXCEPTIONS) <= set(built), f"listed but no longer there: {set(SQL_EXCEPTIONS) - set(built)}"


_BAD_SNIPPET = """
import pickle
import yaml, os, subprocess
from marshal import loads
_TABLE = "unit"

def handler(con, user_text, path):
    eval(user_text)
    exec("x = 1")
    yaml.load(open(path))
    yaml.load(open(path), Loader=yaml.SafeLoader)
    subprocess.run("ls " + path, shell=True)
    os.system("ls")
    con.execute("SELECT * FROM unit WHERE name = ?", [user_text])
    con.execute(f"SELECT * FROM {_TABLE}")
    con.execute(f"SELECT * FROM unit WHERE name = '{user_text}'")
    query = "SELECT * FROM unit WHERE name = '" + user_text + "'"
    con.sql(query)
"""


def test_the_scan_finds_each_thing_it_looks_for() -> None:
    unsafe, built = scan_source(_BAD_SNIPPET, "snippet.py")
    assert sorted(f.what for f in unsafe) == sorted(
        [
            "import pickle",
            "from marshal import",
            "eval()",
            "exec()",
            "yaml.load without SafeLoader",
            "run(shell=...)",
            "os.system() runs a shell",
        ]
    )
    # The parameterised query and the one naming a module constant pass; the two built from input do not.
    assert [f.what for f in built] == ["f\"SELECT * FROM unit WHERE name = '{user_text}'\"", "query"]
    assert all(f.function == "handler" for f in built)


# --- formula injection in exports ------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
formula_like = st.builds(lambda start, rest: start + rest, st.sampled_from(_FORMULA_STARTS), st.text(max_size=40))


@settings(max_examples=200, derandomize=True, deadline=None)
@given(formula_like)
def test_neutralise_quotes_every_formula_start(text: str) -> None:
    out = neutralise(text)
    assert out == "'" + text
    assert neutralise(out) == out  # once is enough: a quoted cell starts with "'"


@settings(max_examples=100, derandomize=True, deadline=None)
@given(
    st.one_of(
        st.integers(),
        st.floats(allow_nan=False),
        st.none(),
        st.text().filter(lambda s: not s.startswith(_FORMULA_STARTS)),
    )
)
def test_neutralise_leaves_everything_else_alone(value: object) -> None:
    assert neutralise(value) == value


def _as_stored(text: str) -> str:
    """How a workbook keeps control characters (Excel's _xHHHH_ escapes, which openpyxl returns as they are)."""
    return "".join(f"_x{ord(ch):04X}_" if ord(ch) < 32 and ch not in "\t\n" else ch for ch in text)


@settings(max_examples=15, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(formula_like, min_size=1, max_size=6))
def test_an_exported_workbook_holds_no_formula_from_input(names: list[str]) -> None:
    frame = pl.DataFrame({"Đơn vị": names, "Điểm": [-1.5] * len(names)})
    data = to_xlsx(frame, TableMeta(title=names[0], filters=[("Đơn vị", names[-1])], source=names[0]))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells), [c.value for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {_as_stored("'" + n) for n in names} <= texts
    assert -1.5 in {c.value for c in cells}  # numbers stay numbers, negative ones included
    csv_text = to_csv(frame).decode("utf-8-sig")
    assert all(("'" + n.replace('"', '""')) in csv_text for n in names)


# --- URL state --------------------------------------------------------------------------------------------

query_text = st.one_of(
    st.text(max_size=80),
    st.from_regex(r"20[0-9]{2}(s[0-9]{1,3}(\.[0-9]{1,3})?)?(r-?[0-9]{1,6})?(,.*)?", fullmatch=True),
    st.sampled_from(
        [
            "__import__('os').system('id')",
            "1; DROP TABLE unit",
            "{{7*7}}",
            "${7*7}",
            "2026s1e9",
            "2026snan",
            "2026s-5",
            "2026r0",
            "9" * 70,
            "TST-X01\x00",
            "../../etc/passwd",
        ]
    ),
)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(query_text)
def test_url_values_parse_to_valid_choices_or_nothing(text: str) -> None:
    from dashboard import state

    for name, parse in state.PARAMS.items():
        value = parse(text)
        if value is None:
            continue
        if name in ("year", "top"):
            assert isinstance(value, int) and str(value) == text.lstrip("+")
        else:
            assert value == text and state._CODE.match(value)  # a code is returned as sent, never evaluated
    targets = state.parse_targets(text)
    for year, target in targets.items():
        assert year in state.YEARS
        assert target.score is None or 0 <= target.score <= 100
        assert target.rank is None or target.rank >= 1
        assert target.score is not None or target.rank is not None
    assert state.parse_targets(state.format_targets(targets)) == targets


@pytest.mark.parametrize("text", ["__import__('os').system('touch /tmp/parboard-pwned')", "2026s50r1,2099s1"])
def test_url_state_never_runs_what_it_is_given(text: str, tmp_path: Path) -> None:
    from dashboard import state

    state.parse_targets(text)
    for parse in state.PARAMS.values():
        parse(text)
    assert not Path("/tmp/parboard-pwned").exists()
