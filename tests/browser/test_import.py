"""Import: a calculator's own exports come back in as the same input; a file of
the wrong shape is refused whole, naming what was expected, with the inputs
untouched; import and "Reset to the example" can be undone once; one notice at
a time. Calculators and their tables come from the registry and the form schema.
"""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from .conftest import draw_charts, page_input, python_view, wait_state
from .schema import flat, names, page_config, valid_edit

TIMEOUT = 60_000


def tables(name: str) -> list[dict]:
    return [f for f in flat(page_config(name)["form"]) if f["type"] == "table"]


def plan_files() -> list[tuple[str, str]]:
    """(calculator, file name) for each input file a calculator's page makes on click.

    A table field with ``files`` offers its input as ``<files.plan>.json`` and ``.csv``
    (``plans.mjs``); the names come from the form schema, never from here.
    """
    out = []
    for name in names():
        for table in tables(name):
            plan = (table.get("files") or {}).get("plan")
            if plan:
                out += [(name, f"{plan}.json"), (name, f"{plan}.csv")]
    return out


EXPORTS = plan_files()
assert EXPORTS, "no calculator offers its input as a file: the round-trip test below would check nothing"


def open_calculator(page, server, name: str):
    page.goto(server.url + f"calculators/{name}/")
    root = page.locator(f"[data-calculator={name}]")
    root.scroll_into_view_if_needed()
    assert wait_state(page) == "ready"
    return root


def computed(root) -> int:
    return int(root.get_attribute("data-computed") or 0)


def edit(root, name: str, *, in_table: bool = False) -> dict:
    """One valid edit (from the schema); waits for its result; returns the input it made."""
    change = valid_edit(name, in_table=in_table)
    before = computed(root)
    control = root.locator(change.selector)
    control.evaluate(
        "e => { for (let d = e.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }"
    )
    control.check() if change.value is None else control.fill(change.value)
    expect(root).to_have_attribute("data-computed", str(before + 1), timeout=TIMEOUT)
    return page_input(root.page)


@pytest.mark.parametrize(("name", "filename"), EXPORTS, ids=[f"{n}-{f}" for n, f in EXPORTS])
def test_an_exported_file_imports_back_to_the_same_result(page, server, tmp_path, name, filename):
    """The page's own download of its input (made on click) imports back, and the import can be undone."""
    from calculators import api

    default = api.get(name).default_input()
    root = open_calculator(page, server, name)
    kind = "JSON" if filename.endswith(".json") else "CSV"
    # The charts above the buttons draw as they come into view and change the page's height:
    # drawn first, the button stays where the click lands.
    draw_charts(page)
    with page.expect_download(timeout=TIMEOUT) as info:
        root.get_by_role("button", name=f"Download the plan ({kind})").click()
    assert info.value.suggested_filename == filename
    exported = tmp_path / filename
    info.value.save_as(exported)
    edited = edit(root, name, in_table=filename.endswith(".csv"))  # something for the import to change
    before = computed(root)
    root.get_by_label("Import a JSON or CSV file").set_input_files(str(exported))
    expect(root).to_have_attribute("data-computed", str(before + 1), timeout=TIMEOUT)
    notice = root.locator(".pb-calc__notices .pb-block--notice")
    expect(notice).to_have_count(1)
    expect(notice).to_contain_text(f"Imported {filename}")
    data = page_input(page)
    assert data != edited
    for table in tables(name):
        key = table["name"]
        ids = next(c["name"] for c in table["columns"])
        assert [r.get(ids) for r in data[key]] == [r.get(ids) for r in default[key]]
    summary = next(b["text"] for b in python_view(name, data) if b["type"] == "summary")
    expect(root.locator(".pb-calc__result .pb-block--summary")).to_have_text(summary)
    # The import can be undone once: the edited input comes back.
    before = computed(root)
    notice.get_by_role("button", name="Undo").click()
    expect(root).to_have_attribute("data-computed", str(before + 1), timeout=TIMEOUT)
    back = page_input(page)
    assert back == edited, [
        (k, back.get(k), edited.get(k)) for k in set(back) | set(edited) if back.get(k) != edited.get(k)
    ]
    expect(notice).to_have_count(1)
    expect(notice.get_by_role("button", name="Undo")).to_have_count(0)
    assert page.recorder.errors == [] and page.recorder.foreign == []


