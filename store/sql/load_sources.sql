-- Every source file/sheet read by a load, newest load first, with who loaded it and when.
-- The sha256 prefix is enough to tell two versions of a file apart on screen.
SELECT
    s.load_id,
    s.source_id,
    s.file_name,
    s.sheet,
    s.table_kind,
    s.layout,
    left(s.file_sha256, 12)                AS sha256_prefix,
    s.row_count,
    l.loaded_by,
    l.published_at
FROM source s
LEFT JOIN load_run l USING (load_id)
ORDER BY l.published_at DESC NULLS LAST, s.load_id DESC, s.source_id;
