"""The three calculators as a reader uses them, checked against the Python API.

Each calculator gets one page for the whole module (a cold Pyodide start costs
8-10 s on a small machine), so the tests of one calculator run in file order on
the same page and each starts from "Reset to the example". A share link opens
in a second page of the same context. Every answer the page shows is compared
with :func:`calculators.api.compute` for the input the page holds (decoded from
its share link): the summary and metric texts must be identical (CPython and
Pyodide run the same numpy 2.0.2), the result dict equal to within 1e-9.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .conftest import RESULTS, new_context, page_input, wait_state

ROOT = "[data-calculator]"
COMPUTE_TIMEOUT = 60_000
#: Records every result the page shows (the root dispatches pb:result; capture sees non-bubbling events).
CAPTURE = "window.__pbResults = []; addEventListener('pb:result', (e) => window.__pbResults.push(e.detail), true);"


# ---------------------------------------------------------------------------- fixtures and helpers


class Calculator:
    """One calculator page shared by the tests of that calculator."""

    def __init__(self, context, page, name: str, server):
        self.context, self.page, self.name, self.server = context, page, name, server
        self.root = page.locator(ROOT)
        self.errors_at_start = 0

    @property
    def errors(self) -> list[str]:
        return self.page.recorder.errors[self.errors_at_start:]

    def computed(self) -> int:
        return int(self.root.get_attribute("data-computed") or 0)

    def wait_computed(self, before: int) -> None:
        """Wait until the page has shown a result newer than count ``before``."""
        self.page.wait_for_function(
            "n => Number(document.querySelector('[data-calculator]').dataset.computed || 0) > n",
            arg=before, timeout=COMPUTE_TIMEOUT)

    def act(self, action) -> None:
        """Do ``action`` and wait for the result it causes."""
        before = self.computed()
        action()
        self.wait_computed(before)

    def reset(self) -> None:
        self.act(lambda: self.root.get_by_role("button", name="Reset to the example").click())

    def field(self, path: str):
        return self.root.locator(f'[data-field="{path}"]')

    def summary(self) -> str:
        return self.root.locator(".pb-calc__result .pb-block--summary").text_content()


def _open(browser, server, request, name: str, url: str | None = None) -> Calculator:
    ctx, rec = new_context(browser, server, request, bypass_csp=True, viewport={"width": 1280, "height": 900},
                           accept_downloads=True)
    ctx.add_init_script(CAPTURE)
    page = ctx.new_page()
    page.recorder = rec
    page.goto(url or server.url + f"calculators/{name}/")
    calc = Calculator(ctx, page, name, server)
    calc.root.scroll_into_view_if_needed()  # the runtime starts when the calculator comes into view
    assert wait_state(page) == "ready", calc.root.locator(".pb-calc__status").text_content()
    return calc


_OPEN: dict[str, Calculator] = {}


@pytest.fixture(scope="module")
def calculators(browser, server, request):
    """Opens each calculator once per module, on first use."""

    def get(name: str) -> Calculator:
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
                try:
                    p.screenshot(path=str(RESULTS / f"{name}-{calc.name}-{i}.png"), full_page=True)
                except Exception:
                    pass


def python_answer(name: str, data: dict) -> dict:
    from calculators import api

    return api.compute(name, json.loads(json.dumps(data)))


def assert_close(got, want, path: str = "result") -> None:
    """Equal JSON, floats to within 1e-9 (relative) or 1e-12 (absolute)."""
    if isinstance(want, float) or isinstance(got, float):
        assert isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), \
            f"{path}: {got!r} != {want!r}"
    elif isinstance(want, dict):
        assert isinstance(got, dict) and got.keys() == want.keys(), f"{path}: keys {sorted(got)} != {sorted(want)}"
        for k in want:
            assert_close(got[k], want[k], f"{path}.{k}")
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{path}: length {len(got)} != {len(want)}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_close(g, w, f"{path}[{i}]")
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"


def metric_values(view: list[dict]) -> list[str]:
    return [i["value"] for b in view if b["type"] == "metrics" for i in b["items"]]


def summary_of(view: list[dict]) -> str:
    return next(b["text"] for b in view if b["type"] == "summary")


def assert_python_answer(calc: Calculator) -> dict:
    """The page shows what the Python API computes for the input in its share link; returns that answer."""
    data = page_input(calc.page)
    want = python_answer(calc.name, data)
    expect(calc.root).to_have_attribute("data-valid", "true")
    expect(calc.root.locator(".pb-calc__result .pb-block--summary")).to_have_text(summary_of(want["view"]))
    assert calc.root.locator(".pb-calc__result .pb-metric__value").all_text_contents() == metric_values(want["view"])
    assert_close(calc.page.evaluate("window.__pbResults.at(-1)"), want["result"])
    return want


def open_share_link(calc: Calculator) -> Calculator:
    """Open the page's current share link in a fresh page of the same context; wait for its first result."""
    url = calc.page.url
    assert "#" in url, "the page holds no share link"
    page = calc.context.new_page()
    page.recorder = calc.page.recorder
    page.goto(url)
    other = Calculator(calc.context, page, calc.name, calc.server)
    other.errors_at_start = len(page.recorder.errors)
    other.root.scroll_into_view_if_needed()
    assert wait_state(page) == "ready"
    other.wait_computed(0)  # a share link is computed as soon as Python is ready
    return other


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
    # Add: an empty row is invalid until filled; each cell says what it misses.
    calc.root.get_by_role("button", name="Add a row").click()
    expect(calc.root).to_have_attribute("data-valid", "false")
    expect(calc.field(f"tasks[{n}].optimistic")).to_have_attribute("aria-invalid", "true")
    # Fill it: a hand-over task after deployment, so the plan gets longer.
    for column, value in (("id", "handover"), ("name", "Hand over to operations"), ("optimistic", "1"),
                          ("most_likely", "2"), ("pessimistic", "5"), ("p_success", "0.9"), ("importance", "3")):
        calc.field(f"tasks[{n}].{column}").fill(value)
    calc.act(lambda: calc.field(f"tasks[{n}].depends_on").fill("deploy"))
    data = page_input(calc.page)
    assert len(data["tasks"]) == n + 1 and data["tasks"][n]["id"] == "handover"
    grown = assert_python_answer(calc)
    assert "Hand over to operations" in json.dumps(grown["result"]["tasks"])
    # Move the new row up one place with its button.
    calc.act(lambda: calc.root.get_by_role("button", name=f"Move row {n + 1} up").click())
    ids = [t["id"] for t in page_input(calc.page)["tasks"]]
    assert ids[n - 1] == "handover" and ids[n] == "deploy"
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
    assert data["tasks"] == example["input"]["tasks"]
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
        ".pb-field__error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("pessimistic")
    assert error.get_attribute("id") in (cell.get_attribute("aria-describedby") or "").split()
    expect(calc.root.locator(".pb-calc__status")).to_contain_text("fix the highlighted field")
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
    with calc.page.expect_download() as info:
        calc.root.get_by_role("button", name="Download the result (JSON)").click()
    download = info.value
    assert download.suggested_filename == "timeline-result.json"
    assert_close(json.loads(Path(download.path()).read_text()), want["result"])
    assert calc.errors == []


