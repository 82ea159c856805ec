-- Discipline, investigations and complaints: a discipline says its level; dates in order and within the
-- years covered; a person named is in the register of individuals.
SELECT 'sanction' AS table_name, s.unit_code, year(s.start_date) AS year, s.kind AS item_code,
       src.file_name, src.sheet, s.source_row, s.person_id, s.start_date, s.end_date,
       CASE WHEN s.kind = 'discipline' AND s.level IS NULL THEN 'missing' END AS level_missing,
       CASE WHEN s.end_date < s.start_date THEN 'reversed' END AS dates_reversed,
       CASE WHEN s.person_id IS NOT NULL AND p.person_id IS NULL THEN s.person_id END AS person_unknown
FROM sanction s
LEFT JOIN person p USING (person_id)
LEFT JOIN source src ON src.source_id = s.source_id
ORDER BY s.start_date, s.unit_code;
