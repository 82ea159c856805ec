-- Individuals with a record from $first_year to $last_year. person_year holds no unit: unit_code is the
-- person's unit as last loaded (the person table keeps one), the same for every year.
SELECT p.person_id, p.full_name, p.unit_code, p.position, y.year, y.title, y.initiative
FROM person_year AS y
JOIN person AS p USING (person_id)
WHERE y.year BETWEEN $first_year AND $last_year
ORDER BY p.person_id, y.year
