"""The words of an archetype-fit answer: the headline and the notes.

One rounding rule per quantity, shared by the headline, the cards and the tables:
a fit is a whole number of points out of 100 (:func:`fit`), a lead is whole points
(:func:`points`), a confidence a whole percentage (:func:`calculators._format.percent`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from .. import _format
from .knowledge import Knowledge


def fit(score: float) -> str:
    """A fit as the reader sees it: ``"72"`` (whole points out of 100)."""
    return _format.number(score, 0)


def points(x: float) -> str:
    """A difference in fit: ``"1 point"``, ``"8 points"`` (whole points)."""
    shown = _format.number(abs(x), 0)
    return f"{shown} point" if shown == "1" else f"{shown} points"


@dataclass(frozen=True)
class Facts:
    """What the headline and notes say, computed by :func:`calculators.archetype.result._assess`."""

    k: Knowledge
    ranking: list[dict[str, Any]]
    margin: float
    between: bool
    answered: int
    people: int
    tops: list[str]  #: each respondent's own best archetype (respondents who answered)
    coverage: float
    agreement: float
    example: str | None
    disagreed: list[str]  #: the questions respondents answered differently, most divided first

    @property
    def split(self) -> bool:
        return len(set(self.tops)) > 1

    @property
    def total(self) -> int:
        return len(self.k.questions)


def _based_on(f: Facts) -> str:
    return f"Based on {f.answered} of {_format.plural(f.total, 'question')}."


def _split(f: Facts) -> str:
    """``A fits best for 2 respondents, B for 1``."""
    names = {a.id: a.name for a in f.k.archetypes}
    counts = Counter(f.tops).most_common()
    first = f"{names[counts[0][0]]} fits best for {_format.plural(counts[0][1], 'respondent')}"
    rest = [f"{names[a]} for {n}" for a, n in counts[1:]]
    return ", ".join([first, *rest[:-1]]) + f" and {rest[-1]}"


def summary(f: Facts) -> str:
    """The headline: the answer first, then why, in plain words (no ids, no formulas)."""
    if not f.answered:
        return (
            "No answers yet, so no archetype fits better than another. Answer the questions you can "
            "(choose \u201cNot sure\u201d where nobody knows): the result updates as you go."
        )
    first, second = f.ranking[0], f.ranking[1]
    if f.example:
        who, verb = f"The example company \u201c{f.example}\u201d", "fits"
    elif f.people > 1:
        who, verb = f"The {f.people} respondents' answers", "fit"
    else:
        who, verb = "Your answers", "fit"
    if f.split:
        lead = "just ahead of" if f.between else f"{points(f.margin)} ahead of"
        nobody = "" if first["archetype"] in f.tops else ", though it is nobody's own best fit"
        return (
            f"The group is split: {_split(f)}. Averaging each person's own fit, {first['name']} leads "
            f"(fit {fit(first['score'])} of 100){nobody}, {lead} {second['name']} ({fit(second['score'])}). "
            f"{_based_on(f)}"
        )
    if f.between:
        return (
            f"{who} {'sits' if f.example else 'sit'} between {first['name']} (fit {fit(first['score'])} of 100) "
            f"and {second['name']} ({fit(second['score'])}): the two fit almost equally well. {_based_on(f)}"
        )
    return (
        f"{who} {verb} {first['name']} best (fit {fit(first['score'])} of 100), "
        f"{points(f.margin)} ahead of {second['name']}. {_based_on(f)}"
    )


def notes(f: Facts) -> list[str]:
    """Short notices under the headline: what the confidence rests on."""
    out: list[str] = []
    confidence = _format.percent(f.coverage * f.agreement)
    if not f.answered:
        out.append("No questions answered yet, so the confidence is 0%.")
        return out
    left = f.total - f.answered
    if f.people == 1 and left:
        out.append(
            f"{_format.plural(left, 'question')} left unanswered, so the confidence is {confidence}: "
            "the fit rests on fewer answers."
        )
    if f.disagreed:
        named = ", ".join(f"\u201c{q}\u201d" for q in f.disagreed[:3])
        more = f" and {len(f.disagreed) - 3} more" if len(f.disagreed) > 3 else ""
        out.append(
            f"The respondents disagree on {len(f.disagreed)} of {_format.plural(f.total, 'question')}, "
            f"most on {named}{more}."
        )
    if f.people > 1:
        out.append(
            f"Confidence {confidence}: the answers cover {_format.percent(f.coverage)} of the questionnaire "
            f"on average, and on the questions several people answered, {_format.percent(f.agreement)} of them "
            "give the most common answer."
        )
    return out
