"""The archetype-fit model: numpy only, no prose.

One respondent
    Every answer places the organisation at a position from 0 to 1 on some of the
    dimensions. The respondent's position ``x_d`` on dimension *d* is the
    question-weighted mean of their answers' positions. The fit of archetype *k* is
    ``100 * (1 - sum_d v_kd |x_d - p_kd|)``: ``p_kd`` the archetype's profile and
    ``v_kd`` the weights of archetype *k*, normalised over the dimensions the answers
    inform. A dimension's weight is its ``weight`` in the data file, times
    ``defining_weight`` for the archetype it defines (``defining``): answers that
    contradict what defines an archetype cost it several times more.

    Because ``|x_d - p_kd|`` equals ``sign(x_d - p_kd) * sum_q a_qd (pos_qd - p_kd)``
    (``a_qd`` the share of answer *q* in the mean), the fit splits exactly into one
    term per answer: ``fit = 50 + sum_q points_q`` with
    ``points_q = 100 * sum_d v_kd a_qd (1/2 - sign(x_d - p_kd) (pos_qd - p_kd))``.

A group
    Each respondent's fits are computed from their own answers, and the group's
    fit is their mean weighted by how much of the questionnaire each answered
    (``coverage``). An archetype ranks high for a group only if members' own answers
    fit it: no fit is computed for an averaged position nobody holds, and when
    everyone's answers put the same archetype first, so does the group. Each
    answer's points are the same weighted mean, so the split above still holds.

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


class Fit:
    """The fits of answers ``counts`` (..., R, G): per respondent and for the group."""

    def __init__(self, k: Knowledge, counts: Array) -> None:
        W = counts @ k.wm  # (..., R, D) question weight behind each respondent's position
        self.informed = W > 0
        self.share = np.einsum("...rg,gd->...rgd", counts, k.wm) / np.where(self.informed, W, 1.0)[..., None, :]
        #: (..., R, D) each respondent's position, NaN where no answer informs it
        self.x = np.where(self.informed, (self.share * k.pos).sum(axis=-2), np.nan)
        v = np.where(self.informed[..., None, :], k.weight, 0.0)  # (..., R, K, D)
        vsum = v.sum(axis=-1, keepdims=True)
        self.vhat = np.divide(v, vsum, out=np.zeros_like(v), where=vsum > 0)
        dist = np.abs(np.nan_to_num(self.x)[..., None, :] - k.profile)  # (..., R, K, D)
        #: (..., R, K) each respondent's own fits (50 when they answered nothing)
        self.each = np.where(vsum[..., 0] > 0, 100.0 * (1.0 - (dist * self.vhat).sum(axis=-1)), BASELINE)
        cov = counts @ k.qweight / sum(q.weight for q in k.questions)  # (..., R) share of the questionnaire answered
        total = cov.sum(axis=-1, keepdims=True)
        #: (..., R) each respondent's weight in the group
        self.member = np.divide(cov, total, out=np.zeros_like(cov), where=total > 0)
        #: (..., K) the group's fits: the members' fits, weighted by what each answered
        self.group = np.where(total > 0, (self.member[..., None] * self.each).sum(axis=-2), BASELINE)
        self.coverage = cov

    def position(self) -> Array:
        """(..., D) the members' mean position (descriptive, never scored); NaN where no answer informs it."""
        w = self.member[..., None] * self.informed
        wsum = w.sum(axis=-2)
        return np.where(wsum > 0, (w * np.nan_to_num(self.x)).sum(axis=-2) / np.where(wsum > 0, wsum, 1.0), np.nan)

    def points(self, k: Knowledge) -> Array:
        """(K, G) points of each answer for each archetype (no batch axes): group = BASELINE + row sum."""
        sign = np.sign(np.nan_to_num(self.x)[:, None, :] - k.profile)  # (R, K, D)
        term = 0.5 - sign[:, :, None, :] * (k.pos[None, None] - k.profile[None, :, None, :])  # (R, K, G, D)
        per = 100.0 * (term * self.share[:, None] * self.vhat[:, :, None, :]).sum(axis=-1)  # (R, K, G)
        out: Array = (self.member[:, None, None] * per).sum(axis=0)
        return out


def scores(k: Knowledge, counts: Array) -> Array:
    """The group's fit of every archetype (..., K) for answers ``counts`` (..., R, G)."""
    out: Array = Fit(k, counts).group
    return out


def agreement(k: Knowledge, counts: Array) -> float:
    """How far the respondents agree: per question answered by two or more of them, the share who
    give its most common answer, averaged with the question weights (1 when nobody can disagree)."""
    cols = [np.flatnonzero(k.qof == qi) for qi in range(len(k.questions))]
    votes = [counts[:, c].sum(axis=0) for c in cols]
    shared = [(v.max() / v.sum(), k.questions[qi].weight) for qi, v in enumerate(votes) if v.sum() >= 2]
    if not shared:
        return 1.0
    return float(sum(a * w for a, w in shared) / sum(w for _, w in shared))


def coverage(k: Knowledge, answered: Sequence[str] | set[str]) -> float:
    """Share of the questions' total weight that ``answered`` (question ids) covers."""
    total = sum(q.weight for q in k.questions)
    return sum(q.weight for q in k.questions if q.id in answered) / total


def typical(k: Knowledge, ti: int) -> list[int]:
    """For each question, the answer closest to archetype ``ti``'s profile (global answer index).

    Closeness is the weighted mean distance over the dimensions the answer informs.
    """
    informed = k.wm > 0
    v = np.where(informed, k.weight[ti], 0.0)
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
    base = float(scores(k, current)[ti])
    todo = [qi for qi in range(len(k.questions)) if not current[:, typ[qi]].all()]
    while todo and len(steps) < k.target_steps:
        cands = []
        for qi in todo:
            c = current.copy()
            c[:, k.qof == qi] = 0
            c[:, typ[qi]] = 1
            cands.append(c)
        s = scores(k, np.array(cands))[:, ti]
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
