-- What an award list states about the data it came from: the dataset's name, whether it is synthetic,
-- and the published version.
SELECT
    max(value) FILTER (WHERE key = 'dataset_name') AS dataset_name,
    coalesce(max(value) FILTER (WHERE key = 'synthetic'), 'false') = 'true' AS synthetic
FROM meta
