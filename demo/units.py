"""The unit register and its lineage across the 2025 reorganisation, for one province or the whole country."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

import numpy as np
import polars as pl

from demo import names
from demo.rng import FIRST_YEAR, OLD_END, REFORM_DATE, stream
from etl.specs import header

Scale = Literal["locality", "national"]

SCORED_KINDS = ("department", "district", "commune")
# Loại đơn vị → the kind frameworks are written for
KIND_OF = {
    "tỉnh": "province",
    "sở": "department",
    "ban": "department",
    "huyện": "district",
    "thị xã": "district",
    "thành phố": "district",
    "xã": "commune",
    "phường": "commune",
    "thị trấn": "commune",
    "đặc khu": "commune",
}
LAST_YEAR = {"locality": 2025, "national": 2030}

UNIT_SCHEMA = {
    "code": pl.String,
    "name": pl.String,
    "kind_vi": pl.String,
    "kind": pl.String,
    "parent": pl.String,
    "valid_from": pl.Date,
    "valid_to": pl.Date,
    "aliases": pl.String,
    "province": pl.String,
}
LINEAGE_SCHEMA = {"unit_code": pl.String, "predecessor_code": pl.String, "effective_date": pl.Date}
_LEVEL_ORDER = {"province": 0, "department": 1, "district": 2, "commune": 3}


@dataclass(frozen=True)
class Layout:
    scale: Scale
    seed: int
    years: tuple[int, ...]
    issuer: dict[str, str]
    units: pl.DataFrame  # UNIT_SCHEMA, one row per unit, sorted by level then code
    lineage: pl.DataFrame  # LINEAGE_SCHEMA, sorted

    def active(self, year: int) -> pl.DataFrame:
        """Units that exist on 31 December of `year`: the ones scored for that year."""
        return self.units.filter(active_expr(year))


def active_expr(year: int) -> pl.Expr:
    end = date(year, 12, 31)
    return (pl.col("valid_from").is_null() | (pl.col("valid_from") <= end)) & (
        pl.col("valid_to").is_null() | (pl.col("valid_to") >= end)
    )


def build_layout(scale: Scale = "locality", seed: int = 2021) -> Layout:
    unit_rows: list[dict] | dict[str, list]  # rows for a locality, columns for the whole country
    if scale == "locality":
        unit_rows, edges = _locality(seed)
        issuer = names.LOCALITY_ISSUER
    elif scale == "national":
        unit_rows, edges = _national(seed)
        issuer = names.NATIONAL_ISSUER
    else:
        raise ValueError(f"unknown scale {scale!r}")
    units = (
        pl.DataFrame(unit_rows, schema=UNIT_SCHEMA)
        .with_columns(pl.col("kind").replace_strict(_LEVEL_ORDER).alias("_level"))
        .sort("_level", "code")
        .drop("_level")
    )
    lineage = _with_relations(pl.DataFrame(edges, schema=LINEAGE_SCHEMA)).sort("unit_code", "predecessor_code")
    return Layout(scale, seed, tuple(range(FIRST_YEAR, LAST_YEAR[scale] + 1)), dict(issuer), units, lineage)


def _with_relations(edges: pl.DataFrame) -> pl.DataFrame:
    """The convention of the real register (etl/register.py): split when an old unit went to several new ones,
    rename when a new unit has exactly one predecessor (name changed or kept), merge otherwise."""
    out_degree = pl.col("unit_code").n_unique().over("predecessor_code")
    in_degree = pl.col("predecessor_code").n_unique().over("unit_code")
    return edges.with_columns(
        pl.when(out_degree > 1)
        .then(pl.lit("chia tách"))
        .when(in_degree == 1)
        .then(pl.lit("đổi tên"))
        .otherwise(pl.lit("sáp nhập"))
        .alias("relation")
    )


def _row(
    code: str,
    name: str,
    kind_vi: str,
    parent: str | None,
    province: str,
    *,
    valid_from: date | None = None,
    valid_to: date | None = None,
    aliases: str | None = None,
) -> dict:
    return {
        "code": code,
        "name": name,
        "kind_vi": kind_vi,
        "kind": KIND_OF[kind_vi],
        "parent": parent,
        "valid_from": valid_from,
        "valid_to": valid_to,
        "aliases": aliases,
        "province": province,
    }


def _title(kind_vi: str) -> str:
    return kind_vi[0].upper() + kind_vi[1:]


# ---------------------------------------------------------------------------------------------- locality


def _locality(seed: int) -> tuple[list[dict], list[dict]]:
    rng = stream(seed, "units/locality")
    prov = "DEMO-LH"
    rows = [_row(prov, names.PROVINCE_NAME, "tỉnh", None, prov)]
    for i, (name, kind_vi, alias) in enumerate(names.DEPARTMENTS[:20], start=1):
        rows.append(_row(f"{prov}-S{i:02d}", name, kind_vi, prov, prov, aliases=alias))

    old_by_district: list[list[dict]] = []
    x = 0
    for d, (dkind, dname) in enumerate(names.DISTRICTS, start=1):
        dcode = f"{prov}-H{d:02d}"
        rows.append(_row(dcode, f"{_title(dkind)} {dname}", dkind, prov, prov, valid_to=OLD_END))
        communes = _locality_communes(rng, dkind, dname, old_by_district)
        members = []
        for kind_vi, base in communes:
            x += 1
            r = _row(f"{prov}-X{x:03d}", f"{_title(kind_vi)} {base}", kind_vi, dcode, prov, valid_to=OLD_END)
            r["_base"] = base
            members.append(r)
        old_by_district.append(members)

    lineage: list[dict] = []
    used_names: set[str] = set()
    n = 0
    split_done = False
    for d, members in enumerate(old_by_district):
        dkind, dname = names.DISTRICTS[d]
        if dname == names.ISLAND_DISTRICT:
            groups = [members]
        else:
            # the seat town of the first two rural districts stays whole and only changes name (thị trấn → xã)
            force_single = dkind == "huyện" and d <= 3
            groups = _partition(rng, members, force_single_first=force_single)
        new_units = []
        for group in groups:
            n += 1
            code = f"{prov}-N{n:03d}"
            if dname == names.ISLAND_DISTRICT:
                kind_vi, base = "đặc khu", dname
            else:
                kind_vi = "phường" if any(m["kind_vi"] == "phường" for m in group) else "xã"
                base = group[int(rng.integers(len(group)))]["_base"]
            name = f"{_title(kind_vi)} {base}"
            while name in used_names:  # new names are unique within the province, as the reform required
                base = _compose(rng)
                name = f"{_title(kind_vi)} {base}"
            used_names.add(name)
            renamed = len(group) == 1 and name != group[0]["name"]
            rows.append(
                _row(
                    code,
                    name,
                    kind_vi,
                    prov,
                    prov,
                    valid_from=REFORM_DATE,
                    aliases=group[0]["name"] if renamed else None,
                )
            )
            lineage += [
                {"unit_code": code, "predecessor_code": m["code"], "effective_date": REFORM_DATE} for m in group
            ]
            new_units.append((code, group))
        # one old commune divided between two new ones: the last member of a merge also feeds the next unit
        if not split_done and dkind == "huyện" and dname != names.ISLAND_DISTRICT:
            for (_, g1), (c2, _) in pairwise(new_units):
                if len(g1) >= 2:
                    lineage.append({"unit_code": c2, "predecessor_code": g1[-1]["code"], "effective_date": REFORM_DATE})
                    split_done = True
                    break
    for members in old_by_district:
        for m in members:
            m.pop("_base")
            rows.append(m)
    return rows, lineage


def _compose(rng: np.random.Generator) -> str:
    while True:
        a = names.COMMUNE_FIRST[int(rng.integers(len(names.COMMUNE_FIRST)))]
        b = names.COMMUNE_SECOND[int(rng.integers(len(names.COMMUNE_SECOND)))]
        if a != b:
            return f"{a} {b}"


def _locality_communes(
    rng: np.random.Generator, dkind: str, dname: str, earlier: list[list[dict]]
) -> list[tuple[str, str]]:
    """(Loại đơn vị, name) of a district's communes; names unique within the district only."""
    plan: Sequence[tuple[str, str | None]]  # (kind, name), or (kind, None) for a name made up here
    if dname == names.ISLAND_DISTRICT:
        plan = [("thị trấn", dname)] + [("xã", None)] * 2
    elif dkind == "thành phố":
        plan = [("phường", None)] * 9
    elif dkind == "thị xã":
        plan = [("phường", None)] * 6 + [("xã", None)] * 4
    else:
        plan = [("thị trấn", dname)] + [("xã", None)] * int(rng.integers(11, 15))
    taken = {dname}
    out = []
    for kind_vi, base in plan:
        if base is None:
            base = _compose(rng)
            while base in taken:
                base = _compose(rng)
        taken.add(base)
        out.append((kind_vi, base))
    # the same commune name in two districts, as happens in real provinces
    if earlier and dkind == "huyện":
        prev = next((m["_base"] for m in earlier[-1] if m["kind_vi"] == "xã" and m["_base"] not in taken), None)
        if prev is not None:
            out[-1] = (out[-1][0], prev)
    return out


