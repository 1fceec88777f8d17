"""The handbook's words: the P85 is never quoted without its condition, every
glossary entry links to a section that exists, and every template downloads.

Three kinds of test live here:

- rules that hold for ANY version of docs/ (a fork's too): the P85 rule, the
  glossary's links and anchors, the templates' downloads. They read the docs
  and the built site, never this playbook's own wording;
- unit tests of the P85 rule itself, on made-up sentences, so the rule can be
  seen to fail;
- a ``content`` test of this playbook's own chapters (a fork turns it off).

The built-site tests use ``site/`` (or ``PLAYBOOK_SITE``), building it once if it
is missing, as the browser tests do. The chapters' own wording is checked in
tests/test_handbook_chapters.py, and pages that must agree with each other in
tests/test_handbook_consistency.py.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from pipeline.paths import REPO

DOCS = REPO / "docs"
SITE = Path(os.environ.get("PLAYBOOK_SITE", REPO / "site"))


# ------------------------------------------------------------------ the P85 rule
#
# The Timeline simulator computes its P50 and P85 over the runs that SUCCEED. A
# sentence that quotes either without saying so overstates confidence. The rule:
#
#   Every unit of text that mentions a percentile of the finishing date
#   ("P85", "P50", "85%", "85th percentile") must, in the same unit, state its
#   condition: "if it works" / "if the project succeeds", "works at all",
#   "success"/"successful"/"succeed", or be about "the chance of having shipped
#   by" a date (the joint number, which needs no condition).
#   "85% of the time" is never allowed: it is the unconditional misreading.
#
# A unit is what a reader reads as one statement: a paragraph, a list item, a
# heading, a definition (term and description), or a table row read with its
# table's header row (a condition in a column header covers the whole column).
# Notebook cells are split the same way; TOML files are read string by string.

MENTION = re.compile(r"\bP(?:50|85)\b|\b85\s?%|\b85th\b|\beighty-five per ?cent")
CONDITION = re.compile(
    r"\bif (?:it|the project|the plan|they|a run|the model) (?:works?|succeeds?)\b"
    r"|\bworks? at all\b"
    r"|\bsucce(?:ss|ssful|ssfully|ed|eds|eding)\b"
    r"|\b(?:have|has|having) shipped by\b",
    re.IGNORECASE,
)
FORBIDDEN = re.compile(r"\b85\s?% of the time\b", re.IGNORECASE)
LIST_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_RULE = re.compile(r"^\s*\|[\s:|-]+\|\s*$")


def units(text: str) -> list[str]:
    """Split Markdown-like text into the units the P85 rule reads (see above)."""
    out: list[str] = []
    current: list[str] = []
    header: str | None = None

    def flush():
        if current:
            out.append("\n".join(current))
            current.clear()

    lines = text.splitlines()
    for i, line in enumerate(lines):
        if TABLE_ROW.match(line):
            flush()
            if TABLE_RULE.match(line):
                continue
            nxt = lines[i + 1] if i + 1 < len(lines) else ""
            if TABLE_RULE.match(nxt):  # a header row: read with every row below it
                header = line
                out.append(line)
            else:
                out.append(f"{header}\n{line}" if header else line)
            continue
        header = None if not line.strip() else header
        if not line.strip():
            flush()
        elif line.lstrip().startswith("#") or LIST_ITEM.match(line) or line.lstrip().startswith("*["):
            flush()
            current.append(line)
            if line.lstrip().startswith(("#", "*[")):
                flush()
        else:
            current.append(line)
    flush()
    return out


def unconditioned(text: str) -> list[str]:
    """The units of ``text`` that quote a finishing-date percentile without its condition."""
    bad = []
    for unit in units(text):
        if FORBIDDEN.search(unit) or (MENTION.search(unit) and not CONDITION.search(unit)):
            bad.append(unit)
    return bad


def _toml_strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _toml_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _toml_strings(v)]
    return []


def doc_texts() -> list[tuple[str, str]]:
    """(where, text) for every reader-facing text under docs/: pages, includes,
    template downloads, notebook cells and the strings of data files."""
    found = []
    for path in sorted(DOCS.rglob("*")):
        if not path.is_file():
            continue
        rel = path.relative_to(REPO).as_posix()
        if path.suffix in (".md", ".txt"):
            found.append((rel, path.read_text(encoding="utf-8")))
        elif path.suffix == ".ipynb":
            for n, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
                found.append((f"{rel} cell {n}", "".join(cell.get("source", ""))))
        elif path.suffix == ".toml":
            for s in _toml_strings(tomllib.loads(path.read_text(encoding="utf-8"))):
                found.append((rel, s))
    return found


@pytest.mark.parametrize(
    "text",
    [
        "Commit to the P85 date, not the best case.",
        "The date you would meet 85% of the time (the P85).",
        "| Option | 85% commitment (weeks) |\n| --- | --- |\n| A | 12 |",
        "*[P85]: 85th percentile: met 85% of the time",
        "- Replace your single target date with the P50 and P85.",
        "We are 85% confident of week 18.",
    ],
)
def test_rule_flags_a_percentile_without_its_condition(text):
    assert unconditioned(text), f"the rule let this through: {text!r}"


@pytest.mark.parametrize(
    "text",
    [
        "If it works, we expect to finish by week 18 (85% of the successful runs are done by then).",
        "| Number | Value |\n| --- | --- |\n| When it finishes if it works (P85 of successful runs) | week 18 |",
        "*[P85]: if the project works: the week by which 85% of the successful runs are done",
        "The chance of having shipped by week 18 is about 60%, which already counts a P85 of week 18.",
        "Nothing about percentiles here, only 8% and 850 tickets.",
    ],
)
def test_rule_accepts_a_percentile_with_its_condition(text):
    assert unconditioned(text) == []


def test_rule_reads_a_table_column_header_as_the_condition_of_its_cells():
    table = (
        "| Option | Chance it works | If it works: 85% done by (weeks) |\n| --- | --- | --- |\n"
        "| A | 70% | 14 |\n| B | 90% | 19 |"
    )
    assert unconditioned(table) == []
    unheaded = table.replace("If it works: 85% done by", "85% commitment")
    assert len(unconditioned(unheaded)) == 3  # the header and both rows


def test_rule_never_allows_85_percent_of_the_time():
    assert unconditioned("If it succeeds, we finish by week 18 85% of the time.")


def test_no_page_quotes_the_p85_without_its_condition():
    problems = [f"{where}: {unit.strip()[:200]!r}" for where, text in doc_texts() for unit in unconditioned(text)]
    assert not problems, (
        "These texts quote a P50/P85 (or 85%) without its condition. The simulator computes it over the "
        "runs that succeed: say 'if it works' / 'of successful runs', or quote the chance of having shipped "
        "by a date instead:\n" + "\n".join(problems)
    )


# ------------------------------------------------------------- the built site


@pytest.fixture(scope="module")
def site() -> Path:
    if not (SITE / "index.html").exists():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=REPO, check=True)
    return SITE


def _soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _resolve(site: Path, page: Path, href: str) -> tuple[Path, str] | None:
    """The file an internal link points to and its fragment; None for an external link."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return page, unquote(parts.fragment)
    target = (page.parent / unquote(parts.path)).resolve()
    if target.is_dir() or parts.path.endswith("/"):
        target = target / "index.html"
    return target, unquote(parts.fragment)


