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


def number(
    c: Collector,
    field: str,
    value: Any,
    *,
    lo: float | None = None,
    hi: float | None = None,
    integer: bool = False,
    label: str | None = None,
) -> float | None:
    """Return ``value`` as a finite number within ``[lo, hi]``, or record why not."""
    name = label or field.rsplit(".", 1)[-1]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        if isinstance(value, str):
            try:
                value = float(value.strip()) if value.strip() else None
            except ValueError:
                value = None
            if value is None:
                c.add(field, f"{name} must be a number")
                return None
        else:
            c.add(field, f"{name} must be a number, not {type(value).__name__}")
            return None
    if not math.isfinite(value):
        c.add(field, f"{name} must be a finite number")
        return None
    if integer and value != int(value):
        c.add(field, f"{name} ({value:g}) must be a whole number")
        return None
    if lo is not None and value < lo or hi is not None and value > hi:
        c.add(field, f"{name} ({value:g}) must be between {lo:g} and {hi:g}" if lo is not None and hi is not None
              else f"{name} ({value:g}) must be at least {lo:g}" if lo is not None
              else f"{name} ({value:g}) must be at most {hi:g}")
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
    return value


def choice(c: Collector, field: str, value: Any, options: Sequence[str], *, label: str | None = None) -> str | None:
    """Return ``value`` if it is one of ``options``."""
    name = label or field.rsplit(".", 1)[-1]
    if not isinstance(value, str) or value not in options:
        shown = value if isinstance(value, str) and len(value) <= 40 else type(value).__name__
        c.add(field, f"{name} must be one of {', '.join(options)} (got {shown!r})")
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
            c.add(f"{prefix}.{shown}" if prefix else str(shown), f"unknown field {shown!r}; expected one of {', '.join(allowed)}")
