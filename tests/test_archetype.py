"""Archetype fit: behaviour that must hold for ANY archetypes data file (fork-safe).

Every expectation here is read from the knowledge file (its archetypes, questions,
profiles, defining traits and examples) or computed through the API, never from this
playbook's own content; the content checks live in test_archetype_content.py.
"""

from __future__ import annotations

import json
import re
from itertools import pairwise
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from calculators import api, archetype, charts, share
from calculators.archetype import model
from calculators.archetype.result import typical_answers
from calculators.errors import InputError

K = archetype.load_knowledge()
QUESTIONS = {q.id: [a.id for a in q.answers] for q in K.questions}
QTEXT = {q.id: q.text for q in K.questions}
ARCHETYPES = [a.id for a in K.archetypes]
TYPICAL = {a: typical_answers(K, a) for a in ARCHETYPES}
CONTRADICTS = 0.5  # an answer contradicts a trait when it sits at least half the scale away from the profile
DEFINING = [(a.id, d) for a in K.archetypes for d in a.defining]


def scores(result: archetype.ArchetypeResult) -> dict[str, float]:
    return {r["archetype"]: r["score"] for r in result.ranking}


def rank(result: archetype.ArchetypeResult, aid: str) -> int:
    return [r["archetype"] for r in result.ranking].index(aid) + 1


answers_st = st.dictionaries(st.sampled_from(sorted(QUESTIONS)), st.just(None), max_size=len(QUESTIONS)).flatmap(
    lambda d: st.fixed_dictionaries({q: st.sampled_from(QUESTIONS[q]) for q in d})
)
full_st = st.fixed_dictionaries({q: st.sampled_from(a) for q, a in QUESTIONS.items()})


# ----------------------------------------------------------------- defining traits (issue 17, item 2)


def contradicting(aid: str, dim: str, rest: dict[str, str]) -> dict[str, str]:
    """Every question with an answer that contradicts ``aid``'s profile on ``dim`` gets the most
    contradicting one; the other questions keep their answer in ``rest`` (or stay unanswered)."""
    p = dict(K.archetype(aid).profile)[dim]
    out = {}
    for q in K.questions:
        far = [a for a in q.answers if dim in dict(a.at) and abs(dict(a.at)[dim] - p) >= CONTRADICTS]
        if far:
            out[q.id] = max(far, key=lambda a: abs(dict(a.at)[dim] - p)).id
        elif q.id in rest:
            out[q.id] = rest[q.id]
    return out


@pytest.mark.parametrize(("aid", "dim"), DEFINING, ids=[f"{a}-{d}" for a, d in DEFINING])
def test_a_contradicted_defining_trait_keeps_the_archetype_out_of_the_top_two(aid: str, dim: str) -> None:
    """Answers that contradict what defines an archetype, with nothing else said, rank it third or lower."""
    answers = contradicting(aid, dim, {})
    if not answers:
        pytest.skip(f"no answer contradicts {aid}'s profile on {dim} by {CONTRADICTS} or more")
    r = archetype.assess(answers)
    assert rank(r, aid) > 2, (
        f"archetype {aid!r} stays in the top two although every answer informing its defining dimension "
        f"{dim!r} contradicts its profile: {[(x['archetype'], round(x['score'])) for x in r.ranking]}; "
        "move its profile, raise [scoring] defining_weight, or review the answers' positions"
    )


@pytest.mark.parametrize("aid", ARCHETYPES)
def test_answering_as_a_typical_member_ranks_the_archetype_high(aid: str) -> None:
    """Every archetype can be reached: its typical answers (closest to its profile) rank it first or second."""
    r = archetype.assess(TYPICAL[aid])
    assert rank(r, aid) <= 2, (
        f"answering every question as closest to {aid!r}'s profile ranks it {rank(r, aid)}: "
        f"{[(x['archetype'], round(x['score'])) for x in r.ranking]}; its profile may contradict its own answers"
    )


def _knowledge_with_defining_weight(w: float) -> archetype.Knowledge:
    from calculators._data import data_text

    text = re.sub(r"(?m)^defining_weight\s*=.*$", f"defining_weight = {w}", data_text("archetypes.toml"))
    return archetype.load_knowledge(text)


K_HEAVIER = _knowledge_with_defining_weight(min(20.0, K.defining_weight * 2))


