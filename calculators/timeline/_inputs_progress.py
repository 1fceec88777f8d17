"""Validation of what a plan says about people, scope, dates and progress; and its calendar.

A time in the plan's unit counts from the ``start`` date: ``weeks`` are seven
calendar days, ``days`` one, ``working_days`` Monday to Friday, so week 3 is
the date 21 days after the start (:func:`date_at`, :func:`units_between`).

>>> start = dt.date(2027, 1, 4)  # a Monday
>>> date_at(start, 3, "weeks"), date_at(start, 6, "working_days")
(datetime.date(2027, 1, 25), datetime.date(2027, 1, 12))
>>> units_between(start, dt.date(2027, 1, 12), "working_days")
6.0


Task fields ``required``, ``owner``, ``status``, ``actual``, ``started`` and
``remaining``; plan fields ``capacity``, ``start``, ``as_of`` and ``history``.
Each problem is recorded with a path-based message for programs and a
``reader`` text in the form's words, like the rest of :mod:`.inputs`.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from typing import Any

from .. import _inputs
from ..errors import Collector

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


STATUSES = ("todo", "doing", "done", "dropped")
MAX_CAPACITY = 20
MAX_OWNER = 60
MAX_NOTE = 300
MAX_HISTORY = 50
HISTORY_KEYS = ("as_of", "p_success", "p50", "p85", "p_by_deadline", "note", "tasks")
#: Labels of these fields as the form shows them.
LABELS = {
    "required": "Required",
    "owner": "Owner",
    "status": "Status",
    "actual": "Took",
    "started": "Started",
    "remaining": "Remaining",
    "capacity": "People",
    "history": "Recorded forecasts",
    "start": "Start date",
    "as_of": "Today",
}


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def start_date(c: Collector, raw: Any, unit: str) -> dt.date | None:
    """``start``: an ISO date, and a unit that dates can follow."""
    if blank(raw):
        return None
    day = parse_date(raw) if isinstance(raw, str) else None
    if day is None:
        c.add(
            "start",
            f"start must be an ISO date (YYYY-MM-DD), not {str(raw)[:40]!r}",
            reader="Start date must be a date written as year-month-day, such as 2027-03-01.",
        )
        return None
    if unit not in DATED_UNITS:
        c.add(
            "start",
            f"dates need the unit weeks, days or working_days, not {unit!r}",
            reader=f"Dates work when the time unit (under Options) is weeks, days or working days; it is {unit}.",
        )
        return None
    return day


def when(c: Collector, field: str, raw: Any, *, start: dt.date | None, unit: str, reader: str) -> float | None:
    """A time in the plan's unit from the start, or a date (with a start date): ``16`` or ``2027-03-14``."""
    if isinstance(raw, str) and parse_date(raw) is not None:
        day = parse_date(raw)
        if start is None:
            c.add(
                field,
                f"{field} is a date, but the plan has no start date",
                reader=f"{reader} is a date: give the plan a start date (under Dates and progress), "
                f"or write a number of {unit.replace('_', ' ')}.",
            )
            return None
        assert day is not None
        t = units_between(start, day, unit)
        if t < 0:
            c.add(
                field,
                f"{field} ({raw}) is before the start date ({start.isoformat()})",
                reader=f"{reader} ({raw}) is before the plan's start date ({start.isoformat()}).",
            )
            return None
        return t
    shown = unit.replace("_", " ")
    return _inputs.number(c, field, raw, lo=0, hi=10_000, label=field, reader=reader, unit=shown)


def required(c: Collector, f: str, raw: Any, name: str) -> bool:
    value = raw.get("required", True)
    if value is None:
        return True
    if isinstance(value, str) and value.strip().lower() in ("true", "yes", "1", "false", "no", "0", ""):
        return value.strip().lower() in ("true", "yes", "1", "")
    if not isinstance(value, bool):
        c.add(
            f"{f}.required",
            f"required must be true or false, not {type(value).__name__}",
            reader=f"Required for {name} must be ticked or not.",
        )
        return True
    return value


def owner(c: Collector, f: str, raw: Any, name: str) -> str | None:
    value = raw.get("owner")
    if blank(value):
        return None
    if not isinstance(value, str) or len(value.strip()) > MAX_OWNER:
        c.add(
            f"{f}.owner",
            f"owner must be a name of at most {MAX_OWNER} characters",
            reader=f"Owner for {name} must be a name or a role, at most {MAX_OWNER} characters.",
        )
        return None
    return value.strip()


