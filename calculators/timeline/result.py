"""The result of a simulation: a frozen dataclass, and the words that say what it means.

Every number a sentence shows is formatted with :mod:`calculators._format`, so a
headline and a key-figure card that show the same quantity cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from .. import _format
from .._contract import Result, plain
from .inputs import DEFAULT_TRIALS, Plan, Task, iso, parse, parse_date
from .model import COMMITMENT, PERCENTILES, run

__all__ = ["COMMITMENT", "PERCENTILES", "TimelineResult", "compute", "from_input", "simulate"]

#: The keys of :meth:`TimelineResult.to_dict` (``group_mode`` and ``curves`` are for the view only).
KEYS = (
    "unit",
    "trials",
    "seed",
    "distribution",
    "p_success",
    "p_never",
    "duration",
    "duration_error",
    "deadline",
    "p_by_deadline",
    "single_point",
    "tasks",
    "progress",
    "groups",
    "owners",
    "start",
    "as_of",
    "dates",
    "history",
    "moved",
)


@dataclass(frozen=True)
class TimelineResult(Result):
    """The simulated outcome of a plan.

    ``to_dict()`` holds the keys ``unit``, ``trials``, ``seed``, ``distribution``,
    ``p_success``, ``p_never``, ``duration``, ``duration_error``, ``deadline``,
    ``p_by_deadline``, ``single_point``, ``tasks``, ``progress`` and ``groups``.

    ``duration`` holds the mean and percentiles of the finishing time over the
    trials in which the project succeeded; ``duration_error`` the Monte Carlo
    standard error of each: ``std / sqrt(n)`` for the mean and, for a
    percentile q, the order-statistic (binomial) estimate: half the distance
    between the order statistics at ranks ``n q -/+ sqrt(n q (1 - q))``
    (distribution-free, about one standard error). ``None`` where no trial
    succeeded.

    ``group_mode`` and ``curves`` (histogram, cumulative curve and commitment
    point for the charts) are kept for :func:`~calculators.timeline.render` and
    are not part of ``to_dict()``. The plan itself is not: the page builds its
    downloads from its own input.
    """

    unit: str
    trials: int
    seed: int
    distribution: str
    p_success: float
    p_never: float
    duration: dict[str, float | None]
    duration_error: dict[str, float | None]
    deadline: float | None
    p_by_deadline: float | None
    single_point: dict[str, float]
    tasks: list[dict[str, Any]]
    progress: list[dict[str, float]]
    groups: list[dict[str, Any]]
    owners: list[dict[str, Any]] = field(default_factory=list)
    start: str | None = None
    as_of: float | None = None
    dates: dict[str, str] = field(default_factory=dict)
    history: list[dict[str, Any]] = field(default_factory=list)
    moved: list[dict[str, Any]] = field(default_factory=list)
    group_mode: str = "parallel"
    curves: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON (no NaN, no numpy types), without the view's ``plan`` and ``curves``."""
        return {key: plain(getattr(self, key), where=f"result.{key}") for key in KEYS}


def from_input(data: Any) -> TimelineResult:
    """Validate a plan object (``{"unit", "tasks", "trials", "seed", "distribution", "deadline",
    "group_mode"}``, every option with a default) and simulate it."""
    return compute(parse(data))


def compute(plan: Plan) -> TimelineResult:
    """Simulate a plan that :func:`~calculators.timeline.parse` validated."""
    sim = run(plan)
    return TimelineResult(
        plan.unit,
        sim.trials,
        plan.seed,
        plan.distribution,
        sim.p_success,
        sim.p_never,
        sim.duration,
        sim.duration_error,
        plan.deadline,
        sim.p_by_deadline,
        sim.single_point,
        sim.tasks,
        sim.progress,
        sim.groups,
        owners=sim.owners,
        start=None if plan.start is None else plan.start.isoformat(),
        as_of=plan.as_of,
        dates=_dates(plan, sim),
        history=[{k: v for k, v in h.items() if k != "t"} for h in plan.history],
        moved=sim.moved,
        group_mode=plan.group_mode,
        curves=sim.curves,
    )


