"""The archetype-fit result: the frozen dataclass, and the prose of the answer.

The headline and the notes are written by :mod:`._result_prose` (a private helper of this
module, imported by nothing else); :func:`fit` and :func:`points` are the rounding every
figure on the page uses.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .._contract import Result
from . import _result_prose as prose
from . import model
from ._result_prose import fit, points
from .inputs import Inputs, Respondent, parse
from .knowledge import Array, Knowledge, load_knowledge

__all__ = ["ArchetypeResult", "assess", "compute", "fit", "from_input", "points", "typical_answers"]


@dataclass(frozen=True)
class ArchetypeResult(Result):
    """The fit of a questionnaire (or a group's questionnaires) to the archetypes.

    ``to_dict()`` is plain JSON; see :func:`assess` for the keys.
    """

    ranking: list[dict[str, Any]]
    top: str
    margin: float
    between: bool
    summary: str
    confidence: float
    answered: int
    total: int
    notes: list[str]
    position: list[dict[str, Any]]
    explanation: list[dict[str, Any]]
    design: dict[str, Any]
    target: str | None
    target_path: list[dict[str, Any]]
    contradictions: list[str]
    disagreements: list[dict[str, Any]]
    respondents: list[dict[str, Any]]
    answers: dict[str, str]
    coverage: float  #: share of the questionnaire's weight answered, averaged over respondents
    agreement: float  #: share of respondents giving the most common answer, averaged over shared questions
    split: bool  #: respondents' own answers put different archetypes first
    example: str | None  #: the example company whose answers these are, if they are
    #: "How this is computed"'s worked case: ``labels`` of two respondents and their ``fits``
    #: (archetype id -> fit): this group's first two who answered, else a typical member of each leader
    worked_pair: dict[str, Any]


def assess(
    answers: Mapping[str, str] | None = None,
    *,
    target: str | None = None,
    respondents: Sequence[Mapping[str, str]] | None = None,
) -> ArchetypeResult:
    """Score questionnaire answers against the ML organisation archetypes.

    Parameters
    ----------
    answers : mapping of question id to answer id, optional
        One respondent's answers; questions left out count as unanswered.
    target : str, optional
        An archetype id to move towards: the result lists the answer changes
        that would raise its fit most (``target_path``).
    respondents : sequence of answer mappings, optional
        Other people's answers; the ranking then covers the whole group and
        ``disagreements`` shows where they differ.

    Returns
    -------
    ArchetypeResult
        ``to_dict()`` holds ``ranking`` (best first), ``top``, ``margin``,
        ``between``, ``summary``, ``confidence``, ``answered``, ``total``,
        ``notes``, ``position``, ``explanation``, ``design``, ``target``,
        ``target_path``, ``contradictions``, ``disagreements``, ``respondents``,
        ``answers``, ``coverage``, ``agreement``, ``split``, ``example`` and
        ``worked_pair``.
        ``confidence`` is ``coverage * agreement``.

    Raises
    ------
    calculators.errors.InputError
        An unknown question, answer or archetype; the message names the field.

    Examples
    --------
    >>> k = load_knowledge()
    >>> q = k.questions[0]
    >>> r = assess({q.id: q.answers[0].id})
    >>> r.answered, r.total == len(k.questions)
    (1, True)
    >>> e = r.explanation[0]
    >>> round(e["baseline"] + sum(c["points"] for c in e["contributions"]), 6) == round(r.ranking[0]["score"], 6)
    True
    >>> assess({q.id: "no such answer"})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    calculators.errors.InputError: ...: question '...' has no answer 'no such answer'; expected one of ...
    """
    data: dict[str, Any] = {"answers": dict(answers or {})}
    if target is not None:
        data["target"] = target
    if respondents is not None:
        data["respondents"] = [dict(r) if isinstance(r, Mapping) else r for r in respondents]
    return from_input(data)


def compute(inputs: Inputs) -> ArchetypeResult:
    """Score what :func:`parse` validated (the respondents and the target)."""
    return _assess(load_knowledge(), list(inputs.people), inputs.target)


def from_input(data: Any) -> ArchetypeResult:
    """Validate the JSON input (``answers``, ``target``, ``merge``, ``respondents``) and score it."""
    k = load_knowledge()
    inputs = parse(data, k)
    return _assess(k, list(inputs.people), inputs.target)


def typical_answers(k: Knowledge, archetype: str) -> dict[str, str]:
    """Each question's answer closest to ``archetype``'s profile: how a typical member would answer."""
    g = model.typical(k, [a.id for a in k.archetypes].index(archetype))
    return {q.id: next(a.id for a in q.answers if k.gid[q.id, a.id] == g[qi]) for qi, q in enumerate(k.questions)}


def _worked_pair(k: Knowledge, respondents: list[dict[str, Any]], ranking: list[dict[str, Any]]) -> dict[str, Any]:
    """A disagreeing pair for "How this is computed": this group's first two respondents who answered,
    or two people answering as a typical member of each of the two leading archetypes would."""
    answering = [p for p in respondents if p["answered"]]
    if len(answering) >= 2:
        return {"labels": [p["label"] for p in answering[:2]], "fits": [p["fits"] for p in answering[:2]]}
    ids = [x["archetype"] for x in ranking[:2]]
    names = {a.id: a.name for a in k.archetypes}
    fits = []
    for a in ids:
        s = model.scores(k, model.counts(k, [typical_answers(k, a)]))
        fits.append({x.id: float(s[j]) for j, x in enumerate(k.archetypes)})
    return {"labels": [f"Typical of {names[a]}" for a in ids], "fits": fits}


def _ranking(k: Knowledge, fit: Array) -> tuple[list[int], list[dict[str, Any]]]:
    order = sorted(range(len(k.archetypes)), key=lambda i: (-float(fit[i]), i))
    rows = [{"archetype": k.archetypes[i].id, "name": k.archetypes[i].name, "score": float(fit[i])} for i in order]
    return order, rows


def _explanation(k: Knowledge, counts: Array, fit: Array, contrib: Array, order: list[int]) -> list[dict[str, Any]]:
    """Per distinct chosen answer, its points for each of the best archetypes."""
    chosen = np.flatnonzero(counts.sum(axis=0))
    out = []
    for i in order[: k.explain_top] if chosen.size else []:
        rows = []
        for g in chosen:
            q = k.questions[int(k.qof[g])]
            a = next(a for a in q.answers if k.gid[q.id, a.id] == g)
            pts = float(contrib[i, g])
            row: dict[str, Any] = {
                "question": q.id,
                "question_text": q.text,
                "answer": a.id,
                "answer_text": a.text,
                "count": int(counts[:, g].sum()),
                "points": pts,
                "direction": "towards" if pts > 0 else "away" if pts < 0 else "neutral",
            }
            rows.append(row)
        rows.sort(key=lambda r: -abs(r["points"]))
        out.append(
            {
                "archetype": k.archetypes[i].id,
                "name": k.archetypes[i].name,
                "score": float(fit[i]),
                "baseline": model.BASELINE,
                "contributions": rows,
            }
        )
    return out


def _design(k: Knowledge, top_i: int, position: list[dict[str, Any]]) -> dict[str, Any]:
    top = k.archetypes[top_i]
    dim_index = {d.id: j for j, d in enumerate(k.dimensions)}
    names = {c.id: c for c in k.design_choices}
    return {
        "archetype": top.id,
        "name": top.name,
        "summary": top.summary,
        "choices": [
            {
                "id": cid,
                "name": names[cid].name,
                "low": names[cid].low,
                "high": names[cid].high,
                "position": ch.position,
                "rationale": ch.rationale,
                "you": position[dim_index[names[cid].dimension]]["you"],
            }
            for cid, ch in top.design
        ],
        "strengths": list(top.strengths),
        "problems": list(top.problems),
        "hiring": {
            "emphasis": top.hiring,
            "roles": list(top.roles),
            "links": [{"text": t, "href": h} for t, h in top.links],
        },
    }


def _target_path(k: Knowledge, counts: Array, target: str) -> list[dict[str, Any]]:
    """The answer changes that raise the target's fit most (see :func:`model.target_steps`)."""
    ti = [a.id for a in k.archetypes].index(target)
    out = []
    for qi, g, gain, after, before in model.target_steps(k, counts, ti):
        q = k.questions[qi]
        cur_g = model.consensus(k, before, qi)
        cur = None if cur_g is None else next(a for a in q.answers if k.gid[q.id, a.id] == cur_g)
        sug = next(a for a in q.answers if k.gid[q.id, a.id] == g)
        out.append(
            {
                "question": q.id,
                "question_text": q.text,
                "current": cur.id if cur else None,
                "current_text": cur.text if cur else "(not answered)",
                "suggested": sug.id,
                "suggested_text": sug.text,
                "gain": gain,
                "score_after": after,
            }
        )
    return out


def _contradictions(k: Knowledge, people: list[Respondent], top: str) -> list[str]:
    out: list[str] = []
    for rule in k.rules:
        if rule.top is not None and rule.top != top:
            continue
        who = [p.label for p in people if all(p.answers.get(q) in alts for q, alts in rule.when)]
        if not who:
            continue
        out.append(f"{rule.message} (answers of: {', '.join(who)})" if len(people) > 1 else rule.message)
    return out


def _disagreements(k: Knowledge, people: list[Respondent]) -> list[dict[str, Any]]:
    """Questions where respondents chose different answers, most divided first.

    Disagreement is 1 minus the share of the most common answer among those who answered.
    """
    rows: list[tuple[int, dict[str, Any]]] = []
    for qi, q in enumerate(k.questions):
        votes = Counter(p.answers[q.id] for p in people if q.id in p.answers)
        if len(votes) < 2:
            continue
        n = sum(votes.values())
        answers = [
            {"answer": a.id, "text": a.text, "count": votes[a.id]}
            for a in sorted(q.answers, key=lambda a: -votes[a.id])
            if votes[a.id]
        ]
        row: dict[str, Any] = {
            "question": q.id,
            "question_text": q.text,
            "respondents": n,
            "disagreement": 1 - max(votes.values()) / n,
            "answers": answers,
        }
        rows.append((qi, row))
    rows.sort(key=lambda r: (-r[1]["disagreement"], -len(r[1]["answers"]), r[0]))
    return [r for _, r in rows]


def _each(k: Knowledge, people: list[Respondent], fit: model.Fit) -> list[dict[str, Any]]:
    """Each respondent on their own: how many questions they answered, their own best fit."""
    out = []
    for r, p in enumerate(people):
        s = fit.each[r]
        best = int(np.argmax(s)) if p.answers else 0
        out.append(
            {
                "label": p.label,
                "answered": len(p.answers),
                "top": k.archetypes[best].id if p.answers else None,
                "name": k.archetypes[best].name if p.answers else None,
                "score": float(s[best]),
                "weight": float(fit.member[r]),
                "fits": {a.id: float(s[j]) for j, a in enumerate(k.archetypes)},
                "answers": dict(p.answers),
            }
        )
    return out


def _example(k: Knowledge, people: list[Respondent]) -> str | None:
    """The label of the example company whose answers these are (one respondent only), else None."""
    if len(people) != 1:
        return None
    return next((e.label for e in k.examples if dict(e.answers) == people[0].answers), None)


def _assess(k: Knowledge, people: list[Respondent], target: str | None) -> ArchetypeResult:
    counts = model.counts(k, [p.answers for p in people])
    fit = model.Fit(k, counts)
    order, ranking = _ranking(k, fit.group)
    top_i = order[0]
    margin = float(fit.group[order[0]] - fit.group[order[1]])
    answered_q = {q for p in people for q in p.answers}
    coverage = float(fit.coverage.mean())
    agreement = model.agreement(k, counts)
    x = fit.position()
    position = [
        {
            "dimension": d.id,
            "name": d.name,
            "low": d.low,
            "high": d.high,
            "you": None if math.isnan(x[j]) else float(x[j]),
            "top": float(k.profile[top_i, j]),
        }
        for j, d in enumerate(k.dimensions)
    ]
    respondents = _each(k, people, fit)
    disagreements = _disagreements(k, people) if len(people) > 1 else []
    facts = prose.Facts(
        k=k,
        ranking=ranking,
        margin=margin,
        between=margin < k.between_margin,
        answered=len(answered_q),
        people=len(people),
        tops=[p["top"] for p in respondents if p["top"]],
        coverage=coverage,
        agreement=agreement,
        example=_example(k, people),
        disagreed=[d["question_text"] for d in disagreements],
    )
    return ArchetypeResult(
        ranking=ranking,
        top=k.archetypes[top_i].id,
        margin=margin,
        between=facts.between,
        summary=prose.summary(facts),
        confidence=coverage * agreement,
        answered=facts.answered,
        total=len(k.questions),
        notes=prose.notes(facts),
        position=position,
        explanation=_explanation(k, counts, fit.group, fit.points(k), order),
        design=_design(k, top_i, position),
        target=target,
        target_path=_target_path(k, counts, target) if target else [],
        contradictions=_contradictions(k, people, k.archetypes[top_i].id),
        disagreements=disagreements,
        respondents=respondents,
        answers=dict(people[0].answers),
        coverage=coverage,
        agreement=agreement,
        split=facts.split,
        example=facts.example,
        worked_pair=_worked_pair(k, respondents, ranking),
    )
