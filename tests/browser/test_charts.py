"""Every chart of the site is drawn, has data, and has a text alternative.

Chapter charts (``<!-- chart: NAME -->``) carry a caption and their data as a
table; calculator charts (``chart`` view blocks, drawn from the prerendered
result, so no Python is needed) carry a title and a visible description equal
to their ``aria-label``. Both must be drawn by Vega into ``.pb-chart__view`` as
an SVG with data marks, without console errors, and redrawn in the dark palette.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from .conftest import draw_charts, material_ready
from .schema import names

CHART_TIMEOUT = 30_000
CALCULATORS = names()


def calculator_with_charts() -> str:
    """The page of the first calculator (in registry order) whose example result has a chart."""
    from calculators import api

    for name in CALCULATORS:
        if any(b["type"] == "chart" for b in api.compute(name, api.get(name).default_input())["view"]):
            return f"calculators/{name}/"
    raise AssertionError("no calculator draws a chart")


#: Per figure: its name, the view's aria-label, the number of data-mark items, caption/alt/table texts.
INSPECT = """figs => figs.map((f) => {
  const view = f.querySelector('.pb-chart__view');
  const svg = view.querySelector('svg');
  return {
    name: f.dataset.chart,
    rendered: view.dataset.rendered,
    label: view.getAttribute('aria-label') || '',
    role: view.getAttribute('role'),
    marks: svg ? svg.querySelectorAll('g.role-mark > path, g.role-mark > text, g.role-mark > rect, g.role-mark > line').length : 0,
    width: svg ? svg.getBoundingClientRect().width : 0,
    height: svg ? svg.getBoundingClientRect().height : 0,
    caption: (f.querySelector('.pb-chart__caption')?.textContent || '').trim(),
    alt: (f.querySelector('.pb-chart__alt')?.textContent || '').trim(),
    tableRows: f.querySelectorAll('.pb-chart__data tbody tr').length,
  };
})"""


def chapter_pages(site_dir) -> list[str]:
    pages = []
    for html in sorted((site_dir / "chapters").rglob("index.html")):
        text = html.read_text(encoding="utf-8")
        if "pb-chart--chapter" in text or "pb-chart--static" in text:
            pages.append(html.parent.relative_to(site_dir).as_posix() + "/")
    return pages


def live_chapter_pages(site_dir) -> list[str]:
    """Chapter pages whose charts the browser draws (not images made at build time)."""
    return [
        p
        for p in chapter_pages(site_dir)
        if "pb-chart--chapter" in (site_dir / p / "index.html").read_text(encoding="utf-8")
    ]


#: A chapter chart drawn at build time: one image per palette, each with its text alternative.
STATIC = """figs => figs.map((f) => ({
  name: f.dataset.chart,
  caption: (f.querySelector('.pb-chart__caption')?.textContent || '').trim(),
  images: [...f.querySelectorAll('img')].map((i) => ({ alt: i.alt, loaded: i.complete && i.naturalWidth > 0,
    shown: getComputedStyle(i).display !== 'none' })),
  tableRows: (f.nextElementSibling?.matches('details.pb-chart__data') ? f.nextElementSibling : f)
    .querySelectorAll('.pb-chart__data tbody tr, tbody tr').length,
}))"""


def wait_charts(page, count_at_least: int = 1) -> None:
    """Charts draw when they come near the viewport: scroll to each and wait for it."""
    views = page.locator(".pb-chart__view")
    expect(views.nth(count_at_least - 1)).to_be_attached(timeout=CHART_TIMEOUT)
    draw_charts(page, views, states="true|error", timeout=CHART_TIMEOUT)


def check_drawn(fig: dict, page_path: str) -> None:
    where = f"{fig['name']} on {page_path}"
    assert fig["rendered"] == "true", f"{where} was not drawn ({fig['rendered']})"
    assert fig["marks"] > 0, f"{where} has no data marks"
    assert fig["width"] > 200 and 120 < fig["height"] < 900, f"{where} is {fig['width']}x{fig['height']}"


#: The image a static figure shows in the palette in use has loaded.
SHOWN_LOADED = """fig => [...fig.querySelectorAll('img')].some(
  (img) => getComputedStyle(img).display !== 'none' && img.complete && img.naturalWidth > 0)"""


def test_every_chapter_chart_is_drawn_with_a_text_alternative(page, server, site_dir):
    from pipeline.chapter_charts import CHARTS

    seen = set()
    for path in chapter_pages(site_dir):
        page.goto(server.url + path)
        live = page.locator("figure.pb-chart--chapter")
        if live.count():
            wait_charts(page)
        for fig in live.evaluate_all(INSPECT):
            check_drawn(fig, path)
            assert fig["caption"], f"{fig['name']} has no caption"
            assert fig["tableRows"] > 0, f"{fig['name']} has no data table"
            seen.add(fig["name"])
        static = page.locator("figure.pb-chart--static")
        material_ready(page)
        for i in range(static.count()):  # lazy images load when near the viewport
            fig = static.nth(i)
            fig.scroll_into_view_if_needed()
            page.wait_for_function(SHOWN_LOADED, arg=fig.element_handle(), timeout=30_000)
        for fig in static.evaluate_all(STATIC):
            where = f"{fig['name']} on {path}"
            assert fig["caption"], f"{where} has no caption"
            assert fig["images"] and all(len(i["alt"]) > 20 for i in fig["images"]), f"{where}: {fig['images']}"
            shown = [i for i in fig["images"] if i["shown"]]
            assert len(shown) == 1 and shown[0]["loaded"], f"{where}: one image per palette, loaded: {fig['images']}"
            assert fig["tableRows"] > 0, f"{where} has no data table"
            seen.add(fig["name"])
    assert seen == set(CHARTS), f"charts never drawn: {set(CHARTS) - seen}"
    assert page.recorder.errors == [] and page.recorder.foreign == []


def examples_drawing(missing: set[str]) -> list[tuple[str, str]]:
    """(calculator, example id) for the first example whose result (computed by the Python API) draws
    each chart in ``missing``; a chart no example draws is left out (the assertion then names it)."""
    from calculators import api

    found: dict[str, tuple[str, str]] = {}
    for name in CALCULATORS:
        for ex in api.get(name).examples():
            view = api.compute(name, ex["input"])["view"]
            for chart in {b["chart"] for b in view if b["type"] == "chart"} & (missing - set(found)):
                found[chart] = (name, ex["id"])
    return sorted(set(found.values()))


def test_every_calculator_chart_is_drawn_with_a_text_alternative(page, server):
    from calculators import charts

    charts._load()
    templates = {name for name in charts.TEMPLATES if not name.startswith("_")}
    seen = set()

    def inspect(name: str) -> None:
        figs = page.locator("[data-calculator] figure.pb-chart").evaluate_all(INSPECT)
        assert figs, f"the {name} page shows no chart"
        for fig in figs:
            check_drawn(fig, name)
            assert fig["caption"], f"{fig['name']} has no title"
            assert len(fig["alt"]) > 20, f"{fig['name']} has no description"
            seen.add(fig["name"])

    for name in CALCULATORS:
        page.goto(server.url + f"calculators/{name}/")
        wait_charts(page)
        inspect(name)
    # A chart that only some inputs draw (the timeline's history needs recorded forecasts): open the
    # first example whose result has it, as a reader does with "Start from an example".
    for name, example in examples_drawing(templates - seen):
        page.goto(server.url + f"calculators/{name}/")
        root = page.locator(f"[data-calculator={name}]")
        root.scroll_into_view_if_needed()
        expect(root).to_have_attribute("data-state", "ready", timeout=CHART_TIMEOUT)
        before = int(root.get_attribute("data-computed") or 0)
        root.locator(".pb-calc__example").select_option(example)
        expect(root).to_have_attribute("data-computed", str(before + 1), timeout=CHART_TIMEOUT)
        wait_charts(page)
        inspect(f"{name} ({example})")
    assert seen == templates, f"templates never drawn: {templates - seen}"
    assert page.recorder.errors == [] and page.recorder.foreign == []


def test_chart_views_keep_their_text_alternative_after_drawing(page, server, site_dir):
    """Vega's View.initialize sets role=graphics-document and its own aria-label; charts.mjs restores ours."""
    from pipeline.chapter_charts import figure

    for path in [*live_chapter_pages(site_dir)[:1], calculator_with_charts()]:
        page.goto(server.url + path)
        wait_charts(page)
        for fig in page.locator("figure.pb-chart:not(.pb-chart--static)").evaluate_all(INSPECT):
            alt = fig["alt"] or figure(fig["name"]).alt  # calculator charts show it; chapter charts hold it
            assert fig["role"] == "img", f"{fig['name']} on {path}: role {fig['role']!r}"
            assert fig["label"] == alt, f"{fig['name']} on {path}: aria-label {fig['label']!r}"


