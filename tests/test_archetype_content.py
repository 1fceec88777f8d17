"""Archetype fit: this playbook's own content (its lecture companies, examples and hard cases).

Marked ``content``: a fork that edits calculators/data/archetypes.toml turns these off
with ``[tests] content_tests = false`` in company/playbook.toml; the fork-safe set is in
test_archetype.py, test_archetype_group.py and test_archetype_page.py.
"""

from __future__ import annotations

import pytest

from calculators import archetype

pytestmark = pytest.mark.content

# Companies as the lecture describes each archetype, in questionnaire answers.
LECTURE = {
    "nascent": {
        "who_does_ml": "ad_hoc",
        "reporting": "nowhere",
        "leadership": "little",
        "data_access": "scattered",
        "compute": "whatever",
        "production": "never",
        "model_ops": "nobody",
        "horizon": "weeks",
        "company": "non_tech",
        "idea_to_product": "no_ideas",
        "hiring": "very_hard",
        "ml_literacy": "black_box",
        "research_output": "none",
    },
    "rnd": {
        "who_does_ml": "research_group",
        "reporting": "research_lab",
        "leadership": "research_bets",
        "data_access": "negotiate",
        "compute": "lab_cluster",
        "production": "rarely",
        "model_ops": "passed_on",
        "horizon": "years",
        "company": "industrial",
        "idea_to_product": "rarely",
        "hiring": "researchers_only",
        "ml_literacy": "black_box",
        "research_output": "main_output",
    },
    "embedded": {
        "who_does_ml": "product_teams",
        "reporting": "product_lead",
        "leadership": "when_it_pays",
        "data_access": "data_engineers",
        "compute": "borrow",
        "production": "now_and_then",
        "model_ops": "builders",
        "horizon": "quarters",
        "company": "software",
        "idea_to_product": "weeks",
        "hiring": "hard_engineers",
        "ml_literacy": "with_ml_person",
        "research_output": "applied_only",
    },
    "independent": {
        "who_does_ml": "central_department",
        "reporting": "head_of_ml",
        "leadership": "strategy",
        "data_access": "governance",
        "compute": "shared_platform",
        "production": "handed_over",
        "model_ops": "ml_team",
        "horizon": "months_mixed",
        "company": "finance",
        "idea_to_product": "months",
        "hiring": "can_build",
        "ml_literacy": "need_convincing",
        "research_output": "sometimes",
    },
    "ml_first": {
        "who_does_ml": "everywhere",
        "reporting": "both",
        "leadership": "ceo",
        "data_access": "own_platform",
        "compute": "shared_platform",
        "production": "routine",
        "model_ops": "users",
        "horizon": "both",
        "company": "tech",
        "idea_to_product": "days",
        "hiring": "magnet",
        "ml_literacy": "widespread",
        "research_output": "some_teams",
    },
}

# Issue 17, situation 2: a young central team with no research at all (a few people, a model handed
# over, reporting to no ML leader, in an industrial company).
YOUNG_CENTRAL_TEAM = {
    "who_does_ml": "central_department",
    "reporting": "nowhere",
    "leadership": "strategy",
    "data_access": "negotiate",
    "compute": "borrow",
    "production": "handed_over",
    "model_ops": "ml_team",
    "horizon": "quarters",
    "company": "industrial",
    "idea_to_product": "months",
    "hiring": "hard_engineers",
    "ml_literacy": "need_convincing",
    "research_output": "none",
}


@pytest.mark.parametrize("expected", list(LECTURE))
def test_lecture_company_scores_its_archetype_first_without_contradictions(expected: str) -> None:
    r = archetype.assess(LECTURE[expected])
    assert r.top == expected and not r.between
    assert r.confidence == 1.0 and r.contradictions == []


def test_cto_ml_first_and_pm_embedded_merged_is_split_between_their_two_archetypes() -> None:
    """Issue 17, situation 1: before, the merged mean position crowned the independent function (83)."""
    r = archetype.assess(LECTURE["ml_first"], respondents=[LECTURE["embedded"]])
    assert r.split and "split" in r.summary
    assert {x["archetype"] for x in r.ranking[:2]} == {"ml_first", "embedded"}
    assert r.confidence == pytest.approx(0.5)
    assert len(r.disagreements) > 10 and r.disagreements[0]["question_text"] in " ".join(r.notes)


def test_young_central_team_without_research_is_not_rnd() -> None:
    """Issue 17, situation 2: before, it sat 'between ML R&D and the independent function'."""
    r = archetype.assess(YOUNG_CENTRAL_TEAM)
    assert "rnd" not in [x["archetype"] for x in r.ranking[:2]]
    assert r.top == "independent"


def test_the_examples_land_where_their_labels_say() -> None:
    tops = {e["id"]: archetype.from_input(e["input"]).top for e in archetype.examples()}
    assert tops == {"midsize-insurer": "embedded", "telecom-lab": "rnd", "logistics-firm": "nascent"}


def test_target_path_suggests_answers_typical_of_the_target() -> None:
    r = archetype.assess(LECTURE["embedded"], target="independent")
    assert len(r.target_path) == 3
    assert all(LECTURE["independent"][s["question"]] == s["suggested"] for s in r.target_path)
