"""The handbook's words: the P85 is never quoted without its condition, every
glossary entry links to a section that exists, and every template downloads.

Three kinds of test live here:

- rules that hold for ANY version of docs/ (a fork's too): the P85 rule, the
  glossary's links and anchors, the templates' downloads. They read the docs
  and the built site, never this playbook's own wording;
- unit tests of the P85 rule itself, on made-up sentences, so the rule can be
  seen to fail;
- a few ``content`` tests of this playbook's own chapters (a fork turns them off).

The built-site tests use ``site/`` (or ``PLAYBOOK_SITE``), building it once if it
is missing, as the browser tests do.
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

REPO = Path(__file__).resolve().parent.parent
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


# --------------------------------------------------- one source of names and cut-offs


def test_quadrant_cut_offs_live_only_in_the_simulators_risk_matrix():
    """Once the Timeline simulator's data file holds the likelihood/importance cut-offs, the
    chapter's chart data must not keep a second copy (the two charts would drift apart)."""
    timeline = tomllib.loads((REPO / "calculators" / "data" / "timeline_examples.toml").read_text(encoding="utf-8"))
    if "risk_matrix" not in timeline:
        pytest.skip("the simulator's data file has no [risk_matrix] yet")
    charts = tomllib.loads((DOCS / "_data" / "charts.toml").read_text(encoding="utf-8"))
    chart = charts.get("plan_likelihood_importance", {})
    duplicated = [k for k in chart if "split" in k or k in ("quadrants", "thresholds", "cut_offs")]
    assert not duplicated, f"docs/_data/charts.toml repeats {duplicated}: read them from [risk_matrix]"


def test_the_archetype_chart_names_each_archetype_as_the_calculator_does():
    """The chapter heatmap names archetypes only by id; its row names come from the calculator's
    data file, so a chart never shows a second spelling of an archetype (nor an old one in a fork)."""
    from calculators._data import load_toml
    from pipeline.chapter_charts import figure, load

    names = {a["id"]: a["name"] for a in load_toml("archetypes.toml")["archetype"]}  # merged with a fork's company/
    chart = load(chart="archetype_design")["archetype_design"]
    assert "archetypes" not in chart
    assert {r["archetype"] for r in chart["rows"]} <= set(chart["archetype_ids"]) <= set(names)
    assert [row[0] for row in figure("archetype_design").rows] == [names[i] for i in chart["archetype_ids"]]


# ----------------------------------------------------------- this playbook's chapters


@pytest.mark.content
def test_organisations_chapter_uses_the_calculators_archetype_names():
    names = [
        a["name"]
        for a in tomllib.loads((REPO / "calculators" / "data" / "archetypes.toml").read_text(encoding="utf-8"))[
            "archetype"
        ]
    ]
    chapter = (DOCS / "chapters" / "organisations.md").read_text(encoding="utf-8")
    headings = re.findall(r"^### \d+\. (.+)$", chapter, re.M)
    assert sorted(headings) == sorted(names)


@pytest.mark.content
def test_chapters_credit_the_lecture_specifics():
    why = (DOCS / "chapters" / "why-hard.md").read_text(encoding="utf-8")
    design = (DOCS / "chapters" / "design.md").read_text(encoding="utf-8")
    hiring = (DOCS / "chapters" / "hiring.md").read_text(encoding="utf-8")
    assert "credit card" in why and "2014" in why
    assert "Alexa" in design and re.search(r"photo\s+tagging", design)
    assert "mainstream" not in hiring  # the lecture dates the talent gap, not ML's arrival in industry


@pytest.mark.content
def test_roles_chapter_describes_every_role_the_archetype_calculator_recommends():
    archetypes = tomllib.loads((REPO / "calculators" / "data" / "archetypes.toml").read_text(encoding="utf-8"))
    # "ML engineer (generalist)" is the ML engineer with a qualifier: compare the role's name.
    recommended = {r.split(" (")[0].lower() for a in archetypes["archetype"] for r in a.get("roles", [])}
    roles = (DOCS / "chapters" / "roles.md").read_text(encoding="utf-8").lower()
    assert recommended and not [r for r in sorted(recommended) if r not in roles]


NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
]


