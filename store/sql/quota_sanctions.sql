-- Discipline, investigations and complaints running at some time between $first_day and $last_day
-- (an open end date means still running).
SELECT sanction_id, subject_kind, unit_code, person_id, kind, level, start_date, end_date, note
FROM sanction
WHERE start_date <= $last_day AND (end_date IS NULL OR end_date >= $first_day)
ORDER BY start_date, sanction_id
