"""Download names: what they hold, and safe on Windows whatever the view is called."""

from __future__ import annotations

import re
from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from exports.filenames import export_name, fold, safe_name

DAY = date(2025, 11, 3)
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{i}" for p in ("COM", "LPT") for i in range(1, 10)}


def test_name_says_view_period_and_day() -> None:
    assert export_name("Xếp hạng các sở", 2024, "xlsx", DAY) == "xep-hang-cac-so_2024_2025-11-03.xlsx"
    assert export_name("Sơ kết", "2021–2025", "docx", DAY) == "so-ket_2021-2025_2025-11-03.docx"
    assert export_name("Tổng kết", (2021, 2030), "zip", DAY) == "tong-ket_2021-2030_2025-11-03.zip"
    assert export_name("Đơn vị", None, "csv", DAY) == "don-vi_2025-11-03.csv"


def test_vietnamese_folded_to_ascii() -> None:
    assert fold("Đặc khu Côn Đảo, Thừa Thiên Huế, Ưu tiên") == "Dac khu Con Dao, Thua Thien Hue, Uu tien"


def test_windows_breakers_removed() -> None:
    assert export_name('a<b>c:d"e/f\\g|h?i*j', 2024, "png", DAY) == "a-b-c-d-e-f-g-h-i-j_2024_2025-11-03.png"
    assert safe_name("CON", "txt") == "CON_.txt"
    assert safe_name("nul.tar", "gz") == "nul_.tar.gz"
    assert safe_name("ten. ", "csv") == "ten.csv"
    assert safe_name("", "csv") == "parboard.csv"


@given(st.text(max_size=300), st.one_of(st.none(), st.integers(2021, 2030), st.text(max_size=20)))
def test_any_view_gives_a_portable_name(view: str, period: int | str | None) -> None:
    name = export_name(view, period, "xlsx", DAY)
    stem = name.removesuffix(".xlsx")
    assert re.fullmatch(r"[A-Za-z0-9._-]+", name)
    assert not stem.endswith((".", " ")) and stem
    assert stem.split(".")[0].upper() not in WINDOWS_RESERVED
    assert len(name) <= 110
    assert name.endswith("_2025-11-03.xlsx")
