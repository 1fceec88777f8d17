"""Lighthouse (mobile profile) on three pages of the built site: scores, LCP, TBT, CLS, bytes.

Pages: the home page, one chapter with charts and one calculator page, served
from ``site/`` on 127.0.0.1 (no network needed). Lighthouse is an npm package
pinned here (``LIGHTHOUSE``); the first run installs it into a cache directory
outside the repository (``$PLAYBOOK_CACHE`` or ``~/.cache/ml-teams-playbook``,
then ``lighthouse-<version>/``) with the ordinary ``npm install``. It drives the
system Chromium (``CHROME_PATH``, default ``/usr/bin/chromium``) headless with
Lighthouse's default mobile emulation and simulated throttling.

Run on its own (``.venv/bin/python scripts/lighthouse.py [BASE_URL]``) or from
``scripts/bench.py`` (``make bench``), which passes its own server's URL.
``LIGHTHOUSE_RUNS`` (default 1) runs each page that many times and keeps the
run with the median performance score. Figures are printed, never asserted.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LIGHTHOUSE = "12.8.2"  # the last line that runs on Node 20 (13.x needs Node >= 22.19)
PAGES = [("home", ""), ("chapter (charts)", "chapters/managing/"), ("calculator", "calculators/timeline/")]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"


def cache_dir() -> Path:
    base = os.environ.get("PLAYBOOK_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "ml-teams-playbook")
    return Path(base) / f"lighthouse-{LIGHTHOUSE}"


def ensure_lighthouse() -> Path | None:
    """The pinned Lighthouse CLI, installed once into the cache; None (with a message) if impossible."""
    where = cache_dir()
    cli = where / "node_modules" / ".bin" / "lighthouse"
    if cli.exists():
        return cli
    npm = shutil.which("npm")
    if not npm:
        print("lighthouse: SKIPPED (npm is not installed)", file=sys.stderr)
        return None
    where.mkdir(parents=True, exist_ok=True)
    (where / "package.json").write_text('{"private": true}\n')
    proc = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(where),
                           f"lighthouse@{LIGHTHOUSE}"], capture_output=True, text=True)
    if proc.returncode != 0 or not cli.exists():
        print(f"lighthouse: SKIPPED (npm install lighthouse@{LIGHTHOUSE} failed: "
              f"{proc.stderr.strip().splitlines()[-1:] or '?'})", file=sys.stderr)
        return None
    return cli


def audit(cli: Path, url: str) -> dict:
    """One Lighthouse run on ``url``; the figures this script reports."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    proc = subprocess.run(
        [str(cli), url, "--quiet", "--output=json", "--output-path=stdout", f"--chrome-flags={CHROME_FLAGS}",
         "--only-categories=" + ",".join(CATEGORIES), "--form-factor=mobile", "--max-wait-for-load=60000"],
        capture_output=True, text=True, env=env, timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"lighthouse {url} failed: {proc.stderr.strip()[-500:]}")
    report = json.loads(proc.stdout)
    audits = report["audits"]

    def num(key: str) -> float:
        return float(audits[key].get("numericValue") or 0)

    return {
        "url": url,
        "scores": {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES},
        "fcp_ms": num("first-contentful-paint"),
        "lcp_ms": num("largest-contentful-paint"),
        "tbt_ms": num("total-blocking-time"),
        "cls": num("cumulative-layout-shift"),
        "bytes": num("total-byte-weight"),
        "failed": sorted(k for c in CATEGORIES[1:] for ref in report["categories"][c]["auditRefs"]
                         if ref.get("weight") and (audits[(k := ref["id"])].get("score") is not None)
                         and audits[k]["score"] < 1),
    }


def run(base_url: str, runs: int | None = None) -> list[dict]:
    """Lighthouse on every page of ``PAGES`` under ``base_url`` (ending in ``/``); [] if it cannot run."""
    cli = ensure_lighthouse()
    if cli is None:
        return []
    runs = runs or int(os.environ.get("LIGHTHOUSE_RUNS", "1"))
    out = []
    for label, path in PAGES:
        results = [audit(cli, base_url + path) for _ in range(runs)]
        results.sort(key=lambda r: r["scores"]["performance"])
        out.append({"page": label, **results[len(results) // 2],
                    "perf_all": [r["scores"]["performance"] for r in results]})
    return out


def rows(results: list[dict]) -> list[tuple[str, str, str]]:
    """Rows for the benchmark table: (measure, value, note)."""
    table = []
    for r in results:
        s = r["scores"]
        table.append((f"g. lighthouse {r['page']}",
                      f"{s['performance']}/{s['accessibility']}/{s['best-practices']}/{s['seo']}",
                      "perf/a11y/best-practices/SEO (mobile); target perf >= "
                      + ("90" if r["page"] == "calculator" else "95") + ", others 100"
                      + (f"; below 100: {', '.join(r['failed'])}" if r["failed"] else "")))
        table.append(("   FCP / LCP / TBT / CLS", f"{r['fcp_ms']:.0f}/{r['lcp_ms']:.0f}/{r['tbt_ms']:.0f} ms / "
                      f"{r['cls']:.3f}", "simulated mid-range phone"))
        table.append(("   bytes", f"{r['bytes'] / 1024:.0f} KiB",
                      "target <= 300 KiB" if r["page"].startswith("chapter") else ""))
    return table


def main(argv: list[str]) -> int:
    if argv:
        results = run(argv[0] if argv[0].endswith("/") else argv[0] + "/")
    else:
        site = Path(os.environ.get("PLAYBOOK_SITE", REPO / "site"))
        if not (site / "index.html").exists():
            print(f"no built site in {site}: run `make build` first", file=sys.stderr)
            return 2
        sys.path.insert(0, str(REPO))
        from scripts.bench import SiteServer  # the benchmark's server import, wherever the server lives

        server = SiteServer(site).start()
        try:
            results = run(server.url)
        finally:
            server.stop()
    if not results:
        return 1
    width = max(len(r[0]) for r in rows(results))
    for name, value, note in rows(results):
        print(f"{name.ljust(width)}  {value:>28}  {note}")
    if os.environ.get("LIGHTHOUSE_JSON"):
        Path(os.environ["LIGHTHOUSE_JSON"]).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
