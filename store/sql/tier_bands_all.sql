-- Every tier band of every tier set, with the unit kind and year it applies to (rank 1 = the best tier).
SELECT ts.tier_set_id, ts.issuer_code, ts.unit_kind, ts.year, b.tier, b.tier_rank, b.lower_bound,
       b.lower_inclusive, b.upper_bound, b.upper_inclusive
FROM tier_set ts
JOIN tier_band b USING (tier_set_id)
ORDER BY ts.unit_kind, ts.year, b.tier_rank;
