"""The simulation: numpy only, no prose.

Every task's duration and success are drawn ``trials`` times and propagated
through the dependency graph, all trials at once (see :mod:`calculators.timeline`
for the model). :func:`run` returns the numbers a :class:`~.result.TimelineResult`
holds; the words come from :mod:`.result` and :mod:`.view`, which import this
module (never the other way round).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from . import _model_whatif as whatif
from ._model_sample import point as _point
from ._model_sample import sample as _sample
from ._model_schedule import Pass, critical, end, forward, slack_critical
from .inputs import Plan

PERCENTILES = (10, 50, 70, 80, 85, 90, 95)
COMMITMENT = whatif.COMMITMENT  # the percentile of the successful runs most teams commit to
PROGRESS_POINTS = 50
HISTOGRAM_BINS = 30
CURVE_POINTS = 61

Array = npt.NDArray[Any]


@dataclass(frozen=True)
class Simulation:
    """The numbers of one simulated plan (no words): what :mod:`.result` turns into an answer."""

    trials: int
    p_success: float
    p_never: float
    duration: dict[str, float | None]
    duration_error: dict[str, float | None]
    p_by_deadline: float | None
    single_point: dict[str, float]
    tasks: list[dict[str, Any]]
    progress: list[dict[str, float]]
    groups: list[dict[str, Any]]
    curves: dict[str, Any]
    owners: list[dict[str, Any]]
    moved: list[dict[str, Any]]


def _pct(sorted_x: Array, q: float) -> float:
    """``np.percentile(x, q)`` (linear interpolation) of an already sorted array, without re-sorting."""
    h = (sorted_x.size - 1) * q / 100
    lo = math.floor(h)
    hi = min(lo + 1, sorted_x.size - 1)
    return float(sorted_x[lo] + (h - lo) * (sorted_x[hi] - sorted_x[lo]))


def _order_stat_se(sorted_x: Array, q: float) -> float:
    """Monte Carlo standard error of the q-th percentile (order-statistic / binomial method)."""
    n = sorted_x.size
    f = q / 100
    k, sd = n * f, math.sqrt(n * f * (1 - f))
    lo = min(max(math.floor(k - sd), 0), n - 1)
    hi = min(max(math.ceil(k + sd) - 1, 0), n - 1)
    return float(sorted_x[hi] - sorted_x[lo]) / 2


def run(plan: Plan) -> Simulation:
    """Simulate a validated plan: every trial at once, then the summaries the result holds."""
    T = plan.trials
    D, S = _sample(plan)
    full = forward(plan, D, S)
    F, W = full.F, full.W
    E_all = end(plan, F)

    # success: every required top-level unit (task outside a group, or group) works
    unit_ok = {v: W[v] for v in plan.top}
    n_failed = np.zeros(T, dtype=np.int16)
    for v in plan.top:
        if not plan.optional[v]:
            n_failed += ~unit_ok[v]
    ok = n_failed == 0
    n_ok = int(ok.sum())
    p_success = n_ok / T
    E = np.sort(E_all[ok])
    tol = 1e-9 * max(1.0, float(E[-1]) if n_ok else 1.0)
    duration, err = _finish_stats(E)

    def p_by(t: float) -> float:
        return int(np.searchsorted(E, t + tol, side="right")) / T

    # single-point plan: most-likely durations, nothing fails
    sp_finish = float(end(plan, forward(plan, _point(plan), np.ones((len(plan.tasks), 1), dtype=bool)).F)[0])
    single_point = {"finish": sp_finish, "p_by_then": p_by(sp_finish)}
    p_deadline = None if plan.deadline is None else p_by(plan.deadline)
    p85 = duration[f"p{COMMITMENT}"]
    crit = _critical_share(plan, D, S, full, E_all, ok, tol)
    sub = _subset(ok, plan.lanes)
    tasks_out = _task_risk(plan, D, S, full, E_all, ok, unit_ok, crit, p85, tol, sub)
    groups_out = _alternatives(plan, S, unit_ok, n_failed, p_success)
    owners = whatif.owners(plan, D, S, crit, p85, sub, finish=_finish)
    progress = _progress(plan, W, F, E_all, ok)
    curves = _curves(plan, E, sp_finish, p_by)
    moved = whatif.moved(plan, p_success, p85, fresh=_fresh)
    return Simulation(
        T,
        p_success,
        (T - n_ok) / T,
        duration,
        err,
        p_deadline,
        single_point,
        tasks_out,
        progress,
        groups_out,
        curves,
        owners,
        moved,
    )


#: With owners, at most this many successful runs are re-run to ask "what if" (a task at its optimistic
#: time, one more pair of hands): the same runs before and after, so the difference is sharp with fewer.
WHAT_IF_RUNS = 4_000


def _subset(ok: Array, lanes: bool) -> Array:
    """Indices of the successful runs that the "what if" re-runs use: all of them, or with owners (where a
    re-run schedules every task again) the first :data:`WHAT_IF_RUNS`."""
    idx = np.flatnonzero(ok)
    return idx[:WHAT_IF_RUNS] if lanes else idx


def _finish(plan: Plan, D: Array, S: Array, **options: Any) -> Array:
    """The finishing times of a re-run over the draws ``D``, ``S`` (what-if: no critical path kept)."""
    return end(plan, forward(plan, D, S, track=False, **options).F)


def _fresh(plan: Plan) -> tuple[list[Any], Array]:
    """A plan played afresh: whether each node worked, and the finishing times."""
    D, S = _sample(plan)
    full = forward(plan, D, S, track=False)
    return full.W, end(plan, full.F)


def _ok_only(run_: Pass, ok: Array) -> Pass:
    """The pass restricted to the successful trials."""
    if bool(ok.all()):
        return run_

    def cut(xs: list[Any]) -> list[Any]:
        return [None if x is None else x[ok] for x in xs]

    return Pass(
        cut(run_.F),
        cut(run_.W),
        cut(run_.start),
        cut(run_.runs),
        None if run_.before is None else run_.before[:, ok],
        cut(run_.out),
        cut(run_.tried),
    )


def _critical_share(plan: Plan, D: Array, S: Array, full: Pass, E_all: Array, ok: Array, tol: float) -> Array:
    """Per task and successful trial, whether it is on the critical path (tasks x successful trials)."""
    n = len(plan.tasks)
    if not ok.any():
        return np.zeros((n, 0), dtype=bool)
    sub = _ok_only(full, ok)
    if plan.lanes:
        return critical(plan, sub, E_all[ok], tol)
    W = np.array([w for w in sub.W[:n]]) if n else S[:, ok]
    return slack_critical(plan, D[:, ok], W, sub.F, E_all[ok], tol)


_pctl = whatif.pctl


def _finish_stats(E: Array) -> tuple[dict[str, float | None], dict[str, float | None]]:
    """Mean and percentiles of the sorted successful finishing times ``E``, with their standard errors."""
    keys = ["mean"] + [f"p{q}" for q in PERCENTILES]
    duration: dict[str, float | None] = dict.fromkeys(keys)
    err: dict[str, float | None] = dict.fromkeys(keys)
    n_ok = E.size
    if n_ok:
        duration["mean"] = float(E.mean())
        err["mean"] = float(E.std(ddof=1) / math.sqrt(n_ok)) if n_ok > 1 else 0.0
        for q in PERCENTILES:
            duration[f"p{q}"] = _pct(E, q)
            err[f"p{q}"] = _order_stat_se(E, q)
    return duration, err


def _task_risk(
    plan: Plan,
    D: Array,
    S: Array,
    full: Pass,
    E_all: Array,
    ok: Array,
    unit_ok: dict[int, Array],
    crit: Array,
    p85: float | None,
    tol: float,
    sub: Array,
) -> list[dict[str, Any]]:
    """Per task: criticality and P85 shift over the successful trials (common random numbers), sinks, score;
    for an optional task, how often it is delivered with the plan and by the deadline.

    Returned riskiest first.
    """
    n = len(plan.tasks)
    n_ok = int(ok.sum())
    crit_share = crit.mean(axis=1) if n_ok else np.zeros(n)
    shift = np.zeros(n)
    if n_ok:
        assert p85 is not None
        Ds, Ss = D[:, sub], S[:, sub]
        base = p85 if sub.size == n_ok else _pctl(end(plan, forward(plan, Ds, Ss, track=False).F))
        longest = Ds.max(axis=1)
        reuse = None if plan.lanes else _ok_only(full, ok)  # without owners, only what lies downstream moves
        for k, t in enumerate(plan.tasks):
            in_race = t.group is not None and plan.group_mode == "parallel"  # a faster loser can become the winner
            if t.status in ("done", "dropped") or float(longest[k]) <= t.optimistic:
                continue  # in the past, or already optimistic: the end cannot move
            if crit_share[k] == 0 and not in_race:
                continue  # never on the critical path: the end cannot move
            if t.status == "doing":
                continue  # the draw is of the work left, not of the estimate
            after = frozenset(plan.descendants[k]) if reuse is not None else frozenset()
            E2 = end(plan, forward(plan, Ds, Ss, override=(k, t.optimistic), track=False, reuse=reuse, only=after).F)
            shift[k] = max(0.0, base - _pctl(E2))
    risk: list[dict[str, Any]] = []
    for k, t in enumerate(plan.tasks):
        g = plan.group_of[k]
        unit = k if g is None else g
        sinks = 0.0 if plan.optional[unit] else float(np.mean(~full.W[k] & ~unit_ok[unit]))
        sched = shift[k] / p85 if p85 else 0.0
        row: dict[str, Any] = {
            "id": t.id,
            "name": t.name,
            "p_success": t.p_success,
            "importance": t.importance,
            "required": t.required,
            "owner": t.owner,
            "status": t.status,
            "criticality": float(crit_share[k]),
            "p85_shift": float(shift[k]),
            "sinks": sinks,
            "risk_score": t.importance / 5 * (sinks + float(sched)),
        }
        if not t.required:
            delivered = ok & full.W[k]
            row["p_delivered"] = float(np.mean(delivered & (full.F[k] <= E_all + tol)))
            row["p_delivered_by_deadline"] = (
                None if plan.deadline is None else float(np.mean(delivered & (full.F[k] <= plan.deadline + tol)))
            )
        risk.append(row)
    ranked = sorted(
        range(n),
        key=lambda k: (-round(risk[k]["risk_score"], 12), -risk[k]["sinks"], -risk[k]["criticality"], k),
    )
    return [risk[k] for k in ranked]


def _alternatives(
    plan: Plan, S: Array, unit_ok: dict[int, Array], n_failed: Array, p_success: float
) -> list[dict[str, Any]]:
    """What each group of alternative approaches buys: the project with its best single approach, and with all."""
    n = len(plan.tasks)
    out = []
    for j, g in enumerate(plan.group_ids):
        v = n + j
        counted = 0 if plan.optional[v] else ~unit_ok[v]
        others_ok = (n_failed - counted) == 0
        singles = [float(np.mean(others_ok & S[m])) for m in plan.members[j]]
        best = int(np.argmax(singles))
        out.append(
            {
                "id": g,
                "members": [plan.tasks[m].id for m in plan.members[j]],
                "p_success": float(unit_ok[v].mean()),
                "best_single": plan.tasks[plan.members[j][best]].id,
                "p_project_best_single": singles[best],
                "p_project": p_success,
            }
        )
    return out


def _progress(plan: Plan, S: list[Any], F: list[Any], E_all: Array, ok: Array) -> list[dict[str, float]]:
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
    weights = np.array(
        [
            plan.tasks[v].importance if v < n else max(plan.tasks[m].importance for m in plan.members[v - n])
            for v in plan.top
        ],
        dtype=np.intp,
    )
    W = int(weights.sum())
    ends = [np.where(done[v], F[v], np.inf) for v in plan.top]  # completion time of each unit, inf if never
    if ok.any():
        horizon = float(E_all[ok].max())
    else:
        finite = [float(c[np.isfinite(c)].max()) for c in ends if np.isfinite(c).any()]
        horizon = max(finite, default=1.0)
    horizon = horizon if horizon > 1e-9 else 1.0  # a plan of (near) zero length still gets a time axis
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
    return [
        {"time": float(t), "mean": float(a), "p10": float(lo), "p90": float(hi)}
        for t, a, lo, hi in zip(grid, mean, p10, p90)
    ]


def whole(t: float) -> int:
    """A time rounded up to whole units, as a promised date is (the rule of :func:`calculators._format.duration`)."""
    return max(1, math.ceil(t - 1e-9))


def _curves(plan: Plan, E: Array, sp: float, p_by: Any) -> dict[str, Any]:
    """Chart data and the dates a page quotes, each with the chance of having shipped by it.

    ``span`` is the time axis every time chart shares (from 0 to past the last
    finish, single-point plan and deadline); ``commit`` and ``median`` are the
    P85 and P50 of the successful runs rounded up to whole units, with the
    chance (over all runs) of having shipped by then.
    """
    T = plan.trials
    right = max(float(E[-1]) if E.size else 0.0, sp, plan.deadline or 0.0)
    span = [{"time": 0.0}, {"time": right * 1.02 if right > 0 else 1.0}]
    if not E.size:
        return {"histogram": [], "cumulative": [], "span": span, "commit": None, "median": None}
    lo, hi = float(E[0]), float(E[-1])
    if hi > lo:
        counts, edges = np.histogram(E, bins=HISTOGRAM_BINS, range=(lo, hi))
    else:  # every successful run ends at the same time
        counts, edges = np.histogram(E, bins=1, range=(lo - 0.5, lo + 0.5))
    histogram = [
        {"start": float(a), "end": float(b), "count": int(k), "share": int(k) / T}
        for a, b, k in zip(edges[:-1], edges[1:], counts)
    ]
    grid = np.linspace(0.0, span[1]["time"], CURVE_POINTS)
    cumulative = [{"time": float(t), "p": int(k) / T} for t, k in zip(grid, np.searchsorted(E, grid, side="right"))]
    commit, median = whole(_pct(E, COMMITMENT)), whole(_pct(E, 50))
    return {
        "histogram": histogram,
        "cumulative": cumulative,
        "span": span,
        "commit": {"time": float(commit), "p": p_by(float(commit))},
        "median": {"time": float(median), "p": p_by(float(median))},
    }
