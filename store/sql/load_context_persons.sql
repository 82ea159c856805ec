SELECT person_id, unit_code FROM person ORDER BY person_id
