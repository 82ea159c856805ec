-- Tier cut-off sets, one row per issuer, unit kind, name and identical bands, with the years they applied.
-- bands: the tiers best first, each with its bounds and whether each bound is included.
WITH bands AS (
    SELECT
        tier_set_id,
        list({
            'tier': tier, 'tier_rank': tier_rank,
            'lower_bound': lower_bound, 'lower_inclusive': lower_inclusive,
            'upper_bound': upper_bound, 'upper_inclusive': upper_inclusive
        } ORDER BY tier_rank)              AS bands
    FROM tier_band
    GROUP BY tier_set_id
)
SELECT
    t.issuer_code,
    coalesce(s.name, t.issuer_code)        AS issuer_name,
    t.unit_kind,
    t.name,
    b.bands,
    list(t.year ORDER BY t.year)           AS years,
    string_agg(DISTINCT t.source_doc, '; ') AS source_docs
FROM tier_set t
LEFT JOIN issuer s USING (issuer_code)
LEFT JOIN bands b USING (tier_set_id)
GROUP BY t.issuer_code, s.name, t.unit_kind, t.name, b.bands
ORDER BY
    issuer_name,
    CASE t.unit_kind WHEN 'province' THEN 1 WHEN 'ministry' THEN 2 WHEN 'department' THEN 3
                     WHEN 'district' THEN 4 WHEN 'commune' THEN 5 ELSE 9 END,
    min(t.year),
    t.name;
