"""Tests of the feedback picker (calculators/feedback/): what it recommends.

This playbook's own examples rank as the lecture suggests (marked content); the rules that
hold for any data file (privacy never raises a score, a pair is at most one implicit signal
plus one trainer); the labels a week each mechanism brings; the review load against the
team's or the users' capacity; and properties of any product drawn by hypothesis. The
threshold lives in test_feedback_threshold.py, inputs, views and the command line in
test_feedback_api.py, and what the reader sees in test_feedback_reader.py.
"""

from __future__ import annotations

import itertools
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from calculators import feedback

from .feedback_cases import EXAMPLES, contexts

# --------------------------------------------------------------------------- this playbook's examples (content)

# What the lecture points to for the playbook's own example products. A fork with other
# examples or traits turns these off with [tests] content_tests = false (company/playbook.toml).
EXPECTED = {  # example id -> (first in the ranking, the pair, automation level)
    "photo-tagging": ("model_correction", ["indirect_implicit", "model_correction"], "suggest_confirm"),
    # issue 22: users who tolerate one tap at most are asked for the one-tap rating, not a category
    "onboarding-flow": ("direct_implicit", ["direct_implicit", "binary_explicit"], "automatic_above_threshold"),
    "ticket-router": ("model_correction", ["direct_implicit", "model_correction"], "automatic_above_threshold"),
    "voice-assistant": ("direct_implicit", ["direct_implicit", "binary_explicit"], "automatic_above_threshold"),
    # issue 17: a background decision nobody sees asks nobody to rate it; a second reader adds no load
    "payment-hold": ("indirect_implicit", ["indirect_implicit"], "automatic_above_threshold"),
    "contract-review": ("model_correction", ["indirect_implicit", "model_correction"], "suggest_confirm"),
}


@pytest.mark.content
@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_playbook_examples_rank_as_the_lecture_suggests(example):
    first, pair, level = EXPECTED[example]
    r = feedback.from_input(EXAMPLES[example])
    assert (r.ranking[0]["mechanism"], r.combination["mechanisms"], r.automation["level"]) == (first, pair, level)


# --------------------------------------------------------------------------- rules that hold for any data file


def test_privacy_limits_never_raise_a_score():
    """Stricter privacy multiplies each score by 1 - sensitivity x penalty: never higher, lower where it bites."""
    know = feedback.knowledge()
    by_level = {
        p: {r["mechanism"]: r["score"] for r in feedback.recommend(privacy=p).ranking} for p in feedback.PRIVACY
    }
    penalty = know.context["privacy_penalty"]
    levels = sorted(feedback.PRIVACY, key=lambda p: penalty[p])
    for lo, hi in itertools.pairwise(levels):
        for m in know.mechanisms:
            assert by_level[hi][m.id] <= by_level[lo][m.id], (m.id, lo, hi)
            if m.privacy_sensitivity > 0 and penalty[hi] > penalty[lo] and by_level[lo][m.id] >= 1:
                assert by_level[hi][m.id] < by_level[lo][m.id], (m.id, lo, hi)


def test_combination_is_at_most_one_implicit_plus_one_trainer():
    know = feedback.knowledge()
    for ctx in [{}, *(e["input"] for e in feedback.examples()), {"natural_next_step": True}]:
        r = feedback.recommend(ctx)
        kinds = [know.mechanism(m).kind for m in r.combination["mechanisms"]]
        assert kinds.count("implicit") <= 1 and len(kinds) - kinds.count("implicit") <= 1, kinds
        assert (r.combination["trainer"] is None) == (kinds in ([], ["implicit"]))
        scores = {row["mechanism"]: row["score"] for row in r.ranking}
        if r.combination["implicit"]:
            assert scores[r.combination["implicit"]] >= know.weights["implicit_floor"]
        assert r.combination["why"]


# --------------------------------------------------------------------------- labels per week


def test_labels_per_week_from_the_data_files_traits():
    """users x interactions x response rate x usable share, with each mechanism's traits from the data file."""
    r = feedback.recommend(
        active_users=1234, interactions_per_user_per_week=7, output_editable=True, natural_next_step=True
    )
    for m in feedback.knowledge().mechanisms:
        assert_allclose(r.labels_per_week[m.id], 1234 * 7 * m.response_rate * m.usefulness, rtol=1e-12)
        assert r.assumptions["mechanisms"][m.id] == {
            "response_rate": m.response_rate,
            "usefulness": m.usefulness,
            "source": "data file",
            "available": True,
        }


