-- Scoring frameworks, one row per issuer, unit kind, name and structure, with the years it was used.
-- Points are counted on the scored items (criteria, and components that have no criteria), so a
-- component total that disagrees with its criteria does not count twice.
WITH items AS (
    SELECT
        framework_id,
        count(*) FILTER (WHERE item_level = 'component') AS components,
        count(*) FILTER (WHERE item_level = 'criterion') AS criteria
    FROM framework_item
    GROUP BY framework_id
),
leaves AS (
    SELECT i.framework_id, i.max_points, i.method
    FROM framework_item i
    WHERE i.item_level = 'criterion'
       OR NOT EXISTS (
            SELECT 1 FROM framework_item c
            WHERE c.framework_id = i.framework_id
              AND c.item_level = 'criterion'
              AND c.component_code = i.item_code
       )
),
leaf_points AS (
    SELECT
        framework_id,
        sum(max_points)                                    AS max_points,
        coalesce(sum(max_points) FILTER (WHERE method = 'survey'), 0) AS survey_points
    FROM leaves
    GROUP BY framework_id
)
SELECT
    f.issuer_code,
    coalesce(s.name, f.issuer_code)        AS issuer_name,
    f.unit_kind,
    f.name,
    coalesce(i.components, 0)              AS components,
    coalesce(i.criteria, 0)                AS criteria,
    coalesce(p.max_points, 0)              AS max_points,
    coalesce(p.survey_points, 0)           AS survey_points,
    f.total_scale,
    f.rescale,
    list(f.year ORDER BY f.year)           AS years,
    string_agg(DISTINCT f.source_doc, '; ') AS source_docs
FROM framework f
LEFT JOIN issuer s USING (issuer_code)
LEFT JOIN items i USING (framework_id)
LEFT JOIN leaf_points p USING (framework_id)
GROUP BY f.issuer_code, s.name, f.unit_kind, f.name, i.components, i.criteria, p.max_points,
         p.survey_points, f.total_scale, f.rescale
ORDER BY
    issuer_name,
    CASE f.unit_kind WHEN 'province' THEN 1 WHEN 'ministry' THEN 2 WHEN 'department' THEN 3
                     WHEN 'district' THEN 4 WHEN 'commune' THEN 5 ELSE 9 END,
    min(f.year),
    f.name;
