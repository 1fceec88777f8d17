"""A calculator that offers a blank start, as a reader meets it on a fresh page.

For every calculator whose page config has a blank input, the page says whose
answers it opens on (the example's, by name), "Start from blank" clears them to
exactly what the Python API computes for the blank input, and "Undo" brings the
example back. Each calculator is opened in its own fresh context here, not on
the pages test_calculators.py shares.
"""

from __future__ import annotations

from playwright.sync_api import expect

from .calculator_page import _open, python_answer
from .conftest import page_input
from .schema import names


def test_an_example_is_shown_as_the_examples_answers_with_a_blank_start(browser, server, request):
    """A calculator that offers a blank start says whose answers the page opens on, and clears them on request."""
    from calculators import api

    offering = [n for n in names() if "blank" in api.page_config(n)]
    assert offering, "at least one calculator offers a blank start"
    for name in offering:
        config = api.page_config(name)
        example = api.compute(name, config["default"])["result"].get("example")
        calc = _open(browser, server, request, name)
        try:
            notice = calc.root.locator(".pb-calc__example-notice")
            if not example:  # the default is not one of the examples: nothing to announce
                expect(notice).to_have_count(0)
                continue
            expect(notice).to_contain_text(example)
            calc.act(lambda notice=notice: notice.get_by_role("button", name="Start from blank").click())
            blank = python_answer(name, page_input(calc.page))
            assert blank["result"] == python_answer(name, config["blank"])["result"]
            assert calc.summary() == blank["view"][0]["text"]
            expect(calc.root.locator(".pb-calc__example-notice")).to_have_count(0)
            # Undo brings the example back (its notice says so).
            undo = calc.root.get_by_role("button", name="Undo")
            calc.act(undo.click)
            assert calc.summary() == api.compute(name, config["default"])["view"][0]["text"]
            assert calc.errors == []
        finally:
            calc.context.close()
