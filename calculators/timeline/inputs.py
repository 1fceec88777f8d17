"""Validation of a plan: every problem at once, then the plan indexed for the simulation.

The bounds of every number are declared once, in :data:`BOUNDS`: the form
(:func:`calculators.timeline.form`) and the validation below both read them.
Each problem carries a precise, path-based ``message`` for programs and a
``reader`` text for the page, in the words the form uses and with the task's
name ("Chance of success for Label defects must be between 0% and 100%.").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from .. import _inputs
from ..errors import Collector
from . import _inputs_progress as progress
from ._inputs_plan import Options, Plan, Task, build
from ._inputs_progress import MAX_CAPACITY, MAX_HISTORY, MAX_NOTE, MAX_OWNER, iso, parse_date

__all__ = [
    "BOUNDS",
    "LABELS",
    "MAX_CAPACITY",
    "MAX_HISTORY",
    "MAX_NOTE",
    "MAX_OWNER",
    "Plan",
    "Task",
    "iso",
    "parse",
    "parse_date",
]

MAX_TASKS = 100
MIN_TRIALS, MAX_TRIALS = 100, 100_000
#: tasks x trials; keeps the largest plan near 0.3 s and 60 MB under CPython (a browser is 2-3 times slower)
MAX_CELLS = 2_000_000
DEFAULT_TRIALS = 10_000
#: The seed used when none is given, so that an unseeded run is reproducible too.
DEFAULT_SEED = 1
MAX_TIME = 10_000
MAX_ID = 40
MAX_UNIT = 20
DISTRIBUTIONS = ("pert", "triangular")
GROUP_MODES = ("parallel", "sequential")
INPUT_KEYS = (
    "unit",
    "tasks",
    "trials",
    "seed",
    "distribution",
    "deadline",
    "group_mode",
    "capacity",
    "start",
    "as_of",
    "history",
)
TASK_KEYS = (
    "id",
    "name",
    "optimistic",
    "most_likely",
    "pessimistic",
    "p_success",
    "importance",
    "depends_on",
    "group",
    "required",
    "owner",
    "status",
    "actual",
    "started",
    "remaining",
)


@dataclass(frozen=True)
class Bound:
    """A number field: its label as the form shows it and its allowed range (declared once)."""

    label: str
    lo: float
    hi: float
    integer: bool = False
    percent: bool = False
    time: bool = False  # in the plan's time unit


#: Every number field of a plan (task columns and options), read by the form and the validation.
BOUNDS: dict[str, Bound] = {
    "optimistic": Bound("Optimistic", 0, MAX_TIME, time=True),
    "most_likely": Bound("Most likely", 0, MAX_TIME, time=True),
    "pessimistic": Bound("Pessimistic", 0, MAX_TIME, time=True),
    "p_success": Bound("Chance of success", 0, 1, percent=True),
    "importance": Bound("Importance", 1, 5, integer=True),
    "deadline": Bound("Deadline", 0, MAX_TIME, time=True),
    "trials": Bound("Trials", MIN_TRIALS, MAX_TRIALS, integer=True),
    "seed": Bound("Seed", 0, 2**32 - 1, integer=True),
}
#: Labels of the other fields, as the form shows them.
LABELS = {
    "id": "Id",
    "name": "Name",
    "group": "Group",
    "depends_on": "Depends on",
    "unit": "Time unit",
    "distribution": "Duration shape",
    "group_mode": "Alternatives in a group",
    "tasks": "Tasks",
    **progress.LABELS,
}


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(c: Collector, field: str, raw: Any, key: str, *, who: str = "", name: str = "", unit: str = "") -> Any:
    """Read number field ``key`` against its declared :data:`BOUNDS`.

    ``who`` names the task in the message for programs (``task 'label'``), ``name``
    in the reader's text (the task's name as the table shows it).
    """
    b = BOUNDS[key]
    spoken = _SPOKEN.get(key, key)
    return _inputs.number(
        c,
        field,
        raw,
        lo=b.lo,
        hi=b.hi,
        integer=b.integer,
        label=f"{who}: {spoken}" if who else spoken,
        reader=f"{b.label} for {name}" if name else b.label,
        percent=b.percent,
        unit=unit if b.time else "",
    )


#: How the path-based messages for programs name a field (kept stable for scripts that match them).
_SPOKEN = {"most_likely": "most likely", "p_success": "p_success (chance of success)"}


def _ids(c: Collector, fld: str, value: Any, who: str, name: str) -> list[str]:
    """depends_on: a list of ids (a comma-separated string is accepted too)."""
    if _missing(value):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        c.add(
            fld,
            f"{who}: depends_on must be a list of task or group ids",
            reader=f"Depends on for {name} must list ids of tasks or groups, separated by commas.",
        )
        return []
    return list(dict.fromkeys(d.strip() for d in value if d.strip()))


def _task_id(c: Collector, f: str, i: int, raw: Any, seen: dict[str, int]) -> str | None:
    if _missing(raw):
        c.add(f"{f}.id", f"task {i + 1} needs an id", reader=f"Task {i + 1} needs an id.")
        return None
    tid = _text(c, f"{f}.id", raw, max_len=MAX_ID, label="id", reader=f"Id of task {i + 1}")
    if tid is not None and "," in tid:
        c.add(
            f"{f}.id",
            f"task id {tid!r} must not contain commas (depends_on separates ids with commas)",
            reader=f"The id of task {i + 1} must not contain commas.",
        )
        return None
    if tid is not None and tid in seen:
        c.add(
            f"{f}.id",
            f"task id {tid!r} is used twice (also by tasks[{seen[tid]}])",
            reader=f"Task {i + 1} has the same id as task {seen[tid] + 1}; give each task its own id.",
        )
        return None
    if tid is not None:
        seen[tid] = i
    return tid


def _estimates(c: Collector, f: str, raw: Any, who: str, name: str, unit: str) -> list[float | None]:
    """The three-point estimate, which must read optimistic <= most likely <= pessimistic."""
    out: list[float | None] = []
    for key in ("optimistic", "most_likely", "pessimistic"):
        if _missing(raw.get(key)):
            c.add(
                f"{f}.{key}",
                f"{who}: {_SPOKEN.get(key, key)} is missing",
                reader=f"{BOUNDS[key].label} for {name} is missing.",
            )
            out.append(None)
        else:
            out.append(_number(c, f"{f}.{key}", raw[key], key, who=who, name=name, unit=unit))
    o, m, p = out
    if o is not None and m is not None and m < o:
        c.add(
            f"{f}.most_likely",
            f"{who}: most likely ({m:g}) is below optimistic ({o:g})",
            reader=f"Most likely for {name} ({m:g}) must be at least its optimistic time ({o:g}).",
        )
    if m is not None and p is not None and p < m:
        c.add(
            f"{f}.pessimistic",
            f"{who}: pessimistic ({p:g}) is below most likely ({m:g})",
            reader=f"Pessimistic for {name} ({p:g}) must be at least its most likely time ({m:g}).",
        )
    elif m is None and o is not None and p is not None and p < o:
        c.add(
            f"{f}.pessimistic",
            f"{who}: pessimistic ({p:g}) is below optimistic ({o:g})",
            reader=f"Pessimistic for {name} ({p:g}) must be at least its optimistic time ({o:g}).",
        )
    return out


def _task(c: Collector, i: int, raw: Any, seen: dict[str, int], opts: Options) -> Task | None:
    f = f"tasks[{i}]"
    raw = _inputs.mapping(c, f, raw)
    if raw is None:
        return None
    _inputs.unknown_keys(c, f, raw, TASK_KEYS)
    tid = _task_id(c, f, i, raw.get("id"), seen)
    who = f"task {tid!r}" if tid else f"task {i + 1}"
    shown = raw.get("name") if isinstance(raw.get("name"), str) and raw["name"].strip() else tid
    name = str(shown).strip()[:60] if shown else f"task {i + 1}"
    unit = opts.unit
    o, m, p = _estimates(c, f, raw, who, name, unit)
    required = progress.required(c, f, raw, name)
    owner = progress.owner(c, f, raw, name)
    status, actual, started, remaining = progress.progress(
        c, f, raw, name, estimate=(o, m, p), start=opts.start, unit=unit
    )
    ps = (
        1.0
        if _missing(raw.get("p_success"))
        else _number(c, f"{f}.p_success", raw["p_success"], "p_success", who=who, name=name)
    )
    imp = (
        3
        if _missing(raw.get("importance"))
        else _number(c, f"{f}.importance", raw["importance"], "importance", who=who, name=name)
    )
    text = (
        ""
        if _missing(raw.get("name"))
        else _text(
            c, f"{f}.name", raw["name"], max_len=_inputs.MAX_TEXT, label=f"{who}: name", reader=f"Name of task {i + 1}"
        )
    )
    group: str | None = None
    if not _missing(raw.get("group")):
        group = _text(c, f"{f}.group", raw["group"], max_len=MAX_ID, label=f"{who}: group", reader=f"Group for {name}")
        if group is not None and "," in group:
            c.add(
                f"{f}.group",
                f"{who}: group id {group!r} must not contain commas",
                reader=f"Group for {name} must not contain commas.",
            )
            group = None
    deps = _ids(c, f"{f}.depends_on", raw.get("depends_on"), who, name)
    if tid is None or None in (o, m, p, ps, imp, text):
        return None
    assert o is not None and m is not None and p is not None and ps is not None and imp is not None
    if (status == "done" and actual is None) or (status == "doing" and started is None):
        return None
    return Task(
        tid,
        text or tid,
        o,
        m,
        p,
        ps,
        int(imp),
        tuple(deps),
        group or None,
        required,
        owner,
        status,
        actual,
        started,
        remaining,
    )


def _text(c: Collector, field: str, raw: Any, *, max_len: int, label: str, reader: str) -> str | None:
    """Free text (a name, an id, the unit); ``reader`` is the field's label as the page shows it."""
    if isinstance(raw, str) and len(raw.strip()) > max_len:
        c.add(
            field,
            f"{label} is {len(raw.strip()):,} characters long; the limit is {max_len}",
            reader=f"{reader} is too long: at most {max_len} characters.",
        )
        return None
    if not isinstance(raw, str):
        c.add(field, f"{label} must be text, not {type(raw).__name__}", reader=f"{reader} must be text.")
        return None
    return raw.strip()


