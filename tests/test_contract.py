"""The calculator contract, checked once for every registered calculator.

Each test reads the registry and what each calculator says of itself (its form,
default input and examples), never this playbook's own content, so a fork that
edits the data files or adds a calculator keeps these tests meaningful. The
layout of each calculator's modules is checked in test_contract_layout.py.
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import json
import re
import subprocess
import sys
import types
from collections.abc import Iterator
from typing import Any, get_type_hints

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


# ----------------------------------------------------------------- the protocol: names, shapes and behaviour

_METHODS = {n: f for n, f in vars(_contract.Calculator).items() if inspect.isfunction(f) and not n.startswith("_")}
_ATTRIBUTES = {n: t for n, t in get_type_hints(_contract.Calculator).items() if n not in _METHODS}


def _arity(fn: Any) -> tuple[int, int] | None:
    """(required, accepted) positional parameters of ``fn``; None if it is not a plain callable."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return None
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    required = [p for p in positional if p.default is p.empty]
    if any(p.kind == p.KEYWORD_ONLY and p.default is p.empty for p in params):
        return None  # a required keyword the front ends never pass
    many = any(p.kind == p.VAR_POSITIONAL for p in params)
    return len(required), (10**6 if many else len(positional))


def _shape_problems(calc: Any) -> list[str]:
    """What is wrong with ``calc`` as a :class:`calculators._contract.Calculator`: each member's
    name, its shape (constants' types, each function's positional parameters as the Protocol
    declares them) and what it returns for the calculator's own default input."""
    out: list[str] = []
    for name, fn in _METHODS.items():
        want = len(inspect.signature(fn).parameters) - 1  # without self
        got = _arity(getattr(calc, name, None))
        if got is None or not got[0] <= want <= got[1] or got[0] != want:
            out.append(f"{name} must take {want} positional argument(s), as the Protocol declares")
    for name in ("NAME", "TITLE", "DESCRIPTION", "CHARTS_MODULE"):
        value = getattr(calc, name, None)
        if not isinstance(value, str) or not value.strip():
            out.append(f"{name} must be a non-empty str")
    blank = getattr(calc, "blank_input", None)
    if blank is not None and _arity(blank) != (0, 0):
        out.append("blank_input must be None or a function of no arguments")
    if out:
        return out  # calling members of the wrong shape proves nothing more
    form, default = calc.form(), calc.default_input()
    if not isinstance(form, list) or not all(isinstance(f, dict) and "type" in f for f in form):
        out.append("form() must return a list of field dicts")
    examples = calc.examples()
    if not isinstance(examples, list) or not all({"id", "label", "input"} <= set(e) for e in examples):
        out.append("examples() must return [{id, label, input}]")
    for label, data in [("default", default)] + ([("blank", blank())] if blank is not None else []):
        if not isinstance(data, dict):
            out.append(f"the {label} input must be a dict")
            continue
        parsed = calc.parse(data)
        if not dataclasses.is_dataclass(parsed) or not parsed.__dataclass_params__.frozen:  # type: ignore[union-attr]
            out.append(f"parse({label}) must return a frozen dataclass, not {type(parsed).__name__}")
            continue
        result = calc.compute(parsed)
        if not isinstance(result, _contract.Result):
            out.append(f"compute(parse({label})) must return a calculators._contract.Result")
            continue
        view = calc.render(result)
        if not isinstance(view, list) or not all(isinstance(b, dict) and "type" in b for b in view):
            out.append(f"render() of the {label} result must return a list of view blocks")
    if not isinstance(getattr(importlib.import_module(calc.CHARTS_MODULE), "TEMPLATES", None), dict):
        out.append("CHARTS_MODULE must name a module with a TEMPLATES dict")
    return out


@pytest.mark.parametrize("name", NAMES)
def test_module_has_every_member_of_the_protocol_in_its_shape(name: str) -> None:
    calc = _contract.get(name)
    assert isinstance(calc, _contract.Calculator)  # the names
    assert name == calc.NAME
    assert set(_ATTRIBUTES) >= {"NAME", "TITLE", "DESCRIPTION", "CHARTS_MODULE", "blank_input"}
    assert _shape_problems(calc) == []


def _broken(name: str, **members: Any) -> types.ModuleType:
    """A copy of calculator ``name``'s module with ``members`` replaced."""
    copy = types.ModuleType(f"broken_{name}")
    vars(copy).update({k: v for k, v in vars(_contract.get(name)).items() if not k.startswith("__")}, **members)
    return copy


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    ("member", "wrong"),
    [
        ("parse", lambda data, knowledge, strict: data),  # a parameter the front ends never pass
        ("render", lambda: []),  # takes no result
        ("form", [{"type": "number"}]),  # a value, not a function
        ("NAME", 7),
        ("blank_input", lambda required: {}),
        ("compute", lambda inputs: {"result": 1}),  # right signature, a dict instead of a Result
        ("parse", lambda data: dict(data)),  # right signature, a mutable dict instead of a frozen input
    ],
    ids=[
        "parse-extra-argument",
        "render-no-result",
        "form-not-callable",
        "name-not-str",
        "blank-takes-an-argument",
        "compute-returns-a-dict",
        "parse-returns-a-dict",
    ],
)
def test_a_member_with_the_right_name_but_the_wrong_shape_is_refused(name: str, member: str, wrong: Any) -> None:
    """The Protocol's isinstance check looks at names only: the shape check must refuse these copies."""
    copy = _broken(name, **{member: wrong})
    assert isinstance(copy, _contract.Calculator)  # names only: fooled
    assert _shape_problems(copy), member


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


@pytest.mark.parametrize(
    "link",
    [
        "https://example.org/calculators/x/?utm=1#{frag}",  # a query string before the fragment
        "https://example.org/calculators/x/#top&{frag}",  # other fragment parameters first
        "{frag}",  # the bare fragment
        "  https://example.org/calculators/x/#{frag}&more=1  ",  # spaces around, parameters after
    ],
)
def test_share_link_fragment_is_read_wherever_it_sits(link: str) -> None:
    data = {"answers": {"q": "a"}, "text": ">>>???~~~"}  # its base64url holds "-" and "_" ("+" and "/")
    frag = share.encode(data)
    assert "-" in frag and "_" in frag
    assert share.decode(link.format(frag=frag)) == data
    standard = frag.replace("-", "+").replace("_", "/")  # the page also reads standard base64 ("+", "/")
    assert share.decode(link.format(frag=standard)) == data


def test_pasted_links_are_decoded_at_the_edge_line_by_line() -> None:
    link = "https://example.org/calculators/archetype/#" + share.encode({"answers": {}})
    lines = share.decode_lines(f'{link}\n\n  \nnot a link\n{{"answers": {{}}}}', field="merge")
    assert [(e["line"], "input" in e) for e in lines] == [(1, True), (4, False), (5, True)]
    with pytest.raises(share.InputError, match="the limit is"):
        share.decode_lines("x" * (share.MAX_LINES_TEXT + 1), field="merge")


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
