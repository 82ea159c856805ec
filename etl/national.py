"""Published national index tables by component, read with no mapping file.

A ministry's annex, the PAPI report or the PCI table is wide: a row per province, a column per component headed
as the publication writes it ("LV3. Cải cách TTHC (14,50)", "Gia nhập thị trường", "Quản trị điện tử"), often a
headline column ("Chỉ số CCHC (%)", "Điểm số PCI") and ranks. `widen` recognises such a sheet from the national
indices registry (core.indices) and turns it into the long layout of the `official_components` table, one row per
unit and component, each keeping its sheet row, so the ordinary mapping (types, units of the year, problems)
reads it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace

import polars as pl

from core import indices
from core.text import fold
from etl.raw import RawTable
from etl.specs import header, table_specs

TABLE = "official_components"
MIN_COMPONENTS = 3  # fewer component columns than this is not a component table
HEADLINE = "__headline__"  # the component cell of a headline row (the index itself)

_RANK = ("xep hang", "thu hang", "hang", "rank", "xh", "bang xep hang")
_SCORE = ("diem", "diem so", "chi so", "gia tri", "score", "%", "chi so (%)", "diem (%)")
_GROUP = ("nhom", "xep loai", "nhom xep hang", "group")
_TOTAL = ("tong diem", "tong so diem", "diem tong hop", "tong", "chi so tong hop", "total")
_MINISTRY_UNIT = ("bo, nganh", "bo nganh", "bo, co quan ngang bo", "bo", "ministry")


def _national_unit_headers() -> frozenset[str]:
    """The unit headers of national tables: a province's own tables name units "Đơn vị", "Tên đơn vị"."""
    own = {fold(h) for h in ("tên đơn vị", "đơn vị", "unit", "tên cơ quan, đơn vị")}
    return frozenset(h for h in table_specs()[TABLE].fields["unit"].headers if h not in own)


@dataclass(frozen=True)
class _Col:
    index: int
    role: str  # component | headline | rank | group | unit | unit_code | year | sources | note
    label: str
    index_codes: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()
    component: str | None = None  # the label the component is read by (the header part that names it)
    header_max: float | None = None
    of: int | None = None  # rank/score of which column (index of the component or headline column)


def _classify(raw: RawTable) -> list[_Col]:
    unit_headers = _national_unit_headers()
    specs = table_specs()[TABLE]
    cols: list[_Col] = []
    for i, (label, parts) in enumerate(zip(raw.columns, raw.header_parts, strict=True)):
        parts = parts or (label,)
        folded = [fold(p) for p in parts]
        if any(p in unit_headers for p in folded):
            cols.append(_Col(i, "unit", label, levels=frozenset(_level_of_unit_header(folded))))
            continue
        field = specs.field_for_header(label) or specs.field_for_header(parts[0])
        if field in ("unit_code", "year", "sources", "note"):
            cols.append(_Col(i, field, label))
            continue
        found = None
        for part in reversed(parts):  # "Chỉ số thành phần" over "LV3 (14,50)": the lower part names it
            matches = indices.match_component(part)
            if matches:
                found = (part, matches)
                break
        sub = folded[-1] if len(parts) > 1 else None
        if found and (sub is None or sub not in _RANK):
            part, matches = found
            cols.append(
                _Col(
                    i,
                    "component",
                    label,
                    index_codes=frozenset(m.index_code for m in matches),
                    levels=frozenset(m.level for m in matches),
                    component=part,
                    header_max=matches[0].header_max,
                )
            )
            continue
        if found and sub in _RANK:  # "Cải cách TTHC" over "Xếp hạng": that component's rank
            cols.append(_Col(i, "rank", label, component=found[0]))
            continue
        headline = next((indices.headline_index(p) for p in parts if indices.headline_index(p)), None)
        if headline:
            rank_below = sub in _RANK
            cols.append(_Col(i, "rank" if rank_below else "headline", label, index_codes=frozenset({headline})))
            continue
        if any(p in _TOTAL for p in folded):
            cols.append(_Col(i, "headline", label))
        elif folded[-1] in _RANK or folded[0] in _RANK:
            cols.append(_Col(i, "rank", label))
        elif any(p == g or p.startswith(g + " ") for p in folded for g in _GROUP):
            cols.append(_Col(i, "group", label))
        elif folded[-1] in _SCORE and len(parts) > 1:
            cols.append(_Col(i, "score_of_top", label, component=parts[0]))
        else:
            cols.append(_Col(i, "other", label))
    return _attach_ranks(cols)


