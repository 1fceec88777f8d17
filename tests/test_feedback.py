"""Tests of the feedback picker (calculators/feedback/)."""

from __future__ import annotations

import json
import math
import re
import statistics
import subprocess
import sys
import textwrap
import time
from importlib import resources
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from calculators import api, charts, feedback
from calculators.errors import DataFileError, InputError

ROOT = Path(__file__).resolve().parents[1]
DATA_TEXT = (resources.files("calculators") / "data" / "feedback.toml").read_text(encoding="utf-8")
EXAMPLES = {e["id"]: e["input"] for e in feedback.examples()}


# --------------------------------------------------------------------------- what the lecture points to


def test_photo_tag_suggestions_rank_corrections_first_and_suggest_not_auto_apply():
    r = feedback.from_input(EXAMPLES["photo-tagging"])
    assert r.ranking[0]["mechanism"] == "model_correction"
    assert r.combination["trainer"] == "model_correction"
    assert r.automation["level"] == "suggest_confirm"


def test_onboarding_flow_ranks_direct_implicit_first():
    r = feedback.from_input(EXAMPLES["onboarding-flow"])
    assert r.ranking[0]["mechanism"] == "direct_implicit"
    assert r.combination["implicit"] == "direct_implicit"


@pytest.mark.parametrize("example, first", [("ticket-router", "model_correction"),
                                            ("voice-assistant", "direct_implicit")])
def test_other_examples(example, first):
    r = feedback.from_input(EXAMPLES[example])
    assert r.ranking[0]["mechanism"] == first
    assert r.automation["level"] == "automatic_above_threshold"


def test_free_text_sinks_under_strict_privacy():
    some = {r["mechanism"]: r["score"] for r in feedback.recommend(privacy="some").ranking}
    strict = {r["mechanism"]: r["score"] for r in feedback.recommend(privacy="strict").ranking}
    assert strict["free_text"] < some["free_text"]
    assert strict["direct_implicit"] <= some["direct_implicit"]


def test_combination_is_one_implicit_plus_one_trainer():
    r = feedback.recommend(natural_next_step=True)
    kinds = [feedback.knowledge().mechanism(m).kind for m in r.combination["mechanisms"]]
    assert kinds[0] == "implicit" and kinds[1] in ("explicit", "correction")
    assert r.combination["why"]


# --------------------------------------------------------------------------- the threshold


@pytest.mark.parametrize("cost_wrong, cost_ask, expected", [
    (10, 1, 0.9),
    (50, 0.5, 0.99),
    (2, 1, 0.5),
    (4, 3, 0.25),
    (1, 1, 0.0),        # asking costs as much as an error: never ask
    (1, 5, 0.0),        # asking costs more than an error: never ask
    (0, 0, 0.0),        # nothing to gain either way: act
    (0, 3, 0.0),        # errors are free: act
    (5, 0, 1.0),        # asking is free: always ask
    (1e9, 1e-9, 1 - 1e-18),
])
def test_break_even_threshold_closed_form(cost_wrong, cost_ask, expected):
    p = feedback.break_even_threshold(cost_wrong, cost_ask)
    assert_allclose(p, expected, rtol=0, atol=1e-12)
    r = feedback.recommend(cost_wrong=cost_wrong, cost_ask=cost_ask)
    assert r.automation["threshold"] == p


@pytest.mark.parametrize("args", [(-1, 1), (1, -1), (math.nan, 1), (1, math.inf), ("1", 1), (True, 1)])
def test_break_even_threshold_refuses_bad_costs(args):
    with pytest.raises(InputError, match="must be a finite number of at least 0"):
        feedback.break_even_threshold(*args)


def test_asking_never_pays_means_automatic():
    r = feedback.recommend(cost_wrong=1, cost_ask=2)
    assert r.automation["level"] == "automatic"
    assert r.automation["share_automated"] == 1.0
    assert r.review_load["reviews_per_week"] == 0


def test_high_stakes_never_fully_automatic():
    assert feedback.recommend(cost_wrong=1, cost_ask=2, high_stakes=True).automation["level"] == \
        "automatic_above_threshold"


@pytest.mark.parametrize("ctx, why", [
    ({"deferred_to": "users", "output_editable": False, "cost_wrong": 100, "cost_ask": 0.1}, "nowhere to show"),
    ({"deferred_to": "team", "share_correct": 0.4, "cost_wrong": 100, "cost_ask": 0.1}, "right too rarely"),
])
def test_person_decides_when_suggestions_cannot_help(ctx, why):
    a = feedback.recommend(ctx).automation
    assert a["level"] == "human_decides"
    assert why in a["reasons"][-1]


