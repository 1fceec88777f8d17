"""Build steps that keep pages light and their markup valid.

Called by the MkDocs hook (``overrides/hooks/playbook.py``); each step works
without MkDocs too.

* **One project stylesheet.** The project's own stylesheets listed in
  ``extra_css`` (and the static-chart rules in ``pipeline/static-charts.css``)
  are joined at build time into one file, ``assets/playbook/bundle.<hash>.css``,
  which replaces them in every page's head. The sources stay separate files.
* **API reference stylesheet only where it is used.** mkdocstrings adds its
  stylesheet to every page; it is linked only from pages that hold API
  documentation.
* **Chapter charts as static SVG** (:class:`pipeline.chapter_charts.StaticCharts`), and the
  worked-example notebooks' charts too: no page but a calculator's loads Vega.
* **Material's bundle after the page has loaded.** Its ``<script>`` tag, which
  runs some 180 ms of work before a phone can paint the text, becomes a small
  loader (``assets/playbook/material/late.js``) that runs the bundle once the
  page has loaded, or as soon as the reader presses a key or touches the page.
* **Valid markup for what the project writes.** Notebook pages get their
  styles from one file linked in place of the ``<style>`` elements
  mkdocs-jupyter writes into the body (one of which holds a printed Python
  list); comparison tables (an empty top-left header cell) get row headers
  (``<th scope="row">``); source-map comments that point at files the site
  does not serve are removed.

Examples
--------
>>> out = row_headers('<table><thead><tr><th></th><th>A</th></tr></thead>'
...                   '<tbody><tr><td>Scope</td><td>one</td></tr></tbody></table>')
>>> out.split("<tbody>")[1]
'<tr><th scope="row">Scope</th><td>one</td></tr></tbody></table>'
>>> out.split("<tbody>")[0]
'<table><thead><tr><td></td><th>A</th></tr></thead>'
"""

from __future__ import annotations

import hashlib
import html as html_lib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .chapter_charts import StaticCharts
from .paths import REPO, root_of

#: Rules the project adds for static charts (bundled after the extra_css sources).
CHART_CSS = REPO / "pipeline" / "static-charts.css"
#: Where the project's own stylesheets live in the site; only these are bundled.
PROJECT_CSS = "assets/playbook/"
#: mkdocstrings' stylesheet, which it adds to every page.
API_CSS = "assets/_mkdocstrings.css"
API_MARKER = 'class="doc doc-'

#: Material's inline scripts, moved to files for the CSP, joined by where the page loads them.
MATERIAL_SCRIPTS = {
    "palette": ("assets/playbook/material/base.js", "assets/playbook/material/palette.js"),
    "content": ("assets/playbook/material/tabs.js", "assets/playbook/material/target.js"),
}

#: A notebook chart as pipeline/notebook.html.j2 writes it (and nbconvert re-serialises it):
#: the spec in an attribute, then the view Vega would draw into, then the caption.
_NOTEBOOK_CHART = re.compile(
    r'<figure class="pb-chart pb-chart--chapter pb-chart--notebook">(.*?)(?=<figcaption)', re.S
)
_DATA_JSON = re.compile(r"""data-json=(?:"([^"]*)"|'([^']*)')""")
_STYLE = re.compile(r"<style\b[^>]*>(.*?)</style>\s*", re.S | re.I)
_TABLE = re.compile(r"<table\b[^>]*>.*?</table>", re.S | re.I)
_EMPTY_CORNER = re.compile(r"(<thead>\s*<tr>\s*)<th(\b[^>]*)>\s*</th>", re.I)
_FIRST_CELL = re.compile(r"(<tr>\s*)<td(\b[^>]*)>(.*?)</td>", re.S | re.I)
#: Material's own bundle, as its base template loads it (any version).
_MATERIAL_BUNDLE = re.compile(r'<script src="(([^"]*)assets/javascripts/bundle\.[0-9a-f]+\.min\.js)"></script>')
#: The loader that runs Material's bundle after the page has loaded.
LATE_LOADER = "assets/playbook/material/late.js"
_SOURCE_MAP = re.compile(r"\n?[ \t]*(//[#@]\s*sourceMappingURL=(\S+)|/\*[#@]\s*sourceMappingURL=(\S+?)\s*\*/)[ \t]*")


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def row_headers(html: str) -> str:
    """Comparison tables (empty top-left header cell): the first cell of each body row becomes a row header."""

    def table(m: re.Match[str]) -> str:
        t = m.group(0)
        if not _EMPTY_CORNER.search(t):
            return t
        t = _EMPTY_CORNER.sub(r"\1<td\2></td>", t, count=1)
        head, sep, body = t.partition("<tbody>")
        return head + sep + _FIRST_CELL.sub(r'\1<th scope="row"\2>\3</th>', body) if sep else t

    return _TABLE.sub(table, html)


