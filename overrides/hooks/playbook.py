"""MkDocs hook: a thin adapter over the build pipeline in ``pipeline/``.

Each build vendors the pinned runtime (cached), rebuilds the calculators wheel
and lock, prerenders every calculator with the current code, fills the
calculator and chart markers in pages, and copies the runtime into the site.
"""

from __future__ import annotations

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from pipeline import site  # noqa: E402

_state: site.BuildState | None = None


def on_pre_build(config, **kwargs):
    global _state
    options = config.get("extra", {}).get("playbook", {}) or {}
    _state = site.prepare(pyodide_cdn=options.get("pyodide_cdn", False), snapshot=options.get("snapshot", True))


def on_page_content(html, page, **kwargs):
    return site.page_html(html, page.url, _state)


def on_post_build(config, **kwargs):
    site.copy_assets(Path(config["site_dir"]))


def on_serve(server, config, builder, **kwargs):
    for folder in ("calculators", "pipeline"):
        server.watch(str(REPO / folder))
    return server
