-- Every framework item with its framework's year and unit kind, in the framework's order: what a column
-- of a file can be named as in the guided mapping.
SELECT f.year, f.unit_kind, i.item_code, i.item_level, i.name, i.max_points, i.ordinal
FROM framework_item i
JOIN framework f USING (framework_id)
ORDER BY f.year, f.unit_kind, i.ordinal
