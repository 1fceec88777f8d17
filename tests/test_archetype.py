"""Archetype fit: one respondent's scores, for ANY archetypes data file (fork-safe).

Defining traits weigh more: answers that contradict what defines an archetype keep it out of
the top two, and its typical answers rank it first or second. The score formula matches an
independent computation; scores are bounded, sorted and explained, and the path to a target
archetype adds up; every question moves some fit; missing answers lower the confidence.
Every expectation is read from the knowledge file or computed through the API, never from
this playbook's own content (test_archetype_content.py). A group of respondents is checked
in test_archetype_group.py, inputs and the page in test_archetype_page.py.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from calculators import archetype
from calculators.archetype import model

from .archetype_cases import ARCHETYPES, QUESTIONS, TYPICAL, K, answers_st, scores

CONTRADICTS = 0.5  # an answer contradicts a trait when it sits at least half the scale away from the profile
DEFINING = [(a.id, d) for a in K.archetypes for d in a.defining]


def rank(result: archetype.ArchetypeResult, aid: str) -> int:
    return [r["archetype"] for r in result.ranking].index(aid) + 1


# ----------------------------------------------------------------- defining traits (issue 17, item 2)


def contradicting(aid: str, dim: str, rest: dict[str, str]) -> dict[str, str]:
    """Every question with an answer that contradicts ``aid``'s profile on ``dim`` gets the most
    contradicting one; the other questions keep their answer in ``rest`` (or stay unanswered)."""
    p = dict(K.archetype(aid).profile)[dim]
    out = {}
    for q in K.questions:
        far = [a for a in q.answers if dim in dict(a.at) and abs(dict(a.at)[dim] - p) >= CONTRADICTS]
        if far:
            out[q.id] = max(far, key=lambda a: abs(dict(a.at)[dim] - p)).id
        elif q.id in rest:
            out[q.id] = rest[q.id]
    return out


@pytest.mark.parametrize(("aid", "dim"), DEFINING, ids=[f"{a}-{d}" for a, d in DEFINING])
def test_a_contradicted_defining_trait_keeps_the_archetype_out_of_the_top_two(aid: str, dim: str) -> None:
    """Answers that contradict what defines an archetype, with nothing else said, rank it third or lower."""
    answers = contradicting(aid, dim, {})
    if not answers:
        pytest.skip(f"no answer contradicts {aid}'s profile on {dim} by {CONTRADICTS} or more")
    r = archetype.assess(answers)
    assert rank(r, aid) > 2, (
        f"archetype {aid!r} stays in the top two although every answer informing its defining dimension "
        f"{dim!r} contradicts its profile: {[(x['archetype'], round(x['score'])) for x in r.ranking]}; "
        "move its profile, raise [scoring] defining_weight, or review the answers' positions"
    )


@pytest.mark.parametrize("aid", ARCHETYPES)
def test_answering_as_a_typical_member_ranks_the_archetype_high(aid: str) -> None:
    """Every archetype can be reached: its typical answers (closest to its profile) rank it first or second."""
    r = archetype.assess(TYPICAL[aid])
    assert rank(r, aid) <= 2, (
        f"answering every question as closest to {aid!r}'s profile ranks it {rank(r, aid)}: "
        f"{[(x['archetype'], round(x['score'])) for x in r.ranking]}; its profile may contradict its own answers"
    )


def _knowledge_with_defining_weight(w: float) -> archetype.Knowledge:
    from calculators._data import data_text

    text = re.sub(r"(?m)^defining_weight\s*=.*$", f"defining_weight = {w}", data_text("archetypes.toml"))
    return archetype.load_knowledge(text)


K_HEAVIER = _knowledge_with_defining_weight(min(20.0, K.defining_weight * 2))


@settings(max_examples=100, deadline=None)
@given(answers=answers_st.filter(bool))
def test_weighing_defining_traits_more_only_hurts_archetypes_whose_defining_traits_are_contradicted(
    answers: dict[str, str],
) -> None:
    """Where the answers sit farther from an archetype's profile on its defining scales than on the others,
    a heavier defining weight lowers its fit; where they sit closer, it raises it."""
    counts = model.counts(K, [answers])
    now, heavier = model.Fit(K, counts), model.Fit(K_HEAVIER, counts)
    x = now.x[0]
    for i, a in enumerate(K.archetypes):
        informed = ~np.isnan(x)
        dist = np.abs(np.nan_to_num(x) - K.profile[i])
        defining = np.array([d.id in a.defining for d in K.dimensions]) & informed
        other = ~defining & informed
        if not defining.any() or not other.any():
            continue
        mean_def = np.average(dist[defining], weights=K.dim_weight[defining])
        mean_other = np.average(dist[other], weights=K.dim_weight[other])
        if mean_def > mean_other + 1e-9:
            assert heavier.each[0, i] <= now.each[0, i] + 1e-9, a.id
        elif mean_def < mean_other - 1e-9:
            assert heavier.each[0, i] >= now.each[0, i] - 1e-9, a.id


def test_defining_dimensions_weigh_more_in_their_archetypes_fit() -> None:
    for i, a in enumerate(K.archetypes):
        for j, d in enumerate(K.dimensions):
            expected = d.weight * (K.defining_weight if d.id in a.defining else 1.0)
            assert_allclose(K.weight[i, j], expected)


# ----------------------------------------------------------------- one respondent


def test_score_formula_matches_an_independent_computation() -> None:
    answers = {q.id: q.answers[i % len(q.answers)].id for i, q in enumerate(K.questions[:4])}
    dims = [d.id for d in K.dimensions]
    num = dict.fromkeys(dims, 0.0)
    den = dict.fromkeys(dims, 0.0)
    for q in K.questions:
        if q.id in answers:
            for d, v in q.answer(answers[q.id]).at:
                num[d] += q.weight * v
                den[d] += q.weight
    x = {d: num[d] / den[d] for d in dims if den[d]}
    r = archetype.assess(answers)
    for a in K.archetypes:
        p = dict(a.profile)
        w = {d.id: d.weight * (K.defining_weight if d.id in a.defining else 1) for d in K.dimensions if d.id in x}
        expected = 100 * (1 - sum(w[d] * abs(x[d] - p[d]) for d in x) / sum(w.values()))
        assert_allclose(scores(r)[a.id], expected, rtol=0, atol=1e-9)
    you = {row["dimension"]: row["you"] for row in r.position}
    assert all(you[d] is None for d in dims if d not in x)
    assert_allclose([you[d] for d in x], [x[d] for d in x], atol=1e-12)


@settings(max_examples=120, deadline=None)
@given(answers=answers_st, target=st.sampled_from([None, *ARCHETYPES]))
def test_scores_are_bounded_sorted_and_explained(answers: dict[str, str], target: str | None) -> None:
    r = archetype.assess(answers, target=target)
    s = [row["score"] for row in r.ranking]
    assert all(0 <= v <= 100 for v in s) and s == sorted(s, reverse=True)
    assert sorted(row["archetype"] for row in r.ranking) == sorted(ARCHETYPES)
    assert r.top == r.ranking[0]["archetype"]
    assert_allclose(r.margin, s[0] - s[1], atol=1e-12)
    assert r.answered == len(answers) and 0 <= r.confidence <= 1
    json.dumps(r.to_dict(), allow_nan=False)
    for e in r.explanation:
        assert_allclose(
            e["baseline"] + sum(c["points"] for c in e["contributions"]), scores(r)[e["archetype"]], atol=1e-9
        )
        assert {c["question"] for c in e["contributions"]} == set(answers)
    if target:
        _check_target_path(answers, target, r)


def _check_target_path(answers: dict[str, str], target: str, r: archetype.ArchetypeResult) -> None:
    assert len(r.target_path) <= K.target_steps
    before = scores(r)[target]
    current = dict(answers)
    for step in r.target_path:
        assert step["gain"] > 0 and step["suggested"] != step["current"]
        assert step["current"] == current.get(step["question"])
        current[step["question"]] = step["suggested"]
        after = scores(archetype.assess(current))[target]
        assert_allclose(after, step["score_after"], atol=1e-9)
        assert_allclose(after - before, step["gain"], atol=1e-9)
        before = after
    assert len({s["question"] for s in r.target_path}) == len(r.target_path)


def test_every_question_moves_some_fit() -> None:
    for q in K.questions:
        fits = {tuple(np.round(list(scores(archetype.assess({q.id: a.id})).values()), 9)) for a in q.answers}
        assert len(fits) > 1, f"question {q.id!r}: every answer gives the same fits"


def test_missing_answers_lower_the_confidence_and_are_counted() -> None:
    full = TYPICAL[ARCHETYPES[0]]
    half = dict(list(full.items())[: len(full) // 2])
    r_full, r_half = archetype.assess(full), archetype.assess(half)
    assert r_full.confidence == 1 > r_half.confidence > 0
    assert r_half.answered == len(half) and r_half.total == len(K.questions)
    assert f"{len(half)} of {len(K.questions)}" in r_half.summary
    cards = {i["label"]: i["value"] for i in archetype.render(r_half)[1]["items"]}
    assert cards["Questions answered"] == f"{len(half)} of {len(K.questions)}"


def test_blank_questionnaire_is_valid_and_says_so() -> None:
    r = archetype.from_input({})
    assert {row["score"] for row in r.ranking} == {model.BASELINE}
    assert r.confidence == 0 and r.answered == 0 and r.total == len(K.questions)
    assert r.explanation == [] and r.target_path == [] and r.contradictions == [] and r.example is None
    assert "No answers yet" in r.summary
    assert archetype.from_input({"answers": {q: "" for q in QUESTIONS}, "target": ""}).answered == 0
