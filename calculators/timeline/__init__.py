"""Probabilistic timeline of an ML project.

A plan is a list of tasks. Each task has a three-point estimate of its duration
(optimistic, most likely, pessimistic), a chance of success and an importance,
and may depend on other tasks. Tasks that share a ``group`` are alternative
approaches to one goal (say, fine-tuning a pretrained model *or* training a small
model from scratch): the goal is reached if any of them works.

The simulator draws every task's duration and success ``trials`` times and
propagates them through the dependency graph, all trials at once with numpy.
It reports the chance the project succeeds at all, when it finishes if it does,
which tasks to de-risk first, what the alternative approaches buy, and how
progress is likely to look over time.

Model
-----
* A task starts when everything it depends on has finished; a task with no
  dependencies starts at time 0. A task's failure is discovered when its
  duration is over.
* A failed task that is not in a group makes the project fail.
* ``group_mode="parallel"`` (default): a group's members all start as soon as
  their own dependencies allow and run side by side; the group succeeds if any
  member succeeds and finishes when its *earliest successful* member finishes.
* ``group_mode="sequential"``: members are tried one after another in the order
  they are listed; the next one starts only when the previous one has failed
  (at the end of its duration, and not before its own dependencies are done).
  The group finishes when the first successful member finishes.
* Anything that depends on a group id waits for the group. Tasks cannot depend
  on a single member of a group (depend on the group instead), and members of
  one group cannot depend on each other.
* Durations are PERT-beta (``alpha = 1 + 4 (m - o) / (p - o)``,
  ``beta = 1 + 4 (p - m) / (p - o)``, mean ``(o + 4m + p) / 6``) or triangular
  (mean ``(o + m + p) / 3``).

Random numbers
--------------
Each task draws from its own ``numpy.random.Generator`` seeded with the plan's
``seed`` and the task's id. Editing, adding or removing one task therefore
leaves every other task's draws unchanged (common random numbers): a change in
the answer comes from the change in the plan, not from reshuffled noise. The
same plan and seed give the same result under CPython and Pyodide.

Risk measures (per task, see :class:`TimelineResult`)
-----------------------------------------------------
``criticality``
    Share of successful trials in which the task is on the critical path (zero
    slack in a backward pass; a failed member of a sequential group that
    delayed the winner counts, the losing members of a parallel group do not).
``p85_shift``
    How much earlier the P85 of the successful runs would be if this task always took its
    optimistic time: the same sampled durations, this task's replaced, the
    graph re-propagated (no resampling).
``sinks``
    Share of all trials in which this task failed and its failure sank the
    project: for a task outside a group, every trial in which it fails; for a
    member of a group, the trials in which it and every other member failed.
``risk_score``
    ``importance / 5 * (sinks + p85_shift / P85)``: the chance the task sinks
    the project plus the share of the P85 of successful runs (the date 85% of
    the runs that succeed meet) its uncertainty is responsible for, weighted by
    how much the task matters. Tasks are listed by
    this score, highest first ("de-risk first").

Modules
-------
``knowledge`` the data file (example plans, the likelihood/importance matrix);
``inputs`` validation and the indexed plan; ``model`` the simulation (numpy
only); ``result`` the result dataclass and the words of the answer; ``view``
the page's blocks; ``matrix`` the likelihood/importance chart's data;
``charts`` the Altair templates (build time only).
"""

from __future__ import annotations

from typing import Any

from .. import forms
from .inputs import (
    BOUNDS,
    DEFAULT_SEED,
    DEFAULT_TRIALS,
    LABELS,
    MAX_ID,
    MAX_TASKS,
    MAX_UNIT,
    Bound,
    parse,
)
from .knowledge import default_input, examples, risk_matrix
from .model import PROGRESS_POINTS, run
from .plan import Plan, Task
from .result import COMMITMENT, PERCENTILES, TimelineResult
from .view import render

NAME = "timeline"
TITLE = "Timeline simulator"
DESCRIPTION = "Simulate a project plan: the chance it works at all, when it finishes if it works, what to de-risk."
CHARTS_MODULE = "calculators.timeline.charts"

__all__ = [
    "CHARTS_MODULE",
    "COMMITMENT",
    "DEFAULT_SEED",
    "DEFAULT_TRIALS",
    "DESCRIPTION",
    "NAME",
    "PERCENTILES",
    "PROGRESS_POINTS",
    "TITLE",
    "Plan",
    "Task",
    "TimelineResult",
    "compute",
    "default_input",
    "examples",
    "form",
    "from_input",
    "parse",
    "render",
    "risk_matrix",
    "simulate",
]


