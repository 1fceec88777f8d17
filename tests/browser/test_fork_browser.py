"""What a fork relies on, in Chromium, for whatever data this checkout holds.

The last question of the questionnaire (where a fork adds its own) moves the
result Pyodide computes, to exactly what the Python API computes; the default
plan's tasks are the ones the timeline page starts with. Expectations come from
the merged knowledge (the data files with a fork's company/data over them) and the API, so these run on this playbook's site and, when
tests/test_fork.py runs the fork-safe tests inside its throwaway fork, on the
fork's site with the fork's edits.
"""

from __future__ import annotations

from playwright.sync_api import expect

from calculators._data import load_toml

from ..forking import data_file
from .conftest import REPO, calculator_pages, page_input, python_view, wait_state


def _summary(view: list[dict]) -> str:
    return next(b["text"] for b in view if b["type"] == "summary")


def test_the_last_question_moves_the_result_pyodide_computes(page, server, site_dir):
    from calculators import api

    question = load_toml(data_file(REPO, "archetype", "question").name)["question"][-1]  # merged with company/
    default = api.get("archetype").default_input()
    before = python_view("archetype", default)
    answered = lambda answer: {**default, "answers": {**default["answers"], question["id"]: answer}}  # noqa: E731
    moves = [
        (a["id"], python_view("archetype", answered(a["id"])))
        for a in question["answer"]
        if a["id"] != default["answers"].get(question["id"])
    ]
    choice, expected = next(((a, v) for a, v in moves if _summary(v) != _summary(before)), moves[0])
    assert expected != before, f"no answer to {question['id']!r} changes the default result"

    page.goto(server.url + calculator_pages(site_dir)["archetype"])
    root = page.locator("[data-calculator=archetype]")
    root.scroll_into_view_if_needed()
    assert wait_state(page, "ready|error") == "ready"
    root.locator(f'input[data-field="answers.{question["id"]}"][value="{choice}"]').check()
    expect(root.locator(".pb-calc__result .pb-block--summary").first).to_have_text(_summary(expected), timeout=60_000)
    assert page_input(page)["answers"][question["id"]] == choice
    assert page.recorder.errors == [] and page.recorder.foreign == []


def test_the_timeline_page_starts_with_the_default_plans_tasks(page, server, site_dir):
    from calculators import api

    plan = load_toml(data_file(REPO, "plan").name)["plan"][0]
    assert api.get("timeline").default_input()["tasks"][0]["id"] == plan["tasks"][0]["id"]
    page.goto(server.url + calculator_pages(site_dir)["timeline"])
    root = page.locator("[data-calculator=timeline]")
    for i, task in enumerate(plan["tasks"]):
        expect(root.locator(f'[data-field="tasks[{i}].name"]')).to_have_value(task["name"])
