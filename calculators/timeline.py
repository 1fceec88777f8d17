"""Probabilistic timeline of an ML project (first slice).

A plan is a list of tasks with three-point estimates and a chance of success.
Durations are drawn from PERT-beta distributions; a task starts when all the
tasks it depends on have finished; the project succeeds when every task does.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from . import _inputs, forms, view
from ._data import load_toml
from .errors import Collector

TITLE = "Timeline simulator"
MAX_TASKS = 100
MIN_TRIALS, MAX_TRIALS = 100, 100_000
PERCENTILES = (10, 50, 70, 80, 85, 90, 95)


@dataclass(frozen=True)
class Task:
    id: str
    name: str
    optimistic: float
    most_likely: float
    pessimistic: float
    p_success: float = 1.0
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class TimelineResult:
    unit: str
    trials: int
    seed: int
    p_success: float
    p_never: float
    duration: dict[str, float]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def examples() -> list[dict[str, Any]]:
    """The example plans from ``data/timeline_examples.toml``."""
    return [
        {"id": p["id"], "label": p["label"], "input": {k: v for k, v in p.items() if k not in ("id", "label")}}
        for p in load_toml("timeline_examples.toml")["plan"]
    ]


def default_input() -> dict[str, Any]:
    return {**examples()[0]["input"], "trials": 10_000, "seed": 1}


def parse(data: Any) -> tuple[list[Task], dict[str, Any]]:
    """Validate a plan object; return its tasks and options or raise InputError."""
    c = Collector()
    data = _inputs.mapping(c, "", data)
    c.raise_if_any()
    raw_tasks = data.get("tasks", [])
    if not isinstance(raw_tasks, list) or not raw_tasks:
        c.add("tasks", "the plan needs at least one task")
        c.raise_if_any()
    if len(raw_tasks) > MAX_TASKS:
        c.add("tasks", f"the plan has {len(raw_tasks)} tasks; the limit in a browser is {MAX_TASKS}")
        c.raise_if_any()
    tasks: list[Task] = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_tasks):
        f = f"tasks[{i}]"
        raw = _inputs.mapping(c, f, raw)
        if raw is None:
            continue
        tid = _inputs.text(c, f"{f}.id", raw.get("id", ""), max_len=40, label="id")
        if tid == "":
            c.add(f"{f}.id", f"task {i + 1} needs an id")
        elif tid is not None and tid in seen:
            c.add(f"{f}.id", f"task id {tid!r} is used twice")
        label = f"task {tid!r}" if tid else f"task {i + 1}"
        o = _inputs.number(c, f"{f}.optimistic", raw.get("optimistic"), lo=0, hi=1e6, label=f"{label}: optimistic")
        m = _inputs.number(c, f"{f}.most_likely", raw.get("most_likely"), lo=0, hi=1e6, label=f"{label}: most likely")
        p = _inputs.number(c, f"{f}.pessimistic", raw.get("pessimistic"), lo=0, hi=1e6, label=f"{label}: pessimistic")
        if o is not None and m is not None and m < o:
            c.add(f"{f}.most_likely", f"{label}: most likely ({m:g}) is below optimistic ({o:g})")
        if m is not None and p is not None and p < m:
            c.add(f"{f}.pessimistic", f"{label}: pessimistic ({p:g}) is below most likely ({m:g})")
        ps = _inputs.number(c, f"{f}.p_success", raw.get("p_success", 1.0), lo=0, hi=1, label=f"{label}: p_success")
        deps = raw.get("depends_on", [])
        if not isinstance(deps, list) or not all(isinstance(d, str) for d in deps):
            c.add(f"{f}.depends_on", f"{label}: depends_on must be a list of task ids")
            deps = []
        name = _inputs.text(c, f"{f}.name", raw.get("name", ""), label=f"{label}: name")
        if tid:
            seen.add(tid)
        if None not in (tid, o, m, p, ps, name):
            tasks.append(Task(tid, name or tid, o, m, p, ps, tuple(d.strip() for d in deps)))
    for i, t in enumerate(tasks):
        for d in t.depends_on:
            if d not in seen:
                c.add(f"tasks[{i}].depends_on", f"task {t.id!r} depends on unknown task {d!r}")
    trials = _inputs.number(c, "trials", data.get("trials", 10_000), lo=MIN_TRIALS, hi=MAX_TRIALS, integer=True)
    seed = _inputs.number(c, "seed", data.get("seed", 1), lo=0, hi=2**32 - 1, integer=True)
    unit = _inputs.text(c, "unit", data.get("unit", "weeks"), max_len=20)
    c.raise_if_any()
    order = _topological(tasks, c)
    c.raise_if_any()
    return [tasks[i] for i in order], {"trials": trials, "seed": seed, "unit": unit or "weeks"}


def _topological(tasks: list[Task], c: Collector) -> list[int]:
    index = {t.id: i for i, t in enumerate(tasks)}
    state: dict[int, int] = {}
    order: list[int] = []

    def visit(i: int, path: list[str]) -> None:
        if state.get(i) == 2:
            return
        if state.get(i) == 1:
            cycle = path[path.index(tasks[i].id):] + [tasks[i].id]
            c.add(f"tasks[{i}].depends_on", "dependency cycle: " + " -> ".join(cycle))
            raise _Cycle
        state[i] = 1
        for d in tasks[i].depends_on:
            visit(index[d], path + [tasks[i].id])
        state[i] = 2
        order.append(i)

    try:
        for i in range(len(tasks)):
            visit(i, [])
    except _Cycle:
        return []
    return order


class _Cycle(Exception):
    pass


def _pert(rng: np.random.Generator, o: float, m: float, p: float, n: int) -> np.ndarray:
    if p == o:
        return np.full(n, o)
    alpha = 1 + 4 * (m - o) / (p - o)
    beta = 1 + 4 * (p - m) / (p - o)
    return o + (p - o) * rng.beta(alpha, beta, n)


def simulate(tasks: list[dict[str, Any]] | list[Task], *, trials: int = 10_000, seed: int = 1,
             unit: str = "weeks") -> TimelineResult:
    """Simulate a plan ``trials`` times.

    Examples
    --------
    >>> r = simulate([{"id": "a", "optimistic": 2, "most_likely": 2, "pessimistic": 2, "p_success": 0.5}],
    ...              trials=1000, seed=0)
    >>> r.duration["p50"], round(r.p_success, 1)
    (2.0, 0.5)
    """
    parsed, opts = parse({"tasks": [asdict(t) if isinstance(t, Task) else t for t in tasks],
                          "trials": trials, "seed": seed, "unit": unit})
    return _run(parsed, **opts)


def _run(tasks: list[Task], *, trials: int, seed: int, unit: str) -> TimelineResult:
    rng = np.random.default_rng(seed)
    finish: dict[str, np.ndarray] = {}
    ok = np.ones(trials, dtype=bool)
    for t in tasks:
        start = np.zeros(trials)
        for d in t.depends_on:
            start = np.maximum(start, finish[d])
        finish[t.id] = start + _pert(rng, t.optimistic, t.most_likely, t.pessimistic, trials)
        ok &= rng.random(trials) < t.p_success
    end = np.max(np.stack(list(finish.values())), axis=0)[ok]
    p_success = float(ok.mean())
    duration: dict[str, float] = {}
    if end.size:
        duration["mean"] = float(end.mean())
        for q, v in zip(PERCENTILES, np.percentile(end, PERCENTILES)):
            duration[f"p{q}"] = float(v)
    return TimelineResult(unit, trials, seed, p_success, 1 - p_success, duration)


def from_input(data: Any) -> TimelineResult:
    tasks, opts = parse(data)
    return _run(tasks, **opts)


def form() -> list[forms.Field]:
    d = default_input()
    return [
        forms.table("tasks", "Tasks", [
            forms.text("id", "Id", max_length=40),
            forms.text("name", "Name", optional=True),
            forms.number("optimistic", "Optimistic", default=1, min=0, max=1e6),
            forms.number("most_likely", "Most likely", default=2, min=0, max=1e6),
            forms.number("pessimistic", "Pessimistic", default=4, min=0, max=1e6),
            forms.number("p_success", "Chance of success", default=1, min=0, max=1, step=0.05),
            forms.tags("depends_on", "Depends on"),
        ], default=d["tasks"], max_rows=MAX_TASKS,
            help="One row per task. Estimates are in the plan's unit; 'depends on' lists task ids."),
        forms.group("Options", [
            forms.text("unit", "Time unit", default=d["unit"], max_length=20),
            forms.number("trials", "Trials", default=d["trials"], min=MIN_TRIALS, max=MAX_TRIALS, step=100),
            forms.number("seed", "Random seed", default=d["seed"], min=0, max=2**32 - 1, step=1),
        ]),
    ]


def render(result: TimelineResult) -> list[view.Block]:
    d, u = result.duration, result.unit
    blocks = []
    if d:
        blocks.append(view.summary(
            f"{result.p_success:.0%} chance the project succeeds at all. If it does, half the time it is done "
            f"by {d['p50']:.1f} {u}, and 85% of the time by {d['p85']:.1f} {u}."))
        blocks.append(view.metrics(("Chance of success", f"{result.p_success:.0%}"),
                                   ("Median finish", f"{d['p50']:.1f} {u}"),
                                   ("85% commitment", f"{d['p85']:.1f} {u}")))
        blocks.append(view.table("Finishing time when the project succeeds", ["Percentile", f"Finish ({u})"],
                                 [[f"P{q}", f"{d[f'p{q}']:.1f}"] for q in PERCENTILES]))
    else:
        blocks.append(view.summary("The project never succeeded in the simulation: some task always fails."))
    blocks.append(view.download("Download result (JSON)", "timeline-result.json",
                                json.dumps(result.to_dict(), indent=2)))
    return blocks