def _choice(c: Collector, key: str, raw: Any, options: tuple[str, ...]) -> str | None:
    return _inputs.choice(c, key, raw, options, reader=LABELS[key])


def _options(c: Collector, data: Any) -> Options:
    """The plan's options (every one has a default)."""

    def opt(key: str, default: Any) -> Any:
        return default if _missing(data.get(key)) else data[key]

    unit = _text(c, "unit", opt("unit", "weeks"), max_len=MAX_UNIT, label="unit", reader=LABELS["unit"])
    b = BOUNDS["trials"]
    trials = _inputs.number(c, "trials", opt("trials", DEFAULT_TRIALS), integer=True, reader=b.label)
    if trials is not None and trials < MIN_TRIALS:
        c.add(
            "trials",
            f"trials ({trials:g}) must be at least {MIN_TRIALS}",
            reader=f"{b.label} must be at least {MIN_TRIALS:,}.",
        )
        trials = None
    elif trials is not None and trials > MAX_TRIALS:
        c.add(
            "trials",
            f"trials ({trials:,}) is more than a browser runs quickly; the limit is {MAX_TRIALS:,}",
            reader=f"{b.label} must be at most {MAX_TRIALS:,}: more would be slow in a browser.",
        )
        trials = None
    seed = _inputs.number(c, "seed", opt("seed", DEFAULT_SEED), integer=True, reader=BOUNDS["seed"].label)
    if seed is not None and not BOUNDS["seed"].lo <= seed <= BOUNDS["seed"].hi:
        c.add(
            "seed",
            f"seed ({seed:g}) must be between 0 and {BOUNDS['seed'].hi:g}",
            reader=f"Seed must be a whole number from 0 to {BOUNDS['seed'].hi:,.0f}.",
        )
        seed = None
    distribution = _choice(c, "distribution", opt("distribution", "pert"), DISTRIBUTIONS)
    group_mode = _choice(c, "group_mode", opt("group_mode", "parallel"), GROUP_MODES)
    shown_unit = unit or "weeks"
    if shown_unit.lower() in ("working days", "working_days", "working-days"):
        shown_unit = "working_days"
    start: dt.date | None = progress.start_date(c, data.get("start"), shown_unit)
    label = BOUNDS["deadline"].label
    deadline = (
        None
        if _missing(data.get("deadline"))
        else progress.when(c, "deadline", data["deadline"], start=start, unit=shown_unit, reader=label)
    )
    as_of = (
        None
        if _missing(data.get("as_of"))
        else progress.when(c, "as_of", data["as_of"], start=start, unit=shown_unit, reader=LABELS["as_of"])
    )
    return Options(
        shown_unit,
        None if trials is None else int(trials),
        None if seed is None else int(seed),
        distribution,
        group_mode,
        deadline,
        capacity=progress.capacity(c, data.get("capacity")),
        start=start,
        as_of=as_of,
        history=progress.history(c, data.get("history"), start=start, unit=shown_unit),
    )


