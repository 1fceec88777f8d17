"""The markup the build writes, parsed from every page of the built site.

Checks what the Nu HTML Checker found in the project's own markup (issue 13):
figure structure, no ``<style>`` in a page body (notebook pages included),
no skipped heading level in a page's content, row headers in comparison
tables, unique ids, and no reference to a file that the site does not serve
(links, scripts, images, source-map comments). Also: no chapter page asks for
Vega, and every static chart has both palettes' SVG, a text alternative, a
caption and its data table.

Fork-safe: expectations come from the built site and from
``pipeline.chapter_charts.CHARTS``, not from this playbook's content. Needs
``site/`` (``make build``; ``make test`` builds it first), so it is marked
``browser`` like the other built-site tests; skipped without a site.
"""

from __future__ import annotations

import itertools
import os
import re
from functools import cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from pipeline.paths import REPO

SITE = Path(os.environ.get("PLAYBOOK_SITE", REPO / "site"))

# Needs the built site, like the browser tests (`make test` builds it first; `make test-fast` leaves these out).
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (SITE / "index.html").exists(), reason="no built site: run `make build`"),
]


def pages() -> list[Path]:
    return sorted(p for p in SITE.rglob("*.html") if not p.relative_to(SITE).parts[0].startswith("_"))


@cache
def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def rel(path: Path) -> str:
    return path.relative_to(SITE).as_posix()


def content(path: Path):
    """The page's own content (Material's article), where the project's markup goes."""
    return soup(path).select_one("article.md-content__inner") or soup(path).body


@cache
def base_path() -> str:
    """The path the site is published under ("/" or "/repo/"), from the built site's sitemap.

    The sitemap lists every page as site_url + the page's path; the shortest entry is the home
    page, i.e. site_url itself. A root-relative link ("/repo/assets/x.css", as 404.html uses since it
    is served at any depth) names a file of the site only under this path.
    """
    sitemap = SITE / "sitemap.xml"
    if not sitemap.is_file():
        return "/"
    locs = [urlsplit(loc.strip()).path for loc in re.findall(r"<loc>([^<]+)</loc>", sitemap.read_text("utf-8"))]
    home = min(locs, key=len, default="/")
    return home if home.endswith("/") else home.rsplit("/", 1)[0] + "/"


def local_target(page: Path, url: str) -> Path | None:
    """The file in site/ that a relative or root-relative URL of ``page`` names; None for other hosts.

    Root-relative URLs resolve against the path the site is published under (:func:`base_path`);
    one outside that path names no file of the site (a path that does not exist is returned)."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith(("#", "data:", "mailto:", "javascript:")):
        return None
    path = unquote(parts.path)
    if not path:
        return None
    if path.startswith("/"):
        base = base_path()
        inside = path.startswith(base) or path + "/" == base
        target = SITE / path[len(base) :] if inside else SITE / "__outside_the_site__" / path.lstrip("/")
    else:
        target = page.parent / path
    return target / "index.html" if path.endswith("/") or target.is_dir() else target


PAGES = pages() if (SITE / "index.html").exists() else []
IDS = [rel(p) for p in PAGES]


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_figures_end_or_start_with_their_caption(page: Path) -> None:
    for fig in soup(page).find_all("figure"):
        kids = [c for c in fig.children if getattr(c, "name", None)]
        captions = [i for i, c in enumerate(kids) if c.name == "figcaption"]
        assert len(captions) <= 1, f"{rel(page)}: a figure with {len(captions)} captions"
        if captions:
            assert captions[0] in (0, len(kids) - 1), (
                f"{rel(page)}: <figcaption> must be the first or last child of <figure> "
                f"(children: {[c.name for c in kids]})"
            )


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_no_style_element_in_the_body(page: Path) -> None:
    body = soup(page).body
    styles = body.find_all("style") if body else []
    assert styles == [], f"{rel(page)}: {len(styles)} <style> in <body>, first: {str(styles[0])[:120]!r}"
    for style in soup(page).find_all("style"):
        assert not style.get_text().strip().startswith("["), f"{rel(page)}: a <style> holding a printed list"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_headings_skip_no_level(page: Path) -> None:
    root = content(page)
    levels = [int(h.name[1]) for h in root.find_all(re.compile(r"^h[1-6]$"))]
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"{rel(page)}: h{after} right after h{before} (headings {levels})"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_tables_name_their_row_headers(page: Path) -> None:
    for table in soup(page).find_all("table"):
        for th in table.find_all("th"):
            assert th.get_text(strip=True) or th.find(True), f"{rel(page)}: an empty <th> (a corner cell is <td>)"
        head = table.find("thead")
        first = head.find("tr").find(["td", "th"]) if head and head.find("tr") else None
        if first is not None and first.name == "td" and not first.get_text(strip=True):
            for row in table.select("tbody tr"):
                cell = row.find(["td", "th"])
                assert cell.name == "th" and cell.get("scope") == "row", (
                    f'{rel(page)}: a comparison table\'s row starts with <{cell.name}>, not <th scope="row">'
                )


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_ids_are_unique(page: Path) -> None:
    ids = [el["id"] for el in soup(page).find_all(id=True)]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    assert dupes == [], f"{rel(page)}: duplicate ids {dupes}"


@pytest.mark.parametrize("page", PAGES, ids=IDS)
def test_every_referenced_file_is_in_the_site(page: Path) -> None:
    missing = []
    for tag, attr in (("link", "href"), ("script", "src"), ("img", "src"), ("source", "src"), ("a", "href")):
        for el in soup(page).find_all(tag, attrs={attr: True}):
            target = local_target(page, el[attr])
            if target is not None and not target.is_file():
                missing.append(f"<{tag} {attr}={el[attr]!r}>")
    assert missing == [], f"{rel(page)}: references files not in site/: {missing[:5]}"


def test_no_source_map_comment_names_a_missing_file() -> None:
    pattern = re.compile(r"[#@]\s*sourceMappingURL=([^\s*]+)")
    dangling = []
    for path in SITE.rglob("*"):
        if path.suffix in {".js", ".mjs", ".css"} and path.is_file():
            tail = path.read_text(encoding="utf-8", errors="replace")[-2000:]
            for target in pattern.findall(tail):
                if not target.startswith("data:") and not (path.parent / target.split("?")[0]).is_file():
                    dangling.append(f"{rel(path)} -> {target}")
    assert dangling == []


def test_one_project_stylesheet_and_api_styles_only_where_used() -> None:
    from pipeline.pagespeed import API_CSS, API_MARKER, PROJECT_CSS

    for page in PAGES:
        head = soup(page).head
        ours = [link["href"] for link in head.find_all("link", rel="stylesheet") if PROJECT_CSS in link["href"]]
        assert len(ours) == 1, f"{rel(page)}: project stylesheets in <head>: {ours}"
        assert not head.find_all("script", src=True), f"{rel(page)}: a script in <head> blocks the first paint"
        api = [link for link in soup(page).find_all("link", rel="stylesheet") if link["href"].endswith(API_CSS)]
        uses_api = API_MARKER in page.read_text(encoding="utf-8")
        assert bool(api) == uses_api, f"{rel(page)}: API stylesheet linked: {bool(api)}, API content: {uses_api}"


def test_material_runs_after_the_page_has_loaded() -> None:
    """Every page loads Material's bundle through the late loader, never with a plain tag."""
    from pipeline.pagespeed import LATE_LOADER

    stem = LATE_LOADER.rsplit(".", 1)[0]
    for page in PAGES:
        scripts = soup(page).find_all("script", src=True)
        plain = [s["src"] for s in scripts if "/javascripts/bundle." in s["src"]]
        late = [s for s in scripts if stem in s["src"]]
        assert plain == [], f"{rel(page)}: Material's bundle blocks the first paint: {plain}"
        assert len(late) == 1, f"{rel(page)}: {len(late)} late loaders"
        target = local_target(page, late[0]["data-src"])
        assert target is not None and target.is_file() and "/javascripts/bundle." in late[0]["data-src"], late[0]


