"""From a raw sheet to rows of a parboard table: which table it is, which column is which field, typed
values, units and criteria resolved. Every refused cell becomes a Problem naming its row and column.

Long layouts have one row per unit, year and criterion; wide ones one row per unit with a column per
criterion or area, often under a merged header ("Điểm tự đánh giá" over "1.1", "1.2"…).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import polars as pl

from core import fmt, indices, programme
from core.text import fold, lower_key, nfc, strip_diacritics
from core.vocab import raw as vocab_raw
from core.vocab import subkind_spellings
from etl import national
from etl.items import ItemIndex, parse_header
from etl.mapping import MEASURES, Mapping
from etl.problems import GroupKey, InputError, Problem, Severity, Term, field_term, group_key, grouped
from etl.raw import RawTable
from etl.rules import TOTAL_ITEM
from etl.specs import TableSpec, ignored_headers, subtotal_markers, table_specs
from etl.units import UnitRegister, describe_candidates, full_key, register_of
from etl.values import BAD_VALUE_PROBLEM, NUMBER_TYPES, PARSERS, as_text

MAX_PROBLEMS_PER_COLUMN = 10
YEARS = (programme.first_year(), programme.last_year())  # a year outside the programme is a typing error
_YEAR_SHEET = re.compile(r"^\D*(20[23]\d)\D*$")


@dataclass
class LoadContext:
    """What the published database (plus files earlier in the same load) already knows."""

    units: pl.DataFrame  # unit_code, name, kind, valid_from, valid_to, aliases
    frameworks: pl.DataFrame  # framework_id, issuer_code, unit_kind, year
    items: pl.DataFrame  # framework_id, item_code, item_level, name_key, max_points, method
    persons: pl.DataFrame  # person_id, unit_code
    _register: UnitRegister | None = None

    @property
    def register(self) -> UnitRegister:
        if self._register is None:
            self._register = register_of(self.units)
        return self._register


@dataclass
class MappedTable:
    spec: TableSpec
    raw: RawTable
    layout: str  # long | wide
    frame: pl.DataFrame  # target columns + source_row
    labels: dict[str, str]  # field -> the header it was read from ("_label": per-row, wide layouts)
    notes: list[Problem] = field(default_factory=list)  # warnings and information shown after the load

    def target_frames(self) -> dict[str, pl.DataFrame]:
        """Rows per database table, in the order they must be written."""
        if self.spec.name == "individuals":
            person = self.frame.sort("year", descending=True).unique("person_id", keep="first", maintain_order=True)
            return {"person": person, "person_year": self.frame}
        if self.spec.name == national.TABLE and "_headline" in self.frame.columns:
            # A wide table's headline column is the index's own result: official_result, beside the components.
            headline = self.frame.filter(pl.col("_headline"))
            parts = {self.spec.target: self.frame.filter(~pl.col("_headline"))}
            if headline.height:
                parts["official_result"] = headline
            return parts
        return {self.spec.target: self.frame}


@dataclass(frozen=True)
class Column:
    index: int
    label: str
    field: str | None = None  # a spec field
    measure: str | None = None  # wide: which score this column holds
    item: str | None = None  # wide: the criterion / area (its code when the header was recognised)
    max_points: float | None = None  # wide: a maximum written in the header ("LV3 (14,50)")


class _Problems:
    """Collects problems, keeping the first few of each cause and counting the rest: many cells failing for one
    reason become one message (etl.problems.grouped); problems grouped leaves alone (no row, or each about its
    own subject) are listed a few times, then counted."""

    def __init__(self, raw: RawTable):
        self.raw = raw
        self.items: list[Problem] = []
        self._counts: dict[GroupKey, int] = {}
        # (field, row) of cells already refused for what they hold: not empty, so never "required cell is empty"
        self.refused_cells: set[tuple[str, int]] = set()

    def add(
        self,
        code: str,
        *,
        row: int | None = None,
        column: str | None = None,
        severity: Severity = "error",
        **params: object,
    ) -> None:
        problem = Problem(
            code,
            severity=severity,
            file=self.raw.file_name,
            sheet=self.raw.sheet,
            row=row,
            column=column,
            params=params,
        )
        key = group_key(problem)
        self._counts[key] = self._counts.get(key, 0) + 1
        if self._counts[key] <= MAX_PROBLEMS_PER_COLUMN:
            self.items.append(problem)

    def finish(self) -> list[Problem]:
        self.items = grouped(self.items, self._counts)
        folded = {group_key(p) for p in self.items if p.count > 1}
        for key, count in self._counts.items():
            if key not in folded and count > MAX_PROBLEMS_PER_COLUMN:
                _code, severity, _file, _sheet, column = key
                self.items.append(
                    Problem(
                        "more_like_this",
                        severity=severity,  # type: ignore[arg-type]
                        file=self.raw.file_name,
                        sheet=self.raw.sheet,
                        column=column,
                        params={"count": count - MAX_PROBLEMS_PER_COLUMN},
                    )
                )
        return self.items

    @property
    def errors(self) -> bool:
        return any(p.severity == "error" for p in self.items)


# ---------------------------------------------------------------- which table, which columns


def assign_columns(raw: RawTable, spec: TableSpec, mapping: Mapping, items: ItemIndex) -> list[Column]:
    measures = set(spec.wide_measures)
    ignored = ignored_headers()
    columns = []
    for index, (label, parts) in enumerate(zip(raw.columns, raw.header_parts, strict=True)):
        pinned = mapping.field_for(label)
        if pinned:
            columns.append(Column(index, label, field=pinned))
            continue
        pinned_item = mapping.item_for(label) or (mapping.item_for(parts[-1]) if len(parts) > 1 else None)
        top = parts[0] if parts else label
        last = parts[-1] if parts else label  # a column whose header cell is empty has no parts
        top_field = mapping.field_for(top) or (spec.measure_for_group(top) if measures else None)
        if measures and len(parts) > 1 and parts[1] and top_field in measures:
            found = None if pinned_item else items.resolve(parts[1])
            item = pinned_item or (found.code if found else parts[1])
            maximum = found.max_points if found else None
            columns.append(Column(index, label, measure=top_field, item=item, max_points=maximum))
            continue
        whole = spec.field_for_header(label) or (
            spec.field_for_header(top) if len(parts) > 1 and not parts[1] else None
        )
        found = None if whole or pinned_item or not measures else items.resolve(last)
        if whole:
            columns.append(Column(index, label, field=whole))
        elif measures and (pinned_item or found):
            # A plain criterion column holds the measure the mapping names (appraised by default); a survey
            # area's column holds its survey points.
            measure = (
                "survey_score" if found and found.method == "survey" and mapping.measure == "appraised_score" else None
            )
            item = pinned_item or (found.code if found else last)
            maximum = found.max_points if found else None
            columns.append(Column(index, label, measure=measure or mapping.measure, item=item, max_points=maximum))
        elif fold(label) in ignored or fold(top) in ignored:
            columns.append(Column(index, label, field="_ignored"))
        else:
            columns.append(Column(index, label))
    return _one_total(columns)


def _one_total(columns: list[Column]) -> list[Column]:
    """A table that gives the points and the index ("Tổng điểm" and "Chỉ số CCHC (%)") is read for the index;
    the other total column is left aside (and said so)."""
    totals = [c for c in columns if c.field == "total"]
    if len(totals) < 2:
        return columns
    keep = next((c for c in totals if "%" in c.label), totals[0])
    return [Column(c.index, c.label) if c.field == "total" and c is not keep else c for c in columns]


def _score(raw: RawTable, spec: TableSpec, columns: list[Column], mapping: Mapping) -> int:
    fields = {c.field for c in columns if c.field and c.field != "_ignored"}
    wide = any(c.measure for c in columns)
    have = fields | ({"item"} if wide else set()) | ({"year"} if mapping.year or _year_in_title(raw) else set())
    if "unit_code" in have and "unit" in spec.fields:
        have.add("unit")
    missing = [f.name for f in spec.fields.values() if f.required and f.name not in have]
    return -1 if missing else len(fields) + (2 if wide else 0)


def detect(raw: RawTable, mapping: Mapping, ctx: LoadContext) -> tuple[TableSpec, list[Column]]:
    specs = table_specs()
    keys = ItemIndex(ctx.items)
    if mapping.table:
        spec = specs[mapping.table]
        return spec, assign_columns(raw, spec, mapping, keys)
    scored = []
    for spec in specs.values():
        columns = assign_columns(raw, spec, mapping, keys)
        scored.append((_score(raw, spec, columns, mapping), spec.name, spec, columns))
    # On a tie, a province's own result table ("Đơn vị", "Kết quả (%)") is far more common than the
    # national one, which names its units "Tỉnh, thành phố" (a header only it knows).
    scored.sort(key=lambda s: (-s[0], s[1] != "scores"))
    best = scored[0]
    tied = len(scored) > 1 and scored[1][0] == best[0]
    if tied and best[1] == "scores" and scored[1][1] == "official_results":
        tied = len(scored) > 2 and scored[2][0] == best[0]
    if best[0] < 2 or tied:
        raise InputError(
            [
                Problem(
                    "table_unknown",
                    file=raw.file_name,
                    sheet=raw.sheet,
                    row=raw.header_rows[0] if raw.header_rows else None,
                    params={"headers": ", ".join(raw.columns[:12]), "tables": ", ".join(specs)},
                )
            ]
        )
    return best[2], best[3]


# ---------------------------------------------------------------- cells to typed values


def _extract(
    raw: RawTable, columns: list[Column], numbers: frozenset[str] = frozenset()
) -> tuple[pl.DataFrame, dict[str, str], str]:
    """A long frame of text cells, one column per field; wide columns unpivoted to item/measure rows.

    A number column (parquet) stays a number only for the fields in `numbers`; every other field gets its text.
    """
    data = raw.data
    by_field: dict[str, Column] = {}
    for c in columns:
        if c.field and c.field != "_ignored" and c.field not in by_field:
            by_field[c.field] = c
    labels = {f: c.label for f, c in by_field.items()}
    base = data.select(pl.col("source_row"), *[pl.col(raw.column_name(c.index)).alias(f) for f, c in by_field.items()])
    base = base.with_columns(
        as_text(base.get_column(f)) for f in by_field if f not in numbers and base.schema[f] != pl.Utf8
    )
    wide = [c for c in columns if c.measure]
    if not wide:
        return base, labels, "long"
    parts = []
    for c in wide:
        parts.append(
            base.with_columns(
                pl.lit(c.item).alias("item"),
                pl.lit(c.measure).alias("_measure"),
                pl.lit(c.label).alias("_label"),
                as_text(data.get_column(raw.column_name(c.index))).alias("_value"),
            )
        )
    long = pl.concat(parts)
    keys = ["source_row", "item", *by_field]
    values = long.pivot(on="_measure", index=keys, values="_value", aggregate_function="first")
    label_of = long.group_by("source_row", "item").agg(pl.col("_label").first().alias("_label"))
    values = values.join(label_of, on=["source_row", "item"], how="left")
    for m in MEASURES:
        if m not in values.columns:
            values = values.with_columns(pl.lit(None, dtype=pl.Utf8).alias(m))
    labels["item"] = "_label"
    for m in MEASURES:
        labels[m] = "_label"
    return values.sort("source_row", maintain_order=True), labels, "wide"


def _parse(frame: pl.DataFrame, spec: TableSpec, labels: dict[str, str], problems: _Problems) -> pl.DataFrame:
    rows = frame.get_column("source_row")
    out = {"source_row": rows}
    not_applicable = pl.Series("not_applicable", [False] * frame.height)
    for name, fs in spec.fields.items():
        if name not in frame.columns:
            continue
        column = frame.get_column(name)
        if name in MEASURES:
            # "KAD" in a score cell is no score and no error: the criterion does not apply to the unit. Where a
            # column is one criterion (wide layouts), a dash says the same; in a long layout a dash under the
            # survey column of an appraisal criterion only says there is no survey score.
            marked = _not_applicable(column, dash="_label" in frame.columns)
            not_applicable = not_applicable | marked
            column = column.set(marked, None) if marked.any() else column
        parsed, bad = PARSERS[fs.type](column if fs.type in NUMBER_TYPES else as_text(column))
        if bad.any():
            code = BAD_VALUE_PROBLEM.get(fs.type, "bad_word")
            label_col = labels.get(name, name)
            texts = as_text(column).filter(bad).to_list()
            where = (
                frame.get_column(label_col).filter(bad).to_list()
                if label_col in frame.columns
                else [label_col] * len(texts)
            )
            for row, text, column in zip(rows.filter(bad).to_list(), texts, where, strict=True):
                problems.add(code, row=row, column=column, value=text, field=name)
            problems.refused_cells.update((name, row) for row in rows.filter(bad).to_list())
        if fs.type == "year":
            outside = parsed.is_not_null() & ~parsed.is_between(*YEARS)
            for row, value in zip(rows.filter(outside).to_list(), parsed.filter(outside).to_list(), strict=True):
                problems.add(
                    "year_out_of_range",
                    row=row,
                    column=labels.get(name, name),
                    value=value,
                    low=YEARS[0],
                    high=YEARS[1],
                )
            problems.refused_cells.update((name, row) for row in rows.filter(outside).to_list())
            parsed = parsed.set(outside, None)
        out[name] = parsed.alias(name)
    for extra in ("_label",):
        if extra in frame.columns:
            out[extra] = frame.get_column(extra)
    for m in MEASURES:
        if m in out:
            # A criterion marked under one measure and scored under another (self "-", appraised 7) applies.
            not_applicable = not_applicable & out[m].is_null()
    if not_applicable.any():
        out["not_applicable"] = not_applicable
    return pl.DataFrame(out)


def _mark_key(text: str) -> str:
    # Case, diacritics and spacing only: punctuation stays, so Excel's error "#N/A" is never read as "N/A".
    return " ".join(strip_diacritics(nfc(text)).lower().split())


def _not_applicable(column: pl.Series, *, dash: bool) -> pl.Series:
    marks = {_mark_key(m) for m in vocab_raw()["score_marks"]["not_applicable"]}
    if dash:
        marks |= {_mark_key(m) for m in vocab_raw()["score_marks"]["not_applicable_dash"]}
    text = as_text(column)
    # Folded once per distinct cell text, not once per row: a score column repeats a few hundred values.
    marked = [v for v in text.unique().drop_nulls().to_list() if _mark_key(v) in marks]
    return text.is_in(marked).fill_null(False).alias("not_applicable")


def _require(frame: pl.DataFrame, labels: dict[str, str], problems: _Problems, fields: list[str]) -> None:
    for name in fields:
        if name not in frame.columns:
            continue
        missing = frame.filter(pl.col(name).is_null())
        for row in missing.get_column("source_row").to_list():
            if (name, row) not in problems.refused_cells:
                problems.add("missing_value", row=row, column=labels.get(name, name), field=field_term(name))


# ---------------------------------------------------------------- references


def _resolve_units(
    frame: pl.DataFrame,
    ctx: LoadContext,
    mapping: Mapping,
    labels: dict[str, str],
    problems: _Problems,
    kinds: frozenset[str] | None = None,
) -> pl.DataFrame:
    """Fill unit_code from the unit column (names) or check the codes given."""
    known = set(ctx.units.get_column("unit_code").to_list())
    if "unit_code" in frame.columns and frame.get_column("unit_code").is_not_null().all():
        unknown = frame.filter(~pl.col("unit_code").is_in(known))
        for row, code in unknown.select("source_row", "unit_code").iter_rows():
            problems.add("unit_code_unknown", row=row, column=labels.get("unit_code"), value=code)
        _check_code_names(frame.filter(pl.col("unit_code").is_in(known)), ctx, labels, problems, kinds)
        return frame
    if "unit" not in frame.columns:
        return frame
    year_col = "year" if "year" in frame.columns else None
    pairs = frame.select("unit", *([year_col] if year_col else [])).unique().drop_nulls("unit")
    resolved: list[dict[str, object]] = []
    first_row = frame.group_by("unit", *([year_col] if year_col else [])).agg(
        pl.col("source_row").min().alias("row"), pl.len().alias("n")
    )
    first = {(r["unit"], r.get(year_col) if year_col else None): (r["row"], r["n"]) for r in first_row.to_dicts()}
    pins = {full_key(k): v for k, v in mapping.units.items()}
    for pair in pairs.to_dicts():
        name, year = pair["unit"], pair.get(year_col) if year_col else None
        match = ctx.register.match(name, year=year, kinds=kinds, pins=pins)
        if match.code:
            resolved.append({"unit": name, "year_key": year, "_code": match.code})
            continue
        row, n = first[(name, year)]
        code, candidates = ("unit_ambiguous", match.ambiguous) if match.ambiguous else ("unit_unknown", match.closest)
        problems.add(
            code,
            row=row,
            column=labels.get("unit"),
            value=name,
            rows=n,
            year=year or "—",
            candidates=describe_candidates(candidates),
        )
    lookup = pl.DataFrame(resolved, schema={"unit": pl.Utf8, "year_key": pl.Int32, "_code": pl.Utf8})
    if year_col:
        frame = frame.join(lookup, left_on=["unit", year_col], right_on=["unit", "year_key"], how="left")
    else:
        frame = frame.join(lookup.drop("year_key").unique("unit"), on="unit", how="left")
    if "unit_code" in frame.columns:
        frame = frame.with_columns(pl.coalesce("unit_code", "_code").alias("unit_code")).drop("_code")
    else:
        frame = frame.rename({"_code": "unit_code"})
    return frame


def _check_code_names(
    frame: pl.DataFrame,
    ctx: LoadContext,
    labels: dict[str, str],
    problems: _Problems,
    kinds: frozenset[str] | None,
) -> None:
    """A row with both a code and a name whose name is exactly another unit's: which one the sender meant
    cannot be told, so the rows are refused rather than loaded into the code's unit."""
    if "unit" not in frame.columns:
        return
    by = ["unit_code", "unit", *(["year"] if "year" in frame.columns else [])]
    named = frame.drop_nulls("unit")
    register = ctx.register
    others: dict[tuple, str] = {}  # (code, name[, year]) -> the unit the name is
    pairs = named.select(by).unique(maintain_order=True)
    # nearly every pair's name is its code's unit's as registered, found in one pass: only the rest are matched
    for key in pairs.filter(~register.agreeing(pairs, kinds)).iter_rows():
        code, name, year = key[0], key[1], (key[2] if len(key) > 2 else None)
        match = register.match(name, year=year, kinds=kinds)
        if match.code is not None and match.code != code:
            others[key] = match.code
    if not others:
        return
    # The rows of each disagreeing (code, name, year), gathered only for those (a national load has 265,000
    # of them, and their row lists would be three million Python integers)
    keys = pl.DataFrame([list(k) for k in others], schema=named.select(by).schema, orient="row")
    groups = (
        named.join(keys, on=by, how="semi", nulls_equal=True)
        .group_by(by)
        .agg(pl.col("source_row").sort().alias("rows"))
    )
    names = dict(ctx.units.select("unit_code", "name").iter_rows())
    for g in groups.sort(pl.col("rows").list.first()).to_dicts():
        rows = g["rows"]
        shown_rows = ", ".join(map(str, rows[:10])) + (f" (+{len(rows) - 10})" if len(rows) > 10 else "")
        problems.add(
            "unit_code_name_disagree",
            row=rows[0],
            column=labels.get("unit"),
            unit_code=g["unit_code"],
            code_name=names.get(g["unit_code"], ""),
            value=g["unit"],
            other=others[tuple(g[c] for c in by)],
            rows=shown_rows,
        )


