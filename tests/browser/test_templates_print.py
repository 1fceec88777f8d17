"""The templates page prints as a clean document and each template downloads as Markdown.

Print: with print media emulated at the width of an A4 sheet's printable area,
nothing of the site's navigation (header, tabs, sidebars, footer) takes up any
space; every table is laid out as a table that fits the sheet's width and
height and may not be broken across sheets; every template starts on a new
sheet. Then ``page.pdf()`` prints the page, and the PDF has at least one sheet
per template (so the page breaks really happened). Everything is read from the
built page, so the test holds for any set of templates.
"""

from __future__ import annotations

import re
from pathlib import Path

# A4 with 15 mm margins, in CSS pixels (96 per inch).
MM = 96 / 25.4
MARGIN_MM = 15
SHEET_W = round((210 - 2 * MARGIN_MM) * MM)
SHEET_H = round((297 - 2 * MARGIN_MM) * MM)

DOWNLOADS = Path(__file__).resolve().parents[2] / "docs" / "templates" / "downloads"

NAVIGATION = ".md-header, .md-tabs, .md-sidebar, .md-footer, .md-top, .md-search"

LAYOUT = """() => {
  const content = document.querySelector('article').getBoundingClientRect();
  const tables = [...document.querySelectorAll('article table')].map((t) => {
    const box = t.getBoundingClientRect();
    const wrap = t.closest('.md-typeset__table') || t;
    const title = t.closest('.pb-template')?.querySelector('h2')?.textContent.replace('¶', '').trim() || '(intro)';
    return {
      title,
      display: getComputedStyle(t).display,
      breakTable: getComputedStyle(t).breakInside,
      breakWrap: getComputedStyle(wrap).breakInside,
      height: box.height,
      right: box.right,
      overflow: t.scrollWidth - t.clientWidth,
    };
  });
  const templates = [...document.querySelectorAll('.pb-template')].map((s) => getComputedStyle(s).breakBefore);
  return {contentRight: content.right, tables, templates};
}"""


def _shown(page, selector: str) -> list[str]:
    """The elements matching ``selector`` that take up space on the page."""
    return page.evaluate(
        """sel => [...document.querySelectorAll(sel)]
             .filter(e => e.getClientRects().length > 0 && e.getBoundingClientRect().height > 0)
             .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.'))""",
        selector,
    )


def test_templates_page_prints_without_navigation_and_keeps_tables_whole(page, server):
    page.goto(server.url + "templates/")
    page.wait_for_selector(".pb-template")
    assert _shown(page, NAVIGATION), "the screen view should show the site's navigation (test premise)"

    page.set_viewport_size({"width": SHEET_W, "height": SHEET_H})
    page.emulate_media(media="print")
    assert _shown(page, NAVIGATION) == [], "navigation is printed"
    assert _shown(page, ".pb-template a[download]") == [], "download buttons are printed"

    layout = page.evaluate(LAYOUT)
    assert layout["tables"], "the templates page has no tables to check"
    # Every template file is on the page, so every template is printed and checked here.
    downloads = sorted(p.name.removesuffix(".txt") for p in DOWNLOADS.glob("*.md.txt"))
    shown = sorted(page.eval_on_selector_all(".pb-template a[download]", "as => as.map(a => a.download)"))
    assert downloads and shown == downloads, f"templates not on the printed page: {set(downloads) - set(shown)}"
    problems = []
    for t in layout["tables"]:
        where = t["title"]
        if t["display"] != "table":
            problems.append(f"{where}: a table printed as display:{t['display']} (Chrome cannot keep it whole)")
        if "avoid" not in (t["breakTable"], t["breakWrap"]):
            problems.append(f"{where}: a table may be broken across sheets (break-inside: {t['breakTable']})")
        if t["height"] >= SHEET_H:
            problems.append(f"{where}: a table is taller than a sheet ({t['height']:.0f} px >= {SHEET_H} px)")
        if t["overflow"] > 1 or t["right"] > layout["contentRight"] + 1:
            problems.append(f"{where}: a table is wider than the sheet and would be cut at the right edge")
    assert not problems, "\n".join(problems)
    assert layout["templates"] and all(b == "page" for b in layout["templates"]), (
        f"every template should start a new sheet: {layout['templates']}"
    )

    pdf = page.pdf(
        format="A4",
        margin={side: f"{MARGIN_MM}mm" for side in ("top", "right", "bottom", "left")},
        print_background=False,
    )
    assert pdf.startswith(b"%PDF")
    sheets = len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))
    assert sheets >= len(layout["templates"]) + 1, (
        f"{sheets} sheets for {len(layout['templates'])} templates: the page breaks did not happen"
    )


def test_each_template_downloads_as_the_markdown_file(page, server):
    page.goto(server.url + "templates/")
    links = page.locator(".pb-template a[download]")
    count = links.count()
    assert count == page.locator(".pb-template").count() and count > 0
    for i in range(count):
        link = links.nth(i)
        name = link.get_attribute("download")
        url = link.evaluate("a => a.href")
        served = page.request.get(url)
        assert served.ok, f"{url}: HTTP {served.status}"
        expected = served.body()
        with page.expect_download() as info:
            link.click()
        download = info.value
        assert download.suggested_filename == name and name.endswith(".md")
        with open(download.path(), "rb") as fh:
            assert fh.read() == expected
        heading = link.locator("xpath=ancestor::*[contains(@class,'pb-template')]//h2").inner_text()
        assert expected.strip(), f"{heading}: the download is empty"
