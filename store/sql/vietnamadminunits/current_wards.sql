-- vietnamadminunits' dataset.db (SQLite): the package's own copy of the current wards of the 34 provinces,
-- with the keys its conversion table uses.
SELECT provinceCode, provinceKey, wardKey, ward, wardCode, provinceKeywords
FROM admin_units