def _frameworks_for(frame: pl.DataFrame, ctx: LoadContext, mapping: Mapping, problems: _Problems) -> pl.DataFrame:
    kinds = ctx.units.select("unit_code", pl.col("kind").alias("unit_kind"))
    frame = frame.join(kinds, on="unit_code", how="left")
    fws = ctx.frameworks
    if mapping.issuer:
        fws = fws.filter(pl.col("issuer_code") == mapping.issuer)
    per_key = fws.group_by("unit_kind", "year").agg(pl.col("framework_id").sort().alias("ids"))
    frame = frame.join(per_key, on=["unit_kind", "year"], how="left")
    # A code not in the units list has no kind: it is already refused as unknown, and has no framework to miss.
    gaps = (
        frame.filter(pl.col("ids").is_null() & pl.col("unit_code").is_not_null() & pl.col("unit_kind").is_not_null())
        .group_by("unit_kind", "year")
        .agg(pl.col("source_row").min())
    )
    for kind, year, row in gaps.select("unit_kind", "year", "source_row").iter_rows():
        problems.add("framework_missing", row=row, kind=Term(f"cli.kind.{kind}"), year=year)
    several = (
        frame.filter(pl.col("ids").list.len() > 1)
        .group_by("unit_kind", "year")
        .agg(pl.col("source_row").min(), pl.col("ids").first())
    )
    for kind, year, row, ids in several.select("unit_kind", "year", "source_row", "ids").iter_rows():
        problems.add("framework_ambiguous", row=row, kind=Term(f"cli.kind.{kind}"), year=year, ids=", ".join(ids))
    return frame.with_columns(pl.col("ids").list.first().alias("framework_id")).drop("ids")


