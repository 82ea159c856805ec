-- One unit's ($unit) registration, task completion and awards per year (awards: collective ones, or given
-- to people of the unit), each with its file and row.
SELECT 'registration' AS record, CAST(r.year AS VARCHAR) AS scope, r.year, r.title AS detail,
       strftime(r.registered_on, '%Y-%m-%d') AS value, NULL::DOUBLE AS pct, s.file_name, r.source_row
FROM registration r LEFT JOIN source s USING (source_id)
WHERE r.unit_code = $unit
UNION ALL
SELECT 'task_completion', CAST(t.year AS VARCHAR), t.year,
       CAST(t.tasks_done AS VARCHAR) || '/' || CAST(t.tasks_assigned AS VARCHAR), NULL, t.completion_pct,
       s.file_name, t.source_row
FROM task_completion t LEFT JOIN source s USING (source_id)
WHERE t.unit_code = $unit
UNION ALL
SELECT 'award_' || a.recipient_kind, a.scope, TRY_CAST(left(a.scope, 4) AS INTEGER), a.award_kind,
       coalesce(a.title, ''), NULL, s.file_name, a.source_row
FROM award a LEFT JOIN source s USING (source_id)
WHERE a.unit_code = $unit
ORDER BY 3, 1;