def _partition(rng: np.random.Generator, members: list[dict], *, force_single_first: bool) -> list[list[dict]]:
    """Cut a district's communes, in order, into merge groups of 1–3."""
    groups, i = [], 0
    if force_single_first:
        groups.append(members[:1])
        i = 1
    while i < len(members):
        size = int(rng.choice([1, 2, 3], p=[0.55, 0.3, 0.15]))
        groups.append(members[i : i + size])
        i += size
    return groups


# ---------------------------------------------------------------------------------------------- national

N_NEW_COMMUNES = {"xã": 2621, "phường": 687, "đặc khu": 13}
_KEPT_PROVINCES = 11


def _national(seed: int) -> tuple[dict[str, list], list[dict]]:
    rng = stream(seed, "units/national")
    cols: dict[str, list] = {k: [] for k in UNIT_SCHEMA}

    def add(
        code: str,
        name: str,
        kind_vi: str,
        parent: str | None,
        province: str,
        valid_from: date | None = None,
        valid_to: date | None = None,
    ) -> None:
        for k, v in _row(code, name, kind_vi, parent, province, valid_from=valid_from, valid_to=valid_to).items():
            cols[k].append(v)

    lineage: list[dict] = []
    # 63 → 34: 11 provinces kept whole, 52 merged into 23 (17 pairs, 6 triples)
    sizes = np.array([3] * 6 + [2] * 17)
    rng.shuffle(sizes)
    new_codes = [f"DEMO-P{i:02d}" for i in range(1, 35)]
    old_of_new: list[list[str]] = [[c] for c in new_codes[:_KEPT_PROVINCES]]
    t = 0
    for size in sizes:
        old_of_new.append([f"DEMO-T{t + j + 1:02d}" for j in range(size)])
        t += size
    for i, code in enumerate(new_codes):
        merged = i >= _KEPT_PROVINCES
        add(
            code,
            f"Tỉnh Mô Phỏng {code[5:]} (dữ liệu mô phỏng)",
            "tỉnh",
            None,
            code,
            valid_from=REFORM_DATE if merged else None,
        )
        if merged:
            for old in old_of_new[i]:
                add(old, f"Tỉnh Mô Phỏng {old[5:]} (dữ liệu mô phỏng)", "tỉnh", None, old, valid_to=OLD_END)
                lineage.append({"unit_code": code, "predecessor_code": old, "effective_date": REFORM_DATE})
        # departments were all re-established with the new provincial apparatus
        for j in range(int(rng.integers(18, 23))):
            name, kind_vi, _ = names.DEPARTMENTS[j]
            add(f"{code}-S{j + 1:02d}", name, kind_vi, code, code, valid_from=REFORM_DATE)

    # new communes: sizes per province, kinds shuffled, phường first within a province so they cluster in towns
    total = sum(N_NEW_COMMUNES.values())
    weights = rng.gamma(4.0, size=34)
    per_prov = 40 + rng.multinomial(total - 34 * 40, weights / weights.sum())
    kinds = np.repeat(np.array(list(N_NEW_COMMUNES)), list(N_NEW_COMMUNES.values()))
    kinds = kinds[rng.permutation(total)]
    prov_of = np.repeat(np.arange(34), per_prov)
    kind_rank = np.select([kinds == "phường", kinds == "xã"], [0, 1], 2)
    order = np.lexsort((kind_rank, prov_of))
    kinds, prov_of = kinds[order], prov_of[order]
    n_pred = rng.choice([1, 2, 3, 4, 5], size=total, p=[0.12, 0.22, 0.30, 0.24, 0.12])
    n_pred = np.where(kinds == "đặc khu", np.minimum(n_pred, 2), n_pred)
    # every new commune draws its predecessors from one old province of its new province
    old_prov = [old_of_new[p][int(rng.integers(len(old_of_new[p])))] for p in prov_of]
    new_commune_codes = [f"DEMO-N{i + 1:04d}" for i in range(total)]
    for i in range(total):
        add(
            new_commune_codes[i],
            f"{_title(str(kinds[i]))} Mô Phỏng {i + 1:04d}",
            str(kinds[i]),
            new_codes[prov_of[i]],
            new_codes[prov_of[i]],
            valid_from=REFORM_DATE,
        )

    # old communes, in old-province order, cut into districts of 8–21
    succ = np.repeat(np.arange(total), n_pred)
    old_prov_arr = np.array(old_prov)[succ]
    order = np.lexsort((succ, old_prov_arr))
    succ, old_prov_arr = succ[order], old_prov_arr[order]
    old_kind = np.where(kinds[succ] == "phường", "phường", "xã")
    n_old = len(succ)
    district_of = np.empty(n_old, dtype=np.int64)
    start, h = 0, 0
    while start < n_old:
        prov = old_prov_arr[start]
        end = start
        while end < n_old and old_prov_arr[end] == prov:
            end += 1
        i = start
        while i < end:
            size = int(rng.integers(8, 22))
            district_of[i : min(i + size, end)] = h
            h += 1
            i += size
        start = end
    n_districts = h
    phuong_share = np.bincount(district_of, weights=(old_kind == "phường").astype(float)) / np.bincount(district_of)
    district_kind = np.select([phuong_share >= 0.6, phuong_share >= 0.3], ["thành phố", "thị xã"], "huyện")
    district_prov = np.empty(n_districts, dtype=object)
    district_prov[district_of] = old_prov_arr
    for k in range(n_districts):
        dcode = f"DEMO-H{k + 1:04d}"
        add(
            dcode,
            f"{_title(str(district_kind[k]))} Mô Phỏng {k + 1:04d}",
            str(district_kind[k]),
            str(district_prov[k]),
            str(district_prov[k]),
            valid_to=OLD_END,
        )
    # the first xã of each rural district is its seat town
    first_of_district = np.r_[True, district_of[1:] != district_of[:-1]]
    seat = first_of_district & (district_kind[district_of] == "huyện") & (old_kind == "xã")
    old_kind = np.where(seat, "thị trấn", old_kind)
    old_codes = [f"DEMO-X{i + 1:05d}" for i in range(n_old)]
    for i in range(n_old):
        dk = int(district_of[i])
        add(
            old_codes[i],
            f"{_title(str(old_kind[i]))} Mô Phỏng Cũ {i + 1:05d}",
            str(old_kind[i]),
            f"DEMO-H{dk + 1:04d}",
            str(district_prov[dk]),
            valid_to=OLD_END,
        )

    # about 1 % of the new communes also take part of an old commune of their neighbour in the same province
    lineage += [
        {"unit_code": new_commune_codes[succ[i]], "predecessor_code": old_codes[i], "effective_date": REFORM_DATE}
        for i in range(n_old)
    ]
    candidates = np.flatnonzero((n_pred[succ] >= 2) & (succ + 1 < total))
    candidates = candidates[prov_of[succ[candidates]] == prov_of[np.minimum(succ[candidates] + 1, total - 1)]]
    lineage += [
        {"unit_code": new_commune_codes[succ[i] + 1], "predecessor_code": old_codes[i], "effective_date": REFORM_DATE}
        for i in np.sort(rng.choice(candidates, size=total // 100, replace=False))
    ]
    return cols, lineage


def unit_table(layout: Layout) -> pl.DataFrame:
    """units.csv as written: the headers of etl/tables.yaml."""
    return layout.units.select(
        pl.col("code").alias(header("units", "unit_code")),
        pl.col("name").alias(header("units", "name")),
        pl.col("kind_vi").alias(header("units", "kind")),
        pl.col("parent").alias(header("units", "parent_code")),
        pl.col("valid_from").alias(header("units", "valid_from")),
        pl.col("valid_to").alias(header("units", "valid_to")),
        pl.col("aliases").alias(header("units", "aliases")),
    )


def lineage_table(layout: Layout) -> pl.DataFrame:
    return layout.lineage.select(
        pl.col("unit_code").alias(header("lineage", "unit_code")),
        pl.col("predecessor_code").alias(header("lineage", "predecessor_code")),
        pl.col("effective_date").alias(header("lineage", "effective_date")),
        pl.col("relation").alias(header("lineage", "relation")),
    )
