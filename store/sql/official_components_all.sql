-- Every official claim per component (one row per source claim), with the unit's register name.
SELECT c.index_code, c.year, c.level, c.unit_code, u.name AS unit_name, c.published_name, c.component_code,
       c.component_name, c.score, c.rank, c.note, c.sources, c.source_id, c.source_row
FROM official_component_result c
LEFT JOIN unit u USING (unit_code)
ORDER BY c.index_code, c.level, c.year, c.component_code, c.unit_code, c.source_id, c.source_row;
