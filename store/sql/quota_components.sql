-- Component-area points per unit and year from $first_year to $last_year, with the number of scored items
-- in each area (for the robustness simulation). Same framework choice as quota_results.
WITH chosen AS (
    SELECT unit_code, year, framework_id
    FROM unit_result
    WHERE year BETWEEN $first_year AND $last_year AND total IS NOT NULL
    QUALIFY row_number() OVER (PARTITION BY unit_code, year ORDER BY framework_id) = 1
), items AS (
    SELECT framework_id, component_code, greatest(count(*) FILTER (WHERE item_level = 'criterion'), 1) AS n_items
    FROM framework_item
    GROUP BY framework_id, component_code
)
SELECT c.unit_code, c.year, c.component_code, c.points, c.max_points, coalesce(i.n_items, 1) AS n_items
FROM component_result AS c
JOIN chosen USING (unit_code, year, framework_id)
LEFT JOIN items AS i USING (framework_id, component_code)
WHERE c.points IS NOT NULL
ORDER BY c.unit_code, c.year, c.component_code
