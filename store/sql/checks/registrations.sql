-- Registrations: the date falls inside the year registered for, by a unit that exists that year.
WITH superseded AS (
    SELECT predecessor_code AS unit_code, min(effective_date) - INTERVAL 1 DAY AS ended
    FROM unit_lineage GROUP BY ALL
)
SELECT 'registration' AS table_name, r.unit_code, r.year, NULL AS item_code,
       src.file_name, src.sheet, r.source_row, r.registered_on,
       CASE WHEN year(r.registered_on) <> r.year THEN 'outside' END AS outside_year,
       CASE WHEN r.year < year(u.valid_from) OR r.year > year(coalesce(u.valid_to, sp.ended))
            THEN 'outside' END AS outside_validity
FROM registration r
LEFT JOIN unit u USING (unit_code)
LEFT JOIN superseded sp USING (unit_code)
LEFT JOIN source src ON src.source_id = r.source_id
ORDER BY r.year, r.unit_code;
