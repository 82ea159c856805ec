-- vietnamadminunits' dataset.db (SQLite): where each former commune lay (a point; the package has no area
-- for them), by its official former code.
SELECT wardCode, wardLat, wardLon
FROM admin_units_legacy
WHERE wardCode IS NOT NULL
