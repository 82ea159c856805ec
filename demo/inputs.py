"""Award inputs: registrations, task completion, individuals, sanctions, and the awards given under the Ngã Năm rule."""

from __future__ import annotations

from datetime import date

import numpy as np
import polars as pl

from demo import names
from demo.rng import stream
from demo.units import SCORED_KINDS, Layout

REGISTRATION_DEADLINE = (7, 31)
TITLE_CSTD = "Chiến sĩ thi đua cơ sở"
TITLE_LDTT = "Lao động tiên tiến"
# discipline at these levels on a member bars the whole collective
BARRING_LEVELS = ("cảnh cáo", "hạ bậc lương", "cách chức")
# Ngã Năm, every year: 1 department + 2 communes, 3 individuals
QUOTA = {"department": 1, "commune": 2}
INDIVIDUAL_QUOTA = 3


def unit_years(layout: Layout) -> pl.DataFrame:
    """Every scored unit in every year it is active, with the province it belonged to then."""
    frames = [
        layout.active(year)
        .filter(pl.col("kind").is_in(SCORED_KINDS))
        .select("code", "name", "kind", "kind_vi", "province", "valid_from")
        .with_columns(pl.lit(year, dtype=pl.Int32).alias("year"))
        for year in layout.years
    ]
    return pl.concat(frames).sort("year", "code")


def registrations(layout: Layout, uy: pl.DataFrame) -> pl.DataFrame:
    rng = stream(layout.seed, "registrations")
    n = uy.height
    frame = uy.with_columns(
        pl.Series("registered", rng.random(n) < 0.92),
        pl.Series("late", rng.random(n) < 0.06),
        pl.Series("u", rng.random(n)),
        pl.Series("u_late", rng.random(n)),
        pl.Series("excellent", rng.random(n) < 0.45),
    ).filter("registered")
    # units formed mid-year register from their first day; the others from February
    start = (
        pl.when(pl.col("valid_from").dt.year() == pl.col("year"))
        .then(pl.col("valid_from"))
        .otherwise(pl.date(pl.col("year"), 2, 1))
    )
    deadline = pl.date(pl.col("year"), *REGISTRATION_DEADLINE)
    window = (deadline - start).dt.total_days() + 1
    on_time = start + pl.duration(days=(pl.col("u") * window).floor().cast(pl.Int64))
    late = deadline + pl.duration(days=1 + (pl.col("u_late") * 45).floor().cast(pl.Int64))
    return frame.select(
        pl.col("code").alias("Mã đơn vị"),
        pl.col("name").alias("Tên đơn vị"),
        pl.col("year").alias("Năm"),
        pl.when(pl.col("late")).then(late).otherwise(on_time).alias("Ngày đăng ký"),
        pl.when(pl.col("excellent"))
        .then(pl.lit("Tập thể lao động xuất sắc"))
        .otherwise(pl.lit("Tập thể lao động tiên tiến"))
        .alias("Danh hiệu đăng ký"),
    ).sort("Năm", "Mã đơn vị")


def task_completion(layout: Layout, uy: pl.DataFrame) -> pl.DataFrame:
    rng = stream(layout.seed, "task_completion")
    n = uy.height
    assigned = rng.integers(10, 31, n)
    partial = np.floor(assigned * rng.uniform(0.8, 0.99, n))
    partial = np.clip(partial, np.ceil(0.8 * assigned), assigned - 1)
    done = np.where(rng.random(n) < 0.85, assigned, partial).astype(np.int64)
    return uy.select(
        pl.col("code").alias("Mã đơn vị"),
        pl.col("name").alias("Tên đơn vị"),
        pl.col("year").alias("Năm"),
        pl.Series("Số nhiệm vụ được giao", assigned, dtype=pl.Int64),
        pl.Series("Số nhiệm vụ hoàn thành", done, dtype=pl.Int64),
        pl.Series("Tỷ lệ hoàn thành (%)", np.round(done / assigned * 100.0, 2)),
    ).sort("Năm", "Mã đơn vị")


def _people_per_unit(layout: Layout, units: pl.DataFrame) -> np.ndarray:
    new = units["valid_from"].is_not_null().to_numpy()
    kind = units["kind"].to_numpy()
    if layout.scale == "locality":
        per = {"department": 5, "district": 3, "commune": 2}
        return np.where((kind == "commune") & new, 1, np.vectorize(per.get)(kind))
    per = {"department": 3, "district": 1, "commune": 1}
    return np.vectorize(per.get)(kind)


