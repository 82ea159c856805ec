-- Unit results recomputed independently of derive_unit_result: components against the total, rescaling,
-- tier against the tier set's cut-offs, reported totals and tiers, criteria not scored, the change from the
-- year before, and (as rows with missing_result set) units active at the end of a year that have no result
-- although other units of their kind do.
WITH fmax AS (
    SELECT framework_id,
           sum(max_points) AS full_max,
           sum(max_points) FILTER (WHERE method = 'appraisal') AS appraisal_max
    FROM framework_item WHERE item_level = 'component' GROUP BY ALL
),
comp AS (
    SELECT cr.framework_id, cr.unit_code, cr.year,
           sum(cr.points) AS components_points,
           sum(cr.points) FILTER (WHERE fi.method = 'appraisal') AS appraisal_points,
           sum(cr.points) FILTER (WHERE fi.method = 'survey') AS survey_points
    FROM component_result cr
    JOIN framework_item fi ON fi.framework_id = cr.framework_id AND fi.item_code = cr.component_code
    GROUP BY ALL
),
not_applicable AS (  -- the maxima of the items marked "KAD", as the unit's file sent them
    SELECT s.framework_id, s.unit_code, s.year,
           coalesce(sum(fi.max_points) FILTER (WHERE fi.method = 'appraisal'), 0) AS na_appraisal,
           sum(fi.max_points) AS na_all
    FROM unit_score s JOIN framework_item fi USING (framework_id, item_code)
    WHERE s.not_applicable AND fi.item_level <> 'adjustment'
    GROUP BY ALL
),
adjusted AS (  -- bonus points added, penalty points (whatever their sign in the file) taken off
    SELECT s.framework_id, s.unit_code, s.year,
           coalesce(sum(coalesce(s.appraised_score, s.self_score)) FILTER (WHERE fi.method = 'bonus'), 0)
           - coalesce(sum(abs(coalesce(s.appraised_score, s.self_score))) FILTER (WHERE fi.method = 'penalty'), 0)
               AS adjustment
    FROM unit_score s JOIN framework_item fi USING (framework_id, item_code)
    WHERE fi.item_level = 'adjustment'
    GROUP BY ALL
),
origin AS (
    SELECT framework_id, unit_code, year, arg_min(source_id, coalesce(source_row, 0)) AS source_id,
           min(source_row) AS source_row
    FROM unit_score GROUP BY ALL
),
reported AS (
    SELECT framework_id, unit_code, year, appraised_score AS reported_total
    FROM unit_score WHERE item_code = 'TOTAL'
),
expected_items AS (
    -- what a result scored from its criteria should have: every criterion, and the areas without criteria
    SELECT fi.framework_id, fi.item_code, fi.component_code, fi.method, fi.ordinal
    FROM framework_item fi
    WHERE fi.item_level = 'criterion'
       OR NOT exists(SELECT 1 FROM framework_item c WHERE c.framework_id = fi.framework_id
                     AND c.component_code = fi.item_code AND c.item_level = 'criterion')
),
short AS (
    -- the results scored from criteria that have fewer of their expected items than the framework: counted
    -- first, so that only these (none, most years) are listed item by item below; any other result has every
    -- expected item, so nothing unscored
    SELECT r.framework_id, r.unit_code, r.year
    FROM unit_result r
    JOIN (SELECT framework_id, count(*) AS expected FROM expected_items GROUP BY ALL) x USING (framework_id)
    LEFT JOIN (
        SELECT s.framework_id, s.unit_code, s.year, count(DISTINCT s.item_code) AS scored
        FROM unit_score s SEMI JOIN expected_items e ON e.framework_id = s.framework_id AND e.item_code = s.item_code
        GROUP BY ALL
    ) c USING (framework_id, unit_code, year)
    WHERE r.basis = 'criteria' AND coalesce(c.scored, 0) < x.expected
),
scored AS (
    SELECT DISTINCT framework_id, unit_code, year, item_code
    FROM unit_score SEMI JOIN short USING (framework_id, unit_code, year)
),
area_scored AS (
    SELECT DISTINCT s.framework_id, s.unit_code, s.year, s.item_code AS component_code
    FROM unit_score s JOIN framework_item fi USING (framework_id, item_code)
    WHERE fi.item_level = 'component'
),
unscored AS (
    SELECT r.framework_id, r.unit_code, r.year, count(*) AS unscored_items,
           string_agg(e.item_code, ', ' ORDER BY e.ordinal) AS unscored_list
    FROM unit_result r SEMI JOIN short USING (framework_id, unit_code, year)
    JOIN framework f ON f.framework_id = r.framework_id
    JOIN expected_items e ON e.framework_id = r.framework_id
    LEFT JOIN scored s ON s.framework_id = r.framework_id AND s.unit_code = r.unit_code AND s.year = r.year
                      AND s.item_code = e.item_code
    LEFT JOIN area_scored a ON a.framework_id = r.framework_id AND a.unit_code = r.unit_code AND a.year = r.year
                           AND a.component_code = e.component_code
    WHERE r.basis = 'criteria' AND s.item_code IS NULL AND a.component_code IS NULL
      -- a survey that was not run is not a criterion left unscored when the framework rescales for it
      AND NOT (e.method = 'survey' AND f.rescale = 'when_no_survey' AND r.survey_points IS NULL)
    GROUP BY ALL
),
checked AS (
    SELECT r.*, f.issuer_code, f.rescale, f.total_scale, m.full_max, m.appraisal_max,
           c.components_points, c.appraisal_points AS comp_appraisal, c.survey_points AS comp_survey,
           CASE
               WHEN r.basis = 'reported_total' THEN NULL
               WHEN f.rescale = 'none' AND na.unit_code IS NULL THEN c.components_points
               WHEN f.rescale = 'when_no_survey' AND c.survey_points IS NULL AND m.appraisal_max < m.full_max
                   THEN c.appraisal_points / nullif(m.appraisal_max - coalesce(na.na_appraisal, 0), 0) * f.total_scale
               ELSE c.components_points / nullif(m.full_max - coalesce(na.na_all, 0), 0) * f.total_scale
           END + coalesce(adj.adjustment, 0) AS expected_total
    FROM unit_result r
    JOIN framework f ON f.framework_id = r.framework_id
    LEFT JOIN fmax m ON m.framework_id = r.framework_id
    LEFT JOIN comp c ON c.framework_id = r.framework_id AND c.unit_code = r.unit_code AND c.year = r.year
    LEFT JOIN not_applicable na ON na.framework_id = r.framework_id AND na.unit_code = r.unit_code AND na.year = r.year
    LEFT JOIN adjusted adj ON adj.framework_id = r.framework_id AND adj.unit_code = r.unit_code AND adj.year = r.year
),
tier_sets AS (
    SELECT k.framework_id, k.unit_code, k.year, ts.tier_set_id
    FROM checked k
    JOIN tier_set ts ON ts.issuer_code = k.issuer_code AND ts.unit_kind = k.unit_kind AND ts.year = k.year
),
expected_tier AS (
    SELECT t.framework_id, t.unit_code, t.year, arg_min(b.tier, b.tier_rank) AS expected_tier
    FROM tier_sets t
    JOIN checked k USING (framework_id, unit_code, year)
    JOIN tier_band b ON b.tier_set_id = t.tier_set_id
    WHERE (b.lower_bound IS NULL OR k.total > b.lower_bound OR (b.lower_inclusive AND k.total = b.lower_bound))
      AND (b.upper_bound IS NULL OR k.total < b.upper_bound OR (b.upper_inclusive AND k.total = b.upper_bound))
    GROUP BY ALL
),
tiered AS (
    SELECT k.*, e.expected_tier, ts.tier_set_id IS NOT NULL AS has_tier_set,
           lag(k.total) OVER (PARTITION BY k.unit_code, k.unit_kind ORDER BY k.year) AS previous_total,
           lag(k.year) OVER (PARTITION BY k.unit_code, k.unit_kind ORDER BY k.year) AS previous_year
    FROM checked k
    LEFT JOIN tier_sets ts USING (framework_id, unit_code, year)
    LEFT JOIN expected_tier e USING (framework_id, unit_code, year)
),
kind_years AS (
    SELECT DISTINCT unit_kind, year FROM unit_result
),
expected AS (
    -- The units of the year, as analysis/units_of_year.py defines them: those the register says exist on
    -- 31 December (both ends inclusive). Only the register's dates count: a unit that gave part of its
    -- territory to a new one (a lineage link) and goes on is still a unit of the year.
    SELECT u.unit_code, u.kind, ky.year
    FROM unit u
    JOIN kind_years ky ON ky.unit_kind = u.kind
    WHERE (u.valid_from IS NULL OR u.valid_from <= make_date(ky.year, 12, 31))
      AND (u.valid_to IS NULL OR u.valid_to >= make_date(ky.year, 12, 31))
)
SELECT 'unit_result' AS table_name, t.unit_code, t.year, NULL AS item_code,
       src.file_name, src.sheet, o.source_row, t.unit_kind AS kind,
       t.total, t.total_scale, t.total - t.total_scale AS over_scale,
       t.raw_points, t.components_points,
       CASE WHEN t.basis <> 'reported_total' THEN t.raw_points - t.components_points END AS components_residual,
       -- rounded as derive_unit_result.sql rounds: half a hundredth up, on six decimals
       CAST(round(CAST(t.expected_total AS DECIMAL(18, 6)), 2) AS DOUBLE) AS expected_total, t.rescale,
       t.total - CAST(round(CAST(t.expected_total AS DECIMAL(18, 6)), 2) AS DOUBLE) AS rescale_residual,
       t.tier, t.expected_tier,
       CASE WHEN t.has_tier_set AND t.tier IS DISTINCT FROM t.expected_tier THEN 'mismatch' END AS tier_mismatch,
       CASE WHEN NOT t.has_tier_set THEN 'missing' END AS tier_set_missing,
       t.reported_tier,
       CASE WHEN t.reported_tier IS NOT NULL AND t.tier IS NOT NULL AND t.reported_tier <> t.tier
            THEN 'differs' END AS reported_tier_differs,
       rp.reported_total,
       CASE WHEN t.basis <> 'reported_total' THEN rp.reported_total - t.total END AS reported_total_residual,
       coalesce(us.unscored_items, 0) AS unscored_items, us.unscored_list,
       NULL AS missing_result,
       CASE WHEN t.previous_year = t.year - 1 THEN t.total - t.previous_total END AS change,
       CASE WHEN t.previous_year = t.year - 1 THEN t.previous_total END AS previous_total
FROM tiered t
LEFT JOIN origin o USING (framework_id, unit_code, year)
LEFT JOIN source src ON src.source_id = o.source_id
LEFT JOIN reported rp USING (framework_id, unit_code, year)
LEFT JOIN unscored us USING (framework_id, unit_code, year)
UNION ALL
SELECT 'unit_result', e.unit_code, e.year, NULL, NULL, NULL, NULL, e.kind,
       NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
       0, NULL, 'missing', NULL, NULL
FROM expected e
ANTI JOIN unit_result r ON r.unit_code = e.unit_code AND r.year = e.year AND r.unit_kind = e.kind;
