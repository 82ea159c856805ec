-- Awards given for the years $first_year to $last_year. An award's year is its scope's last year
-- ("2023" → 2023; a review "2021-2025" → 2025): the achievement it rewards, not the decision's date.
WITH a AS (
    SELECT *, TRY_CAST(right(trim(scope), 4) AS INTEGER) AS year FROM award
)
SELECT year, award_kind, recipient_kind, unit_code, person_id, title
FROM a
WHERE year BETWEEN $first_year AND $last_year
ORDER BY year, unit_code, person_id
