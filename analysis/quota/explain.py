"""The words of a simulation in the reader's language (quota.* catalog entries): rule statements with
their citation, quotas with their arithmetic, exclusion reasons, notices, and display tables.

The page, the CLI and the award annex all word results through this module, so a list always says the
same thing about the rule that produced it wherever it is read.
"""

from __future__ import annotations

from datetime import date

import polars as pl

from analysis.quota.compare import Comparison
from analysis.quota.inputs import Scope
from analysis.quota.model import ComponentMin, Eligibility, Group, HistoryCondition, Measure, Rule, Scenario, pick
from analysis.quota.quotas import QuotaCount
from analysis.quota.robust_model import RobustnessResult
from analysis.quota.simulate import GroupResult, Notice, SimulationResult
from core import fmt
from core.i18n import t


def status_text(code: str, lang: str) -> str:
    """An outcome in words (awarded, left out, tied at the cut-off…): the same in every table and export."""
    return t(f"quota.status.{code}", lang)


def scope_label(result_or_scope: SimulationResult | Scope, lang: str) -> str:
    scope = result_or_scope if isinstance(result_or_scope, Scope) else result_or_scope.scope
    if scope.kind == "year":
        return t("quota.scope.year", lang, year=scope.first)
    return t("quota.scope.review", lang, first=scope.first, last=scope.last)


def _day(text: str | None, lang: str) -> str:
    if not text:
        return fmt.MISSING
    try:
        return fmt.day(date.fromisoformat(text), lang)
    except ValueError:
        return text


def _num(text: str | float | None, lang: str) -> str:
    if text is None or text == "":
        return fmt.MISSING
    try:
        return fmt.number(float(text), lang)
    except ValueError:
        return str(text)


def _tier(code: str | None, lang: str) -> str:
    return t(f"quota.tier.{code}", lang) if code else fmt.MISSING


def document(scenario: Scenario, lang: str) -> str:
    p = scenario.plan
    return t(
        "quota.statement.document",
        lang,
        number=p.number,
        date=fmt.day(p.date, lang) if p.date else fmt.MISSING,
        issuer=p.issuer,
        title=p.title,
    )


def citation(scenario: Scenario, rule: Rule, lang: str) -> str:
    """'50/KH-UBND ngày 23/05/2022 của UBND thị xã Ngã Năm — …, mục III.1': a list's source in one line."""
    section = t("quota.statement.section", lang, section=rule.citation.section) if rule.citation.section else ""
    return t("quota.statement.basis", lang, document=document(scenario, lang), section=section)


def measure_text(measure: Measure, lang: str, recipient: str = "collective") -> str:
    if measure.kind == "weighted":
        parts = ", ".join(
            t("quota.measure.weighted_part", lang, weight=fmt.number(w, lang), measure=measure_text(m, lang))
            for w, m in measure.parts
        )
        text = t("quota.measure.weighted", lang, parts=parts)
    else:
        text = t(f"quota.measure.{measure.kind}", lang, component=measure.component or "")
    return t("quota.measure.person", lang, measure=text) if recipient == "individual" else text


def quota_text(group: Group, lang: str, count: QuotaCount | None = None, recipient: str = "collective") -> str:
    quota = group.quota
    if quota.kind == "count":
        return t("quota.quota.count", lang, count=quota.count)
    if quota.kind == "range":
        return t("quota.quota.range", lang, low=quota.low, high=quota.high)
    if quota.base == "title":
        base = t("quota.base.title", lang, titles=", ".join(quota.titles))
    elif quota.base == "all" and recipient == "individual":
        base = t("quota.base.all_individual", lang)
    else:
        base = t(f"quota.base.{quota.base}", lang)
    n = count.base if count else None
    exact = fmt.number(float(count.exact), lang) if count and count.exact is not None else "…"
    return t(
        "quota.quota.percent",
        lang,
        percent=fmt.number(float(quota.percent), lang),
        base=base,
        n=n if n is not None else "…",
        exact=exact,
        rounding=t(f"quota.rounding.{quota.rounding}", lang),
        seats=count.seats if count else "…",
    )


