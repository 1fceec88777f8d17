"""Numbers in words: one rounding rule per quantity, shared by headlines and cards.

A headline and a key-figure card that show the same quantity call the same
function here, so they can never disagree ("week 17" beside "16.8 weeks").

Examples
--------
>>> percent(0.084), chance(0.084), chance(0.11), chance(0.5)
('8%', 'an 8% chance', 'an 11% chance', 'a 50% chance')
>>> plural(1, "week"), plural(2, "week"), plural(1.0, "person", "people")
('1 week', '2 weeks', '1 person')
>>> duration(16.2, "weeks"), duration(1, "weeks"), duration(0.4, "days")
('17 weeks', '1 week', '1 day')
"""

from __future__ import annotations

import math

_SINGULAR = {"weeks": "week", "days": "day", "months": "month", "sprints": "sprint", "hours": "hour"}


def percent(p: float) -> str:
    """A share 0-1 as a whole percentage; ``<1%`` and ``>99%`` at the ends, never a false 0% or 100%."""
    if not math.isfinite(p):
        raise ValueError(f"percent of a non-finite number ({p})")
    if p <= 0:
        return "0%"
    if p >= 1:
        return "100%"
    whole = round(p * 100)
    if whole < 1:
        return "<1%"
    if whole > 99:
        return ">99%"
    return f"{whole}%"


def _article(spoken: str) -> str:
    # "an" before a number said with a vowel sound: 8, 11, 18, 80-89, 800...
    digits = spoken.strip("<>%")
    return "an" if digits.startswith("8") or digits in ("11", "18") else "a"


def chance(p: float) -> str:
    """``"an 8% chance"``, ``"a 50% chance"``: the article follows the spoken number."""
    text = percent(p)
    if text.startswith("<"):
        return "less than a 1% chance"
    if text.startswith(">"):
        return "more than a 99% chance"
    return f"{_article(text)} {text} chance"


def plural(n: float, singular: str, plural_form: str | None = None) -> str:
    """``n`` with its noun: ``1 week``, ``2 weeks``, ``1.5 weeks``."""
    shown = f"{n:g}" if isinstance(n, float) else str(n)
    one = shown == "1"
    return f"{shown} {singular if one else (plural_form or singular + 's')}"


def unit_singular(unit: str) -> str:
    """``"weeks"`` -> ``"week"``; an unknown unit loses a trailing ``s``."""
    return _SINGULAR.get(unit, unit[:-1] if unit.endswith("s") else unit)


def duration(x: float, unit: str) -> str:
    """A point in time or a length in whole ``unit`` s, rounded up (a date promised is the end of that unit).

    The same call gives the headline's and the card's figure for a quantity.
    """
    if not math.isfinite(x):
        raise ValueError(f"duration of a non-finite number ({x})")
    whole = max(1, math.ceil(x - 1e-9))
    return plural(whole, unit_singular(unit), unit)


def number(x: float, digits: int = 1) -> str:
    """A plain number with at most ``digits`` decimals and no trailing zeros: ``16.8``, ``3``."""
    if not math.isfinite(x):
        raise ValueError(f"number of a non-finite value ({x})")
    text = f"{x:.{digits}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def count(x: float) -> str:
    """A count as the page shows it: ``12,345``, ``60``, ``3.6``, ``0.25``, ``0``.

    >>> [count(x) for x in (12345.4, 60.0, 3.62, 0.254, 0)]
    ['12,345', '60', '3.6', '0.25', '0']
    """
    if x >= 10 or x == 0:
        return f"{x:,.0f}"
    return number(x, 1) if x >= 1 else number(x, 2)
