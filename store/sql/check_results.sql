-- The latest check run stored in the published version: one row per suite and rule, failing rules first.
SELECT r.suite, r.rule, r.severity, r.expectation, r.checked_rows, r.failed_rows,
       c.run_id, c.ran_at, c.status, c.seconds
FROM check_result r
JOIN check_run c USING (run_id)
WHERE r.run_id = (SELECT max(run_id) FROM check_run)
ORDER BY r.failed_rows = 0, r.severity, r.suite, r.rule;
