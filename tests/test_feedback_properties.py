"""Properties of the feedback picker that hold for any product and any data file (hypothesis).

Other traits fixed: a higher response rate never lowers a mechanism's score, at any volume, and
a fifty-fold difference keeps its closed-form lead however many users there are; tolerating more
effort never lowers a score; hiding the output never raises one; a review that is already part of
someone's job adds no load; a correction that is part of normal use never scores lower.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from calculators import feedback
from calculators.feedback import model

from .feedback_cases import TRAITS

KNOW = feedback.knowledge()
IDS = [m.id for m in KNOW.mechanisms]
ASKING = [m.id for m in KNOW.mechanisms if m.kind != "implicit"]  # explicit feedback and corrections

products = st.fixed_dictionaries(
    {
        "active_users": st.integers(1, 10**9),
        "interactions_per_user_per_week": st.floats(0.01, 10_000),
    },
    optional=TRAITS,
)


def _scores(ctx: dict) -> dict[str, float]:
    return {r["mechanism"]: r["score"] for r in feedback.recommend(ctx).ranking}


def _row(ctx: dict, mid: str) -> dict:
    return next(r for r in feedback.recommend(ctx).ranking if r["mechanism"] == mid)


@given(products, st.sampled_from(IDS), st.floats(0, 1), st.floats(0, 1))
def test_a_higher_response_rate_never_lowers_a_score(ctx, mid, a, b):
    lo, hi = sorted((a, b))
    low = _row({**ctx, "assumptions": {mid: {"response_rate": lo}}}, mid)["score"]
    high = _row({**ctx, "assumptions": {mid: {"response_rate": hi}}}, mid)["score"]
    assert high >= low


@given(products, st.sampled_from(IDS), st.floats(0, 1))
def test_fifty_times_the_response_keeps_its_lead_at_any_volume(ctx, mid, x):
    """The lead of a mechanism answered 50 times as often is at least the response factor's closed form."""
    m = KNOW.mechanism(mid)
    floor = KNOW.response_floor
    use = m.usefulness
    assume(use > 0)
    # a rate whose usable share r * use and 50 r * use both lie between the floor and 1
    lo_rate, hi_rate = floor / use, min(1.0, 1.0 / use) / 50
    assume(lo_rate < hi_rate)
    rate = lo_rate + x * (hi_rate - lo_rate)
    one = _row({**ctx, "assumptions": {mid: {"response_rate": rate}}}, mid)
    fifty = _row({**ctx, "assumptions": {mid: {"response_rate": 50 * rate}}}, mid)
    w = KNOW.weights
    total = sum(w[k] for k in feedback.SCORE_FACTORS)
    lead = 100 * w["response"] / total * math.log(50) / math.log(1 / floor) * one["gate"]
    assert fifty["score"] - one["score"] >= lead - 0.1 - 1e-9  # scores are rounded to 0.1


@given(products)
def test_tolerating_more_effort_never_lowers_a_score(ctx):
    levels = sorted(feedback.TOLERANCES, key=lambda t: KNOW.context["effort_tolerance"][t])
    by = [_scores({**ctx, "effort_tolerance": t}) for t in levels]
    for lower, higher, t in zip(by, by[1:], levels):
        for m in KNOW.mechanisms:
            assert higher[m.id] >= lower[m.id], (m.id, t)
    # and a high-effort mechanism gains what the effort factor's closed form says (scores are rounded to 0.1)
    tol = KNOW.context["effort_tolerance"]
    w = KNOW.weights
    total = sum(w[k] for k in feedback.SCORE_FACTORS)
    for m in KNOW.mechanisms:
        e = model.effort(m, feedback.parse({**ctx, "effort_tolerance": levels[0]}))
        if e <= tol[levels[0]]:
            continue
        factor = {t: 1 - max(0.0, e - tol[t]) / (1 - tol[t]) for t in (levels[0], levels[-1])}
        gate = _row({**ctx, "effort_tolerance": levels[0]}, m.id)["gate"]
        gain = 100 * w["effort"] / total * (factor[levels[-1]] - factor[levels[0]]) * gate
        assert by[-1][m.id] - by[0][m.id] >= gain - 0.1 - 1e-9, m.id


