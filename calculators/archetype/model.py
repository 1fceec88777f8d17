"""The archetype-fit model: numpy only, no prose.

Every answer places the organisation at a position from 0 to 1 on some of the
dimensions. A respondent's position on dimension *d* is the question-weighted mean
of their answers' positions. The fit of archetype *k* is
``100 * (1 - sum_d v_d |x_d - p_kd|)`` where ``x_d`` is the position, ``p_kd`` the
archetype's profile and ``v_d`` the dimension weights normalised over the
dimensions the answers inform. 100 means the answers sit exactly on the profile;
0 means the opposite end of every scale.

Because ``|x_d - p_kd|`` equals ``sign(x_d - p_kd) * sum_q a_qd (pos_qd - p_kd)``
(``a_qd`` the share of answer *q* in the mean), the fit splits exactly into one
term per answer: ``fit = 50 + sum_q points_q`` with
``points_q = 100 * sum_d v_d a_qd (1/2 - sign(x_d - p_kd) (pos_qd - p_kd))``.

Arrays: R respondents, G answers overall (all questions' answers in file order),
D dimensions, K archetypes; ``counts`` is (..., R, G) with 1 where chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from .knowledge import Array, Knowledge

BASELINE = 50.0  #: fit points every explanation starts from (see the module docstring)


def counts(k: Knowledge, answers: Sequence[Mapping[str, str]]) -> Array:
    """One row per respondent, one column per answer (G): 1 where chosen."""
    n = np.zeros((len(answers), len(k.gid)))
    for r, a in enumerate(answers):
        for qid, aid in a.items():
            n[r, k.gid[qid, aid]] = 1
    return n


def shares(k: Knowledge, counts: Array) -> Array:
    """Weight of each answer in the group's mean position: (..., R, G) -> (..., G, D).

    A respondent's position on a dimension is the question-weighted mean of
    their answers that inform it; the group's position is the plain mean over
    the respondents whose answers inform it. Each dimension's shares sum to 1
    (or 0 when no answer informs it).
    """
    W = counts @ k.wm  # (..., R, D) weight mass per respondent and dimension
    has = W > 0
    n_resp = has.sum(axis=-2, keepdims=True)  # (..., 1, D)
    inv = np.divide(1.0, W * n_resp, out=np.zeros_like(W), where=has)  # (..., R, D)
    out: Array = np.einsum("...rg,gd,...rd->...gd", counts, k.wm, inv)
    return out


def scores(k: Knowledge, counts: Array) -> tuple[Array, Array, Array, Array]:
    """Fit of every archetype for answers ``counts`` of shape (..., R, G).

    Returns scores (..., K), the mean position (..., D) with NaN where no answer
    informs a dimension, the normalised dimension weights (..., D) and the
    answer shares (..., G, D).
    """
    share_ = shares(k, counts)
    informed = share_.sum(axis=-2) > 0.5  # each informed dimension's shares sum to 1
    x = np.where(informed, (share_ * k.pos).sum(axis=-2), np.nan)
    v = np.where(informed, k.dim_weight, 0.0)
    vsum = v.sum(axis=-1, keepdims=True)
    vhat = np.divide(v, vsum, out=np.zeros_like(v), where=vsum > 0)
    dist = np.abs(np.nan_to_num(x)[..., None, :] - k.profile)  # (..., K, D)
    fit = np.where(vsum > 0, 100.0 * (1.0 - (dist * vhat[..., None, :]).sum(axis=-1)), BASELINE)
    return fit, x, vhat, share_


def contributions(k: Knowledge, share_: Array, x: Array, vhat: Array) -> Array:
    """Points of each answer (G) for each archetype (K): score_k = BASELINE + row sum (exactly)."""
    sign = np.sign(np.nan_to_num(x) - k.profile)  # (K, D)
    term = 0.5 - sign[:, None, :] * (k.pos[None, :, :] - k.profile[:, None, :])  # (K, G, D)
    out: Array = 100.0 * (term * share_[None] * vhat).sum(axis=-1)
    return out


def coverage(k: Knowledge, answered: Sequence[str] | set[str]) -> float:
    """Share of the questions' total weight that ``answered`` (question ids) covers."""
    total = sum(q.weight for q in k.questions)
    return sum(q.weight for q in k.questions if q.id in answered) / total


def typical(k: Knowledge, ti: int) -> list[int]:
    """For each question, the answer closest to archetype ``ti``'s profile (global answer index).

    Closeness is the weighted mean distance over the dimensions the answer informs.
    """
    informed = k.wm > 0
    v = np.where(informed, k.dim_weight, 0.0)
    dist = (v * np.abs(k.pos - k.profile[ti])).sum(axis=1) / v.sum(axis=1)
    return [int(np.flatnonzero(k.qof == qi)[np.argmin(dist[k.qof == qi])]) for qi in range(len(k.questions))]


def target_steps(k: Knowledge, counts: Array, ti: int) -> list[tuple[int, int, float, float, Array]]:
    """Greedy: up to ``k.target_steps`` answer changes towards archetype ``ti``.

    Candidates are, for each question, the answer most typical of the target
    (closest to its profile); each step applies the candidate that raises the
    target's fit most, and stops when none raises it. A change sets the
    question's answer for every respondent at once. Returns, per step, the
    question index, the suggested answer (G index), the gain, the fit after it
    and the counts before it.
    """
    typ = typical(k, ti)
    current = counts.copy()
    steps: list[tuple[int, int, float, float, Array]] = []
    base = float(scores(k, current)[0][ti])
    todo = [qi for qi in range(len(k.questions)) if not current[:, typ[qi]].all()]
    while todo and len(steps) < k.target_steps:
        cands = []
        for qi in todo:
            c = current.copy()
            c[:, k.qof == qi] = 0
            c[:, typ[qi]] = 1
            cands.append(c)
        s = scores(k, np.array(cands))[0][:, ti]
        best = int(np.argmax(s))
        gain = float(s[best]) - base
        if gain <= 1e-9:
            break
        qi = todo.pop(best)
        steps.append((qi, typ[qi], gain, float(s[best]), current))
        current = cands[best]
        base = float(s[best])
    return steps


def consensus(k: Knowledge, counts: Array, qi: int) -> int | None:
    """The most common answer (G index) to question ``qi`` (first in file order on ties), or None."""
    cols = np.flatnonzero(k.qof == qi)
    votes = counts[:, cols].sum(axis=0)
    if votes.max() <= 0:
        return None
    return int(cols[int(np.argmax(votes))])