def progress(
    c: Collector, f: str, raw: Any, name: str, *, estimate: tuple[float | None, ...], start: dt.date | None, unit: str
) -> tuple[str, float | None, float | None, tuple[float, float, float] | None]:
    """``status`` and what goes with it: ``actual`` (done), ``started`` and ``remaining`` (doing)."""
    status = raw.get("status")
    status = "todo" if blank(status) else status
    if status not in STATUSES:
        c.add(
            f"{f}.status",
            f"status must be one of {', '.join(STATUSES)}, not {str(status)[:20]!r}",
            reader=f"Status for {name} must be to do, doing, done or dropped.",
        )
        return "todo", None, None, None
    shown = unit.replace("_", " ")
    actual = started = None
    remaining: tuple[float, float, float] | None = None
    if not blank(raw.get("actual")):
        actual = _inputs.number(
            c, f"{f}.actual", raw["actual"], lo=0, hi=10_000, label="actual", reader=f"Took for {name}", unit=shown
        )
    if not blank(raw.get("started")):
        started = when(c, f"{f}.started", raw["started"], start=start, unit=unit, reader=f"Started for {name}")
    if not blank(raw.get("remaining")):
        remaining = three_point(c, f"{f}.remaining", raw["remaining"], name, shown)
    if status == "done" and actual is None and blank(raw.get("actual")):
        o, m, p = estimate
        if None in (o, m, p) or not o == m == p:
            c.add(
                f"{f}.actual",
                "a done task needs actual (how long it took)",
                reader=f"{name} is done: say how long it took, in {shown}, under Took.",
            )
        else:
            actual = o
    if status == "doing" and started is None and blank(raw.get("started")):
        c.add(
            f"{f}.started",
            "a task in progress needs started (when it began)",
            reader=f"{name} is in progress: say when it started, in {shown} from the start or as a date.",
        )
    if status != "doing":
        remaining = None
    return status, actual, started, remaining


def three_point(c: Collector, field: str, raw: Any, name: str, shown: str) -> tuple[float, float, float] | None:
    """``remaining``: ``[optimistic, most likely, pessimistic]`` (a list, or ``"1, 2, 4"`` as the form sends it)."""
    if isinstance(raw, str):
        raw = [x.strip() for x in raw.replace(";", ",").split(",") if x.strip()]
    if not isinstance(raw, list) or len(raw) != 3:
        c.add(
            field,
            "remaining must be three numbers [optimistic, most_likely, pessimistic]",
            reader=f"Remaining for {name} must be three numbers of {shown}: optimistic, most likely, pessimistic "
            "(such as 1, 2, 4).",
        )
        return None
    values = [
        _inputs.number(c, field, x, lo=0, hi=10_000, label="remaining", reader=f"Remaining for {name}") for x in raw
    ]
    if None in values:
        return None
    o, m, p = (float(v) for v in values if v is not None)
    if not o <= m <= p:
        c.add(
            field,
            f"remaining ({o:g}, {m:g}, {p:g}) must read optimistic <= most likely <= pessimistic",
            reader=f"Remaining for {name} must go from the optimistic to the pessimistic time ({o:g}, {m:g}, {p:g}).",
        )
        return None
    return (o, m, p)


def capacity(c: Collector, raw: Any) -> dict[str, int]:
    """``capacity``: ``{owner: tasks at once}``, or the form's rows ``[{owner, capacity}]`` (empty rows ignored)."""
    if blank(raw):
        return {}
    rows: list[tuple[str, Any, str]] = []
    if isinstance(raw, dict):
        rows = [(str(k), v, f"capacity.{k}") for k, v in raw.items()]
    elif isinstance(raw, list):
        for i, row in enumerate(raw):
            if not isinstance(row, dict) or all(blank(v) for v in row.values()):
                continue
            if blank(row.get("owner")):
                c.add(
                    f"capacity[{i}].owner",
                    "a capacity row needs an owner",
                    reader=f"Row {i + 1} of People needs a name.",
                )
                continue
            rows.append((str(row["owner"]).strip(), row.get("capacity"), f"capacity[{i}].capacity"))
    else:
        c.add(
            "capacity",
            "capacity must be an object {owner: tasks at once}",
            reader="People must list each person with how many of their tasks they work on at once.",
        )
        return {}
    out: dict[str, int] = {}
    for who, value, field in rows:
        n = (
            1
            if blank(value)
            else _inputs.number(
                c,
                field,
                value,
                lo=1,
                hi=MAX_CAPACITY,
                integer=True,
                label=f"capacity of {who}",
                reader=f"Tasks at once for {who}",
            )
        )
        if n is not None:
            out[who.strip()] = int(n)
    return out


