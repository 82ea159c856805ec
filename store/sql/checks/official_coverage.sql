-- Units with an official result per index, year and level against the number expected that year
-- (check_official_expected, from rules.yaml): fewer is a partial year, more is impossible.
SELECT 'official_result' AS table_name, NULL AS unit_code, o.year, o.index_code AS item_code,
       NULL AS file_name, NULL AS sheet, NULL::INTEGER AS source_row,
       o.index_code, o.level, count(DISTINCT o.unit_code) AS units, e.units AS expected_units,
       count(DISTINCT o.unit_code) - e.units AS units_over,
       CASE WHEN count(DISTINCT o.unit_code) < e.units THEN 'partial' END AS partial
FROM official_result o
JOIN check_official_expected e ON e.level = o.level AND o.year BETWEEN e.first AND e.last
GROUP BY o.index_code, o.year, o.level, e.units
ORDER BY o.index_code, o.year, o.level;
