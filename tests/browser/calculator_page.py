"""A calculator page as the browser tests drive it, and the Python answer it must show.

:class:`Calculator` wraps one open calculator page (its root, its result count,
"Reset to the example", a field by its input path); ``_open`` opens one in a
fresh browser context and waits until Python is ready. ``assert_python_answer``
checks that the page shows what :func:`calculators.api.compute` returns for the
input in its share link: summary and metric texts identical, the result dict
equal to within 1e-9. The rest read a ranking (its scores, its table rows) and
walk the form schema the page carries (every field, the percent fields, a
field's error message). Not a test module: the tests in test_calculators.py and
test_calculator_blank_start.py import it.
"""

from __future__ import annotations

import json
import math

from playwright.sync_api import expect

from .conftest import new_context, page_input, wait_state
from .schema import page_config

ROOT = "[data-calculator]"
COMPUTE_TIMEOUT = 60_000
#: Records every result the page shows (the root dispatches pb:result; capture sees non-bubbling events).
CAPTURE = "window.__pbResults = []; addEventListener('pb:result', (e) => window.__pbResults.push(e.detail), true);"


def wait_settled(page, before: int, timeout: int = COMPUTE_TIMEOUT) -> None:
    """Wait until the page has shown a result newer than count ``before`` and no edit waits
    for its own (``data-pending``): an earlier edit's result does not stand for this one's."""
    page.wait_for_function(
        """n => {
          const root = document.querySelector('[data-calculator]');
          return Number(root.dataset.computed || 0) > n && !root.dataset.pending;
        }""",
        arg=before,
        timeout=timeout,
    )


class Calculator:
    """One calculator page shared by the tests of that calculator."""

    def __init__(self, context, page, name: str, server):
        self.context, self.page, self.name, self.server = context, page, name, server
        self.root = page.locator(ROOT)
        self.errors_at_start = 0

    @property
    def errors(self) -> list[str]:
        return self.page.recorder.errors[self.errors_at_start :]

    def computed(self) -> int:
        return int(self.root.get_attribute("data-computed") or 0)

    def wait_computed(self, before: int) -> None:
        wait_settled(self.page, before)

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
    ctx, rec = new_context(
        browser, server, request, bypass_csp=True, viewport={"width": 1280, "height": 900}, accept_downloads=True
    )
    ctx.add_init_script(CAPTURE)
    page = ctx.new_page()
    page.recorder = rec
    page.goto(url or server.url + f"calculators/{name}/")
    calc = Calculator(ctx, page, name, server)
    calc.root.scroll_into_view_if_needed()  # the runtime starts when the calculator comes into view
    assert wait_state(page) == "ready", calc.root.locator(".pb-calc__status").text_content()
    return calc


def python_answer(name: str, data: dict) -> dict:
    from calculators import api

    return api.compute(name, json.loads(json.dumps(data)))


def assert_close(got, want, path: str = "result") -> None:
    """Equal JSON, floats to within 1e-9 (relative) or 1e-12 (absolute)."""
    if isinstance(want, float) or isinstance(got, float):
        assert isinstance(got, (int, float)) and math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), (
            f"{path}: {got!r} != {want!r}"
        )
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


def scores(answer: dict) -> dict[str, float]:
    return {r["archetype"]: r["score"] for r in answer["result"]["ranking"]}


def ranking_rows(calc: Calculator) -> list[list[str]]:
    table = calc.root.locator(".pb-calc__result table", has=calc.page.locator("caption", has_text="ranked"))
    return [r.locator("td").all_text_contents() for r in table.locator("tbody tr").all()]


def reveal(control) -> None:
    """Open the collapsed groups around a field, as a reader would to reach it."""
    control.evaluate(
        "e => { for (let d = e.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }"
    )


def field_error(calc: Calculator, edit) -> object:
    control = calc.root.locator(edit.selector)
    return control.locator("xpath=ancestor::*[contains(concat(' ', @class, ' '), ' pb-field ')][1]").locator(
        ".pb-field__error"
    )


def _all_names(schema):
    for f in schema:
        if f["type"] == "group":
            yield from _all_names(f["fields"])
        else:
            yield f
            yield from f.get("columns", [])


def _percent_fields(name):
    config = page_config(name)
    for f in _all_names(config["form"]):
        if f.get("percent"):
            rows = [t for t in flat_tables(config["form"]) if f in t["columns"]]
            path = f"{rows[0]['name']}[0].{f['name']}" if rows else f["name"]
            yield path, f


def flat_tables(schema):
    return [f for f in _all_names(schema) if f["type"] == "table"]


def _first_percent_fields(name):
    """The first percent field outside any table, and the first in a table (one of each kind is enough)."""
    seen = set()
    for path, f in _percent_fields(name):
        kind = "[" in path
        if kind not in seen:
            seen.add(kind)
            yield path, f