def history(c: Collector, raw: Any, *, start: dt.date | None, unit: str) -> tuple[dict[str, Any], ...]:
    """``history``: the forecasts recorded so far, oldest first (empty rows ignored)."""
    if blank(raw) or raw == []:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_HISTORY:
        c.add(
            "history",
            f"history must be a list of at most {MAX_HISTORY} recorded forecasts",
            reader=f"Recorded forecasts must be a list of at most {MAX_HISTORY}.",
        )
        return ()
    out = []
    for i, row in enumerate(raw):
        f = f"history[{i}]"
        if not isinstance(row, dict):
            c.add(f, "a recorded forecast must be an object", reader=f"Recorded forecast {i + 1} cannot be read.")
            continue
        if all(blank(v) for v in row.values()):
            continue
        _inputs.unknown_keys(c, f, row, HISTORY_KEYS)
        who = f"Recorded forecast {i + 1}"
        entry: dict[str, Any] = {}
        if blank(row.get("as_of")):
            c.add(f"{f}.as_of", "a recorded forecast needs as_of", reader=f"{who} needs its date.")
        else:
            t = when(c, f"{f}.as_of", row["as_of"], start=start, unit=unit, reader=f"Date of {who.lower()}")
            entry["as_of"] = row["as_of"]
            entry["t"] = t
        entry["p_success"] = _inputs.number(
            c,
            f"{f}.p_success",
            row.get("p_success"),
            lo=0,
            hi=1,
            label="p_success",
            reader=f"Chance it works in {who.lower()}",
            percent=True,
        )
        for key in ("p50", "p85"):
            v = row.get(key)
            entry[key] = (
                None
                if blank(v)
                else _inputs.number(
                    c, f"{f}.{key}", v, lo=0, hi=10_000, label=key, reader=f"{key.upper()} in {who.lower()}"
                )
            )
        v = row.get("p_by_deadline")
        entry["p_by_deadline"] = (
            None
            if blank(v)
            else _inputs.number(
                c,
                f"{f}.p_by_deadline",
                v,
                lo=0,
                hi=1,
                label="p_by_deadline",
                reader=f"Chance by the deadline in {who.lower()}",
                percent=True,
            )
        )
        note = row.get("note")
        if not blank(note) and (not isinstance(note, str) or len(note) > MAX_NOTE):
            c.add(
                f"{f}.note",
                f"note must be text of at most {MAX_NOTE} characters",
                reader=f"The note of {who.lower()} must be text of at most {MAX_NOTE} characters.",
            )
        entry["note"] = note.strip() if isinstance(note, str) else ""
        entry["tasks"] = _snapshot(c, f"{f}.tasks", row.get("tasks"), who)
        out.append(entry)
    return tuple(out)


def _snapshot(c: Collector, field: str, raw: Any, who: str) -> dict[str, tuple[float, float, float, float, str]]:
    """A recorded forecast's ``tasks``: ``{id: [optimistic, most_likely, pessimistic, p_success, status]}``,
    what the page keeps so that a later forecast can say which tasks' changes moved it."""
    if blank(raw):
        return {}
    if isinstance(raw, str):  # the form's cell holds it as JSON text
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = None
    ok = isinstance(raw, dict) and all(
        isinstance(v, list)
        and len(v) == 5
        and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v[:4])
        and v[4] in STATUSES
        for v in raw.values()
    )
    if not ok:
        c.add(
            field,
            "tasks must map each task id to [optimistic, most_likely, pessimistic, p_success, status]",
            reader=f"The tasks kept with {who.lower()} cannot be read; remove that forecast and record it again.",
        )
        return {}
    return {str(k): (float(v[0]), float(v[1]), float(v[2]), float(v[3]), str(v[4])) for k, v in raw.items()}
