"""The three calculators as a reader uses them, checked against the Python API.

Each calculator gets one page for the whole module (a cold Pyodide start costs
8-10 s on a small machine), so the tests of one calculator run in file order on
the same page and each starts from "Reset to the example". A share link opens
in a second page of the same context. Every answer the page shows is compared
with :func:`calculators.api.compute` for the input the page holds (decoded from
its share link): the summary and metric texts must be identical (CPython and
Pyodide run the same numpy 2.0.2), the result dict equal to within 1e-9. Every
test that uses the shared pages (the ``calculators`` fixture) lives in this
file; the page driver is tests/browser/calculator_page.py.
"""

from __future__ import annotations

import contextlib
import json
import math
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .calculator_page import (
    COMPUTE_TIMEOUT,
    Calculator,
    _all_names,
    _first_percent_fields,
    _open,
    assert_close,
    assert_python_answer,
    field_error,
    open_share_link,
    ranking_rows,
    reveal,
    scores,
    summary_of,
)
from .conftest import RESULTS, draw_charts, page_input
from .schema import invalid_edits, names, page_config

# ---------------------------------------------------------------------------- fixtures: the shared pages


_OPEN: dict[str, Calculator] = {}


@pytest.fixture(scope="module")
def calculators(browser, server, request):
    """Opens each calculator once per module, on first use."""

    def get(name: str) -> Calculator:
        if name not in names():
            pytest.skip(f"no calculator {name!r} in the registry (a fork removed it)")
        if name not in _OPEN:
            _OPEN[name] = _open(browser, server, request, name)
        calc = _OPEN[name]
        calc.errors_at_start = len(calc.page.recorder.errors)
        return calc

    yield get
    for calc in _OPEN.values():
        calc.context.close()
    _OPEN.clear()


@pytest.fixture(autouse=True)
def _screenshot_shared_pages_on_failure(request):
    yield
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)[-100:]
        for calc in _OPEN.values():
            for i, p in enumerate(calc.context.pages):
                with contextlib.suppress(Exception):  # a closed page has nothing to show
                    p.screenshot(path=str(RESULTS / f"{name}-{calc.name}-{i}.png"), full_page=True)


# ---------------------------------------------------------------------------- timeline


def test_timeline_edit_a_number_cell(calculators):
    from calculators import api

    calc = calculators("timeline")
    default = api.compute("timeline", api.get("timeline").default_input())
    assert calc.summary() == summary_of(default["view"]), "the prerendered result is the default input's"
    before = calc.summary()
    calc.act(lambda: calc.field("tasks[1].most_likely").fill("6"))
    assert page_input(calc.page)["tasks"][1]["most_likely"] == 6
    assert_python_answer(calc)
    assert calc.summary() != before
    assert calc.errors == [] and calc.page.recorder.foreign == []


def test_timeline_add_fill_move_and_remove_rows(calculators):
    calc = calculators("timeline")
    calc.reset()
    n = len(page_input(calc.page)["tasks"])
    last = page_input(calc.page)["tasks"][-1]["id"]  # the plan's last task, whatever a fork calls it
    # Add: an empty row is invalid until filled; each cell says what it misses.
    calc.root.get_by_role("button", name="Add a row").first.click()  # the task table's
    # The new row is incomplete, but shows no errors before the reader has touched it.
    expect(calc.root).to_have_attribute("data-valid", "false", timeout=COMPUTE_TIMEOUT)
    expect(calc.root.locator(".pb-calc__status")).to_contain_text("Fill in the new row")
    expect(calc.field(f"tasks[{n}].optimistic")).not_to_have_attribute("aria-invalid", "true")
    expect(calc.root.locator(".pb-field__error:visible")).to_have_count(0)
    # Fill it: a hand-over task after the last one, so the plan gets longer.
    for column, value in (
        ("id", "handover"),
        ("name", "Hand over to operations"),
        ("optimistic", "1"),
        ("most_likely", "2"),
        ("pessimistic", "5"),
        ("p_success", "0.9"),
        ("importance", "3"),
    ):
        calc.field(f"tasks[{n}].{column}").fill(value)
    calc.act(lambda: calc.field(f"tasks[{n}].depends_on").fill(last))
    data = page_input(calc.page)
    assert len(data["tasks"]) == n + 1 and data["tasks"][n]["id"] == "handover"
    grown = assert_python_answer(calc)
    assert "Hand over to operations" in json.dumps(grown["result"]["tasks"])
    # Move the new row up one place with its button.
    calc.act(lambda: calc.root.get_by_role("button", name=f"Move row {n + 1} up").click())
    ids = [t["id"] for t in page_input(calc.page)["tasks"]]
    assert ids[n - 1] == "handover" and ids[n] == last
    assert_python_answer(calc)
    # Remove it: back to the example's plan and its result.
    calc.act(lambda: calc.root.get_by_role("button", name=f"Remove row {n}").click())
    assert [t["id"] for t in page_input(calc.page)["tasks"]] == ids[: n - 1] + ids[n:]
    assert_python_answer(calc)
    assert calc.errors == []


