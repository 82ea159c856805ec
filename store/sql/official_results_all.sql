-- Every official index claim (one row per source claim), with the unit's current name and the file it was
-- read from.
SELECT o.index_code, o.year, o.level, o.unit_code, o.published_name, u.name AS unit_name, u.valid_from,
       u.valid_to, o.score, o.rank, o.grp, o.delta, o.note, o.sources, s.file_name, o.source_row,
       length(o.sources) - length(replace(o.sources, ' ', '')) + 1 AS source_count
FROM official_result o
LEFT JOIN unit u USING (unit_code)
LEFT JOIN source s ON s.source_id = o.source_id
ORDER BY o.index_code, o.level, o.year, o.rank NULLS LAST, o.unit_code, o.source_id, o.source_row;