def kinds_text(kinds: tuple[str, ...], lang: str) -> str:
    """The group's unit kinds in words ("xã, phường"; "xã, phường và cấp huyện")."""
    return t("quota.units_base.kinds_joiner", lang).join(t(f"quota.kind.{k}", lang) for k in kinds)


def base_statement(g: GroupResult, lang: str) -> str:
    """The group's base in words, with the units it counts and the day they exist on: "20 % của 69 xã, phường
    tồn tại ngày 31/12/2025 = 13,8 → 13"."""
    quota = g.group.quota
    day = fmt.day(g.reference, lang) if g.reference else fmt.MISSING
    kind = kinds_text(g.counted_kinds or g.group.kinds, lang)
    if quota.kind != "percent":
        return t("quota.units_base.fixed", lang, units=fmt.integer(g.units_counted, lang), kind=kind, day=day)
    key = quota.base
    if key == "all" and g.rule.recipient == "individual":
        key = "all_individual"
    exact = g.quota.exact
    return t(
        f"quota.units_base.{key}",
        lang,
        percent=fmt.number(float(quota.percent), lang),
        n=fmt.integer(g.quota.base, lang),
        units=fmt.integer(g.units_counted, lang),
        kind=kind,
        day=day,
        titles=", ".join(quota.titles),
        exact=fmt.number(round(float(exact), 4), lang) if exact is not None else fmt.MISSING,
        seats=fmt.integer(g.quota.seats, lang),
    )


def not_counted_lines(g: GroupResult, lang: str) -> list[str]:
    """One line per day units left (or joined) the group's year without existing on its reference date."""
    return [
        t(
            "quota.units_base.ended" if c.ended else "quota.units_base.began",
            lang,
            count=fmt.integer(c.count, lang),
            day=fmt.day(c.day, lang),
        )
        for c in g.not_counted
    ]


def base_lines(g: GroupResult, lang: str) -> list[str]:
    """The base statement and, after it, what was not counted."""
    return [base_statement(g, lang), *not_counted_lines(g, lang)]


def filters_text(rule: Rule, lang: str) -> list[str]:
    e = rule.eligibility
    out = [*_score_filters(e, lang), *_record_filters(e, lang), *_unit_filters(e, lang)]
    if rule.exclude_awarded_by:
        out.append(t("quota.filter.exclude_awarded_by", lang, rules=", ".join(rule.exclude_awarded_by)))
    return out or [t("quota.filter.none", lang)]


def _score_filters(e: Eligibility, lang: str) -> list[str]:
    """The registration deadline and the thresholds on the candidate's own scores."""
    out = []
    if e.registered_by:
        month, day = e.registered_by
        out.append(t("quota.filter.registered_by", lang, deadline=f"{day:02d}/{month:02d}"))
    if e.tier_min:
        out.append(t("quota.filter.tier_min", lang, tier=_tier(e.tier_min, lang)))
    if e.total_min is not None:
        out.append(t("quota.filter.total_min", lang, value=fmt.number(e.total_min, lang)))
    if e.completion_min is not None:
        out.append(t("quota.filter.completion_min", lang, value=fmt.number(e.completion_min, lang)))
    out += [_component_filter(cm, lang) for cm in e.component_min]
    return out


def _component_filter(cm: ComponentMin, lang: str) -> str:
    need = (
        [t("quota.filter.component_points", lang, points=fmt.number(cm.points, lang))] if cm.points is not None else []
    )
    if cm.pct is not None:
        need.append(t("quota.filter.component_pct", lang, pct=fmt.number(cm.pct, lang)))
    return t("quota.filter.component_min", lang, component=cm.code, need=", ".join(need))


