-- Units a load may refer to, for matching names to codes.
SELECT unit_code, name, kind, valid_from, valid_to, aliases FROM unit ORDER BY unit_code
