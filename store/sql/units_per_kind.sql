-- Units per kind on the day $as_of: active that day, ended before it, not started yet, and all of them
-- (a unit is active from valid_from to valid_to inclusive; NULL means open-ended).
SELECT
    kind,
    count(*) FILTER (
        WHERE (valid_from IS NULL OR valid_from <= $as_of) AND (valid_to IS NULL OR valid_to >= $as_of)
    )                                       AS active,
    count(*) FILTER (WHERE valid_to < $as_of) AS ended,
    count(*) FILTER (WHERE valid_from > $as_of) AS upcoming,
    count(*)                                AS total
FROM unit
GROUP BY kind
ORDER BY
    CASE kind WHEN 'province' THEN 1 WHEN 'ministry' THEN 2 WHEN 'department' THEN 3
              WHEN 'district' THEN 4 WHEN 'commune' THEN 5 ELSE 9 END,
    kind;