def _resolve_items(frame: pl.DataFrame, ctx: LoadContext, labels: dict[str, str], problems: _Problems) -> pl.DataFrame:
    items = ctx.items.select("framework_id", "item_code", "max_points", "method")
    by_code = items.with_columns(pl.col("item_code").alias("_key"))
    by_name = ctx.items.select("framework_id", "item_code", "max_points", "method", pl.col("name_key").alias("_key"))
    lookup = pl.concat([by_code, by_name]).unique(["framework_id", "_key"], keep="first")
    distinct = frame.select(pl.col("item").unique()).drop_nulls()
    keyed = distinct.with_columns(
        pl.col("item")
        .str.strip_chars()
        .str.replace(r"^(?i:tiêu chí|tiêu chí thành phần|lĩnh vực|tc)\s+", "")
        .alias("_code_key"),
        pl.col("item").map_elements(fold, return_dtype=pl.Utf8).alias("_name_key"),
    )
    frame = frame.join(keyed, on="item", how="left")
    frame = frame.join(lookup.rename({"_key": "_code_key"}), on=["framework_id", "_code_key"], how="left")
    by_name_found = lookup.rename(
        {"_key": "_name_key", "item_code": "_n_code", "max_points": "_n_max", "method": "_n_method"}
    )
    frame = (
        frame.join(by_name_found, on=["framework_id", "_name_key"], how="left")
        .with_columns(
            pl.coalesce("item_code", "_n_code").alias("item_code"),
            pl.coalesce("max_points", "_n_max").alias("max_points"),
            pl.coalesce("method", "_n_method").alias("method"),
        )
        .drop("_code_key", "_name_key", "_n_code", "_n_max", "_n_method")
    )
    unknown = frame.filter(
        pl.col("item_code").is_null() & pl.col("item").is_not_null() & pl.col("framework_id").is_not_null()
    )
    label = labels.get("item", "item")
    for r in unknown.select(
        "source_row", "item", "framework_id", *([label] if label in frame.columns else [])
    ).to_dicts():
        problems.add(
            "item_unknown",
            row=r["source_row"],
            column=r.get(label, label),
            value=r["item"],
            framework=r["framework_id"],
        )
    return frame


