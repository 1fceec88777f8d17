"""People and capacity, optional scope, dates, progress and recorded forecasts: closed forms, properties,
and the messages a reader sees. Plans are written inline (fork-safe)."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from calculators import timeline
from calculators.errors import InputError

from .plans import task

TRIALS = 2_000


def run(tasks: list[dict[str, Any]], **plan: Any) -> timeline.TimelineResult:
    return timeline.from_input({"tasks": tasks, "trials": plan.pop("trials", TRIALS), **plan})


def numbers(r: timeline.TimelineResult) -> tuple[Any, ...]:
    return (r.p_success, r.duration, r.p_by_deadline, r.single_point)


def readers(data: dict[str, Any]) -> list[str]:
    with pytest.raises(InputError) as exc:
        timeline.from_input(data)
    return [e.to_dict()["reader"] for e in exc.value.errors]


# --------------------------------------------------------------------------- closed forms


def test_two_fixed_tasks_with_one_owner_take_the_sum_and_with_two_the_longer() -> None:
    one = run([task("a", 2, owner="Ana"), task("b", 3, owner="Ana")])
    two = run([task("a", 2, owner="Ana"), task("b", 3, owner="Ben")])
    assert one.duration["p50"] == one.duration["p95"] == 5
    assert two.duration["p50"] == two.duration["p95"] == 3
    both = run([task("a", 2, owner="Ana"), task("b", 3, owner="Ana")], capacity={"Ana": 2})
    assert both.duration["p95"] == 3


def test_the_owner_takes_tasks_in_row_order() -> None:
    """Row order is the priority: the first row goes first, so the second row's dependant waits."""
    first = run([task("a", 4, owner="Ana"), task("b", 1, owner="Ana"), task("c", 1, depends_on=["b"])])
    swapped = run([task("b", 1, owner="Ana"), task("a", 4, owner="Ana"), task("c", 1, depends_on=["b"])])
    assert first.duration["p50"] == 6 and swapped.duration["p50"] == 5


def test_a_done_task_contributes_exactly_its_actual() -> None:
    r = run([task("a", 1, 2, 4, status="done", actual=3), task("b", 2, depends_on=["a"])])
    assert r.duration["p10"] == r.duration["p95"] == 5 and r.p_success == 1


def test_start_plus_week_3_is_the_date_21_days_later() -> None:
    r = run([task("a", 3)], start="2027-01-04")
    assert r.dates["p85"] == (dt.date(2027, 1, 4) + dt.timedelta(days=21)).isoformat()
    assert "week 3 (2027-01-25)" in timeline.render(r)[0]["text"]
    days = run([task("a", 6)], start="2027-01-04", unit="working_days")  # Monday + 6 working days
    assert days.dates["p85"] == "2027-01-12"


def test_a_deadline_and_today_can_be_dates() -> None:
    r = run([task("a", 3, 4, 6)], start="2027-01-04", deadline="2027-02-01", as_of="2027-01-11")
    assert r.deadline == 4 and r.as_of == 1
    assert r.to_dict()["dates"]["deadline"] == "2027-02-01"
    assert timeline.render(r)[0]["text"].startswith("From today (2027-01-11), ")


def test_an_optional_task_that_fails_drops_its_scope_and_its_dependants() -> None:
    r = run(
        [
            task("core", 2),
            task("extra", 1, p_success=0.0, required=False, depends_on=["core"]),
            task("polish", 5, required=False, depends_on=["extra"]),
        ]
    )
    assert r.p_success == 1 and r.duration["p95"] == 2  # the dropped polish does not count towards the finish
    by = {t["id"]: t for t in r.tasks}
    assert by["extra"]["p_delivered"] == by["polish"]["p_delivered"] == 0 and by["extra"]["sinks"] == 0


def test_a_dropped_required_task_means_the_plan_cannot_work() -> None:
    r = run([task("a", 2), task("b", 1, status="dropped", name="Label the data")])
    assert r.p_success == 0
    shown = [b["text"] for b in timeline.render(r) if b["type"] == "notice"]
    assert any("Label the data is marked dropped but is required" in t for t in shown)


def test_a_task_in_progress_never_finishes_before_today() -> None:
    r = run([task("a", 2, 4, 8, status="doing", started=1)], as_of=6)
    assert r.duration["p10"] > 6 - 1e-9 and r.duration["p95"] <= 8 + 1e-9
    again = run([task("a", 2, 4, 8, status="doing", started=1, remaining=[1, 2, 3])], as_of=6)
    assert again.duration["p10"] >= 7 - 1e-9 and again.duration["p95"] <= 9 + 1e-9
    overrun = run([task("a", 2, 4, 8, status="doing", started=0)], as_of=10)  # past its pessimistic time
    assert overrun.duration["p10"] >= 10


