"""The timeline page as a manager re-forecasts with it: recording forecasts, the status update, plans kept in
the browser, a storage the browser refuses, tracker imports, and the plan files made on click.

Each test opens its own page (a fresh browser context, so nothing stored leaks between tests unless the test
reopens the page in the same context on purpose) and waits for the state its step causes: a recorded row in
the page's input, a count of results, a notice's text. Expectations come from the Python API.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from .calculator_page import wait_settled
from .conftest import draw_charts, page_input, python_view, wait_state

TIMEOUT = 90_000  # ms: a download under a loaded CI machine (failed at the 30 s default with both cores busy)

pytestmark = pytest.mark.browser

COMPUTE = 60_000
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "trackers"
ROOT = "[data-calculator=timeline]"


#: The browser's storage holds the current plan with this text in it.
STORED = "(text) => (localStorage.getItem('playbook:plans:timeline') || '').includes(text)"


def open_timeline(page, server, hash_: str = ""):
    page.goto(server.url + "calculators/timeline/" + hash_)
    root = page.locator(ROOT)
    root.scroll_into_view_if_needed()
    assert wait_state(page) == "ready"
    return root


def computed(root) -> int:
    return int(root.get_attribute("data-computed") or 0)


def wait_computed(page, before: int) -> None:
    wait_settled(page, before, timeout=COMPUTE)


def act(page, root, action) -> None:
    before = computed(root)
    action()
    wait_computed(page, before)


def summary(root) -> str:
    return root.locator(".pb-calc__result .pb-block--summary").inner_text()


def test_record_a_forecast_and_reload_keeps_the_history(context, server):
    page = context.new_page()
    root = open_timeline(page, server)
    act(page, root, lambda: root.locator("[data-field='tasks[1].most_likely']").fill("5"))
    root.get_by_label("Note for this forecast").fill("labels slower than hoped")
    act(page, root, lambda: root.get_by_role("button", name="Record this forecast").click())
    data = page_input(page)
    rows = [r for r in data["history"] if r]
    assert len(rows) == 1 and rows[0]["note"] == "labels slower than hoped"
    want = python_view("timeline", data)
    assert any(b["type"] == "heading" and b["text"] == "Then and now" for b in want)
    expect(root.locator(".pb-block--heading", has_text="Then and now")).to_be_visible()
    # Open the page again without its link: it brings the plan back from the browser's storage.
    page.wait_for_function(STORED, arg="labels slower than hoped")
    page.goto("about:blank")
    root = open_timeline(page, server)
    expect(root.locator(".pb-calc__notices")).to_contain_text("Your plan from your last visit is back")
    page.wait_for_function("() => location.hash.length > 3")
    page.wait_for_function(
        "() => document.querySelector(\"[data-field='history[0].note']\")?.value === 'labels slower than hoped'"
    )
    expect(root.locator(".pb-block--heading", has_text="Then and now")).to_be_visible(timeout=COMPUTE)
    assert [r for r in page_input(page)["history"] if r] == rows


def test_the_status_update_has_todays_numbers_and_dates(context, server, tmp_path):
    from calculators import share, timeline

    example = next(e for e in timeline.examples() if e["input"].get("start"))
    data = {**timeline.default_input(), **example["input"]}
    page = context.new_page()
    root = open_timeline(page, server, "#" + share.encode(data))
    page.wait_for_function(
        "() => Number(document.querySelector('[data-calculator]').dataset.computed || 0) > 0", timeout=COMPUTE
    )
    draw_charts(page)  # the charts above the button change the page's height as they draw
    with page.expect_download(timeout=TIMEOUT) as info:
        root.get_by_role("button", name="Download the status update (Markdown)").click()
    text = Path(info.value.path()).read_text(encoding="utf-8")
    want = timeline.from_input(page_input(page))
    assert f"| The chance it works at all | {round(want.history[-1]['p_success'] * 100)}% | " in text
    assert f"| {round(want.p_success * 100)}% |" in text
    assert want.dates["commit"] in text and want.dates["as_of"] in text
    # On the page itself the same dates are in the reader's format, not year-month-day.
    assert not re.search(r"\(\d{4}-\d{2}-\d{2}\)", summary(root))


@pytest.mark.parametrize(
    ("fixture", "first_id", "owner"),
    [
        ("jira.csv", "CHURN-1", "Ana Silva"),
        ("github-projects.csv", "acme/churn#10", None),
        ("linear.csv", "ENG-21", "Ana Silva"),
    ],
)
def test_a_tracker_export_imports_through_the_mapping_step_and_can_be_undone(context, server, fixture, first_id, owner):
    from calculators import timeline

    page = context.new_page()
    root = open_timeline(page, server)
    before = timeline.default_input()  # the page opens on it (its link is written at the first result)
    root.get_by_text("Import from a tracker").click()
    root.get_by_label("Tracker CSV file").set_input_files(str(FIXTURES / fixture))
    title = root.get_by_label("Column for Title")
    expect(title).not_to_have_value("")  # the header was guessed
    expect(root.locator(".pb-tracker__preview tbody tr").first).to_contain_text(first_id)
    # The reader corrects a guess: no assignee column, then back.
    assignee = root.get_by_label("Column for Assignee")
    guessed = assignee.input_value()
    assignee.select_option("")
    expect(root.locator(".pb-tracker__preview tbody tr").first.locator("td").nth(5)).to_have_text("")
    assignee.select_option(guessed)
    act(page, root, lambda: root.locator(".pb-tracker__replace").click())
    data = page_input(page)
    assert data["tasks"][0]["id"] == first_id
    if owner:
        assert data["tasks"][0]["owner"] == owner
    assert root.get_attribute("data-valid") == "true"
    expect(root.locator(".pb-calc__notices")).to_contain_text("Imported")
    act(page, root, lambda: root.locator(".pb-calc__undo").click())
    back = page_input(page)["tasks"]  # the form spells out what the file left to defaults (required, status)
    assert [{k: t[k] for k in d} for t, d in zip(back, before["tasks"], strict=True)] == before["tasks"]


def test_autosave_survives_closing_and_reopening_the_page(context, server):
    page = context.new_page()
    root = open_timeline(page, server)
    act(page, root, lambda: root.locator("[data-field='tasks[0].name']").fill("Collect images, night shift too"))
    page.wait_for_function(STORED, arg="night shift too")
    page.close()
    again = context.new_page()
    root = open_timeline(again, server)
    expect(root.locator("[data-field='tasks[0].name']")).to_have_value("Collect images, night shift too")
    # Named plans: save, duplicate, rename, delete.
    root.get_by_label("Plan name").fill("Defects, night shift")
    root.get_by_role("button", name="Save as a new plan").click()
    select = root.get_by_label("Your saved plans")
    expect(select.locator("option")).to_have_count(2)
    root.get_by_role("button", name="Duplicate").click()
    expect(select.locator("option", has_text="Defects, night shift (copy)")).to_have_count(1)
    root.get_by_label("Plan name").fill("Defects, plan B")
    root.get_by_role("button", name="Rename").click()
    expect(select.locator("option", has_text="Defects, plan B")).to_have_count(1)
    root.get_by_role("button", name="Delete").click()
    expect(select.locator("option")).to_have_count(2)


REFUSE = """
for (const name of ["setItem", "getItem"]) {
  Storage.prototype[name] = function () { throw new DOMException("refused", "SecurityError"); };
}
"""


def test_a_refused_storage_shows_its_notice_and_the_page_keeps_working(make_context, server):
    ctx, _ = make_context(server, bypass_csp=True, viewport={"width": 1280, "height": 900})
    ctx.add_init_script(REFUSE)
    page = ctx.new_page()
    page.recorder = _
    root = open_timeline(page, server)
    expect(root.locator(".pb-calc__notices")).to_contain_text("This plan is not kept in this browser")
    act(page, root, lambda: root.locator("[data-field='tasks[1].most_likely']").fill("6"))
    assert summary(root) == next(b["text"] for b in python_view("timeline", page_input(page)) if b["type"] == "summary")


def test_the_plan_files_are_made_on_click_from_the_page_and_import_back(context, server, tmp_path):
    page = context.new_page()
    root = open_timeline(page, server)
    act(page, root, lambda: root.locator("[data-field='tasks[2].pessimistic']").fill("8"))
    want = page_input(page)
    draw_charts(page)  # the charts above the buttons change the page's height as they draw
    for label, name in (
        ("Download the plan (JSON)", "timeline-plan.json"),
        ("Download the plan (CSV)", "timeline-plan.csv"),
    ):
        with page.expect_download(timeout=TIMEOUT) as info:
            root.get_by_role("button", name=label).click()
        assert info.value.suggested_filename == name
        path = tmp_path / name
        info.value.save_as(path)
        if name.endswith(".json"):
            assert json.loads(path.read_text(encoding="utf-8")) == want
    act(page, root, lambda: root.get_by_role("button", name="Reset to the example").click())
    root.get_by_label("Import a JSON or CSV file").set_input_files(str(tmp_path / "timeline-plan.json"))
    expect(root.locator(".pb-calc__notices")).to_contain_text("Imported timeline-plan.json")
    page.wait_for_function("() => document.querySelector(\"[data-field='tasks[2].pessimistic']\").value === '8'")
    assert page_input(page)["tasks"] == want["tasks"]
