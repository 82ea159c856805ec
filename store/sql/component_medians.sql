-- Per framework, year and component: the median and the number of units scored, over all units scored
-- under that framework (the units of one kind).
SELECT cr.framework_id, cr.year, cr.component_code, median(cr.points) AS median_points, count(*) AS units
FROM component_result cr
JOIN framework f USING (framework_id)
WHERE f.unit_kind = $kind
GROUP BY ALL
ORDER BY cr.framework_id, cr.component_code;