def test_timeline_example_select_and_share_link(calculators):
    from calculators import timeline

    calc = calculators("timeline")
    calc.reset()
    example = timeline.examples()[1]
    calc.act(lambda: calc.root.get_by_label("Start from an example").select_option(example["id"]))
    data = page_input(calc.page)
    # the page spells out what the example leaves to defaults (required, status)
    assert [{k: t[k] for k in e} for t, e in zip(data["tasks"], example["input"]["tasks"], strict=True)] == example[
        "input"
    ]["tasks"]
    want = assert_python_answer(calc)
    # The share link of this state reproduces it in a fresh page.
    other = open_share_link(calc)
    try:
        assert page_input(other.page) == data
        expect(other.root.locator(".pb-calc__result .pb-block--summary")).to_have_text(summary_of(want["view"]))
        assert assert_python_answer(other)["result"] == want["result"]
        assert other.errors == []
    finally:
        other.page.close()
    assert calc.errors == []


def test_timeline_bad_input_is_flagged_next_to_its_cell(calculators):
    calc = calculators("timeline")
    calc.reset()
    shown = calc.summary()
    cell = calc.field("tasks[0].pessimistic")
    optimistic = float(calc.field("tasks[0].optimistic").input_value())
    cell.fill(str(optimistic - 1))  # pessimistic below optimistic (and most likely)
    expect(calc.root).to_have_attribute("data-valid", "false", timeout=COMPUTE_TIMEOUT)
    expect(cell).to_have_attribute("aria-invalid", "true")
    error = cell.locator("xpath=ancestor::*[contains(concat(' ', @class, ' '), ' pb-field ')][1]").locator(
        ".pb-field__error"
    )
    expect(error).to_be_visible()
    expect(error).to_contain_text(re.compile("pessimistic", re.I))
    assert error.get_attribute("id") in (cell.get_attribute("aria-describedby") or "").split()
    expect(calc.root.locator(".pb-calc__status .pb-calc__first-error")).to_have_text("Pessimistic, row 1")
    assert calc.summary() == shown, "the last valid result stays"
    # Fixing the cell clears the message.
    calc.act(lambda: cell.fill(str(optimistic + 5)))
    expect(error).to_be_hidden()
    expect(cell).not_to_have_attribute("aria-invalid", "true")
    assert_python_answer(calc)
    assert calc.errors == []


def test_timeline_result_json_download_equals_python(calculators):
    calc = calculators("timeline")
    calc.reset()
    calc.act(lambda: calc.field("tasks[2].pessimistic").fill("8"))
    want = assert_python_answer(calc)
    # The charts above the buttons draw as they come into view and change the page's height:
    # drawn first, the button stays where the click lands.
    draw_charts(calc.page)
    with calc.page.expect_download() as info:
        calc.root.get_by_role("button", name="Download the result (JSON)").click()
    download = info.value
    assert download.suggested_filename == "timeline-result.json"
    assert_close(json.loads(Path(download.path()).read_text()), want["result"])
    assert calc.errors == []


# ---------------------------------------------------------------------------- archetype


def test_archetype_changing_an_answer_changes_the_ranking(calculators):
    from calculators import api

    calc = calculators("archetype")
    default_answers = api.get("archetype").default_input()["answers"]
    question = next(f for f in api.page_config("archetype")["form"] if f["type"] == "radio")
    other = next(o["value"] for o in question["options"] if o["value"] != default_answers.get(question["name"][8:]))
    radio = calc.root.locator(f'input[data-field="{question["name"]}"][value="{other}"]')
    calc.act(lambda: radio.check())
    data = page_input(calc.page)
    assert data["answers"][question["name"][8:]] == other
    after = assert_python_answer(calc)
    default = api.compute("archetype", api.get("archetype").default_input())
    assert scores(after) != scores(default)
    # The bar chart is redrawn with the new scores.
    alt = calc.root.locator('.pb-chart[data-chart="archetype_scores"] .pb-chart__alt').text_content()
    assert alt == next(b["alt"] for b in after["view"] if b.get("chart") == "archetype_scores")
    assert calc.errors == [] and calc.page.recorder.foreign == []


