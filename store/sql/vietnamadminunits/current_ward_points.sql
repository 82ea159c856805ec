-- vietnamadminunits' dataset.db (SQLite): where each current ward lies (its point, its area), with the keys
-- etl/register.py matches to the official codes of vietnam-provinces.
SELECT provinceKey, wardKey, wardLat, wardLon, wardAreaKm2
FROM admin_units
