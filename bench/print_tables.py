"""What a grid's plain copy for paper (dashboard.components._on_paper) adds to a page's run: milliseconds to build the
grid's message alone, and the grid's and its copy's, side by side on the same frame, for tables of a department
list (20 rows), a province's communes (300) and the country's communes (3,321).

    .venv/bin/python -m bench.print_tables [--runs 15]

The frame is a ranking table as the Rankings page shows it (rank, name, parent, score, tier, last year's rank,
change, last year's score, change), formatted through the same Styler the page uses; its copy
is the same frame's display text, as the page writes it. Streamlit builds each
element's message in the page's run (what is timed here, outside a server: no browser is involved); the
browser then draws the copy hidden, laid out only when printing.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import time

import polars as pl
import streamlit as st

from dashboard.components import _grid, _on_paper, _styled


def _frame(rows: int) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "Hạng": [str(i + 1) for i in range(rows)],
            "Đơn vị": [f"Xã Phú Hòa số {i}" for i in range(rows)],
            "Thuộc": [f"Huyện Mỹ Thạnh {i % 40}" for i in range(rows)],
            "Điểm": [f"{95 - i * 30 / rows:.2f}".replace(".", ",") for i in range(rows)],
            "Xếp loại": ["Tốt" if i % 3 else "Xuất sắc" for i in range(rows)],
            "Hạng năm trước": [str(rows - i) for i in range(rows)],
            "Tăng/giảm hạng": [f"{(i % 7) - 3:+d}" for i in range(rows)],
            "Điểm năm trước": [f"{90 - i * 25 / rows:.2f}".replace(".", ",") for i in range(rows)],
            "Tăng/giảm điểm": [f"{(i % 9) - 4:+.2f}".replace(".", ",") for i in range(rows)],
        }
    )


def _ms(action: object, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    logging.getLogger("streamlit").setLevel(logging.ERROR)  # "missing ScriptRunContext": no server here
    numeric = ["Hạng", "Điểm", "Hạng năm trước", "Tăng/giảm hạng", "Điểm năm trước", "Tăng/giảm điểm"]
    print(f"{'rows':>6} {'grid alone (ms)':>16} {'grid + copy (ms)':>17} {'ratio':>6}")
    for rows in (20, 300, 3321):
        frame = _frame(rows)

        def grid_alone(frame: pl.DataFrame = frame) -> None:
            shown, config, _constant, formats = _grid(frame, numeric)
            st.dataframe(_styled(shown, formats), hide_index=True, column_config=config)

        def grid_and_copy(frame: pl.DataFrame = frame) -> None:
            shown, config, constant, formats = _grid(frame, numeric)
            st.dataframe(_styled(shown, formats), hide_index=True, column_config=config)
            _on_paper(frame.drop(list(constant)), "bench")

        grid_alone()
        grid_and_copy()  # warm both once
        # Alternating, so that both see the same machine load.
        alone, both = [], []
        for _ in range(args.runs):
            alone.append(_ms(grid_alone, 1))
            both.append(_ms(grid_and_copy, 1))
        a, b = statistics.median(alone), statistics.median(both)
        print(f"{rows:>6} {a:>16.1f} {b:>17.1f} {b / a:>5.2f}×")


if __name__ == "__main__":
    main()
