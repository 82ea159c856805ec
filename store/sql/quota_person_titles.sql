-- The titles people held per year from $first_year to $last_year.
SELECT person_id, year, title
FROM person_year
WHERE year BETWEEN $first_year AND $last_year AND title IS NOT NULL
ORDER BY person_id, year
