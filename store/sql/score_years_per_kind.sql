-- Per unit kind and year: units with a result, and how many of them have only their own
-- self-assessment so far (no appraised result under any framework that year).
WITH per_unit AS (
    SELECT unit_kind, year, unit_code, bool_or(score_stage = 'appraised') AS appraised
    FROM unit_result
    GROUP BY unit_kind, year, unit_code
)
SELECT
    unit_kind,
    year,
    count(*)                                AS units,
    count(*) FILTER (WHERE NOT appraised)   AS self_assessed_only
FROM per_unit
GROUP BY unit_kind, year
ORDER BY
    CASE unit_kind WHEN 'province' THEN 1 WHEN 'ministry' THEN 2 WHEN 'department' THEN 3
                   WHEN 'district' THEN 4 WHEN 'commune' THEN 5 ELSE 9 END,
    unit_kind,
    year;