@pytest.mark.content
def test_chapters_carry_no_calculator_internals_or_changelogs():
    """A chapter speaks about teams and products and links to the calculator; how a calculator
    computes (weights, data files) belongs under its "How this is computed", and the history
    of a page belongs to git."""
    internals = re.compile(r"times as much|data file|\.toml\b|How this is computed|a fork can", re.I)
    changelog = re.compile(r"Earlier versions|What changed, and why|Before the change", re.I)
    problems = []
    for path in sorted(DOCS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        rel = path.relative_to(DOCS).as_posix()
        if rel.startswith("chapters/") and (m := internals.search(text)):
            problems.append(f"{rel}: calculator internals in a chapter ({m.group(0)!r})")
        if m := changelog.search(text):
            problems.append(f"{rel}: a changelog ({m.group(0)!r})")
    assert not problems, "\n".join(problems)


@pytest.mark.content
def test_design_chapter_names_every_feedback_kind_as_the_picker_does():
    """Plain words first, the lecture's term beside them: "Watch what users do next (direct implicit)"."""
    mechanisms = tomllib.loads((REPO / "calculators" / "data" / "feedback.toml").read_text(encoding="utf-8"))[
        "mechanism"
    ]
    chapter = (DOCS / "chapters" / "design.md").read_text(encoding="utf-8")
    labels = [f"{m['plain']} ({m['name'][:1].lower()}{m['name'][1:]})" for m in mechanisms]
    assert [x for x in labels if x not in chapter] == []


# ------------------------------------------- templates and chapters state the same counts

TEMPLATES = DOCS / "templates" / "downloads"


def _section(text: str, heading: str) -> str:
    """The Markdown of the section under the heading that starts with ``heading``."""
    m = re.search(rf"^(#+) {re.escape(heading)}.*$", text, re.M)
    assert m, f"no heading {heading!r}"
    level = len(m.group(1))
    rest = text[m.end() :]
    nxt = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: nxt.start()] if nxt else rest


def _table_rows(block: str) -> list[str]:
    """The data rows of the first Markdown table in ``block`` (no header, no rule)."""
    lines = block.splitlines()
    for i, line in enumerate(lines):
        if TABLE_ROW.match(line) and i + 1 < len(lines) and TABLE_RULE.match(lines[i + 1]):
            rows = []
            for row in lines[i + 2 :]:
                if not TABLE_ROW.match(row):
                    break
                rows.append(row)
            return rows
    return []


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.index(word.lower())


WORD_NUMBER = r"(\d+|" + "|".join(NUMBER_WORDS) + r")"


def self_check_problems(chapter: str, template: str) -> list[str]:
    """The self-check in Why ML products are hard and its printable template ask the same questions."""
    section = _section(chapter, "A quick self-check")
    asked = [line[2:].strip() for line in section.splitlines() if line.startswith("- ")]
    rows = [r for r in _table_rows(template) if "?" in r]
    problems = []
    if len(asked) != len(rows):
        problems.append(f"the chapter asks {len(asked)} questions, the template {len(rows)}")
    stated = re.search(rf"\b{WORD_NUMBER} questions\b", section, re.I)
    if stated and _number(stated.group(1)) != len(asked):
        problems.append(f"the chapter says {stated.group(0)!r} but lists {len(asked)}")
    missing = [q for q in asked if q.rstrip("?") not in template]
    if missing:
        problems.append(f"questions missing from the template: {missing}")
    return problems


def three_numbers_problems(texts: dict[str, str]) -> list[str]:
    """Every table introduced as "the N numbers" (or "the plan in N numbers") has N rows."""
    problems = []
    intro = re.compile(rf"\b(?:the|in) {WORD_NUMBER} numbers\b", re.I)
    for where, text in texts.items():
        paragraphs = re.split(r"\n\s*\n", text)
        for i, para in enumerate(paragraphs):
            m = intro.search(para)
            if not m or TABLE_ROW.match(para.splitlines()[0]) or i + 1 >= len(paragraphs):
                continue
            rows = _table_rows(paragraphs[i + 1])
            if rows and len(rows) != _number(m.group(1)):
                problems.append(f"{where}: {m.group(0)!r} introduces a table of {len(rows)} rows")
    return problems


def scale_problems(chapter: str, templates: dict[str, str]) -> list[str]:
    """The hiring chapter and every template that scores candidates use the same scale."""
    found = re.search(r"scale from (\d) to (\d)", _section(chapter, "Score against a rubric"))
    if not found:
        return ["the hiring chapter does not state its scale ('scale from 1 to 4')"]
    scale = (int(found.group(1)), int(found.group(2)))
    problems = []
    for where, text in templates.items():
        for lo, hi in re.findall(r"\b(\d) to (\d)\b", text):
            if (int(lo), int(hi)) != scale:
                problems.append(f"{where}: scores {lo} to {hi}, the chapter {scale[0]} to {scale[1]}")
        columns = [int(n) for n in re.findall(r"\| (\d): ", text)]
        if columns and (min(columns), max(columns)) != scale:
            problems.append(f"{where}: the rubric's columns run {min(columns)}-{max(columns)}")
    return problems


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _counts_problems(why: str, managing: str, hiring: str, templates: dict[str, str]) -> list[str]:
    scoring = {k: v for k, v in templates.items() if k.startswith(("interview-",))}
    return (
        self_check_problems(why, templates["ml-readiness-self-check.md.txt"])
        + three_numbers_problems({"managing.md": managing, **templates})
        + scale_problems(hiring, scoring)
    )


