"""Values shared by the archetype fit's test files, read from the knowledge file (fork-safe).

The loaded knowledge, its questions and archetypes, each archetype's typical answers, the fits
of a result by archetype, and a hypothesis strategy that answers any subset of the questions.
Kept here once so that test_archetype.py, test_archetype_group.py and test_archetype_page.py
read the same values.
"""

from __future__ import annotations

from hypothesis import strategies as st

from calculators import archetype
from calculators.archetype.result import typical_answers

K = archetype.load_knowledge()
QUESTIONS = {q.id: [a.id for a in q.answers] for q in K.questions}
ARCHETYPES = [a.id for a in K.archetypes]
TYPICAL = {a: typical_answers(K, a) for a in ARCHETYPES}


def scores(result: archetype.ArchetypeResult) -> dict[str, float]:
    return {r["archetype"]: r["score"] for r in result.ranking}


answers_st = st.dictionaries(st.sampled_from(sorted(QUESTIONS)), st.just(None), max_size=len(QUESTIONS)).flatmap(
    lambda d: st.fixed_dictionaries({q: st.sampled_from(QUESTIONS[q]) for q in d})
)