def _full_names(rng: np.random.Generator, n: int) -> list[str]:
    female = rng.random(n) < 0.5
    w = np.array(names.FAMILY_WEIGHTS)
    fam = rng.choice(len(names.FAMILY), size=n, p=w / w.sum())
    mid = rng.integers(0, 10, n)
    giv = rng.integers(0, 1000, n)
    out = []
    for f, fa, mi, gi in zip(female, fam, mid, giv, strict=True):
        middle = names.MIDDLE_FEMALE if f else names.MIDDLE_MALE
        given = names.GIVEN_FEMALE if f else names.GIVEN_MALE
        out.append(f"{names.FAMILY[fa]} {middle[mi % len(middle)]} {given[gi % len(given)]}")
    return out


def people(layout: Layout, uy: pl.DataFrame) -> pl.DataFrame:
    """Person-years: people follow their unit into its successor after the reorganisation."""
    rng = stream(layout.seed, "people")
    units = (
        layout.units.filter(pl.col("kind").is_in(SCORED_KINDS))
        .select("code", "kind", "kind_vi", "valid_from")
        .sort("code")
    )
    counts = _people_per_unit(layout, units)
    home_idx = np.repeat(np.arange(units.height), counts)
    n = len(home_idx)
    is_head = np.r_[True, home_idx[1:] != home_idx[:-1]]
    pos_key = np.where(units["kind"].to_numpy() == "department", units["kind_vi"].to_numpy(), units["kind"].to_numpy())[
        home_idx
    ]
    pick = rng.integers(0, 1000, n)
    positions = [
        names.POSITIONS[k][0] if head else names.POSITIONS[k][1][p % len(names.POSITIONS[k][1])]
        for k, head, p in zip(pos_key, is_head, pick, strict=True)
    ]
    persons = pl.DataFrame(
        {
            "person_id": [f"DEMO-CN{i + 1:06d}" for i in range(n)],
            "full_name": _full_names(rng, n),
            "home": units["code"].gather(pl.Series(home_idx, dtype=pl.UInt32)),
            "position": positions,
            "is_head": is_head,
        }
    )
    successor = (
        layout.lineage.group_by("predecessor_code")
        .agg(pl.col("unit_code").min().alias("successor"))
        .rename({"predecessor_code": "home"})
    )
    active = uy.select("code", "year", "name", "province")
    years = pl.DataFrame({"year": pl.Series(layout.years, dtype=pl.Int32)})
    py = (
        persons.join(successor, on="home", how="left")
        .join(years, how="cross")
        .join(
            active.rename({"code": "home", "name": "home_name", "province": "home_prov"}),
            on=["home", "year"],
            how="left",
        )
        .join(
            active.rename({"code": "successor", "name": "succ_name", "province": "succ_prov"}),
            on=["successor", "year"],
            how="left",
        )
        .with_columns(
            pl.when(pl.col("home_name").is_not_null())
            .then(pl.col("home"))
            .otherwise(pl.when(pl.col("succ_name").is_not_null()).then(pl.col("successor")))
            .alias("unit_code"),
            pl.coalesce("home_name", "succ_name").alias("unit_name"),
            pl.coalesce("home_prov", "succ_prov").alias("province"),
            # a head of a merged commune serves as a deputy in the new one
            pl.when(pl.col("home_name").is_null() & pl.col("is_head"))
            .then(pl.lit("Phó Chủ tịch UBND"))
            .otherwise(pl.col("position"))
            .alias("position"),
        )
        .filter(pl.col("unit_code").is_not_null())
        .sort("person_id", "year")
    )
    m = py.height
    r = rng.random(m)
    initiative = rng.integers(0, len(names.INITIATIVES), m)
    title = [TITLE_CSTD if x < 0.05 else TITLE_LDTT if x < 0.80 else None for x in r]
    return py.with_columns(
        pl.Series("title", title, dtype=pl.String),
        pl.Series(
            "initiative",
            [names.INITIATIVES[i] if x < 0.05 else None for x, i in zip(r, initiative, strict=True)],
            dtype=pl.String,
        ),
    ).select(
        "person_id",
        "full_name",
        "unit_code",
        "unit_name",
        "province",
        "position",
        "is_head",
        "year",
        "title",
        "initiative",
    )


def individuals_table(py: pl.DataFrame) -> pl.DataFrame:
    return py.select(
        pl.col("person_id").alias("Mã cá nhân"),
        pl.col("full_name").alias("Họ và tên"),
        pl.col("unit_code").alias("Mã đơn vị"),
        pl.col("unit_name").alias("Tên đơn vị"),
        pl.col("position").alias("Chức vụ"),
        pl.col("year").alias("Năm"),
        pl.col("title").alias("Danh hiệu"),
        pl.col("initiative").alias("Sáng kiến"),
    ).sort("Mã cá nhân", "Năm")


_DURATION_DAYS = {"khiển trách": 365, "cảnh cáo": 365, "hạ bậc lương": 365, "cách chức": 730}


