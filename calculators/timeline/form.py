"""The page's side of the simulator: its name, the form, the examples and the default input.

The form's labels and bounds are the ones the validation reads
(:data:`~.inputs.BOUNDS`, :data:`~.inputs.LABELS`). The examples come from the
data file (:mod:`.knowledge`) and are validated once per process for a given
file content, however often a build asks for them.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from .. import forms
from ..errors import DataFileError, InputError
from . import knowledge
from .inputs import (
    BOUNDS,
    DEFAULT_SEED,
    DEFAULT_TRIALS,
    LABELS,
    MAX_CAPACITY,
    MAX_HISTORY,
    MAX_ID,
    MAX_NOTE,
    MAX_OWNER,
    MAX_TASKS,
    MAX_UNIT,
    Bound,
    parse,
)

NAME = "timeline"
TITLE = "Timeline simulator"
DESCRIPTION = "Simulate a project plan: the chance it works at all, when it finishes if it works, what to de-risk."
CHARTS_MODULE = "calculators.timeline.charts"

#: Base names of the files the page offers for download (plan and result, JSON and CSV).
FILES = {"plan": "timeline-plan", "result": "timeline-result"}
#: Validated example lists, by the data file's content (a fork's edit or a test's patch is validated anew).
_VALIDATED: dict[str, list[dict[str, Any]]] = {}


def examples() -> list[dict[str, Any]]:
    """The example plans of the data file, each validated (once per file content).

    Examples
    --------
    >>> ex = examples()
    >>> all(set(e) == {"id", "label", "input"} for e in ex) and len({e["id"] for e in ex}) == len(ex)
    True
    """
    raw = knowledge.example_plans()
    key = json.dumps(raw, sort_keys=True)
    if key not in _VALIDATED:
        for i, e in enumerate(raw):
            try:
                parse(e["input"])
            except InputError as exc:
                raise DataFileError(knowledge.PATH, f"plan[{i}] ({e['id']})", str(exc)) from None
        for e in raw:  # the page's people table reads rows; an example without people empties it
            e["input"]["capacity"] = _people(e["input"].get("capacity"))
        _VALIDATED[key] = raw
    return copy.deepcopy(_VALIDATED[key])


def default_input() -> dict[str, Any]:
    """The plan the page starts from: the first example with every option spelled out."""
    first = examples()[0]["input"]
    return {
        "unit": "weeks",
        "distribution": "pert",
        "group_mode": "parallel",
        "history": [{}],  # the form's table shows one empty row, which the validation skips
        **first,
        "trials": DEFAULT_TRIALS,
        "seed": DEFAULT_SEED,
    }


def _shown(value: Any) -> str:
    """A time the form shows in a text field (a number or a date)."""
    return "" if value is None else str(value)


def _people(capacity: Any) -> list[dict[str, Any]]:
    """The capacity of a plan as the form's rows."""
    if isinstance(capacity, dict):
        return [{"owner": k, "capacity": v} for k, v in capacity.items()]
    return list(capacity or [])


def _number(
    name: str, b: Bound, default: float | None, *, unit: str = "", step: float | str = "any", **kw: Any
) -> forms.Field:
    """A number field whose label and bounds are the ones the validation reads (:data:`~.inputs.BOUNDS`)."""
    return forms.number(
        name, b.label, default=default, min=b.lo, max=b.hi, step=step, unit=unit, percent=b.percent, **kw
    )


def _columns() -> list[forms.Field]:
    """The columns of the task table."""
    return [
        forms.text("id", LABELS["id"], max_length=MAX_ID, help="A short unique id; other tasks refer to it."),
        forms.text("name", LABELS["name"], optional=True),
        _number("optimistic", BOUNDS["optimistic"], 1),
        _number("most_likely", BOUNDS["most_likely"], 2),
        _number("pessimistic", BOUNDS["pessimistic"], 4),
        _number(
            "p_success",
            BOUNDS["p_success"],
            1,
            step=0.05,
            optional=True,
            help="How likely the task is to work at all (empty = certain). " + forms.PERCENT_RULE,
        ),
        _number(
            "importance",
            BOUNDS["importance"],
            3,
            step=1,
            optional=True,
            help="1 = nice to have, 5 = the project is pointless without it (empty = 3).",
        ),
        forms.text(
            "group",
            LABELS["group"],
            max_length=MAX_ID,
            optional=True,
            help="Tasks with the same group are alternative approaches to one goal; "
            "other tasks can depend on the group id.",
        ),
        forms.tags("depends_on", LABELS["depends_on"], help="Ids of the tasks or groups this task waits for."),
        forms.checkbox(
            "required",
            LABELS["required"],
            default=True,
            help="Untick for an extra the project can ship without: if it fails, its scope is dropped.",
        ),
        forms.text(
            "owner",
            LABELS["owner"],
            max_length=MAX_OWNER,
            optional=True,
            help="Who does it (a name or a role). Each person takes their tasks in the table's order.",
        ),
        forms.select(
            "status",
            LABELS["status"],
            [("todo", "To do"), ("doing", "Doing"), ("done", "Done"), ("dropped", "Dropped")],
            default="todo",
        ),
        forms.number(
            "actual",
            LABELS["actual"],
            default=None,
            min=0,
            max=BOUNDS["pessimistic"].hi,
            optional=True,
            help="For a done task: how long it took.",
        ),
        forms.text(
            "started",
            LABELS["started"],
            max_length=20,
            optional=True,
            help="For a task in progress: when it started (a week number, or a date with a start date).",
        ),
        forms.text(
            "remaining",
            LABELS["remaining"],
            max_length=40,
            optional=True,
            help="For a task in progress, if you know better now: the work left, as optimistic, most likely, "
            "pessimistic (such as 1, 2, 4).",
        ),
    ]


