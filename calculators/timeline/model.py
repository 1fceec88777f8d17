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

from .inputs import Plan

PERCENTILES = (10, 50, 70, 80, 85, 90, 95)
COMMITMENT = 85  # the percentile of the successful runs most teams commit to
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


def _task_key(tid: str) -> int:
    """An integer that identifies a task id unambiguously (its UTF-8 bytes after a 1)."""
    return int.from_bytes(b"\x01" + tid.encode("utf-8"), "little")


def _sample(plan: Plan) -> tuple[Array, Array]:
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


def _forward(
    plan: Plan,
    D: Array,
    S: Array,
    F: list[Any],
    nodes: tuple[int, ...] | list[int],
    override: tuple[int, float] | None = None,
) -> None:
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


def _end(plan: Plan, F: list[Any]) -> Array:
    out: Array = F[plan.ends[0]]
    for v in plan.ends[1:]:
        out = np.maximum(out, F[v])
    return out


def _critical(plan: Plan, D: Array, S: Array, F: list[Any], E: Array, tol: float) -> Array:
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
    tol = 1e-9 * max(1.0, float(E[-1]) if n_ok else 1.0)
    duration, err = _finish_stats(E)

    def p_by(t: float) -> float:
        return int(np.searchsorted(E, t + tol, side="right")) / T

    # single-point plan: most-likely durations, nothing fails
    Fm: list[Any] = [None] * N
    _forward(plan, np.array([[t.most_likely] for t in plan.tasks]), np.ones((n, 1), dtype=bool), Fm, plan.order)
    sp_finish = float(_end(plan, Fm)[0])
    single_point = {"finish": sp_finish, "p_by_then": p_by(sp_finish)}
    p_deadline = None if plan.deadline is None else p_by(plan.deadline)
    tasks_out = _task_risk(plan, D, S, F, E_all, ok, unit_ok, duration[f"p{COMMITMENT}"], tol)
    groups_out = _alternatives(plan, S, unit_ok, n_failed, p_success)
    progress = _progress(plan, S, F, E_all, ok)
    curves = _curves(plan, E, sp_finish, p_by)
    return Simulation(
        T, p_success, (T - n_ok) / T, duration, err, p_deadline, single_point, tasks_out, progress, groups_out, curves
    )


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
    F: list[Any],
    E_all: Array,
    ok: Array,
    unit_ok: dict[int, Array],
    p85: float | None,
    tol: float,
) -> list[dict[str, Any]]:
    """Per task: criticality and P85 shift over the successful trials (common random numbers), sinks, score.

    Returned riskiest first.
    """
    n, T = len(plan.tasks), plan.trials
    n_ok = int(ok.sum())
    crit_share = np.zeros(n)
    shift = np.zeros(n)
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
    risk: list[dict[str, Any]] = []
    for k, t in enumerate(plan.tasks):
        g = plan.group_of[k]
        sinks = float(np.mean(~S[k] & ~unit_ok[k if g is None else g]))
        sched = shift[k] / p85 if p85 else 0.0
        risk.append(
            {
                "id": t.id,
                "name": t.name,
                "p_success": t.p_success,
                "importance": t.importance,
                "criticality": float(crit_share[k]),
                "p85_shift": float(shift[k]),
                "sinks": sinks,
                "risk_score": t.importance / 5 * (sinks + float(sched)),
            }
        )
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
        others_ok = (n_failed - ~unit_ok[v]) == 0
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


def _progress(plan: Plan, S: Array, F: list[Any], E_all: Array, ok: Array) -> list[dict[str, float]]:
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
