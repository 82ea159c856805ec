-- Scores as stored, one row per unit, year and item, with the residuals the score rules bound (millions of
-- rows at national scale: no text column that only failing rows need).
-- A unit "ends" at its valid_to or, without one, the day before a lineage change makes it part of another.
-- check_<table>: the table, or only its rows of the unit-years a load changed (rules.yaml: per_unit_year).
WITH appraised AS (
    SELECT s.framework_id, s.unit_code, s.year
    FROM check_unit_score s JOIN framework_item fi USING (framework_id, item_code)
    WHERE fi.method = 'appraisal' AND s.appraised_score IS NOT NULL
    GROUP BY ALL
),
duplicated AS (  -- keys held by more than one row (the primary key forbids it; a damaged file would not)
    SELECT framework_id, unit_code, year, item_code, count(*) AS rows
    FROM check_unit_score GROUP BY ALL HAVING count(*) > 1
),
superseded AS (
    SELECT predecessor_code AS unit_code, min(effective_date) - INTERVAL 1 DAY AS ended
    FROM unit_lineage GROUP BY ALL
)
SELECT 'unit_score' AS table_name, s.unit_code, s.year, s.item_code,
       s.source_id, s.source_row, s.framework_id,  -- file and sheet are looked up for failing rows only
       (s.unit_code IS NULL OR s.year IS NULL OR s.item_code IS NULL) AS key_missing,
       coalesce(d.rows, 1) AS key_rows,
       s.self_score, s.appraised_score, s.survey_score, fi.max_points,
       least(s.self_score, s.appraised_score, s.survey_score) AS min_score,
       s.self_score - fi.max_points AS self_over_max,
       s.appraised_score - fi.max_points AS appraised_over_max,
       s.survey_score - fi.max_points AS survey_over_max,
       CASE WHEN s.survey_score IS NOT NULL AND fi.method <> 'survey' THEN fi.method END AS survey_misplaced,
       CASE WHEN fi.item_code IS NULL AND s.item_code <> 'TOTAL' THEN s.item_code END AS unknown_item,
       -- the council appraised the unit but not this criterion: it would count as nothing
       CASE WHEN fi.method = 'appraisal' AND s.appraised_score IS NULL AND a.unit_code IS NOT NULL
                 AND NOT coalesce(s.not_applicable, false)
            THEN 'missing' END AS appraisal_missing,
       u.valid_from, CAST(coalesce(u.valid_to, sp.ended) AS DATE) AS valid_to,
       -- a year's score belongs to the units that exist at its end (results are published the spring after)
       CASE WHEN u.valid_from > make_date(s.year, 12, 31) THEN 'before'
            WHEN coalesce(u.valid_to, sp.ended) < make_date(s.year, 12, 31) THEN 'after' END AS outside_validity
FROM check_unit_score s
LEFT JOIN framework_item fi USING (framework_id, item_code)
LEFT JOIN duplicated d USING (framework_id, unit_code, year, item_code)
LEFT JOIN appraised a USING (framework_id, unit_code, year)
LEFT JOIN unit u USING (unit_code)
LEFT JOIN superseded sp USING (unit_code);
