"""Inputs shared by the feedback picker's test files (calculators/feedback/).

The data file's examples by id, and a hypothesis strategy that draws
any product the picker accepts. Kept here once so that test_feedback.py,
test_feedback_api.py and test_feedback_reader.py read the same values.
"""

from __future__ import annotations

from hypothesis import strategies as st

from calculators import feedback

EXAMPLES = {e["id"]: e["input"] for e in feedback.examples()}


#: The product's traits, each optional: any value the form accepts.
TRAITS = {
    "output_visible": st.booleans(),
    "output_editable": st.booleans(),
    "natural_next_step": st.booleans(),
    "correction_in_normal_use": st.booleans(),
    "reviewed_in_workflow": st.booleans(),
    "effort_tolerance": st.sampled_from(feedback.TOLERANCES),
    "learning_speed": st.sampled_from(feedback.SPEEDS),
    "interface": st.sampled_from(feedback.INTERFACES),
    "privacy": st.sampled_from(feedback.PRIVACY),
    "high_stakes": st.booleans(),
    "deferred_to": st.sampled_from(feedback.DEFERRED_TO),
}

contexts = st.fixed_dictionaries(
    {},
    optional={
        "interactions_per_user_per_week": st.floats(0, 10_000),
        "active_users": st.integers(1, 10**9),
        **TRAITS,
        "cost_wrong": st.floats(0, 1e6),
        "cost_ask": st.floats(0, 1e6),
        "share_correct": st.floats(0.01, 0.999),
        "score_concentration": st.floats(0.5, 1000),
        "reviewer_capacity_per_week": st.floats(0, 1e9),
    },
)
