"""Tests of the archetype-fit calculator (calculators/archetype/ and its data file)."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from calculators import api, archetype, charts, forms, share
from calculators.errors import DataFileError, InputError

ROOT = Path(__file__).resolve().parent.parent
K = archetype.load_knowledge()
QUESTIONS = {q.id: [a.id for a in q.answers] for q in K.questions}
ARCHETYPES = [a.id for a in K.archetypes]

# Companies as the lecture describes each archetype, in questionnaire answers.
LECTURE = {
    "nascent": {  # nobody or a few do ML, little support, hard to hire, a non-tech business
        "who_does_ml": "ad_hoc", "reporting": "nowhere", "leadership": "little", "data_access": "scattered",
        "compute": "whatever", "production": "never", "model_ops": "nobody", "horizon": "weeks",
        "company": "non_tech", "idea_to_product": "no_ideas", "hiring": "very_hard", "ml_literacy": "black_box",
        "research_output": "none",
    },
    "rnd": {  # researchers and PhDs in the R&D arm of an industrial firm; poor data; little reaches the business
        "who_does_ml": "research_group", "reporting": "research_lab", "leadership": "research_bets",
        "data_access": "negotiate", "compute": "lab_cluster", "production": "rarely", "model_ops": "passed_on",
        "horizon": "years", "company": "industrial", "idea_to_product": "rarely", "hiring": "researchers_only",
        "ml_literacy": "black_box", "research_output": "main_output",
    },
    "embedded": {  # ML people in product teams reporting to the tech lead, software/finance, fast loop
        "who_does_ml": "product_teams", "reporting": "product_lead", "leadership": "when_it_pays",
        "data_access": "data_engineers", "compute": "borrow", "production": "now_and_then",
        "model_ops": "builders", "horizon": "quarters", "company": "software", "idea_to_product": "weeks",
        "hiring": "hard_engineers", "ml_literacy": "with_ml_person", "research_output": "applied_only",
    },
    "independent": {  # an ML division under senior leadership in a large financial firm; slow hand-offs
        "who_does_ml": "central_department", "reporting": "head_of_ml", "leadership": "strategy",
        "data_access": "governance", "compute": "shared_platform", "production": "handed_over",
        "model_ops": "ml_team", "horizon": "months_mixed", "company": "finance", "idea_to_product": "months",
        "hiring": "can_build", "ml_literacy": "need_convincing", "research_output": "sometimes",
    },
    "ml_first": {  # the CEO backs ML, experts everywhere plus a central group, best data and hiring
        "who_does_ml": "everywhere", "reporting": "both", "leadership": "ceo", "data_access": "own_platform",
        "compute": "shared_platform", "production": "routine", "model_ops": "users", "horizon": "both",
        "company": "tech", "idea_to_product": "days", "hiring": "magnet", "ml_literacy": "widespread",
        "research_output": "some_teams",
    },
}

# Shorter sketches: only the few facts a reader of the lecture would mention first.
SKETCHES = {
    "nascent": {"who_does_ml": "ad_hoc", "leadership": "little", "hiring": "very_hard", "company": "non_tech"},
    "rnd": {"who_does_ml": "research_group", "company": "industrial", "data_access": "negotiate",
            "production": "rarely"},
    "embedded": {"reporting": "product_lead", "company": "software", "idea_to_product": "weeks"},
    "independent": {"reporting": "head_of_ml", "company": "finance", "idea_to_product": "months",
                    "ml_literacy": "need_convincing"},
    "ml_first": {"leadership": "ceo", "data_access": "own_platform", "hiring": "magnet", "company": "tech"},
}


def scores(result: archetype.ArchetypeResult) -> dict[str, float]:
    return {r["archetype"]: r["score"] for r in result.ranking}


# ----------------------------------------------------------------- the lecture's archetypes

@pytest.mark.parametrize("expected", ARCHETYPES)
def test_lecture_company_scores_its_archetype_first(expected: str) -> None:
    r = archetype.assess(LECTURE[expected])
    assert r.top == expected
    assert not r.between
    assert r.confidence == 1.0 and r.answered == r.total == len(K.questions)


@pytest.mark.parametrize("expected", ARCHETYPES)
def test_short_sketch_scores_its_archetype_first(expected: str) -> None:
    r = archetype.assess(SKETCHES[expected])
    assert r.top == expected
    assert 0 < r.confidence < 1
    assert any("questions answered" in n for n in r.notes)


def test_examples_are_valid_and_the_default_is_the_first() -> None:
    ex = archetype.examples()
    assert len(ex) == 3 and len({e["id"] for e in ex}) == 3
    for e in ex:
        archetype.from_input(e["input"])
    assert archetype.default_input() == ex[0]["input"]
    assert len(archetype.default_input()["answers"]) == len(K.questions)


# Neighbouring archetypes. (Half R&D, half embedded lands on the independent function, which sits
# between them on most scales; that three-way tie is reported as "between" too, but not with these two.)
PAIRS = [("embedded", "independent"), ("rnd", "independent"), ("independent", "ml_first"),
         ("nascent", "embedded"), ("nascent", "rnd")]


@pytest.mark.parametrize(("a", "b"), PAIRS)
def test_a_group_split_between_two_archetypes_is_reported_as_close(a: str, b: str) -> None:
    """Half the group describes a's company, half b's: their mean position sits between the two."""
    r = archetype.assess(LECTURE[a], respondents=[LECTURE[b]])
    assert {r.ranking[0]["archetype"], r.ranking[1]["archetype"]} == {a, b}
    assert r.between and r.margin < K.between_margin
    assert "between" in r.summary


# Mixed companies: a's answers with the listed questions answered as b's company would.
MIXES = [
    ("embedded", "independent", ["company", "compute", "data_access", "model_ops", "who_does_ml"]),
    ("independent", "ml_first", ["company", "compute", "idea_to_product", "leadership", "ml_literacy", "reporting",
                                 "research_output", "who_does_ml"]),
    ("nascent", "embedded", ["company", "ml_literacy", "production", "reporting", "research_output"]),
]


@pytest.mark.parametrize(("a", "b", "swapped"), MIXES)
def test_a_mixed_company_is_reported_as_between(a: str, b: str, swapped: list[str]) -> None:
    answers = {q: LECTURE[b][q] if q in swapped else LECTURE[a][q] for q in QUESTIONS}
    r = archetype.assess(answers)
    assert {r.ranking[0]["archetype"], r.ranking[1]["archetype"]} == {a, b}
    assert r.between and r.margin < 1
    assert "between" in r.summary and "almost equally" in r.summary
    assert "close call" in json.dumps(archetype.render(r))


def test_every_question_has_an_effect() -> None:
    base = archetype.default_input()["answers"]
    for qid, ids in QUESTIONS.items():
        changed = False
        for aid in ids:
            for start in (base, {}):
                before = scores(archetype.assess(start))
                after = scores(archetype.assess({**start, qid: aid}))
                if any(abs(before[x] - after[x]) > 1e-6 for x in ARCHETYPES):
                    changed = True
        assert changed, f"question {qid!r} never changes any score"
        # every answer of the question sits somewhere distinct from at least one other answer
        fits = {aid: tuple(np.round(list(scores(archetype.assess({**base, qid: aid})).values()), 9))
                for aid in ids}
        assert len(set(fits.values())) > 1, qid


# ----------------------------------------------------------------- scoring invariants

def test_contributions_add_up_to_the_score() -> None:
    cases = [LECTURE["embedded"], SKETCHES["rnd"], archetype.default_input()["answers"], {"company": "tech"}]
    for answers in cases:
        r = archetype.assess(answers)
        assert len(r.explanation) == K.explain_top
        by = scores(r)
        for e in r.explanation:
            total = e["baseline"] + sum(c["points"] for c in e["contributions"])
            assert_allclose(total, by[e["archetype"]], rtol=0, atol=1e-9)
            assert {c["question"] for c in e["contributions"]} == set(answers)
            for c in e["contributions"]:
                assert c["direction"] == ("towards" if c["points"] > 0 else "away" if c["points"] < 0 else "neutral")


def test_contributions_add_up_for_a_group() -> None:
    r = archetype.assess(LECTURE["embedded"], respondents=[LECTURE["independent"], SKETCHES["embedded"]])
    by = scores(r)
    for e in r.explanation:
        assert_allclose(e["baseline"] + sum(c["points"] for c in e["contributions"]), by[e["archetype"]], atol=1e-9)
        assert sum(c["count"] for c in e["contributions"]) == 13 + 13 + 3


def test_score_formula_matches_an_independent_computation() -> None:
    answers = {"reporting": "head_of_ml", "company": "software", "horizon": "years"}
    dims = [d.id for d in K.dimensions]
    num = {d: 0.0 for d in dims}
    den = {d: 0.0 for d in dims}
    for q in K.questions:
        if q.id in answers:
            for d, v in q.answer(answers[q.id]).at:
                num[d] += q.weight * v
                den[d] += q.weight
    x = {d: num[d] / den[d] for d in dims if den[d]}
    w = {d.id: d.weight for d in K.dimensions if d.id in x}
    r = archetype.assess(answers)
    for a in K.archetypes:
        p = dict(a.profile)
        expected = 100 * (1 - sum(w[d] * abs(x[d] - p[d]) for d in x) / sum(w.values()))
        assert_allclose(scores(r)[a.id], expected, rtol=0, atol=1e-9)
    you = {row["dimension"]: row["you"] for row in r.position}
    assert all(you[d] is None for d in dims if d not in x)
    assert_allclose([you[d] for d in x], [x[d] for d in x], atol=1e-12)


answers_st = st.dictionaries(st.sampled_from(sorted(QUESTIONS)), st.just(None), max_size=len(QUESTIONS)).flatmap(
    lambda d: st.fixed_dictionaries({q: st.sampled_from(QUESTIONS[q]) for q in d}))


@settings(max_examples=150, deadline=None)
@given(answers=answers_st, target=st.sampled_from([None, *ARCHETYPES]))
def test_scores_are_bounded_and_ranking_sorted(answers: dict[str, str], target: str | None) -> None:
    r = archetype.assess(answers, target=target)
    s = [row["score"] for row in r.ranking]
    assert all(0 <= v <= 100 for v in s)
    assert s == sorted(s, reverse=True)
    assert sorted(row["archetype"] for row in r.ranking) == sorted(ARCHETYPES)
    assert r.top == r.ranking[0]["archetype"]
    assert_allclose(r.margin, s[0] - s[1], atol=1e-12)
    assert 0 <= r.confidence <= 1
    assert r.answered == len(answers)
    json.dumps(r.to_dict(), allow_nan=False)
    for e in r.explanation:
        assert_allclose(e["baseline"] + sum(c["points"] for c in e["contributions"]), scores(r)[e["archetype"]],
                        atol=1e-9)
    if target:
        _check_target_path(answers, target, r)


def _check_target_path(answers: dict[str, str], target: str, r: archetype.ArchetypeResult) -> None:
    assert len(r.target_path) <= K.target_steps
    before = scores(r)[target]
    current = dict(answers)
    for step in r.target_path:
        assert step["gain"] > 0
        assert step["current"] == current.get(step["question"])
        assert step["suggested"] != step["current"]
        current[step["question"]] = step["suggested"]
        after = scores(archetype.assess(current))[target]
        assert_allclose(after, step["score_after"], atol=1e-9)
        assert_allclose(after - before, step["gain"], atol=1e-9)
        before = after
    assert len({s["question"] for s in r.target_path}) == len(r.target_path)


@pytest.mark.parametrize("target", ARCHETYPES)
def test_target_path_improves_the_target_score(target: str) -> None:
    for start in (LECTURE["nascent"], LECTURE["embedded"], archetype.default_input()["answers"], {}):
        r = archetype.assess(start, target=target)
        _check_target_path(start, target, r)
        if r.target_path:
            applied = {**start, **{s["question"]: s["suggested"] for s in r.target_path}}
            assert scores(archetype.assess(applied))[target] > scores(r)[target]


def test_target_path_suggests_answers_typical_of_the_target() -> None:
    r = archetype.assess(LECTURE["embedded"], target="independent")
    assert len(r.target_path) == 3
    typical = {q: a for q, a in LECTURE["independent"].items()}
    assert all(typical[s["question"]] == s["suggested"] for s in r.target_path)
    assert archetype.assess(LECTURE["independent"], target="independent").target_path == []


# ----------------------------------------------------------------- empty, missing, errors

def test_empty_input_is_valid_and_says_so() -> None:
    r = archetype.from_input({})
    assert {row["score"] for row in r.ranking} == {50.0}
    assert r.confidence == 0 and r.answered == 0 and r.total == len(K.questions)
    assert r.between and r.margin == 0
    assert r.explanation == [] and r.target_path == [] and r.contradictions == []
    assert "No answers yet" in r.summary
    assert any("confidence 0" in n for n in r.notes)
    blocks = archetype.render(r)
    assert blocks[0]["type"] == "summary"
    assert {"download", "links"} <= {b["type"] for b in blocks}


def test_missing_answers_lower_the_confidence() -> None:
    full = archetype.assess(LECTURE["rnd"])
    part = archetype.assess({k: v for k, v in list(LECTURE["rnd"].items())[:6]})
    assert full.confidence == 1 > part.confidence > 0
    assert part.answered == 6
    assert any("6 of 13" in n for n in part.notes)


def test_empty_answers_and_null_are_unanswered() -> None:
    r = archetype.from_input({"answers": {"reporting": "", "company": None}, "target": ""})
    assert r.answered == 0 and r.target is None


@pytest.mark.parametrize(("data", "field", "words"), [
    ({"answers": {"bogus": "x"}}, "answers.bogus", "unknown question 'bogus'"),
    ({"answers": {"reporting": "cto"}}, "answers.reporting", "has no answer 'cto'"),
    ({"answers": {"reporting": 3}}, "answers.reporting", "has no answer 'int'"),
    ({"answers": ["reporting"]}, "answers", "must be an object"),
    ({"target": "unicorn"}, "target", "must be one of"),
    ({"colour": "blue"}, "colour", "unknown field 'colour'"),
    ({"merge": 5}, "merge", "must be text"),
    ({"merge": "not a link"}, "merge", "line 1"),
    ({"merge": "\n" + share.encode({"answers": {"company": "moon"}})}, "merge", "line 2"),
    ({"merge": '{"answers": {"nope": "x"}}'}, "merge", "unknown question 'nope'"),
    ({"respondents": {"a": 1}}, "respondents", "must be a list"),
    ({"respondents": [{}, {"company": "moon"}]}, "respondents[1].company", "has no answer 'moon'"),
    ({"respondents": [{"answers": {"zzz": "a"}}]}, "respondents[0].answers.zzz", "unknown question"),
    ("answers", "", "must be an object"),
])
def test_invalid_input_names_the_field(data: Any, field: str, words: str) -> None:
    with pytest.raises(InputError) as exc:
        archetype.from_input(data)
    fields = {e.field: e.message for e in exc.value.errors}
    assert field in fields, fields
    assert words in fields[field]


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(InputError) as exc:
        archetype.from_input({"answers": {"bogus": "x", "reporting": "cto"}, "target": "y", "extra": 1})
    assert {e.field for e in exc.value.errors} == {"answers.bogus", "answers.reporting", "target", "extra"}


# ----------------------------------------------------------------- contradictions

def test_contradiction_between_two_answers_fires() -> None:
    r = archetype.assess({**LECTURE["nascent"], "model_ops": "builders"})
    assert any("no model has reached production" in c for c in r.contradictions)
    assert archetype.assess(LECTURE["nascent"]).contradictions == []


def test_contradiction_with_the_top_archetype_fires() -> None:
    claims_production = {**LECTURE["rnd"], "model_ops": "ml_team"}
    r = archetype.assess(claims_production)
    assert r.top == "rnd"
    assert any("R&D lab" in c for c in r.contradictions)
    # the same answer is no contradiction for an independent function
    assert not any("R&D lab" in c for c in archetype.assess(LECTURE["independent"]).contradictions)


@pytest.mark.parametrize("expected", ARCHETYPES)
def test_lecture_companies_are_consistent(expected: str) -> None:
    assert archetype.assess(LECTURE[expected]).contradictions == []


def test_contradictions_render_as_warnings() -> None:
    r = archetype.assess({**LECTURE["nascent"], "model_ops": "builders"})
    warnings = [b for b in archetype.render(r) if b["type"] == "notice" and b["level"] == "warning"]
    assert [w["text"] for w in warnings] == r.contradictions


# ----------------------------------------------------------------- several respondents

def test_merging_two_share_links_reports_disagreement() -> None:
    a = "https://example.org/calculators/archetype/#" + share.encode({"answers": LECTURE["embedded"]})
    b = share.encode({"answers": {**LECTURE["embedded"], "reporting": "head_of_ml", "company": "finance"},
                      "target": "ml_first"})
    r = archetype.from_input({"merge": f"{a}\n\n{b}\n"})
    assert [p["label"] for p in r.respondents] == ["merge line 1", "merge line 3"]
    assert r.top == "embedded"
    assert [d["question"] for d in r.disagreements] == ["reporting", "company"]
    rep = r.disagreements[0]
    assert rep["respondents"] == 2 and rep["disagreement"] == 0.5
    assert sorted((x["answer"], x["count"]) for x in rep["answers"]) == [("head_of_ml", 1), ("product_lead", 1)]
    assert "averaged" in r.summary
    table = [blk for blk in archetype.render(r) if blk["type"] == "table" and "most divided" in blk["caption"]]
    assert table and len(table[0]["rows"]) == 2


def test_merged_ranking_uses_the_mean_position() -> None:
    """Two complete questionnaires pooled score like the mean of their positions."""
    r = archetype.assess(LECTURE["embedded"], respondents=[LECTURE["ml_first"]])
    x = np.array([row["you"] for row in r.position])
    one = np.array([row["you"] for row in archetype.assess(LECTURE["embedded"]).position])
    two = np.array([row["you"] for row in archetype.assess(LECTURE["ml_first"]).position])
    assert_allclose(x, (one + two) / 2, atol=1e-12)
    assert len(r.respondents) == 2 and r.disagreements
    assert r.disagreements == sorted(r.disagreements, key=lambda d: -d["disagreement"])


def test_disagreement_order_puts_the_most_divided_first() -> None:
    people = [{"company": "tech", "hiring": "magnet"}, {"company": "software", "hiring": "magnet"},
              {"company": "finance", "hiring": "very_hard"}]
    r = archetype.from_input({"respondents": people})
    assert [d["question"] for d in r.disagreements] == ["company", "hiring"]
    assert_allclose([d["disagreement"] for d in r.disagreements], [2 / 3, 1 / 3])


def test_group_target_path_changes_everyone() -> None:
    r = archetype.assess(LECTURE["nascent"], respondents=[LECTURE["rnd"]], target="embedded")
    assert r.target_path
    changed = {s["question"]: s["suggested"] for s in r.target_path}
    again = archetype.assess({**LECTURE["nascent"], **changed}, respondents=[{**LECTURE["rnd"], **changed}])
    assert_allclose(scores(again)["embedded"], r.target_path[-1]["score_after"], atol=1e-9)


# ----------------------------------------------------------------- the data file

def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(type(v))


def dump_toml(data: dict[str, Any], prefix: str = "") -> str:
    """A small TOML writer for the data file's shapes (tables, arrays of tables, inline values)."""
    out: list[str] = []
    for key, v in data.items():
        if not isinstance(v, dict) and not (isinstance(v, list) and v and all(isinstance(x, dict) for x in v)):
            out.append(f"{json.dumps(key)} = {_toml_value(v)}")
    for key, v in data.items():
        name = f"{prefix}.{json.dumps(key)}" if prefix else json.dumps(key)
        if isinstance(v, dict):
            out.append(f"\n[{name}]")
            out.append(dump_toml(v, name))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for item in v:
                out.append(f"\n[[{name}]]")
                out.append(dump_toml(item, name))
    return "\n".join(s for s in out if s)


