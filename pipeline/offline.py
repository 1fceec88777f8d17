"""The playbook offline after a first visit: the service worker and what it stores.

After the site is built, :func:`write_service_worker` lists every file a reader
may need offline with its sha256 and size, and writes ``sw.js`` at the site's
root: that list (the *manifest*) followed by the worker's code
(``overrides/assets/playbook/sw.js``). A new build changes the list, so the
browser sees a new ``sw.js`` on the reader's next online visit and installs it
beside the old one (see that file for what it does then).

Files fall in three tiers:

* ``shell``: the offline page and the stylesheets and scripts it links, stored
  as soon as the worker installs, so a page that was never stored can say so;
* ``pages``: every page, the search index, stylesheets, scripts, images and
  notebooks; stored once the reader has been idle on a first visit;
* ``runtime``: Python (Pyodide, the wheels, the memory snapshot). Stored with the
  pages when the whole site is at most :data:`RUNTIME_LIMIT` bytes, otherwise
  only once the reader has opened a calculator.

Why not Workbox: its precache installs one list at once; the three tiers, the
wait for an idle reader, Save-Data and the per-page version pinning would all be
code of ours on top of it, and ``workbox-build`` would add a Node.js build step
with a few hundred npm packages to a build that needs none. The worker is about
200 lines with JSDoc types.

``frame_ancestors`` (``extra.playbook.frame_ancestors``) is the one setting that
says which sites may frame the playbook's pages (the embed pages above all):
:func:`sync_frame_ancestors` writes it into ``deploy/_headers`` and
``deploy/nginx.conf``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

from .paths import REPO, manifest

SW_SOURCE = REPO / "overrides" / "assets" / "playbook" / "sw.js"
OFFLINE_PAGE = "offline.html"
#: Over this many bytes (pages and runtime together), the runtime is stored only once the reader opens a calculator.
RUNTIME_LIMIT = 40 * 1000 * 1000
#: Never stored: compressed copies (the browser gets the decoded bytes), source maps, the worker itself, host files.
SKIP = re.compile(r"(\.br|\.gz|\.map)$|^(sw\.js|_headers|_redirects|nginx\.conf)$|^_bench/")
RUNTIME = re.compile(r"^assets/(pyodide|py)/")
PYODIDE = "assets/pyodide"
#: Files a host or the test server may rewrite (the sitemap's address): stored as served, not checked.
UNCHECKED = ("sitemap.xml",)
DEFAULT_ANCESTORS = ("'self'",)


def options(config: Any) -> dict[str, Any]:
    """The three features' settings from ``extra.playbook`` (each on unless set to false)."""
    extra = (config.get("extra") or {}).get("playbook") or {}
    ancestors = extra.get("frame_ancestors", list(DEFAULT_ANCESTORS))
    if isinstance(ancestors, str):
        ancestors = ancestors.split()
    return {
        "offline": extra.get("offline", True) is not False,
        "embed": extra.get("embed", True) is not False,
        "print": extra.get("print", True) is not False,
        "frame_ancestors": [str(a) for a in ancestors] or list(DEFAULT_ANCESTORS),
    }


def configure(config: Any) -> Any:
    """MkDocs ``on_config``: render the offline page (``overrides/offline.html``) beside the 404 page."""
    if options(config)["offline"]:
        config["theme"].static_templates.add(OFFLINE_PAGE)
    return config


def _linked(html: str, page: str) -> set[str]:
    """Site paths of the stylesheets, scripts and images a page at the site's root links."""
    found = set()
    for url in re.findall(r'(?:href|src|data-src)="([^"#?]+)', html):
        if not re.match(r"^([a-z]+:|/)", url):
            found.add(url.removeprefix("./"))
    return {u for u in found if not u.endswith("/")} | {page}


