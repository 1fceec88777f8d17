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

One job per module, the same in every calculator: :mod:`.knowledge` (the data file
``calculators/data/feedback.toml`` and the fixed vocabulary), :mod:`.form` (the form, the
example products, the default input), :mod:`.inputs` (validation into a frozen
:class:`Product`), :mod:`.model` (numbers, numpy only), :mod:`.result` (the result and its
prose), :mod:`.view` (view blocks), :mod:`.charts` (Altair, build time). This module only
re-exports.
"""

from __future__ import annotations

from .form import default_input, examples, form
from .inputs import DEFAULTS, RANGES, Product, parse
from .knowledge import (
    DATA_FILE,
    DEFERRED_TO,
    INTERFACES,
    KINDS,
    LEVEL_NAMES,
    LEVELS,
    MECHANISM_IDS,
    PRIVACY,
    SCORE_FACTORS,
    SPEEDS,
    TOLERANCES,
    Knowledge,
    Mechanism,
    knowledge,
    load_knowledge,
    mechanisms,
)
from .model import break_even_threshold
from .result import FeedbackResult, compute, from_input, recommend
from .view import render

NAME = "feedback"
TITLE = "Feedback picker"
DESCRIPTION = "Rank user-feedback mechanisms and an automation level for a product."
CHARTS_MODULE = "calculators.feedback.charts"
blank_input = None  # no blank start: every field has a default (see calculators._contract.Calculator)

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
    "SCORE_FACTORS",
    "SPEEDS",
    "TITLE",
    "TOLERANCES",
    "FeedbackResult",
    "Knowledge",
    "Mechanism",
    "Product",
    "break_even_threshold",
    "compute",
    "default_input",
    "examples",
    "form",
    "from_input",
    "knowledge",
    "load_knowledge",
    "mechanisms",
    "parse",
    "recommend",
    "render",
]
