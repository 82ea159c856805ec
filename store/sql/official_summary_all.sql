-- National summary figures of the official indexes (averages, group counts), one row per source claim.
SELECT index_code, year, metric, value, note, sources
FROM official_summary
ORDER BY index_code, year, metric;
