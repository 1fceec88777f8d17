"""What the site guarantees when things go wrong, and that it needs nobody else.

* Self-contained: no page asks any other host for anything, fonts included.
* Strict CSP: every calculator and chart works under the policy docs/deploying.md
  documents (the test server sends it), with no 'unsafe-inline' / 'unsafe-eval'.
* Faults: a missing wasm, a corrupted numpy, a worker that throws, a stalled
  download each end in data-state="error", with a sentence naming the cause
  and what to do, and the prerendered result kept (how long the reader waits
  for that sentence is measured by ``make bench``, never asserted here).
* Bad input: a field-level message, cleared by the next valid input. Hostile
  share links, built to break the page, are checked in test_hostile_links.py.
* Links: every internal href and #anchor in the built site resolves.
* Caching: runtime files are cached by path, so a second visit downloads none.
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from pipeline.paths import manifest

from .calculator_page import summary_of
from .conftest import LAUNCH_ARGS, chromium_path, draw_charts, python_view, sitemap_pages, wait_state
from .page_edits import CALCULATORS, computed, edit_and_recompute, schema_edit
from .schema import in_view

CHART_PAGE = "chapters/managing/"  # a chapter with charts


def default_summary(name: str) -> str:
    from calculators import api

    return summary_of(python_view(name, api.get(name).default_input()))


# ------------------------------------------------------------------ 1. self-contained
def test_every_page_is_self_contained_with_calculators_ready_and_charts_drawn(page, server, site_dir):
    pages = sitemap_pages(site_dir)
    assert len(pages) >= 10, pages
    for path in pages:
        page.goto(server.url + path)
        expect(page.locator("h1").first).to_be_visible()
        if page.locator("[data-calculator]").count():
            assert wait_state(in_view(page)) == "ready", path
        for view in draw_charts(page, page.locator("figure.pb-chart .pb-chart__view"), states="true"):
            expect(view.locator("svg").first).to_be_attached()
        # Fonts: Material's Google Fonts are off (theme.font: false) and nothing else brings any.
        html = page.content()
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, path
        font_hosts = page.evaluate("""() => performance.getEntriesByType('resource')
            .filter(e => /\\.(woff2?|ttf|otf|eot)(\\?|$)/.test(e.name) || e.initiatorType === 'css')
            .map(e => new URL(e.name).origin).filter(o => o !== location.origin)""")
        assert font_hosts == [], (path, font_hosts)
    assert page.recorder.foreign == [], page.recorder.foreign
    assert page.recorder.errors == [], page.recorder.errors


# ------------------------------------------------------------------ 2. strict CSP

CSP_EDITS = {name: schema_edit(name) for name in CALCULATORS}


def test_everything_works_under_the_strict_csp(make_context, server):
    ctx, rec = make_context(server, viewport={"width": 1280, "height": 900})  # no bypass_csp
    csp_errors: list[str] = []
    p = ctx.new_page()
    p.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    for name in CALCULATORS:
        p.goto(server.url + f"calculators/{name}/")
        root = p.locator(f"[data-calculator={name}]")
        assert wait_state(in_view(p)) == "ready", name
        edit_and_recompute(root, CSP_EDITS[name])
        charts = root.locator(".pb-chart__view")
        if charts.count():
            charts.first.scroll_into_view_if_needed()
            expect(charts.first.locator("svg").first).to_be_attached(timeout=30_000)
    p.goto(server.url + CHART_PAGE)
    views = p.locator("figure.pb-chart--chapter .pb-chart__view")
    expect(p.locator("html")).to_have_attribute("data-pb-material", "ready", timeout=30_000)  # after load
    images = p.locator("figure.pb-chart--static img.pb-chart__img--light")  # drawn at build time; light palette
    assert views.count() + images.count() >= 1
    for img in images.all():
        img.scroll_into_view_if_needed()
        expect(img).to_have_js_property("complete", True)
        expect(img).not_to_have_js_property("naturalWidth", 0)  # loaded, not broken
    for view in views.all():
        view.scroll_into_view_if_needed()  # locators only: page.evaluate is refused under this CSP
        expect(view).to_have_attribute("data-rendered", "true", timeout=30_000)
        expect(view.locator("svg").first).to_be_attached()
    assert csp_errors == [], csp_errors
    assert rec.errors == [], rec.errors
    assert rec.foreign == []


# ------------------------------------------------------------------ 3. faults
FAULT_CASES = {
    # fault -> what the status must say (the cause: a stall ends by the runtime's own timeout)
    "wasm_404": r"could not be downloaded",
    "numpy_corrupt": r"did not match its checksum",
    "worker_throws": r"failed while starting",
    "stall": r"stalled",
}
#: How long a test waits for the error state (ms): a failure bound for a busy machine, not a measure.
FAULT_WAIT = 120_000


@pytest.mark.parametrize("fault", list(FAULT_CASES))
def test_a_runtime_fault_ends_in_a_clear_error_and_keeps_the_prerendered_result(make_context, server, faults, fault):
    cause = FAULT_CASES[fault]
    faults.add(fault)
    ctx, rec = make_context(server, bypass_csp=True, viewport={"width": 1280, "height": 900})
    if fault == "stall":
        ctx.add_init_script("globalThis.playbookRuntime = {timeoutMs: 3000}")
    p = ctx.new_page()
    name = CALCULATORS[0]
    p.goto(server.url + f"calculators/{name}/")
    root = p.locator(f"[data-calculator={name}]")
    status = root.locator(".pb-calc__status")
    root.scroll_into_view_if_needed()  # Python starts when the calculator is in view
    expect(root).to_have_attribute("data-state", "error", timeout=FAULT_WAIT)
    text = status.text_content().strip()
    assert re.search(cause, text), text
    assert re.search(r"\b(reload|check|tell)\b", text, re.I), f"says nothing about what to do: {text}"
    assert len(text) < 320 and "…" not in text, text  # a sentence or two, not a progress line
    expect(status).to_have_class(re.compile(r"pb-calc__status--error"))
    # The prerendered result is still there and visible.
    summary = root.locator(".pb-calc__result .pb-block--summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_text(default_summary(name))
    # Editing an input does not bring back a spinner or throw.
    selector, value = schema_edit(name)
    field = root.locator(selector)
    field.evaluate(
        "e => { for (let d = e.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }"
    )
    field.check() if value is None else field.fill(value)
    # The edit reaches the share link (the page handled it) and the state stays "error".
    p.wait_for_function("() => location.hash.startsWith('#i=')", timeout=30_000)
    assert root.get_attribute("data-state") == "error"
    assert status.text_content().strip() == text
    page_errors = [e for e in rec.errors if e.startswith("pageerror")]
    assert page_errors == [], page_errors


def test_bad_input_shows_a_field_message_and_the_next_valid_input_clears_it(page, server):
    page.goto(server.url + "calculators/timeline/")
    root = page.locator("[data-calculator=timeline]")
    assert wait_state(in_view(page)) == "ready"
    optimistic = root.locator('[data-field="tasks[0].optimistic"]')
    pessimistic = root.locator('[data-field="tasks[0].pessimistic"]')
    assert float(optimistic.input_value()) >= 1
    pessimistic.fill("0.5")  # below optimistic
    expect(root).to_have_attribute("data-valid", "false", timeout=30_000)
    expect(pessimistic).to_have_attribute("aria-invalid", "true")
    error = pessimistic.locator("xpath=following-sibling::p[contains(@class, 'pb-field__error')]")
    expect(error).to_be_visible()
    expect(error).to_contain_text(
        re.compile(r"pessimistic", re.I)
    )  # by the field's label; the words are the calculator's
    assert error.get_attribute("id") in (pessimistic.get_attribute("aria-describedby") or "").split()
    expect(root.locator(".pb-calc__status .pb-calc__first-error")).to_have_text("Pessimistic, row 1")
    before = computed(root)
    pessimistic.fill("40")
    expect(root).to_have_attribute("data-valid", "true", timeout=30_000)
    expect(error).to_be_hidden()
    expect(pessimistic).not_to_have_attribute("aria-invalid", "true")
    assert computed(root) > before
    assert page.recorder.errors == []


# ------------------------------------------------------------------ 6. links
class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag in ("a",) else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
                self.refs.append((tag, a[key]))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves(site_dir):
    pages = {p: _parse(p) for p in site_dir.rglob("*.html")}
    broken: list[str] = []
    checked = 0
    for page_path, parsed in pages.items():
        base = "http://site/" + page_path.relative_to(site_dir).as_posix()
        for tag, ref in parsed.refs:
            parts = urlsplit(urljoin(base, ref))
            if parts.scheme != "http" or parts.netloc != "site":
                continue  # mailto:, data:, and links to other sites (the references page)
            target = site_dir / unquote(parts.path).lstrip("/")
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            where = f"{page_path.relative_to(site_dir)}: <{tag}> {ref}"
            checked += 1
            if not target.is_file():
                broken.append(f"{where} -> no file {target.relative_to(site_dir)}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and not fragment.startswith("i=") and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if fragment not in ids:
                    broken.append(f"{where} -> no #{fragment} in {target.relative_to(site_dir)}")
    assert checked > 100, checked
    assert broken == [], "\n".join(broken)


# ------------------------------------------------------------------ 8. caching
RUNTIME_PATHS = ("/assets/pyodide/", "/assets/py/", "/assets/vendor/")


def _runtime_bytes(server, site_dir: Path) -> tuple[int, list[str]]:
    fetched = [r for r in server.requests if r.startswith(RUNTIME_PATHS)]
    return sum((site_dir / unquote(r).lstrip("/")).stat().st_size for r in fetched), fetched


def test_a_second_visit_downloads_no_runtime_bytes_again(browser, server, site_dir, tmp_path):
    import hashlib

    # A profile on disk, as a reader's browser has: the in-memory cache of a fresh
    # context holds no entry over ~6 MB (the wasm is 10 MB). Playwright turns the
    # HTTP cache off when requests are routed, so requests are only watched here.
    ctx = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path(),
        args=LAUNCH_ARGS,
        viewport={"width": 1280, "height": 900},
        service_workers="block",  # the offline copy (sw.js) would fetch the runtime too: test_offline.py
    )
    foreign: list[str] = []
    ctx.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((server.url, "data:", "blob:")) else None)
    try:
        page = ctx.new_page()
        server.requests.clear()
        page.goto(server.url + "calculators/timeline/")
        assert wait_state(in_view(page)) == "ready"
        first, _ = _runtime_bytes(server, site_dir)
        assert first > 10_000_000, first  # wasm, stdlib, numpy, our wheel, the chart libraries
        version = manifest()["pyodide"]["version"]
        response = page.request.get(server.url + f"assets/pyodide/{version}/pyodide.asm.wasm")
        assert "immutable" in response.headers["cache-control"]
        assert page.request.get(server.url + "calculators/timeline/").headers["cache-control"] == "no-cache"

        server.requests.clear()
        page.reload()
        assert wait_state(in_view(page)) == "ready"
        page.goto(server.url + "calculators/feedback/")
        assert wait_state(in_view(page)) == "ready"
        again, fetched = _runtime_bytes(server, site_dir)
        assert again == 0, f"the second visit downloaded {again:,} runtime bytes again: {fetched}"
        assert any(r.endswith("/calculators/feedback/") for r in server.requests)  # pages are revalidated
        assert foreign == []
        lock_url = json.loads(page.locator("[data-calculator=feedback]").get_attribute("data-runtime"))["lockURL"]
    finally:
        ctx.close()

    # The wheel's folder is named by the wheel's own hash, so new code means a new path.
    segment = lock_url.split("/")[-2]
    lock_path = site_dir / "assets" / "py" / segment / "pyodide-lock.json"
    entry = json.loads(lock_path.read_text())["packages"]["calculators"]
    wheel = lock_path.parent / entry["file_name"].rsplit("/", 1)[1]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    assert segment == entry["sha256"][:12], (segment, entry["sha256"])
    assert sorted(p.name for p in (site_dir / "assets" / "py").iterdir()) == [segment]
