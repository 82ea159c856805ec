-- Every published load, newest first, with the number of source files/sheets it read.
SELECT
    l.load_id,
    l.command,
    l.loaded_by,
    l.started_at,
    l.published_at,
    l.rows_new,
    l.rows_changed,
    l.rows_unchanged,
    l.rows_removed,
    l.summary,
    (SELECT count(*) FROM source s WHERE s.load_id = l.load_id) AS sources
FROM load_run l
ORDER BY l.published_at DESC, l.load_id DESC;
