"""Tests of what the feedback picker's reader sees (calculators/feedback/, docs/calculators/feedback.md).

The page has its marker, links and references, and its code samples run; the answer reads in
plain words (no formula, citation, id or raw trait) for any product; the recommended pair is
said and marked; fields, errors and names read as the page shows them; and the page's worked
case quotes the picker's own numbers (marked content).
"""

from __future__ import annotations

import re
import textwrap

import pytest
from hypothesis import given, settings

from calculators import _format, feedback
from calculators.errors import InputError
from pipeline.paths import REPO

from .feedback_cases import EXAMPLES, contexts

# --------------------------------------------------------------------------- the page


PAGE = REPO / "docs" / "calculators" / "feedback.md"


@pytest.mark.content
def test_page_has_marker_links_and_references():
    text = PAGE.read_text(encoding="utf-8")
    assert "# Feedback picker" in text.splitlines()
    assert "<!-- calculator: feedback -->" in text.splitlines()
    assert "../chapters/design.md" in text
    assert "## What to do next" in text
    for ref in ("doi.org/10.1109/TIT.1970.1054406", "pair.withgoogle.com", "microsoft.com/en-us/haxtoolkit"):
        assert ref in text


def test_page_code_samples_run():
    samples = re.findall(r"```python\n(.*?)```", PAGE.read_text(encoding="utf-8"), flags=re.S)
    assert samples
    for code in samples:
        exec(compile(textwrap.dedent(code), str(PAGE), "exec"), {})


# --------------------------------------------------------------------------- what the reader sees (issue 11)

HIDDEN = re.compile(r"p\*|=|\bet al\b|\(\d{4}\)|\b[a-z]+_[a-z_]+\b|\bnoise \d|\beffort \d")


def _answer(ctx):
    r = feedback.recommend(ctx)
    return r, feedback.render(r)


@settings(max_examples=60, deadline=None)
@given(contexts)
def test_the_answer_reads_in_plain_words(ctx):
    """Headline, key figures and next steps: no formula, citation, id or raw trait, for any product."""
    r, blocks = _answer(ctx)
    texts = [
        blocks[0]["text"],
        *(f"{i['label']} {i['value']} {i.get('hint', '')}" for i in blocks[1]["items"]),
        *blocks[2]["items"],
    ]
    for text in texts:
        assert not HIDDEN.search(text), text
    # the same rounding in the headline and the cards: the threshold is said the same way in both
    shown = f"{_format.percent(r.automation['threshold'])} sure"
    cards = {i["label"]: i["value"] for i in blocks[1]["items"]}
    if (
        r.automation["level"] in ("automatic_above_threshold", "suggest_confirm")
        and r.automation["threshold"] > 0
        and not r.context.reviewed_in_workflow
    ):
        assert shown in blocks[0]["text"] and cards["Act alone from"] == shown


@settings(max_examples=60, deadline=None)
@given(contexts)
def test_a_pair_is_said_and_marked(ctx):
    r, blocks = _answer(ctx)
    comb = r.combination
    table = next(b for b in blocks if b["type"] == "table" and "ranked" in b["caption"])
    roles = {row[1]: row[3] for row in table["rows"]}
    labels = {row["mechanism"]: row["label"] for row in r.ranking}
    marked = {name for name, role in roles.items() if role in ("Monitor the model", "Train the model")}
    assert marked == {labels[m] for m in comb["mechanisms"]}
    if comb["implicit"] and comb["trainer"]:
        assert blocks[0]["text"].startswith("Build two feedback signals")
        assert roles[labels[comb["implicit"]]] == "Monitor the model"
        assert roles[labels[comb["trainer"]]] == "Train the model"
    for m in comb["mechanisms"]:  # the headline names both, in plain words with the lecture's term
        assert labels[m][:1].lower() + labels[m][1:] in blocks[0]["text"]
    assert all(label in comb["why"] for label in (labels[m] for m in comb["mechanisms"]))


def test_names_are_plain_words_with_the_lecture_term_beside_them():
    for m in feedback.knowledge().mechanisms:
        assert m.label == f"{m.plain} ({m.name[:1].lower()}{m.name[1:]})"
    r = feedback.recommend()
    assert all(row["label"] == feedback.knowledge().mechanism(row["mechanism"]).label for row in r.ranking)


def test_share_fields_are_percent_fields_with_reader_errors():
    fields = {f["name"]: f for g in feedback.form() for f in g["fields"]}
    for name, f in fields.items():
        if f["type"] == "number" and f["max"] <= 1:
            assert f.get("percent") is True and f["unit"] == "%", name
    with pytest.raises(InputError) as info:
        feedback.from_input({"share_correct": 90})
    (err,) = info.value.errors
    lo, hi, _ = feedback.RANGES["share_correct"]
    assert err.reader == f"{fields['share_correct']['label']} must be between {lo * 100:g}% and {hi * 100:g}%."
    assert err.field == "share_correct" and "share_correct" in err.message  # programs keep the path


def test_override_errors_name_the_mechanism_as_the_page_does():
    m = feedback.knowledge().mechanisms[-1]
    with pytest.raises(InputError) as info:
        feedback.from_input({"assumptions": {m.id: {"response_rate": 2}}})
    (err,) = info.value.errors
    fields = {f["name"]: f for g in feedback.form() for f in g["fields"]}
    assert err.reader.startswith(fields[f"assumptions.{m.id}.response_rate"]["label"])
    assert m.id not in err.reader and "100%" in err.reader