def test_labels_per_week_with_overrides():
    know = feedback.knowledge()
    r = feedback.recommend(
        active_users=1000,
        interactions_per_user_per_week=2,
        assumptions={"free_text": {"response_rate": 0.1}, "binary_explicit": {"usefulness": 1}},
    )
    free, binary = know.mechanism("free_text"), know.mechanism("binary_explicit")
    assert_allclose(r.labels_per_week["free_text"], 1000 * 2 * 0.1 * free.usefulness, rtol=1e-12)
    assert_allclose(r.labels_per_week["binary_explicit"], 1000 * 2 * binary.response_rate * 1.0, rtol=1e-12)
    assert r.assumptions["mechanisms"]["free_text"]["source"] == "your input"


@pytest.mark.parametrize("visible", [True, False])
@pytest.mark.parametrize("editable", [True, False])
@pytest.mark.parametrize("next_step", [True, False])
def test_labels_need_what_the_mechanism_requires(visible, editable, next_step):
    """No labels from a mechanism the product cannot support; nobody edits or acts on an output they never see."""
    r = feedback.recommend(output_visible=visible, output_editable=editable, natural_next_step=next_step)
    have = {"visible_output": visible, "editable_output": visible and editable, "next_step": next_step}
    for m in feedback.knowledge().mechanisms:
        available = all(have[req] for req in m.requires)
        assert (r.labels_per_week[m.id] > 0) is available, m.id
        assert r.assumptions["mechanisms"][m.id]["available"] is available
        if m.kind != "implicit":  # explicit feedback and corrections ask about an output, so it must be seen
            assert "visible_output" in m.requires
    usable = [mid for mid in r.combination["mechanisms"] if r.assumptions["mechanisms"][mid]["available"]]
    assert usable == r.combination["mechanisms"], "the pair never names a mechanism the product cannot support"


# --------------------------------------------------------------------------- review load


def test_review_load_against_team_capacity():
    r = feedback.recommend(
        deferred_to="team",
        decisions_per_week=10_000,
        reviewer_capacity_per_week=100,
        cost_wrong=10,
        cost_ask=1,
        share_correct=0.85,
        score_concentration=5,
    )
    rl = r.review_load
    assert_allclose(rl["reviews_per_week"], 10_000 * r.automation["share_asked"], rtol=1e-12)
    assert_allclose(rl["utilisation"], rl["reviews_per_week"] / 100, rtol=1e-12)
    assert rl["fits"] is False
    assert rl["reviews_per_week_at_fit"] <= 100
    assert rl["threshold_that_fits"] < r.automation["threshold"]
    assert "Chow" in rl["rule"] and "1970" in rl["rule"]


@pytest.mark.parametrize("tolerance", feedback.TOLERANCES)
def test_review_load_by_users_uses_their_tolerance(tolerance):
    ctx = {
        "deferred_to": "users",
        "active_users": 300,
        "interactions_per_user_per_week": 4,
        "effort_tolerance": tolerance,
    }
    r = feedback.recommend(ctx)
    rl = r.review_load
    assert rl["deferred_to"] == "users"
    assert_allclose(rl["asks_per_user_per_week"], 4 * rl["share_asked"], rtol=1e-12)
    budget = feedback.knowledge().context["asks_per_user_week"][tolerance]
    assert rl["capacity_per_week"] == budget * 300


def test_decisions_per_week_defaults_to_users_times_interactions():
    r = feedback.recommend(active_users=300, interactions_per_user_per_week=4)
    assert r.review_load["decisions_per_week"] == 1200


# --------------------------------------------------------------------------- properties


@settings(max_examples=150, deadline=None)
@given(contexts)
def test_properties_of_any_product(ctx):
    r = feedback.from_input(ctx)
    scores = [row["score"] for row in r.ranking]
    assert all(0 <= s <= 100 for s in scores)
    # possible here first, then within the effort users tolerate, then by score
    order = [(not row["available"], not row["tolerated"], -row["score"]) for row in r.ranking]
    assert order == sorted(order)
    assert sorted(row["mechanism"] for row in r.ranking) == sorted(feedback.MECHANISM_IDS)
    a = r.automation
    assert 0 <= a["threshold"] <= 1 and a["level"] in feedback.LEVELS
    assert 0 <= a["share_automated"] <= 1
    assert all(math.isfinite(v) and v >= 0 for v in a["costs_per_1000"].values())
    json.dumps(r.to_dict(), allow_nan=False)


costs = st.floats(0, 1e6, allow_nan=False)


@given(costs, costs, costs)
def test_threshold_monotone_in_costs(c1, c2, other):
    lo, hi = sorted((c1, c2))
    # more expensive errors never lower the threshold; more expensive asking never raises it
    assert feedback.break_even_threshold(lo, other) <= feedback.break_even_threshold(hi, other)
    assert feedback.break_even_threshold(other, lo) >= feedback.break_even_threshold(other, hi)
    assert 0 <= feedback.break_even_threshold(c1, c2) <= 1