def _record_filters(e: Eligibility, lang: str) -> list[str]:
    """What the candidate's record must show: titles, no case or discipline, existence, years, an initiative."""
    out = []
    if e.titles:
        out.append(t("quota.filter.titles", lang, titles=", ".join(e.titles)))
    if e.no_case:
        text = t("quota.filter.no_case", lang, kinds=", ".join(t(f"quota.case_kind.{k}", lang) for k in e.no_case))
        if e.case_window == "last_year":
            text += " " + t("quota.filter.case_window_last_year", lang)
        out.append(text)
    if e.member_discipline_from:
        level = t(f"quota.case_level.{e.member_discipline_from}", lang)
        out.append(t("quota.filter.member_discipline", lang, level=level))
    if e.exists_at_end:
        out.append(t("quota.filter.exists_at_end", lang))
    if e.min_years:
        out.append(t("quota.filter.min_years", lang, value=e.min_years))
    if e.initiative:
        out.append(t("quota.filter.initiative", lang))
    out += [history_filter(c, lang) for c in e.history]
    return out


def history_filter(c: HistoryCondition, lang: str) -> str:
    """A condition over several years in words: "xếp loại từ Tốt trở lên trong 3 năm liền gần nhất"."""
    span = t("quota.history.span.scope", lang) if c.years is None else t("quota.history.span.last", lang, n=c.years)
    forms = ", ".join(t(f"quota.award_kind.{f}", lang) for f in c.forms)
    return t(
        f"quota.history.filter.{c.kind}",
        lang,
        span=span,
        tier=_tier(c.tier_min, lang),
        titles=", ".join(c.titles),
        forms=forms,
    )


def merger_line(rule: Rule, lang: str) -> str | None:
    """The one rule applied to a merged unit's record before the merger, when a collective rule has a
    condition over several years."""
    if rule.recipient == "collective" and rule.eligibility.history:
        return t("quota.history.filter.merger", lang)
    return None


def _history_reason(kind: str, year: int | None, value: str | None, required: str | None, lang: str) -> str:
    """A failed year of a condition over several years (values as analysis.quota.history writes them)."""
    parts = (value or "").split("|")
    need, _, n = (required or "").rpartition("|")
    via_name = parts[-1] if len(parts) > 1 else ""
    via = t("quota.history.reason.via", lang, name=via_name) if via_name else ""
    y = year if year is not None else ""
    if kind == "tier_streak":
        if not parts[0]:
            return t("quota.history.reason.no_tier", lang, year=y, via=via, required=_tier(need, lang), n=n)
        return t(
            "quota.history.reason.tier_streak",
            lang,
            year=y,
            value=_tier(parts[0], lang),
            via=via,
            required=_tier(need, lang),
            n=n,
        )
    if kind == "rank_improved":
        now, previous = [*parts, "", ""][:2]
        if not now or not previous:
            return t("quota.history.reason.no_rank", lang, year=y, via=via)
        return t(
            "quota.history.reason.rank_improved", lang, year=y, value=now, previous=previous, via=via, n=required or ""
        )
    if kind == "title_each_year":
        held = t("quota.history.reason.held", lang, title=parts[0]) if parts[0] else ""
        return t("quota.history.reason.title_each_year", lang, year=y, required=need, held=held, via=via, n=n)
    forms = ", ".join(t(f"quota.award_kind.{f.strip()}", lang) for f in need.split("|") if f.strip())
    form = t(f"quota.award_kind.{parts[0]}", lang) if parts[0] else ""
    return t("quota.history.reason.not_awarded", lang, year=y, form=form, via=via, required=forms, n=n)


def _unit_filters(e: Eligibility, lang: str) -> list[str]:
    """For a person: what their unit must have reached."""
    out = []
    if e.unit_tier_min:
        out.append(t("quota.filter.unit_tier_min", lang, tier=_tier(e.unit_tier_min, lang)))
    if e.unit_eligible_in:
        out.append(t("quota.filter.unit_eligible_in", lang, rule=e.unit_eligible_in))
    return out