# ---------------------------------------------------------------- per table


def _check_header_maxima(scored: pl.DataFrame, maxima: dict[str, float], problems: _Problems) -> None:
    """A maximum written in a header ("LV3 (14,50)") must be the framework's: else the file was scored against
    another version of the framework, and its figures would be read wrongly. One error per column."""
    if not maxima or "_label" not in scored.columns:
        return
    seen: set[str] = set()
    pairs = scored.select("_label", "framework_id", "item_code", "max_points").unique().drop_nulls()
    for label, framework, item, framework_max in pairs.iter_rows():
        header_max = maxima.get(label)
        if header_max is None or label in seen or abs(header_max - framework_max) < 0.005:
            continue
        seen.add(label)
        problems.add(
            "item_max_mismatch",
            column=label,
            header_max=header_max,
            framework=framework,
            item=item,
            framework_max=framework_max,
        )


def _finish_scores(
    frame: pl.DataFrame,
    ctx: LoadContext,
    mapping: Mapping,
    labels: dict[str, str],
    problems: _Problems,
    maxima: dict[str, float] | None = None,
) -> pl.DataFrame:
    maxima = maxima or {}
    frame = _resolve_units(frame, ctx, mapping, labels, problems)
    frame = _frameworks_for(frame, ctx, mapping, problems)
    has_item = "item" in frame.columns
    measure_cols = [m for m in MEASURES if m in frame.columns]
    parts = []
    if has_item and measure_cols:
        scored = frame.filter(pl.col("item").is_not_null())
        if "survey_score" not in measure_cols:
            _refuse_unscored_survey(scored, measure_cols, ctx, labels, problems)
        # A unit row with every score blank is not a score: drop it here (the quality stage counts coverage).
        applies = pl.col("not_applicable") if "not_applicable" in scored.columns else pl.lit(False)
        scored = scored.filter(pl.any_horizontal(pl.col(m).is_not_null() for m in measure_cols) | applies)
        scored = _resolve_items(scored, ctx, labels, problems)
        _check_header_maxima(scored, maxima, problems)
        parts.append(
            scored.select(
                "framework_id",
                "unit_code",
                "year",
                "item_code",
                *[(pl.col(m) if m in scored.columns else pl.lit(None, dtype=pl.Float64)).alias(m) for m in MEASURES],
                pl.lit(None, dtype=pl.Utf8).alias("reported_tier"),
                applies.alias("not_applicable"),
                "max_points",
                "method",
                "source_row",
                *(["_label"] if "_label" in scored.columns else []),
            )
        )
    if "total" in frame.columns or "tier" in frame.columns:
        totals = frame.select(
            "framework_id",
            "unit_code",
            "year",
            pl.lit(TOTAL_ITEM).alias("item_code"),
            pl.lit(None, dtype=pl.Float64).alias("self_score"),
            (pl.col("total") if "total" in frame.columns else pl.lit(None, dtype=pl.Float64)).alias("appraised_score"),
            pl.lit(None, dtype=pl.Float64).alias("survey_score"),
            (pl.col("tier") if "tier" in frame.columns else pl.lit(None, dtype=pl.Utf8)).alias("reported_tier"),
            pl.lit(False).alias("not_applicable"),
            pl.lit(None, dtype=pl.Float64).alias("max_points"),
            pl.lit(None, dtype=pl.Utf8).alias("method"),
            "source_row",
        ).filter(pl.col("appraised_score").is_not_null() | pl.col("reported_tier").is_not_null())
        # Long layouts repeat the total on every criterion row: keep one per unit and year.
        totals = totals.unique(
            ["framework_id", "unit_code", "year", "appraised_score", "reported_tier"], keep="first", maintain_order=True
        )
        if "_label" in (parts[0].columns if parts else []):
            totals = totals.with_columns(pl.lit(labels.get("total", "total")).alias("_label"))
        parts.append(totals)
    if not parts:  # score columns without a criterion column, or no score column at all: nothing to place
        problems.add("scores_unplaced", column=labels.get(measure_cols[0]) if measure_cols else None)
        return frame.head(0)
    out = pl.concat(parts, how="diagonal_relaxed")
    dupes = out.filter(
        pl.struct("unit_code", "year", "item_code").is_duplicated()
        & pl.col("unit_code").is_not_null()
        & pl.col("item_code").is_not_null()
    )
    for r in dupes.group_by("unit_code", "year", "item_code").agg(pl.col("source_row").sort()).to_dicts():
        problems.add(
            "duplicate_row",
            row=r["source_row"][0],
            unit=r["unit_code"],
            year=r["year"],
            item=r["item_code"],
            rows=", ".join(map(str, r["source_row"])),
        )
    return out


