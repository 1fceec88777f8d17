"""Accessibility: axe-core on every page in both palettes, keyboard-only use of
the calculators, announced results, text alternatives for charts, and no
sideways scrolling of any page on a 360 px wide phone.

axe-core is the pinned copy the build vendors for the tests only
(build/test-assets/, not served by the site); it is injected into a context
that bypasses the CSP.
"""

from __future__ import annotations

import contextlib
import itertools
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from ..conftest import skip_unless_own_content
from .conftest import REPO, draw_charts, material_ready, sitemap_pages, wait_state
from .schema import in_view, names

AXE = REPO / "build" / "test-assets" / "axe-core@4.14.1" / "axe.min.js"
SERIOUS = ("serious", "critical")
#: Known violations outside this file's owners' code, left out of the check until
#: fixed where they live: (page prefix, rule) -> why. Keep this list short.
KNOWN: dict[tuple[str, str], str] = {}


def charts_drawn(page) -> None:
    draw_charts(page)


NO_TRANSITIONS = "*, *::before, *::after { transition: none !important; animation: none !important; }"


def switch_palette(page, scheme: str) -> None:
    """Switch Material's palette at once (no colour fade) and wait until every drawn chart
    has been redrawn in it (charts.mjs redraws on the switch and says pb:chart-rendered)."""
    page.add_style_tag(content=NO_TRANSITIONS)
    material_ready(page)  # Material's bundle applies a palette kept from an earlier page: read it after that
    if page.evaluate("document.body.getAttribute('data-md-color-scheme')") == scheme:
        return
    drawn = page.locator(".pb-chart__view[data-rendered=true]").count()
    page.evaluate("""() => { window.__pbRedrawn = 0;
        document.addEventListener('pb:chart-rendered', () => window.__pbRedrawn++); }""")
    page.evaluate("s => document.body.setAttribute('data-md-color-scheme', s)", scheme)
    if drawn:
        page.wait_for_function("n => window.__pbRedrawn >= n", arg=drawn, timeout=30_000)


