-- Units that existed at some time between $first_day and $last_day, for the award-quota simulation:
-- kind and subkind place a unit in a rule's group; valid_from / valid_to tell a unit that ended or began
-- inside a review period.
SELECT unit_code, name, kind, subkind, parent_code, valid_from, valid_to
FROM unit
WHERE (valid_from IS NULL OR valid_from <= $last_day)
  AND (valid_to IS NULL OR valid_to >= $first_day)
ORDER BY unit_code
