"""This playbook's chapters and the data they name. The chapter charts take their
archetype names and the Timeline simulator's cut-offs from the calculators' data files
rather than keeping a second copy, and the chapters (on organisations, roles, design and
why ML products are hard) use the calculators' names for archetypes, roles and kinds of
feedback, credit the lecture's specifics, and carry no calculator internals or changelogs.
Most of these are ``content`` tests of this playbook's own wording, which a fork turns off.
"""

from __future__ import annotations

import re
import tomllib

import pytest

from .test_handbook import DOCS, REPO

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
