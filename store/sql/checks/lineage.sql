-- Lineage (new unit ← old unit): both ends must be in the register, and the old unit's validity should end
-- the day before the change takes effect.
SELECT 'unit_lineage' AS table_name, l.unit_code, year(l.effective_date) AS year, NULL AS item_code,
       src.file_name, src.sheet, l.source_row,
       l.predecessor_code, l.effective_date, o.valid_to,
       CASE WHEN n.unit_code IS NULL THEN l.unit_code WHEN o.unit_code IS NULL THEN l.predecessor_code END
           AS unknown_code,
       CASE WHEN o.valid_to IS NOT NULL AND o.valid_to <> l.effective_date - INTERVAL 1 DAY
            AND l.relation <> 'split' THEN 'mismatch' END AS date_mismatch
FROM unit_lineage l
LEFT JOIN unit n ON n.unit_code = l.unit_code
LEFT JOIN unit o ON o.unit_code = l.predecessor_code
LEFT JOIN source src ON src.source_id = l.source_id
ORDER BY l.unit_code, l.predecessor_code;
