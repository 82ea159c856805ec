"""The national indices registry: what each index holds, how published headers resolve to its components."""

from __future__ import annotations

import pytest

from analysis.rules import expected_official_units
from core import indices
from core.vocab import vocabulary


def test_every_index_the_programme_follows_is_registered() -> None:
    assert list(indices.indices()) == ["par_index", "sipas", "papi", "pci", "dti"]


@pytest.mark.parametrize(
    ("code", "level", "year", "count"),
    [
        ("par_index", "province", 2023, 8),
        ("par_index", "ministry", 2023, 7),
        ("sipas", "province", 2023, 7),  # five elements and the two sub-indices
        ("papi", "province", 2023, 8),
        ("pci", "province", 2023, 10),
        ("dti", "province", 2022, 9),
        ("dti", "province", 2024, 8),
    ],
)
def test_components_per_index_level_and_year(code: str, level: str, year: int, count: int) -> None:
    assert len(indices.get(code).components(level, year)) == count


def test_papi_dimensions_are_on_ten_points_and_the_index_on_eighty() -> None:
    papi = indices.get("papi")
    comps = papi.components("province", 2024)
    assert {c.max_points for c in comps} == {10.0}
    assert sum(c.max_points or 0 for c in comps) == papi.scale_max == 80


def test_dti_2022_maxima_add_up_to_its_thousand_points() -> None:
    assert sum(c.max_points or 0 for c in indices.get("dti").components("province", 2022)) == 1000


def test_the_registry_agrees_with_the_par_index_counts_the_checks_use() -> None:
    par = indices.get("par_index")
    for year in range(2021, 2031):
        for level in ("province", "ministry"):
            assert par.expected_units(level, year) == expected_official_units(level, year)
    assert par.expected_units("province", 2024) == 63
    assert par.expected_units("province", 2025) == 34


def test_the_dti_publisher_changes_with_the_ministry() -> None:
    dti = indices.get("dti")
    assert dti.publisher(2023) == "Bộ Thông tin và Truyền thông"
    assert dti.publisher(2024) == "Bộ Khoa học và Công nghệ"


@pytest.mark.parametrize(
    ("header", "code", "maximum"),
    [
        ("LV3. Cải cách TTHC (14,50 điểm)", "lv3_procedures", 14.5),
        ("LV3 (14,50)", "lv3_procedures", 14.5),
        ("III. CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "lv3_procedures", None),
        ("1. Công tác chỉ đạo, điều hành CCHC", "lv1_direction", None),
        ("Tac dong cua cai cach hanh chinh", "lv8_impact", None),
    ],
)
def test_par_index_headers_as_published(header: str, code: str, maximum: float | None) -> None:
    found = [m for m in indices.match_component(header, 2023) if m.index_code == "par_index" and m.level == "province"]
    assert [(m.component.code, m.header_max) for m in found] == [(code, maximum)]


def test_a_header_shared_by_two_indices_names_both() -> None:
    # "Thủ tục hành chính" is a SIPAS element; PAPI's dimension is "Thủ tục hành chính công": distinct.
    assert {m.index_code for m in indices.match_component("Thủ tục hành chính", 2023)} == {"sipas"}
    assert {m.index_code for m in indices.match_component("Thủ tục hành chính công", 2023)} == {"papi"}


def test_headline_columns_and_index_spellings() -> None:
    assert indices.headline_index("Chỉ số CCHC năm 2023 (%)") == "par_index"
    assert indices.headline_index("Điểm số PCI") == "pci"
    assert indices.headline_index("Xếp hạng") is None
    assert vocabulary()["index_code"]["pci"] == "pci"
    assert vocabulary()["index_code"]["chi so hieu qua quan tri va hanh chinh cong cap tinh"] == "papi"