def _dates(plan: Plan, sim: Any) -> dict[str, str]:
    """ISO dates of the figures the answer quotes (with a start date): P50 and P85 of the successful runs,
    the whole weeks the page promises (``commit``, ``median``), the deadline, the single-point plan, today."""
    if plan.start is None:
        return {}
    times = {
        "p50": sim.duration["p50"],
        "p85": sim.duration["p85"],
        "commit": (sim.curves.get("commit") or {}).get("time"),
        "median": (sim.curves.get("median") or {}).get("time"),
        "deadline": plan.deadline,
        "single_point": sim.single_point["finish"],
        "as_of": plan.as_of,
    }
    return {k: v for k, t in times.items() if (v := iso(plan.start, t, plan.unit)) is not None}


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
    return compute(parse(data))


# --------------------------------------------------------------------------- the words of the answer


def spoken(unit: str) -> str:
    """The unit as a sentence says it: ``working_days`` -> ``working days``."""
    return unit.replace("_", " ")


def _on(t: float, start: str | None, unit: str) -> str:
    """`` (2027-04-29)`` after a week figure when the plan has a start date (the page shows it in the
    reader's own date format), else nothing."""
    if not start:
        return ""
    day = iso(parse_date(start), math.ceil(t - 1e-9) if t > 0 else 0.0, unit)
    return f" ({day})" if day else ""


def when(t: float, unit: str, start: str | None = None) -> str:
    """A date the plan promises: ``"week 17"``, rounded up like :func:`calculators._format.duration`,
    with its date when the plan has a ``start``.

    >>> when(16.2, "weeks"), when(3, "sprints"), when(0.4, "days"), when(3, "weeks", "2027-01-04")
    ('week 17', 'sprint 3', 'day 1', 'week 3 (2027-01-25)')
    >>> when(6, "working_days", "2027-01-04")
    'working day 6 (2027-01-12)'
    """
    u = spoken(unit)
    whole = _format.duration(t, u).split(" ", 1)[0]
    return f"{_format.unit_singular(u)} {whole}{_on(t, start, unit)}"


def at(t: float, unit: str, start: str | None = None) -> str:
    """A time the reader typed or the plan gives exactly: ``"week 16"``, or ``"12.5 weeks"`` between weeks.

    >>> at(16, "weeks"), at(12.5, "weeks")
    ('week 16', '12.5 weeks')
    """
    if float(t).is_integer() and t >= 1:
        return when(t, unit, start)
    return f"{_format.number(t)} {spoken(unit)}{_on(t, start, unit)}"


def length(x: float, unit: str) -> str:
    """A length with one decimal: ``"1.2 weeks"``, ``"1 week"``."""
    u = spoken(unit)
    return _format.plural(float(_format.number(x)), _format.unit_singular(u), u)


def headline(r: TimelineResult) -> str:
    """The answer first: the chance it works at all, when it finishes if it works, and the joint chance by a date."""
    u, commit = r.unit, r.curves.get("commit")
    if commit is None:
        return (
            "This plan never worked in the simulation: in every run, at least one required task "
            "(or every approach of a group of alternatives) failed."
        )
    by, p_by = when(commit["time"], u, r.start), _format.percent(commit["p"])
    if r.p_success >= 1:
        first = f"No task in this plan can fail, so it always works. 85% of the runs are done by {by}."
        joint = f"The chance of having shipped by {by} is {p_by}"
    else:
        first = (
            f"This plan has {_format.chance(r.p_success)} of working at all. "
            f"If it works, 85% of the successful runs are done by {by}."
        )
        joint = f"Counting the runs that fail, the chance of having shipped by {by} is {p_by}"
    if r.as_of is not None:
        day = _on(r.as_of, r.start, r.unit).strip(" ()")
        today = day or at(r.as_of, u)
        first = f"From today ({today}), {first[0].lower()}{first[1:]}"
    if r.deadline is None or r.p_by_deadline is None:
        return f"{first} {joint}."
    deadline = at(r.deadline, u, r.start)
    if deadline == by:
        return f"{first} {joint}, and {by} is the deadline."
    return f"{first} {joint}, and by the deadline ({deadline}) {_format.percent(r.p_by_deadline)}."


