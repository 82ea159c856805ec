-- Official results by component, one row per source claim: two sources giving one unit's component different
-- figures (both kept, flagged like official_result's), and a score above the component's maximum in the
-- national indices registry (check_national_components: index_code, level, first, last, component_code, max).
WITH per_unit AS (
    SELECT index_code, year, level, unit_code, component_code,
           count(DISTINCT score) AS scores, count(DISTINCT rank) AS ranks,
           string_agg(DISTINCT CAST(score AS VARCHAR), ' / ' ORDER BY CAST(score AS VARCHAR)) AS score_list,
           string_agg(DISTINCT CAST(rank AS VARCHAR), ' / ' ORDER BY CAST(rank AS VARCHAR)) AS rank_list
    FROM official_component_result GROUP BY ALL
)
SELECT 'official_component_result' AS table_name, c.unit_code, c.year,
       c.index_code || ':' || c.component_code AS item_code,
       src.file_name, src.sheet, c.source_row,
       c.published_name, c.component_name, c.score, c.rank, m.max AS max_points,
       c.score - m.max AS over_max,
       CASE WHEN p.scores > 1 OR p.ranks > 1
            THEN coalesce(p.score_list, '—') || ' | ' || coalesce(p.rank_list, '—') END AS disagreement
FROM official_component_result c
JOIN per_unit p USING (index_code, year, level, unit_code, component_code)
LEFT JOIN check_national_components m
       ON m.index_code = c.index_code AND m.level = c.level AND m.component_code = c.component_code
      AND c.year BETWEEN m.first AND m.last
LEFT JOIN source src ON src.source_id = c.source_id
ORDER BY c.index_code, c.year, c.component_code, c.unit_code;