def test_archetype_share_link_reproduces_the_result(calculators):
    calc = calculators("archetype")
    calc.reset()
    calc.act(lambda: calc.root.locator('input[data-field="answers.compute"][value="shared_platform"]').check())
    calc.act(lambda: calc.root.get_by_label("Where would you like to be?").select_option("ml_first"))
    want = assert_python_answer(calc)
    other = open_share_link(calc)
    try:
        assert page_input(other.page) == page_input(calc.page)
        assert scores(assert_python_answer(other)) == scores(want)
        expect(other.root.locator('input[data-field="answers.compute"][value="shared_platform"]')).to_be_checked()
        assert other.errors == []
    finally:
        other.page.close()


def test_archetype_works_from_the_keyboard(calculators):
    calc = calculators("archetype")
    calc.reset()
    page = calc.page
    # Tab from the first question lands on the checked answer of the second.
    calc.root.locator('input[data-field="answers.who_does_ml"]:checked').focus()
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "[document.activeElement.dataset.field, document.activeElement.value, document.activeElement.checked]"
    )
    start = page_input(page)["answers"]["reporting"]
    assert focused == ["answers.reporting", start, True]
    # An arrow key picks the next answer, and the result follows.
    calc.act(lambda: page.keyboard.press("ArrowDown"))
    values = calc.root.locator('input[data-field="answers.reporting"]').evaluate_all("els => els.map(e => e.value)")
    assert page_input(page)["answers"]["reporting"] == values[values.index(start) + 1]
    assert page.evaluate("document.activeElement.value") == values[values.index(start) + 1]
    assert_python_answer(calc)
    assert calc.errors == []


# ---------------------------------------------------------------------------- feedback


def test_feedback_a_change_reranks_the_mechanisms(calculators):
    from calculators import api

    calc = calculators("feedback")
    default = api.compute("feedback", api.get("feedback").default_input())
    calc.act(lambda: calc.root.get_by_label("Interface", exact=True).select_option("voice"))
    assert page_input(calc.page)["interface"] == "voice"
    after = assert_python_answer(calc)
    order = [r["mechanism"] for r in after["result"]["ranking"]]
    assert order != [r["mechanism"] for r in default["result"]["ranking"]]
    table = next(b for b in after["view"] if b["type"] == "table" and "ranked" in b["caption"])
    assert ranking_rows(calc) == table["rows"]
    assert calc.errors == [] and calc.page.recorder.foreign == []


def test_feedback_share_link_reproduces_the_result(calculators):
    calc = calculators("feedback")
    calc.reset()
    calc.act(lambda: calc.field("cost_wrong").fill("3"))
    calc.act(lambda: calc.root.get_by_label("A review team").check())
    want = assert_python_answer(calc)
    other = open_share_link(calc)
    try:
        assert page_input(other.page) == page_input(calc.page)
        assert_close(assert_python_answer(other)["result"], want["result"])
        assert other.errors == []
    finally:
        other.page.close()


# ---------------------------------------------------------------------------- every calculator, from its schema
# These read the calculators from the registry and their fields from the form
# schema the page carries: they hold for any calculator a fork adds.

INVALID = [(name, edit) for name in names() for edit in invalid_edits(name)]
#: An input path as a program writes it: tasks[0], answers.reporting, share_correct.
QUOTED_ID = re.compile(r"'[a-z0-9]+(?:[_-][a-z0-9]+)*'")
SCIENTIFIC = re.compile(r"\d[eE][+-]?\d")
PATHLIKE = re.compile(r"\w\[\d+\]|\b[a-z]+(?:_[a-z0-9]+)+\b|\b[a-z_]+\.[a-z_]+\b")


@pytest.mark.parametrize(("name", "edit"), INVALID, ids=[f"{n}-{e.kind}" for n, e in INVALID])
def test_messages_name_the_field_by_its_label_never_by_its_input_path(calculators, name, edit):
    calc = calculators(name)
    calc.reset()
    control = calc.root.locator(edit.selector)
    reveal(control)
    control.fill(edit.value)
    expect(control).to_have_attribute("aria-invalid", "true", timeout=COMPUTE_TIMEOUT)
    error = field_error(calc, edit)
    expect(error).to_be_visible()
    text = error.text_content().strip()
    names_in_schema = {f["name"] for f in _all_names(page_config(name)["form"])}
    assert edit.label.split(",")[0].lower() in text.lower(), f"{edit.kind}: {text!r} does not name {edit.label!r}"
    assert not PATHLIKE.search(text), f"{edit.kind}: {text!r} reads like an input path"
    assert not any(n in text for n in names_in_schema if "_" in n or "." in n), text
    assert not QUOTED_ID.search(text), f"{edit.kind}: {text!r} quotes an id"
    assert not SCIENTIFIC.search(text), f"{edit.kind}: {text!r} writes a number as a program does"
    # The status line names the first invalid field; its link moves focus there.
    link = calc.root.locator(".pb-calc__status .pb-calc__first-error")
    expect(link).to_be_visible()
    assert not PATHLIKE.search(link.text_content()), link.text_content()
    link.click()
    focused = calc.page.evaluate(
        "[document.activeElement.dataset.field, document.activeElement.getAttribute('aria-invalid')]"
    )
    assert focused == [edit.path, "true"], f"the status link moved focus to {focused}"
    calc.reset()
    expect(calc.root).to_have_attribute("data-valid", "true")
    assert calc.errors == []


