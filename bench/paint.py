"""Where the time goes before the Overview is usable in headless Chromium, milestone by milestone.

    .venv/bin/python -m bench.paint [--db bench/out/national-db/parboard.duckdb] [--runs 5]
                                    [--before /tmp/paint-before] [--lang vi]

"Usable" is what `bench/pages.py` waits for: from navigation to the first Plotly trace drawn on /overview
(`[data-testid='stPlotlyChart'] g.trace`), each visit in a fresh browser context (nothing in the HTTP cache).
Each run starts a server, visits once (cold: the server's caches are empty), again (warm), and as a reader
who comes back (returning: the page opened twice before in the same browser context, so Streamlit's files come
from the HTTP cache and their compiled code from V8's code cache). With
`--before DIR` the same runs are made on the code in DIR (a `git worktree add --detach DIR <commit>`),
interleaved run by run with this tree's, so both see the same machine.

The breakdown of each visit, in ms from navigation start, read from Chromium itself:
- html: the document's responseEnd;
- scripts: the last script or stylesheet of the first page load finished (their bytes over the wire and
  decoded are printed once);
- dom: DOMContentLoaded;
- ws, ws_first_frame: the websocket to /_stcore/stream created, its first message received (Playwright's
  events, on the benchmark's clock, which starts just before navigation);
- connected, running: the app says it is connected, then that the page's script runs;
- first element: the first element of the page drawn (a MutationObserver in the page);
- title: the page's title drawn;
- first chart element: the Plotly container present; trace: its first trace drawn (= usable);
- script done: the server's run finished (data-test-script-state=notRunning), which may be after "usable".
On a busy machine these wall times mostly measure the wait for a core, so each visit also reports the CPU it
used until usable, from Chromium's own counters (Performance.getMetrics: the renderer's main thread
`ThreadTime`, the renderer process `ProcessTime`, and within the main thread the time running JavaScript,
compiling it, and in style and layout) and from /proc for the server process (its HTTP answers and the script
run).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

# Records, in performance.now() ms, when each milestone first appears in the page.
_OBSERVER = """
(() => {
  const marks = {};
  window.__marks = marks;
  const probes = {
    first_element: "[data-testid='stMainBlockContainer'] [data-testid='stElementContainer']",
    title: "[data-testid='stMainBlockContainer'] h1",
    metric: "[data-testid='stMetric']",
    chart_box: "[data-testid='stPlotlyChart']",
    trace: "[data-testid='stPlotlyChart'] g.trace",
    connected: "[data-testid='stApp'][data-test-connection-state='CONNECTED']",
    running: "[data-testid='stApp'][data-test-script-state='running']",
  };
  const check = () => {
    for (const [name, sel] of Object.entries(probes)) {
      if (!(name in marks) && document.querySelector(sel)) marks[name] = performance.now();
    }
    if ("running" in marks && !("done" in marks)
        && document.querySelector("[data-testid='stApp'][data-test-script-state='notRunning']")) {
      marks.done = performance.now();
    }
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, attributes: true});
})();
"""


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of a process and its children that have ended, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _visit(browser: Any, url: str, lang: str, server_pid: int, *, returning: bool = False) -> dict[str, Any]:
    """One visit in a new browser context; with `returning`, the visit of a reader who was here before: the
    same page opened once more in the same context (Streamlit's files from its HTTP cache, their compiled code
    from V8's cache), measured from that second navigation."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.add_init_script(_OBSERVER)
    query = "" if lang == "vi" else f"?lang={lang}"
    if returning:
        for _ in range(2):  # V8 keeps a script's compiled code from its second load
            page.goto(f"{url}/overview{query}")
            page.wait_for_selector("[data-testid='stPlotlyChart'] g.trace", timeout=60_000)
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
        page.goto("about:blank")
    cdp = context.new_cdp_session(page)
    cdp.send("Performance.enable", {"timeDomain": "threadTicks"})
    server_cpu = _cpu_s(server_pid)
    events: dict[str, float] = {}
    start = time.perf_counter()

    def on_ws(ws: Any) -> None:
        events.setdefault("ws", (time.perf_counter() - start) * 1000)
        ws.on("framereceived", lambda _: events.setdefault("ws_first_frame", (time.perf_counter() - start) * 1000))

    page.on("websocket", on_ws)
    page.goto(f"{url}/overview{query}")
    page.wait_for_selector("[data-testid='stPlotlyChart'] g.trace", timeout=60_000)
    usable = (time.perf_counter() - start) * 1000
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    cpu = {
        "server_cpu": (_cpu_s(server_pid) - server_cpu) * 1000,
        "main_thread_cpu": metrics.get("ThreadTime", 0) * 1000,
        "renderer_cpu": metrics.get("ProcessTime", 0) * 1000,
        "script": metrics.get("ScriptDuration", 0) * 1000,
        "compile": metrics.get("V8CompileDuration", 0) * 1000,
        "layout": (metrics.get("LayoutDuration", 0) + metrics.get("RecalcStyleDuration", 0)) * 1000,
    }
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
    page.wait_for_timeout(200)
    marks = page.evaluate("window.__marks")
    timing = page.evaluate(
        """() => {
        const nav = performance.getEntriesByType('navigation')[0];
        const res = performance.getEntriesByType('resource');
        const boot = res.filter(r => /\\.(js|css)$/.test(r.name));
        const early = boot.filter(r => r.startTime < nav.domContentLoadedEventEnd + 50);
        return {
          html: nav.responseEnd, dom: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          scripts_end: Math.max(0, ...early.map(r => r.responseEnd)),
          resources: res.map(r => ({name: r.name.replace(location.origin, ''), type: r.initiatorType,
              start: r.startTime, end: r.responseEnd, transfer: r.transferSize, encoded: r.encodedBodySize,
              decoded: r.decodedBodySize})),
        };
    }"""
    )
    context.close()
    return {"usable": usable, **events, **marks, **timing, **cpu}


def _server(tree: Path, db: Path, port: int) -> subprocess.Popen[bytes]:
    """The server of the tree at `tree` (its own code and virtual environment), as `parboard serve` starts it."""
    code = (
        "import json, pathlib; from dashboard.serve import serve_command, serve_env; "
        f"print(json.dumps([serve_command(port={port}), serve_env(pathlib.Path({str(db)!r}), auth='off')]))"
    )
    py = tree / ".venv" / "bin" / "python"
    if not py.exists():
        py = Path(sys.executable)
    cmd, env = json.loads(subprocess.run([str(py), "-c", code], cwd=tree, check=True, capture_output=True).stdout)
    return subprocess.Popen(
        cmd, env=env, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True
    )


MILESTONES = (
    "html",
    "scripts_end",
    "dom",
    "ws",
    "connected",
    "ws_first_frame",
    "running",
    "first_element",
    "title",
    "metric",
    "chart_box",
)


# Each run: the first visit after the server starts, the next in a new browser, and a reader coming back.
BUCKETS = ("cold", "warm", "returning")
CPU = ("main_thread_cpu", "renderer_cpu", "script", "compile", "layout", "server_cpu")


def _summary(label: str, visits: list[dict[str, Any]]) -> None:
    def med(key: str) -> str:
        vals = [v[key] for v in visits if v.get(key) is not None]
        return f"{statistics.median(vals):6.0f}" if vals else "     -"

    usable = sorted(v["usable"] / 1000 for v in visits)
    cols = " ".join(f"{k}={med(k)}" for k in (*MILESTONES, "trace", "done"))
    cpu = " ".join(f"{k}={med(k)}" for k in CPU)
    print(
        f"{label:<22} usable median {statistics.median(usable):.2f} s  (min {usable[0]:.2f}, max {usable[-1]:.2f}, "
        f"n={len(usable)})\n{'':<22} ms: {cols}\n{'':<22} CPU ms until usable: {cpu}"
    )


def _bytes(visit: dict[str, Any]) -> None:
    boot = [r for r in visit["resources"] if r["name"].startswith("/static/") or r["name"].endswith((".js", ".css"))]
    wire = sum(r["transfer"] for r in boot)
    decoded = sum(r["decoded"] for r in boot)
    print(f"  static files fetched: {len(boot)}, {wire / 1e6:.2f} MB over the wire, {decoded / 1e6:.2f} MB decoded")
    for r in sorted(boot, key=lambda r: -r["decoded"])[:8]:
        print(
            f"    {r['name'][:70]:<70} {r['transfer'] / 1e3:8.0f} kB wire {r['decoded'] / 1e3:8.0f} kB "
            f"{r['start']:6.0f}→{r['end']:6.0f} ms"
        )


def main() -> None:
    from playwright.sync_api import sync_playwright

    from bench.browser import CHROMIUM, CHROMIUM_ARGS, free_port, healthy, stop

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", type=Path, default=ROOT / "bench" / "out" / "national-db" / "parboard.duckdb")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--before", type=Path)
    parser.add_argument("--lang", default="vi")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    trees = {"after": ROOT} | ({"before": args.before.resolve()} if args.before else {})
    results: dict[str, dict[str, list[dict[str, Any]]]] = {k: {b: [] for b in BUCKETS} for k in trees}
    load = [os.getloadavg()]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for run in range(args.runs):
            order = list(trees.items()) if run % 2 == 0 else list(reversed(trees.items()))
            for name, tree in order:
                port = free_port()
                proc = _server(tree, args.db.resolve(), port)
                try:
                    url = f"http://127.0.0.1:{port}"
                    while not healthy(url):
                        time.sleep(0.1)
                    for bucket in BUCKETS:
                        visit = _visit(browser, url, args.lang, proc.pid, returning=bucket == "returning")
                        results[name][bucket].append(visit)
                        print(f"run {run + 1} {name} {bucket}: {visit['usable'] / 1000:.2f} s", file=sys.stderr)
                finally:
                    stop(proc)
        browser.close()
    load.append(os.getloadavg())
    print(f"\nFirst page usable in Chromium (/overview, lang={args.lang}), {args.runs} runs, ms from navigation start")
    for name in trees:
        for bucket in BUCKETS:
            _summary(f"{name} {bucket}", results[name][bucket])
        _bytes(results[name]["warm"][-1])
    print("load average " + " → ".join(" ".join(f"{x:.1f}" for x in la) for la in load))
    if args.json:
        args.json.write_text(json.dumps({"load": load, "results": results}, indent=1))


if __name__ == "__main__":
    main()