def _refuse_unscored_survey(
    frame: pl.DataFrame, measure_cols: list[str], ctx: LoadContext, labels: dict[str, str], problems: _Problems
) -> None:
    """Rows of survey criteria in a file with no survey column would be dropped as blank, and the total rescaled
    as if no survey had been held: refused, naming the rows."""
    filled = pl.any_horizontal(pl.col(m).is_not_null() for m in measure_cols)
    if "not_applicable" in frame.columns:
        filled = filled | pl.col("not_applicable")
    blank = frame.filter(~filled)
    if blank.height == 0 or "framework_id" not in blank.columns:
        return
    survey = _resolve_items(blank, ctx, labels, _Problems(problems.raw)).filter(pl.col("method") == "survey")
    if survey.height == 0:
        return
    rows = survey.get_column("source_row").sort().to_list()
    items = survey.get_column("item_code").unique(maintain_order=True).to_list()
    problems.add(
        "survey_column_missing",
        row=rows[0],
        column=labels.get("item"),
        items=", ".join(items[:10]) + (f" (+{len(items) - 10})" if len(items) > 10 else ""),
        rows=", ".join(map(str, rows[:10])) + (f" (+{len(rows) - 10})" if len(rows) > 10 else ""),
        count=len(rows),
    )


def _finish_units(frame: pl.DataFrame, problems: _Problems, labels: dict[str, str]) -> pl.DataFrame:
    spellings = subkind_spellings()
    raw_kind = frame.get_column("_kind_text") if "_kind_text" in frame.columns else None
    frame = frame.with_columns(
        pl.col("name").map_elements(nfc, return_dtype=pl.Utf8),
        (
            raw_kind.map_elements(lambda s: spellings.get(fold(s)), return_dtype=pl.Utf8, skip_nulls=True)
            if raw_kind is not None
            else pl.lit(None, dtype=pl.Utf8)
        ).alias("subkind"),
    ).with_columns(pl.col("name").map_elements(full_key, return_dtype=pl.Utf8).alias("name_key"))
    dupes = frame.filter(pl.col("unit_code").is_duplicated())
    for r in dupes.group_by("unit_code").agg(pl.col("source_row").sort()).to_dicts():
        problems.add(
            "duplicate_row",
            row=r["source_row"][0],
            unit=r["unit_code"],
            year="—",
            item="—",
            rows=", ".join(map(str, r["source_row"])),
        )
    for missing in ("parent_code", "valid_from", "valid_to", "aliases"):
        if missing not in frame.columns:
            dtype = pl.Date if missing.startswith("valid") else pl.Utf8
            frame = frame.with_columns(pl.lit(None, dtype=dtype).alias(missing))
    bad_dates = frame.filter(
        pl.col("valid_from").is_not_null()
        & pl.col("valid_to").is_not_null()
        & (pl.col("valid_to") < pl.col("valid_from"))
    )
    for row in bad_dates.get_column("source_row").to_list():
        problems.add("dates_reversed", row=row, column=labels.get("valid_to"))
    return frame


def _finish_official(
    frame: pl.DataFrame, ctx: LoadContext, mapping: Mapping, labels: dict[str, str], problems: _Problems
) -> pl.DataFrame:
    if "index_code" not in frame.columns:
        frame = frame.with_columns(pl.lit("par_index").alias("index_code"))
    frame = frame.with_columns(pl.col("index_code").fill_null("par_index"))
    if "level" not in frame.columns:
        frame = frame.with_columns(pl.lit("province").alias("level"))
    frame = frame.with_columns(pl.col("level").fill_null("province"), pl.col("unit").alias("published_name"))
    # A published table names no source: the file it came in is the source.
    if "sources" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("sources"))
    frame = frame.with_columns(pl.col("sources").fill_null(problems.raw.file_name))
    parts = []
    for level in frame.get_column("level").unique().sort().to_list():
        part = frame.filter(pl.col("level") == level)
        parts.append(_resolve_units(part, ctx, mapping, labels, problems, kinds=frozenset({level})))
    frame = pl.concat(parts, how="diagonal_relaxed") if parts else frame
    _refuse_official_duplicates(frame, labels, problems)
    return frame.rename({"group": "grp"}) if "group" in frame.columns else frame


