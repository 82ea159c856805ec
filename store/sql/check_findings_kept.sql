-- The previous run's findings of the suites checked on a load's unit-years alone, outside those unit-years
-- (check_scope_frame), copied into the new run ($1) after its own findings, so that each rule keeps at most
-- $4 (findings_per_rule) rows: the new ones first, then the earlier ones in their order.
-- $2: the previous run; $3: the suites.
INSERT INTO check_finding
SELECT $1, * EXCLUDE (run_id, kept) FROM (
    SELECT f.*, row_number() OVER (PARTITION BY f.suite, f.rule ORDER BY f.rowid) AS kept
    FROM check_finding f
    WHERE f.run_id = $2 AND list_contains($3, f.suite)
      AND NOT EXISTS (SELECT 1 FROM check_scope_frame s WHERE s.unit_code = f.unit_code AND s.year = f.year)
) old
WHERE old.kept + (SELECT count(*) FROM check_finding n
                  WHERE n.run_id = $1 AND n.suite = old.suite AND n.rule = old.rule) <= $4
ORDER BY old.suite, old.rule, old.kept;
