-- The open findings of the published version: those of the latest check run stored in it (every load
-- checks the whole draft, so older runs are superseded). Warnings only in practice: errors refuse a load.
SELECT
    f.suite,
    f.rule,
    f.severity,
    f.table_name,
    f.unit_code,
    f.year,
    f.item_code,
    f.file_name,
    f.sheet,
    f.source_row,
    f.message_vi,
    f.message_en
FROM check_finding f
WHERE f.run_id = (SELECT max(run_id) FROM check_run)
ORDER BY f.severity, f.suite, f.rule, f.table_name, f.unit_code, f.year, f.item_code, f.source_row;
