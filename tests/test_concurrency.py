"""Readers during a publish: each page a reader gets is wholly the old version or wholly the new one.

The real server runs on a private copy of the locality demo; twenty readers (websocket sessions speaking
Streamlit's own protocol, bench/st_session.py) cycle through every page while `parboard load` publishes
changed department scores. Every page each reader got must equal, element for element, the same page
rendered on the quiet server before the publish or after it, with the version badge of that same version.
"""

from __future__ import annotations

import ast
import asyncio
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from checks_helpers import copy_published
from streamlit.testing.v1 import AppTest

from bench.st_session import Render, run, serve, session
from core.i18n import t
from dashboard.serve import APP, PROJECT_ROOT
from store.db import current_file, version_of

READERS = 20
READER_DEADLINE_S = 180.0  # only reached when something hangs; a page alone times out after 60 s


def nav_pages() -> list[str]:
    """The url path of every page in the router's _NAV (a page's name is its path), the first ("" in a request)
    being the default page."""
    tree = ast.parse(APP.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "_NAV" for t in node.targets):
            paths = [ast.literal_eval(entry)[0] for entry in node.value.elts]  # type: ignore[attr-defined]  # _NAV is a tuple
            return ["", *paths[1:]]
    raise AssertionError("no _NAV in dashboard/app.py")


def badge(version: int) -> str:
    """The sidebar line naming the version a page was read from (dashboard/sidebar.py)."""
    return f"markdown[2]: {t('dashboard.sidebar.version', 'vi', version=version)}"


def which_version(render: Render, before: dict[str, Render], after: dict[str, Render]) -> str | None:
    """ "before" or "after" when the render is that reference page entirely, else None (a mix, or neither)."""
    for name, refs in (("before", before), ("after", after)):
        if render.content == refs[render.page].content:
            return name
    return None


def mismatch(render: Render, ref: Render) -> str:
    """The first lines where a render and a reference differ, for the failure message."""
    for i, (got, want) in enumerate(zip(render.content, ref.content, strict=False)):
        if got != want:
            return f"element {i}: got {got[:120]!r}, reference {want[:120]!r}"
    return f"{len(render.content)} elements, reference {len(ref.content)}"


# ---- the comparator on its own: a page mixing the two versions is caught ----------------------------------


def _render(page: str, *content: str) -> Render:
    return Render(page, 0.1, tuple(content), (), ())


def test_comparator_tells_a_mix_from_either_version() -> None:
    title = "heading: Xếp hạng"
    before = {"rankings": _render("rankings", title, "dataframe: aaaa", badge(1))}
    after = {"rankings": _render("rankings", title, "dataframe: bbbb", badge(2))}
    assert which_version(_render("rankings", title, "dataframe: aaaa", badge(1)), before, after) == "before"
    assert which_version(_render("rankings", title, "dataframe: bbbb", badge(2)), before, after) == "after"
    # the new table under the old badge, and the old table under the new one
    assert which_version(_render("rankings", title, "dataframe: bbbb", badge(1)), before, after) is None
    assert which_version(_render("rankings", title, "dataframe: aaaa", badge(2)), before, after) is None
    # a page cut short
    assert which_version(_render("rankings", title, "dataframe: aaaa"), before, after) is None


# ---- one script run reads one version ---------------------------------------------------------------------


def _two_reads_around_a_publish() -> None:
    import os
    from pathlib import Path

    import streamlit as st

    from dashboard.context import published, query
    from store.db import draft

    first = published()
    with draft(Path(os.environ["PARBOARD_DB"])) as d:
        d.con.execute("INSERT OR REPLACE INTO meta VALUES ('dataset_name', 'renamed')").fetchall()
    second = published()
    name = dict(query(second, "dataset_meta").iter_rows())["dataset_name"]
    st.text(f"{first.version} {second.version} {first.file == second.file} {name}")


