"""Pages and templates that must agree with each other. Where a template and its chapter
both state a count (the self-check's questions, the three numbers, the scorecard's scale)
they state the same one; the design chapter's table of HAX guidelines matches each
section's "Serves:" line; the glossary has an entry for every term the templates use; and
every page that tells part of Halden Mutual's story shows the one timeline and agrees with
it, as the interview scorecard's "test in depth" table agrees with the hiring chapter's.
The counts, HAX and glossary checks are also run on a broken copy, so each can be seen to fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .test_handbook import DOCS, TABLE_ROW, TABLE_RULE

# ------------------------------------------- templates and chapters state the same counts

TEMPLATES = DOCS / "templates" / "downloads"

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
