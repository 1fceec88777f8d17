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

Pages are edited through an HTML parser (BeautifulSoup with Python's own
``html.parser``), never with regular expressions; a page with nothing to change
is returned as it came, byte for byte.

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
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bs4 import BeautifulSoup, Tag
from bs4.dammit import EntitySubstitution
from bs4.filter import SoupStrainer
from bs4.formatter import HTMLFormatter

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

#: The classes of a notebook chart as pipeline/notebook.html.j2 writes it: the spec in an
#: attribute (``data-json``), then the view Vega would draw into, then the caption.
NOTEBOOK_CHART = ("pb-chart", "pb-chart--chapter", "pb-chart--notebook")
#: Material's own bundle, as its base template loads it (any version): the folder before it, then the file.
_MATERIAL_BUNDLE = re.compile(r"^(.*)assets/javascripts/bundle\.[0-9a-f]+\.min\.js$")
#: The loader that runs Material's bundle after the page has loaded.
LATE_LOADER = "assets/playbook/material/late.js"
#: A source-map comment at the end of a script or stylesheet (text, not HTML).
_SOURCE_MAP = re.compile(r"\n?[ \t]*(//[#@]\s*sourceMappingURL=(\S+)|/\*[#@]\s*sourceMappingURL=(\S+?)\s*\*/)[ \t]*")


class _EveryTag:
    """Every element keeps its whitespace as written (BeautifulSoup's default folds it outside ``<pre>``)."""

    def __contains__(self, name: object) -> bool:
        return True


def parse(html: str) -> BeautifulSoup:
    """A page, or part of one, as a tree (Python's own parser: no element is moved or added).

    Whitespace and each attribute's value stay as written, so writing the tree back
    changes only what an edit changed (and spellings HTML treats as the same:
    ``hidden`` becomes ``hidden=""``, a character reference the character itself).
    """
    return BeautifulSoup(html, "html.parser", preserve_whitespace_tags=_EveryTag(), multi_valued_attributes=None)


class _AsWritten(HTMLFormatter):
    """Attributes in the order they were written (BeautifulSoup sorts them by default), ``<br>`` not ``<br/>``."""

    def __init__(self) -> None:
        super().__init__(entity_substitution=EntitySubstitution.substitute_xml, void_element_close_prefix="")

    def attributes(self, tag: Tag) -> list[tuple[str, Any]]:
        return list(tag.attrs.items())


_FORMATTER = _AsWritten()


def html_of(soup: BeautifulSoup) -> str:
    """The tree written back as HTML."""
    return soup.decode(formatter=_FORMATTER)


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:10]


def row_headers(html: str) -> str:
    """Comparison tables (empty top-left header cell): the first cell of each body row becomes a row header."""
    if "<table" not in html:
        return html
    soup = parse(html)
    return html_of(soup) if _row_headers(soup) else html


def _row_headers(soup: BeautifulSoup) -> bool:
    changed = False
    for table in soup.find_all("table"):
        head = table.find("thead", recursive=False)
        row = head.find("tr", recursive=False) if head else None
        corner = row.find(["th", "td"], recursive=False) if row else None
        if corner is None or corner.name != "th" or corner.get_text().strip() or corner.find(True):
            continue
        corner.name = "td"  # an empty header cell names nothing
        corner.clear()
        for body in table.find_all("tbody", recursive=False):
            for tr in body.find_all("tr", recursive=False):
                first = tr.find(["th", "td"], recursive=False)
                if first is not None and first.name == "td":
                    first.name = "th"
                    first.attrs = {"scope": "row", **first.attrs}
        changed = True
    return changed


def notebook_styles(html: str) -> tuple[str, str]:
    """Take the ``<style>`` elements out of a notebook page's HTML: (html without them, their CSS).

    The element mkdocs-jupyter appends with a printed Python list (``['pre {...'``)
    is dropped: browsers ignore it, and the same rules arrive renamed for
    ``.highlight-ipynb`` in another element.
    """
    soup = parse(html)
    css = _take_styles(soup)
    return html_of(soup), css


