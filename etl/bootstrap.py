"""The input files that start a database: the national reference data, a real province's register and
default rules (`parboard init`), or the synthetic demo (`parboard demo`).

Everything is written as ordinary input files beside the database and loaded by the normal pipeline,
so what was loaded can be opened and read, and carries provenance like any user file. The register comes from
the packages' data: callers pass vietnamadminunits' rows as store/admin_units.py reads them.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import yaml

from core import yamlfile
from core.paths import DATA as DATA_DIR
from etl.register import PackageRows, Register, province_register, provinces
from etl.specs import header

DATA = DATA_DIR
REFERENCE = DATA / "reference"
DEFAULT_RULES = DATA / "rules" / "default"
REFERENCE_RESULTS = (
    "par_index_published_facts.csv",
    "par_index_conflicting_claims.csv",
    "par_index_summary.csv",
    "national_index_results.csv",  # headline SIPAS, PAPI, PCI, DTI figures (official results)
    "national_index_components.csv",  # figures per component of every index (official results by component)
)

# Frame column -> input field of etl/tables.yaml, whose headers the files are written with.
_UNIT_FIELDS = {
    "unit_code": "unit_code",
    "name": "name",
    "subkind": "kind",
    "parent_code": "parent_code",
    "valid_from": "valid_from",
    "valid_to": "valid_to",
}
_LINEAGE_FIELDS = {
    "unit_code": "unit_code",
    "predecessor_code": "predecessor_code",
    "effective_date": "effective_date",
    "relation": "relation",
}


def _write(frame: pl.DataFrame, table: str, fields: dict[str, str], path: Path) -> Path:
    frame.select(list(fields)).rename({col: header(table, f) for col, f in fields.items()}).write_csv(path)
    return path


def write_units(units: pl.DataFrame, path: Path) -> Path:
    return _write(units, "units", _UNIT_FIELDS, path)


def write_lineage(lineage: pl.DataFrame, path: Path) -> Path:
    return _write(lineage, "lineage", _LINEAGE_FIELDS, path)


def reference_files(folder: Path, package: PackageRows) -> list[Path]:
    """The 63 former and 34 current provinces with their lineage, the ministries, the published results."""
    folder.mkdir(parents=True, exist_ok=True)
    p = provinces(package)
    units = p.select(
        "unit_code",
        "name",
        pl.col("division_type").alias("subkind"),
        pl.lit(None, dtype=pl.Utf8).alias("parent_code"),
        "valid_from",
        "valid_to",
    )
    lineage = p.filter(pl.col("unit_code") != pl.col("successor_code")).select(
        pl.col("successor_code").alias("unit_code"),
        pl.col("unit_code").alias("predecessor_code"),
        pl.lit("2025-07-01").str.to_date().alias("effective_date"),
        pl.lit("merge").alias("relation"),
    )
    return [
        write_units(units, folder / "provinces.csv"),
        write_lineage(lineage, folder / "provinces_lineage.csv"),
        REFERENCE / "ministries.csv",
        *(REFERENCE / name for name in REFERENCE_RESULTS),
    ]


def province_files(folder: Path, name_or_code: str, package: PackageRows) -> tuple[Register, list[Path]]:
    """A real province's register (current communes, former districts and communes, lineage) and default rules."""
    register = province_register(name_or_code, package)
    folder.mkdir(parents=True, exist_ok=True)
    slug = register.province_code
    files = [
        write_units(register.units, folder / f"units_{slug}.csv"),
        write_lineage(register.lineage, folder / f"lineage_{slug}.csv"),
    ]
    issuer = {"code": register.province_code, "name": f"UBND {register.province_name}"}
    for rules in sorted(DEFAULT_RULES.glob("*.yaml")):
        doc = yamlfile.load(rules.read_text(encoding="utf-8"))
        doc["issuer"] = issuer
        out = folder / rules.name
        out.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
        files.append(out)
    return register, files
