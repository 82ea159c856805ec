-- Each unit's result per year from $first_year to $last_year, with what the robustness simulation needs:
-- n_items, the scored items behind the total (criteria, and areas scored without criteria), and scale,
-- the points of the total per raw point (a rescaled framework stretches every item's noise).
-- A unit scored under two frameworks in one year keeps the first framework's result.
WITH items AS (
    SELECT framework_id, count(*) AS n_items
    FROM framework_item AS fi
    WHERE item_level = 'criterion'
       OR NOT EXISTS (SELECT 1 FROM framework_item AS c
                      WHERE c.framework_id = fi.framework_id AND c.item_level = 'criterion'
                        AND c.component_code = fi.item_code)
    GROUP BY framework_id
)
SELECT r.unit_code, r.year, r.framework_id, r.total, r.tier, r.score_stage,
       coalesce(i.n_items, 1) AS n_items,
       CASE WHEN r.raw_points > 0 AND r.total IS NOT NULL THEN r.total / r.raw_points ELSE 1.0 END AS scale
FROM unit_result AS r
LEFT JOIN items AS i USING (framework_id)
WHERE r.year BETWEEN $first_year AND $last_year AND r.total IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY r.unit_code, r.year ORDER BY r.framework_id) = 1
ORDER BY r.unit_code, r.year
