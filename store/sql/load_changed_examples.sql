-- A few rows a load changed, per table, with their values before and after (for a dry run's preview).
SELECT table_name, row_key, CAST(old_row AS VARCHAR) AS old_row, CAST(new_row AS VARCHAR) AS new_row
FROM row_history
WHERE load_id = $load_id AND new_row IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY table_name ORDER BY row_key) <= $per_table
ORDER BY table_name, row_key