def rule_scope(rule: Rule, lang: str) -> str:
    if rule.scope == "review" and rule.review:
        return t("quota.scope.rule_review", lang, first=rule.review[0], last=rule.review[1])
    text = t("quota.scope.rule_year", lang)
    if rule.period:
        (m1, d1), (m2, d2) = rule.period
        text += "; " + t(
            "quota.scope.period",
            lang,
            name=pick(rule.period_name, lang),
            start=f"{d1:02d}/{m1:02d}",
            end=f"{d2:02d}/{m2:02d}",
        )
    return text


def statement(scenario: Scenario, rule: Rule, lang: str, groups: list[GroupResult] | None = None) -> list[str]:
    """The rule in full, one line per element: name, award, scope, basis and quote, groups with their quota
    arithmetic, conditions, measure, tie-break and what happens to a tie at the cut-off."""
    counts = {g.group.id: g.quota for g in groups or []}
    results = {g.group.id: g for g in groups or []}
    lines = [
        t("quota.statement.rule", lang, name=pick(rule.name, lang)),
        t(
            "quota.statement.award",
            lang,
            award=pick(rule.award, lang),
            recipient=t(f"quota.recipient.{rule.recipient}", lang),
        ),
        t("quota.statement.scope", lang, scope=rule_scope(rule, lang)),
        citation(scenario, rule, lang),
    ]
    if rule.citation.quote:
        lines.append(t("quota.statement.quote", lang, quote=rule.citation.quote))
    for g in rule.groups:
        lines.append(
            t(
                "quota.statement.group",
                lang,
                group=pick(g.name, lang),
                quota=quota_text(g, lang, counts.get(g.id), rule.recipient),
            )
        )
        if g.id in results:
            lines += [f"  {line}" for line in base_lines(results[g.id], lang)]
    lines.append(t("quota.statement.eligibility", lang, items="; ".join(filters_text(rule, lang))))
    if rule.scope == "review":
        lines.append(t("quota.filter.review_each_year", lang))
    merger = merger_line(rule, lang)
    if merger:
        lines.append(merger)
    lines.append(t("quota.statement.measure", lang, measure=measure_text(rule.measure, lang, rule.recipient)))
    keys = [t(f"quota.tie_break.{tb.key}", lang, component=tb.component or "") for tb in rule.tie_break]
    lines.append(
        t("quota.statement.tie_break", lang, keys="; ".join(keys) if keys else t("quota.tie_break.none", lang))
    )
    lines.append(t("quota.statement.at_cutoff", lang, mode=t(f"quota.at_cutoff.{rule.at_cutoff}", lang)))
    return lines


def notes(scenario: Scenario, lang: str) -> list[str]:
    return [pick(n, lang) for n in scenario.notes]


def notice(n: Notice, lang: str) -> str:
    return t(f"quota.notice.{n.code}", lang, **n.params)


def reason(filter_code: str, year: int | None, value: str | None, required: str | None, lang: str) -> str:
    """One exclusion in words: the filter, the year, the value that failed and what was required."""
    code, _, kind = filter_code.partition(":")
    if code == "history":
        text = _history_reason(kind, year, value, required, lang)
    else:
        text = _reason(filter_code, year, value, required, lang)
    return text[:1].upper() + text[1:]


