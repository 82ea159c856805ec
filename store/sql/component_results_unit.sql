-- One unit's ($unit) component points in every year, with each component's maximum.
SELECT cr.unit_code, cr.year, cr.framework_id, cr.component_code, fi.name AS component_name, fi.ordinal,
       cr.points, cr.max_points, cr.basis
FROM component_result cr
JOIN framework_item fi ON fi.framework_id = cr.framework_id AND fi.item_code = cr.component_code
WHERE cr.unit_code = $unit
ORDER BY cr.year, fi.ordinal;
