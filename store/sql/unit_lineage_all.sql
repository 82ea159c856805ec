-- Every lineage link: unit_code came (wholly or partly) from predecessor_code on effective_date.
SELECT l.unit_code, l.predecessor_code, l.effective_date, l.relation, u.name AS unit_name,
       p.name AS predecessor_name, p.kind AS predecessor_kind, s.file_name, l.source_row
FROM unit_lineage l
LEFT JOIN unit u ON u.unit_code = l.unit_code
LEFT JOIN unit p ON p.unit_code = l.predecessor_code
LEFT JOIN source s ON s.source_id = l.source_id
ORDER BY l.unit_code, l.predecessor_code;