def test_a_publish_during_a_run_does_not_change_the_version_that_run_reads(
    sample_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = copy_published(sample_db, tmp_path)
    monkeypatch.setenv("PARBOARD_DB", str(db))
    at = AppTest.from_function(_two_reads_around_a_publish).run()
    assert not at.exception
    old = version_of(current_file(sample_db))
    assert at.text[0].value == f"{old} {old} True Tỉnh Thử Nghiệm (dữ liệu kiểm thử)"
    # The next run reads what the last one published (and publishes once more, which it does not see).
    at.run()
    assert at.text[0].value == f"{old + 1} {old + 1} True renamed"


# ---- twenty readers across a real publish ------------------------------------------------------------------


def _changed_scores(demo_db: Path, to: Path) -> Path:
    """The demo's department scores of 2025 with every appraised point of 0.5 or more lowered by 0.25: the
    rankings, tiers, reviews, quotas and the data page all move."""
    source = demo_db.parent / f"{demo_db.stem}.inputs" / "demo-locality" / "scores_department_2025.csv"
    frame = pl.read_csv(source, infer_schema_length=0)
    col = "Điểm thẩm định"
    points = pl.col(col).cast(pl.Float64)
    frame = frame.with_columns(pl.when(points >= 0.5).then((points - 0.25).cast(pl.String)).otherwise(pl.col(col)))
    path = to / source.name
    frame.write_csv(path)
    return path


async def _render_all(url: str, pages: list[str]) -> dict[str, Render]:
    async with session(url) as s:
        return {page: await s.open(page) for page in pages}


async def _readers_across_a_publish(url: str, pages: list[str], load: list[str]) -> tuple[list[list], float, float]:
    """READERS sessions cycle through the pages (each from its own starting page) until each has read every
    page and read at least once after the publish ended; the publish starts once every reader has read a page.
    Each reader's renders as (started, render); the publish's start and end (perf_counter)."""
    started_once = asyncio.Event()
    done_publish = asyncio.Event()
    first_reads = 0
    published_at = [0.0, 0.0]

    async def reader(index: int) -> list[tuple[float, Render]]:
        nonlocal first_reads
        order = pages[index % len(pages) :] + pages[: index % len(pages)]
        got: list[tuple[float, Render]] = []
        deadline = time.monotonic() + READER_DEADLINE_S
        async with session(url) as s:
            i = 0
            while time.monotonic() < deadline:
                begun = time.perf_counter()
                got.append((begun, await s.open(order[i % len(order)])))
                i += 1
                if i == 1:
                    first_reads += 1
                    if first_reads == READERS:
                        started_once.set()
                after = done_publish.is_set() and any(b > published_at[1] for b, _ in got)
                if i >= len(order) and after:
                    return got
        return got

    async def publisher() -> None:
        await started_once.wait()
        published_at[0] = time.perf_counter()
        proc = await asyncio.create_subprocess_exec(
            *load, cwd=PROJECT_ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        out, _ = await proc.communicate()
        published_at[1] = time.perf_counter()
        assert proc.returncode == 0, out.decode(errors="replace")
        done_publish.set()

    results = await asyncio.gather(publisher(), *(reader(i) for i in range(READERS)))
    return list(results[1:]), published_at[0], published_at[1]


def test_readers_during_a_publish_see_one_version_or_the_other(demo_db: Path, tmp_path: Path) -> None:
    db = copy_published(demo_db, tmp_path / "db")
    scores = _changed_scores(demo_db, tmp_path)
    old = version_of(current_file(db))
    pages = nav_pages()
    load = [sys.executable, "-m", "cli.main", "load", "--db", str(db), str(scores)]

    with serve(db, tmp_path / "server.log") as server:
        before = run(_render_all(server.url, pages))
        readers, publish_start, publish_end = run(_readers_across_a_publish(server.url, pages, load))
        new = version_of(current_file(db))
        time.sleep(1.5)  # the server's watcher warms the new version; references need not race it
        after = run(_render_all(server.url, pages))

    assert new == old + 1
    for page in pages:
        assert before[page].ok and after[page].ok, (page, before[page].exceptions, after[page].errors)
        assert badge(old) in before[page].content and badge(new) in after[page].content, page
        assert before[page].content != after[page].content, page
    moved = [p for p in pages if set(before[p].content) - {badge(old)} != set(after[p].content) - {badge(new)}]
    assert len(moved) >= len(pages) // 2, f"the publish changed too few pages' figures: {moved}"

    seen = {"before": 0, "after": 0}
    for index, renders in enumerate(readers):
        assert {r.page for _, r in renders} == set(pages), f"reader {index} did not read every page"
        versions = []
        for begun, render in renders:
            where = f"reader {index}, page {render.page or pages[0]!r}, started {begun - publish_start:+.2f} s"
            assert render.ok, f"{where}: {render.exceptions} {render.errors}"
            version = which_version(render, before, after)
            ref = before[render.page] if begun < publish_start else after[render.page]
            assert version is not None, f"{where}: neither version: {mismatch(render, ref)}"
            assert badge(old if version == "before" else new) in render.content, where
            if begun > publish_end:
                assert version == "after", f"{where}: the old version after the publish ended"
            versions.append(version)
            seen[version] += 1
        # A reader's session moves from the old version to the new one once, never back.
        assert versions == sorted(versions, key=["before", "after"].index), f"reader {index}: {versions}"
        assert versions[0] == "before" and versions[-1] == "after", f"reader {index}: {versions}"
    print(
        f"\n{sum(seen.values())} pages read by {READERS} readers: {seen['before']} old, {seen['after']} new; "
        f"publish took {publish_end - publish_start:.1f} s"
    )
