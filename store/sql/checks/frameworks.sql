-- Frameworks: each component's criteria add up to its maximum; components add up to the scale unless the
-- framework rescales. One row per component, plus one per framework for the scale (item_code NULL).
WITH crit AS (
    SELECT framework_id, component_code, sum(max_points) AS criteria_max
    FROM framework_item WHERE item_level = 'criterion' GROUP BY ALL
),
comp AS (
    SELECT framework_id, sum(max_points) AS components_max
    FROM framework_item WHERE item_level = 'component' GROUP BY ALL
)
SELECT 'framework_item' AS table_name, NULL AS unit_code, f.year, fi.item_code,
       src.file_name, src.sheet, NULL::INTEGER AS source_row, f.framework_id,
       fi.max_points, c.criteria_max, fi.max_points - c.criteria_max AS criteria_residual,
       NULL::DOUBLE AS components_max, NULL::DOUBLE AS total_scale, NULL::DOUBLE AS scale_residual
FROM framework_item fi
JOIN framework f USING (framework_id)
LEFT JOIN crit c ON c.framework_id = fi.framework_id AND c.component_code = fi.item_code
LEFT JOIN source src ON src.source_id = f.source_id
WHERE fi.item_level = 'component'
UNION ALL
SELECT 'framework', NULL, f.year, NULL, src.file_name, src.sheet, NULL, f.framework_id,
       NULL, NULL, NULL,
       m.components_max, f.total_scale,
       CASE WHEN f.rescale = 'none' THEN m.components_max - f.total_scale END
FROM framework f
LEFT JOIN comp m USING (framework_id)
LEFT JOIN source src ON src.source_id = f.source_id
ORDER BY 8, 4 NULLS FIRST;