def _tasks(c: Collector, raw_tasks: Any, opts: Options) -> tuple[list[Task], bool]:
    """Every task row read; ``complete`` is False when some row could not be read."""
    if not isinstance(raw_tasks, list) or not raw_tasks:
        c.add(
            "tasks",
            "the plan needs at least one task (a list of task objects)",
            reader="The plan needs at least one task.",
        )
        return [], False
    if len(raw_tasks) > MAX_TASKS:
        c.add(
            "tasks",
            f"the plan has {len(raw_tasks)} tasks; a browser can simulate at most {MAX_TASKS}",
            reader=f"The plan has {len(raw_tasks)} tasks; the simulator takes at most {MAX_TASKS}.",
        )
        return [], False
    seen: dict[str, int] = {}
    parsed = [_task(c, i, raw, seen, opts) for i, raw in enumerate(raw_tasks)]
    tasks = [t for t in parsed if t is not None]
    trials = opts.trials
    if tasks and trials is not None and len(tasks) * trials > MAX_CELLS:
        most = MAX_CELLS // len(tasks)
        c.add(
            "trials",
            f"{len(tasks)} tasks x {trials:,} trials is more than a browser can simulate quickly; "
            f"use at most {most:,} trials for this plan",
            reader=f"Trials must be at most {most:,} for a plan of {len(tasks)} tasks: more would be slow "
            "in a browser.",
        )
    return tasks, len(tasks) == len(parsed)


def parse(data: Any) -> Plan:
    """Validate a plan object; return the indexed plan or raise InputError listing every problem.

    Examples
    --------
    >>> parse({"tasks": [{"id": "a", "optimistic": 3, "most_likely": 2, "pessimistic": 4}]})
    Traceback (most recent call last):
    ...
    calculators.errors.InputError: tasks[0].most_likely: task 'a': most likely (2) is below optimistic (3)
    """
    c = Collector()
    data = _inputs.mapping(c, "", data)
    c.raise_if_any()
    assert data is not None
    _inputs.unknown_keys(c, "", data, INPUT_KEYS)
    opts = _options(c, data)
    tasks, complete = _tasks(c, data.get("tasks"), opts)
    if opts.as_of is None:
        for t in tasks:
            if t.status == "doing":
                c.add(
                    "as_of",
                    f"task {t.id!r} is in progress: the plan needs as_of (today)",
                    reader=f"{t.name} is in progress: give today's date or week under Today.",
                )
                break
    if not complete or c:
        c.raise_if_any()  # the graph checks below need every task; report what we have so far
    return build(c, tasks, opts)