def _has_id(path: Path, fragment: str) -> bool:
    return _soup(path).find(id=fragment) is not None


def test_every_glossary_entry_links_to_a_section_that_exists(site):
    page = site / "glossary" / "index.html"
    article = _soup(page).select_one("article")
    terms = article.find_all("dt")
    assert terms, "the glossary has no entries (a definition list)"
    problems = []
    for dt in terms:
        dd = dt.find_next_sibling("dd")
        links = [a["href"] for a in (dd.find_all("a", href=True) if dd else [])]
        internal = [r for r in (_resolve(site, page, h) for h in links) if r is not None]
        anchored = [(path, frag) for path, frag in internal if frag]
        name = dt.get_text(" ", strip=True)
        if not anchored:
            problems.append(f"{name}: no link to a section (page#anchor) of the site")
        for path, frag in internal:
            if not path.exists():
                problems.append(f"{name}: links to a page that does not exist: {path.relative_to(site)}")
            elif frag and not _has_id(path, frag):
                problems.append(f"{name}: {path.relative_to(site)} has no anchor #{frag}")
    assert not problems, "\n".join(problems)


def test_every_template_downloads_as_markdown_and_links_to_a_chapter(site):
    page = site / "templates" / "index.html"
    soup = _soup(page)
    sections = soup.select(".pb-template")
    assert sections, "the templates page has no template sections (.pb-template)"
    sources = {p.name: p for p in (DOCS / "templates" / "downloads").iterdir()}
    problems = []
    for section in sections:
        title = section.find(["h2", "h3"]).get_text(" ", strip=True).rstrip("¶").strip()
        downloads = section.select("a[download]")
        if len(downloads) != 1:
            problems.append(f"{title}: {len(downloads)} download links (expected 1)")
            continue
        a = downloads[0]
        if not a["download"].endswith(".md"):
            problems.append(f"{title}: downloads as {a['download']!r}, not a .md file")
        target, _ = _resolve(site, page, a["href"])
        if not target.is_file():
            problems.append(f"{title}: the download {a['href']} is not in the built site")
            continue
        source = sources.get(target.name)
        if source is None or source.read_bytes() != target.read_bytes():
            problems.append(f"{title}: the download is not the template's source file")
        first_words = " ".join(target.read_text(encoding="utf-8").split()[:4]).strip("*")
        if first_words.split(".")[0] not in " ".join(section.get_text().split()):
            problems.append(f"{title}: the page section does not show the downloaded template")
        chapters = [h for h in (x["href"] for x in section.find_all("a", href=True)) if "/chapters/" in h]
        if not chapters:
            problems.append(f"{title}: no link to the chapter that explains it")
        for href in chapters:
            path, frag = _resolve(site, page, href)
            if not path.exists() or (frag and not _has_id(path, frag)):
                problems.append(f"{title}: chapter link {href} does not resolve")
    assert not problems, "\n".join(problems)


