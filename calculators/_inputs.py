"""Small, strict readers for JSON-like input values.

They accept what a form or a JSON file would hold (numbers as int/float, bools,
strings) and record a field-level error instead of raising, so that validation
can report every problem at once. NaN, infinities and bools-as-numbers are refused.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from .errors import Collector

MAX_TEXT = 200  # characters in any free-text field (names, ids)


def _shown(x: float, percent: bool, unit: str) -> str:
    """A bound in the field's units, as the page shows it: ``1%``, ``52 weeks``, ``3``."""
    if percent:
        return f"{x * 100:g}%"
    shown = f"{int(x):,}" if float(x).is_integer() and abs(x) < 1e15 else f"{x:,g}"
    return f"{shown} {unit}".strip()


def number(
    c: Collector,
    field: str,
    value: Any,
    *,
    lo: float | None = None,
    hi: float | None = None,
    integer: bool = False,
    label: str | None = None,
    reader: str | None = None,
    percent: bool = False,
    unit: str = "",
) -> float | None:
    """Return ``value`` as a finite number within ``[lo, hi]``, or record why not.

    ``label`` names the field in the path-based message for programs; ``reader`` is the
    field's label as the page shows it (with a task's name where it has one), used for
    the message the page shows, which states the range in the field's units
    (``percent``: the input holds a fraction and the page shows a percentage).

    Examples
    --------
    >>> from calculators.errors import Collector
    >>> c = Collector()
    >>> number(c, "share_correct", 90, lo=0.01, hi=0.999, reader="Share of correct outputs", percent=True)
    >>> c.errors[0].message
    'share_correct (90) must be between 0.01 and 0.999'
    >>> c.errors[0].reader
    'Share of correct outputs must be between 1% and 99.9%.'
    """
    name = label or field.rsplit(".", 1)[-1]

    def fail(message: str, plain: str) -> None:
        c.add(field, message, reader=f"{reader} {plain}." if reader else "")

    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, str):
            try:
                value = float(value.strip()) if value.strip() else None
            except ValueError:
                value = None
            if value is None:
                fail(f"{name} must be a number", "must be a number")
                return None
        else:
            fail(f"{name} must be a number, not {type(value).__name__}", "must be a number")
            return None
    if not math.isfinite(value):
        fail(f"{name} must be a finite number", "must be a number")
        return None
    if integer and value != int(value):
        fail(f"{name} ({value:g}) must be a whole number", "must be a whole number")
        return None
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        if lo is not None and hi is not None:
            rule, plain = (
                f"between {lo:g} and {hi:g}",
                f"between {_shown(lo, percent, unit)} and {_shown(hi, percent, unit)}",
            )
        elif lo is not None:
            rule, plain = f"at least {lo:g}", f"at least {_shown(lo, percent, unit)}"
        else:
            assert hi is not None
            rule, plain = f"at most {hi:g}", f"at most {_shown(hi, percent, unit)}"
        fail(f"{name} ({value:g}) must be {rule}", f"must be {plain}")
        return None
    return int(value) if integer else float(value)


def text(c: Collector, field: str, value: Any, *, max_len: int = MAX_TEXT, label: str | None = None) -> str | None:
    """Return ``value`` as a stripped string of at most ``max_len`` characters."""
    name = label or field.rsplit(".", 1)[-1]
    if not isinstance(value, str):
        c.add(field, f"{name} must be text, not {type(value).__name__}")
        return None
    value = value.strip()
    if len(value) > max_len:
        c.add(field, f"{name} is {len(value):,} characters long; the limit is {max_len}")
        return None
    return str(value)


def choice(
    c: Collector, field: str, value: Any, options: Sequence[str], *, label: str | None = None, reader: str | None = None
) -> str | None:
    """Return ``value`` if it is one of ``options``; ``reader`` is the field's label on the page."""
    name = label or field.rsplit(".", 1)[-1]
    if not isinstance(value, str) or value not in options:
        shown = value if isinstance(value, str) and len(value) <= 40 else type(value).__name__
        c.add(
            field,
            f"{name} must be one of {', '.join(options)} (got {shown!r})",
            reader=f"Choose one of the options for {reader}." if reader else "",
        )
        return None
    return value


def boolean(c: Collector, field: str, value: Any, *, label: str | None = None) -> bool | None:
    name = label or field.rsplit(".", 1)[-1]
    if not isinstance(value, bool):
        c.add(field, f"{name} must be true or false")
        return None
    return value


def mapping(c: Collector, field: str, value: Any) -> Mapping[str, Any] | None:
    if not isinstance(value, Mapping):
        c.add(field, f"{field or 'input'} must be an object, not {type(value).__name__}")
        return None
    return value


def unknown_keys(c: Collector, prefix: str, value: Mapping[str, Any], allowed: Sequence[str]) -> None:
    """Record an error for every key of ``value`` that is not in ``allowed``."""
    for key in value:
        if key not in allowed:
            shown = key if isinstance(key, str) and len(key) <= 40 else "(long key)"
            c.add(
                f"{prefix}.{shown}" if prefix else str(shown),
                f"unknown field {shown!r}; expected one of {', '.join(allowed)}",
            )
