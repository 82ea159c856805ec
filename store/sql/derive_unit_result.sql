-- Unit totals and tiers, from component_result; totals sent without any parts are kept and marked
-- "reported_total". Rescaling follows the framework: none, to_scale, or when_no_survey (the survey
-- was not run for this unit: appraisal points over the appraisal maximum). Criteria that do not apply to
-- the unit ("KAD") leave its maximum, and its total is then rescaled over what applies whatever the
-- framework's rescale (68,32 points of an applicable 84 = 81,33). Bonus points are added and penalty points
-- taken off after rescaling. Two decimals, as published and as Excel's ROUND gives them: half a hundredth
-- up, on the sum taken to six decimals first (a sum of doubles such as 60.27499999999999 would otherwise
-- round down, or either way depending on the order it was added in); the sums stored beside it are taken to six
-- decimals too, so that rebuilding a unit-year gives the same bits whatever order its rows are read in. Reads derive_scores and derive_components: every
-- unit-year, or only those a load touched (store/publish.py derive), whose results were removed first.
INSERT INTO unit_result
WITH comp AS (
    SELECT cr.*, fi.method
    FROM derive_components cr
    JOIN framework_item fi ON fi.framework_id = cr.framework_id AND fi.item_code = cr.component_code
),
maxima AS (
    SELECT framework_id,
           sum(max_points) AS full_max,
           sum(max_points) FILTER (WHERE method = 'appraisal') AS appraisal_max
    FROM framework_item WHERE item_level = 'component' GROUP BY framework_id
),
stage AS (
    SELECT framework_id, unit_code, year,
           bool_or(s.appraised_score IS NOT NULL AND fi.method = 'appraisal') AS appraised
    FROM derive_scores s JOIN framework_item fi USING (framework_id, item_code) GROUP BY ALL
),
from_parts AS (
    SELECT framework_id, unit_code, year,
           round(sum(points) FILTER (WHERE method = 'appraisal'), 6) AS appraisal_points,
           round(sum(points) FILTER (WHERE method = 'survey'), 6) AS survey_points,
           round(sum(self_points), 6) AS self_points,
           coalesce(sum(max_points - applicable_max) FILTER (WHERE method = 'appraisal'), 0) AS na_appraisal,
           coalesce(sum(max_points - applicable_max), 0) AS na_all,
           CASE WHEN bool_and(basis = 'criteria') THEN 'criteria' ELSE 'reported_component' END AS basis
    FROM comp GROUP BY ALL
),
adjustments AS (
    SELECT s.framework_id, s.unit_code, s.year,
           round(sum(coalesce(s.appraised_score, s.self_score)) FILTER (WHERE fi.method = 'bonus'), 6) AS bonus_points,
           round(sum(abs(coalesce(s.appraised_score, s.self_score))) FILTER (WHERE fi.method = 'penalty'), 6)
               AS penalty_points,
           round(sum(s.self_score) FILTER (WHERE fi.method = 'bonus'), 6) AS self_bonus,
           round(sum(abs(s.self_score)) FILTER (WHERE fi.method = 'penalty'), 6) AS self_penalty
    FROM derive_scores s JOIN framework_item fi USING (framework_id, item_code)
    WHERE fi.item_level = 'adjustment'
    GROUP BY ALL
),
totals_only AS (
    SELECT framework_id, unit_code, year, coalesce(appraised_score, self_score) AS total, reported_tier,
           appraised_score IS NOT NULL AS appraised
    FROM derive_scores WHERE item_code = 'TOTAL'
),
scaled AS (
    SELECT p.framework_id, p.unit_code, p.year, p.appraisal_points, p.survey_points, p.basis,
           round(coalesce(p.appraisal_points, 0) + coalesce(p.survey_points, 0), 6) AS raw_points,
           round(CASE WHEN f.rescale = 'when_no_survey' AND p.survey_points IS NULL THEN m.appraisal_max - p.na_appraisal
                      ELSE m.full_max - p.na_all END, 6) AS raw_max,
           p.self_points, f.total_scale, coalesce(st.appraised, false) AS appraised,
           CASE WHEN f.rescale = 'none' AND p.na_all = 0 THEN 'none' ELSE 'rescale' END AS rescale
    FROM from_parts p
    JOIN framework f USING (framework_id)
    JOIN maxima m USING (framework_id)
    LEFT JOIN stage st ON st.framework_id = p.framework_id AND st.unit_code = p.unit_code AND st.year = p.year
),
results AS (
    SELECT s.framework_id, s.unit_code, s.year, s.appraisal_points, s.survey_points, s.raw_points, s.raw_max,
           CAST(round(CAST(CASE WHEN s.rescale = 'none' THEN s.self_points
                                ELSE s.self_points / nullif(s.raw_max, 0) * s.total_scale END
                           + coalesce(a.self_bonus, 0) - coalesce(a.self_penalty, 0) AS DECIMAL(18, 6)), 2)
                AS DOUBLE) AS self_total,
           CAST(round(CAST(CASE WHEN s.rescale = 'none' THEN s.raw_points
                                ELSE s.raw_points / nullif(s.raw_max, 0) * s.total_scale END
                           + coalesce(a.bonus_points, 0) - coalesce(a.penalty_points, 0) AS DECIMAL(18, 6)), 2)
                AS DOUBLE) AS total,
           t.reported_tier, s.basis,
           CASE WHEN s.appraised THEN 'appraised' ELSE 'self_assessed' END AS score_stage,
           a.bonus_points, a.penalty_points
    FROM scaled s
    LEFT JOIN totals_only t USING (framework_id, unit_code, year)
    LEFT JOIN adjustments a USING (framework_id, unit_code, year)
    UNION ALL
    SELECT t.framework_id, t.unit_code, t.year, NULL, NULL, NULL, NULL, NULL,
           CAST(round(CAST(t.total AS DECIMAL(18, 6)), 2) AS DOUBLE), t.reported_tier,
           'reported_total', CASE WHEN t.appraised THEN 'appraised' ELSE 'self_assessed' END, NULL, NULL
    FROM totals_only t
    ANTI JOIN from_parts p USING (framework_id, unit_code, year)
)
SELECT r.framework_id, r.unit_code, f.unit_kind, r.year, r.appraisal_points, r.survey_points, r.raw_points,
       r.raw_max, r.self_total, r.total,
       (SELECT b.tier FROM tier_set ts JOIN tier_band b USING (tier_set_id)
        WHERE ts.issuer_code = f.issuer_code AND ts.unit_kind = f.unit_kind AND ts.year = r.year
          AND (b.lower_bound IS NULL OR r.total > b.lower_bound OR (b.lower_inclusive AND r.total = b.lower_bound))
          AND (b.upper_bound IS NULL OR r.total < b.upper_bound OR (b.upper_inclusive AND r.total = b.upper_bound))
        ORDER BY b.tier_rank LIMIT 1) AS tier,
       r.reported_tier, r.basis, r.score_stage, r.bonus_points, r.penalty_points
FROM results r
JOIN framework f USING (framework_id)
WHERE r.total IS NOT NULL;
