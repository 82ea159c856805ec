-- Registrations for the movement from $first_year to $last_year: the date, and the title registered for.
SELECT unit_code, year, registered_on, title
FROM registration
WHERE year BETWEEN $first_year AND $last_year
ORDER BY unit_code, year
