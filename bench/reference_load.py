"""The reference for the load benchmark: the same files read and inserted the plain way.

pandas reads the CSV and parquet files (openpyxl the spreadsheets, PyYAML the rules), a dict resolves unit
codes, sqlite3 `executemany` inserts the rows, and two GROUP BY statements derive the component and unit
totals. No checks, no history, no versions: it is what a straightforward script would do, so the ratio
shows what parboard's guarantees cost, or save.

    .venv/bin/python -m bench.reference_load --scale national --runs 3
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import statistics
import time
from pathlib import Path

_SCHEMA = """
CREATE TABLE unit (code TEXT PRIMARY KEY, name TEXT, kind TEXT, parent TEXT, valid_from TEXT, valid_to TEXT);
CREATE TABLE unit_lineage (new_code TEXT, old_code TEXT, effective TEXT, relation TEXT);
CREATE TABLE framework_item (unit_kind TEXT, year INTEGER, component TEXT, item_code TEXT, max_points REAL);
CREATE TABLE tier_band (unit_kind TEXT, year INTEGER, tier TEXT, lower REAL);
CREATE TABLE unit_score (unit_code TEXT, year INTEGER, item_code TEXT, self_score REAL, appraised REAL,
                         survey REAL, PRIMARY KEY (unit_code, year, item_code));
CREATE TABLE component_result (unit_code TEXT, year INTEGER, component TEXT, score REAL);
CREATE TABLE unit_result (unit_code TEXT, year INTEGER, total REAL);
CREATE TABLE record (kind TEXT, unit_code TEXT, person_code TEXT, year TEXT, payload TEXT);
"""

_SCORE_COLUMNS = {
    "Mã đơn vị": "unit_code",
    "Năm": "year",
    "Mã tiêu chí": "item_code",
    "Điểm tự đánh giá": "self_score",
    "Điểm thẩm định": "appraised",
    "Điểm điều tra xã hội học": "survey",
}


def _read_table(path: Path):  # -> pandas.DataFrame
    import pandas as pd

    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        rows = list(load_workbook(path, read_only=True, data_only=True).active.iter_rows(values_only=True))
        return pd.DataFrame(rows[1:], columns=rows[0])
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def _number(series):  # -> pandas.Series
    import pandas as pd

    return pd.to_numeric(series.astype(str).str.replace(",", ".", regex=False).replace("", None), errors="coerce")


def _rules(con: sqlite3.Connection, path: Path) -> None:
    import yaml

    doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    for year in doc["years"]:
        if doc["rules"] == "framework":
            con.executemany(
                "INSERT INTO framework_item VALUES (?, ?, ?, ?, ?)",
                [
                    (doc["unit_kind"], year, comp["code"], crit["code"], crit["max"])
                    for comp in doc["components"]
                    for crit in comp.get("criteria", [])
                ],
            )
        else:
            con.executemany(
                "INSERT INTO tier_band VALUES (?, ?, ?, ?)",
                [(doc["unit_kind"], year, b.get("tier"), b.get("min")) for b in doc["tiers"]],
            )


def load(files: list[Path], db: Path) -> int:
    """Read every file and insert its rows; returns the number of rows inserted."""
    con = sqlite3.connect(db)
    con.executescript(_SCHEMA)
    units: set[str] = set()
    rows = 0
    for path in files:
        if path.suffix == ".yaml":
            _rules(con, path)
            continue
        df = _read_table(path)
        name = path.stem
        if name == "units":
            values = df.iloc[:, :6].astype(str).values.tolist()
            con.executemany("INSERT INTO unit VALUES (?, ?, ?, ?, ?, ?)", values)
            units.update(df["Mã đơn vị"])
        elif name == "lineage":
            values = df.iloc[:, :4].astype(str).values.tolist()
            con.executemany("INSERT INTO unit_lineage VALUES (?, ?, ?, ?)", values)
        elif name.startswith("scores_"):
            df = df.rename(columns=_SCORE_COLUMNS)
            unknown = set(df["unit_code"]) - units
            if unknown:
                raise ValueError(f"{path.name}: unknown units {sorted(unknown)[:5]}")
            for col in ("self_score", "appraised", "survey"):
                df[col] = _number(df[col])
            df["year"] = df["year"].astype(int)
            values = df[list(_SCORE_COLUMNS.values())].astype(object).where(df.notna(), None).values.tolist()
            con.executemany("INSERT INTO unit_score VALUES (?, ?, ?, ?, ?, ?)", values)
        else:
            codes = df["Mã đơn vị"] if "Mã đơn vị" in df else [None] * len(df)
            people = df["Mã cá nhân"] if "Mã cá nhân" in df else [None] * len(df)
            years = df["Năm"] if "Năm" in df else df.iloc[:, 0]
            payload = df.astype(str).apply(lambda r: json.dumps(list(r), ensure_ascii=False), axis=1)
            con.executemany(
                "INSERT INTO record VALUES (?, ?, ?, ?, ?)",
                list(zip([name] * len(df), codes, people, years, payload, strict=True)),
            )
        rows += len(df)
    con.execute(
        """INSERT INTO component_result
           SELECT s.unit_code, s.year, f.component, SUM(COALESCE(s.appraised, s.self_score))
           FROM unit_score s JOIN unit u ON u.code = s.unit_code
           JOIN framework_item f ON f.item_code = s.item_code AND f.year = s.year
                AND f.unit_kind = CASE WHEN u.kind IN ('sở', 'ban', 'department') THEN 'department'
                                       WHEN u.kind IN ('huyện', 'thị xã', 'thành phố', 'quận') THEN 'district'
                                       ELSE 'commune' END
           GROUP BY 1, 2, 3"""
    )
    con.execute("INSERT INTO unit_result SELECT unit_code, year, SUM(score) FROM component_result GROUP BY 1, 2")
    con.commit()
    con.close()
    return rows


def _child(db: Path, manifest: Path) -> None:
    files = [Path(p) for p in json.loads(manifest.read_text())]
    start = time.perf_counter()
    rows = load(files, db)
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = usage.ru_utime + usage.ru_stime  # every thread's, import included
    print(json.dumps({"rows": rows, "seconds": seconds, "peak_mb": usage.ru_maxrss / 1024, "cpu_seconds": cpu}))


def measure(manifest: Path, runs: int) -> list[dict]:
    """Each run in a fresh process into a fresh file, like bench.load, so peak memory is the run's own."""
    from bench.load import run_children

    return run_children(manifest, runs, module="bench.reference_load", db_name="ref.sqlite")


def main() -> None:
    from bench.load import OUT, _files

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", choices=("locality", "national"), default="national")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2021)
    parser.add_argument("--child", nargs=2, metavar=("DB", "FILES_JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(Path(args.child[0]), Path(args.child[1]))
        return
    _files(args.scale, args.seed)
    results = measure(OUT / f"{args.scale}-{args.seed}" / "files.json", args.runs)
    seconds = [r["seconds"] for r in results]
    print(
        f"reference load ({args.scale}): {results[0]['rows']:,} rows, median {statistics.median(seconds):.2f} s "
        f"(min {min(seconds):.2f}, max {max(seconds):.2f}), peak {max(r['peak_mb'] for r in results):,.0f} MB"
    )


if __name__ == "__main__":
    main()
