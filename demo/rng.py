"""Random streams and calendar constants shared by the generators."""

from __future__ import annotations

import zlib
from datetime import date

import numpy as np

REFORM_DATE = date(2025, 7, 1)  # district level abolished, communes merged (Nghị quyết 202/2025/QH15)
OLD_END = date(2025, 6, 30)  # last day of the old units
FIRST_YEAR = 2021


def stream(seed: int, name: str) -> np.random.Generator:
    """An independent generator per purpose, so adding draws to one part never shifts another.

    crc32 rather than hash(): str hashes change with PYTHONHASHSEED.
    """
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence([seed, zlib.crc32(name.encode())])))


def quarter(x: np.ndarray) -> np.ndarray:
    """Round to quarter points, the grain councils score in."""
    return np.round(x * 4.0) / 4.0
