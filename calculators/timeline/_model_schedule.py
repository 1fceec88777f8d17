"""The forward pass of the simulation: when each task starts and finishes, all trials at once (numpy only).

A task starts when everything it waits for has finished and, if it has an
owner, when one of the owner's ``capacity`` hands is free. Tasks are taken in
the plan's row order (a task waits for its dependencies, so it comes after
them): each person works through their tasks from the top row down, at most
``capacity`` at a time, and does not start a lower row before a higher one.
This is list scheduling in a fixed order, so a shorter task, more capacity or an
earlier dependency never makes anything later.

Progress: a done task took ``actual`` (and, once the plan has a today, holds
no one's hand: it is in the past); a task in progress started at ``started``
(or, with ``remaining``, runs from ``as_of``) and is placed first; a task to do
starts no earlier than ``as_of``. A dropped task never runs, and neither does anything
waiting for an optional task that failed or was dropped, nor an alternative
tried in turn after one that worked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from .inputs import Plan

Array = npt.NDArray[Any]


@dataclass
class Pass:
    """One forward pass: per node (tasks, then groups) its finish ``F`` and whether it worked ``W``;
    per task its start, whether it ran, and the task that held its owner's hand before it (-1: none)."""

    F: list[Any]
    W: list[Any]
    start: list[Any]
    runs: list[Any]
    before: Array | None  # (tasks, trials) of task indices, or None without owners
    out: list[Any]  # per node: dropped in this trial
    tried: list[Any]  # per task: reached in its sequential group


def fixed_start(plan: Plan) -> list[float | None]:
    """Per task, the time it started (in progress) or runs from (in progress with a new estimate)."""
    out: list[float | None] = []
    for t in plan.tasks:
        if t.status == "doing":
            out.append(plan.as_of if t.remaining is not None else t.started)
        else:
            out.append(None)
    return out


def processing_order(plan: Plan) -> list[int]:
    """Tasks in progress first (they hold their owner's hands already), then every node in dependency
    order, ties by row."""
    n = len(plan.tasks)
    doing = [v for v in range(n) if plan.tasks[v].status == "doing"]
    return doing + [v for v in plan.order if v >= n or plan.tasks[v].status != "doing"]