@pytest.mark.parametrize("width", [360])
def test_charts_fit_a_phone_and_follow_the_dark_palette(make_context, server, width):
    ctx, rec = make_context(server, bypass_csp=True, viewport={"width": width, "height": 800}, color_scheme="dark")
    page = ctx.new_page()
    for path in ("chapters/managing/", calculator_with_charts()):
        page.goto(server.url + path)
        material_ready(page)  # Material applies the system's dark palette when its bundle runs
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
        static = page.locator("figure.pb-chart--static img").filter(visible=True)
        for img in static.all():  # a chart drawn at build time shows its dark image
            expect(img).to_have_class(re.compile(r"pb-chart__img--dark"))
            box = img.bounding_box()
            assert box["x"] >= -1 and box["x"] + box["width"] <= width + 1, (
                f"{path}: a chart image is wider than {width}px"
            )
        if not page.locator("figure.pb-chart:not(.pb-chart--static)").count():
            continue
        wait_charts(page)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} scrolls sideways by {overflow}px at {width}px"
        for view in page.locator(".pb-chart__view").all():
            box = view.bounding_box()
            svg = view.locator("svg").bounding_box()
            assert svg["x"] >= box["x"] - 1 and svg["x"] + svg["width"] <= box["x"] + box["width"] + 1
        # Axis labels are drawn in the light text colour of the dark palette.
        fill = page.locator(".pb-chart__view svg .role-axis-label text").first.evaluate("t => getComputedStyle(t).fill")
        rgb = [int(x) for x in re.findall(r"\d+", fill)[:3]]
        assert sum(rgb) / 3 > 140, f"axis labels on {path} are too dark for the dark palette: {fill}"
    assert rec.errors == [] and rec.foreign == []
