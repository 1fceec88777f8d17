"""Validation of a plan and the simulator's data file.

Fork-safe: plans are built inline and expectations about the data file come from
the file itself (its plans, its ``[risk_matrix]``), never from this playbook's content.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from calculators import _data, forms, timeline
from calculators.errors import DataFileError, InputError
from calculators.timeline import inputs, knowledge, model

from .plans import task

BASE = {
    "tasks": [
        {"id": "a", "name": "Clean the data", "optimistic": 1, "most_likely": 2, "pessimistic": 3},
        {
            "id": "b",
            "name": "Train the model",
            "optimistic": 1,
            "most_likely": 2,
            "pessimistic": 4,
            "depends_on": ["a"],
        },
    ],
    "trials": 100,
}


def mutate(path: str, value: Any) -> dict[str, Any]:
    data = copy.deepcopy(BASE)
    target: Any = data
    parts = path.replace("[", ".").replace("]", "").split(".")
    for p in parts[:-1]:
        target = target[int(p)] if p.isdigit() else target[p]
    last = parts[-1]
    target[int(last) if last.isdigit() else last] = value
    return data


# (input, field, fragment of the message for programs, fragment of the reader's text)
BAD = [
    (
        mutate("tasks.0.pessimistic", 1.5),
        "tasks[0].pessimistic",
        "pessimistic (1.5) is below most likely (2)",
        "Pessimistic for Clean the data (1.5) must be at least its most likely time (2).",
    ),
    (
        mutate("tasks.0.most_likely", 0.5),
        "tasks[0].most_likely",
        "most likely (0.5) is below optimistic (1)",
        "Most likely for Clean the data",
    ),
    (
        mutate("tasks.1.optimistic", -1),
        "tasks[1].optimistic",
        "task 'b': optimistic (-1) must be between 0",
        "Optimistic for Train the model must be between 0 weeks and",
    ),
    (
        mutate("tasks.1.most_likely", "soon"),
        "tasks[1].most_likely",
        "must be a number",
        "Most likely for Train the model must be a number.",
    ),
    (
        mutate("tasks.0.pessimistic", None),
        "tasks[0].pessimistic",
        "pessimistic is missing",
        "Pessimistic for Clean the data is missing.",
    ),
    (
        mutate("tasks.0.p_success", 1.2),
        "tasks[0].p_success",
        "(1.2) must be between 0 and 1",
        "Chance of success for Clean the data must be between 0% and 100%.",
    ),
    (mutate("tasks.0.p_success", -0.1), "tasks[0].p_success", "must be between 0 and 1", "between 0% and 100%"),
    (
        mutate("tasks.0.importance", 6),
        "tasks[0].importance",
        "importance (6) must be between 1 and 5",
        "Importance for Clean the data must be between 1 and 5.",
    ),
    (mutate("tasks.0.importance", 2.5), "tasks[0].importance", "must be a whole number", "must be a whole number"),
    (
        mutate("tasks.1.depends_on", ["zzz"]),
        "tasks[1].depends_on",
        "depends on unknown task or group 'zzz'",
        "Depends on for Train the model names zzz",
    ),
    (mutate("tasks.1.depends_on", "a, zzz"), "tasks[1].depends_on", "unknown task or group 'zzz'", "names zzz"),
    (
        mutate("tasks.1.depends_on", [1]),
        "tasks[1].depends_on",
        "must be a list of task or group ids",
        "Depends on for Train the model",
    ),
    (mutate("tasks.1.id", "a"), "tasks[1].id", "task id 'a' is used twice", "Task 2 has the same id as task 1"),
    (mutate("tasks.1.id", ""), "tasks[1].id", "task 2 needs an id", "Task 2 needs an id."),
    (mutate("tasks.1.id", "x,y"), "tasks[1].id", "must not contain commas", "must not contain commas"),
    (mutate("tasks.1.group", "a"), "tasks[1].group", "group id 'a' is also a task id", "Group for Train the model"),
    (mutate("tasks.0.colour", "red"), "tasks[0].colour", "unknown field 'colour'", ""),
    (mutate("tasks.0", "a"), "tasks[0]", "must be an object", ""),
    (mutate("colour", "red"), "colour", "unknown field 'colour'", ""),
    (
        mutate("distribution", "normal"),
        "distribution",
        "must be one of pert, triangular",
        "Choose one of the options for Duration shape.",
    ),
    (mutate("group_mode", "random"), "group_mode", "must be one of parallel, sequential", "Alternatives in a group"),
    (mutate("trials", 99), "trials", "trials (99) must be at least 100", "Trials must be at least 100."),
    (mutate("trials", 100_001), "trials", "the limit is 100,000", "Trials must be at most 100,000"),
    (mutate("trials", 1000.5), "trials", "whole number", "Trials must be a whole number."),
    (mutate("seed", -1), "seed", "seed (-1) must be between 0", "Seed must be a whole number from 0 to"),
    (mutate("deadline", -2), "deadline", "deadline (-2) must be between 0", "Deadline must be between 0 weeks"),
    (mutate("unit", 7), "unit", "unit must be text", "Time unit must be text."),
    (
        mutate("tasks", [task(f"t{i}", 1) for i in range(50)]) | {"trials": 50_000},
        "trials",
        "50 tasks x 50,000 trials is more than a browser can simulate quickly; use at most 40,000 trials",
        "Trials must be at most 40,000 for a plan of 50 tasks",
    ),
    (mutate("tasks", []), "tasks", "at least one task", "The plan needs at least one task."),
    (mutate("tasks", [task(f"t{i}", 1) for i in range(101)]), "tasks", "at most 100", "at most 100"),
    ([1, 2], "", "input must be an object", ""),
]


@pytest.mark.parametrize(
    ("data", "field", "fragment", "reader"), BAD, ids=[f"{f or 'input'}:{m[:30]}" for _, f, m, _ in BAD]
)
def test_validation_names_field_for_programs_and_readers(
    data: Any, field: str, fragment: str, reader: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_sampling(plan: Any) -> Any:
        raise AssertionError("sampled before validation passed")

    monkeypatch.setattr(model, "_sample", no_sampling)
    with pytest.raises(InputError) as exc:
        timeline.from_input(data)
    matches = [e for e in exc.value.errors if e.field == field]
    assert matches, f"no error for {field!r}: {exc.value}"
    assert any(fragment in e.message for e in matches), str(exc.value)
    if reader:
        texts = [e.to_dict()["reader"] for e in matches]
        assert any(reader in t for t in texts), texts
        for t in texts:  # the page's words: a label and a task's name, never a path or an internal key
            assert not re.search(r"\[\d+\]|\b[a-z]+_[a-z_]+\b", t), t
            assert t.endswith("."), t


def test_reader_text_uses_the_form_label_and_the_percent_scale() -> None:
    """The words next to a field are the field's own label, and a percent field's range is in percent."""
    columns = {c["name"]: c for c in timeline.form()[0]["columns"]}
    assert columns["p_success"].get("percent") is True
    for key, bad in (("p_success", 3), ("importance", 99), ("pessimistic", 1e9)):
        data = mutate(f"tasks.0.{key}", bad)
        with pytest.raises(InputError) as exc:
            timeline.parse(data)
        reader = next(e for e in exc.value.errors if e.field == f"tasks[0].{key}").to_dict()["reader"]
        assert reader.startswith(f"{columns[key]['label']} for Clean the data"), reader
    assert "%" in _reader_of(mutate("tasks.0.p_success", 3), "tasks[0].p_success")


def _reader_of(data: Any, field: str) -> str:
    with pytest.raises(InputError) as exc:
        timeline.parse(data)
    return next(e for e in exc.value.errors if e.field == field).to_dict()["reader"]


def test_a_task_without_a_name_is_named_by_its_id_or_its_row() -> None:
    data = mutate("tasks.0.p_success", 2)
    del data["tasks"][0]["name"]
    assert _reader_of(data, "tasks[0].p_success").startswith("Chance of success for a ")
    data["tasks"][0]["id"] = ""
    assert _reader_of(data, "tasks[0].p_success").startswith("Chance of success for task 1 ")


def test_form_and_validation_read_the_same_bounds() -> None:
    def fields(form: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
        out: dict[str, dict[str, Any]] = {}
        for f in form:
            if f["type"] == "group":
                out |= fields(f["fields"])
            elif f["type"] == "table" and f["name"] == "tasks":
                out |= {c["name"]: c for c in f["columns"]} | {f["name"]: f}
            elif f["type"] == "table":  # the people's table: its columns are named like the task's owner
                out[f["name"]] = f
            else:
                out[f["name"]] = f
        return out

    shown = fields(timeline.form())
    for key, bound in inputs.BOUNDS.items():
        if shown[key]["type"] == "text":  # a time or a date: the validation reads both
            assert shown[key]["label"] == bound.label and bound.time, key
            continue
        assert (shown[key]["min"], shown[key]["max"], shown[key]["label"]) == (bound.lo, bound.hi, bound.label), key
    for key, label in inputs.LABELS.items():
        assert shown[key]["label"] == label, key


def test_the_deadline_sits_with_the_plan_and_the_options_are_folded() -> None:
    form = timeline.form()
    top = [f.get("name") for f in form if f["type"] != "group"]
    assert top == ["tasks", "deadline"]
    options = next(f for f in form if f["type"] == "group" and f["label"] == "Options")
    assert options["open"] is False
    assert {f["name"] for f in options["fields"]} >= {"trials", "seed"}


def test_percent_typed_values_mean_the_same_plan() -> None:
    """What a reader types in the percent field (90, 90%, 0.9) parses to one chance of success."""
    values = {forms.parse_percent(t) for t in ("90", "90%", "0.9")}
    assert values == {0.9}
    assert timeline.parse(mutate("tasks.0.p_success", values.pop())).tasks[0].p_success == 0.9


GROUP_BAD = [
    (
        [task("a", 1, group="g"), task("b", 1, group="g"), task("c", 1, depends_on=["a"])],
        "tasks[2].depends_on",
        "one of the alternatives in group 'g'; depend on the group 'g' instead",
    ),
    (
        [task("a", 1, group="g"), task("b", 1, group="g", depends_on=["a"])],
        "tasks[1].depends_on",
        "are alternatives in group 'g'; they cannot depend on each other",
    ),
]


@pytest.mark.parametrize(("tasks", "field", "fragment"), GROUP_BAD)
def test_group_rules(tasks: list[dict[str, Any]], field: str, fragment: str) -> None:
    with pytest.raises(InputError) as exc:
        timeline.simulate(tasks, trials=100)
    assert [(e.field, fragment in e.message) for e in exc.value.errors] == [(field, True)]
    assert "[" not in exc.value.errors[0].to_dict()["reader"]


@pytest.mark.parametrize(
    ("tasks", "cycle"),
    [
        ([task("a", 1, depends_on=["b"]), task("b", 1, depends_on=["a"])], "a -> b -> a"),
        (
            [task("a", 1, depends_on=["c"]), task("b", 1, depends_on=["a"]), task("c", 1, depends_on=["b"])],
            "a -> b -> c -> a",
        ),
        ([task("a", 1, depends_on=["a"])], "a -> a"),
        ([task("x", 1, group="g", depends_on=["g"]), task("y", 1, group="g")], "x -> g -> x"),
    ],
)
def test_cycle_is_named(tasks: list[dict[str, Any]], cycle: str) -> None:
    with pytest.raises(InputError, match="dependency cycle: " + cycle) as exc:
        timeline.simulate(tasks, trials=100)
    assert exc.value.errors[0].field == "tasks[0].depends_on"
    assert "wait for each other in a circle" in exc.value.errors[0].to_dict()["reader"]


def test_every_problem_is_reported_at_once() -> None:
    data = {"tasks": [task("a", 3, 2, 1, p_success=2), task("a", 1, importance=9)], "trials": 5, "foo": 1}
    with pytest.raises(InputError) as exc:
        timeline.from_input(data)
    fields = {e.field for e in exc.value.errors}
    assert {
        "tasks[0].most_likely",
        "tasks[0].pessimistic",
        "tasks[0].p_success",
        "tasks[1].id",
        "tasks[1].importance",
        "trials",
        "foo",
    } <= fields


def test_form_friendly_values_are_accepted() -> None:
    r = timeline.from_input(
        {
            "tasks": [
                {
                    "id": "a",
                    "name": "",
                    "optimistic": "1",
                    "most_likely": "2",
                    "pessimistic": "3",
                    "p_success": None,
                    "importance": "",
                    "group": "",
                    "depends_on": [],
                }
            ],
            "deadline": "",
            "seed": None,
            "trials": 100,
        }
    )
    assert r.tasks[0]["name"] == "a" and r.tasks[0]["importance"] == 3 and r.deadline is None and r.seed == 1


# --------------------------------------------------------------------------- the data file


def test_every_example_is_valid_and_the_default_is_the_first() -> None:
    ex = timeline.examples()
    assert ex and len({e["id"] for e in ex}) == len(ex)
    for e in ex:
        timeline.parse(e["input"])
    default = timeline.default_input()
    assert default["tasks"] == ex[0]["input"]["tasks"]
    assert (default["trials"], default["seed"]) == (inputs.DEFAULT_TRIALS, inputs.DEFAULT_SEED)


def _with(monkeypatch: pytest.MonkeyPatch, data: dict[str, Any]) -> None:
    monkeypatch.setattr(knowledge, "load_toml", lambda name: copy.deepcopy(data))


def test_bad_plan_names_file_and_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    good = _data.load_toml(knowledge.FILE)
    last = len(good["plan"]) - 1
    bad = copy.deepcopy(good)
    bad["plan"][last]["tasks"][0]["pessimistic"] = -1
    _with(monkeypatch, bad)
    pattern = rf"{re.escape(knowledge.FILE)}: plan\[{last}\] \({re.escape(good['plan'][last]['id'])}\): "
    with pytest.raises(DataFileError, match=pattern + r".*tasks\[0\]\.pessimistic"):
        timeline.examples()
    bad = copy.deepcopy(good)
    del bad["plan"][0]["label"]
    _with(monkeypatch, bad)
    with pytest.raises(DataFileError, match=r"plan\[0\].*missing key 'label'"):
        timeline.examples()
    bad = copy.deepcopy(good)
    bad["plan"].append(copy.deepcopy(bad["plan"][0]))
    _with(monkeypatch, bad)
    with pytest.raises(DataFileError, match="duplicate id"):
        timeline.examples()


def test_risk_matrix_is_read_from_the_data_file() -> None:
    raw = _data.load_toml(knowledge.FILE)["risk_matrix"]
    m = timeline.risk_matrix()
    assert (m.likelihood_cutoff, m.importance_cutoff, m.importance_max) == (
        raw["likelihood_cutoff"],
        raw["importance_cutoff"],
        raw["importance_max"],
    )
    assert m.quadrants == raw["quadrants"]
    # likely = at or above the cut-off, across; important = at or above the cut-off, up
    assert m.quadrant(m.likelihood_cutoff, m.importance_cutoff) == raw["quadrants"]["likely_important"]
    assert m.quadrant(m.likelihood_cutoff / 2, m.importance_cutoff) == raw["quadrants"]["unlikely_important"]
    assert m.quadrant(1.0, m.importance_cutoff - 0.5) == raw["quadrants"]["likely_minor"]
    assert m.quadrant(0.0, 0.0) == raw["quadrants"]["unlikely_minor"]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda t: t.pop("likelihood_cutoff"), "missing key 'likelihood_cutoff'"),
        (lambda t: t.update(likelihood_cutoff=1.5), "'likelihood_cutoff' (1.5) must be between 0 and 1"),
        (lambda t: t.update(importance_cutoff=9), "'importance_cutoff' (9) must be between 1 and"),
        (lambda t: t["quadrants"].pop("likely_minor"), "missing key 'likely_minor'"),
        (lambda t: t["quadrants"].update(likely_minor=" "), "'likely_minor' is empty"),
        (lambda t: t.update(colour="red"), "unknown key 'colour'"),
    ],
)
def test_bad_risk_matrix_names_file_and_entry(monkeypatch: pytest.MonkeyPatch, change: Any, problem: str) -> None:
    bad = _data.load_toml(knowledge.FILE)
    change(bad["risk_matrix"])
    _with(monkeypatch, bad)
    with pytest.raises(DataFileError, match=re.escape(knowledge.FILE) + r": \[risk_matrix\].*" + re.escape(problem)):
        timeline.risk_matrix()
