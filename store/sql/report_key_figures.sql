-- The key figures of a report, per unit kind and year from $first to $last: units scored among the units of the year (those existing on 31 December), the mean, the best
-- and lowest totals with the units that hold them (all of them when tied), units in the best tier of that
-- year's tier set, and units with a self-assessed score only (not yet appraised).
WITH scored AS (
    SELECT
        r.unit_kind AS kind,
        r.year,
        u.name,
        r.total,
        b.tier_rank,
        r.score_stage
    FROM unit_result r
    JOIN unit u USING (unit_code)
    JOIN framework f USING (framework_id)
    LEFT JOIN tier_set ts ON ts.issuer_code = f.issuer_code AND ts.unit_kind = f.unit_kind AND ts.year = r.year
    LEFT JOIN tier_band b ON b.tier_set_id = ts.tier_set_id AND b.tier = r.tier
    WHERE r.year BETWEEN $first AND $last AND r.total IS NOT NULL
      -- the units of the year: those existing on 31 December (analysis/units_of_year.py, the same rule)
      AND (u.valid_from IS NULL OR u.valid_from <= make_date(r.year, 12, 31))
      AND (u.valid_to IS NULL OR u.valid_to >= make_date(r.year, 12, 31))
),
bounds AS (
    SELECT kind, year, max(total) AS best, min(total) AS lowest
    FROM scored
    GROUP BY kind, year
)
SELECT
    s.kind,
    s.year,
    count(*)::INTEGER                                                        AS units,
    round(avg(s.total), 2)                                                    AS mean,
    any_value(b.best)                                                         AS best,
    list_sort(list_distinct(list(s.name) FILTER (WHERE s.total = b.best)))    AS best_units,
    any_value(b.lowest)                                                       AS lowest,
    list_sort(list_distinct(list(s.name) FILTER (WHERE s.total = b.lowest)))  AS lowest_units,
    (count(*) FILTER (WHERE s.tier_rank = 1))::INTEGER                        AS top_tier,
    (count(*) FILTER (WHERE s.score_stage = 'self_assessed'))::INTEGER        AS self_only
FROM scored s
JOIN bounds b USING (kind, year)
GROUP BY s.kind, s.year
ORDER BY s.kind, s.year;
