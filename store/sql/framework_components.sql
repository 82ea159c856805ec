-- The component areas of every framework: the unit kind and year it scores, name, maximum points, order.
SELECT f.framework_id, f.issuer_code, f.unit_kind, f.year, fi.item_code AS component_code, fi.name,
       fi.max_points, fi.method, fi.ordinal
FROM framework f
JOIN framework_item fi USING (framework_id)
WHERE fi.item_level = 'component'
ORDER BY f.unit_kind, f.year, fi.ordinal;
