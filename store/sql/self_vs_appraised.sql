-- Self-assessed against appraised points per unit and area in a year ($year): what appraisal councils look at.
SELECT cr.unit_code, u.name AS unit_name, u.kind, cr.framework_id, cr.component_code, fi.name AS component_name,
       fi.ordinal, cr.self_points, cr.points AS appraised_points, cr.max_points,
       cr.self_points - cr.points AS gap
FROM component_result cr
JOIN unit u USING (unit_code)
JOIN framework_item fi ON fi.framework_id = cr.framework_id AND fi.item_code = cr.component_code
WHERE cr.year = $year
ORDER BY u.kind, u.name, fi.ordinal;