def _take_styles(soup: BeautifulSoup) -> str:
    parts: list[str] = []
    for style in soup.find_all("style"):
        css = style.get_text().strip()
        if css and not css.startswith("["):
            parts.append(css)
        style.decompose()
    return "\n".join(parts) + "\n"


def late_material(html: str, loader: str) -> str:
    """Material's bundle tag replaced by ``loader`` (a path in the site), which runs it after the page has loaded.

    The loader is addressed the way the page addresses the bundle (relative, or from
    the root on the 404 page).

    >>> late_material('<script src="../assets/javascripts/bundle.ab12.min.js"></script>', "late.js")
    '<script src="../late.js" data-src="../assets/javascripts/bundle.ab12.min.js"></script>'
    """
    if "assets/javascripts/bundle." not in html:
        return html
    scripts = BeautifulSoup(html, "html.parser", parse_only=SoupStrainer("script"))  # the page's scripts only
    script = scripts.find("script", src=_MATERIAL_BUNDLE)
    found = _MATERIAL_BUNDLE.match(str(script["src"])) if isinstance(script, Tag) else None
    if not isinstance(script, Tag) or found is None:
        return html
    script.attrs = {"src": found[1] + loader, "data-src": found[0]}
    spliced = _replace_element(html, script)
    if spliced is not None:
        return spliced
    soup = parse(html)  # an unusual tag: edit the whole tree and write it back
    script = soup.find("script", src=found[0])
    if isinstance(script, Tag):
        script.attrs = {"src": found[1] + loader, "data-src": found[0]}
    return html_of(soup)


def _replace_element(html: str, tag: Tag) -> str | None:
    """``html`` with the source of the empty element ``tag`` (as the parser found it) replaced by ``tag``.

    The rest of the page stays byte for byte as it was. None if the element is not
    ``<name ...></name>`` at the place the parser reports.
    """
    if tag.sourceline is None or tag.sourcepos is None:
        return None
    lines = html.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: tag.sourceline - 1]) + tag.sourcepos
    end = html.find(">", start) + 1
    close = f"</{tag.name}>"
    if not html.startswith(f"<{tag.name}", start) or not end or not html.startswith(close, end):
        return None
    return html[:start] + tag.decode(formatter=_FORMATTER) + html[end + len(close) :]


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
        notebook = "jupyter-wrapper" in html
        if "<table" not in html and not notebook and NOTEBOOK_CHART[-1] not in html:
            return self._api_css(html, root)
        soup = parse(html)
        changed = _row_headers(soup)
        for figure in soup.find_all("figure"):
            if isinstance(figure, Tag) and tuple(str(figure.get("class") or "").split()) == NOTEBOOK_CHART:
                changed = self._notebook_chart(figure, root) or changed
        links = ""
        if notebook and soup.find("style"):
            css = _take_styles(soup)
            name = f"{PROJECT_CSS}notebook.{_digest(css)}.css"
            self.extra_files[name] = css
            links = f'<link rel="stylesheet" href="{root}{name}">\n'
            changed = True
        return self._api_css(links + html_of(soup) if changed else html, root)

    def _api_css(self, html: str, root: str) -> str:
        if self.api_css and API_MARKER in html:
            return f'<link rel="stylesheet" href="{root}{API_CSS}">\n' + html
        return html

    def page_output(self, html: str) -> str:
        """The whole page as written (the 404 page too): Material's bundle runs after the page has loaded."""
        return late_material(html, self.late_loader) if self.late_loader else html

    def _notebook_chart(self, figure: Tag, root: str) -> bool:
        """A notebook's chart drawn at build time too: its page loads no Vega. False if it holds no spec."""
        holder = figure.find(lambda tag: tag.has_attr("data-json"))
        if not isinstance(holder, Tag):
            return False
        spec = json.loads(str(holder["data-json"]))
        caption = figure.find("figcaption", recursive=False)
        for child in list(figure.children):
            if child is caption:
                break
            child.extract()
        frame = parse(f'\n<div class="pb-chart__frame">{self.charts.spec_html(spec, root=root)}</div>\n')
        figure.insert(0, frame)
        figure["class"] = "pb-chart pb-chart--static pb-chart--notebook"
        return True

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
