-- vietnamadminunits' dataset.db (SQLite): every former commune (or commune-less island district) of the 63
-- former provinces, as on the eve of the 2025 reorganisation, with its district and province.
SELECT provinceCode, province, provinceKey, provinceKeywords, districtCode, district, districtType,
       districtKey, wardCode, ward, wardType, wardKey
FROM admin_units_legacy