def build_manifest(site_dir: Path, *, limit: int = RUNTIME_LIMIT) -> dict[str, Any]:
    """``{version, files: {path: [sha256, bytes, tier]}, bytes: {tier: n}, eager}`` for a built site."""
    offline_html = site_dir / OFFLINE_PAGE
    shell = _linked(offline_html.read_text(encoding="utf-8"), OFFLINE_PAGE) if offline_html.is_file() else set()
    files: dict[str, list[Any]] = {}
    totals = {"shell": 0, "pages": 0, "runtime": 0}
    # A folder of another Pyodide version left in site/ by an earlier build is never used.
    current = manifest()["pyodide"]["version"]
    other = (
        re.compile(rf"^assets/pyodide/(?!{re.escape(current)}/)") if (site_dir / PYODIDE / current).is_dir() else None
    )
    for path in sorted(p for p in site_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(site_dir).as_posix()
        if SKIP.search(rel) or (other and other.match(rel)):
            continue
        data = path.read_bytes()
        tier = "runtime" if RUNTIME.match(rel) else "shell" if rel in shell else "pages"
        sha = "" if rel in UNCHECKED else hashlib.sha256(data).hexdigest()
        files[rel] = [sha, len(data), tier]
        totals[tier] += len(data)
    version = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    return {
        "version": version,
        "files": files,
        "bytes": totals,
        "eager": sum(totals.values()) <= limit,
        "offline": OFFLINE_PAGE if OFFLINE_PAGE in files else "",
    }


def describe(manifest: dict[str, Any]) -> str:
    """One line on what a reader's browser stores, with the sizes."""
    mb = {k: v / 1e6 for k, v in manifest["bytes"].items()}
    pages = mb["shell"] + mb["pages"]
    if manifest["eager"]:
        runtime = mb["runtime"]
        return f"stores {pages + runtime:.1f} MB after a first visit (pages {pages:.1f} MB, runtime {runtime:.1f} MB)"
    return (
        f"stores the pages ({pages:.1f} MB) after a first visit, and the runtime ({mb['runtime']:.1f} MB) "
        f"once the reader opens a calculator (both at once would pass the {RUNTIME_LIMIT / 1e6:.0f} MB limit)"
    )


def write_service_worker(site_dir: Path, *, enabled: bool = True, quiet: bool = False) -> dict[str, Any] | None:
    """Write ``sw.js`` (manifest and code) at the site's root; without ``enabled``, make sure there is none."""
    target = site_dir / "sw.js"
    copied = site_dir / "assets" / "playbook" / "sw.js"  # the theme's copy of the source: not a file pages use
    copied.unlink(missing_ok=True)
    if not enabled:
        target.unlink(missing_ok=True)
        return None
    manifest = build_manifest(site_dir)
    text = (
        "// Written by the build (pipeline/offline.py): what this version of the site stores, then the worker.\n"
        f"const MANIFEST = {json.dumps(manifest, separators=(',', ':'), sort_keys=True)};\n"
        + SW_SOURCE.read_text(encoding="utf-8")
    )
    target.write_text(text, encoding="utf-8")
    if not quiet:
        print(f"[offline] sw.js {manifest['version']}: {describe(manifest)}", file=sys.stderr)
    return manifest


# ------------------------------------------------------------------ frame-ancestors
HEADER_FILES = (REPO / "deploy" / "_headers", REPO / "deploy" / "nginx.conf")
_ANCESTORS = re.compile(r"frame-ancestors [^;\"\n]*")


def frame_ancestors(ancestors: list[str] | tuple[str, ...]) -> str:
    """The directive, e.g. ``frame-ancestors 'self' https://acme.atlassian.net``.

    >>> frame_ancestors(["'self'", "https://acme.atlassian.net"])
    "frame-ancestors 'self' https://acme.atlassian.net"
    """
    for source in ancestors:
        if not re.fullmatch(r"'self'|'none'|https?://[A-Za-z0-9.*-]+(:\d+)?/?|\*\.?[A-Za-z0-9.-]*|https?:", source):
            raise SystemExit(
                f"extra.playbook.frame_ancestors: {source!r} is not a site address such as "
                "https://acme.atlassian.net or 'self' (with the quotes)"
            )
    return "frame-ancestors " + " ".join(ancestors)


def with_frame_ancestors(csp: str, ancestors: list[str] | tuple[str, ...]) -> str:
    """A Content-Security-Policy with its frame-ancestors replaced."""
    return _ANCESTORS.sub(frame_ancestors(ancestors), csp)


def sync_frame_ancestors(ancestors: list[str] | tuple[str, ...], files: tuple[Path, ...] = HEADER_FILES) -> list[Path]:
    """Write the setting into deploy/_headers and deploy/nginx.conf; return the files it changed."""
    changed = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        new = _ANCESTORS.sub(frame_ancestors(ancestors), text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            changed.append(path)
            print(f"[offline] {path.name}: {frame_ancestors(ancestors)}", file=sys.stderr)
    return changed


def main(argv: list[str] | None = None) -> int:
    """``python -m pipeline.offline SITE``: write sw.js for an already built site and print what it stores."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m pipeline.offline", description=main.__doc__)
    parser.add_argument("site", nargs="?", default="site")
    args = parser.parse_args(argv)
    manifest = write_service_worker(Path(args.site), quiet=True)
    if manifest:
        print(f"sw.js {manifest['version']}: {describe(manifest)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
