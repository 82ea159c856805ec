-- Every unit's total per year, with its register facts (name, kind, parent, validity) and the rank of its
-- tier in that year's tier set (1 = the best tier). One row per (unit, year, framework).
SELECT
    r.unit_code,
    u.name,
    r.unit_kind AS kind,
    u.subkind,
    u.parent_code,
    p.name AS parent_name,
    u.valid_from,
    u.valid_to,
    r.year,
    r.framework_id,
    f.issuer_code,
    r.total,
    r.self_total,
    r.tier,
    b.tier_rank,
    r.score_stage,
    r.basis,
    r.raw_points,
    r.raw_max,
    f.total_scale,
    r.bonus_points,
    r.penalty_points
FROM unit_result r
JOIN unit u USING (unit_code)
JOIN framework f USING (framework_id)
LEFT JOIN unit p ON p.unit_code = u.parent_code
LEFT JOIN tier_set ts ON ts.issuer_code = f.issuer_code AND ts.unit_kind = f.unit_kind AND ts.year = r.year
LEFT JOIN tier_band b ON b.tier_set_id = ts.tier_set_id AND b.tier = r.tier
ORDER BY r.unit_kind, r.year, r.unit_code;
