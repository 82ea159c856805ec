-- Task completion: a percentage from 0 to 100 that agrees with the tasks done over the tasks assigned.
SELECT 'task_completion' AS table_name, t.unit_code, t.year, NULL AS item_code,
       src.file_name, src.sheet, t.source_row,
       t.tasks_assigned, t.tasks_done, t.completion_pct,
       t.tasks_done - t.tasks_assigned AS done_over,
       round(100.0 * t.tasks_done / nullif(t.tasks_assigned, 0), 2) AS computed_pct,
       t.completion_pct - round(100.0 * t.tasks_done / nullif(t.tasks_assigned, 0), 2) AS pct_residual
FROM task_completion t
LEFT JOIN source src ON src.source_id = t.source_id
ORDER BY t.year, t.unit_code;
