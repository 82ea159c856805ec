-- Rows in the tables that make a database worth showing: all zero means nothing has been loaded yet.
SELECT
    (SELECT count(*) FROM unit)            AS units,
    (SELECT count(*) FROM framework)       AS frameworks,
    (SELECT count(*) FROM tier_set)        AS tier_sets,
    (SELECT count(*) FROM unit_score)      AS unit_scores,
    (SELECT count(*) FROM unit_result)     AS unit_results,
    (SELECT count(*) FROM official_result) AS official_results,
    (SELECT count(*) FROM load_run)        AS load_runs;