def notebook_styles(html: str) -> tuple[str, str]:
    """Take the ``<style>`` elements out of a notebook page's HTML: (html without them, their CSS).

    The element mkdocs-jupyter appends with a printed Python list (``['pre {...'``)
    is dropped: browsers ignore it, and the same rules arrive renamed for
    ``.highlight-ipynb`` in another element.
    """
    parts: list[str] = []

    def take(m: re.Match[str]) -> str:
        css = m.group(1).strip()
        if css and not css.startswith("["):
            parts.append(css)
        return ""

    return _STYLE.sub(take, html), "\n".join(parts) + "\n"


def late_material(html: str, loader: str) -> str:
    """Material's bundle tag replaced by ``loader`` (a path in the site), which runs it after the page has loaded.

    The loader is addressed the way the page addresses the bundle (relative, or from
    the root on the 404 page).

    >>> late_material('<script src="../assets/javascripts/bundle.ab12.min.js"></script>', "late.js")
    '<script src="../late.js" data-src="../assets/javascripts/bundle.ab12.min.js"></script>'
    """
    return _MATERIAL_BUNDLE.sub(
        lambda m: f'<script src="{m.group(2)}{loader}" data-src="{m.group(1)}"></script>', html, count=1
    )


def strip_source_maps(text: str, exists: Any) -> str:
    """Remove ``sourceMappingURL`` comments whose map ``exists(name)`` says is not served."""

    def one(m: re.Match[str]) -> str:
        target = m.group(2) or m.group(3)
        return m.group(0) if target.startswith("data:") or exists(target) else ""

    return _SOURCE_MAP.sub(one, text)