def test_no_review_capacity():
    r = feedback.recommend(deferred_to="team", reviewer_capacity_per_week=0)
    rl = r.review_load
    assert rl["utilisation"] is None and rl["fits"] is False
    assert rl["threshold_that_fits"] == 0.0 and rl["reviews_per_week_at_fit"] == 0.0
    metrics = [b for b in feedback.render(r) if b["type"] == "metrics"][-1]
    assert {"label": "Utilisation", "value": "no capacity"} in metrics["items"]


def test_cost_curve_ends_and_minimum():
    cw, ca, m = 20.0, 2.0, 0.8
    r = feedback.recommend(cost_wrong=cw, cost_ask=ca, share_correct=m, score_concentration=4)
    a = r.automation
    curve = a["cost_curve"]
    assert curve[0]["threshold"] == 0 and curve[-1]["threshold"] == 1
    assert_allclose(curve[0]["cost_per_1000"], 1000 * cw * (1 - m), rtol=1e-9)   # act on everything
    assert_allclose(curve[-1]["cost_per_1000"], 1000 * ca, rtol=1e-9)             # ask about everything
    assert_allclose(a["costs_per_1000"]["automatic"], 1000 * cw * (1 - m), rtol=1e-12)
    assert_allclose(a["costs_per_1000"]["suggest_confirm"], 1000 * ca, rtol=1e-12)
    # Chow's rule: the break-even threshold minimises the expected cost over all thresholds
    best = a["costs_per_1000"]["automatic_above_threshold"]
    assert all(best <= row["cost_per_1000"] + 1e-9 for row in curve)


def test_cost_at_threshold_matches_numerical_integration():
    """E[cost] from the incomplete beta equals a brute-force integral over the Beta density."""
    cw, ca, m, k = 10.0, 1.0, 0.85, 5.0
    a, b = k * m, k * (1 - m)
    s = np.linspace(0, 1, 2_000_001)[1:-1]
    log_pdf = (a - 1) * np.log(s) + (b - 1) * np.log1p(-s) - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    w = np.exp(log_pdf)
    w /= w.sum()
    p = 1 - ca / cw
    expected = 1000 * (cw * np.sum(w * (1 - s) * (s >= p)) + ca * np.sum(w * (s < p)))
    got = feedback.recommend(cost_wrong=cw, cost_ask=ca, share_correct=m, score_concentration=k)
    assert_allclose(got.automation["costs_per_1000"]["automatic_above_threshold"], expected, rtol=2e-3)


@pytest.mark.parametrize("a, b", [(1.0, 1.0), (2.5, 1.0), (1.0, 0.7), (0.6, 0.4), (300.0, 20.0)])
def test_incomplete_beta_against_closed_forms(a, b):
    x = np.linspace(0, 1, 41)
    got = feedback.model.betainc(a, b, x)
    if a == 1.0:
        assert_allclose(got, 1 - (1 - x) ** b, atol=1e-10)
    elif b == 1.0:
        assert_allclose(got, x ** a, atol=1e-10)
    # symmetry I_x(a, b) = 1 - I_{1-x}(b, a), and monotone
    assert_allclose(got, 1 - feedback.model.betainc(b, a, 1 - x), atol=1e-10)
    assert np.all(np.diff(got) >= -1e-12)


# --------------------------------------------------------------------------- labels per week


def test_labels_per_week_by_hand():
    r = feedback.recommend(active_users=1234, interactions_per_user_per_week=7, output_editable=True)
    assert_allclose(r.labels_per_week["binary_explicit"], 1234 * 7 * 0.03 * 0.5, rtol=1e-12)
    assert_allclose(r.labels_per_week["model_correction"], 1234 * 7 * 0.25 * 0.9, rtol=1e-12)
    assert r.assumptions["mechanisms"]["binary_explicit"] == {
        "response_rate": 0.03, "usefulness": 0.5, "source": "data file", "available": True}


def test_labels_per_week_with_overrides():
    r = feedback.recommend(active_users=1000, interactions_per_user_per_week=2,
                           assumptions={"free_text": {"response_rate": 0.1}, "binary_explicit": {"usefulness": 1}})
    assert_allclose(r.labels_per_week["free_text"], 1000 * 2 * 0.1 * 0.3, rtol=1e-12)
    assert_allclose(r.labels_per_week["binary_explicit"], 1000 * 2 * 0.03 * 1.0, rtol=1e-12)
    assert r.assumptions["mechanisms"]["free_text"]["source"] == "your input"