@settings(max_examples=100, deadline=None)
@given(answers=answers_st.filter(bool))
def test_weighing_defining_traits_more_only_hurts_archetypes_whose_defining_traits_are_contradicted(
    answers: dict[str, str],
) -> None:
    """Where the answers sit farther from an archetype's profile on its defining scales than on the others,
    a heavier defining weight lowers its fit; where they sit closer, it raises it."""
    counts = model.counts(K, [answers])
    now, heavier = model.Fit(K, counts), model.Fit(K_HEAVIER, counts)
    x = now.x[0]
    for i, a in enumerate(K.archetypes):
        informed = ~np.isnan(x)
        dist = np.abs(np.nan_to_num(x) - K.profile[i])
        defining = np.array([d.id in a.defining for d in K.dimensions]) & informed
        other = ~defining & informed
        if not defining.any() or not other.any():
            continue
        mean_def = np.average(dist[defining], weights=K.dim_weight[defining])
        mean_other = np.average(dist[other], weights=K.dim_weight[other])
        if mean_def > mean_other + 1e-9:
            assert heavier.each[0, i] <= now.each[0, i] + 1e-9, a.id
        elif mean_def < mean_other - 1e-9:
            assert heavier.each[0, i] >= now.each[0, i] - 1e-9, a.id


def test_defining_dimensions_weigh_more_in_their_archetypes_fit() -> None:
    for i, a in enumerate(K.archetypes):
        for j, d in enumerate(K.dimensions):
            expected = d.weight * (K.defining_weight if d.id in a.defining else 1.0)
            assert_allclose(K.weight[i, j], expected)


# ----------------------------------------------------------------- one respondent


def test_score_formula_matches_an_independent_computation() -> None:
    answers = {q.id: q.answers[i % len(q.answers)].id for i, q in enumerate(K.questions[:4])}
    dims = [d.id for d in K.dimensions]
    num = dict.fromkeys(dims, 0.0)
    den = dict.fromkeys(dims, 0.0)
    for q in K.questions:
        if q.id in answers:
            for d, v in q.answer(answers[q.id]).at:
                num[d] += q.weight * v
                den[d] += q.weight
    x = {d: num[d] / den[d] for d in dims if den[d]}
    r = archetype.assess(answers)
    for a in K.archetypes:
        p = dict(a.profile)
        w = {d.id: d.weight * (K.defining_weight if d.id in a.defining else 1) for d in K.dimensions if d.id in x}
        expected = 100 * (1 - sum(w[d] * abs(x[d] - p[d]) for d in x) / sum(w.values()))
        assert_allclose(scores(r)[a.id], expected, rtol=0, atol=1e-9)
    you = {row["dimension"]: row["you"] for row in r.position}
    assert all(you[d] is None for d in dims if d not in x)
    assert_allclose([you[d] for d in x], [x[d] for d in x], atol=1e-12)


@settings(max_examples=120, deadline=None)
@given(answers=answers_st, target=st.sampled_from([None, *ARCHETYPES]))
def test_scores_are_bounded_sorted_and_explained(answers: dict[str, str], target: str | None) -> None:
    r = archetype.assess(answers, target=target)
    s = [row["score"] for row in r.ranking]
    assert all(0 <= v <= 100 for v in s) and s == sorted(s, reverse=True)
    assert sorted(row["archetype"] for row in r.ranking) == sorted(ARCHETYPES)
    assert r.top == r.ranking[0]["archetype"]
    assert_allclose(r.margin, s[0] - s[1], atol=1e-12)
    assert r.answered == len(answers) and 0 <= r.confidence <= 1
    json.dumps(r.to_dict(), allow_nan=False)
    for e in r.explanation:
        assert_allclose(
            e["baseline"] + sum(c["points"] for c in e["contributions"]), scores(r)[e["archetype"]], atol=1e-9
        )
        assert {c["question"] for c in e["contributions"]} == set(answers)
    if target:
        _check_target_path(answers, target, r)


def _check_target_path(answers: dict[str, str], target: str, r: archetype.ArchetypeResult) -> None:
    assert len(r.target_path) <= K.target_steps
    before = scores(r)[target]
    current = dict(answers)
    for step in r.target_path:
        assert step["gain"] > 0 and step["suggested"] != step["current"]
        assert step["current"] == current.get(step["question"])
        current[step["question"]] = step["suggested"]
        after = scores(archetype.assess(current))[target]
        assert_allclose(after, step["score_after"], atol=1e-9)
        assert_allclose(after - before, step["gain"], atol=1e-9)
        before = after
    assert len({s["question"] for s in r.target_path}) == len(r.target_path)