def _reason(filter_code: str, year: int | None, value: str | None, required: str | None, lang: str) -> str:
    code, _, component = filter_code.partition(":")
    y = year if year is not None else ""
    if code == "registered_by":
        if value is None:
            return t("quota.reason.not_registered", lang, year=y)
        return t("quota.reason.registered_by", lang, value=_day(value, lang), required=_day(required, lang), year=y)
    if code in ("tier_min", "unit_tier_min"):
        if value is None:
            return t("quota.reason.no_tier", lang, year=y)
        return t(f"quota.reason.{code}", lang, value=_tier(value, lang), required=_tier(required, lang), year=y)
    if code == "total_min":
        return t("quota.reason.total_min", lang, value=_num(value, lang), required=_num(required, lang), year=y)
    if code == "completion_min":
        if value is None:
            return t("quota.reason.no_completion", lang, year=y)
        return t("quota.reason.completion_min", lang, value=_num(value, lang), required=_num(required, lang), year=y)
    if code == "component_min":
        if value is None:
            return t("quota.reason.no_component", lang, component=component, year=y)
        return t(
            "quota.reason.component_min",
            lang,
            component=component,
            value=_num(value, lang),
            required=_num(required, lang),
            year=y,
        )
    if code == "titles":
        if value is None:
            return t("quota.reason.no_title", lang, required=required or "")
        return t("quota.reason.titles", lang, value=value, required=required or "")
    if code in ("no_case", "member_discipline"):
        return _case_reason(code, value, lang)
    if code == "exists_at_end":
        return t("quota.reason.exists_at_end", lang, value=_day(value, lang), required=_day(required, lang))
    if code == "measure_missing":
        return t("quota.reason.measure_missing", lang, required=t(f"quota.measure.{required}", lang, component=""))
    return t(f"quota.reason.{code}", lang, value=value or "", required=required or "", year=y)


def _case_reason(code: str, value: str | None, lang: str) -> str:
    """A case or a member's discipline that excludes: value is 'kind|level|start|end', end empty while ongoing."""
    kind, level, start, end = ((value or "") + "|||").split("|")[:4]
    end_text = t("quota.reason.until", lang, day=_day(end, lang)) if end else t("quota.reason.ongoing", lang)
    level_text = t(f"quota.case_level.{level}", lang) if level else ""
    if code == "no_case":
        return t(
            "quota.reason.no_case",
            lang,
            kind=t(f"quota.case_kind.{kind}", lang),
            level=f" ({level_text})" if level_text else "",
            start=_day(start, lang),
            end=end_text,
        )
    return t("quota.reason.member_discipline", lang, level=level_text, start=_day(start, lang), end=end_text)


def _measure_cell(value: float | None, lang: str) -> str:
    return fmt.number(value, lang, 2) if value is not None else fmt.MISSING


def _name_header(g: GroupResult, lang: str) -> str:
    return t("quota.table.person" if g.rule.recipient == "individual" else "quota.table.unit", lang)


def awarded_table(g: GroupResult, lang: str) -> pl.DataFrame:
    """The awarded (and, for a tie left to the council, the tied) in order, with their measure."""
    rows = g.ranked.filter(pl.col("status").is_in(("awarded", "tie_admitted", "tie_council", "tie_refused")))
    cols = {
        t("quota.table.stt", lang): pl.int_range(1, rows.height + 1),
        _name_header(g, lang): pl.col("name"),
    }
    if g.rule.recipient == "individual":
        cols[t("quota.table.person_unit", lang)] = pl.col("unit_name")
    frame = rows.select(
        **cols,
        **{
            t("quota.table.measure", lang): pl.col("measure").map_elements(
                lambda v: _measure_cell(v, lang), return_dtype=pl.String
            ),
            t("quota.table.position", lang): pl.col("position"),
            t("quota.table.status", lang): pl.col("status").map_elements(
                lambda s: status_text(s, lang), return_dtype=pl.String
            ),
        },
    )
    return frame


def left_out_table(g: GroupResult, lang: str) -> pl.DataFrame:
    rows = g.left_out
    cols = {_name_header(g, lang): pl.col("name")}
    if g.rule.recipient == "individual":
        cols[t("quota.table.person_unit", lang)] = pl.col("unit_name")
    return rows.select(
        **cols,
        **{
            t("quota.table.position", lang): pl.col("position"),
            t("quota.table.measure", lang): pl.col("measure").map_elements(
                lambda v: _measure_cell(v, lang), return_dtype=pl.String
            ),
            t("quota.table.gap", lang): pl.col("gap").map_elements(
                lambda v: _measure_cell(v, lang), return_dtype=pl.String
            ),
        },
    )


