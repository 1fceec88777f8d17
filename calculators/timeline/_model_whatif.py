"""What-if re-runs of a simulated plan (numpy only): one more pair of hands for each owner, and each task's
change since the last recorded forecast undone alone. The same draws before and after (common random
numbers), so a difference comes from the change, not from noise.

:mod:`.model` hands in how to play a plan (``finish``: draws -> finishing times; ``fresh``: a plan ->
whether each node worked and the finishing times), so this module needs no more than the plan's type."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np
import numpy.typing as npt

from .inputs import Plan

Array = npt.NDArray[Any]
COMMITMENT = 85  # the percentile of the successful runs most teams commit to (model.COMMITMENT)


def pctl(E: Array) -> float:
    """The commitment percentile (P85) of finishing times."""
    return float(np.percentile(E, COMMITMENT))


Finish = Callable[..., Array]
Fresh = Callable[[Plan], tuple[list[Any], Array]]


def owners(
    plan: Plan, D: Array, S: Array, crit: Array, p85: float | None, sub: Array, *, finish: Finish
) -> list[dict[str, Any]]:
    """Per owner: how often one of their tasks is on the critical path, and what one more hand would buy
    (the successful runs re-run with their capacity + 1, the same draws)."""
    empty = not sub.size or p85 is None
    Ds, Ss = D[:, sub], S[:, sub]
    base = None if empty else pctl(finish(plan, Ds, Ss))
    out = []
    for k, (name, cap) in enumerate(zip(plan.owners, plan.capacity)):
        mine = [v for v, o in enumerate(plan.owner_of) if o == k]
        share = float(np.any(crit[mine], axis=0).mean()) if mine and crit.shape[1] else 0.0
        more = tuple(c + (1 if j == k else 0) for j, c in enumerate(plan.capacity))
        gain = 0.0
        if base is not None and len(mine) > cap and share > 0:
            gain = base - pctl(finish(plan, Ds, Ss, capacity=more))
        gain = gain if p85 is not None and gain > 1e-9 * max(1.0, p85) else 0.0
        out.append(
            {
                "owner": name,
                "capacity": cap,
                "tasks": len(mine),
                "critical": share,
                "p85_plus_one": None if p85 is None else p85 - gain,
                "p85_gain": gain,
            }
        )
    return out


def moved(plan: Plan, p_success: float, p85: float | None, *, fresh: Fresh) -> list[dict[str, Any]]:
    """Which tasks' changes since the last recorded forecast moved the numbers: each change undone alone
    (the task back to its recorded estimate, chance and status), the plan re-run with the same draws."""
    if not plan.history or not plan.history[-1].get("tasks"):
        return []
    then = plan.history[-1]["tasks"]
    out: list[dict[str, Any]] = []
    for k, t in enumerate(plan.tasks):
        if t.id not in then:
            continue
        o, m, p, ps, status = then[t.id]
        now = (t.optimistic, t.most_likely, t.pessimistic, t.p_success, t.status)
        if now == (o, m, p, ps, status) and t.remaining is None:
            continue
        old = replace(t, optimistic=o, most_likely=m, pessimistic=p, p_success=ps, status=status)
        if status == "done" and t.actual is None:
            old = replace(old, actual=o)
        if status == "doing" and t.started is None:
            old = replace(old, status="todo")
        if status != "doing":
            old = replace(old, remaining=None)
        variant = replace(plan, tasks=(*plan.tasks[:k], old, *plan.tasks[k + 1 :]), history=())
        W, E_all = fresh(variant)
        ok = np.ones(variant.trials, dtype=bool)
        for v in variant.top:
            if not variant.optional[v]:
                ok &= W[v]
        before_p85 = pctl(E_all[ok]) if ok.any() else None
        out.append(
            {
                "id": t.id,
                "name": t.name,
                "then": [o, m, p, ps, status],
                "p_success_change": p_success - float(ok.mean()),
                "p85_change": None if p85 is None or before_p85 is None else p85 - before_p85,
            }
        )
    out.sort(key=lambda r: -(abs(float(r["p85_change"] or 0.0)) + abs(float(r["p_success_change"])) * 10))
    return out[:5]
