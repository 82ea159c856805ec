-- The register: every unit with its kind, legal form, parent and validity (NULL = open-ended).
SELECT u.unit_code, u.name, u.kind, u.subkind, u.parent_code, p.name AS parent_name, u.valid_from, u.valid_to,
       u.aliases, s.file_name, s.sheet, u.source_row
FROM unit u
LEFT JOIN unit p ON p.unit_code = u.parent_code
LEFT JOIN source s ON s.source_id = u.source_id
ORDER BY u.kind, u.name, u.unit_code;
