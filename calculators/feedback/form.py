"""The picker's form: the questions a product team answers, as page fields.

Labels come from :data:`calculators.feedback.inputs.LABELS`, so the form and the
reader's error messages use the same words.
"""

from __future__ import annotations

from .. import forms
from .inputs import DEFAULTS
from .knowledge import default_input, knowledge

__all__ = ["form"]


def form() -> list[forms.Field]:
    """The input form: usage, interface, costs & confidence, review capacity, assumptions."""
    d = {**DEFAULTS, **default_input()}
    know = knowledge()
    return [
        forms.group(
            "Usage",
            [
                forms.number(
                    "active_users",
                    "Active users",
                    default=d["active_users"],
                    min=1,
                    max=1e10,
                    step=1,
                    unit="users",
                    help="People who use the feature in a typical week.",
                ),
                forms.number(
                    "interactions_per_user_per_week",
                    "Interactions per user",
                    unit="per week",
                    default=d["interactions_per_user_per_week"],
                    min=0,
                    max=10_000,
                    help="Model outputs one user sees or triggers in a week.",
                ),
                forms.checkbox(
                    "natural_next_step",
                    "There is a natural next step to observe",
                    default=d["natural_next_step"],
                    help="After an output the user clicks through, plays, completes a step or leaves.",
                ),
                forms.select(
                    "effort_tolerance",
                    "Effort users tolerate",
                    [
                        ("low", "Low: one tap at most"),
                        ("medium", "Medium: a few taps"),
                        ("high", "High: they will write or fix things"),
                    ],
                    default=d["effort_tolerance"],
                ),
                forms.select(
                    "learning_speed",
                    "How fast the product must learn",
                    [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
                    default=d["learning_speed"],
                ),
            ],
        ),
        forms.group(
            "Interface",
            [
                forms.select(
                    "interface",
                    "Interface",
                    [("screen", "Screen"), ("voice", "Voice"), ("api", "API")],
                    default=d["interface"],
                ),
                forms.checkbox(
                    "output_editable",
                    "The output is visible and editable where the user works",
                    default=d["output_editable"],
                ),
                forms.select(
                    "privacy",
                    "Privacy limits",
                    [("none", "None"), ("some", "Some"), ("strict", "Strict (health, finance, children)")],
                    default=d["privacy"],
                ),
            ],
        ),
        forms.group(
            "Costs & confidence",
            [
                forms.number(
                    "cost_wrong",
                    "Cost of a wrong automatic output",
                    default=d["cost_wrong"],
                    min=0,
                    max=1e9,
                    help="In any unit (minutes, money), the same as the cost of asking.",
                ),
                forms.number(
                    "cost_ask",
                    "Cost of asking a person once",
                    default=d["cost_ask"],
                    min=0,
                    max=1e9,
                    help="A confirmation or a review, in the same unit as a wrong output.",
                ),
                forms.text("cost_unit", "Cost unit", default=d["cost_unit"], max_length=20, optional=True),
                forms.checkbox("high_stakes", "High stakes (health, money, safety, legal)", default=d["high_stakes"]),
                forms.number(
                    "share_correct",
                    "Share of predictions that are correct",
                    default=d["share_correct"],
                    min=0.01,
                    max=0.999,
                    step=0.01,
                    help="The model's accuracy; scores are assumed calibrated (0.9 is right 9 times in 10).",
                ),
                forms.number(
                    "score_concentration",
                    "Score concentration",
                    default=d["score_concentration"],
                    min=0.5,
                    max=1000,
                    help="Low (2-5): many very sure and very unsure predictions. High (50+): most "
                    "predictions about as sure as the average.",
                ),
            ],
        ),
        forms.group(
            "Review capacity",
            [
                forms.radio(
                    "deferred_to",
                    "Who handles the outputs the model does not act on",
                    [("users", "The users themselves"), ("team", "A review team")],
                    default=d["deferred_to"],
                    optional=False,
                ),
                forms.number(
                    "decisions_per_week",
                    "Decisions per week",
                    default=None,
                    min=0,
                    max=1e12,
                    optional=True,
                    help="Leave empty for active users x interactions per user.",
                ),
                forms.number(
                    "reviewer_capacity_per_week",
                    "Reviews the team can do",
                    unit="per week",
                    default=d["reviewer_capacity_per_week"],
                    min=0,
                    max=1e12,
                ),
            ],
        ),
        forms.group(
            "Assumptions (optional)",
            [
                forms.number(
                    f"assumptions.{m.id}.{key}",
                    f"{m.name}: {key.replace('_', ' ')}",
                    default=None,
                    min=0,
                    max=1,
                    step=0.001,
                    optional=True,
                    help=f"Data file value: {getattr(m, key):g}",
                )
                for m in know.mechanisms
                for key in ("response_rate", "usefulness")
            ],
            open=False,
            help="Override the data file's response rate or usefulness for a mechanism.",
        ),
    ]