# ---------------------------------------------------------------------------- archetype


def scores(answer: dict) -> dict[str, float]:
    return {r["archetype"]: r["score"] for r in answer["result"]["ranking"]}


def test_archetype_changing_an_answer_changes_the_ranking(calculators):
    from calculators import api

    calc = calculators("archetype")
    radio = calc.root.locator('input[data-field="answers.who_does_ml"][value="research_group"]')
    calc.act(lambda: radio.check())
    data = page_input(calc.page)
    assert data["answers"]["who_does_ml"] == "research_group"
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
    focused = page.evaluate("[document.activeElement.dataset.field, document.activeElement.value, "
                            "document.activeElement.checked]")
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


def ranking_rows(calc: Calculator) -> list[list[str]]:
    table = calc.root.locator(".pb-calc__result table", has=calc.page.locator("caption", has_text="ranked"))
    return [r.locator("td").all_text_contents() for r in table.locator("tbody tr").all()]


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


def test_feedback_out_of_range_number_is_flagged_next_to_its_field(calculators):
    calc = calculators("feedback")
    calc.reset()
    field = calc.field("share_correct")
    field.fill("1.5")
    expect(calc.root).to_have_attribute("data-valid", "false", timeout=COMPUTE_TIMEOUT)
    expect(field).to_have_attribute("aria-invalid", "true")
    error = field.locator("xpath=ancestor::*[contains(concat(' ', @class, ' '), ' pb-field ')][1]").locator(
        ".pb-field__error")
    expect(error).to_be_visible()
    expect(error).to_contain_text("between 0.01 and 0.999")
    calc.act(lambda: field.fill("0.8"))
    expect(error).to_be_hidden()
    assert_python_answer(calc)
    assert calc.errors == []
