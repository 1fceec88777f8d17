"""Archetype fit: which of the ML organisation archetypes a company resembles.

A short questionnaire locates the organisation on a few dimensions (ML maturity,
research orientation, closeness to product, centralisation, leadership backing,
data and model ownership, software at the core). Each archetype has a profile on
the same dimensions; the closer the answers sit to a profile, the higher its fit.
Questions, answers, profiles, design choices and contradiction rules all live in
``calculators/data/archetypes.toml`` so that a fork can change them.

One job per module, the same in every calculator: :mod:`.knowledge` (the data file),
:mod:`.form` (the form, the examples, the default and blank inputs), :mod:`.inputs`
(validation into a frozen :class:`Inputs`), :mod:`.model` (numpy, the scoring),
:mod:`.result` (the result and its prose), :mod:`.view` (view blocks, the charter),
:mod:`.charts` (Altair templates, build time only). This module only re-exports.
"""

from __future__ import annotations

from .form import blank_input, default_input, examples, form
from .inputs import MAX_RESPONDENTS, Inputs, Respondent, parse
from .knowledge import DATA_FILE, Knowledge, load_knowledge
from .model import BASELINE
from .result import ArchetypeResult, assess, compute, fit, from_input, points
from .view import charter, profiles, render

NAME = "archetype"
TITLE = "Archetype fit"
DESCRIPTION = "Score questionnaire answers against the ML organisation archetypes."
CHARTS_MODULE = "calculators.archetype.charts"

__all__ = [
    "BASELINE",
    "CHARTS_MODULE",
    "DATA_FILE",
    "DESCRIPTION",
    "MAX_RESPONDENTS",
    "NAME",
    "TITLE",
    "ArchetypeResult",
    "Inputs",
    "Knowledge",
    "Respondent",
    "assess",
    "blank_input",
    "charter",
    "compute",
    "default_input",
    "examples",
    "fit",
    "form",
    "from_input",
    "load_knowledge",
    "parse",
    "points",
    "profiles",
    "render",
]
