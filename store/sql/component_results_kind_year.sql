-- Component points of every unit of one kind ($kind) in one year ($year).
SELECT cr.unit_code, cr.year, cr.framework_id, cr.component_code, fi.name AS component_name, fi.ordinal,
       cr.points, cr.max_points, cr.basis
FROM component_result cr
JOIN framework f USING (framework_id)
JOIN framework_item fi ON fi.framework_id = cr.framework_id AND fi.item_code = cr.component_code
WHERE f.unit_kind = $kind AND cr.year = $year
ORDER BY cr.unit_code, fi.ordinal;