def _refuse_official_duplicates(frame: pl.DataFrame, labels: dict[str, str], problems: _Problems) -> None:
    """Two rows of one source giving one unit's figure for one index and year (two spellings of a province, a
    table of the 63 beside one of the 34) cannot both stand: refused, naming the rows, before the database
    sees them. Components are keyed by their component too."""
    key = ["index_code", "year", "unit_code", "sources", *(["component"] if "component" in frame.columns else [])]
    if "unit_code" not in frame.columns:
        return
    named = frame.filter(pl.col("unit_code").is_not_null())
    dupes = named.filter(pl.struct(key).is_duplicated())
    for r in dupes.group_by(key).agg(pl.col("source_row").sort(), pl.col("published_name").first()).to_dicts():
        problems.add(
            "official_duplicate",
            row=r["source_row"][0],
            column=labels.get("unit", "unit"),
            unit=r["published_name"],
            year=r["year"],
            rows=", ".join(map(str, r["source_row"])),
        )


def _finish_official_components(
    frame: pl.DataFrame, ctx: LoadContext, mapping: Mapping, labels: dict[str, str], problems: _Problems
) -> pl.DataFrame:
    """Components named as published resolve to the registry's codes for their index, level and year; the
    headline rows of a wide table (the index itself) are marked for official_result."""
    frame = _finish_official(frame, ctx, mapping, labels, problems)
    codes: list[dict[str, object]] = []
    keys = frame.select("index_code", "level", "year", "component").unique().drop_nulls()
    for index_code, level, year, text in keys.iter_rows():
        code = _component_code(index_code, level, year, text, problems, frame, labels)
        codes.append(
            {"index_code": index_code, "level": level, "year": year, "component": text, "component_code": code}
        )
    lookup = pl.DataFrame(
        codes,
        schema={
            "index_code": pl.Utf8,
            "level": pl.Utf8,
            "year": frame.schema["year"],
            "component": pl.Utf8,
            "component_code": pl.Utf8,
        },
    )
    frame = frame.join(lookup, on=["index_code", "level", "year", "component"], how="left")
    return frame.with_columns(
        (pl.col("component") == national.HEADLINE).alias("_headline"),
        pl.col("component").alias("component_name"),
    )


def _component_code(
    index_code: str,
    level: str,
    year: int,
    text: str,
    problems: _Problems,
    frame: pl.DataFrame,
    labels: dict[str, str],
) -> str | None:
    if text == national.HEADLINE:
        return national.HEADLINE
    registered = indices.indices().get(index_code)
    comps = registered.components(level, year) if registered else ()
    by_code = {c.code: c for c in comps}
    found = by_code.get(text.strip()) or next(
        (
            m.component
            for m in indices.match_component(text, year)
            if m.index_code == index_code and m.level == level and m.component.code in by_code
        ),
        None,
    )
    row = frame.filter(pl.col("component") == text)["source_row"].min()
    if found is None:
        problems.add(
            "national_component_unknown",
            row=row,  # type: ignore[arg-type]
            column=labels.get("component"),
            value=text,
            index=registered.short["vi"] if registered else index_code,
            year=year,
            level=Term(f"cli.kind.{level}"),
            known="; ".join(c.name["vi"] for c in comps) or "—",
        )
        return None
    header_max = indices.header_key(text)[1]
    if header_max is not None and found.max_points is not None and abs(header_max - found.max_points) >= 0.005:
        problems.add(
            "national_max_mismatch",
            row=row,  # type: ignore[arg-type]
            column=labels.get("component"),
            severity="warning",
            component=text,
            header_max=header_max,
            index=registered.short["vi"] if registered else index_code,
            year=year,
            registry_max=found.max_points,
        )
    return found.code


def _finish_summary(frame: pl.DataFrame) -> pl.DataFrame:
    if "index_code" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("index_code"))
    return frame.with_columns(pl.col("index_code").fill_null("par_index"))


def _finish_with_unit(
    frame: pl.DataFrame, ctx: LoadContext, mapping: Mapping, labels: dict[str, str], problems: _Problems
) -> pl.DataFrame:
    return _resolve_units(frame, ctx, mapping, labels, problems)


def _finish_tasks(
    frame: pl.DataFrame, ctx: LoadContext, mapping: Mapping, labels: dict[str, str], problems: _Problems
) -> pl.DataFrame:
    """A completion rate the file leaves out is computed from its counts, as the counts' own rate would be."""
    frame = _resolve_units(frame, ctx, mapping, labels, problems)
    rate = pl.col("completion_pct") if "completion_pct" in frame.columns else pl.lit(None, dtype=pl.Float64)
    if {"tasks_assigned", "tasks_done"} <= set(frame.columns):
        counted = pl.col("tasks_assigned") > 0
        rate = rate.fill_null(pl.when(counted).then((100.0 * pl.col("tasks_done") / pl.col("tasks_assigned")).round(2)))
    frame = frame.with_columns(rate.cast(pl.Float64).alias("completion_pct"))
    column = labels.get("completion_pct") or labels.get("tasks_assigned") or "completion_pct"
    for row in frame.filter(pl.col("completion_pct").is_null()).get_column("source_row").to_list():
        problems.add("missing_value", row=row, column=column, field=field_term("completion_pct"))
    return frame


def _finish_sanctions(
    frame: pl.DataFrame, ctx: LoadContext, mapping: Mapping, labels: dict[str, str], problems: _Problems
) -> pl.DataFrame:
    frame = _resolve_units(frame, ctx, mapping, labels, problems)
    if "person_id" not in frame.columns:
        frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias("person_id"))
    return frame.with_columns(
        pl.when(pl.col("person_id").is_null()).then(pl.lit("unit")).otherwise(pl.lit("person")).alias("subject_kind"),
        pl.concat_str(
            [pl.coalesce("person_id", "unit_code"), pl.col("kind"), pl.col("start_date").cast(pl.Utf8)], separator="|"
        ).alias("sanction_id"),
    )


