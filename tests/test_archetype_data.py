"""Archetype fit: the data file's format, validation and stated limits (fork-safe).

The edits below are made to whatever ``calculators/data/archetypes.toml`` holds (its
first question, its first archetype...), so a fork's file is checked the same way.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from collections.abc import Callable
from typing import Any

import pytest

from calculators import archetype
from calculators._data import data_text
from calculators.archetype import knowledge
from calculators.errors import DataFileError

RAW = tomllib.loads(data_text(knowledge.DATA_NAME))
K = archetype.load_knowledge()


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


def test_data_file_round_trips() -> None:
    text = dump_toml(RAW)
    assert tomllib.loads(text) == RAW
    assert archetype.load_knowledge(text) == K
    assert archetype.load_knowledge(data_text(knowledge.DATA_NAME)) == K


def _comment_limits(what: str) -> tuple[int, int]:
    text = data_text(knowledge.DATA_NAME)
    line = re.search(rf"^#\s*\[\[{re.escape(what)}\]\].*$", text, re.M)
    if not line:
        pytest.skip(f"the data file has no FORMAT comment on [[{what}]]: no stated limit to compare")
    m = re.search(r"(\d+) to (\d+)", line.group(0))
    assert m, f"the FORMAT comment states how many [[{what}]] there may be: {line.group(0)}"
    return int(m.group(1)), int(m.group(2))


LIMITS = [("question", knowledge.QUESTIONS), ("question.answer", knowledge.ANSWERS)]


@pytest.mark.parametrize(("what", "limits"), LIMITS)
def test_the_limits_the_comments_state_are_the_limits_the_loader_enforces(what: str, limits: tuple[int, int]) -> None:
    assert _comment_limits(what) == limits
    lo, hi = limits
    counts = [len(K.questions)] if what == "question" else [len(q.answers) for q in K.questions]
    assert all(lo <= n <= hi for n in counts)


def _with(how: Callable[[dict[str, Any]], Any]) -> str:
    raw = copy.deepcopy(RAW)
    how(raw)
    return dump_toml(raw)


def _fails(text: str) -> DataFileError:
    with pytest.raises(DataFileError) as exc:
        archetype.load_knowledge(text)
    assert exc.value.file == knowledge.DATA_FILE
    assert str(exc.value).startswith(f"{knowledge.DATA_FILE}: {exc.value.entry}: ")
    return exc.value


def test_too_many_or_too_few_questions_and_answers_are_refused() -> None:
    lo, hi = knowledge.QUESTIONS
    q0 = RAW["question"][0]

    def questions(n: int) -> Callable[[dict[str, Any]], None]:
        def how(r: dict[str, Any]) -> None:
            qs = [copy.deepcopy(q0) | {"id": f"q{i}"} for i in range(n)]
            r["question"] = qs
            r["contradiction"] = []
            for ex in r["example"]:
                ex["answers"] = {q["id"]: q0["answer"][0]["id"] for q in qs}

        return how

    assert archetype.load_knowledge(_with(questions(hi))).questions
    assert "needs" in _fails(_with(questions(hi + 1))).problem
    assert "needs" in _fails(_with(questions(lo - 1))).problem
    alo, ahi = knowledge.ANSWERS
    answers = q0["answer"]

    def n_answers(n: int) -> Callable[[dict[str, Any]], None]:
        def how(r: dict[str, Any]) -> None:
            q = r["question"][0]
            q["answer"] = [copy.deepcopy(answers[i % len(answers)]) | {"id": f"a{i}"} for i in range(n)]
            q["answer"][0]["at"] = {K.dimensions[0].id: 0.0}
            q["answer"][-1]["at"] = {K.dimensions[0].id: 1.0}
            r["contradiction"] = [
                c for c in r.get("contradiction", []) if not any(a.startswith(f"{q['id']}.") for a in c["answers"])
            ]
            for ex in r["example"]:
                ex["answers"][q["id"]] = "a0"

        return how

    assert archetype.load_knowledge(_with(n_answers(ahi)))
    assert f"needs {alo} to {ahi} answers" in _fails(_with(n_answers(ahi + 1))).problem
    if alo > 1:
        assert f"needs {alo} to {ahi} answers" in _fails(_with(n_answers(alo - 1))).problem


@pytest.mark.parametrize("index", range(len(RAW["example"])))
def test_an_example_that_skips_a_question_stops_the_build_naming_example_and_question(index: int) -> None:
    ex = RAW["example"][index]
    skipped = K.questions[-1].id
    err = _fails(_with(lambda r: r["example"][index]["answers"].pop(skipped)))
    assert err.entry == f"example {ex['id']!r}"
    assert repr(skipped) in err.problem and "answers every question" in err.problem


def _q(raw: dict[str, Any], i: int = 0) -> dict[str, Any]:
    return raw["question"][i]


Q0, Q1, A0 = RAW["question"][0], RAW["question"][1], RAW["archetype"][0]
DIM0 = RAW["dimension"][0]["id"]

BREAKAGES: list[tuple[str, Callable[[dict[str, Any]], Any], str, str]] = [
    (
        "unknown dimension",
        lambda r: _q(r)["answer"][0]["at"].update(happiness=0.5),
        f"question {Q0['id']!r}, answer {Q0['answer'][0]['id']!r}, at",
        "unknown dimension 'happiness'",
    ),
    (
        "out of range",
        lambda r: _q(r)["answer"][0]["at"].update({DIM0: 1.5}),
        f"question {Q0['id']!r}, answer {Q0['answer'][0]['id']!r}, at, dimension {DIM0!r}",
        "must be between 0 and 1",
    ),
    ("duplicate question", lambda r: _q(r, 1).update(id=Q0["id"]), "question 2", f"duplicate id {Q0['id']!r}"),
    (
        "duplicate answer",
        lambda r: _q(r)["answer"][1].update(id=Q0["answer"][0]["id"]),
        f"question {Q0['id']!r}, answer 2",
        f"duplicate id {Q0['answer'][0]['id']!r}",
    ),
    ("missing question text", lambda r: _q(r).pop("text"), f"question {Q0['id']!r}", "missing key 'text'"),
    (
        "archetype without profile",
        lambda r: r["archetype"][0].pop("profile"),
        f"archetype {A0['id']!r}",
        "has no profile",
    ),
    (
        "incomplete profile",
        lambda r: r["archetype"][0]["profile"].pop(DIM0),
        f"archetype {A0['id']!r}, profile",
        f"no position for dimension(s) {DIM0}",
    ),
    (
        "no defining trait",
        lambda r: r["archetype"][0].update(defining=[]),
        f"archetype {A0['id']!r}",
        "'defining' must not be empty",
    ),
    (
        "unknown defining trait",
        lambda r: r["archetype"][0].update(defining=["charisma"]),
        f"archetype {A0['id']!r}",
        "unknown 'charisma'",
    ),
    (
        "defining weight too high",
        lambda r: r["scoring"].update(defining_weight=50),
        "[scoring]",
        "'defining_weight' (50) must be between 1 and 20",
    ),
    (
        "unsafe link",
        lambda r: r["archetype"][0]["links"][0].update(href="https://evil.example/"),
        f"archetype {A0['id']!r}, link 1",
        "unsafe link target",
    ),
    ("bad weight", lambda r: _q(r).update(weight=0), f"question {Q0['id']!r}", "'weight' (0) must be above 0"),
    (
        "weight as text",
        lambda r: r["dimension"][0].update(weight="high"),
        f"dimension {DIM0!r}",
        "'weight' must be a number, not str",
    ),
    (
        "example with unknown answer",
        lambda r: r["example"][0]["answers"].update({Q1["id"]: "moon"}),
        f"example {RAW['example'][0]['id']!r}, answer {Q1['id']!r}",
        f"question {Q1['id']!r} has no answer 'moon'",
    ),
    ("unknown key", lambda r: _q(r).update(wieght=1), f"question {Q0['id']!r}", "unknown key 'wieght'"),
    ("no archetypes", lambda r: r.pop("archetype"), "[[archetype]]", "missing"),
    (
        "question without effect",
        lambda r: [a.update(at={DIM0: 0.5}) for a in _q(r)["answer"]],
        f"question {Q0['id']!r}",
        "no effect",
    ),
]


@pytest.mark.parametrize(("name", "how", "entry", "problem"), BREAKAGES, ids=[b[0] for b in BREAKAGES])
def test_malformed_data_file_names_file_and_entry(name: str, how: Any, entry: str, problem: str) -> None:
    err = _fails(_with(how))
    assert err.entry == entry
    assert problem in err.problem


def test_rule_and_example_references_are_checked() -> None:
    if RAW.get("contradiction"):
        rule = RAW["contradiction"][0]
        err = _fails(_with(lambda r: r["contradiction"][0].update(answers=[f"{Q0['id']}.nope"])))
        assert err.entry == f"contradiction {rule['id']!r}" and "has no answer 'nope'" in err.problem
        err = _fails(_with(lambda r: r["contradiction"][0].update(top="unicorn")))
        assert "unknown archetype 'unicorn'" in err.problem


def test_not_toml_is_a_data_file_error() -> None:
    with pytest.raises(DataFileError, match="not valid TOML"):
        archetype.load_knowledge("[[question]\nid = ")