def test_the_owner_who_holds_the_plan_up_and_what_one_more_hand_buys() -> None:
    tasks = [task("a", 3, owner="Ana"), task("b", 3, owner="Ana"), task("c", 1, owner="Ben")]
    r = run(tasks)
    by = {o["owner"]: o for o in r.owners}
    assert by["Ana"]["critical"] == 1 and by["Ben"]["critical"] == 0
    assert by["Ana"]["p85_plus_one"] == run(tasks, capacity={"Ana": 2}).duration["p85"] == 3
    assert by["Ana"]["p85_gain"] == 3 and by["Ben"]["p85_gain"] == 0
    steps = timeline.render(r)[2]["items"]
    assert any(s.startswith("Give Ana a second pair of hands") and "3 weeks earlier" in s for s in steps)


def test_then_and_now_names_the_task_whose_change_moved_the_numbers() -> None:
    base = [task("a", 2, 3, 4, name="Collect"), task("b", 1, 2, 3, depends_on=["a"], name="Train")]
    before = run(base)
    record = {
        "as_of": 0,
        "p_success": before.p_success,
        "p50": before.duration["p50"],
        "p85": before.duration["p85"],
        "tasks": {"a": [2, 3, 4, 1, "todo"], "b": [1, 2, 3, 1, "todo"]},
    }
    now = copy.deepcopy(base)
    now[1].update(optimistic=4, most_likely=6, pessimistic=9)
    r = run(now, history=[record])
    assert [m["id"] for m in r.moved] == ["b"] and r.moved[0]["p85_change"] > 3
    blocks = timeline.render(r)
    table = next(b for b in blocks if b["type"] == "table" and b["caption"].startswith("The last recorded"))
    assert table["rows"][0][1:] == ["100%", "100%"]
    assert any(
        "Train: its change since then moved the P85" in i for b in blocks if b["type"] == "list" for i in b["items"]
    )
    assert any(b.get("chart") == "timeline_history" for b in blocks)
    assert r.to_dict()["history"][0]["p85"] == before.duration["p85"]


def test_the_status_update_fills_the_templates_numbers() -> None:
    r = run([task("a", 2, 3, 5, p_success=0.8, owner="Ana")], start="2027-01-04", deadline=6, as_of=1)
    text = next(b for b in timeline.render(r) if b["type"] == "download")["content"]
    assert "| The chance it works at all | - | " + f"{round(r.p_success * 100)}%" in text
    assert r.dates["p85"] in text or r.dates["commit"] in text
    assert "| Update number and date | 1, week 1 (2027-01-11) |" in text
    assert "Ana: on the critical path in 100% of successful runs" in text


# --------------------------------------------------------------------------- messages in the reader's words


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (
            {"tasks": [task("x", 1, required=False, name="Dashboard"), task("y", 1, depends_on=["x"], name="Review")]},
            "Review is required but waits for Dashboard, which is optional.",
        ),
        ({"tasks": [task("a", 1, 2, 3, status="done", name="Collect")]}, "Collect is done: say how long it took"),
        ({"tasks": [task("a", 1, 2, 3, status="doing", started=1, name="Train")]}, "Train is in progress: give today"),
        ({"tasks": [task("a", 1, 2, 3, status="doing", name="Train")], "as_of": 2}, "say when it started"),
        ({"tasks": [task("a", 1)], "deadline": "2027-03-01"}, "Deadline is a date: give the plan a start date"),
        ({"tasks": [task("a", 1)], "start": "2027-02-30"}, "Start date must be a date written as year-month-day"),
        ({"tasks": [task("a", 1)], "start": "2027-03-01", "unit": "sprints"}, "Dates work when the time unit"),
        ({"tasks": [task("a", 1)], "capacity": {"Ana": 0}}, "Tasks at once for Ana must be between 1 and"),
        ({"tasks": [task("a", 1, status="later")]}, "Status for a must be to do, doing, done or dropped."),
        (
            {"tasks": [task("a", 1, 2, 3, status="doing", started=0, remaining=[3, 2, 1])], "as_of": 1},
            "Remaining for a must go from the optimistic to the pessimistic time",
        ),
        ({"tasks": [task("a", 1, required=False)]}, "At least one task must be required"),
    ],
)
def test_new_inputs_are_refused_in_the_readers_words(data: dict[str, Any], said: str) -> None:
    assert any(said in t for t in readers(data)), readers(data)