# Only calculators whose form has a field a reader can make invalid (the archetype's
# questions are all choices: nothing typed there can be invalid).
@pytest.mark.parametrize("name", [n for n in names() if invalid_edits(n)])
def test_while_inputs_are_invalid_the_last_valid_result_stays_marked_stale(calculators, name):
    cases = invalid_edits(name)
    calc = calculators(name)
    calc.reset()
    shown = calc.summary()
    result = calc.root.locator(".pb-calc__result")
    reveal(calc.root.locator(cases[0].selector))
    calc.root.locator(cases[0].selector).fill(cases[0].value)
    expect(calc.root).to_have_attribute("data-valid", "false", timeout=COMPUTE_TIMEOUT)
    expect(result).to_have_class(re.compile(r"pb-calc__result--stale"))
    stale = result.locator(".pb-calc__stale")
    expect(stale).to_be_visible()
    expect(stale).to_contain_text("last valid inputs")
    assert calc.summary() == shown, "the last valid result stays on screen"
    opacity = float(result.locator(".pb-block--summary").evaluate("e => getComputedStyle(e).opacity"))
    assert opacity < 0.8, f"the stale result is not dimmed (opacity {opacity})"
    calc.reset()
    expect(result).not_to_have_class(re.compile(r"pb-calc__result--stale"))
    expect(stale).to_have_count(0)
    assert_python_answer(calc)


RADIOS = [
    (name, f)
    for name in names()
    for f in (lambda s: [x for x in _all_names(s) if x["type"] == "radio" and x.get("optional")])(
        page_config(name)["form"]
    )
]


@pytest.mark.parametrize(
    "name",
    sorted({n for n, _ in RADIOS})
    or [pytest.param("none", marks=pytest.mark.skip(reason="no calculator has an optional radio"))],
)
def test_every_optional_question_offers_not_sure_which_leaves_it_out(calculators, name):
    calc = calculators(name)
    calc.reset()
    fields = [f for n, f in RADIOS if n == name]
    for f in fields:
        group = calc.root.locator(f'fieldset:has(input[data-field="{f["name"]}"])')
        unsure = group.get_by_role("radio", name="Not sure")
        expect(unsure).to_have_count(1)
    # Choosing "Not sure" clears the answer: the key leaves the input, and the result follows.
    f = fields[0]
    group = calc.root.locator(f'fieldset:has(input[data-field="{f["name"]}"])')
    calc.act(lambda: group.get_by_role("radio", name="Not sure").check())
    key = f["name"].split(".")
    data = page_input(calc.page)
    for k in key[:-1]:
        data = data.get(k, {})
    assert key[-1] not in data, f"{f['name']} is still in the input after Not sure"
    assert_python_answer(calc)
    # And an answer can be chosen again.
    calc.act(lambda: group.locator("input[type=radio]").first.check())
    assert_python_answer(calc)
    assert calc.errors == []


PERCENTS = [(name, path, f) for name in names() for path, f in _first_percent_fields(name)]


@pytest.mark.parametrize(
    ("name", "path", "field"),
    PERCENTS or [pytest.param("", "", {}, marks=pytest.mark.skip(reason="no calculator has a percent field"))],
    ids=[p for _, p, _ in PERCENTS] or ["none"],
)
def test_a_percent_field_shows_its_unit_and_reads_what_a_person_types(calculators, name, path, field):
    calc = calculators(name)
    calc.reset()
    control = calc.field(path)
    reveal(control)
    unit = control.locator("xpath=ancestor::*[contains(concat(' ', @class, ' '), ' pb-field ')][1]")
    if "[" not in path:
        expect(unit.locator(".pb-field__unit")).to_have_text("%")
    mid = round((field["min"] + field["max"]) / 2, 2)
    typed = [f"{mid * 100:g}", f"{mid * 100:g}%", f"{mid * 100:g} %"] + ([repr(mid)] if 0 < mid < 1 else [])
    for text in typed:
        calc.act(lambda text=text: control.fill(text))
        data = page_input(calc.page)
        for key in re.split(r"\.|\[(\d+)\]\.?", path):
            if key:
                data = data[int(key)] if key.isdigit() else data[key]
        assert math.isclose(data, mid, abs_tol=1e-9), f"{text!r} was read as {data!r}, not {mid!r}"
        assert_python_answer(calc)
    assert calc.errors == []
