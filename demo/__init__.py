"""Deterministic synthetic input files for parboard: a fictional province, or the whole country at scale.

The files are ordinary input tables (CSV, parquet, YAML rules) that parboard's loader reads like any
other, so the demo exercises the real loading path. Same seed, same bytes.
"""

from demo.generate import generate
from demo.units import Layout, Scale, build_layout

__all__ = ["Layout", "Scale", "build_layout", "generate"]