@given(products)
def test_hiding_the_output_never_raises_a_score(ctx):
    seen = _scores({**ctx, "output_visible": True})
    hidden = _scores({**ctx, "output_visible": False})
    for mid in IDS:
        assert hidden[mid] <= seen[mid], mid
    for mid in ASKING:  # nobody can rate or fix what they never see
        assert feedback.recommend({**ctx, "output_visible": False}).labels_per_week[mid] == 0


@given(products)
def test_a_review_already_in_the_job_adds_no_load(ctx):
    r = feedback.recommend({**ctx, "reviewed_in_workflow": True})
    assert r.review_load["reviews_per_week"] == 0
    assert r.review_load["fits"] is True


@given(products)
def test_a_correction_that_is_part_of_normal_use_never_scores_lower(ctx):
    extra = _scores({**ctx, "correction_in_normal_use": False, "reviewed_in_workflow": False})
    normal = _scores({**ctx, "correction_in_normal_use": True, "reviewed_in_workflow": False})
    for m in KNOW.mechanisms:
        if m.in_normal_use is not None:
            assert normal[m.id] >= extra[m.id], m.id
        else:
            assert normal[m.id] == extra[m.id], m.id


@pytest.mark.parametrize("mid", ASKING)
def test_data_file_keeps_asking_mechanisms_behind_a_visible_output(mid):
    assert "visible_output" in KNOW.mechanism(mid).requires


# --------------------------------------------------------------- effort is respected (issue 22, section 6)

#: The effort levels the form offers, in its order (the reader's words are the options' labels).
FORM_LEVELS = [
    o["value"] for g in feedback.form() for f in g["fields"] if f["name"] == "effort_tolerance" for o in f["options"]
]
ONE_TAP = "binary_explicit"  # the thumbs up or down
MORE_THAN_ONE_TAP = ("categorical_explicit", "free_text")  # choosing a category, writing text


@given(products, st.sampled_from(FORM_LEVELS))
def test_a_mechanism_asking_more_than_users_tolerate_ranks_below_every_one_within(ctx, level):
    """At every effort level of the form, among the mechanisms this product can support, each one
    that asks more than users tolerate ranks below each one that asks no more, whatever its score."""
    product = feedback.parse({**ctx, "effort_tolerance": level})
    tol = KNOW.context["effort_tolerance"][level]
    possible = [r for r in feedback.compute(product).ranking if r["available"]]
    asks = {r["mechanism"]: model.effort(KNOW.mechanism(r["mechanism"]), product) for r in possible}
    within = [r for r in possible if asks[r["mechanism"]] <= tol]
    beyond = [r for r in possible if asks[r["mechanism"]] > tol]
    for a in within:
        for b in beyond:
            assert a["rank"] < b["rank"], (level, a["mechanism"], a["score"], b["mechanism"], b["score"])


@given(products)
def test_at_one_tap_at_most_the_one_tap_rating_outranks_choosing_a_category_and_writing_text(ctx):
    """Users who tolerate one tap at most (the form's lowest level): where the product can show a
    rating, the thumbs up or down ranks above every mechanism needing more than one tap."""
    low = FORM_LEVELS[0]
    r = feedback.recommend({**ctx, "effort_tolerance": low, "output_visible": True})
    rank = {row["mechanism"]: row["rank"] for row in r.ranking}
    for mid in MORE_THAN_ONE_TAP:
        assert rank[ONE_TAP] < rank[mid], (mid, [(row["mechanism"], row["score"]) for row in r.ranking])


def test_the_form_offers_its_effort_levels_from_least_to_most_tolerated():
    tol = KNOW.context["effort_tolerance"]
    assert sorted(FORM_LEVELS, key=lambda t: tol[t]) == FORM_LEVELS and len(FORM_LEVELS) == len(feedback.TOLERANCES)
    assert "one tap" in next(
        o["label"]
        for g in feedback.form()
        for f in g["fields"]
        if f["name"] == "effort_tolerance"
        for o in f["options"]
    )
