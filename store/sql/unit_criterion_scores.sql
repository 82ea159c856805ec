-- One unit's ($unit) criterion scores in one year ($year) with where each came from: file, sheet and row,
-- and the points that count (the council's score once appraised, the survey for survey items, else the
-- unit's own), as in derive_component_result.sql.
WITH stage AS (
    SELECT s.framework_id, bool_or(fi.method = 'appraisal' AND s.appraised_score IS NOT NULL) AS appraised
    FROM unit_score s JOIN framework_item fi USING (framework_id, item_code)
    WHERE s.unit_code = $unit AND s.year = $year
    GROUP BY ALL
)
SELECT s.framework_id, s.item_code, fi.item_level, fi.component_code, fi.name, fi.max_points, fi.method,
       fi.ordinal, s.self_score, s.appraised_score, s.survey_score, coalesce(s.not_applicable, false) AS not_applicable,
       CASE WHEN fi.method = 'survey' THEN coalesce(s.survey_score, s.appraised_score)
            WHEN st.appraised THEN s.appraised_score
            ELSE s.self_score END AS points,
       src.file_name, src.sheet, s.source_row, lr.published_at
FROM unit_score s
JOIN framework_item fi USING (framework_id, item_code)
JOIN stage st USING (framework_id)
LEFT JOIN source src ON src.source_id = s.source_id
LEFT JOIN load_run lr ON lr.load_id = src.load_id
WHERE s.unit_code = $unit AND s.year = $year
ORDER BY fi.ordinal;
