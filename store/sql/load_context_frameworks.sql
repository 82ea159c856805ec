SELECT framework_id, issuer_code, unit_kind, year FROM framework ORDER BY framework_id