def _level_of_unit_header(folded: list[str]) -> set[str]:
    return {"ministry"} if any(p in _MINISTRY_UNIT for p in folded) else set()


def _attach_ranks(cols: list[_Col]) -> list[_Col]:
    """A rank column belongs to the component or headline column it follows (or names, in a two-row header)."""
    out: list[_Col] = []
    last_scored: _Col | None = None
    for c in cols:
        if c.role in ("component", "headline"):
            last_scored = c
        if c.role == "rank":
            owner = None
            if c.component is not None:
                owner = next((o for o in out if o.role == "component" and o.component == c.component), None)
            if (
                owner is None
                and last_scored is not None
                and not any(o.role == "rank" and o.of == last_scored.index for o in out)
            ):
                owner = last_scored
            c = replace(c, of=owner.index if owner else None)
        out.append(c)
    return out


def widen(raw: RawTable) -> RawTable | None:
    """The sheet as a long official_components table, or None when it is not a national component table."""
    cols = _classify(raw)
    units = [c for c in cols if c.role in ("unit", "unit_code")]
    comps = [c for c in cols if c.role == "component"]
    if not units or len(comps) < MIN_COMPONENTS:
        return None
    votes = Counter(code for c in comps for code in c.index_codes)
    index_code, count = votes.most_common(1)[0]
    if count < MIN_COMPONENTS:
        return None
    comps = [c for c in comps if index_code in c.index_codes]
    unit_levels = {lv for c in units for lv in c.levels}
    level_votes = Counter(lv for c in comps for lv in c.levels)
    level = next(iter(unit_levels)) if unit_levels else ("province" if level_votes["province"] else "ministry")
    headline = next(
        (c for c in cols if c.role == "headline" and (not c.index_codes or index_code in c.index_codes)), None
    )
    rank_of = {c.of: c for c in cols if c.role == "rank" and c.of is not None}
    group = next((c for c in cols if c.role == "group"), None)
    passthrough = [c for c in cols if c.role in ("unit", "unit_code", "year", "sources", "note")]
    data = raw.data
    frames = []
    scored = [*comps, *([headline] if headline else [])]
    for c in scored:
        rank = rank_of.get(c.index)
        is_headline = c is headline
        frames.append(
            data.select(
                pl.col("source_row"),
                pl.lit(index_code).alias(header(TABLE, "index_code")),
                pl.lit(level).alias(header(TABLE, "level")),
                *[pl.col(raw.column_name(p.index)).alias(header(TABLE, p.role)) for p in passthrough],
                pl.lit(HEADLINE if is_headline else c.component).alias(header(TABLE, "component")),
                pl.col(raw.column_name(c.index)).alias(header(TABLE, "score")),
                (pl.col(raw.column_name(rank.index)) if rank else pl.lit(None, dtype=pl.Utf8)).alias(
                    header(TABLE, "rank")
                ),
                (
                    pl.col(raw.column_name(group.index))
                    if group is not None and is_headline and index_code == "par_index"
                    else pl.lit(None, dtype=pl.Utf8)
                ).alias(header(TABLE, "group")),
            )
        )
    long = pl.concat(frames).sort("source_row", maintain_order=True)
    # A unit row with nothing in a component cell is a blank cell, not a claim.
    long = long.filter(pl.col(header(TABLE, "score")).is_not_null() | pl.col(header(TABLE, "rank")).is_not_null())
    labels = [c for c in long.columns if c not in ("source_row",)]
    renamed = long.rename({name: f"c{i}" for i, name in enumerate(labels)})
    return RawTable(
        file_name=raw.file_name,
        sha256=raw.sha256,
        sheet=raw.sheet,
        header_rows=raw.header_rows,
        columns=tuple(labels),
        header_parts=tuple((name,) for name in labels),
        data=renamed.select(*[f"c{i}" for i in range(len(labels))], "source_row"),
        dropped_footer_rows=raw.dropped_footer_rows,
        title=raw.title,
    )
