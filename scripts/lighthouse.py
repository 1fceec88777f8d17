"""Lighthouse (mobile profile) on three pages of the built site: scores, LCP, TBT, CLS, bytes.

Pages: the home page, one chapter with charts and one calculator page, served
from ``site/`` on 127.0.0.1 (no network needed). Lighthouse is an npm package
pinned here (``LIGHTHOUSE``); the first run installs it into a cache directory
outside the repository (``$PLAYBOOK_CACHE`` or ``~/.cache/ml-teams-playbook``,
then ``lighthouse-<version>/``) with the ordinary ``npm install``. It drives the
system Chromium (``CHROME_PATH``, default ``/usr/bin/chromium``) headless with
Lighthouse's default mobile emulation and simulated throttling.

The site is served as a static host serves it (GitHub Pages, Netlify and
Cloudflare Pages all gzip text): :class:`HostServer` answers from ``site/`` on
127.0.0.1 and gzips HTML, CSS, JavaScript, JSON and SVG on the fly when the
browser accepts it, so transferred bytes are what a reader downloads. Set
``LIGHTHOUSE_GZIP=0`` to measure the uncompressed files instead.

Run on its own (``.venv/bin/python scripts/lighthouse.py [SITE_DIR | BASE_URL]``)
or from ``scripts/bench.py`` (``make bench``), which calls :func:`run_site`.
``LIGHTHOUSE_PAGES=all`` audits every chapter and every calculator page as well as
the home page (about 25 s a page). ``LIGHTHOUSE_RUNS`` (default 1) runs each page that many times and keeps the
run with the median performance score (the lower of the middle two). The machine's
load moves the performance score (mostly through TBT): compare runs made side by
side. Figures are printed, never asserted.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path
from typing import ClassVar

if str(Path(__file__).resolve().parent.parent) not in sys.path:  # run as a script: the repo's packages
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from pipeline import paths
from pipeline.paths import REPO

LIGHTHOUSE = "12.8.2"  # the last line that runs on Node 20 (13.x needs Node >= 22.19)
PAGES = [("home", ""), ("chapter (charts)", "chapters/managing/"), ("calculator", "calculators/timeline/")]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu"


def cache_dir() -> Path:
    return paths.cache_dir() / f"lighthouse-{LIGHTHOUSE}"


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
    proc = subprocess.run(
        [npm, "install", "--no-audit", "--no-fund", "--prefix", str(where), f"lighthouse@{LIGHTHOUSE}"],
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0 or not cli.exists():
        print(
            f"lighthouse: SKIPPED (npm install lighthouse@{LIGHTHOUSE} failed: "
            f"{proc.stderr.strip().splitlines()[-1:] or '?'})",
            file=sys.stderr,
        )
        return None
    return cli


def audit(cli: Path, url: str) -> dict:
    """One Lighthouse run on ``url``; the figures this script reports."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    proc = subprocess.run(
        [
            str(cli),
            url,
            "--quiet",
            "--output=json",
            "--output-path=stdout",
            f"--chrome-flags={CHROME_FLAGS}",
            "--only-categories=" + ",".join(CATEGORIES),
            "--form-factor=mobile",
            "--max-wait-for-load=60000",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
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
        "failed": sorted(
            k
            for c in CATEGORIES[1:]
            for ref in report["categories"][c]["auditRefs"]
            if ref.get("weight") and (audits[(k := ref["id"])].get("score") is not None) and audits[k]["score"] < 1
        ),
    }


