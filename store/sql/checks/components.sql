-- Component results against the criteria they come from, and a component score a file sent beside its
-- criteria against their sum.
-- check_<table>: the table, or only its rows of the unit-years a load changed (rules.yaml: per_unit_year).
WITH item AS (
    SELECT s.*, fi.item_level, fi.component_code, fi.method
    FROM check_unit_score s JOIN framework_item fi USING (framework_id, item_code)
),
stage AS (
    SELECT framework_id, unit_code, year,
           bool_or(method = 'appraisal' AND appraised_score IS NOT NULL) AS appraised
    FROM item GROUP BY ALL
),
crit AS (
    SELECT framework_id, unit_code, year, component_code,
           sum(CASE WHEN method = 'survey' THEN coalesce(survey_score, appraised_score)
                    WHEN st.appraised THEN appraised_score ELSE self_score END) AS criteria_points,
           min(source_id) AS source_id, min(source_row) AS source_row
    FROM item JOIN stage st USING (framework_id, unit_code, year)
    WHERE item_level = 'criterion' GROUP BY ALL
),
reported AS (
    SELECT framework_id, unit_code, year, component_code,
           CASE WHEN method = 'survey' THEN coalesce(survey_score, appraised_score)
                ELSE coalesce(appraised_score, self_score) END AS reported_points,
           source_id, source_row
    FROM item WHERE item_level = 'component'
)
SELECT 'component_result' AS table_name, cr.unit_code, cr.year, cr.component_code AS item_code,
       src.file_name, src.sheet, coalesce(r.source_row, c.source_row) AS source_row,
       cr.points, cr.max_points, c.criteria_points, r.reported_points,
       CASE WHEN cr.basis = 'criteria' AND c.criteria_points IS NOT NULL
            THEN cr.points - c.criteria_points END AS criteria_residual,
       CASE WHEN c.criteria_points IS NOT NULL THEN r.reported_points - c.criteria_points END AS reported_residual,
       cr.points - cr.max_points AS over_max
FROM check_component_result cr
LEFT JOIN crit c USING (framework_id, unit_code, year, component_code)
LEFT JOIN reported r USING (framework_id, unit_code, year, component_code)
LEFT JOIN source src ON src.source_id = coalesce(r.source_id, c.source_id);