def _finish_awards(
    frame: pl.DataFrame, ctx: LoadContext, mapping: Mapping, labels: dict[str, str], problems: _Problems
) -> pl.DataFrame:
    frame = _resolve_units(frame, ctx, mapping, labels, problems)
    for col in ("person_id", "title", "recipient_kind"):
        if col not in frame.columns:
            frame = frame.with_columns(pl.lit(None, dtype=pl.Utf8).alias(col))
    frame = frame.with_columns(
        pl.col("recipient_kind").fill_null(
            pl.when(pl.col("person_id").is_null()).then(pl.lit("collective")).otherwise(pl.lit("individual"))
        ),
    )
    return frame.with_columns(
        pl.concat_str(
            [
                pl.col("scope"),
                pl.col("award_kind"),
                pl.coalesce("person_id", "unit_code"),
                pl.col("title").fill_null(""),
            ],
            separator="|",
        ).alias("award_id")
    )


# ---------------------------------------------------------------- entry point


def map_table(raw: RawTable, mapping: Mapping, ctx: LoadContext) -> MappedTable:
    """Map one raw sheet; raises InputError with every problem found when any is an error."""
    widened = national.widen(raw) if mapping.table in (None, national.TABLE) else None
    if widened is not None:
        raw = widened
        spec = table_specs()[national.TABLE]
        columns = assign_columns(raw, spec, mapping, ItemIndex(ctx.items))
    else:
        spec, columns = detect(raw, mapping, ctx)
    problems = _Problems(raw)
    raw = _skip_group_rows(raw, spec, columns, problems)
    _say_skipped(raw, columns, problems, spec, ctx)
    _refuse_mixed_layout(raw, columns)
    _refuse_duplicate_columns(raw, columns)
    numbers = frozenset(name for name, f in spec.fields.items() if f.type in NUMBER_TYPES)
    frame, labels, layout = _extract(raw, columns, numbers)
    if "kind" in frame.columns:
        frame = frame.with_columns(pl.col("kind").alias("_kind_text"))
    frame = _with_year(frame, raw, spec, mapping, problems)
    parsed = _parse(frame, spec, labels, problems)
    if "_kind_text" in frame.columns:
        parsed = parsed.with_columns(frame.get_column("_kind_text"))
    _require(parsed, labels, problems, _required(parsed, spec, problems))
    if "unit" in spec.fields and spec.fields["unit"].required and "unit_code" in parsed.columns:
        # With a code column the name is optional, but a row needs one or the other.
        no_unit = pl.col("unit_code").is_null() & (pl.col("unit").is_null() if "unit" in parsed.columns else True)
        for row in parsed.filter(no_unit).get_column("source_row").to_list():
            problems.add(
                "missing_value", row=row, column=labels.get("unit_code", "unit_code"), field=field_term("unit_code")
            )
    maxima = {c.label: c.max_points for c in columns if c.max_points is not None}
    finish = _finisher(spec, ctx, mapping, labels, problems, maxima)
    result = finish(parsed) if not problems.errors else parsed
    notes = [*raw.notes, *problems.finish()]
    if any(p.severity == "error" for p in notes):
        raise InputError(notes)
    if widened is not None:
        layout = "wide"  # read wide as published, mapped through the long layout
    return MappedTable(spec=spec, raw=raw, layout=layout, frame=result, labels=labels, notes=notes)


def _say_skipped(raw: RawTable, columns: list[Column], problems: _Problems, spec: TableSpec, ctx: LoadContext) -> None:
    """What is not read, said aloud: columns no field takes, and the rows below a subtotal."""
    for c in columns:
        if c.field is None and c.measure is None:
            _say_ignored(c.label, problems, spec, ctx)
    if raw.dropped_footer_rows:
        # A subtotal in the middle of a sheet ends the data there, and the user must see that.
        first, last = min(raw.dropped_footer_rows), max(raw.dropped_footer_rows)
        problems.add("footer_rows_skipped", row=first, severity="info", first=first, last=last)


def _say_ignored(label: str, problems: _Problems, spec: TableSpec, ctx: LoadContext) -> None:
    """A score sheet's column that looks like a criterion ("LV3 (14,50)", "1.2. Công khai…") and matches no
    item was most likely meant to load: say which frameworks' years were searched, and what to do."""
    header = parse_header(label)
    looks_like_item = header.code is not None and (header.name is not None or header.max_points is not None)
    if spec.name != "scores" or not looks_like_item:
        problems.add("column_ignored", column=label, severity="info")
    else:
        years = fmt.years(ctx.frameworks.get_column("year").to_list())
        problems.add("criterion_column_unmatched", column=label, severity="warning", years=years)


_SECTION = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])[.)]\s")
_ROW_NUMBER = re.compile(r"^\d{1,4}\.?$")
_GROUP_TABLES = ("scores", "official_results", "official_components")


def _skip_group_rows(raw: RawTable, spec: TableSpec, columns: list[Column], problems: _Problems) -> RawTable:
    """Section headings ("I. KHỐI PHƯỜNG", "A. Các sở, ban, ngành", "Khối huyện") and group subtotals
    ("Cộng khối xã", "Bình quân") inside the data are not units: drop them, and say which rows."""
    if spec.name not in _GROUP_TABLES:
        return raw
    unit = next((c for c in columns if c.field == "unit"), None) or next(
        (c for c in columns if c.field == "unit_code"), None
    )
    if unit is None:
        return raw
    number_fields = {"total", "score", "rank", *spec.wide_measures}
    numeric = [raw.column_name(c.index) for c in columns if c.measure or c.field in number_fields]
    unit_col = raw.column_name(unit.index)
    before = [raw.column_name(c.index) for c in columns[: unit.index] if c.field in ("_ignored", None)]
    rest = [raw.column_name(c.index) for c in columns[unit.index + 1 :]]
    markers = subtotal_markers()
    skipped: list[int] = []
    for row in _group_row_candidates(raw.data, numeric, [unit_col, *before], markers).iter_rows(named=True):
        texts = [str(row[c]) for c in before if row[c] is not None]
        label = row[unit_col] or (texts[-1] if texts else None)
        if label is None:
            continue
        label = str(label)
        numbered = any(_ROW_NUMBER.match(t) for t in texts if t != label)
        has_numbers = any(row[c] is not None and _NUMBER.match(str(row[c])) for c in numeric)
        alone = all(row[c] is None for c in rest)  # nothing beside the label: a heading
        section = not has_numbers and (
            _SECTION.match(label) is not None or fold(label).startswith("khoi ") or (alone and not numbered)
        )
        if section or (not numbered and _is_marker(label, markers)):
            skipped.append(row["source_row"])
    if not skipped:
        return raw
    shown = ", ".join(map(str, skipped[:MAX_PROBLEMS_PER_COLUMN]))
    more = f" (+{len(skipped) - MAX_PROBLEMS_PER_COLUMN})" if len(skipped) > MAX_PROBLEMS_PER_COLUMN else ""
    problems.add("group_rows_skipped", row=skipped[0], severity="info", count=len(skipped), rows=shown + more)
    return replace(raw, data=raw.data.filter(~pl.col("source_row").is_in(skipped)))


