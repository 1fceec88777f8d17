"""Benchmark the built site in headless Chromium and print a table.

Measures, against ``site/`` served on 127.0.0.1 (cold cache: a new browser
context per run, median of RUNS runs):

a. ms until the prerendered result is visible on a calculator page;
b. ms until the calculator is ``ready`` (Python started in the worker);
c. ms for a bare page on the same server that only boots Pyodide and loads
   (installs and imports) numpy in a worker, measured in the same run; and the ratio b/c;
d. ms until ``ready`` after an instant navigation to a second calculator page;
e. bytes transferred by a chapter page without a calculator, and by a
   calculator page up to ``ready``;
f. recompute time of the timeline simulator (10,000 trials) for a 20-task and a
   100-task plan in the browser, against the same call under CPython here;
g. first contentful paint of a chapter page (its first result for a reader), and
   Lighthouse (mobile) on the home page, a chapter with charts and a calculator
   page: the four category scores, FCP, LCP, TBT, CLS and bytes
   (scripts/lighthouse.py; BENCH_LIGHTHOUSE=0 skips it).
h. the same calculator page and bare page over three networks (loopback, and
   Chromium's network emulation at 50 Mbit/s with 40 ms latency and at
   10 Mbit/s with 80 ms): ms until ready on a first visit (cold HTTP cache) and
   on a repeat visit (warm HTTP cache, a new page and so a new worker), and the
   bytes the server sent for each (bodies as sent, so compressed when it
   compressed them);
i. seconds until a calculator page says why Python could not start, for each
   fault the browser tests inject (scripts/bench_faults.py).

Targets (issue "Foundation" and "Timeline simulator"): a < 1000 ms; b/c <= 1.15;
d < 300 ms; no Pyodide bytes on a chapter page; 20-task recompute < 100 ms.
Issue 14 (network table): loopback first visit <= 0.8x bare, repeat <= 0.5x bare
repeat; 50 Mbit/s first visit no slower than before, repeat <= 0.5x; 10 Mbit/s
first visit no slower than before.
Run with ``make bench`` (``BENCH_RUNS``, ``BENCH_NET_RUNS`` and
``BENCH_PROFILES=loopback,50,10`` choose how much). Timings are printed, never asserted.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script: the repo's packages
from playwright.sync_api import sync_playwright

from pipeline.devserver import LAUNCH_ARGS, Handler, SiteServer, chromium_path
from pipeline.paths import REPO

RUNS = int(os.environ.get("BENCH_RUNS", "3"))
NET_RUNS = int(os.environ.get("BENCH_NET_RUNS", "2"))
#: name -> Chromium network emulation (None: loopback, no emulation).
PROFILES = {
    "loopback": None,
    "50": {"label": "50 Mbit/s, 40 ms", "latency": 40, "mbit": 50},
    "10": {"label": "10 Mbit/s, 80 ms", "latency": 80, "mbit": 10},
}
SITE = Path(os.environ.get("PLAYBOOK_SITE", REPO / "site"))

INIT = """
window.__bench = {};
new MutationObserver(() => {
  const root = document.querySelector('[data-calculator]');
  if (root && root.dataset.state === 'ready' && !window.__bench.ready) window.__bench.ready = performance.now();
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-state'], childList: true});
document.addEventListener('DOMContentLoaded', () => {
  const root = document.querySelector('[data-calculator]');
  if (root) root.scrollIntoView();
});
"""

BARE_HTML = """<!doctype html><meta charset="utf-8"><title>bare Pyodide</title>
<script type="module">
const w = new Worker(new URL('bare-worker.mjs', location.href), {type: 'module'});
w.onmessage = (e) => { window.__bench = {ready: performance.now(), ...e.data}; };
w.postMessage({indexURL: new URL('../assets/pyodide/VERSION/', location.href).href,
               lockFileURL: new URL('../LOCK', location.href).href});
</script>"""

BARE_WORKER = """self.onmessage = async ({data}) => {
  const { loadPyodide } = await import(new URL('pyodide.mjs', data.indexURL).href);
  const py = await loadPyodide({ indexURL: data.indexURL, lockFileURL: data.lockFileURL });
  await py.loadPackage(['numpy']);
  py.runPython('import numpy');
  self.postMessage({ok: true});
};"""


def plan(n: int) -> dict:
    """A deterministic n-task plan: a few chains with cross links and one group of alternatives."""
    tasks = []
    for i in range(n):
        deps = [f"t{i - 1}"] if i % 5 else []
        if i >= 7 and i % 7 == 0:
            deps.append(f"t{i - 7}")
        tasks.append(
            {
                "id": f"t{i}",
                "optimistic": 1 + i % 3,
                "most_likely": 3 + i % 4,
                "pessimistic": 7 + i % 6,
                "p_success": 0.97 if i % 4 else 0.9,
                "depends_on": sorted(set(deps)),
            }
        )
    return {"unit": "days", "tasks": tasks, "trials": 10_000, "seed": 1}


def people_plan(n: int) -> dict:
    """:func:`plan` as a team runs it (issue 23): four owners (one with two tasks at once), the first
    tasks done or under way, today set, and the last three tasks optional extras."""
    data = plan(n)
    for i, t in enumerate(data["tasks"]):
        t["owner"] = ("Ana", "Ben", "Cy", "Di")[i % 4]
        if (i < 4 and not t["depends_on"]) or i < 2:
            t.update(status="done", actual=t["most_likely"])
        elif i in (4, 5):
            t.update(status="doing", started=2)
        if i >= n - 3:
            t["required"] = False
    for t in data["tasks"]:  # a required task may not wait for an optional one
        if t.get("required", True):
            t["depends_on"] = [d for d in t["depends_on"] if int(d[1:]) < n - 3]
    return {**data, "as_of": 4, "capacity": {"Ana": 2}}


def fresh(browser, service_workers="allow"):
    ctx = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, service_workers=service_workers)
    ctx.add_init_script(INIT)
    return ctx, ctx.new_page()


def wait_ready(page, timeout=90_000):
    page.wait_for_function("window.__bench && window.__bench.ready", timeout=timeout)
    return page.evaluate("window.__bench.ready")


def transferred(page) -> tuple[int, int]:
    """(all bytes, Pyodide/wheel bytes) over the navigation and every resource so far."""
    return tuple(
        page.evaluate("""() => {
      const all = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
      let total = 0, py = 0;
      for (const e of all) {
        const b = e.transferSize || 0;
        total += b;
        if (/\\/assets\\/(pyodide|py)\\//.test(e.name)) py += b;
      }
      return [total, py];
    }""")
    )


class _Counting(Handler):
    """The test server's handler, adding up the body bytes it announces (Content-Length)."""

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length" and getattr(self, "_status", 200) == 200:
            self.server.bytes_sent += int(value)
        super().send_header(keyword, value)


def counting(server: SiteServer) -> SiteServer:
    server.bytes_sent = 0
    server.RequestHandlerClass = functools.partial(
        _Counting, directory=server.RequestHandlerClass.keywords["directory"]
    )
    return server


def emulate(ctx, page, profile: dict | None) -> None:
    if profile is None:
        return
    cdp = ctx.new_cdp_session(page)
    cdp.send("Network.enable")
    rate = profile["mbit"] * 1_000_000 / 8
    cdp.send(
        "Network.emulateNetworkConditions",
        {"offline": False, "latency": profile["latency"], "downloadThroughput": rate, "uploadThroughput": rate},
    )


def visit(ctx, server, url: str, profile: dict | None, *, settle: bool = False) -> tuple[float, int]:
    """(ms until ready, bytes the server sent until then) for one visit in a new page of ``ctx``."""
    page = ctx.new_page()
    emulate(ctx, page, profile)
    before = server.bytes_sent
    page.goto(url, wait_until="commit")
    ms = wait_ready(page, timeout=300_000)
    sent = server.bytes_sent - before
    # A reader stays on the page: let the snapshot the worker keeps after ready
    # (for the next visit) reach the HTTP cache and its store before the page and its worker go.
    if settle:
        _settle(page)
    page.close()  # its worker ends with it: the next visit starts Python again
    return ms, sent


#: Whether the snapshot's files are in the HTTP cache and (where the browser has one)
#: the worker's store, each of its size.
SETTLED = """async () => {
      const r = await fetch('/assets/playbook/snapshot.json').catch(() => null);
      const p = r && r.ok ? await r.json() : {};
      if (!p.file) return true;
      let folder = null;  // the worker's store (snapshot/store.mjs), when the browser has one
      try {
        folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('playbook-snapshot');
      } catch { if (navigator.storage?.getDirectory) return false; }
      const all = [[p.file, p.bytes], [p.files.file, p.files.bytes], ...(p.runtime || []).map((f) => [f.file, f.bytes])];
      for (const [file, bytes] of all) {
        const c = await fetch(new URL(file, r.url), {cache: 'only-if-cached', mode: 'same-origin'}).catch(() => null);
        if (!(c && c.ok)) return false;
        await c.body.cancel();
        const kept = folder && (await folder.getFileHandle(file.split('/').pop()).catch(() => null));
        if (folder && !(kept && (await kept.getFile()).size === bytes)) return false;
      }
      return true;
    }"""


def _settle(page, timeout_s: float = 300) -> None:
    # (page.evaluate awaits the promise; wait_for_function would take it as true at once.)
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(SETTLED):
        if time.monotonic() > deadline:
            raise TimeoutError("the snapshot never reached the HTTP cache and the store")
        page.wait_for_timeout(500)


def network_rows(pw, server, runs: int) -> list[tuple[str, ...]]:
    """g. first and repeat visit of the calculator page and the bare page over each profile.

    Each pair of visits runs in a new browser profile on disk: an in-memory
    (incognito) cache refuses entries as large as the wasm, which no reader's
    browser does, and would make every repeat visit a first one.
    """
    rows = []
    wanted = [p.strip() for p in os.environ.get("BENCH_PROFILES", "loopback,50,10").split(",") if p.strip()]
    for key in wanted:
        profile = PROFILES[key]
        label = profile["label"] if profile else "loopback"
        found: dict[tuple[str, str], list[tuple[float, int]]] = {}
        for _ in range(runs):
            for kind, path in (("calculator", "calculators/timeline/"), ("bare", "_bench/bare.html")):
                with tempfile.TemporaryDirectory(prefix="bench-profile-") as folder:
                    ctx = pw.chromium.launch_persistent_context(
                        folder,
                        executable_path=chromium_path(),
                        args=LAUNCH_ARGS,
                        bypass_csp=True,
                        viewport={"width": 1280, "height": 900},
                    )
                    ctx.add_init_script(INIT)
                    for page in ctx.pages:
                        page.close()
                    found.setdefault((kind, "first"), []).append(
                        visit(ctx, server, server.url + path, profile, settle=kind == "calculator")
                    )
                    found.setdefault((kind, "repeat"), []).append(visit(ctx, server, server.url + path, profile))
                    ctx.close()
        med = statistics.median
        for visit_kind in ("first", "repeat"):
            calc = found[("calculator", visit_kind)]
            bare = found[("bare", visit_kind)]
            c_ms, b_ms = med(m for m, _ in calc), med(m for m, _ in bare)
            rows.append(
                (
                    label,
                    visit_kind,
                    f"{c_ms:.0f}",
                    f"{b_ms:.0f}",
                    f"{c_ms / b_ms:.2f}",
                    f"{med(b for _, b in calc) / 1e6:.1f}",
                    f"{med(b for _, b in bare) / 1e6:.1f}",
                )
            )
    return rows


def main() -> int:
    if not (SITE / "index.html").exists():
        print(f"no built site in {SITE}: run `make build` first", file=sys.stderr)
        return 2
    version = next((SITE / "assets" / "pyodide").iterdir()).name
    bench_dir = SITE / "_bench"
    bench_dir.mkdir(exist_ok=True)
    lock = next(SITE.glob("assets/py/*/pyodide-lock.json")).relative_to(SITE).as_posix()
    (bench_dir / "bare.html").write_text(BARE_HTML.replace("VERSION", version).replace("LOCK", lock))
    (bench_dir / "bare-worker.mjs").write_text(BARE_WORKER)
    server = counting(SiteServer(SITE, csp=None, rewrite_sitemap=True)).start()
    rows: list[tuple[str, str, str]] = []
    net: list[tuple[str, ...]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
            a, b, c, d = [], [], [], []
            a0, b0 = [], []  # the same first visit with the service worker blocked (the figures before issue 25)
            for _ in range(RUNS):
                ctx, page = fresh(browser, service_workers="block")
                page.goto(server.url + "calculators/timeline/", wait_until="commit")
                page.wait_for_selector(".pb-calc__result .pb-block--summary", state="visible")
                a0.append(page.evaluate("performance.now()"))
                b0.append(wait_ready(page))
                ctx.close()
            for _ in range(RUNS):
                ctx, page = fresh(browser)
                page.goto(server.url + "calculators/timeline/", wait_until="commit")
                page.wait_for_selector(".pb-calc__result .pb-block--summary", state="visible")
                a.append(page.evaluate("performance.now()"))
                b.append(wait_ready(page))
                page.wait_for_function("document.documentElement.dataset.pbMaterial === 'ready'")
                t0 = page.evaluate("(window.__bench.ready = 0, performance.now())")
                page.locator('nav a[href$="calculators/archetype/"]').first.click()
                page.wait_for_function(
                    "document.querySelector('[data-calculator=archetype]')?.dataset.state === 'ready'"
                )
                d.append(page.evaluate("performance.now()") - t0)
                ctx.close()
                ctx, page = fresh(browser)
                page.goto(server.url + "_bench/bare.html")
                c.append(wait_ready(page))
                ctx.close()
            med = statistics.median
            rows += [
                ("a. prerendered result visible", f"{med(a):.0f} ms", f"< 1000 ms; {med(a0):.0f} ms without sw.js"),
                ("b. calculator ready (cold)", f"{med(b):.0f} ms", f"{med(b0):.0f} ms without sw.js"),
                ("c. bare Pyodide + numpy (cold)", f"{med(c):.0f} ms", ""),
                ("   ratio b/c", f"{med(b) / med(c):.2f}", "<= 1.15"),
                ("d. ready after instant navigation", f"{med(d):.0f} ms", "< 300 ms"),
            ]
            # e. bytes
            ctx, page = fresh(browser)
            page.goto(server.url + "chapters/managing/")
            page.wait_for_load_state("networkidle")
            total, py = transferred(page)
            rows.append(("e. chapter page (no calculator)", f"{total / 1024:.0f} KiB", ""))
            rows.append(("   of which Pyodide/wheels", f"{py} B", "0 B"))
            ctx.close()
            ctx, page = fresh(browser)
            page.goto(server.url + "calculators/timeline/")
            wait_ready(page)
            page.wait_for_load_state("networkidle")
            total, _ = transferred(page)
            worker_total = sum((SITE / p).stat().st_size for p in _runtime_files(SITE))
            rows.append(
                (
                    "e. calculator page up to ready",
                    f"{(total + worker_total) / 1024 / 1024:.1f} MiB",
                    "page + worker downloads",
                )
            )
            # f. recompute timing
            from calculators import api

            for n, label, data in (
                (20, "", plan(20)),
                (100, "", plan(100)),
                (20, " with owners and progress", people_plan(20)),
            ):
                times = page.evaluate(
                    """async (data) => {
                  const { getRuntime } = await import(new URL('assets/playbook/runtime.mjs', document.baseURI.replace(/calculators\\/timeline\\/.*/, '')).href);
                  const rt = getRuntime();
                  const out = [];
                  for (let i = 0; i < 5; i++) { const t = performance.now(); const r = await rt.compute('timeline', data); if (r.error) throw new Error(r.error.message); out.push(performance.now() - t); }
                  return out;
                }""",
                    data,
                )
                browser_ms = statistics.median(times)
                cpy = []
                for _ in range(5):
                    t = time.perf_counter()
                    api.compute("timeline", data)
                    cpy.append((time.perf_counter() - t) * 1000)
                cpython_ms = statistics.median(cpy)
                rows.append(
                    (
                        f"f. timeline recompute, {n} tasks x 10k trials{label}",
                        f"{browser_ms:.0f} ms in browser",
                        f"{cpython_ms:.0f} ms CPython, ratio {browser_ms / cpython_ms:.1f}"
                        + (" (target < 100 ms)" if n == 20 and not label else "")
                        + (" (target < 150 ms, ratio <= 3)" if label else ""),
                    )
                )
            ctx.close()
            # g. first contentful paint of a chapter page (median of RUNS cold runs)
            fcp = []
            for _ in range(RUNS):
                ctx, page = fresh(browser)
                page.goto(server.url + "chapters/managing/")
                fcp.append(
                    page.evaluate("""() => new Promise((done) => new PerformanceObserver((list, obs) => {
                  const e = list.getEntriesByName('first-contentful-paint')[0];
                  if (e) { obs.disconnect(); done(e.startTime); }
                }).observe({type: 'paint', buffered: true}))""")
                )
                ctx.close()
            rows.append(("g. chapter page first contentful paint", f"{statistics.median(fcp):.0f} ms", "loopback"))
            import bench_faults  # scripts/bench_faults.py, beside this file

            rows += bench_faults.rows(browser, server.url, runs=RUNS)
            if NET_RUNS > 0:
                net = network_rows(pw, server, NET_RUNS)
            browser.close()
    finally:
        server.stop()
        shutil.rmtree(bench_dir, ignore_errors=True)
    if os.environ.get("BENCH_LIGHTHOUSE", "1") != "0":
        import lighthouse  # scripts/lighthouse.py, beside this file

        rows += lighthouse.rows(lighthouse.run_site(SITE))
    width = max(len(r[0]) for r in rows)
    print(f"\nBenchmark of {SITE} (median of {RUNS} cold runs; headless Chromium; {os.cpu_count()} cores)\n")
    print(f"{'measure'.ljust(width)}  {'value':>22}  note")
    for name, value, note in rows:
        print(f"{name.ljust(width)}  {value:>22}  {note}")
    if net:
        print(
            f"\ng. ready over a network (median of {NET_RUNS}; first visit: cold HTTP cache; repeat visit: "
            "warm cache, new page and worker; MB: bytes the server sent until ready)\n"
        )
        head = ("network", "visit", "calc ms", "bare ms", "calc/bare", "calc MB", "bare MB")
        widths = [max(len(str(r[i])) for r in [head, *net]) for i in range(len(head))]
        for r in [head, *net]:
            print("  ".join(str(v).ljust(w) if i < 2 else str(v).rjust(w) for i, (v, w) in enumerate(zip(r, widths))))
    return 0


def _runtime_files(site: Path) -> list[str]:
    """The files the worker downloads (resource timing of a worker is not visible to the page)."""
    lock_path = next(site.glob("assets/py/*/pyodide-lock.json"))
    lock = json.loads(lock_path.read_text())
    version = next((site / "assets" / "pyodide").iterdir()).name
    core = f"assets/pyodide/{version}"
    files = [f"{core}/{n}" for n in ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip")]
    for entry in lock["packages"].values():
        files.append(str((site / core / entry["file_name"]).resolve().relative_to(site.resolve())))
    files.append(str(lock_path.relative_to(site)))
    return files


if __name__ == "__main__":
    sys.exit(main())
