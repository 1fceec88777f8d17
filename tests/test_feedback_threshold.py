"""Tests of the feedback picker's threshold (calculators/feedback/): when to act, suggest or ask.

The break-even threshold's closed form and the costs it refuses; the levels of automation
(automatic, above the threshold, a person decides) and when each applies; the expected cost
curve at its ends and its minimum (Chow's rule), checked against a numerical integral; and the
incomplete beta function the costs rest on, against its closed forms.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose

from calculators import feedback
from calculators.errors import InputError

# --------------------------------------------------------------------------- the threshold


@pytest.mark.parametrize(
    "cost_wrong, cost_ask, expected",
    [
        (10, 1, 0.9),
        (50, 0.5, 0.99),
        (2, 1, 0.5),
        (4, 3, 0.25),
        (1, 1, 0.0),  # asking costs as much as an error: never ask
        (1, 5, 0.0),  # asking costs more than an error: never ask
        (0, 0, 0.0),  # nothing to gain either way: act
        (0, 3, 0.0),  # errors are free: act
        (5, 0, 1.0),  # asking is free: always ask
        (1e9, 1e-9, 1 - 1e-18),
    ],
)
def test_break_even_threshold_closed_form(cost_wrong, cost_ask, expected):
    p = feedback.break_even_threshold(cost_wrong, cost_ask)
    assert_allclose(p, expected, rtol=0, atol=1e-12)
    r = feedback.recommend(cost_wrong=cost_wrong, cost_ask=cost_ask)
    assert r.automation["threshold"] == p


@pytest.mark.parametrize("args", [(-1, 1), (1, -1), (math.nan, 1), (1, math.inf), ("1", 1), (True, 1)])
def test_break_even_threshold_refuses_bad_costs(args):
    with pytest.raises(InputError, match="must be a finite number of at least 0"):
        feedback.break_even_threshold(*args)


def test_asking_never_pays_means_automatic():
    r = feedback.recommend(cost_wrong=1, cost_ask=2)
    assert r.automation["level"] == "automatic"
    assert r.automation["share_automated"] == 1.0
    assert r.review_load["reviews_per_week"] == 0


def test_high_stakes_never_fully_automatic():
    assert (
        feedback.recommend(cost_wrong=1, cost_ask=2, high_stakes=True).automation["level"]
        == "automatic_above_threshold"
    )


@pytest.mark.parametrize(
    "ctx, why",
    [
        ({"deferred_to": "users", "output_editable": False, "interface": "screen"}, "nowhere to show"),
        ({"deferred_to": "team", "share_correct": "too low"}, "right too rarely"),
    ],
)
def test_person_decides_when_suggestions_cannot_help(ctx, why):
    a_cfg = feedback.knowledge().automation
    if ctx.get("share_correct") == "too low":
        ctx = {**ctx, "share_correct": max(0.01, a_cfg["min_accuracy_to_suggest"] - 0.2)}
    else:
        ctx = {**ctx, "share_correct": max(0.01, a_cfg["min_accuracy_to_suggest"])}
    # asking is nearly free, so almost no output clears the break-even threshold
    a = feedback.recommend({**ctx, "cost_wrong": 1e6, "cost_ask": 1e-3, "score_concentration": 2}).automation
    assert a["level"] == "human_decides"
    assert why in a["reasons"][-1]


def test_no_review_capacity():
    r = feedback.recommend(deferred_to="team", reviewer_capacity_per_week=0)
    rl = r.review_load
    assert rl["utilisation"] is None and rl["fits"] is False
    assert rl["threshold_that_fits"] == 0.0 and rl["reviews_per_week_at_fit"] == 0.0
    table = next(b for b in feedback.render(r) if b["type"] == "table" and b["caption"].startswith("Reviews"))
    assert ["Used", "no capacity"] in table["rows"]


def test_cost_curve_ends_and_minimum():
    cw, ca, m = 20.0, 2.0, 0.8
    r = feedback.recommend(cost_wrong=cw, cost_ask=ca, share_correct=m, score_concentration=4)
    a = r.automation
    curve = a["cost_curve"]
    assert curve[0]["threshold"] == 0 and curve[-1]["threshold"] == 1
    assert_allclose(curve[0]["cost_per_1000"], 1000 * cw * (1 - m), rtol=1e-9)  # act on everything
    assert_allclose(curve[-1]["cost_per_1000"], 1000 * ca, rtol=1e-9)  # ask about everything
    assert_allclose(a["costs_per_1000"]["automatic"], 1000 * cw * (1 - m), rtol=1e-12)
    assert_allclose(a["costs_per_1000"]["suggest_confirm"], 1000 * ca, rtol=1e-12)
    # Chow's rule: the break-even threshold minimises the expected cost over all thresholds
    best = a["costs_per_1000"]["automatic_above_threshold"]
    assert all(best <= row["cost_per_1000"] + 1e-9 for row in curve)


def test_cost_at_threshold_matches_numerical_integration():
    """E[cost] from the incomplete beta equals a brute-force integral over the Beta density."""
    cw, ca, m, k = 10.0, 1.0, 0.85, 5.0
    a, b = k * m, k * (1 - m)
    s = np.linspace(0, 1, 2_000_001)[1:-1]
    log_pdf = (a - 1) * np.log(s) + (b - 1) * np.log1p(-s) - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    w = np.exp(log_pdf)
    w /= w.sum()
    p = 1 - ca / cw
    expected = 1000 * (cw * np.sum(w * (1 - s) * (s >= p)) + ca * np.sum(w * (s < p)))
    got = feedback.recommend(cost_wrong=cw, cost_ask=ca, share_correct=m, score_concentration=k)
    assert_allclose(got.automation["costs_per_1000"]["automatic_above_threshold"], expected, rtol=2e-3)


@pytest.mark.parametrize("a, b", [(1.0, 1.0), (2.5, 1.0), (1.0, 0.7), (0.6, 0.4), (300.0, 20.0)])
def test_incomplete_beta_against_closed_forms(a, b):
    x = np.linspace(0, 1, 41)
    got = feedback.model.betainc(a, b, x)
    if a == 1.0:
        assert_allclose(got, 1 - (1 - x) ** b, atol=1e-10)
    elif b == 1.0:
        assert_allclose(got, x**a, atol=1e-10)
    # symmetry I_x(a, b) = 1 - I_{1-x}(b, a), and monotone
    assert_allclose(got, 1 - feedback.model.betainc(b, a, 1 - x), atol=1e-10)
    assert np.all(np.diff(got) >= -1e-12)