def excluded_table(g: GroupResult, lang: str) -> pl.DataFrame:
    rows = g.excluded
    reasons = [
        reason(f, y, v, r, lang) for f, y, v, r in rows.select("filter", "year", "value", "required").iter_rows()
    ]
    filters = [filter_name(f, lang) for f in rows["filter"].to_list()]
    cols = {_name_header(g, lang): rows["name"]}
    if g.rule.recipient == "individual":
        cols[t("quota.table.person_unit", lang)] = rows["unit_name"]
    filter_col, reason_col = t("quota.table.filter", lang), t("quota.table.reason", lang)
    return pl.DataFrame(
        {**cols, filter_col: filters, reason_col: reasons},
        schema_overrides={filter_col: pl.String, reason_col: pl.String},
    )


def filter_name(code: str, lang: str) -> str:
    base, _, component = code.partition(":")
    if base == "history":
        return t(f"quota.history.name.{component}", lang)
    name = t(f"quota.filter_name.{base}", lang)
    return f"{name} ({component})" if component else name


def excluded_by_filter(g: GroupResult) -> dict[str, int]:
    """How many candidates each filter excluded (a candidate failing two filters counts under both)."""
    if g.excluded.height == 0:
        return {}
    counts = g.excluded.group_by("filter").agg(pl.col("id").n_unique().alias("n")).sort("filter")
    return dict(counts.iter_rows())


def comparison_table(cmp: Comparison, labels: list[str], lang: str) -> pl.DataFrame:
    """Who gains and who loses: one row per unit or person any scenario considered, a column per scenario
    with its outcome in words, and the change against the first scenario."""
    frame = cmp.frame
    out: dict[str, list[str]] = {
        t("quota.table.unit", lang) + " / " + t("quota.table.person", lang): frame["name"].to_list(),
        t("quota.table.person_unit", lang): frame["unit_name"].fill_null("").to_list(),
    }
    # Each awarding rule by its title in the reader's language, never its id (a rule id is a file's key)
    titles = {r.id: pick(r.name, lang) or r.id for res in cmp.results for r in res.scenario.rules}
    for k, label in enumerate(labels):
        words = []
        for row in frame.select(
            f"s{k}_status", f"s{k}_rules", f"s{k}_position", f"s{k}_gap", f"s{k}_filters", f"s{k}_measure"
        ).iter_rows():
            status, rules, position, gap, filters, measure = row
            if rules:
                rules = ", ".join(titles.get(r, r) for r in rules.split(", "))
            words.append(outcome_words(status, rules, position, gap, filters, measure, lang=lang))
        out[label] = words
        if k:
            out[f"{t('quota.table.change', lang)} ({label})"] = [
                t(f"quota.change.{c}", lang) for c in frame[f"s{k}_change"]
            ]
    return pl.DataFrame(out)


def outcome_words(
    status: str,
    rules: str | None,
    position: int | None,
    gap: float | None,
    filters: str | None,
    measure: float | None,
    lang: str,
) -> str:
    base = status_text(status, lang)
    if status == "awarded" and rules:
        return f"{base} ({rules}; {_measure_cell(measure, lang)})"
    if status == "left_out":
        return f"{base} (#{position}; −{_measure_cell(gap, lang)})"
    if status.startswith("tie_"):
        return f"{base} ({_measure_cell(measure, lang)})"
    if status == "excluded" and filters:
        return f"{base}: {', '.join(filter_name(f, lang) for f in filters.split(', '))}"
    return base


