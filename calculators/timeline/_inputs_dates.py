"""Calendar dates of a plan: a time in the plan's unit from its ``start`` date, and back.

``weeks`` count seven calendar days, ``days`` one, ``working_days`` Monday to
Friday (five a week). A time is the work done since the start, so week 3 is
the date 21 days after the start.

>>> import datetime as dt
>>> start = dt.date(2027, 1, 4)  # a Monday
>>> date_at(start, 3, "weeks"), date_at(start, 5, "working_days"), date_at(start, 6, "working_days")
(datetime.date(2027, 1, 25), datetime.date(2027, 1, 11), datetime.date(2027, 1, 12))
>>> units_between(start, dt.date(2027, 1, 25), "weeks"), units_between(start, dt.date(2027, 1, 12), "working_days")
(3.0, 6.0)
"""

from __future__ import annotations

import datetime as dt
import math
import re

#: Units a plan can put dates on (others, such as sprints, keep week numbers only).
DATED_UNITS = ("weeks", "days", "working_days")
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_date(text: str) -> dt.date | None:
    """An ISO date (``2027-03-14``), or ``None`` when ``text`` is not one."""
    if not isinstance(text, str) or not ISO.match(text.strip()):
        return None
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _add_working_days(start: dt.date, n: int) -> dt.date:
    """The date ``n`` working days (Monday to Friday) after ``start``."""
    day = start
    weeks, rest = divmod(n, 5)
    day += dt.timedelta(weeks=weeks)
    while rest:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            rest -= 1
    return day


def date_at(start: dt.date, t: float, unit: str) -> dt.date:
    """The date a time ``t`` (in ``unit``, rounded up to whole days) after ``start`` falls on."""
    if unit == "weeks":
        return start + dt.timedelta(days=math.ceil(t * 7 - 1e-9))
    if unit == "days":
        return start + dt.timedelta(days=math.ceil(t - 1e-9))
    return _add_working_days(start, max(0, math.ceil(t - 1e-9)))


def units_between(start: dt.date, day: dt.date, unit: str) -> float:
    """The time from ``start`` to ``day`` in ``unit`` (negative before the start)."""
    days = (day - start).days
    if unit == "weeks":
        return days / 7
    if unit == "days":
        return float(days)
    sign = 1 if days >= 0 else -1
    a, b = (start, day) if days >= 0 else (day, start)
    whole, rest = divmod((b - a).days, 7)
    count = whole * 5 + sum(1 for k in range(1, rest + 1) if (a + dt.timedelta(days=k)).weekday() < 5)
    return float(sign * count)


def iso(start: dt.date | None, t: float | None, unit: str) -> str | None:
    """The ISO date of time ``t``, or ``None`` without a start date or a time."""
    if start is None or t is None:
        return None
    return date_at(start, t, unit).isoformat()
