"""One valid edit per calculator and how to see it recompute, for the robustness tests.

``schema_edit`` reads one valid edit from a calculator's form schema;
``edit_and_recompute`` makes it and waits for a valid new result. The waits use
locators only (``data-computed`` growing), so they also work under the strict
CSP, where ``page.evaluate`` is refused. Not a test module: test_robustness.py
and test_hostile_links.py import it.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from .schema import names, valid_edit

CALCULATORS = names()


def computed(root) -> int:
    return int(root.get_attribute("data-computed") or 0)


def expect_recompute(root, before: int, timeout: int = 30_000) -> None:
    """data-computed grows past ``before`` (locators only: works under a strict CSP)."""
    seen = "|".join(str(i) for i in range(before + 1))
    expect(root).to_have_attribute("data-computed", re.compile(rf"^(?!(?:{seen})$)\d+$"), timeout=timeout)


def edit_and_recompute(root, edit) -> None:
    """Make one valid edit (a (selector, value) pair; value None means tick a box) and see a valid recompute."""
    before = computed(root)
    selector, value = edit
    field = root.locator(selector)
    field.evaluate(
        "e => { for (let d = e.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }"
    )
    field.check() if value is None else field.fill(value)
    expect_recompute(root, before)
    expect(root).to_have_attribute("data-valid", "true")


def schema_edit(name: str) -> tuple[str, str | None]:
    """(selector, value) of one valid edit read from the calculator's form schema."""
    edit = valid_edit(name)
    return edit.selector, edit.value
