"""Validate a product description (the page's JSON input); every problem at once.

Each input key has a default, so ``{}`` is a valid product. :func:`parse` returns a frozen
:class:`Product` with every default filled in, or raises :class:`~calculators.errors.InputError`
listing each problem with a path-based ``message`` for programs and a ``reader`` text
for the page (the field's label as the page shows it, the range in its units).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import _inputs
from ..errors import Collector, FieldError
from .knowledge import CHOICES_OF, MECHANISM_IDS, Knowledge, knowledge

__all__ = ["ASSUMPTION_KEYS", "DEFAULTS", "LABELS", "PERCENT", "RANGES", "TOLERANCE_WORDS", "Product", "parse"]


@dataclass(frozen=True)
class Product:
    """A validated product description: every field of the page's input, defaults filled in.

    ``decisions_per_week`` is filled in (active users x interactions per user) when the input
    leaves it out; ``assumptions`` maps a mechanism id to its overridden ``response_rate`` and
    ``usefulness`` (shares 0-1).
    """

    interactions_per_user_per_week: float
    active_users: int
    decisions_per_week: float
    cost_wrong: float
    cost_ask: float
    share_correct: float
    score_concentration: float
    reviewer_capacity_per_week: float
    effort_tolerance: str
    learning_speed: str
    interface: str
    privacy: str
    deferred_to: str
    output_visible: bool
    output_editable: bool
    natural_next_step: bool
    correction_in_normal_use: bool
    reviewed_in_workflow: bool
    high_stakes: bool
    cost_unit: str
    assumptions: Mapping[str, Mapping[str, float]]


#: Input fields and their defaults, so that ``{}`` is a valid product.
DEFAULTS: dict[str, Any] = {
    "interactions_per_user_per_week": 10,
    "active_users": 1000,
    "decisions_per_week": None,  # None: active_users x interactions_per_user_per_week
    "output_visible": True,
    "output_editable": True,
    "natural_next_step": False,
    "correction_in_normal_use": False,
    "reviewed_in_workflow": False,
    "effort_tolerance": "low",
    "learning_speed": "weeks",
    "interface": "screen",
    "privacy": "some",
    "high_stakes": False,
    "cost_wrong": 10,
    "cost_ask": 1,
    "cost_unit": "units",
    "share_correct": 0.85,
    "score_concentration": 5,
    "deferred_to": "team",
    "reviewer_capacity_per_week": 500,
    "assumptions": {},
}

#: Numeric input fields: (low, high, whole number).
RANGES: dict[str, tuple[float, float, bool]] = {
    "interactions_per_user_per_week": (0, 10_000, False),
    "active_users": (1, 1e10, True),
    "decisions_per_week": (0, 1e12, False),
    "cost_wrong": (0, 1e9, False),
    "cost_ask": (0, 1e9, False),
    "share_correct": (0.01, 0.999, False),
    "score_concentration": (0.5, 1000, False),
    "reviewer_capacity_per_week": (0, 1e12, False),
}
#: Fields that hold a share 0-1 and that the page shows as a percentage.
PERCENT = frozenset({"share_correct"})
#: Units the page shows beside a number (and the reader's error states).
UNITS: dict[str, str] = {}
MAX_UNIT = 20  # characters in the cost unit
BOOLEANS = (
    "output_visible",
    "output_editable",
    "natural_next_step",
    "correction_in_normal_use",
    "reviewed_in_workflow",
    "high_stakes",
)
ASSUMPTION_KEYS = ("response_rate", "usefulness")

#: Each field's label as the page shows it (the form and the reader's errors use the same words).
LABELS: dict[str, str] = {
    "active_users": "Active users",
    "interactions_per_user_per_week": "Interactions per user per week",
    "decisions_per_week": "Decisions per week",
    "output_visible": "Users see the model's output",
    "output_editable": "Users can change, accept or reject the output where they work",
    "natural_next_step": "There is a natural next step to observe",
    "correction_in_normal_use": "Fixing the output is part of normal use",
    "reviewed_in_workflow": "A person already reviews every output as part of their job",
    "effort_tolerance": "Effort users tolerate",
    "learning_speed": "How fast the product must learn",
    "interface": "Interface",
    "privacy": "Privacy limits",
    "cost_wrong": "Cost of a wrong automatic output",
    "cost_ask": "Cost of asking a person once",
    "cost_unit": "Cost unit",
    "high_stakes": "High stakes (health, money, safety, legal)",
    "share_correct": "Share of correct outputs",
    "score_concentration": "Score concentration",
    "deferred_to": "Who handles the outputs the model does not act on",
    "reviewer_capacity_per_week": "Reviews the team can do per week",
}
ASSUMPTION_LABELS = {"response_rate": "response rate", "usefulness": "usable share"}
#: The effort each tolerance level stands for, in the form's words (the data file gives each a number,
#: [context] effort_tolerance, and checks every mechanism's effort against them).
TOLERANCE_WORDS = {"low": "one tap at most", "medium": "a few taps", "high": "they will write or fix things"}


def assumption_label(name: str, key: str) -> str:
    """The page's label of an override field: ``"Model correction: response rate"``."""
    return f"{name}: {ASSUMPTION_LABELS[key]}"


