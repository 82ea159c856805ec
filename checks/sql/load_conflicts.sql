-- Rows this load replaced or removed that an earlier file of the same load had just written: two files of
-- one load disagree about the same unit and year. Rows replaced from earlier loads are ordinary corrections
-- (other_file NULL). $load_id is -1 outside a load.
SELECT h.table_name, h.old_row->>'unit_code' AS unit_code, TRY_CAST(h.old_row->>'year' AS INTEGER) AS year,
       h.old_row->>'item_code' AS item_code,
       new_src.file_name, new_src.sheet, TRY_CAST(h.new_row->>'source_row' AS INTEGER) AS source_row,
       CASE WHEN old_src.load_id = h.load_id THEN old_src.file_name
                || coalesce(' › ' || old_src.sheet, '') END AS other_file,
       TRY_CAST(h.old_row->>'source_row' AS INTEGER) AS other_row
FROM row_history h
LEFT JOIN source old_src ON old_src.source_id = TRY_CAST(h.old_row->>'source_id' AS INTEGER)
LEFT JOIN source new_src ON new_src.source_id = TRY_CAST(h.new_row->>'source_id' AS INTEGER)
WHERE h.load_id = $load_id
ORDER BY 1, 2, 3, 4;