def _number(
    name: str, b: Bound, default: float | None, *, unit: str = "", step: float | str = "any", **kw: Any
) -> forms.Field:
    """A number field whose label and bounds are the ones the validation reads (:data:`~.inputs.BOUNDS`)."""
    return forms.number(
        name, b.label, default=default, min=b.lo, max=b.hi, step=step, unit=unit, percent=b.percent, **kw
    )


def form() -> list[forms.Field]:
    """The page's inputs: the plan's tasks and deadline first, the simulation options folded away."""
    d = default_input()
    unit = d["unit"]
    columns = [
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
    ]
    return [
        forms.table(
            "tasks",
            LABELS["tasks"],
            columns,
            default=d["tasks"],
            max_rows=MAX_TASKS,
            help="One row per task. Estimates are in the plan's time unit.",
        ),
        _number(
            "deadline",
            BOUNDS["deadline"],
            d.get("deadline"),
            unit=unit,
            optional=True,
            help="The date you are asked for, in the plan's time unit: the page gives the chance of "
            "having shipped by then (empty = no deadline).",
        ),
        forms.group(
            "Options",
            [
                forms.text("unit", LABELS["unit"], default=unit, max_length=MAX_UNIT),
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


def simulate(
    tasks: list[dict[str, Any]] | list[Task],
    *,
    unit: str = "weeks",
    trials: int = DEFAULT_TRIALS,
    seed: int | None = None,
    distribution: str = "pert",
    deadline: float | None = None,
    group_mode: str = "parallel",
) -> TimelineResult:
    """Simulate a project plan ``trials`` times.

    Parameters
    ----------
    tasks : list of dict or Task
        Each with ``id``, ``optimistic`` <= ``most_likely`` <= ``pessimistic``
        and optionally ``name``, ``p_success`` (0-1, default 1), ``importance``
        (1-5, default 3), ``depends_on`` (task or group ids) and ``group``
        (tasks sharing a group are alternative approaches to one goal).
    unit : str
        The time unit of the estimates (only used in labels).
    trials : int
        Number of Monte Carlo trials, 100 to 100,000, and at most
        :data:`MAX_CELLS` (2,000,000) divided by the number of tasks.
    seed : int, optional
        Seed of the random streams; ``None`` uses :data:`DEFAULT_SEED` (1), so
        every run is reproducible.
    distribution : {"pert", "triangular"}
        Shape of each task's duration between its optimistic and pessimistic times.
    deadline : float, optional
        A date to test, in ``unit``; the result then holds ``p_by_deadline``.
    group_mode : {"parallel", "sequential"}
        Whether the alternatives in a group run side by side (the earliest
        success wins) or one after another in listed order (the next starts
        when the previous one has failed).

    Returns
    -------
    TimelineResult

    Raises
    ------
    calculators.errors.InputError
        (a ``ValueError``) listing every problem with the plan, each naming its field.

    Examples
    --------
    Two tasks in a row, the second one risky:

    >>> r = simulate([
    ...     {"id": "data", "optimistic": 2, "most_likely": 3, "pessimistic": 6},
    ...     {"id": "model", "optimistic": 2, "most_likely": 4, "pessimistic": 10,
    ...      "p_success": 0.6, "depends_on": ["data"]},
    ... ], trials=20_000, seed=7)
    >>> round(r.p_success, 2), r.single_point["finish"]
    (0.6, 7.0)
    >>> round(r.duration["mean"], 1)  # PERT means 3.33 + 4.67
    8.0
    >>> r.tasks[0]["id"]  # de-risk first
    'model'

    Two alternative approaches to the same goal, either of which will do:

    >>> r = simulate([
    ...     {"id": "finetune", "optimistic": 1, "most_likely": 1, "pessimistic": 1, "p_success": 0.5, "group": "m"},
    ...     {"id": "scratch", "optimistic": 3, "most_likely": 3, "pessimistic": 3, "p_success": 0.5, "group": "m"},
    ... ], trials=20_000)
    >>> round(r.p_success, 2), r.groups[0]["p_project_best_single"] < r.p_success
    (0.75, True)
    """
    rows = [t if isinstance(t, dict) else {**t.__dict__, "depends_on": list(t.depends_on)} for t in tasks]
    data = {
        "tasks": rows,
        "unit": unit,
        "trials": trials,
        "seed": seed,
        "distribution": distribution,
        "deadline": deadline,
        "group_mode": group_mode,
    }
    return run(parse(data))


def compute(plan: Plan) -> TimelineResult:
    """Simulate a plan that :func:`parse` validated."""
    return run(plan)


def from_input(data: Any) -> TimelineResult:
    """Validate a plan object (``{"unit", "tasks", "trials", "seed", "distribution", "deadline",
    "group_mode"}``, every option with a default) and simulate it."""
    return run(parse(data))
