SELECT framework_id, item_code, item_level, name_key, max_points, method FROM framework_item ORDER BY framework_id, ordinal