def chart_blocks() -> list[tuple[Path, object]]:
    return [(p, b) for p in PAGES for b in soup(p).select("div.pb-chart-block[data-chart]")]


def test_chapter_charts_are_static_svg_in_both_palettes() -> None:
    from pipeline.chapter_charts import CHARTS, PALETTES

    blocks = chart_blocks()
    assert blocks, "the built site has static chapter charts"
    for page, block in blocks:
        name = block["data-chart"]
        assert name in CHARTS, f"{rel(page)}: unknown chart {name!r}"
        fig = block.find("figure")
        images = {
            next(c[len("pb-chart__img--") :] for c in img["class"] if c.startswith("pb-chart__img--")): img
            for img in fig.find_all("img")
        }
        assert set(images) == set(PALETTES), f"{rel(page)}: {name}: images for {sorted(images)}"
        for palette, img in images.items():
            svg = local_target(page, img["src"])
            assert svg is not None and svg.is_file() and svg.suffix == ".svg", f"{name}: {img['src']}"
            text = svg.read_text(encoding="utf-8")
            assert text.lstrip().startswith("<svg") and "<script" not in text
            assert img["alt"].strip(), f"{name} ({palette}): the image needs its text alternative"
            assert int(img["width"]) > 0 and int(img["height"]) > 0, f"{name}: width and height reserve the space"
            assert re.search(rf'width="{img["width"]}(\.\d+)?"', text), f"{name}: the size matches the SVG's"
        assert fig.find("figcaption").get_text(strip=True), f"{name}: caption"
        rows = block.select(".pb-chart__data table tbody tr")
        assert rows and all(r.find("th", scope="row") for r in rows), f"{name}: the data table with row headers"


def test_no_page_asks_for_vega_unless_it_has_a_calculator() -> None:
    """Charts that need no interaction (chapters, notebooks) are images; only calculators draw with Vega."""
    for page in PAGES:
        html = page.read_text(encoding="utf-8")
        if "data-calculator=" in html:
            continue
        assert "pb-chart__spec" not in html and "pb-chart--chapter" not in html, (
            f"{rel(page)}: a Vega-Lite spec for the page script to draw"
        )
        urls = [el.get("src") or el.get("href") or "" for el in soup(page).find_all(["script", "link"])]
        assert not [u for u in urls if "vega" in u.lower()], f"{rel(page)}: loads a Vega file"
