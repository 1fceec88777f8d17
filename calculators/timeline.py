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
    How much earlier the project's P85 would be if this task always took its
    optimistic time: the same sampled durations, this task's replaced, the
    graph re-propagated (no resampling).
``sinks``
    Share of all trials in which this task failed and its failure sank the
    project: for a task outside a group, every trial in which it fails; for a
    member of a group, the trials in which it and every other member failed.
``risk_score``
    ``importance / 5 * (sinks + p85_shift / P85)``: the chance the task sinks
    the project plus the share of the 85% commitment its uncertainty is
    responsible for, weighted by how much the task matters. Tasks are listed by
    this score, highest first ("de-risk first").
"""

from __future__ import annotations

import copy
import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from . import _inputs, forms, view
from ._data import load_toml
from .errors import Collector, DataFileError, InputError

TITLE = "Timeline simulator"
NAME = "timeline"
DESCRIPTION = "Simulate a project plan: chance of success, finishing-time percentiles, risk drivers."
CHARTS_MODULE = "calculators.charts.timeline"
MAX_TASKS = 100
MIN_TRIALS, MAX_TRIALS = 100, 100_000
#: tasks x trials; keeps the largest plan near 0.3 s and 60 MB under CPython (a browser is 2-3 times slower)
MAX_CELLS = 2_000_000
DEFAULT_TRIALS = 10_000
#: The seed used when none is given, so that an unseeded run is reproducible too.
DEFAULT_SEED = 1
MAX_TIME = 1e6
MAX_ID = 40
PERCENTILES = (10, 50, 70, 80, 85, 90, 95)
COMMITMENT = 85  # the percentile most teams commit to
DISTRIBUTIONS = ("pert", "triangular")
GROUP_MODES = ("parallel", "sequential")
INPUT_KEYS = ("unit", "tasks", "trials", "seed", "distribution", "deadline", "group_mode")
TASK_KEYS = ("id", "name", "optimistic", "most_likely", "pessimistic", "p_success", "importance", "depends_on",
             "group")
PROGRESS_POINTS = 50
HISTOGRAM_BINS = 30
CURVE_POINTS = 61
_DATA_FILE = "calculators/data/timeline_examples.toml"


# --------------------------------------------------------------------------- data types


@dataclass(frozen=True)
class Task:
    """One task of a plan (times in the plan's unit)."""

    id: str
    name: str
    optimistic: float
    most_likely: float
    pessimistic: float
    p_success: float = 1.0
    importance: int = 3
    depends_on: tuple[str, ...] = ()
    group: str | None = None


@dataclass(frozen=True)
class _Plan:
    """A validated plan, indexed for the simulation.

    Nodes ``0 .. n-1`` are the tasks (input order), ``n .. n+G-1`` the groups.
    """

    tasks: tuple[Task, ...]
    group_ids: tuple[str, ...]
    members: tuple[tuple[int, ...], ...]  # per group, task indices in listed order
    deps: tuple[tuple[int, ...], ...]  # per task, the nodes it depends on (as written)
    prev: tuple[int | None, ...]  # per task, the previous member in a sequential group
    group_of: tuple[int | None, ...]  # per task, the node of its group
    order: tuple[int, ...]  # every node, prerequisites first
    ends: tuple[int, ...]  # top-level nodes nothing depends on
    top: tuple[int, ...]  # top-level nodes: tasks outside groups, and groups
    descendants: tuple[tuple[int, ...], ...]  # per task, itself and every node downstream, in order
    unit: str
    trials: int
    seed: int
    distribution: str
    deadline: float | None
    group_mode: str


@dataclass(frozen=True)
class TimelineResult:
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

    ``plan`` (the validated plan in input form) and ``curves`` (histogram,
    cumulative curve and commitment point for the charts) are kept for
    :func:`render` and are not part of ``to_dict()``.
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
    plan: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    curves: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def to_dict(self) -> dict[str, Any]:
        """The result as plain JSON (no NaN, no numpy types)."""
        return {
            "unit": self.unit, "trials": self.trials, "seed": self.seed, "distribution": self.distribution,
            "p_success": self.p_success, "p_never": self.p_never,
            "duration": dict(self.duration), "duration_error": dict(self.duration_error),
            "deadline": self.deadline, "p_by_deadline": self.p_by_deadline,
            "single_point": dict(self.single_point),
            "tasks": [dict(t) for t in self.tasks],
            "progress": [dict(p) for p in self.progress],
            "groups": [{**g, "members": list(g["members"])} for g in self.groups],
        }


# --------------------------------------------------------------------------- examples (data file)


def examples() -> list[dict[str, Any]]:
    """The example plans from ``data/timeline_examples.toml``, each checked on load.

    Examples
    --------
    >>> [e["id"] for e in examples()][:1]
    ['defect-detector']
    """
    table = load_toml("timeline_examples.toml")
    plans = table.get("plan")
    if not isinstance(plans, list) or not plans:
        raise DataFileError(_DATA_FILE, "", "needs at least one [[plan]] table")
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, p in enumerate(plans):
        entry = f"plan[{i}]"
        if not isinstance(p, dict):
            raise DataFileError(_DATA_FILE, entry, "must be a table")
        for key in ("id", "label"):
            if not isinstance(p.get(key), str) or not p[key].strip():
                raise DataFileError(_DATA_FILE, entry, f"missing text key {key!r}")
        entry = f"plan[{i}] ({p['id']})"
        if p["id"] in seen:
            raise DataFileError(_DATA_FILE, entry, f"id {p['id']!r} is used twice")
        seen.add(p["id"])
        data = {k: copy.deepcopy(v) for k, v in p.items() if k not in ("id", "label")}
        try:
            parse(data)
        except InputError as exc:
            raise DataFileError(_DATA_FILE, entry, str(exc)) from None
        out.append({"id": p["id"], "label": p["label"], "input": data})
    return out


def default_input() -> dict[str, Any]:
    """The plan the page starts from: the first example with every option spelled out."""
    return {"unit": "weeks", "distribution": "pert", "group_mode": "parallel", **examples()[0]["input"],
            "trials": DEFAULT_TRIALS, "seed": DEFAULT_SEED}


# --------------------------------------------------------------------------- validation


def _missing(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _ids(c: Collector, fld: str, value: Any, label: str) -> list[str]:
    """depends_on: a list of ids (a comma-separated string is accepted too)."""
    if _missing(value):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        c.add(fld, f"{label}: depends_on must be a list of task or group ids")
        return []
    return list(dict.fromkeys(d.strip() for d in value if d.strip()))


def _time(c: Collector, fld: str, raw: Any, label: str, name: str) -> float | None:
    if _missing(raw):
        c.add(fld, f"{label}: {name} is missing")
        return None
    v = _inputs.number(c, fld, raw, hi=MAX_TIME, label=f"{label}: {name}")
    if v is not None and v < 0:
        c.add(fld, f"{label}: {name} ({v:g}) cannot be negative")
        return None
    return v


def _task(c: Collector, i: int, raw: Any, seen: dict[str, int]) -> Task | None:
    f = f"tasks[{i}]"
    raw = _inputs.mapping(c, f, raw)
    if raw is None:
        return None
    _inputs.unknown_keys(c, f, raw, TASK_KEYS)
    tid: str | None
    if _missing(raw.get("id")):
        c.add(f"{f}.id", f"task {i + 1} needs an id")
        tid = None
    else:
        tid = _inputs.text(c, f"{f}.id", raw["id"], max_len=MAX_ID, label="id")
        if tid is not None and "," in tid:
            c.add(f"{f}.id", f"task id {tid!r} must not contain commas (depends_on separates ids with commas)")
            tid = None
        elif tid is not None and tid in seen:
            c.add(f"{f}.id", f"task id {tid!r} is used twice (also by tasks[{seen[tid]}])")
            tid = None
        elif tid is not None:
            seen[tid] = i
    label = f"task {tid!r}" if tid else f"task {i + 1}"
    o = _time(c, f"{f}.optimistic", raw.get("optimistic"), label, "optimistic")
    m = _time(c, f"{f}.most_likely", raw.get("most_likely"), label, "most likely")
    p = _time(c, f"{f}.pessimistic", raw.get("pessimistic"), label, "pessimistic")
    if o is not None and m is not None and m < o:
        c.add(f"{f}.most_likely", f"{label}: most likely ({m:g}) is below optimistic ({o:g})")
    if m is not None and p is not None and p < m:
        c.add(f"{f}.pessimistic", f"{label}: pessimistic ({p:g}) is below most likely ({m:g})")
    elif m is None and o is not None and p is not None and p < o:
        c.add(f"{f}.pessimistic", f"{label}: pessimistic ({p:g}) is below optimistic ({o:g})")
    ps = 1.0 if _missing(raw.get("p_success")) else _inputs.number(
        c, f"{f}.p_success", raw["p_success"], lo=0, hi=1, label=f"{label}: p_success (chance of success)")
    imp = 3 if _missing(raw.get("importance")) else _inputs.number(
        c, f"{f}.importance", raw["importance"], lo=1, hi=5, integer=True, label=f"{label}: importance")
    name = "" if _missing(raw.get("name")) else _inputs.text(c, f"{f}.name", raw["name"], label=f"{label}: name")
    group: str | None = None
    if not _missing(raw.get("group")):
        group = _inputs.text(c, f"{f}.group", raw["group"], max_len=MAX_ID, label=f"{label}: group")
        if group is not None and "," in group:
            c.add(f"{f}.group", f"{label}: group id {group!r} must not contain commas")
            group = None
    deps = _ids(c, f"{f}.depends_on", raw.get("depends_on"), label)
    if tid is None or None in (o, m, p, ps, imp, name):
        return None
    assert o is not None and m is not None and p is not None and ps is not None and imp is not None
    return Task(tid, name or tid, o, m, p, ps, int(imp), tuple(deps), group or None)


def _toposort(names: list[str], prereq: list[list[int]]) -> tuple[list[int], list[str]]:
    """Nodes in dependency order, or ``([], cycle)`` naming a cycle ``a -> b -> a``."""
    state = [0] * len(names)  # 0 new, 1 on the current path, 2 done
    order: list[int] = []
    path: list[int] = []

    def visit(v: int) -> list[int] | None:
        if state[v] == 2:
            return None
        if state[v] == 1:
            return path[path.index(v):] + [v]
        state[v] = 1
        path.append(v)
        for d in prereq[v]:
            cyc = visit(d)
            if cyc:
                return cyc
        path.pop()
        state[v] = 2
        order.append(v)
        return None

    for v in range(len(names)):
        cyc = visit(v)
        if cyc:
            # report it in the direction work flows: "a -> b" means b waits for a
            return [], [names[u] for u in reversed(cyc)]
    return order, []


def parse(data: Any) -> _Plan:
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

    def opt(key: str, default: Any) -> Any:
        return default if _missing(data.get(key)) else data[key]

    unit = _inputs.text(c, "unit", opt("unit", "weeks"), max_len=20)
    trials = _inputs.number(c, "trials", opt("trials", DEFAULT_TRIALS), integer=True)
    if trials is not None and trials < MIN_TRIALS:
        c.add("trials", f"trials ({trials:g}) must be at least {MIN_TRIALS}")
    elif trials is not None and trials > MAX_TRIALS:
        c.add("trials", f"trials ({trials:,}) is more than a browser runs quickly; the limit is {MAX_TRIALS:,}")
    seed = _inputs.number(c, "seed", opt("seed", DEFAULT_SEED), lo=0, hi=2**32 - 1, integer=True)
    distribution = _inputs.choice(c, "distribution", opt("distribution", "pert"), DISTRIBUTIONS)
    group_mode = _inputs.choice(c, "group_mode", opt("group_mode", "parallel"), GROUP_MODES)
    deadline = None if _missing(data.get("deadline")) else _inputs.number(
        c, "deadline", data["deadline"], lo=0, hi=MAX_TIME)

    raw_tasks = data.get("tasks")
    tasks: list[Task] = []
    complete = False
    if not isinstance(raw_tasks, list) or not raw_tasks:
        c.add("tasks", "the plan needs at least one task (a list of task objects)")
    elif len(raw_tasks) > MAX_TASKS:
        c.add("tasks", f"the plan has {len(raw_tasks)} tasks; a browser can simulate at most {MAX_TASKS}")
    else:
        seen: dict[str, int] = {}
        parsed = [_task(c, i, raw, seen) for i, raw in enumerate(raw_tasks)]
        complete = all(t is not None for t in parsed)
        tasks = [t for t in parsed if t is not None]
    if tasks and trials is not None and MIN_TRIALS <= trials <= MAX_TRIALS and len(tasks) * trials > MAX_CELLS:
        c.add("trials", f"{len(tasks)} tasks x {trials:,} trials is more than a browser can simulate quickly; "
                        f"use at most {MAX_CELLS // len(tasks):,} trials for this plan")
    if not complete or c:
        # the graph checks below need every task; report what we have so far
        c.raise_if_any()

    n = len(tasks)
    index = {t.id: i for i, t in enumerate(tasks)}
    group_ids = list(dict.fromkeys(t.group for t in tasks if t.group))
    gindex = {g: n + j for j, g in enumerate(group_ids)}
    members = [tuple(i for i, t in enumerate(tasks) if t.group == g) for g in group_ids]
    for g, mem in zip(group_ids, members):
        if g in index:
            c.add(f"tasks[{mem[0]}].group", f"group id {g!r} is also a task id; give the group its own id")
    deps: list[tuple[int, ...]] = []
    for i, t in enumerate(tasks):
        mine: list[int] = []
        for d in t.depends_on:
            fld, who = f"tasks[{i}].depends_on", f"task {t.id!r}"
            if d in index:
                other = tasks[index[d]]
                if other.group and other.group == t.group and d != t.id:
                    c.add(fld, f"{who} and {d!r} are alternatives in group {t.group!r}; "
                               "they cannot depend on each other")
                elif other.group and d != t.id:
                    c.add(fld, f"{who} depends on {d!r}, one of the alternatives in group {other.group!r}; "
                               f"depend on the group {other.group!r} instead")
                mine.append(index[d])
            elif d in gindex:
                mine.append(gindex[d])
            else:
                c.add(fld, f"{who} depends on unknown task or group {d!r}")
        deps.append(tuple(mine))
    c.raise_if_any()

    names = [t.id for t in tasks] + group_ids
    prereq = [list(d) for d in deps] + [list(m) for m in members]
    order, cycle = _toposort(names, prereq)
    if cycle:
        first = next((index[v] for v in cycle if v in index), 0)
        c.add(f"tasks[{first}].depends_on", "dependency cycle: " + " -> ".join(cycle))
        c.raise_if_any()
    assert trials is not None and seed is not None and distribution and group_mode and unit is not None

    prev: list[int | None] = [None] * n
    if group_mode == "sequential":
        for mem in members:
            for a, b in zip(mem, mem[1:]):
                prev[b] = a
                prereq[b].append(a)
        order, _ = _toposort(names, prereq)  # chain edges cannot close a cycle: members only feed their group
    succ: list[list[int]] = [[] for _ in names]
    for v, ps in enumerate(prereq):
        for u in ps:
            succ[u].append(v)
    top = [v for v in range(len(names)) if v >= n or not tasks[v].group]
    ends = [v for v in top if not succ[v]]
    pos = {v: k for k, v in enumerate(order)}
    descendants = []
    for k in range(n):
        reach, stack = {k}, [k]
        while stack:
            for w in succ[stack.pop()]:
                if w not in reach:
                    reach.add(w)
                    stack.append(w)
        descendants.append(tuple(sorted(reach, key=pos.__getitem__)))
    group_of = tuple(gindex[t.group] if t.group else None for t in tasks)
    return _Plan(tuple(tasks), tuple(group_ids), tuple(members), tuple(deps), tuple(prev), group_of, tuple(order),
                 tuple(ends), tuple(top), tuple(descendants), unit or "weeks", int(trials), int(seed),
                 distribution, deadline, group_mode)


# --------------------------------------------------------------------------- simulation


def _task_key(tid: str) -> int:
    """An integer that identifies a task id unambiguously (its UTF-8 bytes after a 1)."""
    return int.from_bytes(b"\x01" + tid.encode("utf-8"), "little")


def _sample(plan: _Plan) -> tuple[np.ndarray, np.ndarray]:
    """Durations ``D`` and successes ``S``, shape (tasks, trials); each task has its own stream."""
    n, trials = len(plan.tasks), plan.trials
    D = np.empty((n, trials))
    S = np.empty((n, trials), dtype=bool)
    for i, t in enumerate(plan.tasks):
        rng = np.random.default_rng([plan.seed, _task_key(t.id)])
        S[i] = rng.random(trials) < t.p_success
        o, m, p = t.optimistic, t.most_likely, t.pessimistic
        if p == o:
            D[i] = o
        elif plan.distribution == "triangular":
            D[i] = rng.triangular(o, m, p, trials)
        else:
            D[i] = o + (p - o) * rng.beta(1 + 4 * (m - o) / (p - o), 1 + 4 * (p - m) / (p - o), trials)
    return D, S


def _forward(plan: _Plan, D: np.ndarray, S: np.ndarray, F: list[Any], nodes: tuple[int, ...] | list[int],
             override: tuple[int, float] | None = None) -> None:
    """Fill in the finishing times ``F[v]`` of ``nodes`` (in dependency order), all trials at once.

    A group that fails in a trial gets an infinite finish there.
    """
    n = len(plan.tasks)
    for v in nodes:
        if v < n:
            start = None
            for d in plan.deps[v]:
                start = F[d] if start is None else np.maximum(start, F[d])
            p = plan.prev[v]
            if p is not None:
                start = F[p] if start is None else np.maximum(start, F[p])
            dur = override[1] if override is not None and override[0] == v else D[v]
            F[v] = np.broadcast_to(dur, D.shape[1:]).copy() if start is None else start + dur
        else:
            mem = plan.members[v - n]
            if plan.group_mode == "parallel":
                fin = np.where(S[mem[0]], F[mem[0]], np.inf)
                for m in mem[1:]:
                    np.minimum(fin, np.where(S[m], F[m], np.inf), out=fin)
            else:
                fin = np.full(D.shape[1:], np.inf)
                for m in reversed(mem):
                    fin = np.where(S[m], F[m], fin)
            F[v] = fin


def _end(plan: _Plan, F: list[Any]) -> np.ndarray:
    out = F[plan.ends[0]]
    for v in plan.ends[1:]:
        out = np.maximum(out, F[v])
    return out


def _critical(plan: _Plan, D: np.ndarray, S: np.ndarray, F: list[Any], E: np.ndarray, tol: float) -> np.ndarray:
    """Per task, a boolean row: on the critical path (zero slack) in each (successful) trial."""
    n, N = len(plan.tasks), len(F)
    inf = np.full(E.shape, np.inf)
    LF: list[Any] = [None] * N
    for v in plan.ends:
        LF[v] = E
    for v in plan.top:
        if LF[v] is None and v not in plan.ends:
            LF[v] = inf
    crit = np.zeros((n, E.shape[0]), dtype=bool)
    for v in reversed(plan.order):
        lf = inf if LF[v] is None else LF[v]
        if v < n:
            crit[v] = F[v] >= lf - tol
            ls = lf - D[v]
            for d in plan.deps[v]:
                LF[d] = ls if LF[d] is None else np.minimum(LF[d], ls)
            p = plan.prev[v]
            if p is not None:
                g = plan.group_of[v]
                assert g is not None
                mem = plan.members[g - n]
                tried = ~np.any(S[list(mem[:mem.index(v)])], axis=0)
                contrib = np.where(tried, ls, np.inf)
                LF[p] = contrib if LF[p] is None else np.minimum(LF[p], contrib)
        else:
            mem = plan.members[v - n]
            if plan.group_mode == "parallel":
                for m in mem:
                    LF[m] = np.where(S[m] & (F[m] <= F[v] + tol), lf, np.inf)
            else:
                failed_before = np.zeros(E.shape, dtype=bool)
                for m in mem:
                    LF[m] = np.where(S[m] & ~failed_before, lf, np.inf)
                    failed_before = failed_before | S[m]
    return crit


def _pct(sorted_x: np.ndarray, q: float) -> float:
    """``np.percentile(x, q)`` (linear interpolation) of an already sorted array, without re-sorting."""
    h = (sorted_x.size - 1) * q / 100
    lo = int(math.floor(h))
    hi = min(lo + 1, sorted_x.size - 1)
    return float(sorted_x[lo] + (h - lo) * (sorted_x[hi] - sorted_x[lo]))


def _order_stat_se(sorted_x: np.ndarray, q: float) -> float:
    """Monte Carlo standard error of the q-th percentile (order-statistic / binomial method)."""
    n = sorted_x.size
    f = q / 100
    k, sd = n * f, math.sqrt(n * f * (1 - f))
    lo = min(max(int(math.floor(k - sd)), 0), n - 1)
    hi = min(max(int(math.ceil(k + sd)) - 1, 0), n - 1)
    return float(sorted_x[hi] - sorted_x[lo]) / 2


def _run(plan: _Plan) -> TimelineResult:
    n, T, N = len(plan.tasks), plan.trials, len(plan.tasks) + len(plan.group_ids)
    D, S = _sample(plan)
    F: list[Any] = [None] * N
    _forward(plan, D, S, F, plan.order)
    E_all = _end(plan, F)

    # success: every top-level unit (task outside a group, or group) succeeds
    unit_ok = {v: (S[v] if v < n else np.any(S[list(plan.members[v - n])], axis=0)) for v in plan.top}
    n_failed = np.zeros(T, dtype=np.int16)
    for v in plan.top:
        n_failed += ~unit_ok[v]
    ok = n_failed == 0
    n_ok = int(ok.sum())
    p_success = n_ok / T
    E = np.sort(E_all[ok])
    scale = max(1.0, float(E[-1]) if n_ok else 1.0)
    tol = 1e-9 * scale

    # finishing-time distribution over the successful trials
    keys = ["mean"] + [f"p{q}" for q in PERCENTILES]
    duration: dict[str, float | None] = dict.fromkeys(keys)
    err: dict[str, float | None] = dict.fromkeys(keys)
    if n_ok:
        duration["mean"] = float(E.mean())
        err["mean"] = float(E.std(ddof=1) / math.sqrt(n_ok)) if n_ok > 1 else 0.0
        for q in PERCENTILES:
            duration[f"p{q}"] = _pct(E, q)
            err[f"p{q}"] = _order_stat_se(E, q)

    def p_by(t: float) -> float:
        return int(np.searchsorted(E, t + tol, side="right")) / T

    # single-point plan: most-likely durations, nothing fails
    Fm: list[Any] = [None] * N
    _forward(plan, np.array([[t.most_likely] for t in plan.tasks]), np.ones((n, 1), dtype=bool), Fm, plan.order)
    sp_finish = float(_end(plan, Fm)[0])
    single_point = {"finish": sp_finish, "p_by_then": p_by(sp_finish)}
    p_deadline = None if plan.deadline is None else p_by(plan.deadline)

    # per-task risk: criticality and P85 shift over successful trials (common random numbers)
    crit_share = np.zeros(n)
    shift = np.zeros(n)
    p85 = duration[f"p{COMMITMENT}"]
    if n_ok:
        if n_ok == T:  # no copies when every run succeeds
            Ds, Ss, Fs, Es = D, S, F, E_all
        else:
            Ds, Ss, Fs, Es = D[:, ok], S[:, ok], [f[ok] for f in F], E_all[ok]
        crit_share = _critical(plan, Ds, Ss, Fs, Es, tol).mean(axis=1)
        assert p85 is not None
        for k, t in enumerate(plan.tasks):
            in_race = t.group is not None and plan.group_mode == "parallel"  # a faster loser can become the winner
            if float(Ds[k].max()) <= t.optimistic or (crit_share[k] == 0 and not in_race):
                continue  # already optimistic, or never on the critical path: the end cannot move
            F2 = list(Fs)
            _forward(plan, Ds, Ss, F2, plan.descendants[k], override=(k, t.optimistic))
            shift[k] = max(0.0, p85 - float(np.percentile(_end(plan, F2), COMMITMENT)))
    sinks = np.zeros(n)
    for k, t in enumerate(plan.tasks):
        g = plan.group_of[k]
        unit_fail = ~unit_ok[k if g is None else g]
        sinks[k] = float(np.mean(~S[k] & unit_fail))
    risk = []
    for k, t in enumerate(plan.tasks):
        sched = shift[k] / p85 if p85 else 0.0
        risk.append({"id": t.id, "name": t.name, "p_success": t.p_success, "importance": t.importance,
                     "criticality": float(crit_share[k]), "p85_shift": float(shift[k]), "sinks": float(sinks[k]),
                     "risk_score": t.importance / 5 * (float(sinks[k]) + float(sched))})
    ranked = sorted(range(n), key=lambda k: (-round(risk[k]["risk_score"], 12), -risk[k]["sinks"],
                                             -risk[k]["criticality"], k))
    tasks_out = [risk[k] for k in ranked]

    # alternative approaches: what the portfolio buys
    groups_out = []
    for j, g in enumerate(plan.group_ids):
        v = n + j
        others_ok = (n_failed - ~unit_ok[v]) == 0
        singles = [float(np.mean(others_ok & S[m])) for m in plan.members[j]]
        best = int(np.argmax(singles))
        groups_out.append({"id": g, "members": [plan.tasks[m].id for m in plan.members[j]],
                           "p_success": float(unit_ok[v].mean()), "best_single": plan.tasks[plan.members[j][best]].id,
                           "p_project_best_single": singles[best], "p_project": p_success})

    progress = _progress(plan, S, F, E_all, ok)
    curves = _curves(plan, E, p_success, sp_finish, p_by)
    return TimelineResult(plan.unit, T, plan.seed, plan.distribution, p_success, (T - n_ok) / T, duration, err,
                          plan.deadline, p_deadline, single_point, tasks_out, progress, groups_out,
                          plan=_plan_dict(plan), curves=curves)


def _progress(plan: _Plan, S: np.ndarray, F: list[Any], E_all: np.ndarray, ok: np.ndarray) -> list[dict[str, float]]:
    """Importance-weighted share of the plan done over time: mean and p10-p90 band across trials.

    The units are the tasks outside groups and the groups (a group weighs as
    much as its most important member). A unit counts as done once it has
    succeeded and everything it waits for is done; after a failure, work that
    depends on it never completes, so failed trials stall below 100%.
    """
    n, T = len(plan.tasks), plan.trials
    done: list[Any] = [None] * len(F)
    for v in plan.order:
        if v < n:
            d = S[v].copy()
            for u in plan.deps[v]:
                d &= done[u]
            done[v] = d
        else:
            done[v] = np.any(np.stack([done[m] for m in plan.members[v - n]]), axis=0)
    weights = np.array([plan.tasks[v].importance if v < n else max(plan.tasks[m].importance
                        for m in plan.members[v - n]) for v in plan.top], dtype=np.intp)
    W = int(weights.sum())
    ends = [np.where(done[v], F[v], np.inf) for v in plan.top]  # completion time of each unit, inf if never
    if ok.any():
        horizon = float(E_all[ok].max())
    else:
        finite = [float(c[np.isfinite(c)].max()) for c in ends if np.isfinite(c).any()]
        horizon = max(finite, default=1.0)
    horizon = horizon if horizon > 0 else 1.0
    step = horizon / (PROGRESS_POINTS - 1)
    grid = np.linspace(0.0, horizon, PROGRESS_POINTS)
    # level[g, j]: importance done by grid point g in run j (whole numbers, so the band's quantiles are exact).
    # Row P - 1 collects what completes beyond the grid or never.
    P = PROGRESS_POINTS + 1
    level = np.zeros((P, T), dtype=np.int32)
    runs = np.arange(T)
    for c, w in zip(ends, weights.tolist()):
        first = np.where(c <= horizon, np.minimum(np.ceil(np.minimum(c, horizon) / step), PROGRESS_POINTS - 1), P - 1)
        level[first.astype(np.intp), runs] += w  # one entry per run: plain fancy indexing is safe
    level = level[:PROGRESS_POINTS]
    for g in range(1, PROGRESS_POINTS):  # running total over time (np.cumsum along axis 0 is slower)
        level[g] += level[g - 1]
    mean = level.mean(axis=1) / W
    # p10 / p90 per time point (inverted-CDF quantiles) from the counts of each level
    cum = np.cumsum(np.stack([np.bincount(row, minlength=W + 1) for row in level]), axis=1)
    p10 = np.argmax(cum >= 0.1 * T, axis=1) / W
    p90 = np.argmax(cum >= 0.9 * T, axis=1) / W
    return [{"time": float(t), "mean": float(a), "p10": float(lo), "p90": float(hi)}
            for t, a, lo, hi in zip(grid, mean, p10, p90)]


def _curves(plan: _Plan, E: np.ndarray, p_success: float, sp: float, p_by: Any) -> dict[str, Any]:
    """Chart data: histogram of finishing times, cumulative chance by time, commitment point."""
    T = plan.trials
    marks = [{"label": "Single-point plan", "time": sp}]
    if plan.deadline is not None:
        marks.append({"label": "Deadline", "time": plan.deadline})
    if not E.size:
        return {"histogram": [], "cumulative": [], "marks": marks, "level": [{"p": 0.0, "label": "Chance of success"}],
                "commit": None}
    lo, hi = float(E[0]), float(E[-1])
    if hi > lo:
        counts, edges = np.histogram(E, bins=HISTOGRAM_BINS, range=(lo, hi))
    else:  # every successful run ends at the same time
        counts, edges = np.histogram(E, bins=1, range=(lo - 0.5, lo + 0.5))
    histogram = [{"start": float(a), "end": float(b), "count": int(k), "share": int(k) / T}
                 for a, b, k in zip(edges[:-1], edges[1:], counts)]
    right = max(hi, sp, plan.deadline or 0.0)
    grid = np.linspace(0.0, right * 1.02 if right > 0 else 1.0, CURVE_POINTS)
    cumulative = [{"time": float(t), "p": int(k) / T} for t, k in zip(grid, np.searchsorted(E, grid, side="right"))]
    p85 = _pct(E, COMMITMENT)
    commit = math.ceil(p85 - 1e-9) if p85 >= 3 else math.ceil(p85 * 10 - 1e-9) / 10
    marks.append({"label": "85% of successful runs", "time": p85})
    return {"histogram": histogram, "cumulative": cumulative, "marks": marks,
            "level": [{"p": p_success, "label": "Chance of success"}],
            "commit": {"time": float(commit), "p": p_by(float(commit))}}


def _num(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


def _plan_dict(plan: _Plan) -> dict[str, Any]:
    """The validated plan in input form (what the downloads hold)."""
    out: dict[str, Any] = {"unit": plan.unit, "distribution": plan.distribution, "group_mode": plan.group_mode}
    if plan.deadline is not None:
        out["deadline"] = _num(plan.deadline)
    out.update(trials=plan.trials, seed=plan.seed, tasks=[])
    for t in plan.tasks:
        row: dict[str, Any] = {"id": t.id, "name": t.name, "optimistic": _num(t.optimistic),
                               "most_likely": _num(t.most_likely), "pessimistic": _num(t.pessimistic),
                               "p_success": _num(t.p_success), "importance": t.importance,
                               "depends_on": list(t.depends_on)}
        if t.group:
            row["group"] = t.group
        out["tasks"].append(row)
    return out


# --------------------------------------------------------------------------- public API


def simulate(tasks: list[dict[str, Any]] | list[Task], *, unit: str = "weeks", trials: int = DEFAULT_TRIALS,
             seed: int | None = None, distribution: str = "pert", deadline: float | None = None,
             group_mode: str = "parallel") -> TimelineResult:
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
    data = {"tasks": rows, "unit": unit, "trials": trials, "seed": seed, "distribution": distribution,
            "deadline": deadline, "group_mode": group_mode}
    return _run(parse(data))


def compute(plan: _Plan) -> TimelineResult:
    """Simulate a plan that :func:`parse` validated."""
    return _run(plan)


def from_input(data: Any) -> TimelineResult:
    """Validate a plan object (``{"unit", "tasks", "trials", "seed", "distribution", "deadline",
    "group_mode"}``, every option with a default) and simulate it."""
    return _run(parse(data))


# --------------------------------------------------------------------------- form and view


def form() -> list[forms.Field]:
    d = default_input()
    return [
        forms.table("tasks", "Tasks", [
            forms.text("id", "Id", max_length=MAX_ID, help="A short unique id; other tasks refer to it."),
            forms.text("name", "Name", optional=True),
            forms.number("optimistic", "Optimistic", default=1, min=0, max=MAX_TIME),
            forms.number("most_likely", "Most likely", default=2, min=0, max=MAX_TIME),
            forms.number("pessimistic", "Pessimistic", default=4, min=0, max=MAX_TIME),
            forms.number("p_success", "Chance of success", default=1, min=0, max=1, step=0.05, optional=True,
                         help="How likely the task is to work at all (1 = certain; empty = 1)."),
            forms.number("importance", "Importance", default=3, min=1, max=5, step=1, optional=True,
                         help="1 = nice to have, 5 = the project is pointless without it (empty = 3)."),
            forms.text("group", "Group", max_length=MAX_ID, optional=True,
                       help="Tasks with the same group are alternative approaches to one goal; "
                            "other tasks can depend on the group id."),
            forms.tags("depends_on", "Depends on", help="Ids of the tasks or groups this task waits for."),
        ], default=d["tasks"], max_rows=MAX_TASKS,
            help="One row per task. Estimates are in the plan's time unit."),
        forms.group("Options", [
            forms.text("unit", "Time unit", default=d["unit"], max_length=20),
            forms.select("distribution", "Duration shape", [("pert", "PERT (beta), favours the most likely time"),
                                                            ("triangular", "Triangular, heavier tails")],
                         default=d["distribution"]),
            forms.select("group_mode", "Alternatives in a group",
                         [("parallel", "Tried in parallel: the earliest success wins"),
                          ("sequential", "Tried in turn: the next starts when one fails")],
                         default=d["group_mode"]),
            forms.number("deadline", "Deadline", default=d.get("deadline"), min=0, max=MAX_TIME, optional=True,
                         help="Optional: the chance of finishing by this time is reported."),
            forms.number("trials", "Trials", default=d["trials"], min=MIN_TRIALS, max=MAX_TRIALS, step=100),
            forms.number("seed", "Random seed", default=d["seed"], min=0, max=2**32 - 1, step=1,
                         help="The same plan and seed always give the same answer."),
        ], open=False),
    ]


def _pc(p: float) -> str:
    """A probability as a percentage that never rounds a real chance to 0% or 100%."""
    if 0 < p < 0.005:
        return "<1%"
    if 0.995 <= p < 1:
        return ">99%"
    return f"{p:.0%}"


def _at(t: float, unit: str) -> str:
    """'week 14' for whole times in a plural unit, else '13.2 weeks'."""
    if float(t).is_integer() and unit.endswith("s") and unit[:-1].isalpha():
        return f"{unit[:-1]} {int(t)}"
    return f"{t:.1f} {unit}"


def _fmt(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else f"{x:.{digits}f}"


def _csv(rows: list[list[Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    for row in rows:
        # a leading = + - @ would make a spreadsheet run the cell as a formula
        writer.writerow([f"'{v}" if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row])
    return buf.getvalue()


def render(result: TimelineResult) -> list[view.Block]:
    """The result as view blocks: summary, metrics, tables, charts and downloads."""
    r, u, d, e = result, result.unit, result.duration, result.duration_error
    blocks: list[view.Block] = []
    sp = r.single_point
    top = r.tasks[0] if r.tasks else None
    commit = r.curves.get("commit")
    if commit is not None and d["p85"] is not None:
        parts = ["No task in this plan can fail, so it always succeeds." if r.p_success == 1 else
                 f"This plan has a {_pc(r.p_success)} chance of succeeding at all."]
        parts.append(f"There is a {_pc(commit['p'])} chance of shipping by {_at(commit['time'], u)} "
                     f"(85% of the runs that succeed are done by then).")
        parts.append(f"The single-point plan (every task at its most likely time) says "
                     f"{_at(round(sp['finish'], 1), u)}, which has a {_pc(sp['p_by_then'])} chance.")
        if r.deadline is not None and r.p_by_deadline is not None:
            parts.append(f"The deadline, {_at(r.deadline, u)}, has a {_pc(r.p_by_deadline)} chance.")
        if top is not None and top["risk_score"] > 0:
            why = []
            if top["sinks"] > 0:
                why.append(f"it sinks the project in {_pc(top['sinks'])} of runs")
            if top["p85_shift"] > 0:
                why.append(f"its uncertainty adds {top['p85_shift']:.1f} {u} to the 85% date")
            parts.append(f"De-risk first: {top['name']} ({' and '.join(why)}).")
        blocks.append(view.summary(" ".join(parts)))
    else:
        blocks.append(view.summary("The project never succeeded in the simulation: some task or group always "
                                   "fails. Raise its chance of success or add an alternative approach."))
    if 0 < r.p_success < 0.5:
        blocks.append(view.notice(f"The project is more likely to fail than to succeed ({_pc(r.p_never)} chance it "
                                  "never succeeds). Add alternative approaches to the riskiest goals or cut scope "
                                  "before committing to a date.", level="warning"))
    if 0 < r.p_success * r.trials < 200:
        blocks.append(view.notice(f"Only {round(r.p_success * r.trials)} trials succeeded, so the percentiles are "
                                  "rough; run more trials.", level="warning"))
    metrics: list[tuple[str, str] | tuple[str, str, str]] = [
        ("Chance of success", _pc(r.p_success), "the curve below levels off here"),
    ]
    if d["p50"] is not None:
        metrics += [("Median finish", f"{d['p50']:.1f} {u}", "if it succeeds"),
                    ("85% commitment", f"{d['p85']:.1f} {u}", "if it succeeds")]
    metrics.append(("Single-point plan", f"{sp['finish']:.1f} {u}", f"{_pc(sp['p_by_then'])} chance by then"))
    if r.deadline is not None and r.p_by_deadline is not None:
        metrics.append(("Chance by the deadline", _pc(r.p_by_deadline), f"{r.deadline:g} {u}"))
    blocks.append(view.metrics(*metrics))

    if d["p50"] is not None:
        curves = r.curves
        blocks.append(view.heading("When it finishes"))
        marks = ", ".join(f"{m['label'].lower()} at {m['time']:.1f}" for m in curves["marks"])
        blocks.append(view.chart(
            "timeline_finish", {"histogram": curves["histogram"], "marks": curves["marks"]},
            title="Finishing time of the runs that succeed",
            alt=f"Histogram of the finishing time over the successful runs, from {curves['histogram'][0]['start']:.1f} "
                f"to {curves['histogram'][-1]['end']:.1f} {u}, median {d['p50']:.1f}; vertical lines mark {marks}."))
        blocks.append(view.chart(
            "timeline_cumulative", {"cumulative": curves["cumulative"], "level": curves["level"],
                                    "marks": curves["marks"]},
            title="Chance of having shipped by each time",
            alt="Cumulative chance of having succeeded by each time. It rises from 0 and "
                + (f"levels off at {_pc(r.p_success)}, not 100%, because {_pc(r.p_never)} of the runs never succeed. "
                   if r.p_never > 0 else "reaches 100%, because no task can fail. ")
                + (f"It passes {_pc(commit['p'])} at {commit['time']:g} {u}." if commit else "")))
        blocks.append(view.table(
            "Finishing time if the project succeeds (± Monte Carlo standard error)",
            ["Percentile", f"Finish ({u})", "±", "Overall chance by then"],
            [[f"P{q}" + (" (commitment)" if q == COMMITMENT else ""), _fmt(d[f"p{q}"]), _fmt(e[f"p{q}"], 2),
              _pc(r.p_success * q / 100)] for q in PERCENTILES]
            + [["Mean", _fmt(d["mean"]), _fmt(e["mean"], 2), ""]]))

    blocks.append(view.heading("What to de-risk first"))
    blocks.append(view.bullet_list([
        f"{t['name']}: " + (f"{_pc(t['sinks'])} chance it sinks the project; " if t["sinks"] > 0 else "")
        + f"on the critical path in {_pc(t['criticality'])} of successful runs"
        + (f"; at its optimistic time the 85% date moves {t['p85_shift']:.1f} {u} earlier" if t["p85_shift"] > 0
           else "")
        for t in r.tasks[:5] if t["risk_score"] > 0] or ["No task carries measurable risk in this plan."],
        ordered=True))
    risk_rows = []
    for rank, t in enumerate(r.tasks):
        w = t["importance"] / 5
        sched = t["risk_score"] - w * t["sinks"]
        risk_rows.append({"task": t["name"], "rank": rank, "part": "Failure", "value": w * t["sinks"]})
        risk_rows.append({"task": t["name"], "rank": rank, "part": "Schedule", "value": sched})
    top_name = top["name"] if top else "-"
    blocks.append(view.chart(
        "timeline_risk", {"risk": risk_rows}, title="Risk score by task",
        alt=f"Horizontal bars of each task's risk score, split into failure and schedule parts, highest first; "
            f"{top_name} is highest at {top['risk_score']:.3f}." if top else "Risk score by task."))
    blocks.append(view.chart(
        "timeline_scatter", {"tasks": [{"task": t["name"], "id": t["id"], "p_success": t["p_success"],
                                        "importance": t["importance"], "risk_score": t["risk_score"]}
                                       for t in r.tasks]},
        title="Likelihood of success against importance (bigger = riskier)",
        alt="Scatter of the tasks by importance (1 to 5, across) and chance of success (0 to 1, up); "
            "important tasks that are unlikely to work sit bottom right: "
            + (", ".join(t["name"] for t in r.tasks if t["importance"] >= 4 and t["p_success"] < 0.8) or "none")
            + "."))

    blocks.append(view.table(
        "Tasks, riskiest first", ["Task", "Chance of success", "Importance", "Critical", f"85% shift ({u})",
                                  "Sinks project", "Risk score"],
        [[t["name"], _pc(t["p_success"]), t["importance"], _pc(t["criticality"]), _fmt(t["p85_shift"]),
          _pc(t["sinks"]), f"{t['risk_score']:.3f}"] for t in r.tasks]))

    if r.groups:
        blocks.append(view.heading("Alternative approaches"))
        blocks.append(view.table(
            "What each group of alternatives buys", ["Group", "Approaches", "Group succeeds", "Best single approach",
                                                     "Project with it alone", "Project with all"],
            [[g["id"], ", ".join(g["members"]), _pc(g["p_success"]), g["best_single"],
              _pc(g["p_project_best_single"]), _pc(g["p_project"])] for g in r.groups]))
        g = max(r.groups, key=lambda g: g["p_project"] - g["p_project_best_single"])
        blocks.append(view.paragraph(
            f"With only its best approach ({g['best_single']}), group {g['id']} would leave the project a "
            f"{_pc(g['p_project_best_single'])} chance of success; trying all its approaches gives "
            f"{_pc(g['p_project'])}."))

    blocks.append(view.heading("Progress over time"))
    half = next((p["time"] for p in r.progress if p["mean"] >= 0.5), None)
    blocks.append(view.chart(
        "timeline_progress", {"progress": r.progress}, title="Share of the plan done (importance-weighted)",
        alt=f"Expected share of the plan done over time with a band from the 10th to the 90th percentile run. "
            + (f"Half the plan is done by about {half:.1f} {u} on average; " if half is not None else "")
            + f"the average reaches {_pc(r.progress[-1]['mean'])} by {r.progress[-1]['time']:.1f} {u}"
            + (", and runs that hit a failure stall below 100%." if r.p_never > 0 else ".")))
    blocks.append(view.paragraph(
        "Progress on ML work is uneven: risky steps can hold everything behind them, and a failure stalls "
        "the plan. The band shows how far apart a lucky and an unlucky run can be at the same date."))

    plan = r.plan
    plan_rows: list[list[Any]] = [["id", "name", "optimistic", "most_likely", "pessimistic", "p_success",
                                   "importance", "group", "depends_on"]]
    plan_rows += [[t["id"], t["name"], t["optimistic"], t["most_likely"], t["pessimistic"], t["p_success"],
                   t["importance"], t.get("group", ""), ", ".join(t["depends_on"])] for t in plan.get("tasks", [])]
    risk_csv: list[list[Any]] = [["rank", "id", "name", "p_success", "importance", "criticality", "p85_shift",
                                  "sinks", "risk_score"]]
    risk_csv += [[i + 1, t["id"], t["name"], t["p_success"], t["importance"], round(t["criticality"], 4),
                  round(t["p85_shift"], 4), round(t["sinks"], 4), round(t["risk_score"], 4)]
                 for i, t in enumerate(r.tasks)]
    risk_csv += [[]] + [["percentile", f"finish ({u})", "standard error"]]
    risk_csv += [[k, "" if d[k] is None else round(d[k], 4), "" if e[k] is None else round(e[k], 4)] for k in d]
    blocks += [
        view.download("Download the plan (JSON)", "timeline-plan.json", json.dumps(plan, indent=2)),
        view.download("Download the plan (CSV)", "timeline-plan.csv", _csv(plan_rows), mime="text/csv"),
        view.download("Download the result (JSON)", "timeline-result.json",
                      json.dumps(r.to_dict(), indent=2, allow_nan=False)),
        view.download("Download the result (CSV)", "timeline-result.csv", _csv(risk_csv), mime="text/csv"),
    ]
    return blocks