def _sources() -> tuple[str, str, str, dict[str, str]]:
    chapters = DOCS / "chapters"
    templates = {p.name: _read(p) for p in sorted(TEMPLATES.glob("*.md.txt"))}
    return _read(chapters / "why-hard.md"), _read(chapters / "managing.md"), _read(chapters / "hiring.md"), templates


@pytest.mark.content
def test_templates_and_chapters_state_the_same_counts():
    """Self-check questions, the three numbers, the scorecard's scale: where a template and its
    chapter both state a count, they agree."""
    assert _counts_problems(*_sources()) == []


@pytest.mark.content
@pytest.mark.parametrize(
    "break_it",
    [
        pytest.param(
            lambda w, m, h, t: (w.replace("- Do we have a simple non-ML baseline to beat?\n", ""), m, h, t),
            id="a self-check question dropped from the chapter",
        ),
        pytest.param(
            lambda w, m, h, t: (w.replace("these eight questions", "these six questions"), m, h, t),
            id="the chapter's stated count of questions",
        ),
        pytest.param(
            lambda w, m, h, t: (
                w,
                m,
                h,
                {
                    **t,
                    "probabilistic-status-update.md.txt": t["probabilistic-status-update.md.txt"].replace(
                        "| The chance it works at all | | | |", "| The chance it works at all | | | |\n| P50 | | | |"
                    ),
                },
            ),
            id="a fourth row under the three numbers",
        ),
        pytest.param(
            lambda w, m, h, t: (w, m, h.replace("scale from 1 to 4", "scale from 1 to 5"), t), id="the chapter's scale"
        ),
        pytest.param(
            lambda w, m, h, t: (
                w,
                m,
                h,
                {
                    **t,
                    "interview-scorecard.md.txt": t["interview-scorecard.md.txt"].replace(
                        "| 4: exceptional |", "| 4: exceptional | 5: outstanding |"
                    ),
                },
            ),
            id="a fifth column in the scorecard's rubric",
        ),
    ],
)
def test_the_counts_check_fails_on_a_broken_copy(break_it):
    why, managing, hiring, templates = _sources()
    broken = break_it(why, managing, hiring, dict(templates))
    assert broken != (why, managing, hiring, templates), "the edit did not apply: its anchor text moved"
    assert _counts_problems(*broken), "the check let a disagreement through"


# ------------------------------------------------ the HAX map agrees with each section


def _serves_by_section(chapter: str) -> dict[str, set[str]]:
    """Each section's anchor -> the guidelines its "*Serves:*" line names."""
    from markdown.extensions.toc import slugify

    found: dict[str, set[str]] = {}
    anchor = ""
    for line in re.sub(r"\*Serves:\*\s*\n", "*Serves:* ", chapter).splitlines():
        if m := re.match(r"^#{2,4} (.+?)(?:\s*\{ #([\w-]+) \})?\s*$", line):
            anchor = m.group(2) or slugify(m.group(1), "-")
        for serves in re.findall(r"\*Serves:\*\s*((?:G\d+(?:,\s*)?)+)", line):
            found.setdefault(anchor, set()).update(re.findall(r"G\d+", serves))
    return found


def hax_map_problems(chapter: str) -> list[str]:
    table = _table_rows(_section(chapter, "Which guideline each section serves"))
    mapped = {
        (g, a)
        for row in table
        for g in re.findall(r"G\d+", row.split("|")[1])
        for a in re.findall(r"\(#([\w-]+)\)", row)
    }
    served = {(g, a) for a, gs in _serves_by_section(chapter).items() for g in gs}
    problems = [f"the table maps {g} to #{a}, whose Serves line does not name it" for g, a in sorted(mapped - served)]
    problems += [f"#{a} says it serves {g}, but the table does not list it there" for g, a in sorted(served - mapped)]
    named = sorted({int(g[1:]) for row in table for g in re.findall(r"G\d+", row.split("|")[1])})
    if named != list(range(1, 19)):
        problems.append(f"the table does not list G1 to G18 once each: {named}")
    return problems


@pytest.mark.content
def test_the_hax_table_and_the_serves_lines_agree():
    assert hax_map_problems(_read(DOCS / "chapters" / "design.md")) == []