def test_labels_need_the_required_interface():
    r = feedback.recommend(output_editable=False, natural_next_step=False)
    assert r.labels_per_week["model_correction"] == 0
    assert r.labels_per_week["direct_implicit"] == 0
    assert r.assumptions["mechanisms"]["model_correction"]["available"] is False


# --------------------------------------------------------------------------- review load


def test_review_load_against_team_capacity():
    r = feedback.recommend(deferred_to="team", decisions_per_week=10_000, reviewer_capacity_per_week=100,
                           cost_wrong=10, cost_ask=1, share_correct=0.85, score_concentration=5)
    rl = r.review_load
    assert_allclose(rl["reviews_per_week"], 10_000 * r.automation["share_asked"], rtol=1e-12)
    assert_allclose(rl["utilisation"], rl["reviews_per_week"] / 100, rtol=1e-12)
    assert rl["fits"] is False
    assert rl["reviews_per_week_at_fit"] <= 100
    assert rl["threshold_that_fits"] < r.automation["threshold"]
    assert "Chow" in rl["rule"] and "1970" in rl["rule"]


def test_review_load_by_users_uses_their_tolerance():
    r = feedback.from_input(EXAMPLES["photo-tagging"])
    rl = r.review_load
    assert rl["deferred_to"] == "users"
    assert rl["asks_per_user_per_week"] == EXAMPLES["photo-tagging"]["interactions_per_user_per_week"]
    assert rl["capacity_per_week"] == 5 * EXAMPLES["photo-tagging"]["active_users"]


def test_decisions_per_week_defaults_to_users_times_interactions():
    r = feedback.recommend(active_users=300, interactions_per_user_per_week=4)
    assert r.review_load["decisions_per_week"] == 1200


# --------------------------------------------------------------------------- input validation


@pytest.mark.parametrize("data, field, fragment", [
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
    ({"assumptions": {"free_text": {"response_rate": 2}}}, "assumptions.free_text.response_rate",
     "between 0 and 1"),
    ({"assumptions": {"free_text": {"rate": 0.1}}}, "assumptions.free_text.rate", "unknown field"),
    ({"assumptions": {"free_text": 0.1}}, "assumptions.free_text", "must be an object"),
])
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
    assert set(d) >= {"ranking", "combination", "labels_per_week", "assumptions", "worth_it", "automation",
                      "review_load", "risks", "spec"}
    assert r.context["cost_wrong"] == feedback.DEFAULTS["cost_wrong"]


def test_recommend_options_override_context():
    r = feedback.recommend({"cost_wrong": 10, "cost_ask": 1}, cost_ask=5)
    assert r.automation["threshold"] == 0.5


# --------------------------------------------------------------------------- render, form, examples, API


def test_render_blocks():
    r = feedback.from_input(EXAMPLES["ticket-router"])
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
    blocks = feedback.render(feedback.from_input(EXAMPLES["photo-tagging"]))
    for b in (b for b in blocks if b["type"] == "chart"):
        spec = charts.from_block(b).to_dict()
        assert set(b["data"]) <= set(spec["datasets"])
    assert {"feedback_map", "feedback_costs"} <= set(charts.all_specs())


def test_map_highlights_recommended():
    r = feedback.from_input(EXAMPLES["onboarding-flow"])
    block = next(b for b in feedback.render(r) if b.get("chart") == "feedback_map")
    chosen = {row["mechanism"] for row in block["data"]["mechanisms"] if row["group"] == "Recommended"}
    assert chosen == set(r.combination["mechanisms"])


def test_spec_lists_events_and_guidelines():
    r = feedback.from_input(EXAMPLES["photo-tagging"])
    assert "`suggestion_resolved`" in r.spec and "`prediction_made`" in r.spec
    assert 'G9 "Support efficient correction"' in r.spec
    assert "Feedback + Control" in r.spec and "Chow" in r.spec
    for line in r.spec.splitlines():
        if line.startswith("| `"):
            assert line.count(" | ") == 2, line  # three cells, no stray pipes


