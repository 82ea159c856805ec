-- The file and sheet of every source, for the checks' findings on rows that name only their source_id.
SELECT source_id, file_name, sheet FROM source