def test_the_forms_capacity_rows_and_the_files_object_say_the_same() -> None:
    tasks = [task("a", 2, owner="Ana"), task("b", 3, owner="Ana")]
    rows = run(tasks, capacity=[{"owner": "Ana", "capacity": 2}, {}])
    mapping = run(tasks, capacity={"Ana": 2})
    assert rows.duration == mapping.duration


# --------------------------------------------------------------------------- properties

fixed = st.integers(min_value=1, max_value=6).map(float)


@st.composite
def plans(draw: Any, *, owners: bool = True) -> list[dict[str, Any]]:
    n = draw(st.integers(min_value=1, max_value=6))
    out = []
    for i in range(n):
        o = draw(fixed)
        m = o + draw(st.integers(min_value=0, max_value=3))
        p = m + draw(st.integers(min_value=0, max_value=3))
        deps = sorted(draw(st.sets(st.integers(min_value=0, max_value=max(0, i - 1)), max_size=2))) if i else []
        row = task(
            f"t{i}", o, m, p, p_success=draw(st.sampled_from([1.0, 0.9, 0.6])), depends_on=[f"t{d}" for d in deps]
        )
        if owners and draw(st.booleans()):
            row["owner"] = draw(st.sampled_from(["Ana", "Ben"]))
        out.append(row)
    return out


SETTINGS = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(plans(), st.sampled_from(["Ana", "Ben"]))
def test_more_capacity_never_moves_a_percentile_later(tasks: list[dict[str, Any]], who: str) -> None:
    a = run(tasks, trials=500)
    b = run(tasks, trials=500, capacity={who: 2})
    for k, x in a.duration.items():
        if x is not None and k != "mean":
            assert b.duration[k] <= x + 1e-9, k


@SETTINGS
@given(plans())
def test_capacity_for_every_task_is_the_same_as_no_owner(tasks: list[dict[str, Any]]) -> None:
    bare = [{k: v for k, v in t.items() if k != "owner"} for t in tasks]
    wide = run(tasks, trials=500, capacity={"Ana": len(tasks), "Ben": len(tasks)})
    assert numbers(wide) == numbers(run(bare, trials=500))


@SETTINGS
@given(plans(owners=False), st.data())
def test_done_at_its_fixed_estimate_changes_nothing(tasks: list[dict[str, Any]], data: Any) -> None:
    k = data.draw(st.integers(min_value=0, max_value=len(tasks) - 1))
    tasks[k].update(most_likely=tasks[k]["optimistic"], pessimistic=tasks[k]["optimistic"], p_success=1.0)
    done = copy.deepcopy(tasks)
    done[k].update(status="done", actual=tasks[k]["optimistic"])
    assert numbers(run(done, trials=500)) == numbers(run(tasks, trials=500))


@SETTINGS
@given(plans(), st.integers(min_value=1, max_value=20))
def test_nothing_finishes_before_today(tasks: list[dict[str, Any]], today: int) -> None:
    r = run(tasks, trials=500, as_of=today)
    for k, x in r.duration.items():
        assert x is None or x >= today - 1e-9, k


@SETTINGS
@given(plans(), st.data())
def test_making_a_task_optional_never_lowers_the_chance_it_works(tasks: list[dict[str, Any]], data: Any) -> None:
    k = data.draw(st.integers(min_value=0, max_value=len(tasks) - 1))
    later = {f"t{k}"}
    changed = copy.deepcopy(tasks)
    for t in changed:  # the task and everything waiting for it become optional
        if t["id"] in later or later & set(t["depends_on"]):
            later.add(t["id"])
            t["required"] = False
    if all(t.get("required") is False for t in changed):
        return  # a plan needs at least one required task
    assert run(changed, trials=500).p_success >= run(tasks, trials=500).p_success


@SETTINGS
@given(plans(owners=False), st.randoms())
def test_row_order_changes_nothing_without_owners(tasks: list[dict[str, Any]], rnd: Any) -> None:
    shuffled = list(tasks)
    rnd.shuffle(shuffled)
    a, b = run(tasks, trials=500), run(shuffled, trials=500)
    assert numbers(a) == numbers(b)
    np.testing.assert_allclose(
        sorted(t["criticality"] for t in a.tasks), sorted(t["criticality"] for t in b.tasks), atol=1e-12
    )