def robustness_table(rob: RobustnessResult, result: SimulationResult, lang: str) -> pl.DataFrame:
    frame = rob.frame
    rules = {r.rule.id: pick(r.rule.name, lang) for r in result.rules}
    return frame.select(
        pl.col("rule_id").replace_strict(rules, default=None).alias(t("quota.table.rule", lang)),
        pl.col("name").alias(t("quota.table.unit", lang)),
        pl.col("measure")
        .map_elements(lambda v: _measure_cell(v, lang), return_dtype=pl.String)
        .alias(t("quota.table.measure", lang)),
        pl.col("sd")
        .map_elements(lambda v: _measure_cell(v, lang), return_dtype=pl.String)
        .alias(t("quota.table.sd", lang)),
        pl.col("status")
        .map_elements(lambda s: status_text(s, lang), return_dtype=pl.String)
        .alias(t("quota.table.status", lang)),
        pl.col("probability")
        .map_elements(lambda p: fmt.percent(p * 100, lang, 1), return_dtype=pl.String)
        .alias(t("quota.table.probability", lang)),
        pl.col("verdict")
        .map_elements(lambda v: t(f"quota.verdict.{v}", lang), return_dtype=pl.String)
        .alias(t("quota.table.verdict", lang)),
    )


# ---- the proposed list at a glance --------------------------------------------------------------------------

_PROPOSED = ("awarded", "tie_admitted", "tie_council")


def proposed_table(result: SimulationResult, lang: str) -> pl.DataFrame:
    """Everyone proposed, every rule and group in order, in one table: who gets which award (and, for a tie
    left to the council, who waits for its vote)."""
    frames = []
    for g in result.group_results():
        individual = g.rule.recipient == "individual"
        rows = g.ranked.filter(pl.col("status").is_in(_PROPOSED))
        frames.append(
            rows.select(
                pl.lit(pick(g.rule.award, lang)).alias("award"),
                pl.col("name").cast(pl.String),
                (pl.col("unit_name").cast(pl.String) if individual else pl.lit(pick(g.group.name, lang))).alias("unit"),
                pl.col("measure").cast(pl.Float64),
                pl.col("status").cast(pl.String),
            )
        )
    frame = (
        pl.concat(frames)
        if frames
        else pl.DataFrame(
            schema={
                "award": pl.String,
                "name": pl.String,
                "unit": pl.String,
                "measure": pl.Float64,
                "status": pl.String,
            }
        )
    )
    return frame.select(
        pl.int_range(1, frame.height + 1).alias(t("quota.table.stt", lang)),
        pl.col("award").alias(t("quota.table.award", lang)),
        pl.col("name").alias(f"{t('quota.table.unit', lang)} / {t('quota.table.person', lang)}"),
        pl.col("unit").alias(f"{t('quota.table.person_unit', lang)} / {t('quota.table.group', lang)}"),
        pl.col("measure")
        .map_elements(lambda v: _measure_cell(v, lang), return_dtype=pl.String)
        .alias(t("quota.table.measure", lang)),
        pl.col("status")
        .map_elements(lambda s: status_text(s, lang), return_dtype=pl.String)
        .alias(t("quota.table.status", lang)),
    )


def proposed_counts(result: SimulationResult, lang: str) -> str:
    """Who gets which award, counted, in one line: "Giấy khen (tập thể): 3 — Sở: 1, Xã: 2; …", and the ties
    left to the council."""
    parts = []
    ties = 0
    for rr in result.rules:
        counts = [(pick(g.group.name, lang), g.awarded.height) for g in rr.groups]
        ties += sum(g.ranked.filter(pl.col("status") == "tie_council").height for g in rr.groups)
        text = t(
            "quota.page.list_rule",
            lang,
            award=pick(rr.rule.award, lang),
            recipient=t(f"quota.recipient.{rr.rule.recipient}", lang),
            count=fmt.integer(sum(n for _, n in counts), lang),
        )
        if len(counts) > 1:
            text += " — " + ", ".join(f"{name}: {fmt.integer(n, lang)}" for name, n in counts)
        parts.append(text)
    if not parts:
        return t("quota.page.list_none", lang)
    line = "; ".join(parts)
    if ties:
        line += ". " + t("quota.page.list_ties", lang, count=fmt.integer(ties, lang))
    return line
