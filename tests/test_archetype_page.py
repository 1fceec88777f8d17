"""Archetype fit: its inputs, errors and page, for ANY archetypes data file (fork-safe).

Invalid input names the field in both voices (the program's path and the reader's words), and
every problem is reported at once. The form offers every question; examples come from the data
file and are shown as the example, not as the reader's answers; every string the page shows
reads as words; the method, charts, API and contradiction rules work; the docs page takes its
counts and names from the data; and long archetype names wrap the same way in Python and in
the browser. Expectations are read from the knowledge file, never from this playbook's content.
"""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

import pytest

from calculators import api, archetype, charts, share
from calculators.errors import InputError

from .archetype_cases import ARCHETYPES, QUESTIONS, TYPICAL, K

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
