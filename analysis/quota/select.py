"""Order eligible candidates by the measure and the tie-break keys, give the seats, and settle a tie at the
cut-off the way the rule says: admit every tied candidate, admit none, or leave the seats to the council.

Statuses: awarded; tie_admitted (awarded beyond the quota because tied at the cut-off); tie_council (tied
at the cut-off, for the council to choose `seats left` among them); tie_refused (tied, none admitted);
left_out (below the cut-off).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

AWARDED = ("awarded", "tie_admitted")


@dataclass(frozen=True)
class Cutoff:
    seats: int
    awarded: int
    tied: int = 0  # candidates tied at the cut-off
    tied_seats: int = 0  # the seats they compete for
    measure: float | None = None  # the measure a left-out candidate had to reach


def rank(
    candidates: pl.DataFrame, keys: list[str], seats: int, at_cutoff: str, low: int
) -> tuple[pl.DataFrame, Cutoff]:
    """candidates: id, measure and the tie-break key columns (larger is better; null is worst).

    Returns the candidates in order with position (1-based; tied candidates share the first position of
    their tie), status, optional (a seat of a range beyond its lower end) and gap (points a left-out
    candidate needed to reach the cut-off's measure)."""
    order = ["measure", *keys]
    neg_inf = float("-inf")
    work = candidates.with_columns(
        [pl.col(k).cast(pl.Float64).fill_null(neg_inf).alias(f"_k{i}") for i, k in enumerate(order)]
    )
    cols = [f"_k{i}" for i in range(len(order))]
    work = work.sort([*cols, "id"], descending=[*([True] * len(cols)), False])
    n = work.height
    if n == 0:
        return _finish(work, cols, []), Cutoff(seats, 0)
    changed = pl.any_horizontal([pl.col(c) != pl.col(c).shift(1) for c in cols]).fill_null(True)
    work = work.with_columns(changed.cum_sum().alias("_class"), pl.int_range(1, n + 1).alias("_row"))
    work = work.with_columns(pl.col("_row").min().over("_class").alias("position"))
    classes = work["_class"].to_list()
    status = ["left_out"] * n
    tied = tied_seats = 0
    if seats >= n:
        status = ["awarded"] * n
        awarded = n
    elif seats == 0:
        awarded = 0
    else:
        last_in, first_out = classes[seats - 1], classes[seats]
        if last_in != first_out:
            status[:seats] = ["awarded"] * seats
            awarded = seats
        else:
            members = [i for i, c in enumerate(classes) if c == last_in]
            ahead = members[0]
            tied, tied_seats = len(members), seats - ahead
            status[:ahead] = ["awarded"] * ahead
            mark = {"admit_all": "tie_admitted", "admit_none": "tie_refused", "flag": "tie_council"}[at_cutoff]
            for i in members:
                status[i] = mark
            awarded = ahead + (tied if at_cutoff == "admit_all" else 0)
    work = work.with_columns(pl.Series("status", status, dtype=pl.String))
    in_rows = [i for i, s in enumerate(status) if s in AWARDED or s in ("tie_council", "tie_refused")]
    cut = float(work["measure"][in_rows[-1]]) if in_rows and work["measure"][in_rows[-1]] is not None else None
    work = work.with_columns(
        (pl.col("status").is_in(AWARDED) & (pl.col("_row") > low)).alias("optional"),
        pl.when(pl.col("status") == "left_out")
        .then(pl.lit(cut) - pl.col("measure"))
        .otherwise(None)
        .round(6)
        .alias("gap"),
    )
    return _finish(work, cols, ["_class", "_row"]), Cutoff(seats, awarded, tied, tied_seats, cut)


def _finish(work: pl.DataFrame, cols: list[str], extra: list[str]) -> pl.DataFrame:
    for name, dtype in (("position", pl.Int64), ("status", pl.String), ("optional", pl.Boolean), ("gap", pl.Float64)):
        if name not in work.columns:
            work = work.with_columns(pl.lit(None, dtype=dtype).alias(name))
    return work.drop(cols + extra)
