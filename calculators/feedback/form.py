"""The picker's form, its example products and the input the page starts from.

Labels come from :data:`calculators.feedback.inputs.LABELS`, so the form and the
reader's error messages use the same words. Shares are percent fields: the input
holds a fraction, the page shows and accepts a percentage (``forms.parse_percent``).
The example products come from the data file and are checked with the page's own
rules (:func:`check_examples`), once per process for the shipped file.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from typing import Any

from .. import forms
from ..errors import DataFileError, InputError
from .inputs import ASSUMPTION_KEYS, DEFAULTS, LABELS, PERCENT, RANGES, TOLERANCE_WORDS, assumption_label, parse
from .knowledge import DATA_FILE, TOLERANCES, Knowledge, knowledge

__all__ = ["check_examples", "default_input", "examples", "form"]


def check_examples(know: Knowledge, *, file: str = DATA_FILE) -> tuple[Mapping[str, Any], ...]:
    """The example products of ``know``, each input validated as the page's input is.

    Raises :class:`~calculators.errors.DataFileError` naming ``file`` and the example.
    """
    for e in know.examples:
        try:
            parse(e["input"], know)
        except InputError as exc:
            raise DataFileError(file, f"example {e['id']!r}", f"invalid input: {exc}") from None
    return know.examples


@functools.cache
def _shipped_examples() -> tuple[Mapping[str, Any], ...]:
    return check_examples(knowledge())


def examples() -> list[dict[str, Any]]:
    """The example products from the data file: ``[{"id", "label", "input"}]``."""
    return [{"id": e["id"], "label": e["label"], "input": dict(e["input"])} for e in _shipped_examples()]


def default_input() -> dict[str, Any]:
    """The input the page starts from: the first example product."""
    first: dict[str, Any] = examples()[0]["input"]
    return first


def _number(name: str, d: dict[str, Any], *, help: str = "", unit: str = "", **kw: Any) -> forms.Field:
    lo, hi, whole = RANGES[name]
    return forms.number(
        name,
        LABELS[name],
        default=d[name],
        min=lo,
        max=hi,
        step=kw.pop("step", 1 if whole else "any"),
        unit=unit,
        help=help,
        percent=name in PERCENT,
        **kw,
    )


def _check(name: str, d: dict[str, Any], help: str = "") -> forms.Field:
    return forms.checkbox(name, LABELS[name], default=d[name], help=help)


def form() -> list[forms.Field]:
    """The input form: usage, what users see and do, costs and confidence, review, assumptions."""
    d = {**DEFAULTS, **default_input()}
    return [_usage(d), _seeing(d), _costs(d), _review(d), _assumptions(knowledge())]


def _usage(d: dict[str, Any]) -> forms.Field:
    return forms.group(
        "Usage",
        [
            _number("active_users", d, unit="users", help="People who use the feature in a typical week."),
            _number(
                "interactions_per_user_per_week",
                d,
                help="Model outputs one user sees or triggers in a week.",
            ),
            forms.select(
                "effort_tolerance",
                LABELS["effort_tolerance"],
                [(t, f"{t.capitalize()}: {TOLERANCE_WORDS[t]}") for t in TOLERANCES],
                default=d["effort_tolerance"],
                help="Effort beyond normal use. Fixing a draft they were going to edit anyway is normal use.",
            ),
            forms.select(
                "learning_speed",
                LABELS["learning_speed"],
                [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")],
                default=d["learning_speed"],
            ),
        ],
    )


def _seeing(d: dict[str, Any]) -> forms.Field:
    return forms.group(
        "What users see and do",
        [
            _check(
                "output_visible",
                d,
                "Untick for a decision made in the background (a ranking, a filter, a risk check) that nobody sees.",
            ),
            _check("output_editable", d, "For example they can move, edit, accept or undo what the model did."),
            _check(
                "natural_next_step",
                d,
                "After an output the user clicks through, plays, completes a step or leaves.",
            ),
            _check(
                "correction_in_normal_use",
                d,
                "Moving an item or editing a draft the product wrote: the fix is the work, not an extra step.",
            ),
            _check(
                "reviewed_in_workflow",
                d,
                "A second reader, a moderator or an agent who checks every item anyway: their review is not "
                "extra work, and their final answer is a label.",
            ),
            forms.select(
                "interface",
                LABELS["interface"],
                [("screen", "Screen"), ("voice", "Voice"), ("api", "API")],
                default=d["interface"],
            ),
            forms.select(
                "privacy",
                LABELS["privacy"],
                [("none", "None"), ("some", "Some"), ("strict", "Strict (health, finance, children)")],
                default=d["privacy"],
            ),
        ],
    )


def _costs(d: dict[str, Any]) -> forms.Field:
    return forms.group(
        "Costs & confidence",
        [
            _number(
                "cost_wrong", d, help="In any unit (minutes, money), the same as the cost of asking a person once."
            ),
            _number("cost_ask", d, help="A confirmation or a review, in the same unit as a wrong output."),
            forms.text("cost_unit", LABELS["cost_unit"], default=d["cost_unit"], max_length=20, optional=True),
            _check("high_stakes", d),
            _number(
                "share_correct",
                d,
                help="How often the model is right. Its confidence scores are assumed calibrated: outputs "
                "it is 90% sure of are right 9 times in 10.",
            ),
            _number(
                "score_concentration",
                d,
                help="Low (2-5): many very sure and very unsure predictions. High (50+): most "
                "predictions about as sure as the average.",
            ),
        ],
    )


def _review(d: dict[str, Any]) -> forms.Field:
    return forms.group(
        "Review capacity",
        [
            forms.radio(
                "deferred_to",
                LABELS["deferred_to"],
                [("users", "The users themselves"), ("team", "A review team")],
                default=d["deferred_to"],
                optional=False,
            ),
            forms.number(
                "decisions_per_week",
                LABELS["decisions_per_week"],
                default=None,
                min=RANGES["decisions_per_week"][0],
                max=RANGES["decisions_per_week"][1],
                optional=True,
                help="Leave empty for active users x interactions per user.",
            ),
            _number("reviewer_capacity_per_week", d),
        ],
    )


def _assumptions(know: Knowledge) -> forms.Field:
    return forms.group(
        "Assumptions (optional)",
        [
            forms.number(
                f"assumptions.{m.id}.{key}",
                assumption_label(m.label, key),
                default=None,
                min=0,
                max=1,
                optional=True,
                percent=True,
                help=f"The data file says {getattr(m, key) * 100:g}%.",
            )
            for m in know.mechanisms
            for key in ASSUMPTION_KEYS
        ],
        open=False,
        help="Override the data file's response rate (share of outputs that get a response) or usable share "
        "(share of responses good enough to train on) for a mechanism.",
    )