WRONG_FILES = [
    ("wrong-columns.csv", "task,duration,owner\nlabel,3,ana\nsplit,2,bo\n"),
    ("array.json", "[1, 2, 3]"),
    ("other-shape.json", json.dumps({"rows": [{"a": 1}], "version": 2})),
    ("not-json.json", "this is not JSON {"),
]


@pytest.mark.parametrize("name", names())
def test_a_file_of_the_wrong_shape_is_refused_whole_and_the_inputs_stay(page, server, tmp_path, name):
    root = open_calculator(page, server, name)
    edited = edit(root, name)
    shown = root.locator(".pb-calc__result .pb-block--summary").text_content()
    config = page_config(name)
    fields = sorted({f["name"].split(".")[0] for f in flat(config["form"])})
    notices = root.locator(".pb-calc__notices .pb-block--notice")
    for filename, content in WRONG_FILES:
        path = tmp_path / filename
        path.write_text(content, encoding="utf-8")
        before = computed(root)
        root.get_by_label("Import a JSON or CSV file").set_input_files(str(path))
        expect(notices.first).to_contain_text(f"{filename} was not imported", timeout=TIMEOUT)
        expect(notices).to_have_count(1)  # a new notice replaces the old one
        text = notices.first.text_content()
        assert "Your inputs are unchanged" in text, text
        if filename.endswith(".csv") and tables(name):
            header = ",".join(c["name"] for c in tables(name)[0]["columns"])
            assert header in text, f"the notice does not name the expected header: {text}"
        elif filename.endswith(".json"):
            assert all(f in text for f in fields), f"the notice does not name the expected fields: {text}"
        assert page_input(page) == edited
        assert computed(root) == before
        expect(root.locator(".pb-calc__result .pb-block--summary")).to_have_text(shown)
    assert page.recorder.errors == []


@pytest.mark.parametrize("name", names())
def test_reset_to_the_example_can_be_undone(page, server, name):
    from calculators import api

    root = open_calculator(page, server, name)
    # The input the page opens on, as the form holds it (the share link button writes it into the URL).
    root.get_by_role("button", name="Copy share link").click()
    page.wait_for_function("() => location.hash.startsWith('#i=')")
    example = page_input(page)
    summary = root.locator(".pb-calc__result .pb-block--summary")
    expect(summary).to_have_text(python_summary(name, api.get(name).default_input()))  # the calculator's example
    assert python_summary(name, example) == python_summary(name, api.get(name).default_input())
    edited = edit(root, name)
    assert edited != example
    expect(summary).to_have_text(python_summary(name, edited))
    before = computed(root)
    root.get_by_role("button", name="Reset to the example").click()
    expect(root).to_have_attribute("data-computed", str(before + 1), timeout=TIMEOUT)
    # Every field is the example's again (not merely "something changed"), and so is the answer.
    assert page_input(page) == example, [
        (k, page_input(page).get(k), example.get(k)) for k in set(page_input(page)) | set(example)
    ]
    expect(summary).to_have_text(python_summary(name, example))
    notice = root.locator(".pb-calc__notices .pb-block--notice")
    expect(notice).to_have_text(re.compile("back to the example"))
    before = computed(root)
    notice.get_by_role("button", name="Undo").click()
    expect(root).to_have_attribute("data-computed", str(before + 1), timeout=TIMEOUT)
    assert page_input(page) == edited
    expect(summary).to_have_text(python_summary(name, edited))
    expect(notice).to_have_text(re.compile("previous inputs are back"))
    assert page.recorder.errors == []


def python_summary(name: str, data: dict) -> str:
    """The summary the Python API writes for ``data``."""
    return next(b["text"] for b in python_view(name, data) if b["type"] == "summary")
