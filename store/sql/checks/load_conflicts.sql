-- Keys that two files of the same load give different values for (check_load_rows, registered by the load:
-- only such keys, each with the file, sheet and row that sent it, in load order). The later file's rows are
-- the ones reported, naming the earlier file; outside a load the frame is empty.
SELECT r.table_name, r.unit_code, r.year, r.item_code, r.file_name, r.sheet, r.source_row,
       (SELECT o.file_name || coalesce(' › ' || o.sheet, '') FROM check_load_rows o
        WHERE o.table_name = r.table_name AND o.key_text = r.key_text AND o.ordinal < r.ordinal
          AND o.value_hash <> r.value_hash ORDER BY o.ordinal LIMIT 1) AS other_file,
       (SELECT o.source_row FROM check_load_rows o
        WHERE o.table_name = r.table_name AND o.key_text = r.key_text AND o.ordinal < r.ordinal
          AND o.value_hash <> r.value_hash ORDER BY o.ordinal LIMIT 1) AS other_row
FROM check_load_rows r
ORDER BY r.table_name, r.unit_code, r.year, r.item_code, r.ordinal;
