-- Every rule's result in the latest check run stored with this version: what a load that leaves a suite's
-- tables unchanged carries over into its own run (store/check_frames.py).
SELECT r.run_id, r.suite, r.rule, r.severity, r.expectation, r.checked_rows, r.failed_rows
FROM check_result r
WHERE r.run_id = (SELECT max(run_id) FROM check_run)
ORDER BY r.suite, r.rule