def test_form_defaults_make_a_valid_input():
    fields = feedback.form()
    assert [g["label"] for g in fields][:4] == ["Usage", "Interface", "Costs & confidence", "Review capacity"]
    data: dict = {}
    for g in fields:
        for f in g["fields"]:
            if f.get("optional") and f["default"] in (None, ""):
                continue
            assert "." not in f["name"] and f["name"] in feedback.DEFAULTS
            data[f["name"]] = f["default"]
    assert {k: data[k] for k in feedback.default_input()} == feedback.default_input()
    feedback.from_input(data)
    kinds = {f["name"]: f["type"] for g in fields for f in g["fields"]}
    assert kinds["interface"] == "select" and kinds["high_stakes"] == "checkbox" and kinds["cost_wrong"] == "number"


def test_examples_from_data_file():
    assert list(EXAMPLES) == ["photo-tagging", "onboarding-flow", "ticket-router", "voice-assistant"]
    assert feedback.default_input() == EXAMPLES["photo-tagging"]
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
    assert config["title"] == feedback.TITLE == "Feedback and failure-handling picker"
    reply = json.loads(api.handle(json.dumps({"id": 7, "calculator": "feedback", "input": {"cost_ask": -1}})))
    assert reply["id"] == 7 and reply["error"]["fields"][0]["field"] == "cost_ask"


def test_each_call_is_fast():
    data = EXAMPLES["ticket-router"]
    api.compute("feedback", data)  # warm the data-file cache
    times = []
    for _ in range(15):
        t = time.perf_counter()
        api.compute("feedback", data)
        times.append(time.perf_counter() - t)
    assert statistics.median(times) < 0.020


# --------------------------------------------------------------------------- command line


def _cli(tmp_path: Path, data) -> subprocess.CompletedProcess:
    path = tmp_path / "product.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return subprocess.run([sys.executable, "-m", "calculators", "feedback", "--input", str(path)],
                          capture_output=True, text=True, cwd=ROOT, timeout=60)


def test_cli_prints_json(tmp_path):
    proc = _cli(tmp_path, EXAMPLES["voice-assistant"])
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["ranking"][0]["mechanism"] == "direct_implicit"


def test_cli_error_exits_1_without_traceback(tmp_path):
    proc = _cli(tmp_path, {"share_correct": 2})
    assert proc.returncode == 1
    assert "share_correct" in proc.stderr and "between 0.01 and 0.999" in proc.stderr
    assert "Traceback" not in proc.stderr and proc.stdout == ""


# --------------------------------------------------------------------------- malformed data files


def _break(old: str, new: str, count: int = 1) -> str:
    assert old in DATA_TEXT, old
    return DATA_TEXT.replace(old, new, count)


BROKEN = [
    ("not toml", "[weights\nsignal = 1", "", "not valid TOML"),
    ("weight missing", _break("signal = 0.35 ", "signalx = 0.35 "), "weights", "missing key 'signal'"),
    ("weight too big", _break("volume = 0.20 ", "volume = 7 "), "weights", "between 0 and 1"),
    ("signal out of range", _break("signal_value = 0.9\n", "signal_value = 1.5\n"), "mechanism 'model_correction'",
     "'signal_value' (1.5) must be between 0 and 1"),
    ("wrong type", _break("effort = 0.85", 'effort = "a lot"'), "mechanism 'free_text'", "must be a number"),
    ("unknown kind", _break('kind = "correction"', 'kind = "magic"'), "mechanism 'model_correction'", "kind"),
    ("unknown risk", _break('risks = ["selection_bias"]', 'risks = ["gremlins"]'), "mechanism 'binary_explicit'",
     "unknown 'gremlins'"),
    ("unknown HAX guideline", _break('hax = ["G13"]', 'hax = ["G99"]'), "mechanism 'indirect_implicit'",
     "unknown 'G99'"),
    ("HAX numbering", _break("[hax.G8]", "[hax.G42]"), "hax 'G42'", "G1 to G18"),
    ("bad url", _break('url = "https://www.microsoft.com/en-us/haxtoolkit/ai-guidelines/"',
                       'url = "javascript:alert(1)"'), "hax 'G8'", "must start with https://"),
    ("duplicate id", _break('id = "free_text"', 'id = "binary_explicit"'), "mechanism 'binary_explicit'",
     "used twice"),
    ("unknown mechanism", _break('id = "free_text"', 'id = "smoke_signals"'), "mechanism 'smoke_signals'",
     "unknown id"),
    ("interface fit missing", _break("interface_fit = { screen = 1.0, voice = 0.4, api = 0.1 }",
                                     "interface_fit = { screen = 1.0, api = 0.1 }"),
     "mechanism 'free_text'.interface_fit", "missing key 'voice'"),
    ("unknown requirement", _break('requires = ["next_step"]', 'requires = ["telepathy"]'),
     "mechanism 'direct_implicit'", "unknown 'telepathy'"),
    ("event without fields", _break('fields = ["prediction_id", "model_version", "category", "list_version", '
                                    '"seconds_after_shown"]', "fields = []"),
     "mechanism 'categorical_explicit' event 1", "'fields' must not be empty"),
    ("invalid example", _break('interface = "voice"', 'interface = "hologram"'), "example 'voice-assistant'",
     "interface must be one of"),
    ("automation shares", _break("min_automated_share = 0.10", "min_automated_share = 0.995"), "automation",
     "below max_automated_share"),
    ("tolerance table", _break("effort_tolerance = { low = 0.2,", "effort_tolerance = { low = 1.5,"),
     "context.effort_tolerance", "between 0 and 0.99"),
]