def test_a_correction_costs_what_the_chapter_says():
    """Nearly free when it is part of normal use, an extra step otherwise (VOCAB: effort of a correction)."""
    know = feedback.knowledge()
    for m in know.mechanisms:
        if m.in_normal_use is None:
            continue
        extra = next(r for r in feedback.recommend(correction_in_normal_use=False).ranking if r["mechanism"] == m.id)
        normal = next(r for r in feedback.recommend(correction_in_normal_use=True).ranking if r["mechanism"] == m.id)
        assert any("part of normal use" in x for x in normal["reasons"])
        assert not any("part of normal use" in x for x in extra["reasons"])
        assert normal["factors"]["effort"] >= extra["factors"]["effort"]
        assert m.in_normal_use["effort"] < m.effort


def test_a_background_decision_nobody_sees_asks_nobody_to_rate_it():
    """The issue's first situation, read from the data: nothing that asks users is recommended."""
    know = feedback.knowledge()
    for team, said in ((False, "labelling queue"), (True, "review-team answer")):
        ctx = {"output_visible": False, "deferred_to": "team" if team else "users", "reviewer_capacity_per_week": 1e6}
        r, blocks = _answer(ctx)
        assert all(know.mechanism(m).kind == "implicit" for m in r.combination["mechanisms"])
        assert r.combination["trainer"] is None
        assert blocks[0]["text"].startswith("Nobody sees this product's outputs")
        assert any(said in a for a in blocks[2]["items"]), blocks[2]["items"]


def test_a_review_already_in_the_job_is_a_suggestion_with_no_extra_load():
    r, blocks = _answer({"reviewed_in_workflow": True, "share_correct": 0.9, "deferred_to": "users"})
    assert r.automation["level"] == "suggest_confirm" and r.review_load["reviews_per_week"] == 0
    assert "already reviews" in blocks[0]["text"] and "more than they tolerate" not in blocks[0]["text"]
    cards = {i["label"]: i["value"] for i in blocks[1]["items"]}
    assert cards["Extra reviews a week"] == "0"


def test_method_holds_the_formula_and_sources():
    _r, blocks = _answer({"cost_wrong": 10, "cost_ask": 1})
    method = blocks[-1]
    assert method["type"] == "method"
    text = " ".join(b.get("text", "") for b in method["blocks"])
    assert "p* = 1 - 1/10 = 0.900" in text and "Chow" in text and "1970" in text
    assert "p*" not in blocks[0]["text"]


@pytest.mark.content
def test_page_worked_case_matches_the_model():
    """The page's worked case (a decision nobody sees) quotes the picker's own numbers for its example."""
    from calculators import _format

    text = " ".join(PAGE.read_text(encoding="utf-8").split())
    r = feedback.from_input(EXAMPLES["payment-hold"])
    score = {row["mechanism"]: row["score"] for row in r.ranking}
    rank = {row["mechanism"]: row["rank"] for row in r.ranking}
    assert "both give no labels and score near the bottom" in text
    for mid in ("categorical_explicit", "binary_explicit"):  # asking what kind of problem; a thumbs up or down
        assert r.labels_per_week[mid] == 0 and rank[mid] > rank["indirect_implicit"], mid
        assert score[mid] < 0.3 * score["indirect_implicit"], (mid, score)
    assert "whether they stay or leave (indirect implicit), to monitor the model" in text
    assert r.combination["implicit"] == "indirect_implicit"
    assert f"at least {_format.percent(r.automation['threshold'])} sure" in text
    assert f"which {_format.percent(r.automation['share_automated'])} of payments are" in text
    assert r.combination["mechanisms"] == ["indirect_implicit"] and r.combination["trainer"] is None


def test_a_vanishing_capacity_reads_as_no_capacity():
    """Found by hypothesis: a capacity of 5e-324 reviews a week overflowed the share used to infinity."""
    r, blocks = _answer({"active_users": 1, "reviewer_capacity_per_week": 5e-324})
    assert r.review_load["utilisation"] is None
    table = next(b for b in blocks if b["type"] == "table" and b["caption"].startswith("Reviews"))
    assert ["Used", "no capacity"] in table["rows"]


def test_every_reader_error_is_plain():
    """One invalid value per field of the form: the label as shown, no path, no 1e+09."""
    fields = [f for g in feedback.form() for f in g["fields"]]
    bad: dict = {}
    for f in fields:
        value = (
            f["max"] * 10 + 7
            if f["type"] == "number"
            else {"select": "nope", "radio": "nope", "checkbox": "yes", "text": "x" * 500}[f["type"]]
        )
        *parents, leaf = f["name"].split(".")
        node = bad
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value
    with pytest.raises(InputError) as info:
        feedback.from_input(bad)
    by_field = {e.field: e.reader for e in info.value.errors}
    assert set(by_field) == {f["name"] for f in fields}
    labels = {f["name"]: f["label"] for f in fields}
    for name, reader in by_field.items():
        assert labels[name] in reader, (name, reader)
        assert not re.search(r"e\+\d|\b[a-z]+_[a-z_]+\b|\d{5}", reader), reader
