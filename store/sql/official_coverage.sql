-- What the database holds of the official national results, per index, year and level: source
-- claims (rows), units named, units with a published score / rank, and units whose sources disagree.
WITH per_unit AS (
    SELECT
        index_code, year, level, unit_code,
        count(*)                                                 AS claims,
        bool_or(score IS NOT NULL)                               AS has_score,
        bool_or(rank IS NOT NULL)                                AS has_rank,
        count(DISTINCT score) > 1 OR count(DISTINCT rank) > 1    AS conflicting
    FROM official_result
    GROUP BY index_code, year, level, unit_code
)
SELECT
    index_code,
    year,
    level,
    sum(claims)::BIGINT                     AS rows,
    count(*)                                AS units,
    count(*) FILTER (WHERE has_score)       AS with_score,
    count(*) FILTER (WHERE has_rank)        AS with_rank,
    count(*) FILTER (WHERE conflicting)     AS conflicting_units
FROM per_unit
GROUP BY index_code, year, level
ORDER BY index_code, year, level;