@pytest.mark.parametrize("name, text, entry, problem", BROKEN, ids=[b[0] for b in BROKEN])
def test_malformed_data_file(name, text, entry, problem):
    with pytest.raises(DataFileError) as info:
        feedback.load_knowledge(text)
    err = info.value
    assert err.file == "calculators/data/feedback.toml"
    assert err.entry == entry, str(err)
    assert problem in err.problem, str(err)
    assert str(err).startswith("calculators/data/feedback.toml")


def test_missing_mechanism_is_named():
    start = DATA_TEXT.index('[[mechanism]]\nid = "free_text"')
    end = DATA_TEXT.index("[[mechanism]]", start + 5)
    with pytest.raises(DataFileError, match="no entry for free_text"):
        feedback.load_knowledge(DATA_TEXT[:start] + DATA_TEXT[end:])


def test_shipped_data_file_loads():
    know = feedback.load_knowledge(DATA_TEXT)
    assert [m.id for m in know.mechanisms] == list(feedback.MECHANISM_IDS)


# --------------------------------------------------------------------------- properties

contexts = st.fixed_dictionaries({}, optional={
    "interactions_per_user_per_week": st.floats(0, 10_000),
    "active_users": st.integers(1, 10**9),
    "output_editable": st.booleans(),
    "natural_next_step": st.booleans(),
    "effort_tolerance": st.sampled_from(feedback.TOLERANCES),
    "learning_speed": st.sampled_from(feedback.SPEEDS),
    "interface": st.sampled_from(feedback.INTERFACES),
    "privacy": st.sampled_from(feedback.PRIVACY),
    "high_stakes": st.booleans(),
    "cost_wrong": st.floats(0, 1e6),
    "cost_ask": st.floats(0, 1e6),
    "share_correct": st.floats(0.01, 0.999),
    "score_concentration": st.floats(0.5, 1000),
    "deferred_to": st.sampled_from(feedback.DEFERRED_TO),
    "reviewer_capacity_per_week": st.floats(0, 1e9),
})


@settings(max_examples=150, deadline=None)
@given(contexts)
def test_properties_of_any_product(ctx):
    r = feedback.from_input(ctx)
    scores = [row["score"] for row in r.ranking]
    assert all(0 <= s <= 100 for s in scores)
    assert scores == sorted(scores, reverse=True)
    assert sorted(row["mechanism"] for row in r.ranking) == sorted(feedback.MECHANISM_IDS)
    a = r.automation
    assert 0 <= a["threshold"] <= 1 and a["level"] in feedback.LEVELS
    assert 0 <= a["share_automated"] <= 1
    assert all(math.isfinite(v) and v >= 0 for v in a["costs_per_1000"].values())
    json.dumps(r.to_dict(), allow_nan=False)


costs = st.floats(0, 1e6, allow_nan=False)


@given(costs, costs, costs)
def test_threshold_monotone_in_costs(c1, c2, other):
    lo, hi = sorted((c1, c2))
    # more expensive errors never lower the threshold; more expensive asking never raises it
    assert feedback.break_even_threshold(lo, other) <= feedback.break_even_threshold(hi, other)
    assert feedback.break_even_threshold(other, lo) >= feedback.break_even_threshold(other, hi)
    assert 0 <= feedback.break_even_threshold(c1, c2) <= 1


# --------------------------------------------------------------------------- the page


PAGE = ROOT / "docs" / "calculators" / "feedback.md"


def test_page_has_marker_links_and_references():
    text = PAGE.read_text(encoding="utf-8")
    assert "# Feedback and failure-handling picker" in text.splitlines()
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
