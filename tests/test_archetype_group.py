"""Archetype fit: a group of respondents, for ANY archetypes data file (fork-safe).

The group's fit is the coverage-weighted mean of its members' own fits; when every member puts
one archetype first, so does the group; confidence falls as members disagree, and a pair
typical of two archetypes is reported split with the questions they differ on; merged share
links count each person once; a target path changes everyone's answers. Expectations are read
from the knowledge file or computed through the API, never from this playbook's own content.
"""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from calculators import api, archetype, share
from calculators.archetype import model

from .archetype_cases import ARCHETYPES, QUESTIONS, TYPICAL, K, answers_st, scores
from .conftest import skip_unless_own_content

QTEXT = {q.id: q.text for q in K.questions}
full_st = st.fixed_dictionaries({q: st.sampled_from(a) for q, a in QUESTIONS.items()})


# ----------------------------------------------------------------- a group (issue 17, item 1)

group_st = st.lists(answers_st, min_size=2, max_size=4)


@settings(max_examples=80, deadline=None)
@given(people=group_st)
def test_group_fit_is_the_coverage_weighted_mean_of_members_own_fits(people: list[dict[str, str]]) -> None:
    r = archetype.assess(people[0], respondents=people[1:])
    own = [scores(archetype.assess(p)) for p in people]
    cov = [model.coverage(K, set(p)) for p in people]
    for aid in ARCHETYPES:
        if sum(cov):
            expected = sum(c * o[aid] for c, o in zip(cov, own)) / sum(cov)
        else:
            expected = model.BASELINE
        assert_allclose(scores(r)[aid], expected, atol=1e-9)
    for e in r.explanation:  # the per-answer points still add up exactly
        assert_allclose(
            e["baseline"] + sum(c["points"] for c in e["contributions"]), scores(r)[e["archetype"]], atol=1e-9
        )


@settings(max_examples=60, deadline=None)
@given(people=st.lists(full_st, min_size=2, max_size=4))
def test_when_every_member_puts_one_archetype_first_so_does_the_group(people: list[dict[str, str]]) -> None:
    tops = {archetype.assess(p).top for p in people}
    r = archetype.assess(people[0], respondents=people[1:])
    if len(tops) == 1:
        assert r.top == tops.pop() and not r.split
    else:
        assert r.split and "split" in r.summary


@settings(max_examples=60, deadline=None)
@given(base=full_st, other=full_st)
def test_confidence_falls_with_disagreement(base: dict[str, str], other: dict[str, str]) -> None:
    """Two complete questionnaires: confidence = 1 - half the weight share of the questions they answer differently."""
    r = archetype.assess(base, respondents=[other])
    differ = [q for q in K.questions if base[q.id] != other[q.id]]
    total = sum(q.weight for q in K.questions)
    assert_allclose(r.confidence, 1 - 0.5 * sum(q.weight for q in differ) / total, atol=1e-12)
    assert {d["question"] for d in r.disagreements} == {q.id for q in differ}
    if differ:
        assert "disagree" in " ".join(r.notes)
        assert any(QTEXT[r.disagreements[0]["question"]] in n for n in r.notes)  # named as the page words it


LEADING = [a for a in ARCHETYPES if archetype.assess(TYPICAL[a]).top == a]  # archetypes their typical answers lead


def test_a_pair_typical_of_two_archetypes_is_reported_split_with_its_questions() -> None:
    if len(LEADING) < 2:
        skip_unless_own_content("fewer than two archetypes lead with their own typical answers")
    a, b = LEADING[0], LEADING[-1]
    r = archetype.assess(TYPICAL[a], respondents=[TYPICAL[b]])
    assert r.split and {p["top"] for p in r.respondents} == {a, b}
    assert (r.top in (a, b)) == ("nobody's own best fit" not in r.summary)
    blocks = archetype.render(r)
    assert any(b_["type"] == "heading" and "disagree" in b_["text"] for b_ in blocks)
    actions = blocks[2]["items"]
    assert any(QTEXT[r.disagreements[0]["question"]] in t for t in actions)


def test_merging_share_links_counts_each_person_once() -> None:
    a, b = ARCHETYPES[0], ARCHETYPES[-1]
    link = "https://example.org/calculators/archetype/#" + share.encode({"answers": TYPICAL[a]})
    # the edge (calculators.api) decodes the pasted links; the calculator sees input objects
    r = archetype.from_input(
        api.decode_links("archetype", {"merge": f"{link}\n\n{share.encode({'answers': TYPICAL[b]})}\n"})
    )
    assert [p["label"] for p in r.respondents] == ["Merged line 1", "Merged line 3"]
    assert_allclose(scores(r)[a], scores(archetype.assess(TYPICAL[a], respondents=[TYPICAL[b]]))[a], atol=1e-9)
    download = next(x for x in archetype.render(r) if x["type"] == "download" and x["filename"].endswith(".json"))
    payload = json.loads(download["content"])
    again = archetype.from_input(payload["input"]).to_dict()
    assert again["ranking"] == r.to_dict()["ranking"] and again["confidence"] == r.confidence


def test_group_target_path_changes_everyone() -> None:
    a, b = ARCHETYPES[0], ARCHETYPES[1]
    target = ARCHETYPES[-1]
    r = archetype.assess(TYPICAL[a], respondents=[TYPICAL[b]], target=target)
    if not r.target_path:
        skip_unless_own_content("no change raises the target's fit")
    changed = {s["question"]: s["suggested"] for s in r.target_path}
    again = archetype.assess({**TYPICAL[a], **changed}, respondents=[{**TYPICAL[b], **changed}])
    assert_allclose(scores(again)[target], r.target_path[-1]["score_after"], atol=1e-9)
