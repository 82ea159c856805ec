-- Per criterion of one framework ($framework): the median of the points that count over the units scored.
WITH stage AS (
    SELECT s.unit_code, s.year, bool_or(fi.method = 'appraisal' AND s.appraised_score IS NOT NULL) AS appraised
    FROM unit_score s JOIN framework_item fi USING (framework_id, item_code)
    WHERE s.framework_id = $framework
    GROUP BY ALL
)
SELECT s.item_code,
       median(CASE WHEN fi.method = 'survey' THEN coalesce(s.survey_score, s.appraised_score)
                   WHEN st.appraised THEN s.appraised_score
                   ELSE s.self_score END) AS median_points,
       count(*) AS units
FROM unit_score s
JOIN framework_item fi USING (framework_id, item_code)
JOIN stage st USING (unit_code, year)
WHERE s.framework_id = $framework
GROUP BY s.item_code;
