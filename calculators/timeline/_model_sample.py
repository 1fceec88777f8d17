"""Random draws of a plan's tasks: each task its own stream, so editing one task leaves the others' draws as
they were (numpy only)."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from .inputs import Plan

Array = npt.NDArray[Any]


def _task_key(tid: str) -> int:
    """An integer that identifies a task id unambiguously (its UTF-8 bytes after a 1)."""
    return int.from_bytes(b"\x01" + tid.encode("utf-8"), "little")


def _draw(rng: np.random.Generator, o: float, m: float, p: float, distribution: str, size: int) -> Array:
    """``size`` durations between ``o`` and ``p`` around ``m``."""
    if p == o:
        return np.full(size, float(o))
    if distribution == "triangular":
        return rng.triangular(o, m, p, size)
    return o + (p - o) * rng.beta(1 + 4 * (m - o) / (p - o), 1 + 4 * (p - m) / (p - o), size)


def _beyond(rng: np.random.Generator, o: float, m: float, p: float, distribution: str, size: int, past: float) -> Array:
    """Durations drawn like :func:`_draw` but longer than ``past`` (a task not finished after ``past``).

    Redrawn until each is longer (at most 50 rounds); a task already past its pessimistic
    time, or what is left after the rounds, ends uniformly between ``past`` and the later
    of ``p`` and ``past`` plus the estimate's spread.
    """
    out = _draw(rng, o, m, p, distribution, size)
    if past < p:
        for _ in range(50):
            short = out <= past
            if not short.any():
                return out
            out[short] = _draw(rng, o, m, p, distribution, int(short.sum()))
    short = out <= past
    top = max(p, past + (p - o) if p > o else past + max(m, 1e-9))
    out[short] = past + (top - past) * rng.random(int(short.sum()))
    return out


def sample(plan: Plan) -> tuple[Array, Array]:
    """Durations ``D`` and successes ``S``, shape (tasks, trials); each task has its own stream.

    A done task took ``actual`` and worked; a dropped one takes no time and does not work;
    a task in progress takes, from its start, a draw longer than the time it has run so far,
    or (with ``remaining``) a draw of the work left from today.
    """
    n, trials = len(plan.tasks), plan.trials
    D = np.empty((n, trials))
    S = np.empty((n, trials), dtype=bool)
    for i, t in enumerate(plan.tasks):
        rng = np.random.default_rng([plan.seed, _task_key(t.id)])
        S[i] = rng.random(trials) < t.p_success
        o, m, p = t.optimistic, t.most_likely, t.pessimistic
        if t.status == "done":
            D[i], S[i] = t.actual, True
        elif t.status == "dropped":
            D[i], S[i] = 0.0, False
        elif t.status == "doing" and t.remaining is not None:
            D[i] = _draw(rng, *t.remaining, plan.distribution, trials)
        elif t.status == "doing":
            assert plan.as_of is not None and t.started is not None
            D[i] = _beyond(rng, o, m, p, plan.distribution, trials, plan.as_of - t.started)
        else:
            D[i] = _draw(rng, o, m, p, plan.distribution, trials)
    return D, S


def point(plan: Plan) -> Array:
    """Most likely durations (one trial): what a single-point plan assumes."""
    out = []
    for t in plan.tasks:
        if t.status == "done":
            out.append(t.actual)
        elif t.status == "dropped":
            out.append(0.0)
        elif t.status == "doing" and t.remaining is not None:
            out.append(t.remaining[1])
        elif t.status == "doing":
            assert plan.as_of is not None and t.started is not None
            out.append(max(t.most_likely, plan.as_of - t.started))
        else:
            out.append(t.most_likely)
    return np.array([[x] for x in out], dtype=float)
