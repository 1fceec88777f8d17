"""The site and its runtime, end to end in headless Chromium.

Every page loading without errors or foreign requests is checked, with more, by
test_robustness.py::test_every_page_is_self_contained_with_calculators_ready_and_charts_drawn.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import READY_TIMEOUT, material_ready, page_input, python_view, wait_state
from .schema import in_view


def summary_of(view: list[dict]) -> str:
    return next(b["text"] for b in view if b["type"] == "summary")


def test_prerendered_result_without_javascript(make_context, server):
    ctx, _rec = make_context(server, java_script_enabled=False)
    p = ctx.new_page()
    p.goto(server.url + "calculators/timeline/")
    root = p.locator("[data-calculator=timeline]")
    assert root.get_attribute("data-state") == "prerendered"
    from calculators import api

    expected = summary_of(api.compute("timeline", api.get("timeline").default_input())["view"])
    expect(root.locator(".pb-calc__result .pb-block--summary")).to_have_text(expected)


def test_timeline_recomputes_in_the_browser_to_the_python_answer(page, server):
    page.goto(server.url + "calculators/timeline/")
    root = page.locator("[data-calculator=timeline]")
    assert wait_state(in_view(page)) == "ready"
    # Change one estimate of the first task, as a reader would.
    cell = root.locator('[data-field="tasks[0].pessimistic"]')
    old = float(cell.input_value())
    cell.fill(str(old + 7))
    expect(root).to_have_attribute("data-computed", re.compile(r"^[1-9]"), timeout=30_000)
    data = page_input(page)
    assert data["tasks"][0]["pessimistic"] == old + 7
    expected = summary_of(python_view("timeline", data))
    expect(root.locator(".pb-calc__result .pb-block--summary")).to_have_text(expected)
    assert page.recorder.errors == [] and page.recorder.foreign == []


def test_a_change_before_python_is_ready_is_computed_once_it_is(page, server):
    page.goto(server.url + "calculators/timeline/")
    root = page.locator("[data-calculator=timeline]")
    cell = root.locator('[data-field="tasks[0].optimistic"]')
    cell.fill(str(float(cell.input_value()) + 0.5))  # typed while the runtime is still loading
    assert root.get_attribute("data-state") in ("prerendered", "loading")
    expect(root).to_have_attribute("data-computed", re.compile(r"^[1-9]"), timeout=READY_TIMEOUT)
    data = page_input(page)
    expect(root.locator(".pb-calc__result .pb-block--summary")).to_have_text(summary_of(python_view("timeline", data)))


def test_instant_navigation_keeps_python_alive(page, server):
    page.goto(server.url + "calculators/timeline/")
    assert wait_state(in_view(page)) == "ready"
    page.evaluate("window.__pbSameDocument = true")
    material_ready(page)
    page.locator('nav a[href$="calculators/archetype/"]').first.click()
    expect(page).to_have_url(re.compile("calculators/archetype/"))
    assert wait_state(page, timeout=10_000, selector="[data-calculator=archetype]") == "ready"
    assert page.evaluate("window.__pbSameDocument") is True, "the page was fully reloaded"
    wasm = page.evaluate("performance.getEntriesByType('resource').filter(e => e.name.endsWith('.wasm')).length")
    assert wasm == 0, "the main thread should never fetch the wasm itself"
    assert page.recorder.errors == [] and page.recorder.foreign == []


@pytest.mark.parametrize("path", ["", "chapters/why-hard/"])
def test_a_page_without_a_calculator_fetches_no_python(page, server, path):
    server.requests.clear()
    page.goto(server.url + path)
    page.wait_for_load_state("networkidle")
    fetched = [r for r in server.requests if "/assets/pyodide/" in r or "/assets/py/" in r or r.endswith(".whl")]
    assert fetched == []


def test_the_404_page_offers_search_and_every_chapter_and_calculator(page, server, site_dir):
    from .schema import names

    page.goto(server.url + "404.html")
    expect(page.locator("h1").first).to_have_text(re.compile("does not exist", re.I))
    # Every calculator of the registry, and every chapter the site has, is one click away.
    hrefs = page.locator("article a[href]").evaluate_all("as => as.map(a => new URL(a.href).pathname)")
    for name in names():
        assert f"/calculators/{name}/" in hrefs, (name, hrefs)
    chapters = sorted(p.parent.name for p in (site_dir / "chapters").glob("*/index.html"))
    assert chapters, "the site has no chapters"
    for chapter in chapters:
        assert f"/chapters/{chapter}/" in hrefs, (chapter, hrefs)
    # The search box hands its words to the site's search.
    box = page.get_by_role("searchbox", name="Search the playbook")
    box.fill("roles")
    box.press("Enter")
    expect(page.locator(".md-search__input")).to_have_value("roles")
    expect(page.locator(".md-search__input")).to_be_focused()
    assert page.recorder.errors == []


# When Material's bundle has run ("pb:material", material/late.js): the calculator's state
# then, and how long after the page's load event.
MATERIAL_WHEN = """(() => {
  addEventListener('load', () => { window.__pbLoadAt = performance.now(); }, { once: true });
  document.addEventListener('pb:material', () => {
    const root = document.querySelector('[data-calculator]');
    window.__pbMaterialSeen = { state: root && root.dataset.state, at: performance.now() };
  }, { once: true });
})();"""


def test_material_waits_while_a_calculators_python_starts(page, server):
    """Material's bundle and its search index would take the processor Python needs: on a page
    whose calculator starts Python at once (a returning reader's), the bundle runs once Python
    is ready, or 5 s after the page has loaded, whichever comes first."""
    page.goto(server.url + "calculators/timeline/")
    lock = page.evaluate(
        "new URL(JSON.parse(document.querySelector('[data-calculator]').dataset.runtime).lockURL, location.href).href"
    )
    # A returning reader: runtime.mjs noted this lock at ready, so early.js starts Python while the page loads.
    page.evaluate("(lock) => localStorage.setItem('pb:runtime-started', lock)", lock)
    fresh = page.context.new_page()  # a new tab: its own Python, not started yet
    fresh.add_init_script(MATERIAL_WHEN)
    fresh.goto(server.url + "calculators/timeline/")
    material_ready(fresh)
    seen = fresh.evaluate("window.__pbMaterialSeen")
    waited = seen["at"] - fresh.evaluate("window.__pbLoadAt")
    assert seen["state"] in ("ready", "error") or waited >= 4900, (
        f"Material's bundle ran {waited:.0f} ms after load while Python was {seen['state']}"
    )
    assert wait_state(fresh) == "ready"


# At DOMContentLoaded: the palette the page is painted in, the one whose media query matches
# the system's (Material's bundle picks that one when it runs), and whether the bundle has run.
PALETTE_AT_PARSE = """(() => {
  document.addEventListener('DOMContentLoaded', () => {
    const inputs = [...document.querySelectorAll('[data-md-color-media]')];
    const system = inputs.find((i) => matchMedia(i.dataset.mdColorMedia).matches);
    window.__pbPalette = { painted: document.body.dataset.mdColorScheme, system: system ? system.dataset.mdColorScheme : null,
                           palettes: inputs.length, material: document.documentElement.dataset.pbMaterial || null };
  });
})();"""


@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_the_first_paint_follows_the_systems_palette_before_material_runs(make_context, server, scheme):
    """A reader with no palette chosen gets the system's from the first paint, not once Material's
    bundle runs (after load, or once a calculator's Python is ready)."""
    ctx, _rec = make_context(server, color_scheme=scheme)
    page = ctx.new_page()
    page.add_init_script(PALETTE_AT_PARSE)
    page.goto(server.url + "calculators/timeline/")
    seen = page.evaluate("window.__pbPalette")
    if seen["palettes"] < 2:
        pytest.skip("this site has one palette, with no media query to follow")
    assert seen["material"] is None, "Material's bundle ran before DOMContentLoaded: this test would not tell"
    assert seen["system"] and seen["painted"] == seen["system"], seen
