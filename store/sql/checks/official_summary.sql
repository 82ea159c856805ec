-- National summary figures: the same metric given differently by two sources, and counts that must add up
-- to the provinces scored that year (check_summary_totals and check_official_expected, from rules.yaml).
WITH per_metric AS (
    SELECT index_code, year, metric, count(DISTINCT value) AS values_given,
           string_agg(DISTINCT CAST(value AS VARCHAR), ' / ' ORDER BY CAST(value AS VARCHAR)) AS value_list
    FROM official_summary GROUP BY ALL
),
totals AS (
    SELECT s.index_code, s.year, t.total,
           sum(s.value) AS counted,
           count(DISTINCT s.metric) FILTER (WHERE t.required) AS required_given,
           (SELECT count(*) FROM check_summary_totals r WHERE r.total = t.total AND r.required) AS required_all
    FROM (SELECT index_code, year, metric, avg(value) AS value FROM official_summary GROUP BY ALL) s
    JOIN check_summary_totals t ON t.metric = s.metric
    GROUP BY ALL
)
SELECT 'official_summary' AS table_name, NULL AS unit_code, s.year, s.metric AS item_code,
       src.file_name, src.sheet, s.source_row, s.metric, s.value,
       CASE WHEN p.values_given > 1 THEN p.value_list END AS disagreement,
       NULL::DOUBLE AS counted, NULL::INTEGER AS expected_units, NULL::DOUBLE AS count_residual
FROM official_summary s
JOIN per_metric p USING (index_code, year, metric)
LEFT JOIN source src ON src.source_id = s.source_id
UNION ALL
SELECT 'official_summary', NULL, t.year, t.total, NULL, NULL, NULL, t.total, NULL, NULL,
       t.counted, e.units, t.counted - e.units
FROM totals t
JOIN check_official_expected e ON e.level = 'province' AND t.year BETWEEN e.first AND e.last
WHERE t.required_given = t.required_all
ORDER BY 3, 4;