def test_templates_have_their_own_nav_entry(site):
    nav = _soup(site / "index.html").select(".md-nav--primary > .md-nav__list > .md-nav__item > a.md-nav__link")
    top_level = [_resolve(site, site / "index.html", a["href"]) for a in nav]
    assert any(r and r[0] == (site / "templates" / "index.html").resolve() for r in top_level), (
        "the templates page is not a top-level entry of the navigation"
    )


@pytest.mark.content
def test_each_chapter_has_one_name_in_the_nav_and_its_title(site):
    """A chapter is called the same in the navigation and in its own heading, so a link's words
    ("see Roles on an ML team") match what the reader finds.

    This is this playbook's editorial rule, so it is a content test: a fork's own chapter may
    have a short nav name and a longer title ("Make it your own" says so)."""
    problems = []
    for page in sorted((site / "chapters").glob("*/index.html")):
        soup = _soup(page)
        h1 = soup.select_one("article h1").get_text(" ", strip=True).rstrip("¶").strip()
        active = soup.select_one(".md-nav--primary .md-nav__link--active")
        nav = active.get_text(" ", strip=True) if active else None
        if nav != h1:
            problems.append(f"{page.parent.name}: nav says {nav!r}, the page's title is {h1!r}")
    assert not problems, "\n".join(problems)
