-- Every meta entry (dataset_name, synthetic, db_version, schema_version, home_issuer…) as key/value rows.
SELECT key, value
FROM meta
ORDER BY key;
