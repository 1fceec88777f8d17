"""Feedback picker: which user feedback to collect for an ML product, and how much to automate.

Describe a product (how often people use it, whether they can edit what the
model produces, what a wrong automatic output costs against what asking costs,
how confident the model tends to be) and get:

* the six ways of collecting user feedback ranked for that product, with reasons;
* a combination: one implicit signal that everyone produces plus one explicit or
  correction signal that trains the model;
* usable labels per week for each mechanism, with the assumptions shown;
* an automation level (``automatic``, ``automatic_above_threshold``,
  ``suggest_confirm``, ``human_decides``) and the confidence threshold above which
  acting alone costs less than asking (Chow's reject option);
* the review load the level puts on users or on a review team;
* risks, and a logging spec (events and the matching PAIR and Microsoft guidelines).

One job per module: :mod:`.knowledge` (the data file ``calculators/data/feedback.toml``),
:mod:`.inputs` (validation), :mod:`.model` (numbers, numpy only), :mod:`.result` (the result
and its prose), :mod:`.form` and :mod:`.render` (the page), :mod:`.charts` (Altair, build time).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import forms, view
from . import inputs as _inputs
from . import result as _result
from .form import form as _form
from .inputs import DEFAULTS, RANGES
from .knowledge import Knowledge, Mechanism, default_input, examples, knowledge, load_knowledge, mechanisms
from .model import break_even_threshold
from .render import render as _render
from .result import FeedbackResult
from .schema import (
    DATA_FILE,
    DEFERRED_TO,
    INTERFACES,
    KINDS,
    LEVEL_NAMES,
    LEVELS,
    MECHANISM_IDS,
    PRIVACY,
    SPEEDS,
    TOLERANCES,
)

__all__ = [
    "CHARTS_MODULE",
    "DATA_FILE",
    "DEFAULTS",
    "DEFERRED_TO",
    "DESCRIPTION",
    "INTERFACES",
    "KINDS",
    "LEVELS",
    "LEVEL_NAMES",
    "MECHANISM_IDS",
    "NAME",
    "PRIVACY",
    "RANGES",
    "SPEEDS",
    "TITLE",
    "TOLERANCES",
    "FeedbackResult",
    "Knowledge",
    "Mechanism",
    "break_even_threshold",
    "compute",
    "default_input",
    "examples",
    "form",
    "from_input",
    "load_knowledge",
    "mechanisms",
    "parse",
    "recommend",
    "render",
]

NAME = "feedback"
TITLE = "Feedback picker"
DESCRIPTION = "Rank user-feedback mechanisms and an automation level for a product."
CHARTS_MODULE = "calculators.feedback.charts"


def form() -> list[forms.Field]:
    """The input form: usage, interface, costs and confidence, review capacity, assumptions."""
    return _form()


def parse(data: Any) -> dict[str, Any]:
    """Validate the JSON input (a product context); every problem at once."""
    return _inputs.parse(data, knowledge().names)


def compute(ctx: dict[str, Any]) -> FeedbackResult:
    """Recommend for a context that :func:`parse` validated."""
    return _result.compute(ctx, knowledge())


def from_input(data: Any) -> FeedbackResult:
    """Validate the JSON input (a product context), then compute the recommendation."""
    return compute(parse(data))


def render(result: FeedbackResult) -> list[view.Block]:
    """The result as view blocks."""
    return _render(result)


def recommend(context: Mapping[str, Any] | None = None, /, **options: Any) -> FeedbackResult:
    """Rank feedback mechanisms and pick an automation level for a product.

    Parameters
    ----------
    context : mapping, optional
        The product, as the page's JSON input (every key has a default; see
        :data:`DEFAULTS`). Keyword ``options`` override keys of ``context``.

    Returns
    -------
    FeedbackResult

    Examples
    --------
    >>> r = recommend(output_editable=True, cost_wrong=50, cost_ask=0.5, share_correct=0.9,
    ...               score_concentration=20, deferred_to="users")
    >>> r.automation["threshold"]  # 1 - 0.5 / 50
    0.99
    >>> [row["rank"] for row in r.ranking] == list(range(1, len(MECHANISM_IDS) + 1))
    True
    >>> recommend(cost_ask=-1)
    Traceback (most recent call last):
    ...
    calculators.errors.InputError: cost_ask: cost_ask (-1) must be between 0 and 1e+09
    """
    return from_input({**dict(context or {}), **options})


_knowledge = knowledge  # the name the older tests and notebooks used
