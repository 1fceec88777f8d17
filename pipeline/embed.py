"""Embed pages: each calculator alone, for a frame in a wiki or an intranet page.

``embed/<name>/`` holds the calculator of the page that carries
``<!-- calculator: <name> -->``, filled by the same code as that page
(:func:`pipeline.site.page_html`), with the page's stylesheets and palette,
a link to the full page that carries the reader's inputs, and
``assets/playbook/embed.mjs``, which tells the framing page its height. The
runtime files are the full site's (same addresses), so a browser that has
started Python on the full site starts it from the same cache and store here.

Which sites may frame the pages is ``extra.playbook.frame_ancestors``
(``pipeline/offline.py``); ``extra.playbook.embed: false`` builds no embed pages.
"""

from __future__ import annotations

import html as html_lib
import json
import posixpath
import re
import shutil
import sys
from pathlib import Path
from typing import Any

FOLDER = "embed"
_CALC = re.compile(r'data-calculator="([a-z_]+)"')


def calculator_pages(site_dir: Path) -> dict[str, str]:
    """``{name: page url}`` ("calculators/timeline/") of the built site, found by the calculators' markup."""
    found: dict[str, str] = {}
    for path in sorted(site_dir.rglob("index.html")):
        rel = path.relative_to(site_dir).as_posix()
        if rel.startswith(FOLDER + "/"):
            continue
        for name in _CALC.findall(path.read_text(encoding="utf-8")):
            found.setdefault(name, rel[: -len("index.html")])
    return found


def rebase(html: str, src_url: str, dst_url: str) -> str:
    """Relative ``href``/``src``/``data-src``/``data-scope`` values of a page at ``src_url``, as seen from ``dst_url``.

    >>> rebase('<a href="../../x/">', "a/b/", "c/d/e/")
    '<a href="../../../x/">'
    >>> rebase('<a href="https://h/x" src="#top">', "a/", "b/c/")
    '<a href="https://h/x" src="#top">'
    """
    src_dir, dst_dir = src_url.rstrip("/") or ".", dst_url.rstrip("/") or "."

    def fix(m: re.Match[str]) -> str:
        attr, url = m.group(1), m.group(2)
        if not url or re.match(r"^([a-z][a-z0-9+.-]*:|/|#)", url):
            return m.group(0)
        path, sep, rest = url.partition("?") if "?" in url else url.partition("#")
        target = posixpath.normpath(posixpath.join(src_dir, path or "."))
        new = posixpath.relpath(target, dst_dir)
        if path.endswith("/") or path in ("", ".", ".."):
            new = new if new.endswith("/") or attr == "data-scope" else new + "/"
        return f'{attr}="{new}{sep}{rest}"'

    return re.sub(r'\b(href|src|data-src|data-scope)="([^"]*)"', fix, html)


def _head(page_html: str) -> str:
    head = re.search(r"<head>(.*?)</head>", page_html, re.S)
    text = head.group(1) if head else ""
    text = re.sub(r'\s*<link rel="(prev|next)"[^>]*>', "", text)
    return re.sub(r'\s*<meta name="pb-offline"[^>]*>', "", text)


def _material(page_html: str) -> str:
    """Material's config and late loader from a page, without instant navigation: in a frame, a
    link opens outside it (``<base target="_blank">``), never a site page inside the frame."""
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>', page_html, re.S)
    late = re.search(r'<script src="[^"]*material/late[^"]*" data-src="[^"]*"></script>', page_html)
    if not (config and late):
        return ""
    data = json.loads(config.group(1))
    data["features"] = [f for f in data.get("features", []) if not f.startswith("navigation.instant")]
    text = json.dumps(data).replace("</", "<\\/")
    return f'<script id="__config" type="application/json">{text}</script>\n{late.group(0)}\n'


def page(name: str, *, title: str, full_url: str, src_html: str, calc_html: str) -> str:
    """The embed page of one calculator (``embed/<name>/``)."""
    dst = f"{FOLDER}/{name}/"
    src = rebase(src_html, full_url, dst)
    body = re.search(r"<body([^>]*)>", src)
    palette_tag = r'<script src="[^"]*assets/playbook/material/(?:base|palette)[^"]*"[^>]*></script>'
    palette = "".join(re.findall(palette_tag, src))
    modules = "".join(re.findall(r'<script src="[^"]*" type="module"></script>', src))
    material = _material(src)
    full = posixpath.relpath(full_url.rstrip("/") or ".", dst.rstrip("/")) + "/"
    root = "../" * dst.count("/")
    head = re.sub(r"<title>.*?</title>", f"<title>{html_lib.escape(title)} (embedded)</title>", _head(src), flags=re.S)
    lang = re.search(r'<html lang="([^"]+)"', src)
    return (
        "<!doctype html>\n"
        f'<html lang="{lang.group(1) if lang else "en"}" class="no-js">\n<head>{head}\n'
        '<meta name="robots" content="noindex">\n'
        # Links in the calculator (chapters, the full page) open outside the frame.
        '<base target="_blank">\n'
        "</head>\n"
        f"<body{body.group(1) if body else ''}>\n{palette}\n"
        f'<main class="md-main pb-embed" data-pb-embed="{html_lib.escape(name)}"><div class="md-content">'
        '<article class="md-content__inner md-typeset">\n'
        f'<p class="pb-embed__bar"><a class="pb-embed__full" href="{full}" data-pb-full="{full}" rel="noopener">'
        f"Open the full page: {html_lib.escape(title)}</a></p>\n"
        f"{calc_html}\n</article></div></main>\n"
        f'{material}{modules}\n<script src="{root}assets/playbook/embed.mjs" type="module"></script>\n'
        "</body>\n</html>\n"
    )


def write_pages(site_dir: Path, state: Any, *, enabled: bool = True) -> list[str]:
    """Write ``embed/<name>/index.html`` for every calculator with a page; return their urls."""
    from . import site

    folder = site_dir / FOLDER
    if folder.exists():
        shutil.rmtree(folder)
    if not enabled or state is None:
        return []
    written = []
    for name, full_url in calculator_pages(site_dir).items():
        src_html = (site_dir / full_url / "index.html").read_text(encoding="utf-8")
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", src_html, re.S)
        heading = re.sub(r'<a class="headerlink".*?</a>', "", h1.group(1), flags=re.S) if h1 else name
        title = html_lib.unescape(re.sub(r"<[^>]+>", "", heading)).strip()
        dst = f"{FOLDER}/{name}/"
        calc_html = site.page_html(f"<!-- calculator: {name} -->", dst, state)
        out = site_dir / dst / "index.html"
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(page(name, title=title, full_url=full_url, src_html=src_html, calc_html=calc_html), "utf-8")
        written.append(dst)
    if written:
        print(f"[embed] {', '.join(written)}", file=sys.stderr)
    return written
