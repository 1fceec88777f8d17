"""Tests of the timeline simulator's model: closed forms, semantics, properties, reproducibility.

Every plan here is built inline, so the tests hold for any data file (fork-safe);
validation is in test_timeline_inputs.py, the page's words and charts in test_timeline_view.py.

Monte Carlo checks state their tolerance: with ``n`` trials a probability's
standard error is at most ``0.5 / sqrt(n)`` (0.0016 at 100,000 trials), so the
tolerances below are four or more standard errors wide.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from calculators import timeline
from calculators.timeline import simulate

from .plans import task

KEYS = {
    "unit",
    "trials",
    "seed",
    "distribution",
    "p_success",
    "p_never",
    "duration",
    "duration_error",
    "deadline",
    "p_by_deadline",
    "single_point",
    "tasks",
    "progress",
    "groups",
    "owners",
    "start",
    "as_of",
    "dates",
    "history",
    "moved",
}
PCTS = ["p10", "p50", "p70", "p80", "p85", "p90", "p95"]


def by_id(result: timeline.TimelineResult) -> dict[str, dict[str, Any]]:
    return {t["id"]: t for t in result.tasks}


# --------------------------------------------------------------------------- closed forms


def test_fixed_task_finishes_exactly() -> None:
    r = simulate([task("a", 4)], trials=200)
    assert r.p_success == 1.0 and r.p_never == 0.0
    assert all(r.duration[k] == 4.0 for k in ["mean", *PCTS])
    assert all(r.duration_error[k] == 0.0 for k in ["mean", *PCTS])
    assert r.single_point == {"finish": 4.0, "p_by_then": 1.0}


def test_chain_adds_and_parallel_branches_take_the_max() -> None:
    chain = simulate([task("a", 2), task("b", 3, depends_on=["a"]), task("c", 4, depends_on=["b"])], trials=100)
    assert chain.duration["p50"] == 9.0
    fork = simulate([task("a", 2), task("b", 5), task("c", 1, depends_on=["a", "b"])], trials=100)
    assert fork.duration["p95"] == 6.0 and fork.single_point["finish"] == 6.0
    unrelated = simulate([task("a", 2), task("b", 7)], trials=100)  # no common successor: the later one ends it
    assert unrelated.duration["p10"] == 7.0


def test_pert_mean() -> None:
    o, m, p = 1.0, 3.0, 11.0
    r = simulate([task("a", o, m, p)], trials=100_000, seed=3)
    # PERT sd is about (p - o) / 6 = 1.7, so the mean's standard error is 0.005; allow 0.03
    assert_allclose(r.duration["mean"], (o + 4 * m + p) / 6, atol=0.03)
    assert r.duration_error["mean"] == pytest.approx(0.0054, rel=0.2)
    assert o <= r.duration["p10"] < r.duration["p95"] <= p


def test_triangular_mean() -> None:
    o, m, p = 1.0, 3.0, 11.0
    r = simulate([task("a", o, m, p)], trials=100_000, seed=3, distribution="triangular")
    assert_allclose(r.duration["mean"], (o + m + p) / 3, atol=0.03)  # sd 2.1, standard error 0.007


def test_chain_of_pert_tasks_adds_means() -> None:
    r = simulate([task("a", 1, 2, 6), task("b", 2, 3, 10, depends_on=["a"])], trials=100_000, seed=5)
    assert_allclose(r.duration["mean"], (1 + 8 + 6) / 6 + (2 + 12 + 10) / 6, atol=0.03)


def test_independent_successes_multiply() -> None:
    r = simulate([task("a", 1, p_success=0.8), task("b", 1, p_success=0.5, depends_on=["a"])], trials=100_000, seed=11)
    assert_allclose(r.p_success, 0.8 * 0.5, atol=0.007)
    assert_allclose(r.p_never, 1 - r.p_success, atol=1e-12)


def test_parallel_group_succeeds_if_any_member_does() -> None:
    r = simulate(
        [
            task("x", 2, p_success=0.6, group="g"),
            task("y", 3, p_success=0.5, group="g"),
            task("ship", 1, p_success=0.9, depends_on=["g"]),
        ],
        trials=100_000,
        seed=2,
    )
    p_group = 1 - (1 - 0.6) * (1 - 0.5)
    assert_allclose(r.groups[0]["p_success"], p_group, atol=0.007)
    assert_allclose(r.p_success, p_group * 0.9, atol=0.007)
    # the best single approach is x: 0.6 * 0.9
    assert r.groups[0]["best_single"] == "x" and r.groups[0]["members"] == ["x", "y"]
    assert_allclose(r.groups[0]["p_project_best_single"], 0.6 * 0.9, atol=0.007)
    assert r.groups[0]["p_project"] == r.p_success
    # finish: x (2) when x works, else y (3); then ship (1)
    assert r.duration["p10"] == 3.0 and r.duration["p95"] == 4.0
    assert_allclose(r.duration["mean"], 3 + (0.4 * 0.5) / p_group, atol=0.01)


def test_sequential_group_tries_members_in_turn() -> None:
    plan = [task("a", 2, p_success=0.5, group="g"), task("b", 3, group="g"), task("ship", 1, depends_on=["g"])]
    seq = simulate(plan, trials=100_000, seed=4, group_mode="sequential")
    par = simulate(plan, trials=100_000, seed=4, group_mode="parallel")
    assert seq.p_success == par.p_success == 1.0
    # sequential: a works -> 2 + 1; a fails -> 2 + 3 + 1 (its failure is found after its full duration)
    assert (seq.duration["p10"], seq.duration["p95"]) == (3.0, 6.0)
    assert_allclose(seq.duration["mean"], 0.5 * 3 + 0.5 * 6, atol=0.025)  # sd 1.5, standard error 0.005
    # parallel: a works -> 2 + 1; a fails -> b's 3 + 1
    assert (par.duration["p10"], par.duration["p95"]) == (3.0, 4.0)
    assert_allclose(par.duration["mean"], 0.5 * 3 + 0.5 * 4, atol=0.01)  # sd 0.5, standard error 0.002
    # the first member is always on the critical path in sequence (it wins or its failure delays b)
    assert by_id(seq)["a"]["criticality"] == 1.0
    assert_allclose(by_id(seq)["b"]["criticality"], 0.5, atol=0.01)
    assert_allclose(by_id(par)["a"]["criticality"], 0.5, atol=0.01)


def test_sequential_member_also_waits_for_its_own_dependencies() -> None:
    plan = [task("prep", 5), task("a", 2, p_success=0.0, group="g"), task("b", 3, group="g", depends_on=["prep"])]
    r = simulate(plan, trials=100, group_mode="sequential")
    assert r.duration["p50"] == 8.0  # a fails at 2, b starts when prep is done at 5
    assert by_id(r)["prep"]["criticality"] == 1.0 and by_id(r)["a"]["criticality"] == 0.0


def test_group_that_never_works_sinks_the_project() -> None:
    r = simulate([task("a", 1, p_success=0.0, group="g"), task("b", 1, p_success=0.0, group="g")], trials=100)
    assert r.p_success == 0.0 and r.p_never == 1.0
    assert all(v is None for v in r.duration.values()) and all(v is None for v in r.duration_error.values())
    assert by_id(r)["a"]["sinks"] == 1.0 and r.single_point == {"finish": 1.0, "p_by_then": 0.0}
    assert json.dumps(r.to_dict(), allow_nan=False)
    assert timeline.render(r)[0]["type"] == "summary"


def test_criticality_of_a_deterministic_critical_path() -> None:
    r = simulate(
        [
            task("short", 2),
            task("long", 5),
            task("end", 1, depends_on=["short", "long"]),
            task("side", 1, depends_on=["short"]),
        ],
        trials=100,
    )
    c = {k: v["criticality"] for k, v in by_id(r).items()}
    assert c == {"short": 0.0, "long": 1.0, "end": 1.0, "side": 0.0}
    tie = simulate([task("a", 3), task("b", 3), task("c", 1, depends_on=["a", "b"])], trials=100)
    assert {t["id"]: t["criticality"] for t in tie.tasks} == {"a": 1.0, "b": 1.0, "c": 1.0}


def test_p85_shift() -> None:
    # one uncertain task: at its optimistic time the P85 falls to that time exactly
    r = simulate([task("a", 1, 2, 10)], trials=5_000)
    assert_allclose(by_id(r)["a"]["p85_shift"], r.duration["p85"] - 1, rtol=1e-12)
    # fixed tasks, and tasks off the critical path, cannot move the P85
    r = simulate(
        [task("fixed", 3), task("risky", 2, 4, 12, depends_on=["fixed"]), task("slack", 0.5, 1, 2)], trials=5_000
    )
    t = by_id(r)
    assert t["fixed"]["p85_shift"] == 0.0 and t["slack"]["p85_shift"] == 0.0
    assert 0 < t["risky"]["p85_shift"] <= r.duration["p85"] - 5
    assert r.tasks[0]["id"] == "risky"  # de-risk first
    # a parallel alternative that is never the fastest winner still shifts nothing
    r = simulate([task("fast", 1, group="g"), task("slow", 5, 6, 9, group="g")], trials=1_000)
    assert by_id(r)["slow"]["p85_shift"] == 0.0


def test_sinks_and_risk_score() -> None:
    r = simulate(
        [
            task("solo", 1, p_success=0.7, importance=5),
            task("a", 1, p_success=0.5, group="g"),
            task("b", 1, p_success=0.5, group="g", importance=1),
        ],
        trials=100_000,
        seed=8,
    )
    t = by_id(r)
    assert_allclose(t["solo"]["sinks"], 0.3, atol=0.007)
    assert_allclose([t["a"]["sinks"], t["b"]["sinks"]], [0.25, 0.25], atol=0.007)
    # fixed durations: the score is importance / 5 * sinks
    assert_allclose(t["solo"]["risk_score"], 1.0 * t["solo"]["sinks"], rtol=1e-12)
    assert_allclose(t["b"]["risk_score"], 0.2 * t["b"]["sinks"], rtol=1e-12)
    assert [x["id"] for x in r.tasks] == ["solo", "a", "b"]


def test_deadline_and_single_point() -> None:
    plan = [task("a", 5, p_success=0.5)]
    assert_allclose(simulate(plan, deadline=5, trials=100_000).p_by_deadline, 0.5, atol=0.007)
    assert simulate(plan, deadline=4.9, trials=1_000).p_by_deadline == 0.0
    assert simulate(plan, trials=1_000).p_by_deadline is None
    r = simulate([task("a", 1, 2, 9), task("b", 1, 2, 9, depends_on=["a"])], trials=20_000)
    assert r.single_point["finish"] == 4.0
    assert 0 < r.single_point["p_by_then"] < 0.5  # the most-likely path is optimistic


def test_progress_stalls_after_a_failure() -> None:
    r = simulate([task("a", 2, p_success=0.5), task("b", 2, depends_on=["a"])], trials=100_000, seed=1)
    prog = r.progress
    assert len(prog) == timeline.PROGRESS_POINTS and prog[0]["time"] == 0.0 and prog[-1]["time"] == 4.0
    means = [p["mean"] for p in prog]
    assert means == sorted(means) and means[0] == 0.0
    assert_allclose(means[-1], 0.5, atol=0.007)  # failed runs never complete anything
    assert all(p["p10"] <= p["p90"] for p in prog)
    assert prog[-1]["p10"] == 0.0 and prog[-1]["p90"] == 1.0
    done = simulate([task("a", 1), task("b", 2, depends_on=["a"])], trials=100).progress
    assert done[-1] == {"time": 3.0, "mean": 1.0, "p10": 1.0, "p90": 1.0}
    assert_allclose(done[25]["mean"], 0.5)  # a (weight 3 of 6) done at 1, b at 3


# --------------------------------------------------------------------------- reproducibility and output


def test_seed_reproducible_and_seeds_differ() -> None:
    plan = {"tasks": [task("a", 1, 2, 6, p_success=0.8), task("b", 2, 3, 9, depends_on=["a"])], "trials": 2_000}
    a, b = timeline.from_input(plan), timeline.from_input(copy.deepcopy(plan))
    assert a.to_dict() == b.to_dict()
    other = timeline.from_input({**plan, "seed": 2})
    assert other.to_dict()["duration"] != a.to_dict()["duration"]
    assert simulate(plan["tasks"], seed=None).to_dict() == simulate(plan["tasks"], seed=timeline.DEFAULT_SEED).to_dict()
    default = timeline.default_input()  # the page's plan (whatever the data file holds) is reproducible too
    assert timeline.from_input(default).to_dict() == timeline.from_input(copy.deepcopy(default)).to_dict()


def test_editing_one_task_keeps_the_others_draws() -> None:
    plan = [task("a", 1, 2, 5), task("b", 1, 2, 5, p_success=0.8)]
    r1 = simulate(plan, trials=2_000)
    r2 = simulate([*plan, task("c", 1, 2, 3)], trials=2_000)
    assert r1.p_success == r2.p_success
    r3 = simulate(list(reversed(plan)), trials=2_000)  # ids, not positions, key the random streams
    assert r1.duration == r3.duration


def test_to_dict_is_plain_json_with_exactly_the_documented_keys() -> None:
    for example in timeline.examples():
        r = timeline.from_input(example["input"])
        d = r.to_dict()
        assert set(d) == KEYS
        assert json.loads(json.dumps(d, allow_nan=False)) == d
        assert set(d["duration"]) == set(d["duration_error"]) == {"mean", *PCTS}
        assert set(d["single_point"]) == {"finish", "p_by_then"}
        for t in d["tasks"]:
            optional = {"p_delivered", "p_delivered_by_deadline"} if not t["required"] else set()
            assert set(t) == {
                "id",
                "name",
                "p_success",
                "importance",
                "required",
                "owner",
                "status",
                "criticality",
                "p85_shift",
                "sinks",
                "risk_score",
                *optional,
            }
        for g in d["groups"]:
            assert {"id", "p_success", "p_project_best_single", "p_project"} <= set(g)
        assert [t["risk_score"] for t in d["tasks"]] == sorted((t["risk_score"] for t in d["tasks"]), reverse=True)


# --------------------------------------------------------------------------- properties

st_task = st.fixed_dictionaries(
    {
        "o": st.floats(0, 5),
        "span1": st.floats(0, 5),
        "span2": st.floats(0, 10),
        "p": st.sampled_from([1.0, 0.9, 0.6, 0.3, 0.0]),
        "imp": st.integers(1, 5),
        "grp": st.sampled_from([None, "g", "h"]),
    }
)


def _plan(spec: list[dict[str, Any]], bits: list[bool]) -> list[dict[str, Any]]:
    """A valid random plan: "early" tasks depend on earlier early tasks, group members on early tasks,
    "late" tasks (those that wait for a group) on anything earlier outside groups and on the groups."""

    def bit(k: int) -> bool:
        return bits[k % len(bits)]

    groups = sorted({s["grp"] for s in spec if s["grp"]})
    late = [not s["grp"] and bool(groups) and bit(3 * i) for i, s in enumerate(spec)]
    out = []
    for i, s in enumerate(spec):
        allowed = [j for j in range(i) if not spec[j]["grp"] and (late[i] or not late[j])]
        deps = [f"t{j}" for j in allowed if bit(7 * i + j)]
        if late[i]:
            deps += [g for k, g in enumerate(groups) if k == 0 or bit(i + k)]
        out.append(
            {
                "id": f"t{i}",
                "optimistic": s["o"],
                "most_likely": s["o"] + s["span1"],
                "pessimistic": s["o"] + s["span1"] + s["span2"],
                "p_success": s["p"],
                "importance": s["imp"],
                "depends_on": deps,
                **({"group": s["grp"]} if s["grp"] else {}),
            }
        )
    return out


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st_task, min_size=1, max_size=7),
    st.lists(st.booleans(), min_size=1, max_size=10),
    st.sampled_from(["pert", "triangular"]),
    st.sampled_from(["parallel", "sequential"]),
    st.integers(0, 2**32 - 1),
)
def test_properties(spec: list[dict[str, Any]], bits: list[bool], dist: str, mode: str, seed: int) -> None:
    r = simulate(_plan(spec, bits), trials=300, seed=seed, distribution=dist, group_mode=mode)
    assert 0.0 <= r.p_success <= 1.0 and r.p_never == pytest.approx(1 - r.p_success)
    if r.p_success > 0:
        values = [r.duration[k] for k in PCTS]
        assert values == sorted(values)
        assert all(v >= 0 for v in r.duration_error.values())
    for t in r.tasks:
        assert 0 <= t["criticality"] <= 1 and 0 <= t["sinks"] <= 1 and t["p85_shift"] >= 0 and t["risk_score"] >= 0
    for g in r.groups:
        assert g["p_project_best_single"] <= g["p_project"] + 1e-12
    means = [p["mean"] for p in r.progress]
    assert means == sorted(means) and all(0 <= p["p10"] <= p["p90"] <= 1 for p in r.progress)
    assert json.dumps(r.to_dict(), allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st_task, min_size=1, max_size=6),
    st.lists(st.booleans(), min_size=1, max_size=10),
    st.floats(0, 1),
    st.sampled_from(["parallel", "sequential"]),
    st.integers(0, 1000),
)
def test_adding_an_alternative_never_lowers_success(
    spec: list[dict[str, Any]], bits: list[bool], p_new: float, mode: str, seed: int
) -> None:
    plan = _plan(spec, bits)
    groups = sorted({t["group"] for t in plan if "group" in t})
    assume(groups)
    before = simulate(plan, trials=500, seed=seed, group_mode=mode)
    extra = {
        "id": "new-approach",
        "optimistic": 1,
        "most_likely": 2,
        "pessimistic": 3,
        "p_success": p_new,
        "group": groups[0],
    }
    after = simulate([*plan, extra], trials=500, seed=seed, group_mode=mode)
    # each task draws from its own stream, so the old tasks' draws are unchanged: the comparison is exact
    assert after.p_success >= before.p_success


def test_hundred_task_plan_runs() -> None:
    tasks = [
        task(f"t{i}", 1, 2, 4, p_success=0.999, depends_on=[f"t{j}" for j in (i - 1, i - 3) if j >= 0])
        for i in range(100)
    ]
    r = simulate(tasks, trials=10_000)
    assert len(r.tasks) == 100 and r.duration["p50"] is not None