class _HostHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".json": "application/json",
        ".svg": "image/svg+xml",
        ".wasm": "application/wasm",
    }
    COMPRESS = (".html", ".css", ".js", ".mjs", ".json", ".svg", ".xml", ".txt", "/")

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        path = self.path.split("?", 1)[0]
        file = Path(self.translate_path(path))
        if file.is_dir():
            file = file / "index.html"
        wants = "gzip" in self.headers.get("Accept-Encoding", "") and self.server.gzip
        if not wants or not path.endswith(self.COMPRESS) or not file.is_file():
            return super().do_GET()
        body = gzip.compress(file.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(file)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        self.wfile.write(body)


class HostServer(http.server.ThreadingHTTPServer):
    """``site/`` on 127.0.0.1 as a static host serves it: text gzipped on the fly (if ``gzip``)."""

    daemon_threads = True

    def __init__(self, root: Path, *, gzip: bool = True):
        self.gzip = gzip
        super().__init__(("127.0.0.1", 0), functools.partial(_HostHandler, directory=str(root)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"

    def __enter__(self) -> HostServer:
        threading.Thread(target=self.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.shutdown()
        self.server_close()


def every_page(site: Path) -> list[tuple[str, str]]:
    """The home page, every chapter and every calculator page of a built site."""
    found = [("home", "")]
    for kind, folder in (("chapter", "chapters"), ("calculator", "calculators")):
        for page in sorted((site / folder).glob("*/index.html")):
            found.append((f"{kind} {page.parent.name}", f"{folder}/{page.parent.name}/"))
    return found


def run_site(site: Path, runs: int | None = None) -> list[dict]:
    """Lighthouse on ``PAGES`` (or every page, ``LIGHTHOUSE_PAGES=all``) of the built ``site``."""
    pages = every_page(site) if os.environ.get("LIGHTHOUSE_PAGES") == "all" else PAGES
    with HostServer(site, gzip=os.environ.get("LIGHTHOUSE_GZIP", "1") != "0") as server:
        return run(server.url, runs, pages)


def run(base_url: str, runs: int | None = None, pages: list[tuple[str, str]] = PAGES) -> list[dict]:
    """Lighthouse on every page of ``pages`` under ``base_url`` (ending in ``/``); [] if it cannot run."""
    cli = ensure_lighthouse()
    if cli is None:
        return []
    runs = runs or int(os.environ.get("LIGHTHOUSE_RUNS", "1"))
    out = []
    for label, path in pages:
        results = [audit(cli, base_url + path) for _ in range(runs)]
        results.sort(key=lambda r: r["scores"]["performance"])
        out.append(
            {
                "page": label,
                **results[(len(results) - 1) // 2],  # the median (the lower one of two)
                "perf_all": [r["scores"]["performance"] for r in results],
            }
        )
    return out


def rows(results: list[dict]) -> list[tuple[str, str, str]]:
    """Rows for the benchmark table: (measure, value, note)."""
    table = []
    for r in results:
        s = r["scores"]
        table.append(
            (
                f"g. lighthouse {r['page']}",
                f"{s['performance']}/{s['accessibility']}/{s['best-practices']}/{s['seo']}",
                "perf/a11y/best-practices/SEO (mobile); target perf >= "
                + ("90" if r["page"].startswith("calculator") else "95")
                + ", others 100"
                + (f"; below 100: {', '.join(r['failed'])}" if r["failed"] else ""),
            )
        )
        table.append(
            (
                "   FCP / LCP / TBT / CLS",
                f"{r['fcp_ms']:.0f}/{r['lcp_ms']:.0f}/{r['tbt_ms']:.0f} ms / {r['cls']:.3f}",
                "simulated mid-range phone",
            )
        )
        table.append(
            ("   bytes", f"{r['bytes'] / 1024:.0f} KiB", "target <= 300 KiB" if r["page"].startswith("chapter") else "")
        )
    return table


def main(argv: list[str]) -> int:
    target = argv[0] if argv else os.environ.get("PLAYBOOK_SITE", str(REPO / "site"))
    if target.startswith(("http://", "https://")):
        results = run(target if target.endswith("/") else target + "/")
    else:
        site = Path(target)
        if not (site / "index.html").exists():
            print(f"no built site in {site}: run `make build` first", file=sys.stderr)
            return 2
        results = run_site(site)
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
