"""Chapter charts drawn at build time: no Vega on chapter pages, the palette picks the SVG.

Fork-safe: the pages and charts come from the built site and from
``pipeline.chapter_charts.CHARTS``, never from this playbook's own content.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import material_ready, sitemap_pages

VEGA = re.compile(r"/vega[-@./]|vega-(lite|embed|interpreter)", re.I)


def chart_pages(site_dir) -> list[str]:
    """Pages of the built site that hold a static chapter chart."""
    return [
        p
        for p in sitemap_pages(site_dir)
        if "pb-chart--static"
        in (site_dir / (p + "index.html" if p.endswith("/") or not p else p)).read_text(encoding="utf-8")
    ]


def visit(page, server, path: str) -> list[str]:
    """Open ``path``, scroll through it (lazy images load), and return every URL it requested."""
    urls: list[str] = []
    page.on("request", lambda r: urls.append(r.url))
    page.goto(server.url + path)
    page.wait_for_load_state("load")
    for img in page.locator(".pb-chart__img").all():
        if img.is_visible():
            img.scroll_into_view_if_needed()
            expect(img).to_have_js_property("complete", True)
    page.wait_for_load_state("networkidle")
    return urls


def shown_chart(fig) -> dict:
    """The palette of the one visible image in a static figure, and whether it loaded."""
    return fig.evaluate("""(f) => {
      const shown = [...f.querySelectorAll('img.pb-chart__img')].filter((i) => getComputedStyle(i).display !== 'none');
      return {count: shown.length, palette: shown.map((i) => i.className.match(/--(\\w+)$/)?.[1] || '').join(','),
              loaded: shown.every((i) => i.complete && i.naturalWidth > 0), alt: shown.map((i) => i.alt).join('')};
    }""")


def test_chapter_pages_request_no_vega_and_every_file_exists(page, server, site_dir):
    pages = chart_pages(site_dir)
    assert pages, "the built site has chapter pages with static charts"
    missing, vega = [], []
    for path in pages:
        for url in visit(page, server, path):
            parts = urlsplit(url)
            if not url.startswith(server.url):
                continue
            if VEGA.search(parts.path):
                vega.append(f"{path}: {url}")
            rel = unquote(parts.path[len(urlsplit(server.url).path) :])
            target = site_dir / rel
            if not (target.is_file() or (target / "index.html").is_file()):
                missing.append(f"{path}: {url}")
    assert vega == [], "chapter pages load no Vega"
    assert missing == [], "every request names a file in site/"
    assert page.recorder.errors == []


def test_each_chart_shows_one_palette_with_its_text_alternative_and_table(page, server, site_dir):
    from pipeline.chapter_charts import CHARTS

    seen = set()
    for path in chart_pages(site_dir):
        visit(page, server, path)
        for block in page.locator(".pb-chart-block[data-chart]").all():
            name = block.get_attribute("data-chart")
            seen.add(name)
            fig = block.locator("figure.pb-chart--static")
            state = shown_chart(fig)
            assert state["count"] == 1 and state["palette"] == "light" and state["loaded"], (path, name, state)
            assert state["alt"].strip(), f"{name}: the shown chart has a text alternative"
            assert fig.locator("figcaption").inner_text().strip()
            assert block.locator(".pb-chart__data tbody tr").count() > 0
        for fig in page.locator("figure.pb-chart--notebook").all():  # a worked example's charts, drawn the same way
            state = shown_chart(fig)
            assert state["count"] == 1 and state["palette"] == "light" and state["loaded"] and state["alt"], state
    assert seen <= set(CHARTS) and seen, "every figure on the pages is a known chart"


def test_palette_toggle_swaps_the_chart(page, server, site_dir):
    path = chart_pages(site_dir)[0]
    visit(page, server, path)
    fig = page.locator("figure.pb-chart--static").first
    fig.scroll_into_view_if_needed()
    assert shown_chart(fig)["palette"] == "light"
    material_ready(page)
    page.locator("form[data-md-component=palette] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    dark = fig.locator("img.pb-chart__img--dark")
    expect(dark).to_be_visible()
    expect(dark).to_have_js_property("complete", True)
    assert shown_chart(fig) | {"alt": ""} == {"count": 1, "palette": "dark", "loaded": True, "alt": ""}
    page.locator("form[data-md-component=palette] label:visible").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "default")
    expect(fig.locator("img.pb-chart__img--light")).to_be_visible()
    assert shown_chart(fig)["palette"] == "light"


@pytest.mark.parametrize("scripts", [False, True], ids=["before-scripts", "with-scripts"])
@pytest.mark.parametrize("scheme", ["dark", "light"])
def test_system_colour_scheme_picks_the_chart(make_context, server, site_dir, scheme, scripts):
    """A first visit follows the system's scheme: by CSS before any script, by Material's palette after."""
    ctx, _rec = make_context(server, java_script_enabled=scripts, color_scheme=scheme)
    p = ctx.new_page()
    p.goto(server.url + chart_pages(site_dir)[0])
    if scripts:  # Material applies the palette whose media query matches
        expect(p.locator("body")).to_have_attribute("data-md-color-media", f"(prefers-color-scheme: {scheme})")
    fig = p.locator("figure.pb-chart--static").first
    fig.scroll_into_view_if_needed()
    img = fig.locator(f"img.pb-chart__img--{scheme}")
    expect(img).to_be_visible()
    expect(img).to_have_js_property("complete", True)
    state = shown_chart(fig)
    assert state["count"] == 1 and state["palette"] == scheme and state["loaded"], state
