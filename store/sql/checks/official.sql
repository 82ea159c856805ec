-- Official index claims (one row per source claim) with the residuals of the official rules. Frames the
-- checks register from rules.yaml: check_official_expected (level, first, last, units),
-- check_official_groups (index_code, grp, min, below), check_note_markers (marker).
WITH claim AS (
    SELECT o.*, e.units AS expected_units
    FROM official_result o
    LEFT JOIN check_official_expected e ON e.level = o.level AND o.year BETWEEN e.first AND e.last
),
superseded AS (
    SELECT predecessor_code AS unit_code, min(effective_date) - INTERVAL 1 DAY AS ended
    FROM unit_lineage GROUP BY ALL
),
per_unit AS (
    SELECT index_code, year, level, unit_code,
           count(DISTINCT score) AS scores, count(DISTINCT rank) AS ranks, count(DISTINCT grp) AS groups,
           string_agg(DISTINCT CAST(score AS VARCHAR), ' / ' ORDER BY CAST(score AS VARCHAR)) AS score_list,
           string_agg(DISTINCT CAST(rank AS VARCHAR), ' / ' ORDER BY CAST(rank AS VARCHAR)) AS rank_list
    FROM official_result GROUP BY ALL
)
SELECT 'official_result' AS table_name, c.unit_code, c.year, c.index_code AS item_code,
       src.file_name, src.sheet, c.source_row,
       c.published_name, c.level, c.score, c.rank, c.grp, c.delta, c.note, c.expected_units,
       c.rank - c.expected_units AS rank_residual,
       (SELECT g.grp FROM check_official_groups g
        WHERE g.index_code = c.index_code
          AND (g.min IS NULL OR c.score >= g.min) AND (g.below IS NULL OR c.score < g.below) LIMIT 1)
           AS expected_group,
       CASE WHEN c.score IS NOT NULL AND c.grp IS NOT NULL
                 AND exists(SELECT 1 FROM check_official_groups g WHERE g.index_code = c.index_code)
                 AND c.grp IS DISTINCT FROM (
                SELECT g.grp FROM check_official_groups g
                WHERE g.index_code = c.index_code
                  AND (g.min IS NULL OR c.score >= g.min) AND (g.below IS NULL OR c.score < g.below) LIMIT 1)
            THEN 'mismatch' END AS group_mismatch,
       -- Another unit of the same index, year and level placed wrongly against this claim: a higher score
       -- with a rank not above it, or the same score with another rank (ties share a rank). Within one source
       -- that is an error in the table; against another source's claim it is a disagreement between sources
       -- (a press article against the Ministry's annex), kept and flagged.
       CASE WHEN c.score IS NOT NULL AND c.rank IS NOT NULL THEN (
           SELECT count(*) FROM official_result x
           WHERE x.index_code = c.index_code AND x.year = c.year AND x.level = c.level
             AND x.unit_code <> c.unit_code AND x.score IS NOT NULL AND x.rank IS NOT NULL
             AND x.sources = c.sources
             AND ((x.score > c.score AND x.rank >= c.rank) OR (x.score < c.score AND x.rank <= c.rank)
                  OR (x.score = c.score AND x.rank <> c.rank))) END AS rank_inversions,
       CASE WHEN c.score IS NOT NULL AND c.rank IS NOT NULL THEN (
           SELECT string_agg(x.published_name || ' (' || x.score || ', ' || x.rank || ')', '; ' ORDER BY x.rank, x.published_name)
           FROM official_result x
           WHERE x.index_code = c.index_code AND x.year = c.year AND x.level = c.level
             AND x.unit_code <> c.unit_code AND x.score IS NOT NULL AND x.rank IS NOT NULL
             AND x.sources = c.sources
             AND ((x.score > c.score AND x.rank >= c.rank) OR (x.score < c.score AND x.rank <= c.rank)
                  OR (x.score = c.score AND x.rank <> c.rank))) END AS inverted_with,
       CASE WHEN c.score IS NOT NULL AND c.rank IS NOT NULL THEN (
           SELECT count(*) FROM official_result x
           WHERE x.index_code = c.index_code AND x.year = c.year AND x.level = c.level
             AND x.unit_code <> c.unit_code AND x.score IS NOT NULL AND x.rank IS NOT NULL
             AND x.sources <> c.sources
             AND ((x.score > c.score AND x.rank >= c.rank) OR (x.score < c.score AND x.rank <= c.rank)
                  OR (x.score = c.score AND x.rank <> c.rank))) END AS rank_inversions_elsewhere,
       CASE WHEN c.score IS NOT NULL AND c.rank IS NOT NULL THEN (
           SELECT string_agg(x.published_name || ' (' || x.score || ', ' || x.rank || ')', '; ' ORDER BY x.rank, x.published_name)
           FROM official_result x
           WHERE x.index_code = c.index_code AND x.year = c.year AND x.level = c.level
             AND x.unit_code <> c.unit_code AND x.score IS NOT NULL AND x.rank IS NOT NULL
             AND x.sources <> c.sources
             AND ((x.score > c.score AND x.rank >= c.rank) OR (x.score < c.score AND x.rank <= c.rank)
                  OR (x.score = c.score AND x.rank <> c.rank))) END AS inverted_elsewhere,
       CASE WHEN u.valid_from > make_date(c.year, 12, 31) OR coalesce(u.valid_to, sp.ended) < make_date(c.year, 12, 31)
            THEN 'outside' END AS outside_validity,
       CASE WHEN p.scores > 1 OR p.ranks > 1 OR p.groups > 1
            THEN coalesce(p.score_list, '—') || ' | ' || coalesce(p.rank_list, '—') END AS disagreement,
       -- The next year's claim of the same unit gives score and change: its score minus its change is this
       -- year's score as that source implies it.
       (SELECT arg_min(n.score - n.delta, abs(n.score - n.delta - c.score)) FROM official_result n
        WHERE n.index_code = c.index_code AND n.level = c.level AND n.unit_code = c.unit_code
          AND n.year = c.year + 1 AND n.score IS NOT NULL AND n.delta IS NOT NULL) AS implied_score,
       c.score - (SELECT arg_min(n.score - n.delta, abs(n.score - n.delta - c.score)) FROM official_result n
        WHERE n.index_code = c.index_code AND n.level = c.level AND n.unit_code = c.unit_code
          AND n.year = c.year + 1 AND n.score IS NOT NULL AND n.delta IS NOT NULL) AS implied_residual,
       CASE WHEN exists(SELECT 1 FROM check_note_markers m WHERE starts_with(upper(trim(c.note)), m.marker))
            THEN 'disputed' END AS disputed_note,
       CASE WHEN c.score IS NULL AND c.rank IS NULL AND c.grp IS NULL AND c.delta IS NULL
            THEN 'none' END AS no_figure
FROM claim c
LEFT JOIN per_unit p USING (index_code, year, level, unit_code)
LEFT JOIN unit u ON u.unit_code = c.unit_code
LEFT JOIN superseded sp ON sp.unit_code = c.unit_code
LEFT JOIN source src ON src.source_id = c.source_id
ORDER BY c.index_code, c.year, c.level, c.rank NULLS LAST, c.unit_code;