def key_figures(r: TimelineResult) -> list[tuple[str, str, str]]:
    """Two to four cards, formatted by the same calls as the headline."""
    u, commit, median = r.unit, r.curves.get("commit"), r.curves.get("median")
    cards = [("Chance it works at all", _format.percent(r.p_success), "runs in which every required task succeeds")]
    if commit is None or median is None:
        sinking = sum(1 for t in r.tasks if t["sinks"] > 0)
        cards.append(("Tasks that can sink it", f"{sinking} of {len(r.tasks)}", "each fails the project when it fails"))
        return cards
    cards.append(
        (
            "If it works, done by",
            when(commit["time"], u, r.start),
            f"85% of the successful runs are done by then; half of them by {when(median['time'], u, r.start)}",
        )
    )
    if r.deadline is not None and r.p_by_deadline is not None:
        cards.append(
            (
                "Chance of having shipped by the deadline",
                _format.percent(r.p_by_deadline),
                f"works and is done by {at(r.deadline, u, r.start)}",
            )
        )
    else:
        cards.append(
            (
                f"Chance of having shipped by {when(commit['time'], u, r.start)}",
                _format.percent(commit["p"]),
                "works and is done by then",
            )
        )
    sp = r.single_point
    cards.append(
        (
            "Single-point plan",
            at(sp["finish"], u, r.start),
            f"every task at its most likely time: {_format.chance(sp['p_by_then'])} of having shipped by then",
        )
    )
    return cards


def next_steps(r: TimelineResult) -> list[str]:
    """One to three actions that follow from this result."""
    u, commit = r.unit, r.curves.get("commit")
    steps: list[str] = []
    sinker = max(r.tasks, key=lambda t: (t["sinks"] * t["importance"], t["sinks"]), default=None)
    if commit is None:
        name = sinker["name"] if sinker else "the riskiest task"
        return [
            f"Raise the chance of success of {name}, or add an alternative approach to it, "
            "then run the plan again before you give any date."
        ]
    by = when(commit["time"], u, r.start)
    if r.deadline is not None and r.p_by_deadline is not None and r.p_by_deadline < 0.5:
        steps.append(
            f"Do not promise {at(r.deadline, u, r.start)} yet: the chance of having shipped by then is only "
            f"{_format.percent(r.p_by_deadline)}. Hedge the risky tasks or cut scope; if it works, plan on {by}."
        )
    else:
        steps.append(
            f"When you give a date, give both numbers: {_format.chance(r.p_success)} it works at all, and {by} "
            f"if it works ({_format.chance(commit['p'])} of having shipped by then, failures included)."
        )
    if sinker is not None and sinker["sinks"] >= 0.02:
        group = next((g for g in r.groups if sinker["id"] in g["members"]), None)
        if group is None:
            steps.append(
                f"Hedge {sinker['name']}: it makes the whole project fail in {_format.percent(sinker['sinks'])} of "
                "runs. Run a short spike to raise its chance of success, or try a second approach in parallel."
            )
        else:
            names = {t["id"]: t["name"] for t in r.tasks}
            together = _together([names.get(m, m) for m in group["members"]])
            steps.append(
                f"Add another approach next to {together}: in {_format.percent(sinker['sinks'])} of runs they all "
                "fail, and the project with them. Or run a short spike to raise their chances of success."
            )
    helper = max(r.owners, key=lambda o: o["p85_gain"], default=None)
    if helper is not None and _format.number(helper["p85_gain"]) != "0":
        steps.insert(
            min(1, len(steps)),
            f"Give {helper['owner']} a second pair of hands (or hand one of their tasks to someone else): "
            f"the date 85% of the successful runs meet would come {length(helper['p85_gain'], u)} earlier.",
        )
    slow = max(r.tasks, key=lambda t: t["p85_shift"], default=None)
    if slow is not None and _format.number(slow["p85_shift"]) != "0" and len(steps) < 3:
        steps.append(
            f"Narrow the estimate of {slow['name']}: at its optimistic time, the date 85% of the successful runs "
            f"meet would come {length(slow['p85_shift'], u)} earlier."
        )
    return steps[:3]


def _together(names: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
