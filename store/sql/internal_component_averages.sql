-- The province's own results per framework area and year, over its departments and communes (or districts):
-- the mean of each unit's area points as a percent of the area's maximum, self-assessed and appraised.
SELECT cr.year, u.kind, cr.framework_id, cr.component_code, fi.name AS component_name, fi.ordinal,
       count(*) AS units,
       avg(100.0 * cr.points / nullif(cr.max_points, 0)) AS appraised_pct,
       avg(100.0 * cr.self_points / nullif(cr.max_points, 0)) AS self_pct
FROM component_result cr
JOIN unit u USING (unit_code)
JOIN framework_item fi ON fi.framework_id = cr.framework_id AND fi.item_code = cr.component_code
GROUP BY ALL
ORDER BY cr.year, u.kind, fi.ordinal;
