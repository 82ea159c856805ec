-- Reform task completion per unit and year from $first_year to $last_year.
SELECT unit_code, year, tasks_assigned, tasks_done, completion_pct
FROM task_completion
WHERE year BETWEEN $first_year AND $last_year
ORDER BY unit_code, year
