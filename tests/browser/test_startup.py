"""When Python starts: in view or on first touch, never on Save-Data until touched.

"Nothing started" is checked once the page has settled: its form is built and
the network has been idle (Playwright's ``networkidle``), so the check does not
depend on how fast a busy machine runs the page. The status lines a start
shows are recorded as they change, so none is missed however quickly the
runtime loads.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .conftest import READY_TIMEOUT, wait_state

SAVE_DATA = "Object.defineProperty(navigator, 'connection', {value: {saveData: true}, configurable: true});"
RECORD_STATUS = """
window.__statuses = [];
new MutationObserver(() => {
  const el = document.querySelector('[data-calculator] .pb-calc__status');
  const text = el && el.textContent.trim();
  if (text && window.__statuses.at(-1) !== text) window.__statuses.push(text);
}).observe(document, {subtree: true, childList: true, characterData: true});
"""
#: Anything that means Python is starting: the worker, the runtime, our wheel and lock.
PYTHON_FILES = re.compile(r"/assets/(pyodide|py)/|/worker\.mjs")
PROGRESS = re.compile(r"[\d.]+ of [\d.]+ MB")  # "Loading the calculator: 5.6 of 16 MB"


def python_requests(server) -> list[str]:
    return [r for r in server.requests if PYTHON_FILES.search(r)]


def settle(page, root) -> None:
    """The calculator is mounted (its form is built) and the page has stopped fetching."""
    expect(root.locator("[data-field]").first).to_be_attached()
    page.wait_for_load_state("networkidle")


def test_save_data_waits_for_a_touch_then_shows_honest_progress(make_context, server):
    ctx, rec = make_context(server, bypass_csp=True, viewport={"width": 1280, "height": 2000})
    ctx.add_init_script(SAVE_DATA)
    ctx.add_init_script(RECORD_STATUS)
    page = ctx.new_page()
    server.requests.clear()
    page.goto(server.url + "calculators/timeline/")
    root = page.locator("[data-calculator=timeline]")
    expect(root).to_be_in_viewport()
    settle(page, root)
    assert root.get_attribute("data-state") == "prerendered"
    assert python_requests(server) == [], "Save-Data is on: nothing of Python before a touch"
    root.locator("[data-field]").first.focus()
    assert wait_state(page, timeout=READY_TIMEOUT) == "ready"
    assert python_requests(server), "Python was fetched after the touch"
    statuses = page.evaluate("window.__statuses")
    assert any(PROGRESS.search(s) for s in statuses), f"no progress line while Python loaded: {statuses}"
    assert rec.errors == [] and rec.foreign == []


def test_a_calculator_below_the_fold_starts_python_only_when_scrolled_to(make_context, server):
    ctx, rec = make_context(server, viewport={"width": 390, "height": 500})
    page = ctx.new_page()
    server.requests.clear()
    page.goto(server.url + "calculators/feedback/")
    root = page.locator("[data-calculator=feedback]")
    expect(root).not_to_be_in_viewport()
    settle(page, root)
    assert root.get_attribute("data-state") == "prerendered"
    assert python_requests(server) == []
    root.scroll_into_view_if_needed()
    assert wait_state(page, timeout=READY_TIMEOUT) == "ready"
    assert python_requests(server)
    assert rec.errors == [] and rec.foreign == []


def test_a_returning_reader_gets_python_at_once_but_only_for_the_same_runtime(make_context, server):
    """After one start, a later visit starts Python during page load even below the fold
    (its files are in the browser's cache); a visit after the runtime changed does not."""
    ctx, rec = make_context(server, viewport={"width": 390, "height": 500})
    page = ctx.new_page()
    page.goto(server.url + "calculators/feedback/")
    root = page.locator("[data-calculator=feedback]")
    root.scroll_into_view_if_needed()
    assert wait_state(page, timeout=READY_TIMEOUT) == "ready"
    page.close()

    again = ctx.new_page()
    server.requests.clear()
    again.goto(server.url + "calculators/feedback/")
    root = again.locator("[data-calculator=feedback]")
    expect(root).not_to_be_in_viewport()
    assert wait_state(again, timeout=READY_TIMEOUT) == "ready", "Python started without a scroll"
    expect(root).not_to_be_in_viewport()
    assert python_requests(server)

    # Another build's runtime (another lock file): back to starting when in view.
    again.evaluate("localStorage.setItem('pb:runtime-started', new URL('other-lock.json', location.href).href)")
    again.close()
    third = ctx.new_page()
    server.requests.clear()
    third.goto(server.url + "calculators/feedback/")
    root = third.locator("[data-calculator=feedback]")
    settle(third, root)
    assert root.get_attribute("data-state") == "prerendered"
    assert python_requests(server) == []
    assert rec.errors == [] and rec.foreign == []