def parse(data: Any, know: Knowledge | None = None) -> Product:
    """Validate a product description; return it with every default filled in, or raise InputError.

    ``know`` (default: the shipped data file) names each mechanism as the page shows it, for the
    reader's errors.

    >>> parse({"cost_wrong": 50}).cost_wrong, parse({}).decisions_per_week
    (50.0, 10000.0)
    """
    names = (know or knowledge()).names
    c = Collector()
    table = _inputs.mapping(c, "", data)
    c.raise_if_any()
    assert table is not None
    _inputs.unknown_keys(c, "", table, list(DEFAULTS))
    ctx: dict[str, Any] = {}
    for key, (lo, hi, whole) in RANGES.items():
        value = table.get(key, DEFAULTS[key])
        if key == "decisions_per_week" and value is None:
            ctx[key] = None
            continue
        ctx[key] = _inputs.number(
            c,
            key,
            value,
            lo=lo,
            hi=hi,
            integer=whole,
            reader=LABELS[key],
            percent=key in PERCENT,
            unit=UNITS.get(key, ""),
        )
    for key, options in CHOICES_OF.items():
        ctx[key] = _inputs.choice(c, key, table.get(key, DEFAULTS[key]), options, reader=LABELS[key])
    for key in BOOLEANS:
        ctx[key] = _boolean(c, key, table.get(key, DEFAULTS[key]))
    unit = table.get("cost_unit", DEFAULTS["cost_unit"])
    if isinstance(unit, str) and len(unit.strip()) > MAX_UNIT:
        c.add(
            "cost_unit",
            f"cost_unit is {len(unit.strip())} characters long; the limit is {MAX_UNIT}",
            reader=f"{LABELS['cost_unit']} must be at most {MAX_UNIT} characters.",
        )
        ctx["cost_unit"] = None
    else:
        ctx["cost_unit"] = _inputs.text(c, "cost_unit", unit, max_len=MAX_UNIT)
    ctx["assumptions"] = _assumptions(c, table.get("assumptions", {}), names)
    c.errors = [_readable(e) for e in c.errors]
    c.raise_if_any()
    if ctx["decisions_per_week"] is None:
        ctx["decisions_per_week"] = float(ctx["active_users"] * ctx["interactions_per_user_per_week"])
    ctx["cost_unit"] = ctx["cost_unit"] or DEFAULTS["cost_unit"]
    return Product(**ctx)


_BIG = re.compile(r"\b\d+(?:\.\d+)?e\+\d+\b|\b\d{5,}\b")


def _readable(e: FieldError) -> FieldError:
    """The reader's message with large numbers written out: ``1e+09`` -> ``1,000,000,000``, ``10000`` -> ``10,000``.

    >>> _readable(FieldError("cost_ask", "x", "Cost must be between 0 and 1e+09.")).reader
    'Cost must be between 0 and 1,000,000,000.'
    """
    if not e.reader:
        return e
    return FieldError(e.field, e.message, _BIG.sub(lambda m: f"{float(m.group()):,.0f}", e.reader))


def _boolean(c: Collector, key: str, value: Any) -> bool | None:
    if not isinstance(value, bool):
        c.add(key, f"{key} must be true or false", reader=f"{LABELS[key]}: tick the box or leave it empty.")
        return None
    return value


def _assumptions(c: Collector, value: Any, names: Mapping[str, str]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    table = _inputs.mapping(c, "assumptions", value)
    if table is None:
        return out
    _inputs.unknown_keys(c, "assumptions", table, MECHANISM_IDS)
    for mid in MECHANISM_IDS:
        if mid not in table:
            continue
        f = f"assumptions.{mid}"
        entry = _inputs.mapping(c, f, table[mid])
        if entry is None:
            continue
        _inputs.unknown_keys(c, f, entry, ASSUMPTION_KEYS)
        out[mid] = {}
        for key in ASSUMPTION_KEYS:
            if key in entry:
                v = _inputs.number(
                    c,
                    f"{f}.{key}",
                    entry[key],
                    lo=0,
                    hi=1,
                    label=f"{mid}: {key}",
                    reader=assumption_label(names.get(mid, mid), key),
                    percent=True,
                )
                if v is not None:
                    out[mid][key] = v
    return out