def forward(
    plan: Plan,
    D: Array,
    S: Array,
    *,
    override: tuple[int, float] | None = None,
    capacity: tuple[int, ...] | None = None,
    track: bool = True,
    reuse: Pass | None = None,
    only: frozenset[int] = frozenset(),
) -> Pass:
    """Every node's finish and success in every trial (see the module's docstring).

    ``track``: record who held each owner's hand before each task (for the critical path); a re-run
    that only needs the finish leaves it out. ``reuse`` and ``only`` (a plan without owners): recompute
    only the nodes in ``only`` and take the others from ``reuse``, a pass over the same draws.
    """
    n, T = D.shape
    N = n + len(plan.group_ids)
    F: list[Any] = [None] * N
    W: list[Any] = [None] * N
    starts: list[Any] = [None] * n
    runs: list[Any] = [None] * n
    out: list[Any] = [None] * N  # dropped in this trial (a failed or dropped optional task upstream)
    tried: list[Any] = [None] * n  # sequential groups: every earlier approach failed
    caps = capacity if capacity is not None else plan.capacity
    lanes = [np.zeros((c, T)) for c in caps]
    holder = [np.full((c, T), -1, dtype=np.intp) for c in caps]
    before = np.full((n, T), -1, dtype=np.intp) if caps and track else None
    cols = np.arange(T)
    fixed = fixed_start(plan)
    as_of = plan.as_of
    fin: Any
    none, every = np.zeros(T, dtype=bool), np.ones(T, dtype=bool)  # shared, never written to
    for v in processing_order(plan):
        if reuse is not None and v not in only:
            F[v], W[v], out[v] = reuse.F[v], reuse.W[v], reuse.out[v]
            if v < n:
                starts[v], runs[v], tried[v] = reuse.start[v], reuse.runs[v], reuse.tried[v]
            continue
        if v >= n:
            mem = plan.members[v - n]
            out[v] = np.all(np.stack([out[m] for m in mem]), axis=0)
            W[v] = np.any(np.stack([W[m] for m in mem]), axis=0)
            if plan.group_mode == "parallel":
                fin = np.where(W[mem[0]], F[mem[0]], np.inf)
                for m in mem[1:]:
                    np.minimum(fin, np.where(W[m], F[m], np.inf), out=fin)
            else:
                fin = np.full(T, np.inf)
                for m in reversed(mem):
                    fin = np.where(W[m], F[m], fin)
            F[v] = fin
            continue
        t = plan.tasks[v]
        gone = none
        if t.status == "dropped":
            gone = every
        for d in plan.deps[v]:
            if plan.optional[d]:
                gone = gone | out[d] | ~W[d]
        p = plan.prev[v]
        tried[v] = every if p is None else tried[p] & (out[p] | ~W[p])
        out[v] = gone
        run = tried[v] if gone is none else ~gone & tried[v]
        runs[v] = run
        dur = override[1] if override is not None and override[0] == v else D[v]
        start: Any
        if fixed[v] is not None:
            start = np.full(T, fixed[v])
        else:
            waits = [F[d] for d in plan.deps[v]] + ([F[p]] if p is not None else [])
            start = waits[0] if waits else np.zeros(T)
            for f in waits[1:]:
                start = np.maximum(start, f)
            if as_of is not None and t.status == "todo":
                start = np.maximum(start, as_of)
        o = plan.owner_of[v] if caps and not (t.status == "done" and as_of is not None) else -1
        if o >= 0 and caps[o] == 1:  # one pair of hands: no choice of lane
            free = lanes[o][0]
            if before is not None:
                before[v] = np.where(run & (free > start), holder[o][0], -1)
                holder[o][0] = np.where(run, v, holder[o][0])
            if fixed[v] is None:
                start = np.where(run, np.maximum(start, free), start)
            fin = start + np.where(run, dur, 0.0)
            lanes[o][0] = np.where(run, np.maximum(free, fin), free)
        elif o >= 0:
            lane = lanes[o]
            j = np.argmin(lane, axis=0)
            free = lane[j, cols]
            if before is not None:
                before[v] = np.where(run & (free > start), holder[o][j, cols], -1)
                holder[o][j, cols] = np.where(run, v, holder[o][j, cols])
            if fixed[v] is None:
                start = np.where(run, np.maximum(start, free), start)
            fin = start + np.where(run, dur, 0.0)
            lane[j, cols] = np.where(run, np.maximum(free, fin), free)
        else:
            fin = start + dur if run is every or run.all() else start + np.where(run, dur, 0.0)
        starts[v] = start
        F[v] = fin
        W[v] = S[v] if run is every else S[v] & run
    return Pass(F, W, starts, runs, before, out, tried)


def end(plan: Plan, F: list[Any]) -> Array:
    """The plan's finish in each trial: when its last required task (or group) is done."""
    ends = plan.required_ends
    result: Array = F[ends[0]]
    for v in ends[1:]:
        result = np.maximum(result, F[v])
    return result


def critical(plan: Plan, run: Pass, E: Array, tol: float) -> Array:
    """Per task, in each trial, whether it lies on a chain of tasks each starting the moment the one before
    it finished (its dependency or the task that held its owner's hand), ending at the finish."""
    n, T = len(plan.tasks), E.shape[0]
    N = len(run.F)
    crit = np.zeros((N, T), dtype=bool)
    for v in plan.required_ends:
        crit[v] = run.F[v] >= E - tol
    fixed = fixed_start(plan)
    cols = np.arange(T)
    for v in reversed(processing_order(plan)):
        c = crit[v]
        if not c.any():
            continue
        if v >= n:
            for m in plan.members[v - n]:
                crit[m] |= c & run.W[m] & (run.F[m] <= run.F[v] + tol)
            continue
        if fixed[v] is not None:
            continue  # started already: nothing before it holds it up now
        s = run.start[v]
        prev = plan.prev[v]
        preds = list(plan.deps[v]) + ([prev] if prev is not None else [])
        for d in preds:
            crit[d] |= c & (run.F[d] >= s - tol)
        if run.before is not None:
            b = run.before[v]
            hit = c & (b >= 0)
            crit[b[hit], cols[hit]] = True
    return crit[:n]


def slack_critical(plan: Plan, D: Array, S: Array, F: list[Any], E: Array, tol: float) -> Array:
    """Per task, a boolean row: on the critical path (zero slack) in each (successful) trial."""
    n, N = len(plan.tasks), len(F)
    inf = np.full(E.shape, np.inf)
    LF: list[Any] = [None] * N
    for v in plan.required_ends:
        LF[v] = E
    for v in plan.top:
        if LF[v] is None and v not in plan.required_ends:
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
                tried = ~np.any(S[list(mem[: mem.index(v)])], axis=0)
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