@dataclass
class PageSpeed:
    """The state of one build: the stylesheet bundle, notebook styles, static charts."""

    charts: StaticCharts = field(default_factory=StaticCharts)
    bundle_path: str = ""
    bundle_css: str = ""
    extra_files: dict[str, str] = field(default_factory=dict)
    api_css: bool = False
    scripts: dict[str, str] = field(default_factory=dict)
    late_loader: str = ""

    # -- configuration ------------------------------------------------------
    def configure(self, config: Any) -> Any:
        """Replace the project's stylesheets in ``extra_css`` by one bundle; drop mkdocstrings' from every page."""
        dirs = [Path(config["docs_dir"]), *(Path(d) for d in config["theme"].dirs)]
        kept, sources = [], []
        for entry in list(config["extra_css"]):
            path = str(entry)
            if path == API_CSS:
                self.api_css = True
                continue
            found = next((d / path for d in dirs if path.startswith(PROJECT_CSS) and (d / path).is_file()), None)
            if found is None:
                kept.append(entry)
            else:
                sources.append((path, found))
                if "__bundle__" not in kept:
                    kept.append("__bundle__")  # where the first project stylesheet was
        parts = [
            f"/* {path} */\n{strip_source_maps(found.read_text(encoding='utf-8'), lambda _: False).strip()}\n"
            for path, found in sources
        ]
        parts.append(f"/* static charts */\n{CHART_CSS.read_text(encoding='utf-8').strip()}\n")
        self.bundle_css = "".join(parts)
        self.bundle_path = f"{PROJECT_CSS}bundle.{_digest(self.bundle_css)}.css"
        if "__bundle__" not in kept:
            kept.append("__bundle__")
        config["extra_css"] = [self.bundle_path if k == "__bundle__" else k for k in kept]
        self._join_scripts(config, dirs)
        return config

    def _join_scripts(self, config: Any, dirs: list[Path]) -> None:
        """Material's small page scripts, joined per place: one request each instead of two.

        The partials (``overrides/partials/javascripts/``) read the joined file's
        name from ``config.extra.pb_scripts`` and load the separate files without it.
        """
        names = {}
        for place, parts in MATERIAL_SCRIPTS.items():
            found = [next((d / p for d in dirs if (d / p).is_file()), None) for p in parts]
            if None in found:
                continue
            text = "".join(f.read_text(encoding="utf-8").rstrip() + ";\n" for f in found if f is not None)
            name = f"{PROJECT_CSS}material/{place}.{_digest(text)}.js"
            self.extra_files[name] = text
            names[place] = name
        config["extra"]["pb_scripts"] = names
        loader = next((d / LATE_LOADER for d in dirs if (d / LATE_LOADER).is_file()), None)
        if loader is not None:
            text = loader.read_text(encoding="utf-8")
            self.late_loader = LATE_LOADER.replace(".js", f".{_digest(text)}.js")
            self.extra_files[self.late_loader] = text

    # -- pages --------------------------------------------------------------
    def page_html(self, html: str, page_url: str) -> str:
        """Static charts, row headers, the API stylesheet where used, notebook styles moved to a file."""
        root = root_of(page_url)
        html = self.charts.page_html(html, page_url)
        html = row_headers(html)
        if self.api_css and API_MARKER in html:
            html = f'<link rel="stylesheet" href="{root}{API_CSS}">\n' + html
        html = _NOTEBOOK_CHART.sub(lambda m: self._notebook_chart(m, root), html)
        if "jupyter-wrapper" in html and "<style" in html:
            html, css = notebook_styles(html)
            name = f"{PROJECT_CSS}notebook.{_digest(css)}.css"
            self.extra_files[name] = css
            html = f'<link rel="stylesheet" href="{root}{name}">\n' + html
        return html

    def page_output(self, html: str) -> str:
        """The whole page as written (the 404 page too): Material's bundle runs after the page has loaded."""
        return late_material(html, self.late_loader) if self.late_loader else html

    def _notebook_chart(self, m: re.Match[str], root: str) -> str:
        """A notebook's chart drawn at build time too: its page loads no Vega."""
        found = _DATA_JSON.search(m.group(1))
        if not found:
            return m.group(0)
        spec = json.loads(html_lib.unescape(found.group(1) if found.group(1) is not None else found.group(2)))
        return (
            '<figure class="pb-chart pb-chart--static pb-chart--notebook">\n'
            f'<div class="pb-chart__frame">{self.charts.spec_html(spec, root=root)}</div>\n'
        )

    # -- after the build ----------------------------------------------------
    def write(self, site_dir: Path | str) -> None:
        """Write the bundle, the notebook styles and the chart SVGs; strip dangling source-map comments."""
        site = Path(site_dir)
        files = {self.bundle_path: self.bundle_css, **self.extra_files} if self.bundle_path else dict(self.extra_files)
        for name, text in files.items():
            path = site / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        self.charts.write(site)
        dangling_source_maps(site, fix=True)


def dangling_source_maps(site: Path, *, fix: bool = False) -> list[str]:
    """Scripts and stylesheets in ``site`` that name a source map the site does not serve (removed if ``fix``)."""
    found = []
    for path in site.rglob("*"):
        if path.suffix not in {".js", ".mjs", ".css"} or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8", errors="surrogateescape")
        cut = max(0, len(text) - 2000)  # the comment ends the file; never touch code that mentions it
        if "sourceMappingURL" not in text[cut:]:
            continue
        tail = strip_source_maps(text[cut:], lambda target, d=path.parent: (d / target.split("?")[0]).is_file())
        fixed = text[:cut] + tail
        if fixed != text:
            found.append(path.relative_to(site).as_posix())
            if fix:
                path.write_text(fixed, encoding="utf-8", errors="surrogateescape")
                _recompress(path)
    return found


def _recompress(path: Path) -> None:
    """Keep pre-compressed copies (``NAME.gz``, ``NAME.br``) of a file this step changed equal to it."""
    import gzip

    data = path.read_bytes()
    gz = path.with_name(path.name + ".gz")
    if gz.exists():
        gz.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    br = path.with_name(path.name + ".br")
    if br.exists():
        try:
            import brotli
        except ImportError:
            br.unlink()  # a server falls back to the .gz or the file itself
        else:
            br.write_bytes(brotli.compress(data, quality=11))
