-- Where each unit came from: unit_code was formed (wholly or partly) from predecessor_code on effective_date.
SELECT l.unit_code, l.predecessor_code, p.name AS predecessor_name, l.effective_date
FROM unit_lineage AS l
LEFT JOIN unit AS p ON p.unit_code = l.predecessor_code
ORDER BY l.unit_code, l.predecessor_code
