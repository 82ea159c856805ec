"""`python -m dashboard.launch run dashboard/app.py --flags…`: Streamlit's own command line, with the
dashboard's heavy modules imported first.

A plain `streamlit run` imports polars, DuckDB, Plotly and the dashboard's modules during the first reader's
first page run (about 0.3 s on the machine the benchmarks run on); imported here, that happens before the
server accepts anyone. The imports are for that side effect only.
"""

from __future__ import annotations

import sys

import duckdb  # noqa: F401
import polars  # noqa: F401
from streamlit.web.cli import main

import dashboard.figures
import dashboard.views  # noqa: F401

if __name__ == "__main__":
    sys.exit(main(prog_name="streamlit"))