@pytest.mark.content
def test_the_hax_check_fails_on_a_broken_copy():
    design = _read(DOCS / "chapters" / "design.md")
    broken = design.replace("*Serves:* G17.", "*Serves:* G16.")
    assert broken != design
    assert hax_map_problems(broken)


# ------------------------------------------------ the glossary covers the templates' terms

# Terms a manager may not know, as the templates write them. A template that uses one needs a
# glossary entry whose name contains it (the glossary test above checks its link resolves).
JARGON = [
    "P85",
    "PERT",
    "three numbers",
    "chance it works at all",
    "time box",
    "kill criteria",
    "stage gate",
    "baseline",
    "held-out",
    "shadow mode",
    "critical path",
    "confidence threshold",
    "break-even",
    "false positive",
    "false negative",
    "error-cost matrix",
    "value line",
    "expected value",
    "lawful basis",
    "Article 22",
    "AI Act",
    "high-risk",
    "impact assessment",
    "data drift",
    "prediction drift",
    "data quality",
    "runbook",
    "training-serving skew",
    "leakage",
    "model card",
    "handover",
    "lock-in",
    "rubric",
    "the bar",
    "must-have",
    "HAX",
    "feedback loop",
    "spike",
    "calibration",
    "upkeep",
    "model ownership",
    "on call",
    "labelling lead",
    "ML platform engineer",
]


def _glossary_terms() -> list[str]:
    text = _read(DOCS / "glossary.md")
    return [line.lower() for line in re.findall(r"^([^\s:*#-].*)\n:   ", text, re.M)]


def glossary_gaps(templates: dict[str, str], terms: list[str]) -> list[str]:
    gaps = []
    for word in JARGON:
        users = [name for name, text in templates.items() if word.lower() in text.lower()]
        if users and not any(word.lower() in t for t in terms):
            gaps.append(f"{word!r} (used in {', '.join(users)})")
    return gaps


def test_the_glossary_covers_every_term_the_templates_use():
    templates = {p.name: _read(p) for p in sorted(TEMPLATES.glob("*.md.txt"))}
    assert templates
    gaps = glossary_gaps(templates, _glossary_terms())
    assert not gaps, "terms the templates use with no glossary entry:\n" + "\n".join(gaps)
    assert glossary_gaps({"t": "Run it in shadow mode."}, [t for t in _glossary_terms() if "shadow" not in t])


# ------------------------------------------------------------ Halden Mutual, told once

HALDEN_FACTS = {
    "chapters/why-hard.md": ["forty", "hired two", "three systems", "ten weeks"],
    "chapters/managing.md": ["64% to 75%", "a fifth less time sorting", "70% chance", "week 18"],
    "chapters/organisations.md": ["three ML people", "pricing team two", "eight ML", "five product teams"],
    "templates/downloads/probabilistic-status-update.md.txt": ["a fifth less time sorting"],
}


@pytest.mark.content
def test_every_page_about_halden_shows_the_one_timeline_and_agrees_with_it():
    timeline = _read(DOCS / "includes" / "halden.md")
    problems = []
    for path in sorted((DOCS / "chapters").glob("*.md")):
        text = _read(path)
        if "Halden" in text and '--8<-- "halden.md"' not in text:
            problems.append(f"{path.name} tells part of Halden's story without the timeline")
    flat = " ".join(timeline.split()).lower()
    for page, facts in HALDEN_FACTS.items():
        text = " ".join(_read(DOCS / page).split()).lower()
        for fact in facts:
            if fact.lower() not in text:
                problems.append(f"{page} no longer says {fact!r}")
            if fact.lower() not in flat:
                problems.append(f"the timeline does not say {fact!r}, which {page} does")
    assert not problems, "\n".join(problems)


@pytest.mark.content
def test_the_scorecard_tests_in_depth_what_the_hiring_chapter_says():
    """The scorecard repeats the chapter's "test in depth / check the minimum" table, so that it
    can be filled in without the site: the two tables must be the same, role for role."""
    chapter = _table_rows(_section(_read(DOCS / "chapters" / "hiring.md"), "Confirm strengths, check the floor"))
    scorecard = _read(TEMPLATES / "interview-scorecard.md.txt")
    depth = _table_rows(scorecard[scorecard.index("**What to test in depth") :])
    assert chapter and depth == chapter
    roles = re.search(r"\| Role \((.+?)\) \|", scorecard)
    assert roles, "the scorecard's header no longer lists the roles"
    assert sorted(r.strip().lower() for r in roles.group(1).split(",")) == sorted(
        row.split("|")[1].strip().lower() for row in chapter
    ), "every role the scorecard offers needs a depth row, and every depth row a role"