def test_every_question_moves_some_fit() -> None:
    for q in K.questions:
        fits = {tuple(np.round(list(scores(archetype.assess({q.id: a.id})).values()), 9)) for a in q.answers}
        assert len(fits) > 1, f"question {q.id!r}: every answer gives the same fits"


def test_missing_answers_lower_the_confidence_and_are_counted() -> None:
    full = TYPICAL[ARCHETYPES[0]]
    half = dict(list(full.items())[: len(full) // 2])
    r_full, r_half = archetype.assess(full), archetype.assess(half)
    assert r_full.confidence == 1 > r_half.confidence > 0
    assert r_half.answered == len(half) and r_half.total == len(K.questions)
    assert f"{len(half)} of {len(K.questions)}" in r_half.summary
    cards = {i["label"]: i["value"] for i in archetype.render(r_half)[1]["items"]}
    assert cards["Questions answered"] == f"{len(half)} of {len(K.questions)}"


def test_blank_questionnaire_is_valid_and_says_so() -> None:
    r = archetype.from_input({})
    assert {row["score"] for row in r.ranking} == {model.BASELINE}
    assert r.confidence == 0 and r.answered == 0 and r.total == len(K.questions)
    assert r.explanation == [] and r.target_path == [] and r.contradictions == [] and r.example is None
    assert "No answers yet" in r.summary
    assert archetype.from_input({"answers": {q: "" for q in QUESTIONS}, "target": ""}).answered == 0


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
        pytest.skip("fewer than two archetypes lead with their own typical answers")
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
        pytest.skip("no change raises the target's fit")
    changed = {s["question"]: s["suggested"] for s in r.target_path}
    again = archetype.assess({**TYPICAL[a], **changed}, respondents=[{**TYPICAL[b], **changed}])
    assert_allclose(scores(again)[target], r.target_path[-1]["score_after"], atol=1e-9)


# ----------------------------------------------------------------- inputs and errors in the reader's words

Q0 = K.questions[0]
Q1 = K.questions[1]


@pytest.mark.parametrize(
    ("data", "field", "words", "reader"),
    [
        ({"answers": {"bogus": "x"}}, "answers.bogus", "unknown question 'bogus'", "does not ask"),
        ({"answers": {Q0.id: "cto"}}, f"answers.{Q0.id}", "has no answer 'cto'", Q0.text),
        ({"answers": {Q0.id: 3}}, f"answers.{Q0.id}", "has no answer 'int'", Q0.text),
        ({"answers": [Q0.id]}, "answers", "must be an object", "no answers to read"),
        ({"target": "unicorn"}, "target", "must be one of", "Where would you like to be?"),
        ({"merge": 5}, "merge", "must be text", "takes text"),
        ({"merge": "not a link"}, "merge", "line 1", "Line 1 of"),
        ({"merge": "\n" + share.encode({"answers": {Q1.id: "moon"}})}, "merge", "line 2", Q1.text),
        ({"merge": '{"answers": {"nope": "x"}}'}, "merge", "unknown question 'nope'", "does not ask"),
        ({"respondents": {"a": 1}}, "respondents", "must be a list", ""),
        ({"respondents": [{}, {Q1.id: "moon"}]}, f"respondents[1].{Q1.id}", "has no answer 'moon'", Q1.text),
        (
            {"respondents": [{"answers": {"zzz": "a"}}]},
            "respondents[0].answers.zzz",
            "unknown question",
            "does not ask",
        ),
        ("answers", "", "must be an object", ""),
    ],
)
def test_invalid_input_names_the_field_in_both_voices(data: Any, field: str, words: str, reader: str) -> None:
    with pytest.raises(InputError) as exc:
        archetype.from_input(api.decode_links("archetype", data))  # as the page's input reaches it
    errs = {e.field: e for e in exc.value.errors}
    assert field in errs, errs
    assert words in errs[field].message
    shown = errs[field].to_dict()["reader"]
    assert reader in shown
    if reader:  # the page's words: the question as the page shows it, never an id or a path
        assert not re.search(r"\b[a-z]+_[a-z_]+\b|\[\d+\]", shown.replace(Q0.text, "").replace(Q1.text, "")), shown


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InputError) as exc:
        archetype.from_input({"answers": {"bogus": "x", Q0.id: "cto"}, "target": "y", "extra": 1})
    assert {e.field for e in exc.value.errors} == {"answers.bogus", f"answers.{Q0.id}", "target", "extra"}


# ----------------------------------------------------------------- the page


def test_form_offers_every_question_as_optional_with_the_defaults() -> None:
    f = archetype.form()
    radios = [x for x in f if x["type"] == "radio"]
    assert [x["name"] for x in radios] == [f"answers.{q}" for q in QUESTIONS]
    assert [x["label"] for x in radios] == [q.text for q in K.questions]
    assert all(x["optional"] for x in radios)
    default = archetype.default_input()
    assert all(x["default"] == default["answers"].get(x["name"].split(".")[1]) for x in radios)
    target = next(x for x in f if x["type"] == "select")
    assert target["optional"] and [o["value"] for o in target["options"][1:]] == ARCHETYPES


def test_examples_come_from_the_data_file_and_answer_every_question() -> None:
    ex = archetype.examples()
    assert [e["id"] for e in ex] == [e.id for e in K.examples]
    assert archetype.default_input() == ex[0]["input"]
    for e in ex:
        assert set(e["input"]["answers"]) == set(QUESTIONS)


@pytest.mark.parametrize("example", [e.id for e in K.examples])
def test_an_example_is_shown_as_the_example_not_as_the_readers_answers(example: str) -> None:
    e = next(x for x in archetype.examples() if x["id"] == example)
    r = archetype.from_input(e["input"])
    assert r.example == e["label"]
    assert r.summary.startswith(f"The example company \u201c{e['label']}\u201d")
    assert "Your answers" not in r.summary
    blocks = archetype.render(r)
    assert any(b["type"] == "notice" and e["label"] in b["text"] and "not yours" in b["text"] for b in blocks)
    changed = {**e["input"]["answers"], Q0.id: next(a.id for a in Q0.answers if a.id != e["input"]["answers"][Q0.id])}
    assert archetype.assess(changed).example is None  # once the reader edits an answer, they are the reader's


def _strings(blocks: list[dict[str, Any]]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        for key in ("text", "label", "caption", "alt", "title"):
            if isinstance(b.get(key), str):
                out.append(b[key])
        out += [
            i if isinstance(i, str) else f"{i.get('label', '')} {i.get('value', '')} {i.get('hint', '')}"
            for i in b.get("items", [])
            if b["type"] != "links"
        ]
        out += [str(c) for row in b.get("rows", []) for c in row] + list(b.get("columns", []))
        if b["type"] == "method":
            out += _strings(b["blocks"])
    return out


READER_INPUTS = [
    ("blank", {}),
    *((e["id"], e["input"]) for e in archetype.examples()),
    ("group", {"answers": TYPICAL[ARCHETYPES[0]], "respondents": [TYPICAL[ARCHETYPES[-1]]]}),
    ("partial", {"answers": dict(list(TYPICAL[ARCHETYPES[1]].items())[:3]), "target": ARCHETYPES[0]}),
]


@pytest.mark.parametrize(("label", "data"), READER_INPUTS, ids=[x[0] for x in READER_INPUTS])
def test_every_string_the_page_shows_reads_as_words(label: str, data: dict[str, Any]) -> None:
    """Read every string render() produces: no ids, no Python leftovers, one rounding of each fit."""
    r = archetype.from_input(data)
    blocks = archetype.render(r)
    texts = _strings([b for b in blocks if b["type"] != "method"])
    for t in texts:
        assert not re.search(r"\bNone\b|\bnan\b|\binf\b|[{}]|\b[a-z]+_[a-z_]+\b|\w\[\d+\]", t), (label, t)
        assert t == t.strip() and "  " not in t, (label, t)
    types = [b["type"] for b in blocks]
    assert types[:3] == ["summary", "metrics", "actions"] and types[-1] == "method"
    cards = {i["label"]: i for i in blocks[1]["items"]}
    if r.answered:
        first = r.ranking[0]
        assert cards["Closest archetype"]["value"] == first["name"]
        fit_text = cards["Closest archetype"]["hint"].split()[1]
        assert f"fit {fit_text} of 100" in r.summary  # headline and card round the fit the same way
    assert cards["Questions answered"]["value"] == f"{r.answered} of {r.total}"


def test_method_explains_the_group_rule_with_a_disagreeing_pair() -> None:
    r = archetype.from_input(archetype.default_input())
    method = archetype.render(r)[-1]
    assert method["title"] == "How this is computed"
    text = " ".join(_strings([method]))
    assert "group" in text and "mean of those fits" in text
    table = next(b for b in method["blocks"] if b["type"] == "table" and "disagreeing pair" in b["caption"])
    assert table["columns"][-1] == "Group" and len(table["rows"]) == len(ARCHETYPES)
    for row in table["rows"]:
        a, b, g = (float(x) for x in row[1:])
        assert min(a, b) - 1 <= g <= max(a, b) + 1


def test_chart_blocks_draw() -> None:
    r = archetype.from_input(archetype.default_input())
    for b in archetype.render(r):
        if b["type"] == "chart":
            assert b["alt"]
            assert charts.from_block(b).to_dict(validate=True)["width"] == "container"


def test_chart_templates_read_named_datasets() -> None:
    from calculators.archetype import charts as ch

    assert ch.archetype_scores().to_dict()["data"] == {"name": "scores"}
    assert ch.archetype_design().to_dict()["data"] == {"name": "design"}
    assert set(ch.TEMPLATES) <= set(charts.all_specs())


def test_api_and_profiles() -> None:
    out = api.compute("archetype", archetype.default_input())
    assert out["result"]["top"] in ARCHETYPES and out["view"][0]["type"] == "summary"
    p = archetype.profiles()
    assert [x["id"] for x in p] == ARCHETYPES
    assert all(set(x["design"]) == {c.id for c in K.design_choices} for x in p)


def test_contradiction_rules_fire_on_their_answers() -> None:
    for rule in K.rules:
        answers = {q: alts[0] for q, alts in rule.when}
        r = archetype.assess(answers)
        fired = rule.message in r.contradictions
        assert fired == (rule.top is None or rule.top == r.top), rule.id
    for a in ARCHETYPES:
        assert all(isinstance(c, str) for c in archetype.assess(TYPICAL[a]).contradictions)


def test_ranking_rows_are_ordered_best_first() -> None:
    r = archetype.assess(TYPICAL[ARCHETYPES[0]])
    assert all(x["score"] >= y["score"] for x, y in pairwise(r.ranking))


def test_docs_page_takes_counts_and_names_from_the_data() -> None:
    """The page embeds the calculator and never states a count or an archetype name the data file owns."""
    from pathlib import Path

    text = (Path(__file__).resolve().parent.parent / "docs" / "calculators" / "archetype.md").read_text("utf-8")
    assert "<!-- calculator: archetype -->" in text.splitlines()
    assert "../chapters/organisations.md" in text
    numbers = r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen)"
    assert not re.search(numbers + r"(?:\s+[\w-]+)?\s+(?:questions|archetypes)\b", text, re.I), "count in page text"
    assert not any(a.name in text for a in K.archetypes if " " in a.name), "archetype names belong to the data file"


def test_fit_chart_wraps_long_names_instead_of_cutting_them():
    """On a narrow plot, a name too long for one line is drawn on two (split like the chapter heatmap's)."""
    import html

    vlc = pytest.importorskip("vl_convert")
    from calculators.charts import theme

    block = next(
        b
        for b in archetype.render(archetype.from_input(archetype.default_input()))
        if b.get("chart") == "archetype_scores"
    )
    names = [row["name"] for row in block["data"]["scores"]]
    width = 160
    svg = vlc.vegalite_to_svg(charts.from_block(block).properties(width=width).to_dict())
    texts = [html.unescape(t) for t in re.findall(r"<(?:text|tspan)[^>]*>([^<]+)</(?:text|tspan)>", svg)]
    assert not [t for t in texts if t.endswith("\u2026")], texts
    for name in names:
        lines = theme.two_lines(name) if len(name) * theme.CHAR_WIDTH > width else [name]
        assert any(texts[i : i + len(lines)] == lines for i in range(len(texts))), (name, texts)


@pytest.mark.parametrize(
    "name",
    [
        "ML embedded in business and product teams",
        "Short",
        "Independent ML function",
        "abcdefghijklmnopq",
        "aaaa bbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "one two three four",
    ],
)
def test_the_browser_splits_a_name_as_python_does(name):
    """theme.two_lines_expr (Vega, in the page) and theme.two_lines (Python) cut at the same space."""
    import html

    vlc = pytest.importorskip("vl_convert")
    from calculators.charts import theme

    e = f"({theme.two_lines_expr('n')})"
    spec = {
        "data": {"values": [{"n": name}]},
        "mark": {"type": "text", "limit": 0},
        "transform": [{"calculate": f"isArray({e}) ? join({e}, '|') : {e}", "as": "o"}],
        "encoding": {"text": {"field": "o"}},
    }
    texts = [html.unescape(t) for t in re.findall(r"<text[^>]*>([^<]+)</text>", vlc.vegalite_to_svg(spec))]
    assert texts == ["|".join(theme.two_lines(name))]
