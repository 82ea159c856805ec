-- Every unit's name by its code, for the checks' messages.
SELECT unit_code, name FROM unit