def shipped_text() -> str:
    return (resources.files("calculators") / "data" / "archetypes.toml").read_text(encoding="utf-8")


def test_data_file_round_trips() -> None:
    raw = tomllib.loads(shipped_text())
    text = dump_toml(raw)
    assert tomllib.loads(text) == raw
    assert archetype.load_knowledge(text) == archetype.load_knowledge()
    assert archetype.load_knowledge(shipped_text()) == K


def test_data_file_has_the_five_archetypes_and_a_short_questionnaire() -> None:
    assert ARCHETYPES == ["nascent", "rnd", "embedded", "independent", "ml_first"]
    assert 10 <= len(K.questions) <= 14
    assert all(3 <= len(q.answers) <= 5 for q in K.questions)
    assert [c.id for c in K.design_choices] == ["engineering_vs_research", "data_ownership", "model_ownership"]
    for a in K.archetypes:
        assert {h for _, h in a.links} >= {"chapters/roles/", "chapters/hiring/"}


def _break(how: Any) -> dict[str, Any]:
    raw = copy.deepcopy(tomllib.loads(shipped_text()))
    how(raw)
    return raw


def _q(raw: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(q for q in raw["question"] if q["id"] == qid)


def _a(raw: dict[str, Any], aid: str) -> dict[str, Any]:
    return next(a for a in raw["archetype"] if a["id"] == aid)


BREAKAGES = [
    ("unknown dimension", lambda r: _q(r, "reporting")["answer"][0]["at"].update(happiness=0.5),
     "question 'reporting', answer 'nowhere', at", "unknown dimension 'happiness'"),
    ("out of range", lambda r: _q(r, "reporting")["answer"][2]["at"].update(centralisation=1.5),
     "question 'reporting', answer 'product_lead', at, dimension 'centralisation'", "must be between 0 and 1"),
    ("duplicate question", lambda r: _q(r, "leadership").update(id="reporting"),
     "question 3", "duplicate id 'reporting'"),
    ("duplicate answer", lambda r: _q(r, "company")["answer"][1].update(id="non_tech"),
     "question 'company', answer 2", "duplicate id 'non_tech'"),
    ("missing question text", lambda r: _q(r, "horizon").pop("text"), "question 'horizon'", "missing key 'text'"),
    ("archetype without profile", lambda r: _a(r, "rnd").pop("profile"), "archetype 'rnd'", "has no profile"),
    ("incomplete profile", lambda r: _a(r, "embedded")["profile"].pop("tech_core"),
     "archetype 'embedded', profile", "no position for dimension(s) tech_core"),
    ("missing design choice", lambda r: _a(r, "ml_first")["design"].pop("model_ownership"),
     "archetype 'ml_first', design", "no entry for design choice 'model_ownership'"),
    ("unsafe link", lambda r: _a(r, "nascent")["links"][0].update(href="https://evil.example/"),
     "archetype 'nascent', link 1", "unsafe link target"),
    ("bad weight", lambda r: _q(r, "compute").update(weight=0), "question 'compute'", "'weight' (0) must be above 0"),
    ("weight as text", lambda r: r["dimension"][0].update(weight="high"), "dimension 'ml_maturity'",
     "'weight' must be a number, not str"),
    ("rule with unknown answer", lambda r: r["contradiction"][0].update(answers=["production.sometimes"]),
     "contradiction 'never_but_running'", "question 'production' has no answer 'sometimes'"),
    ("rule with unknown archetype", lambda r: r["contradiction"][-1].update(top="unicorn"),
     "contradiction 'ml_first_without_ceo'", "unknown archetype 'unicorn'"),
    ("example with unknown answer", lambda r: r["example"][1]["answers"].update(company="moon"),
     "example 'telecom-lab', answer 'company'", "question 'company' has no answer 'moon'"),
    ("unknown key", lambda r: _q(r, "hiring").update(wieght=1), "question 'hiring'", "unknown key 'wieght'"),
    ("no archetypes", lambda r: r.pop("archetype"), "[[archetype]]", "missing"),
    ("question without effect", lambda r: [a.update(at={"ml_maturity": 0.5}) for a in _q(r, "hiring")["answer"]],
     "question 'hiring'", "no effect"),
]


@pytest.mark.parametrize(("name", "how", "entry", "problem"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_malformed_data_file_names_file_and_entry(name: str, how: Any, entry: str, problem: str) -> None:
    text = dump_toml(_break(how))
    with pytest.raises(DataFileError) as exc:
        archetype.load_knowledge(text)
    err = exc.value
    assert err.file == archetype.DATA_FILE
    assert err.entry == entry
    assert problem in err.problem
    assert str(err).startswith(f"{archetype.DATA_FILE}: {entry}: ")


def test_not_toml_is_a_data_file_error() -> None:
    with pytest.raises(DataFileError, match="not valid TOML"):
        archetype.load_knowledge("[[question]\nid = ")


def test_profiles_for_chapter_charts() -> None:
    p = archetype.profiles()
    assert [x["id"] for x in p] == ARCHETYPES
    assert p[2]["design"]["model_ownership"]["position"] == 0.95
    json.dumps(p)


# ----------------------------------------------------------------- page contract

def test_form_fields() -> None:
    f = archetype.form()
    radios = [x for x in f if x["type"] == "radio"]
    assert [x["name"] for x in radios] == [f"answers.{q}" for q in QUESTIONS]
    assert all(x["optional"] for x in radios)
    default = archetype.default_input()
    assert all(x["default"] == default["answers"][x["name"].split(".")[1]] for x in radios)
    target = next(x for x in f if x["type"] == "select")
    assert target["name"] == "target" and target["optional"]
    assert target["options"][0] == {"value": "", "label": "No target"}
    assert [o["value"] for o in target["options"][1:]] == ARCHETYPES
    group = next(x for x in f if x["type"] == "group")
    assert group["open"] is False and group["label"] == "Merge other people's answers"
    assert group["fields"][0]["type"] == "textarea" and group["fields"][0]["name"] == "merge"
    assert forms.textarea("merge", "x")["type"] == "textarea"


def test_render_blocks_and_charts() -> None:
    r = archetype.from_input(archetype.default_input())
    blocks = archetype.render(r)
    json.dumps(blocks, allow_nan=False)
    kinds = [b["type"] for b in blocks]
    assert kinds[0] == "summary"
    assert {"metrics", "chart", "table", "list", "links", "download", "heading"} <= set(kinds)
    for b in blocks:
        if b["type"] == "chart":
            assert b["alt"]
            spec = charts.from_block(b).to_dict(validate=True)
            assert spec["width"] == "container"
    hrefs = {i["href"] for b in blocks if b["type"] == "links" for i in b["items"]}
    assert {"chapters/roles/", "chapters/hiring/", "chapters/organisations/"} <= hrefs
    downloads = {b["filename"]: b for b in blocks if b["type"] == "download"}
    payload = json.loads(downloads["archetype-fit.json"]["content"])
    assert payload["input"] == archetype.default_input()
    assert payload["result"]["ranking"] == r.to_dict()["ranking"]
    assert archetype.from_input(payload["input"]).to_dict() == payload["result"]
    md = downloads["ml-team-charter.md"]["content"]
    assert md.startswith("# ML team charter") and "## Design choices" in md and "## Steps towards" in md
    assert downloads["ml-team-charter.md"]["mime"] == "text/markdown"


def test_chart_templates_read_named_datasets() -> None:
    from calculators.archetype import charts as ch

    assert set(ch.TEMPLATES) == {"archetype_scores", "archetype_design"}
    assert ch.archetype_scores().to_dict()["data"] == {"name": "scores"}
    assert ch.archetype_design().to_dict()["data"] == {"name": "design"}
    specs = charts.all_specs()
    assert {"archetype_scores", "archetype_design"} <= set(specs)


def test_result_keys() -> None:
    d = archetype.from_input(archetype.default_input()).to_dict()
    assert {"ranking", "top", "margin", "between", "confidence", "answered", "total", "explanation", "design",
            "target_path", "contradictions", "disagreements", "respondents"} <= set(d)
    assert set(d["design"]) >= {"archetype", "choices", "strengths", "problems", "hiring"}
    assert [c["id"] for c in d["design"]["choices"]] == ["engineering_vs_research", "data_ownership",
                                                         "model_ownership"]
    assert all(set(c) >= {"position", "rationale", "you"} for c in d["design"]["choices"])
    assert d["design"]["hiring"]["links"][0]["href"] == "chapters/roles/"


def test_api_and_page_config() -> None:
    out = api.compute("archetype", archetype.default_input())
    assert out["result"]["top"] == "embedded" and out["view"][0]["type"] == "summary"
    cfg = api.page_config("archetype")
    assert cfg["title"] == archetype.TITLE == "Archetype fit"
    reply = json.loads(api.handle(json.dumps({"id": 7, "calculator": "archetype", "input": {"answers": {"x": "y"}}})))
    assert reply["id"] == 7 and reply["error"]["fields"][0]["field"] == "answers.x"


# ----------------------------------------------------------------- command line and docs

def _cli(tmp_path: Path, data: Any) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "calculators", "archetype", "--input", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_cli_prints_json(tmp_path: Path) -> None:
    proc = _cli(tmp_path, {"answers": LECTURE["ml_first"]})
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["ranking"][0]["archetype"] == "ml_first"


def test_cli_error_exits_1_without_traceback(tmp_path: Path) -> None:
    proc = _cli(tmp_path, {"answers": {"reporting": "cto"}})
    assert proc.returncode == 1
    assert proc.stdout == ""
    assert "answers.reporting" in proc.stderr and "cto" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_docs_page() -> None:
    text = (ROOT / "docs" / "calculators" / "archetype.md").read_text(encoding="utf-8")
    assert text.startswith("# ")
    assert "<!-- calculator: archetype -->" in text.splitlines()
    assert "../chapters/organisations.md" in text
    assert "## What to do next" in text