_NUMBER = re.compile(r"^[+\-]?[\d\s.,]*\d")


def _group_row_candidates(
    data: pl.DataFrame, numeric: list[str], labels: list[str], markers: tuple[str, ...]
) -> pl.DataFrame:
    """The rows that may be a heading or a subtotal: those without a number, and those whose label is a
    subtotal word. Every other row (nearly all of a large file) is kept column at a time, so only the few
    left are looked at row by row."""
    if not numeric:
        return data
    has_numbers = pl.any_horizontal(pl.col(c).cast(pl.Utf8).str.contains(_NUMBER.pattern) for c in numeric)
    texts = pl.concat([data.get_column(c).cast(pl.Utf8).drop_nulls() for c in labels]).unique().to_list()
    marked = [t for t in texts if _is_marker(t, markers)]
    maybe_marker = pl.any_horizontal(pl.col(c).cast(pl.Utf8).is_in(marked) for c in labels)
    return data.filter(~has_numbers.fill_null(False) | maybe_marker.fill_null(False))


def _is_marker(text: str, markers: tuple[str, ...]) -> bool:
    """Whether a cell starts with a subtotal word; diacritics count when the cell has them ("Công an" ≠ "Cộng")."""
    key = lower_key(text)
    plain = key == fold(text)
    for m in markers:
        m_key = fold(m) if plain else lower_key(m)
        if key == m_key or key.startswith(m_key + " "):
            return True
    return False


def _refuse_mixed_layout(raw: RawTable, columns: list[Column]) -> None:
    """One sheet cannot be both long (a score column) and wide (a column per criterion) for the same score."""
    long_fields = {c.field: c.label for c in columns if c.field}
    for c in columns:
        if c.measure and c.measure in long_fields:
            raise InputError(
                [
                    Problem(
                        "layout_mixed",
                        file=raw.file_name,
                        sheet=raw.sheet,
                        column=c.label,
                        params={"score_column": long_fields[c.measure], "item": c.item},
                    )
                ]
            )


def _refuse_duplicate_columns(raw: RawTable, columns: list[Column]) -> None:
    """Two columns read as the same field (or the same criterion's score) would leave one unread: refused,
    naming both, rather than keeping the first in silence."""
    first: dict[tuple[str | None, str | None], Column] = {}
    problems = []
    for c in columns:
        key = (c.field, None) if c.field else (c.measure, c.item)
        if key[0] is None or c.field == "_ignored":
            continue
        seen = first.setdefault(key, c)
        if seen is not c:
            problems.append(
                Problem(
                    "column_duplicate",
                    file=raw.file_name,
                    sheet=raw.sheet,
                    row=raw.header_rows[-1] if raw.header_rows else None,
                    column=c.label,
                    params={"first": seen.label, "first_at": seen.index + 1, "second_at": c.index + 1},
                )
            )
    if problems:
        raise InputError(problems)


def _with_year(
    frame: pl.DataFrame, raw: RawTable, spec: TableSpec, mapping: Mapping, problems: _Problems
) -> pl.DataFrame:
    """A table that has a year but no year column takes it from the mapping file, else from the sheet's name."""
    if "year" not in spec.fields or "year" in frame.columns:
        return frame
    year_from = mapping.year
    sheet_year = _YEAR_SHEET.match(raw.sheet or "")
    if year_from is None and sheet_year:
        year_from = int(sheet_year.group(1))
        problems.add("year_from_sheet", severity="info", year=year_from)
    if year_from is None:
        year_from = _year_in_title(raw)
        if year_from is not None:
            problems.add("year_from_title", severity="info", year=year_from)
    if year_from is not None:
        frame = frame.with_columns(pl.lit(str(year_from)).alias("year"))
    return frame


_TITLE_YEAR = re.compile(r"\bnam (20[23]\d)\b")
_ANY_YEAR = re.compile(r"(?<!\d)(20[23]\d)(?!\d)")


def _year_in_title(raw: RawTable) -> int | None:
    """The year a table's title gives ("KẾT QUẢ … NĂM 2023"), else the one year in the file's name."""
    said = {int(y) for line in raw.title for y in _TITLE_YEAR.findall(fold(line))}
    if not said:
        said = {int(y) for line in raw.title for y in _ANY_YEAR.findall(line)}
    if not said:
        said = {int(y) for y in _ANY_YEAR.findall(raw.file_name.rsplit(".", 1)[0])}
    return said.pop() if len(said) == 1 else None


def _required(parsed: pl.DataFrame, spec: TableSpec, problems: _Problems) -> list[str]:
    """The fields every row must fill; a year no source gives is a problem of the whole sheet."""
    required = [
        f.name for f in spec.fields.values() if f.required and not (f.name == "unit" and "unit_code" in parsed.columns)
    ]
    if "year" in spec.fields and spec.name not in ("awards", "units", "lineage", "sanctions"):
        required.append("year")
        if "year" not in parsed.columns:  # neither a column nor the mapping file nor the sheet's name gives it
            problems.add("year_missing")
    return required


def _finisher(
    spec: TableSpec,
    ctx: LoadContext,
    mapping: Mapping,
    labels: dict[str, str],
    problems: _Problems,
    maxima: dict[str, float],
) -> Callable[[pl.DataFrame], pl.DataFrame]:
    """The table's own last step, such as resolving its units and criteria against the register and frameworks."""
    return {
        "scores": lambda f: _finish_scores(f, ctx, mapping, labels, problems, maxima),
        "units": lambda f: _finish_units(f, problems, labels),
        "official_results": lambda f: _finish_official(f, ctx, mapping, labels, problems),
        "official_summary": _finish_summary,
        "official_components": lambda f: _finish_official_components(f, ctx, mapping, labels, problems),
        "sanctions": lambda f: _finish_sanctions(f, ctx, mapping, labels, problems),
        "awards": lambda f: _finish_awards(f, ctx, mapping, labels, problems),
        "task_completion": lambda f: _finish_tasks(f, ctx, mapping, labels, problems),
    }.get(spec.name, lambda f: _finish_with_unit(f, ctx, mapping, labels, problems) if "unit" in f.columns else f)
