"""Import: the plan the page exports as CSV or JSON comes back in as the same plan."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import page_input, python_view, wait_state


@pytest.mark.parametrize("kind", ["csv", "json"])
def test_an_exported_plan_imports_back_to_the_same_result(page, server, tmp_path, kind):
    from calculators import api

    default = api.get("timeline").default_input()
    view = api.compute("timeline", default)["view"]
    name = f"timeline-plan.{kind}"
    download = next((b for b in view if b["type"] == "download" and b["filename"] == name), None)
    assert download is not None, f"the timeline offers no {name} download"
    exported = tmp_path / name
    exported.write_text(download["content"], encoding="utf-8")

    page.goto(server.url + "calculators/timeline/")
    root = page.locator("[data-calculator=timeline]")
    root.scroll_into_view_if_needed()
    assert wait_state(page) == "ready"
    # Start from another example, so that the import has something to change.
    root.locator(".pb-calc__example").select_option(index=2)
    expect(root).to_have_attribute("data-computed", re.compile(r"^[1-9]"), timeout=30_000)
    before = int(root.get_attribute("data-computed"))
    root.locator('input[type="file"]').set_input_files(str(exported))
    expect(root).to_have_attribute("data-computed", str(before + 1), timeout=30_000)
    expect(root.locator(".pb-calc__notices .pb-block--notice")).to_have_count(0)
    data = page_input(page)
    assert [t["id"] for t in data["tasks"]] == [t["id"] for t in default["tasks"]]
    assert [sorted(t.get("depends_on", [])) for t in data["tasks"]] == \
        [sorted(t.get("depends_on", [])) for t in default["tasks"]]
    summary = next(b["text"] for b in python_view("timeline", data) if b["type"] == "summary")
    expect(root.locator(".pb-calc__result .pb-block--summary")).to_have_text(summary)
    if kind == "json":
        assert json.loads(download["content"])  # the export is JSON a person can read too
    assert page.recorder.errors == [] and page.recorder.foreign == []
