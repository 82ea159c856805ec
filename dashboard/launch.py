"""`python -m dashboard.launch run dashboard/app.py --flags…`: Streamlit's own command line, with the
dashboard's heavy modules imported first.

A plain `streamlit run` imports polars, DuckDB, Plotly and the dashboard's modules during the first reader's
first page run (about 0.3 s on the machine the benchmarks run on); imported here, that happens before the
server accepts anyone, and is frozen out of the garbage collector's walks. It also starts the watcher that
warms each newly published version (dashboard/warm.py) and compresses the files every first visit asks for
(dashboard/assets.py).
"""

from __future__ import annotations

import gc
import logging
import sys
import threading

import polars  # noqa: F401
from streamlit.web.cli import main

import store.queries  # noqa: F401  - DuckDB comes with the store's reader: only store imports it

# Decorating a cached function before the runtime exists only checks its parameters, but Streamlit logs a
# "No runtime found" warning for it; the caches themselves are made at first use, under the runtime.
_CACHE_LOG = logging.getLogger("streamlit.runtime.caching.cache_data_api")
_CACHE_LOG.setLevel(logging.ERROR)
import charts.figures  # noqa: E402, F401
import dashboard.views  # noqa: E402, F401
from dashboard import assets, warm  # noqa: E402
from store.db import resolve_db_path  # noqa: E402

_CACHE_LOG.setLevel(logging.NOTSET)

if __name__ == "__main__":
    # Everything imported so far lives as long as the server: moved out of the collector's generations, it is
    # not walked again by every full collection while readers' pages run.
    gc.collect()
    gc.freeze()
    warm.start(resolve_db_path())
    threading.Thread(target=assets.prepare, name="parboard-assets", daemon=True).start()
    sys.exit(main(prog_name="streamlit"))
