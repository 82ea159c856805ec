"""The units of 2025 on real databases: a `parboard init` province with its 2025 commune results, and the demo.

Hà Tĩnh after 01/07/2025 has 69 communes and wards; until 30/06/2025 it had 12 districts and 209 communes
(221 former units). "At most 20 %" of the communes existing on 31/12/2025 is 20 % × 69 = 13,8 → 13 seats,
whatever the eligibility, and every page that counts the communes of 2025 counts the same 69.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from quota_helpers import group, rule, scenario

from analysis import quota
from analysis.quota import Scope, explain
from cli.main import main
from services import display, overview, progress, rankings
from services import units_of_year as units_service
from services.published import Base, read
from store.queries import Published

_PLACES = ("register", "scored", "overview_card", "overview_tiers", "ranking_of_n", "report")
COMMUNES_2025 = Path(__file__).parent / "fixtures" / "handwritten" / "ha-tinh-communes-2025.csv"


@pytest.fixture(scope="module")
def init_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("init") / "p.duckdb"
    assert main(["init", "--province", "Hà Tĩnh", "--db", str(db)]) == 0
    assert main(["load", "--db", str(db), str(COMMUNES_2025)]) == 0
    return db


def _simulate(db: Path, eligibility: dict | None = None) -> quota.GroupResult:
    sc = scenario(
        rule(groups=[group(kinds=["commune"], percent=20, base="all", rounding="floor")], eligibility=eligibility or {})
    )
    inputs = quota.load_inputs(Published(db), Scope.parse("2025"))
    return quota.simulate(sc, inputs, Scope.parse("2025")).group_results()[0]


@pytest.mark.parametrize("eligibility", [None, {"tier_min": "kha"}, {"total_min": 50}])
def test_a_20_percent_base_all_rule_counts_the_communes_existing_at_year_end(
    init_db: Path, eligibility: dict | None
) -> None:
    g = _simulate(init_db, eligibility)
    # By hand: 69 communes and wards exist on 31/12/2025; 20 % × 69 = 13,8 → floor 13.
    assert g.quota.base == 69 and g.quota.seats == 13
    assert g.awarded.height == 13  # the 69 totals in the file are all different: no tie at the cut-off
    # The 221 former units are one summary line, not 221 "no score in scope" exclusions.
    assert g.excluded.filter(g.excluded["filter"] == "no_result").is_empty()
    assert explain.base_lines(g, "vi") == [
        "20 % của 69 xã, phường tồn tại ngày 31/12/2025 = 13,8 → 13",
        "209 đơn vị cũ kết thúc ngày 30/06/2025, không tính",
    ]


def test_the_cli_states_the_base(init_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # An Biên's group takes communes and districts: the 12 districts and 209 communes ended on 30/06/2025.
    assert main(["simulate", "--preset", "an-bien-2020", "--year", "2025", "--db", str(init_db)]) == 0
    out = capsys.readouterr().out
    assert "20 % của 69 xã, phường tồn tại ngày 31/12/2025 = 13,8 → 13" in out
    assert "221 đơn vị cũ kết thúc ngày 30/06/2025, không tính" in out


def _counts(b: Base, kind: str, year: int) -> dict[str, int]:
    """The number of units of kind in year as each place shows it."""
    card = next(c for c in overview.kind_cards(b, year, "en") if c.label == display.kind_name(kind, "en"))
    figures = b.query("report_key_figures", first=year, last=year).filter(pl.col("kind") == kind)
    tiers = overview.tier_counts(b, year, "en").filter(pl.col("kind") == kind)
    return {
        "register": units_service.count(b, year, kind),
        "scored": units_service.scored(b, year, kind),
        "overview_card": int(card.note.split(" units")[0].replace(",", "")),
        "overview_tiers": int(tiers["units"].sum()),
        "ranking_of_n": rankings.ranked_count(rankings.ranking(b, kind, year)),
        "report": int(figures["units"][0]),
    }


def test_every_page_counts_the_same_communes_on_the_init_database(init_db: Path) -> None:
    b = read(Published(init_db))
    g = _simulate(init_db)
    assert _counts(b, "commune", 2025) == dict.fromkeys(_PLACES, 69)
    assert g.units_counted == 69 and g.quota.base == 69


def test_every_page_counts_the_same_units_on_the_demo(demo_db: Path) -> None:
    # The demo: 59 communes from 01/07/2025 (92 former ones and 8 districts ended on 30/06/2025), 20 departments.
    b = read(Published(demo_db))
    inputs = quota.load_inputs(Published(demo_db), Scope.parse("2025"))
    for kind, expected in (("commune", 59), ("department", 20)):
        assert _counts(b, kind, 2025) == dict.fromkeys(_PLACES, expected), kind
        sc = scenario(rule(groups=[group(kinds=[kind], percent=20, base="all")]))
        g = quota.simulate(sc, inputs, Scope.parse("2025")).group_results()[0]
        assert g.quota.base == expected and g.units_counted == expected
    # The commune median line breaks at the reorganisation: 2021–2024 in one era, 2025 in the next.
    medians = progress.median_lines(b).filter(pl.col("kind") == "commune").sort("year")
    assert dict(zip(medians["year"].to_list(), medians["era"].to_list(), strict=True))[2024] == 0
    assert dict(zip(medians["year"].to_list(), medians["era"].to_list(), strict=True))[2025] == 1


def test_an_ended_commune_gets_no_projection_and_says_what_it_became(demo_db: Path) -> None:
    b = read(Published(demo_db))
    ended = b.units.filter(
        (b.units["kind"] == "commune")
        & b.units["valid_to"].is_not_null()
        & b.units["unit_code"].is_in(b.results["unit_code"].to_list())
    )
    code = ended["unit_code"][0]
    successors = units_service.successors(b, code)
    assert successors  # the demo's lineage names where every former commune went
    history = progress.own(
        b.scores("commune")
        .filter(b.scores("commune")["unit_code"] == code)
        .with_columns(pl.lit(False).alias("reconstructed"))
    )
    proj = progress.unit_projection(b, code, history)
    assert not proj.made and proj.reason == "ended" and proj.years == []
    note = progress.ended_note(b, code, "vi")
    assert note.startswith("Đơn vị đã kết thúc ngày 30/06/2025") and all(s in note for s in successors)
    # A commune that exists today still gets its projection when it has three years.
    current = b.units.filter(b.units["kind"] == "department")["unit_code"][0]
    own = (
        b.scores("department")
        .filter(b.scores("department")["unit_code"] == current)
        .with_columns(pl.lit(False).alias("reconstructed"))
    )
    assert progress.unit_projection(b, current, own).made
