"""When Python starts: in view or on first touch, never on Save-Data until touched."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import READY_TIMEOUT, wait_state

SAVE_DATA = "Object.defineProperty(navigator, 'connection', {value: {saveData: true}, configurable: true});"
PYTHON_FILES = re.compile(r"/assets/(pyodide|py)/")


def python_requests(server) -> list[str]:
    return [r for r in server.requests if PYTHON_FILES.search(r)]


def test_save_data_waits_for_a_touch_then_shows_honest_progress(make_context, server):
    ctx, rec = make_context(server, viewport={"width": 1280, "height": 2000})
    ctx.add_init_script(SAVE_DATA)
    page = ctx.new_page()
    server.requests.clear()
    page.goto(server.url + "calculators/timeline/")
    root = page.locator("[data-calculator=timeline]")
    expect(root).to_be_in_viewport()
    page.wait_for_timeout(2000)
    assert root.get_attribute("data-state") == "prerendered"
    assert python_requests(server) == [], "Save-Data is on: nothing of Python before a touch"
    root.locator('[data-field="tasks[0].optimistic"]').focus()
    expect(root).to_have_attribute("data-state", re.compile("^(loading|ready)$"), timeout=1000)
    status = root.locator(".pb-calc__status")
    if root.get_attribute("data-state") == "loading":
        expect(status).to_contain_text(re.compile(r"(Downloading the Python runtime|Loading numpy).*MB|Starting"),
                                       timeout=1000)
    assert wait_state(page, timeout=READY_TIMEOUT) == "ready"
    assert python_requests(server), "Python was fetched after the touch"
    assert rec.errors == [] and rec.foreign == []


def test_a_calculator_below_the_fold_starts_python_only_when_scrolled_to(make_context, server):
    ctx, rec = make_context(server, viewport={"width": 390, "height": 500})
    page = ctx.new_page()
    server.requests.clear()
    page.goto(server.url + "calculators/feedback/")
    root = page.locator("[data-calculator=feedback]")
    expect(root).not_to_be_in_viewport()
    page.wait_for_timeout(2000)
    assert root.get_attribute("data-state") == "prerendered"
    assert python_requests(server) == []
    root.scroll_into_view_if_needed()
    assert wait_state(page, timeout=READY_TIMEOUT) == "ready"
    assert rec.errors == [] and rec.foreign == []
