"""The calculator contract, checked once for every registered calculator.

Each test reads the registry and what each calculator says of itself (its form,
default input and examples), never this playbook's own content, so a fork that
edits the data files or adds a calculator keeps these tests meaningful.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from calculators import _contract, api, share
from calculators.charts import all_specs

NAMES = _contract.names()
RESULT_ORDER_TAIL = "method"
DETAIL_TYPES = {"heading", "paragraph", "table", "list", "links", "notice", "chart", "download"}


def _inputs(name: str) -> list[tuple[str, dict[str, Any]]]:
    """The default input, every example's, and the blank start where the calculator offers one."""
    calc = _contract.get(name)
    config = api.page_config(name)
    blank = [("blank", config["blank"])] if "blank" in config else []
    return [("default", calc.default_input())] + [(ex["id"], ex["input"]) for ex in calc.examples()] + blank


def _fields(form: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for field in form:
        if field["type"] == "group":
            yield from _fields(field["fields"])
        else:
            yield field


@pytest.mark.parametrize("name", NAMES)
def test_module_satisfies_the_protocol(name: str) -> None:
    calc = _contract.get(name)
    assert isinstance(calc, _contract.Calculator)
    assert name == calc.NAME
    for attr in ("TITLE", "DESCRIPTION"):
        assert isinstance(getattr(calc, attr), str) and getattr(calc, attr).strip(), attr


@pytest.mark.parametrize("name", NAMES)
def test_from_input_is_compute_of_parse(name: str) -> None:
    calc = _contract.get(name)
    for label, data in _inputs(name):
        assert calc.from_input(data).to_dict() == calc.compute(calc.parse(data)).to_dict(), label


@pytest.mark.parametrize("name", NAMES)
def test_every_example_computes_plain_json(name: str) -> None:
    calc = _contract.get(name)
    examples = calc.examples()
    assert examples, "a calculator offers at least one example"
    assert len({ex["id"] for ex in examples}) == len(examples), "example ids are unique"
    for label, data in _inputs(name):
        out = api.compute(name, data)
        assert json.loads(json.dumps(out, allow_nan=False)) == out, label


@pytest.mark.parametrize("name", NAMES)
def test_result_reads_answer_first(name: str) -> None:
    """Headline, two to four key figures, what to do next, the details, then how it is computed."""
    for label, data in _inputs(name):
        types = [b["type"] for b in api.compute(name, data)["view"]]
        assert types[0] == "summary", (label, types)
        assert types[1] == "metrics", (label, types)
        assert types[2] == "actions", (label, types)
        assert types[-1] == RESULT_ORDER_TAIL, (label, types)
        assert set(types[3:-1]) <= DETAIL_TYPES, (label, types)
        view = api.compute(name, data)["view"]
        assert 2 <= len(view[1]["items"]) <= 4, (label, view[1])
        assert 1 <= len(view[2]["items"]) <= 3, (label, view[2])


# What a headline must never hold: a formula, a citation, an input path or an internal id.
_NOT_FOR_READERS = re.compile(r"p\*|=|\bet al\b|\(\d{4}\)|\[\d+\]|\b[a-z]+_[a-z_]+\b")


@pytest.mark.parametrize("name", NAMES)
def test_headline_has_no_formula_citation_or_id(name: str) -> None:
    for label, data in _inputs(name):
        view = api.compute(name, data)["view"]
        for text in [view[0]["text"], *(f"{i['label']} {i['value']}" for i in view[1]["items"]), *view[2]["items"]]:
            assert not _NOT_FOR_READERS.search(text), (label, text)


@pytest.mark.parametrize("name", NAMES)
def test_chart_templates_are_named_for_their_calculator(name: str) -> None:
    import importlib

    calc = _contract.get(name)
    templates = importlib.import_module(calc.CHARTS_MODULE).TEMPLATES
    assert all(t.startswith(f"{name}_") for t in templates), sorted(templates)
    specs = all_specs()
    used = {b["chart"] for _, data in _inputs(name) for b in api.compute(name, data)["view"] if b["type"] == "chart"}
    assert used <= set(specs), used - set(specs)


@pytest.mark.parametrize("name", NAMES)
def test_page_config_describes_every_input(name: str) -> None:
    config = api.page_config(name)
    assert config["name"] == name and config["title"] == _contract.get(name).TITLE
    for field in _fields(config["form"]):
        assert field["name"] and field["label"].strip(), field
        if field["type"] == "number":
            assert field["min"] <= field["max"], field
        if field["type"] == "table":
            for col in field["columns"]:
                assert col["name"] and col["label"].strip(), col


def _bad_value(field: dict[str, Any]) -> Any:
    """A value the field refuses: above its maximum for numbers, an unknown option for choices."""
    if field["type"] == "number":
        return field["max"] * 10 + 7 if field["max"] > 0 else 7
    if field["type"] in ("select", "radio"):
        return "no such option"
    return None


def _set(data: dict[str, Any], path: str, value: Any) -> None:
    *parents, leaf = path.split(".")
    for part in parents:
        data = data.setdefault(part, {})
    data[leaf] = value


@pytest.mark.parametrize("name", NAMES)
def test_errors_name_fields_in_the_readers_words(name: str) -> None:
    """One invalid value per field kind: the page's message uses labels, never an input path."""
    config = api.page_config(name)
    checked = 0
    for field in _fields(config["form"]):
        cases: list[tuple[str, Any]] = []
        if field["type"] == "table":
            for col in field["columns"]:
                bad = _bad_value(col)
                if bad is not None:
                    cases.append((f"{field['name']}.0.{col['name']}", bad))
        else:
            bad = _bad_value(field)
            if bad is not None:
                cases.append((field["name"], bad))
        for path, bad in cases:
            data = json.loads(json.dumps(config["default"]))
            if ".0." in path:
                table, col = path.split(".0.")
                data[table][0][col] = bad
            else:
                _set(data, path, bad)
            reply = json.loads(api.handle(json.dumps({"id": 1, "calculator": name, "input": data})))
            assert "error" in reply, (path, bad)
            for err in reply["error"]["fields"]:
                assert err["reader"].strip(), err
                assert err["field"] not in err["reader"], err
                assert not re.search(r"\w\[\d+\]|\b[a-z]+_[a-z_]+\b", err["reader"]), err
            checked += 1
    assert checked, "the form has at least one field that can be invalid"


@pytest.mark.parametrize("name", NAMES)
def test_handle_answers_the_worker_protocol(name: str) -> None:
    data = _contract.get(name).default_input()
    reply = json.loads(api.handle(json.dumps({"id": 42, "calculator": name, "input": data})))
    assert reply["id"] == 42
    assert reply["result"] == api.compute(name, data)["result"]
    bad = json.loads(api.handle(json.dumps({"id": 43, "calculator": name, "input": []})))
    assert bad["id"] == 43 and bad["error"]["fields"] and not bad["error"].get("internal")


@pytest.mark.parametrize("name", NAMES)
def test_share_link_round_trip(name: str) -> None:
    data = _contract.get(name).default_input()
    assert share.decode(share.encode(data)) == data


@pytest.mark.parametrize("name", NAMES)
def test_command_line_prints_the_api_result(name: str) -> None:
    data = _contract.get(name).default_input()
    proc = subprocess.run(
        [sys.executable, "-m", "calculators", name, "--input", "-"],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == api.compute(name, data)["result"]
    bad = subprocess.run(
        [sys.executable, "-m", "calculators", name, "--input", "-"],
        input="[]",
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 1 and bad.stderr.startswith("error:"), bad.stderr


def test_help_lists_every_registered_calculator() -> None:
    proc = subprocess.run([sys.executable, "-m", "calculators", "--help"], capture_output=True, text=True, check=True)
    for name in NAMES:
        assert name in proc.stdout
        assert _contract.get(name).DESCRIPTION.split()[0] in proc.stdout


def test_unknown_calculator_is_refused() -> None:
    reply = json.loads(api.handle(json.dumps({"id": 1, "calculator": "nope", "input": {}})))
    assert reply["error"]["fields"][0]["field"] == "calculator"
