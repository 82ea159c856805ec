-- Unit-years the incoming scores give in full: every criterion of their framework has a row. Only these
-- replace what the database holds for the unit-year; any other unit-year is a patch of the criteria it gives.
SELECT DISTINCT g.unit_code, g.year
FROM (SELECT DISTINCT framework_id, unit_code, year FROM incoming) g
WHERE NOT exists(
    SELECT 1 FROM framework_item f
    WHERE f.framework_id = g.framework_id AND f.item_level = 'criterion'
      AND NOT exists(
          SELECT 1 FROM incoming i
          WHERE i.framework_id = g.framework_id AND i.unit_code = g.unit_code AND i.year = g.year
            AND i.item_code = f.item_code))
