"""Tests of the feedback picker's inputs and outputs (calculators/feedback/).

Input validation (each bad value named with its field, every problem reported at once); the
blocks render() gives the page, its charts and downloadable spec; the form's defaults and the
examples read from the data file; the public mechanisms list and calculators.api; and the
command line, which prints JSON or exits 1 with a message and no traceback.
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest

from calculators import api, charts, feedback
from calculators.errors import InputError
from pipeline.paths import REPO

from .feedback_cases import EXAMPLES

DATA_TEXT = (resources.files("calculators") / "data" / "feedback.toml").read_text(encoding="utf-8")


# --------------------------------------------------------------------------- input validation


@pytest.mark.parametrize(
    "data, field, fragment",
    [
        ({"interactions_per_user_per_week": -1}, "interactions_per_user_per_week", "between 0 and 10000"),
        ({"active_users": 0}, "active_users", "between 1 and 1e+10"),
        ({"active_users": 2.5}, "active_users", "whole number"),
        ({"share_correct": 1.5}, "share_correct", "between 0.01 and 0.999"),
        ({"score_concentration": 0.1}, "score_concentration", "between 0.5 and 1000"),
        ({"cost_wrong": "lots"}, "cost_wrong", "must be a number"),
        ({"cost_ask": -2}, "cost_ask", "between 0 and 1e+09"),
        ({"cost_ask": math.nan}, "cost_ask", "finite"),
        ({"reviewer_capacity_per_week": -5}, "reviewer_capacity_per_week", "between 0 and 1e+12"),
        ({"decisions_per_week": -1}, "decisions_per_week", "between 0 and 1e+12"),
        ({"interface": "tv"}, "interface", "screen, voice, api"),
        ({"effort_tolerance": "none"}, "effort_tolerance", "low, medium, high"),
        ({"learning_speed": "years"}, "learning_speed", "days, weeks, months"),
        ({"privacy": 3}, "privacy", "none, some, strict"),
        ({"deferred_to": "robots"}, "deferred_to", "users, team"),
        ({"high_stakes": "yes"}, "high_stakes", "true or false"),
        ({"output_editable": 1}, "output_editable", "true or false"),
        ({"cost_unit": "x" * 30}, "cost_unit", "the limit is 20"),
        ({"colour": "blue"}, "colour", "unknown field"),
        ({"assumptions": []}, "assumptions", "must be an object"),
        ({"assumptions": {"carrier_pigeon": {}}}, "assumptions.carrier_pigeon", "unknown field"),
        (
            {"assumptions": {"free_text": {"response_rate": 2}}},
            "assumptions.free_text.response_rate",
            "between 0 and 1",
        ),
        ({"assumptions": {"free_text": {"rate": 0.1}}}, "assumptions.free_text.rate", "unknown field"),
        ({"assumptions": {"free_text": 0.1}}, "assumptions.free_text", "must be an object"),
    ],
)
def test_validation_messages(data, field, fragment):
    with pytest.raises(InputError) as info:
        feedback.from_input(data)
    errors = {e.field: e.message for e in info.value.errors}
    assert field in errors, errors
    assert fragment in errors[field]


def test_all_problems_reported_at_once():
    with pytest.raises(InputError) as info:
        feedback.from_input({"cost_ask": -1, "interface": "tv", "extra": 1})
    assert {e.field for e in info.value.errors} == {"cost_ask", "interface", "extra"}


@pytest.mark.parametrize("data", [[], "photo", None, 3])
def test_input_must_be_an_object(data):
    with pytest.raises(InputError, match="must be an object"):
        feedback.from_input(data)


def test_empty_input_is_valid_and_json_serialisable():
    r = feedback.from_input({})
    d = r.to_dict()
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text) == d
    assert set(d) >= {
        "ranking",
        "combination",
        "labels_per_week",
        "assumptions",
        "worth_it",
        "automation",
        "review_load",
        "risks",
        "spec",
    }
    assert r.context.cost_wrong == feedback.DEFAULTS["cost_wrong"]


def test_recommend_options_override_context():
    r = feedback.recommend({"cost_wrong": 10, "cost_ask": 1}, cost_ask=5)
    assert r.automation["threshold"] == 0.5


# --------------------------------------------------------------------------- render, form, examples, API


def test_render_blocks():
    r = feedback.recommend(
        deferred_to="team", decisions_per_week=10_000, reviewer_capacity_per_week=10, cost_wrong=10, cost_ask=1
    )
    blocks = feedback.render(r)
    types = [b["type"] for b in blocks]
    assert types[0] == "summary"
    assert {"table", "chart", "metrics", "notice", "list", "download"} <= set(types)
    assert [b["chart"] for b in blocks if b["type"] == "chart"] == ["feedback_map", "feedback_costs"]
    downloads = {b["filename"]: b for b in blocks if b["type"] == "download"}
    assert downloads["feedback-spec.md"]["mime"] == "text/markdown"
    assert json.loads(downloads["feedback-result.json"]["content"])["ranking"]
    assert any(b["type"] == "notice" and "exceed the capacity" in b["text"] for b in blocks)
    json.dumps(blocks, allow_nan=False)
    for b in blocks:
        for key in ("text", "caption", "alt"):
            if key in b:
                assert "<" not in b[key], b  # plain text, never HTML


def test_chart_blocks_fill_the_templates():
    blocks = feedback.render(feedback.from_input(feedback.default_input()))
    for b in (b for b in blocks if b["type"] == "chart"):
        spec = charts.from_block(b).to_dict()
        assert set(b["data"]) <= set(spec["datasets"])
    assert {"feedback_map", "feedback_costs"} <= set(charts.all_specs())


def test_map_highlights_recommended():
    r = feedback.from_input(feedback.default_input())
    block = next(b for b in feedback.render(r) if b.get("chart") == "feedback_map")
    chosen = {row["mechanism"] for row in block["data"]["mechanisms"] if row["group"] == "Recommended"}
    assert chosen == set(r.combination["mechanisms"])


def test_spec_lists_events_and_guidelines():
    know = feedback.knowledge()
    r = feedback.from_input(feedback.default_input())
    chosen = [know.mechanism(m) for m in r.combination["mechanisms"]]
    for e in [*(e for m in chosen for e in m.events), *know.automation["events"]]:
        assert f"`{e['name']}`" in r.spec
    for g in {g for m in chosen for g in m.hax}:
        assert f'{g} "{know.hax[g]["name"]}"' in r.spec
    assert "Feedback + Control" in r.spec and "Chow" in r.spec
    for line in r.spec.splitlines():
        if line.startswith("| `"):
            assert line.count(" | ") == 2, line  # three cells, no stray pipes


def test_form_defaults_make_a_valid_input():
    fields = feedback.form()
    data: dict = {}
    for g in fields:
        for f in g["fields"]:
            if f.get("optional") and f["default"] in (None, ""):
                continue
            assert "." not in f["name"] and f["name"] in feedback.DEFAULTS
            data[f["name"]] = f["default"]
    assert {k: data[k] for k in feedback.default_input()} == feedback.default_input()
    feedback.from_input(data)
    shown = {f["name"]: f for g in fields for f in g["fields"]}
    # every input the picker reads has a field, labelled as the reader's errors name it
    assert set(feedback.DEFAULTS) - {"assumptions"} <= set(shown)
    for name, f in shown.items():
        if name in feedback.inputs.LABELS:
            assert f["label"] == feedback.inputs.LABELS[name], name
    for name in feedback.inputs.PERCENT:
        assert shown[name].get("percent") is True and shown[name]["unit"] == "%"
    assert all(f.get("percent") for n, f in shown.items() if n.startswith("assumptions."))


def test_examples_from_data_file():
    raw = tomllib.loads(DATA_TEXT)["example"]
    assert list(EXAMPLES) == [e["id"] for e in raw]
    assert feedback.default_input() == raw[0]["input"]
    for e in feedback.examples():
        assert e["label"]
        feedback.from_input(e["input"])


def test_mechanisms_public():
    ms = feedback.mechanisms()
    assert [m["id"] for m in ms] == list(feedback.MECHANISM_IDS)
    assert all(0 <= m["signal_value"] <= 1 and 0 <= m["effort"] <= 1 and m["name"] for m in ms)


def test_api_compute_and_page_config():
    out = api.compute("feedback", {})
    assert out["result"]["ranking"] and out["view"][0]["type"] == "summary"
    config = api.page_config("feedback")
    assert config["title"] == feedback.TITLE == "Feedback picker"
    reply = json.loads(api.handle(json.dumps({"id": 7, "calculator": "feedback", "input": {"cost_ask": -1}})))
    assert reply["id"] == 7 and reply["error"]["fields"][0]["field"] == "cost_ask"


# --------------------------------------------------------------------------- command line


def _cli(tmp_path: Path, data) -> subprocess.CompletedProcess:
    path = tmp_path / "product.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "calculators", "feedback", "--input", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
    )


def test_cli_prints_json(tmp_path):
    data = feedback.examples()[-1]["input"]
    proc = _cli(tmp_path, data)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == api.compute("feedback", data)["result"]


def test_cli_error_exits_1_without_traceback(tmp_path):
    proc = _cli(tmp_path, {"share_correct": 2})
    assert proc.returncode == 1
    assert "share_correct" in proc.stderr and "between 0.01 and 0.999" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""