def sanctions(layout: Layout, py: pl.DataFrame, totals: pl.DataFrame) -> pl.DataFrame:
    """A few cases at random, plus one warning on a member of the best department of a mid-period year,
    which bars that department from that year's award."""
    rng = stream(layout.seed, "sanctions")
    n = 5 if layout.scale == "locality" else py.select(pl.col("person_id").n_unique()).item() // 150
    picked = py[np.sort(rng.choice(py.height, size=n, replace=False)).tolist()]
    kind = rng.choice(["kỷ luật", "điều tra", "khiếu nại"], size=n, p=[0.6, 0.2, 0.2])
    drawn = rng.choice(list(_DURATION_DAYS), size=n, p=[0.5, 0.3, 0.12, 0.08])
    level = [lv if k == "kỷ luật" else None for k, lv in zip(kind, drawn, strict=True)]
    on_unit = (kind == "điều tra") & (rng.random(n) < 0.5)
    start = [
        date(int(y), 1, 15).toordinal() + int(d) for y, d in zip(picked["year"], rng.integers(0, 320, n), strict=True)
    ]
    days = np.array(
        [
            _DURATION_DAYS[lv] if k == "kỷ luật" else (90 if k == "khiếu nại" else 180)
            for k, lv in zip(kind, drawn, strict=True)
        ]
    )
    ongoing = (kind == "điều tra") & (rng.random(n) < 0.5)
    end = [None if o else date.fromordinal(s + int(d) - 1) for s, d, o in zip(start, days, ongoing, strict=True)]
    note_pick = rng.integers(0, 100, n)
    notes = [names.SANCTION_NOTES[k][p % len(names.SANCTION_NOTES[k])] for k, p in zip(kind, note_pick, strict=True)]
    cases = pl.DataFrame(
        {
            "unit_code": picked["unit_code"],
            "unit_name": picked["unit_name"],
            "person_id": pl.Series(
                [None if u else p for u, p in zip(on_unit, picked["person_id"], strict=True)], dtype=pl.String
            ),
            "kind": pl.Series(kind.tolist(), dtype=pl.String),
            "level": pl.Series(level, dtype=pl.String),
            "start": pl.Series([date.fromordinal(s) for s in start], dtype=pl.Date),
            "end": pl.Series(end, dtype=pl.Date),
            "note": notes,
        }
    )

    dept_years = sorted(set(totals.filter(pl.col("kind") == "department")["year"].to_list()) & set(award_years(layout)))
    if dept_years:
        year = dept_years[len(dept_years) // 2]
        top = totals.filter((pl.col("kind") == "department") & (pl.col("year") == year)).sort(
            ["total", "code"], descending=[True, False]
        )["code"][0]
        member = py.filter((pl.col("unit_code") == top) & (pl.col("year") == year) & ~pl.col("is_head")).row(
            0, named=True
        )
        cases = pl.concat(
            [
                cases,
                pl.DataFrame(
                    {
                        "unit_code": [top],
                        "unit_name": [member["unit_name"]],
                        "person_id": [member["person_id"]],
                        "kind": ["kỷ luật"],
                        "level": ["cảnh cáo"],
                        "start": [date(year, 5, 20)],
                        "end": [date(year + 1, 5, 19)],
                        "note": ["Vi phạm quy định về quản lý tài chính"],
                    },
                    schema=cases.schema,
                ),
            ]
        )
    return cases.unique(["unit_code", "person_id", "kind", "start"], keep="first").sort(
        "start", "unit_code", "person_id", nulls_last=False
    )


def sanctions_table(cases: pl.DataFrame) -> pl.DataFrame:
    return cases.select(
        pl.col("unit_code").alias("Mã đơn vị"),
        pl.col("unit_name").alias("Tên đơn vị"),
        pl.col("person_id").alias("Mã cá nhân"),
        pl.col("kind").alias("Loại"),
        pl.col("level").alias("Hình thức kỷ luật"),
        pl.col("start").alias("Từ ngày"),
        pl.col("end").alias("Đến ngày"),
        pl.col("note").alias("Ghi chú"),
    )


def award_years(layout: Layout) -> list[int]:
    # results of year N are published in spring of N+1: the last year has no award yet
    return list(layout.years[:-1])


def awards(
    layout: Layout,
    uy: pl.DataFrame,
    totals: pl.DataFrame,
    regs: pl.DataFrame,
    tasks: pl.DataFrame,
    py: pl.DataFrame,
    cases: pl.DataFrame,
) -> pl.DataFrame:
    """Certificates per province and year by the Ngã Năm quota, to the highest totals among eligible units:
    registered by 31/07, all reform tasks done, no case on the unit, no member disciplined at cảnh cáo or above;
    individuals with a title and no case, from the best-ranked units."""
    rng = stream(layout.seed, "awards")
    years = pl.DataFrame({"year": pl.Series(award_years(layout), dtype=pl.Int32)})
    overlapping = cases.join(years, how="cross").filter(
        (pl.col("start") <= pl.date(pl.col("year"), 12, 31))
        & (pl.col("end").is_null() | (pl.col("end") >= pl.date(pl.col("year"), 1, 1)))
    )
    barred_units = (
        overlapping.filter(pl.col("person_id").is_null() | pl.col("level").is_in(BARRING_LEVELS))
        .select(pl.col("unit_code").alias("code"), "year")
        .unique()
    )
    barred_people = overlapping.filter(pl.col("person_id").is_not_null()).select("person_id", "year").unique()

    ranked = (
        uy.join(years, on="year")
        .join(totals.select("code", "year", "total"), on=["code", "year"])
        .sort(["year", "province", "kind", "total", "code"], descending=[False, False, False, True, False])
        .with_columns(pl.int_range(pl.len()).over("year", "province", "kind").alias("rank_all"))
    )
    eligible = (
        ranked.join(
            regs.select(
                pl.col("Mã đơn vị").alias("code"),
                pl.col("Năm").alias("year"),
                pl.col("Ngày đăng ký").alias("registered_on"),
            ),
            on=["code", "year"],
        )
        .filter(pl.col("registered_on") <= pl.date(pl.col("year"), *REGISTRATION_DEADLINE))
        .join(
            tasks.filter(pl.col("Tỷ lệ hoàn thành (%)") >= 100.0).select(
                pl.col("Mã đơn vị").alias("code"), pl.col("Năm").alias("year")
            ),
            on=["code", "year"],
        )
        .join(barred_units, on=["code", "year"], how="anti")
        .sort(["year", "province", "kind", "total", "code"], descending=[False, False, False, True, False])
        .with_columns(pl.int_range(pl.len()).over("year", "province", "kind").alias("rank"))
    )
    collectives = eligible.filter(
        pl.col("rank") < pl.col("kind").replace_strict(QUOTA, default=0, return_dtype=pl.Int64)
    ).select("year", "province", "code", "name", "kind", "rank", pl.lit(None, dtype=pl.String).alias("person_id"))

    people = (
        py.join(years, on="year")
        .filter(pl.col("title").is_not_null())
        .join(barred_people, on=["person_id", "year"], how="anti")
        .join(ranked.select(pl.col("code").alias("unit_code"), "year", "total"), on=["unit_code", "year"])
        .with_columns((pl.col("title") == TITLE_CSTD).alias("cstd"))
        .sort(
            ["year", "province", "total", "cstd", "is_head", "person_id"],
            descending=[False, False, True, True, True, False],
        )
        .with_columns(pl.int_range(pl.len()).over("year", "province").alias("rank"))
        .filter(pl.col("rank") < INDIVIDUAL_QUOTA)
        .select(
            "year",
            "province",
            pl.col("unit_code").alias("code"),
            pl.col("unit_name").alias("name"),
            pl.lit("person").alias("kind"),
            "rank",
            "person_id",
        )
    )
    given = pl.concat([collectives, people])
    decisions = given.select("year", "province").unique().sort("year", "province")
    k = decisions.height
    decisions = decisions.with_columns(
        pl.Series("decision_no", rng.integers(100, 1000, k)),
        (pl.date(pl.col("year") + 1, 3, 1) + pl.duration(days=pl.lit(pl.Series(rng.integers(0, 45, k))))).alias(
            "decided"
        ),
    )
    order = {"department": 0, "commune": 1, "person": 2}
    return (
        given.join(decisions, on=["year", "province"])
        .with_columns(pl.col("kind").replace_strict(order, return_dtype=pl.Int8).alias("_order"))
        .sort("year", "province", "_order", "rank")
        .select(
            pl.col("year").cast(pl.String).alias("Năm/Giai đoạn"),
            pl.lit("Giấy khen").alias("Hình thức khen thưởng"),
            pl.when(pl.col("person_id").is_null())
            .then(pl.lit("tập thể"))
            .otherwise(pl.lit("cá nhân"))
            .alias("Tập thể/cá nhân"),
            pl.col("code").alias("Mã đơn vị"),
            pl.col("name").alias("Tên đơn vị"),
            pl.col("person_id").alias("Mã cá nhân"),
            pl.format("Có thành tích xuất sắc trong công tác cải cách hành chính năm {}", pl.col("year")).alias(
                "Danh hiệu"
            ),
            pl.format("{}/QĐ-UBND", pl.col("decision_no")).alias("Số quyết định"),
            pl.col("decided").alias("Ngày quyết định"),
        )
    )