def axe_violations(page) -> list[dict]:
    material_ready(page)  # judge the page as the reader gets it, Material's widgets included
    # Colours still fading from one palette to the other (a page that loads while Material
    # applies the reader's palette) would be judged half-way: wait until no transition runs.
    page.wait_for_function("() => document.getAnimations().every((a) => a.playState !== 'running')", timeout=30_000)
    if not page.evaluate("typeof window.axe === 'object'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate("""async () => {
        const r = await axe.run(document, { resultTypes: ['violations'] });
        return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\\n').slice(1, 3).join(' ')) }));
    }""")
    return [v for v in result if v["impact"] in SERIOUS]


def readable(path: str, scheme: str, violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"/{path} [{scheme}] {v['impact']}: {v['id']} - {v['help']}")
        lines.extend(f"      {n[:300]}" for n in v["nodes"][:6])
        if len(v["nodes"]) > 6:
            lines.append(f"      ... and {len(v['nodes']) - 6} more")
    return "\n".join(lines)


def test_axe_finds_nothing_serious_on_any_page_light_or_dark(page, server, site_dir):
    assert AXE.exists(), f"{AXE} is missing: the build vendors it (python -m pipeline vendor)"
    problems: list[str] = []
    for path in sitemap_pages(site_dir):
        page.goto(server.url + path)
        charts_drawn(page)
        for scheme in ("default", "slate"):
            switch_palette(page, scheme)
            found = [
                v
                for v in axe_violations(page)
                if not any(path.startswith(prefix) and v["id"] == rule for prefix, rule in KNOWN)
            ]
            if found:
                problems.append(readable(path, scheme, found))
    assert problems == [], "axe-core found serious or critical violations:\n" + "\n".join(problems)


# ------------------------------------------------------------------ keyboard only
def tab_to(page, predicate: str, limit: int = 400, back: bool = False) -> None:
    """Press Tab (or Shift+Tab) until ``predicate`` (JS, on document.activeElement `el`) holds."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if back else "Tab")
        if page.evaluate(f"(el => !!el && ({predicate}))(document.activeElement)"):
            return
    raise AssertionError(f"Tab never reached an element where {predicate}")


def computed(root) -> int:
    return int(root.get_attribute("data-computed") or 0)


def grows(root, before: int) -> None:
    seen = "|".join(str(i) for i in range(before + 1))
    expect(root).to_have_attribute("data-computed", re.compile(rf"^(?!(?:{seen})$)\d+$"), timeout=30_000)


def test_the_calculators_work_with_the_keyboard_alone(page, server):
    # Archetype: an answer is a radio group; arrow keys change it.
    page.goto(server.url + "calculators/archetype/")
    root = page.locator("[data-calculator=archetype]")
    assert wait_state(in_view(page)) == "ready"
    page.locator("body").focus()
    tab_to(page, "el.type === 'radio' && !!el.closest('[data-calculator]')")
    field = page.evaluate("document.activeElement.dataset.field")
    before_value = page.evaluate("document.activeElement.value")
    before = computed(root)
    page.keyboard.press("ArrowDown")
    grows(root, before)
    assert page.evaluate("document.activeElement.checked && document.activeElement.value") not in (before_value, False)
    assert page.locator(f'input[data-field="{field}"]:checked').get_attribute("value") != before_value
    expect(root).to_have_attribute("data-valid", "true")

    # Timeline: type into a number cell, then move, add and remove rows with Enter and Space.
    page.goto(server.url + "calculators/timeline/")
    root = page.locator("[data-calculator=timeline]")
    assert wait_state(in_view(page)) == "ready"
    page.locator("body").focus()
    tab_to(page, "el.dataset.field === 'tasks[0].pessimistic'")
    before = computed(root)
    page.keyboard.press("Control+A")
    page.keyboard.type("13")
    grows(root, before)
    expect(root.locator('[data-field="tasks[0].pessimistic"]')).to_have_value("13")

    rows = root.locator(".pb-field--table").first.locator("tbody tr")  # the task table (People and history follow)
    count = rows.count()
    first_id = root.locator('[data-field="tasks[0].id"]').input_value()
    tab_to(page, "el.getAttribute('aria-label') === 'Move row 1 down'")
    before = computed(root)
    page.keyboard.press("Enter")
    grows(root, before)
    expect(root.locator('[data-field="tasks[1].id"]')).to_have_value(first_id)
    expect(root.locator(".pb-field--table [role=status]").first).to_have_text("Row moved to position 2.")

    tab_to(page, "el.classList.contains('pb-table__add')")
    before = computed(root)
    page.keyboard.press("Enter")
    expect(rows).to_have_count(count + 1)
    # Focus is in the new row; it is not computed, and shows no errors before it is touched.
    assert page.evaluate("document.activeElement.dataset.field") == f"tasks[{count}].id"
    expect(root).to_have_attribute("data-valid", "false", timeout=30_000)
    expect(root.locator(f'[data-field="tasks[{count}].optimistic"]')).not_to_have_attribute("aria-invalid", "true")
    tab_to(page, f"el.getAttribute('aria-label') === 'Remove row {count + 1}'")
    before = computed(root)
    page.keyboard.press("Space")
    expect(rows).to_have_count(count)
    grows(root, before)
    expect(root).to_have_attribute("data-valid", "true")
    assert page.recorder.errors == []


# ------------------------------------------------------------------ announced results, chart alternatives
def test_results_are_announced_and_every_chart_has_a_text_alternative(page, server, site_dir):
    for name in names():
        page.goto(server.url + f"calculators/{name}/")
        root = page.locator(f"[data-calculator={name}]")
        expect(root.locator(".pb-calc__result")).to_have_attribute("aria-live", "polite")
        expect(root.locator(".pb-calc__status")).to_have_attribute("aria-live", "polite")
        expect(root.locator(".pb-calc__notices")).to_have_attribute("aria-live", "polite")
    missing: list[str] = []
    for path in sitemap_pages(site_dir):
        page.goto(server.url + path)
        charts_drawn(page)  # vega-embed labels the element it draws into: check after it has
        for fig in page.locator("figure.pb-chart--static").all():  # drawn at build time: images with alt text
            alts = fig.locator("img").evaluate_all("imgs => imgs.map(i => i.alt)")
            if not alts or any(len(a.strip()) <= 20 for a in alts):
                missing.append(f"/{path} {fig.get_attribute('data-chart')}: image alt texts {alts!r}")
        for fig in page.locator("figure.pb-chart:not(.pb-chart--static)").all():
            view = fig.locator(".pb-chart__view")
            label = (view.get_attribute("aria-label") or "").strip()
            role = view.get_attribute("role")
            has_table = fig.locator("figcaption").count() and fig.locator("table").count()
            if not ((role == "img" and len(label) > 20) or has_table):
                missing.append(f"/{path} {fig.get_attribute('data-chart')}: role={role!r} label={label[:40]!r}")
    assert missing == [], "\n".join(missing)


# ------------------------------------------------------------------ phone width
def test_no_page_scrolls_sideways_at_360_px(make_context, server, site_dir):
    ctx, _rec = make_context(
        server, bypass_csp=True, viewport={"width": 360, "height": 740}, is_mobile=True, has_touch=True
    )
    p = ctx.new_page()
    wide: list[str] = []
    for path in sitemap_pages(site_dir):
        p.goto(server.url + path)
        charts_drawn(p)  # (after Material's bundle has run, which it does once the page has loaded)
        with contextlib.suppress(PlaywrightTimeoutError):  # Material's widgets settle a frame or two after it runs
            p.wait_for_function("document.documentElement.scrollWidth <= 361", timeout=5_000)
        width = p.evaluate("document.documentElement.scrollWidth")
        if width > 361:
            culprits = p.evaluate("""() => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > 361 && getComputedStyle(e).position !== 'fixed')
                .filter(e => !e.closest('.md-sidebar, .md-search, .md-nav'))
                .slice(-4).map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))""")
            wide.append(f"/{path}: scrollWidth {width} ({', '.join(culprits)})")
    assert wide == [], "\n".join(wide)


# ------------------------------------------------------------------ visible focus
#: Every kind of control a calculator page has, by selector.
CONTROL_KINDS = {
    "text input": "input[type=text]:not([data-percent])",
    "number input": "input[type=number]",
    "percent input": "input[data-percent]",
    "select": "select",
    "radio": "input[type=radio]",
    "checkbox": "input[type=checkbox]",
    "textarea": "textarea",
    "button": "button",
    "section heading": "details > summary",
    "link": "a[href]",
    "scrolling region": "[tabindex='0']:not(a, button, input, select, textarea, summary)",
}

RING = """el => {
  const cs = getComputedStyle(el);
  let bg = null;
  for (let e = el.parentElement; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) { bg = c; break; }
  }
  return { visible: el.matches(':focus-visible'), style: cs.outlineStyle, width: parseFloat(cs.outlineWidth),
           color: cs.outlineColor, bg: bg || getComputedStyle(document.body).backgroundColor };
}"""


def _rgb(text: str) -> tuple[float, ...]:
    nums = [float(x) for x in re.findall(r"[\d.]+", text)[:3]]
    return tuple(nums)


def contrast(a: str, b: str) -> float:
    def lum(rgb):
        c = [v / 255 for v in rgb]
        c = [v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4 for v in c]
        return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]

    la, lb = sorted((lum(_rgb(a)), lum(_rgb(b))), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_every_control_shows_a_focus_ring_in_both_palettes(page, server):
    seen: set[str] = set()
    problems: list[str] = []
    for name in names():
        page.goto(server.url + f"calculators/{name}/")
        root = page.locator("[data-calculator]")
        assert wait_state(in_view(page)) == "ready"
        root.locator("details").evaluate_all("ds => ds.forEach(d => d.open = true)")
        for scheme in ("default", "slate"):
            switch_palette(page, scheme)
            for kind, selector in CONTROL_KINDS.items():
                controls = root.locator(selector).filter(visible=True)
                if not controls.count():
                    continue
                seen.add(kind)
                control = controls.first
                control.scroll_into_view_if_needed()
                page.keyboard.press("Shift")  # keyboard use: focus is shown
                control.focus()
                ring = control.evaluate(RING)
                where = f"{name} [{scheme}] {kind}"
                if not ring["visible"]:
                    problems.append(f"{where}: not :focus-visible after keyboard focus")
                elif ring["style"] in ("none", "hidden") or ring["width"] < 2:
                    problems.append(f"{where}: focus outline {ring['style']} {ring['width']}px")
                elif contrast(ring["color"], ring["bg"]) < 3:
                    problems.append(
                        f"{where}: ring {ring['color']} on {ring['bg']} is "
                        f"{contrast(ring['color'], ring['bg']):.2f}:1, under 3:1"
                    )
        switch_palette(page, "default")
    assert {"number input", "button", "select"} <= seen, seen
    assert problems == [], "\n".join(problems)


# ------------------------------------------------------------------ reading order, phones, wide screens
def test_tab_goes_through_a_table_row_left_to_right_then_the_next_row(page, server):
    from .schema import flat, page_config

    with_table = [(n, t) for n in names() for t in flat(page_config(n)["form"]) if t["type"] == "table"]
    if not with_table:
        skip_unless_own_content(
            "no calculator in this site's registry has a table field (a fork's choice): nothing to tab through"
        )
    name, table = with_table[0]
    page.goto(server.url + f"calculators/{name}/")
    root = page.locator("[data-calculator]")
    assert wait_state(in_view(page)) == "ready"
    first = root.locator(f'[data-field="{table["name"]}[0].{table["columns"][0]["name"]}"]')
    first.focus()
    order = [
        page.evaluate(
            "(e => { const r = e.getBoundingClientRect(); return [e.dataset.field || e.getAttribute('aria-label'), r.top, r.left]; })(document.activeElement)"
        )
    ]
    for _ in range(len(table["columns"]) + 4):
        page.keyboard.press("Tab")
        order.append(
            page.evaluate(
                "(e => { const r = e.getBoundingClientRect(); return [e.dataset.field || e.getAttribute('aria-label'), r.top, r.left]; })(document.activeElement)"
            )
        )
    fields = [o[0] for o in order]
    row0 = [f"{table['name']}[0].{c['name']}" for c in table["columns"]]
    assert fields[: len(row0)] == row0, fields
    assert f"{table['name']}[1].{table['columns'][0]['name']}" in fields[len(row0) :], fields
    for (a, ta, la), (b, tb, lb) in itertools.pairwise(order):
        if b.startswith(f"{table['name']}[1]"):
            break
        same_line = abs(tb - ta) < 8
        assert (same_line and lb > la) or tb > ta + 8, f"Tab from {a} to {b} goes against the reading order"


def test_on_a_phone_a_link_jumps_to_the_result(make_context, server):
    ctx, rec = make_context(
        server, bypass_csp=True, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    p = ctx.new_page()
    for name in names():
        p.goto(server.url + f"calculators/{name}/")
        root = p.locator("[data-calculator]")
        jump = root.get_by_role("link", name="Jump to the result")
        expect(jump).to_be_visible()
        jump.click()
        expect(root.locator(".pb-calc__result")).to_be_in_viewport()
        expect(root.locator(".pb-calc__result")).to_be_focused()
    assert rec.errors == []


def _side_by_side(config: dict) -> bool:
    """The layout a calculator asks for: its `layout`, else side by side when no field is a table."""
    from .schema import flat

    if config.get("layout"):
        return config["layout"] == "side"
    return not any(f["type"] == "table" for f in flat(config["form"]))


def test_on_a_wide_screen_a_side_by_side_result_stays_in_view(page, server):
    from .schema import page_config

    side = [name for name in names() if _side_by_side(page_config(name))]
    if not side:
        pytest.skip("no calculator in this site's registry asks for the side-by-side layout (a fork's choice)")
    for name in names():
        page.goto(server.url + f"calculators/{name}/")
        material_ready(page)
        root = page.locator("[data-calculator]")
        expect(root.locator(".pb-calc__form")).to_be_attached()
        if name not in side:
            expect(root).not_to_have_class(re.compile(r"\bpb-calc--side\b"))
            continue
        expect(root).to_have_class(re.compile(r"\bpb-calc--side\b"))
        form = root.locator(".pb-calc__form").bounding_box()
        result = root.locator(".pb-calc__result").bounding_box()
        assert result["x"] >= form["x"] + form["width"] - 1, (name, form, result)
        expect(root.get_by_role("link", name="Jump to the result")).to_be_hidden()
        # Scrolled to the form's last field, the result is still on screen.
        last = root.locator(".pb-calc__form :is(input, select, textarea)").filter(visible=True).last
        last.scroll_into_view_if_needed()
        expect(root.locator(".pb-calc__result")).to_be_in_viewport()