def form() -> list[forms.Field]:
    """The page's inputs: the plan's tasks and deadline first, the simulation options folded away."""
    d = default_input()
    unit = d["unit"]
    columns = _columns()
    tasks = forms.table(
        "tasks",
        LABELS["tasks"],
        columns,
        default=d["tasks"],
        max_rows=MAX_TASKS,
        help="One row per task. Estimates are in the plan's time unit.",
    )
    tasks["files"] = FILES  # the page offers the plan and result as files (plans.mjs), made on click
    return [
        tasks,
        forms.text(
            "deadline",
            BOUNDS["deadline"].label,
            default=_shown(d.get("deadline")),
            max_length=20,
            optional=True,
            help="The date you are asked for: a week number (16), or a date (2027-03-14) once the plan has a "
            "start date. The page gives the chance of having shipped by then (empty = no deadline).",
        ),
        forms.group(
            "People",
            [
                forms.table(
                    "capacity",
                    LABELS["capacity"],
                    [
                        forms.text("owner", "Person", max_length=MAX_OWNER, optional=True),
                        forms.number(
                            "capacity",
                            "Tasks at once",
                            default=1,
                            min=1,
                            max=MAX_CAPACITY,
                            step=1,
                            optional=True,
                        ),
                    ],
                    default=_people(d.get("capacity")),
                    min_rows=0,
                    max_rows=MAX_TASKS,
                    help="How many of their tasks each owner works on at once (anyone not listed: one). "
                    "Leave a row empty to ignore it.",
                ),
            ],
            open=bool(d.get("capacity")),
        ),
        forms.group(
            "Dates and progress",
            [
                forms.text(
                    "start",
                    LABELS["start"],
                    default=d.get("start", ""),
                    max_length=10,
                    optional=True,
                    help="The day the plan starts (2027-01-04): results then give dates next to week numbers.",
                ),
                forms.text(
                    "as_of",
                    LABELS["as_of"],
                    default=_shown(d.get("as_of")),
                    max_length=20,
                    optional=True,
                    help="Where the project is now, for a re-forecast: a week number or a date. No task "
                    "finishes before it.",
                ),
            ],
            open=bool(d.get("start") or d.get("as_of")),
        ),
        forms.group(
            "Recorded forecasts",
            [
                forms.table(
                    "history",
                    LABELS["history"],
                    [
                        forms.text("as_of", "Date", max_length=20, optional=True),
                        forms.number(
                            "p_success", "Chance it works", default=None, min=0, max=1, percent=True, optional=True
                        ),
                        forms.number(
                            "p50", "P50 if it works", default=None, min=0, max=BOUNDS["deadline"].hi, optional=True
                        ),
                        forms.number(
                            "p85", "P85 if it works", default=None, min=0, max=BOUNDS["deadline"].hi, optional=True
                        ),
                        forms.number(
                            "p_by_deadline",
                            "Chance by the deadline",
                            default=None,
                            min=0,
                            max=1,
                            percent=True,
                            optional=True,
                        ),
                        forms.text("note", "Note", max_length=MAX_NOTE, optional=True),
                        forms.text("tasks", "Estimates then", max_length=20_000, optional=True),
                    ],
                    default=list(d.get("history", [])),
                    min_rows=0,
                    max_rows=MAX_HISTORY,
                    help='What the page showed at each re-forecast. "Record this forecast" adds a row; '
                    "the estimates kept with it let a later forecast say which tasks moved the numbers.",
                ),
            ],
            open=bool(d.get("history")),
        ),
        forms.group(
            "Options",
            [
                forms.text(
                    "unit",
                    LABELS["unit"],
                    default=unit,
                    max_length=MAX_UNIT,
                    help="weeks, or working_days (five a week), or any word for labels only (sprints).",
                ),
                forms.select(
                    "distribution",
                    LABELS["distribution"],
                    [
                        ("pert", "PERT (beta), favours the most likely time"),
                        ("triangular", "Triangular, heavier tails"),
                    ],
                    default=d["distribution"],
                ),
                forms.select(
                    "group_mode",
                    LABELS["group_mode"],
                    [
                        ("parallel", "Tried in parallel: the earliest success wins"),
                        ("sequential", "Tried in turn: the next starts when one fails"),
                    ],
                    default=d["group_mode"],
                ),
                _number("trials", BOUNDS["trials"], d["trials"], step=100),
                _number(
                    "seed",
                    BOUNDS["seed"],
                    d["seed"],
                    step=1,
                    help="The same plan and seed always give the same answer.",
                ),
            ],
            open=False,
        ),
    ]
