-- The unit register with its problem columns.
SELECT 'unit' AS table_name, u.unit_code, NULL::INTEGER AS year, NULL AS item_code,
       src.file_name, src.sheet, u.source_row,
       u.kind, u.valid_from, u.valid_to, u.parent_code,
       CASE WHEN u.valid_to < u.valid_from THEN 'reversed' END AS dates_reversed,
       CASE WHEN u.parent_code IS NOT NULL AND p.unit_code IS NULL THEN u.parent_code END AS parent_unknown
FROM unit u
LEFT JOIN unit p ON p.unit_code = u.parent_code
LEFT JOIN source src ON src.source_id = u.source_id
ORDER BY u.unit_code;
