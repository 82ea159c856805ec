-- Every unit's result per year from $first_year to $last_year, units that no longer exist included: the
-- record that conditions over several years read (a merged commune's years before the merger are its
-- predecessors'). Same framework choice as quota_results.
SELECT r.unit_code, u.name, coalesce(u.kind, r.unit_kind) AS kind, r.year, r.total, r.tier
FROM unit_result AS r
LEFT JOIN unit AS u USING (unit_code)
WHERE r.year BETWEEN $first_year AND $last_year AND r.total IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY r.unit_code, r.year ORDER BY r.framework_id) = 1
ORDER BY r.unit_code, r.year
