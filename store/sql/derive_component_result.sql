-- Component results, computed from the criteria (never trusted from input when criteria exist).
-- A unit-year is at the "appraised" stage once any appraisal item has a council score; before that
-- its self-assessed scores stand in and the result says so. Areas sent without criteria are kept as
-- "reported_component". Criteria marked as not applying ("KAD") score nothing and leave the area's
-- applicable maximum; bonus and penalty points (item_level = adjustment) are no area.
-- Reads derive_scores: every score, or only the unit-years a load touched (store/publish.py derive), whose
-- results were removed first.
INSERT INTO component_result
WITH item AS (
    SELECT s.*, coalesce(s.not_applicable, false) AS na, fi.item_level, fi.component_code, fi.method,
           fi.max_points AS item_max
    FROM derive_scores s
    JOIN framework_item fi USING (framework_id, item_code)
    WHERE fi.item_level <> 'adjustment'
),
stage AS (
    SELECT framework_id, unit_code, year,
           bool_or(method = 'appraisal' AND appraised_score IS NOT NULL) AS appraised
    FROM item GROUP BY ALL
),
points AS (
    SELECT i.framework_id, i.unit_code, i.year, i.component_code, i.item_level, i.na, i.item_max,
           CASE WHEN i.method = 'survey' THEN coalesce(i.survey_score, i.appraised_score)
                WHEN st.appraised THEN i.appraised_score
                ELSE i.self_score END AS points,
           CASE WHEN i.method = 'survey' THEN coalesce(i.survey_score, i.appraised_score)
                ELSE i.self_score END AS self_points
    FROM item i JOIN stage st USING (framework_id, unit_code, year)
),
has_criteria AS (
    SELECT framework_id, unit_code, year, component_code, bool_or(item_level = 'criterion') AS from_criteria
    FROM points GROUP BY ALL
)
-- Rounded below the scores' own precision: a parallel sum of doubles differs in its last bits with the order
-- the rows arrive in, and a unit's result must not depend on whether it was derived alone or with every other.
SELECT p.framework_id, p.unit_code, p.year, p.component_code,
       round(sum(p.self_points), 6) AS self_points,
       round(sum(p.points), 6) AS points,
       any_value(c.max_points) AS max_points,
       CASE WHEN h.from_criteria THEN 'criteria' ELSE 'reported_component' END AS basis,
       round(any_value(c.max_points) - coalesce(sum(p.item_max) FILTER (WHERE p.na), 0), 6) AS applicable_max
FROM points p
JOIN has_criteria h USING (framework_id, unit_code, year, component_code)
JOIN framework_item c ON c.framework_id = p.framework_id AND c.item_code = p.component_code
WHERE p.item_level = CASE WHEN h.from_criteria THEN 'criterion' ELSE 'component' END
GROUP BY p.framework_id, p.unit_code, p.year, p.component_code, h.from_criteria;
