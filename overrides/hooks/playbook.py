"""MkDocs hook: a thin adapter over the build pipeline in ``pipeline/``.

Each build vendors the pinned runtime, rebuilds the calculators wheel and lock,
prerenders every calculator with the current code, fills the calculator and
chart markers in pages, and copies the runtime into the site. Each of those
steps, and each worked-example notebook, runs again only when its inputs
changed (pipeline/site.py keys them on a content hash), so saving a page under
``make serve`` rebuilds in seconds.

A fork's overlay (``company/``) is applied here through pipeline/company.py:
its settings and navigation in ``on_config`` (where every check of the overlay
runs, before anything is written), its pages, assets and theme files in
``on_files``; links to hidden pages are redirected by a Markdown extension
(pipeline/overlay.py), which ``on_page_markdown`` tells the current page. A hook and not
MkDocs' ``INHERIT``: ``INHERIT`` replaces lists such as ``nav`` and ``extra_css``
wholesale (upstream's new chapters would never reach a fork) and needs a
different config file on the command line (the publish workflow would change).
"""

from __future__ import annotations

import sys
from pathlib import Path

if str(Path(__file__).resolve().parents[2]) not in sys.path:  # MkDocs loads hooks by path
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mkdocs.exceptions import PluginError

from pipeline import company, embed, offline, pagespeed, site
from pipeline.overlay import OverlayError
from pipeline.paths import REPO

_state: site.BuildState | None = None
_speed = pagespeed.PageSpeed()
_overlay = None


def on_config(config, **kwargs):
    global _speed, _overlay
    try:
        _overlay = company.configure(config)
    except (OverlayError, ValueError) as exc:
        raise PluginError(str(exc)) from None
    problem = site.deploy_problem(config.get("site_url") or "")
    if problem:
        raise PluginError(problem)
    site.cache_notebooks()
    _speed = pagespeed.PageSpeed()
    site.keep_chart_drawings(getattr(_speed, "charts", None))
    offline.configure(config)  # the offline page, beside the 404 page
    return _speed.configure(config)  # one project stylesheet; the API reference's only where used


def on_env(env, config, files, **kwargs):
    site.cache_templates(env)
    return env


def on_pre_build(config, **kwargs):
    global _state
    options = config.get("extra", {}).get("playbook", {}) or {}
    _state = site.prepare(pyodide_cdn=options.get("pyodide_cdn", False), snapshot=options.get("snapshot", True))


def on_files(files, config, **kwargs):
    return company.files(files, config, _overlay)


def on_page_markdown(markdown, page, **kwargs):
    if _overlay is not None and _overlay.links is not None:
        _overlay.links.page = page.file.src_uri  # links to a hidden page, here and in what the page includes
    return markdown


def on_page_content(html, page, **kwargs):
    return site.page_html(_speed.page_html(html, page.url), page.url, _state)


def on_post_page(output, page, **kwargs):
    return _speed.page_output(output)  # Material's bundle after the page has loaded


def on_post_template(output_content, template_name, **kwargs):
    return _speed.page_output(output_content) if template_name.endswith(".html") else output_content


def on_post_build(config, **kwargs):
    site.copy_assets(Path(config["site_dir"]))
    _speed.write(Path(config["site_dir"]))  # the bundle, notebook styles, chart SVGs; no dangling source maps
    features = offline.options(config)  # embed pages, frame-ancestors, then sw.js listing every file (issue 25)
    embed.write_pages(Path(config["site_dir"]), _state, enabled=features["embed"])
    offline.sync_frame_ancestors(features["frame_ancestors"])
    offline.write_service_worker(Path(config["site_dir"]), enabled=features["offline"])


def on_serve(server, config, builder, **kwargs):
    for folder in ("calculators", "pipeline", "company"):
        if (REPO / folder).is_dir():
            server.watch(str(REPO / folder))
    return server
