-- Units an incoming units file gives another kind while they have scores: the scores were placed under a
-- framework for the old kind and would stay there. One row per unit: code, name, old and new kind, the row
-- of the file, and the years with scores.
SELECT i.unit_code, u.name, u.kind AS old_kind, i.kind AS new_kind, i.source_row,
       (SELECT string_agg(DISTINCT CAST(s.year AS VARCHAR), ', ' ORDER BY CAST(s.year AS VARCHAR))
        FROM unit_score s WHERE s.unit_code = i.unit_code) AS years
FROM incoming_units i JOIN unit u USING (unit_code)
WHERE i.kind IS DISTINCT FROM u.kind
  AND exists(SELECT 1 FROM unit_score s WHERE s.unit_code = i.unit_code)
ORDER BY i.source_row, i.unit_code
