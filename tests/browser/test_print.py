"""A calculator's result prints on one sheet (issue 25).

For each calculator page of the built site, with its default example: the page
is printed with ``page.pdf()`` on A4 and on Letter. Each PDF has exactly one
page; its text holds the page's title, the headline, every key figure, "What to
do next" and the share link; no form control is laid out in print; and the main
chart is there as SVG. Expectations are read from the page and from the Python
API, so the test holds for a fork's calculators.
"""

from __future__ import annotations

import io
import re

import pytest

from .conftest import calculator_pages, python_view, wait_state

pypdf = pytest.importorskip("pypdf", reason="pypdf is in the test group: make venv installs it")

CONTROLS = """() => [...document.querySelectorAll('article input, article select, article textarea, article button,'
  + ' article progress, article summary')].filter((e) => e.getClientRects().length > 0).map((e) => e.outerHTML.slice(0, 80))"""
MAIN_CHART = ".pb-calc__result figure.pb-block--chart .pb-chart__view"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.fixture(scope="module")
def calculators(site_dir):
    found = calculator_pages(site_dir)
    assert found, "the built site has no calculator page"
    return found


def test_print_button_and_one_sheet_per_calculator(page, server, calculators):
    from calculators import api

    for name, path in calculators.items():
        page.goto(server.url + path)
        page.locator("[data-calculator]").first.scroll_into_view_if_needed()
        assert wait_state(page) == "ready", f"{name}: Python did not start"
        button = page.get_by_role("button", name="Print the result")
        assert button.count() == 1, f"{name}: no 'Print the result' button"
        # The main chart is drawn once Python has settled, wherever it is on the page.
        page.locator(MAIN_CHART).first.wait_for(state="attached")
        page.wait_for_function(f"document.querySelector('{MAIN_CHART}').dataset.rendered === 'true'")

        view = python_view(name, api.page_config(name)["default"])
        headline = next(b["text"] for b in view if b["type"] == "summary")
        figures = [i["value"] for b in view if b["type"] == "metrics" for i in b["items"]]
        title = page.locator("article h1").first.inner_text().replace("¶", "").strip()

        page.emulate_media(media="print")
        assert page.evaluate(CONTROLS) == [], f"{name}: form controls are laid out in print"
        assert page.locator(f"{MAIN_CHART} svg").first.is_visible(), f"{name}: the main chart is not printed as SVG"
        link = page.locator(".pb-print__link").inner_text()
        assert "#i=" in link, f"{name}: the share link is not printed: {link!r}"
        for size in ("A4", "Letter"):
            pdf = pypdf.PdfReader(io.BytesIO(page.pdf(format=size)))
            text = _flat(" ".join(p.extract_text() or "" for p in pdf.pages))
            assert len(pdf.pages) == 1, f"{name}: {len(pdf.pages)} {size} sheets, not one"
            assert "/AcroForm" not in pdf.trailer["/Root"], f"{name}: the PDF has form fields"
            for expected in (title, headline, "What to do next", *figures):
                assert _flat(expected) in text, f"{name} ({size}): {expected!r} is not in the printed text"
        page.emulate_media(media="screen")


def test_print_follows_the_readers_inputs(page, server, calculators):
    """Opened with other inputs (a share link), the printed headline and inputs in brief are those."""
    from calculators import share

    from .test_offline import _changed_input

    name, path = next(iter(calculators.items()))
    data = _changed_input(name)
    page.goto(server.url + path + "#" + share.encode(data))
    page.locator("[data-calculator]").first.scroll_into_view_if_needed()
    assert wait_state(page) == "ready"
    headline = python_view(name, data)[0]["text"]
    page.wait_for_function(
        "(h) => document.querySelector('.pb-calc__result .pb-block--summary').textContent === h", arg=headline
    )
    page.emulate_media(media="print")
    text = _flat(pypdf.PdfReader(io.BytesIO(page.pdf(format="A4"))).pages[0].extract_text())
    assert _flat(headline) in text
    brief = page.locator(".pb-print__inputs").inner_text()
    assert _flat(brief.splitlines()[-1]) in text, "the inputs in brief are not the link's"
    assert share.encode(data) in _flat(page.locator(".pb-print__link").inner_text())
