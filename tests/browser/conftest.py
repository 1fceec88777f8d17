"""Browser fixtures: one built site, one server and one Chromium per session.

The site is the one ``make test`` builds into ``site/`` (built here if missing).
Each test gets a fresh browser context that records console errors, page
errors and any request to a host other than the test server (which it blocks),
and saves a screenshot under ``test-results/`` when the test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from pipeline.devserver import LAUNCH_ARGS, chromium_path
from pipeline.paths import REPO

from .faults import FaultyServer

__all__ = ["LAUNCH_ARGS", "chromium_path"]  # re-exported to the tests

SITE = Path(os.environ.get("PLAYBOOK_SITE", REPO / "site"))
#: The folder the site is served in ("/" or, for a fork published as a project site, "/REPO/").
BASE = os.environ.get("PLAYBOOK_SITE_BASE", "/")
RESULTS = REPO / "test-results"
READY_TIMEOUT = 120_000  # ms: a cold start compiles 10 MB of wasm on a small machine

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items):
    """Mark every test under tests/browser/ ``browser`` (``make test-fast`` deselects them).

    A ``pytestmark`` in a conftest marks nothing; this hook sees every collected
    item of the session, so it marks only those in this folder.
    """
    for item in items:
        if item.path.resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site_dir() -> Path:
    if not (SITE / "index.html").exists():
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=REPO, check=True)
    return SITE


@pytest.fixture(scope="session")
def server(site_dir):
    # The test build keeps the placeholder site_url: serve its sitemap as if published here,
    # so instant navigation is on (test_subpath.py serves a site built for its address instead).
    srv = FaultyServer(site_dir, base=BASE, rewrite_sitemap=True).start()
    yield srv
    srv.stop()


@pytest.fixture
def faults(server):
    """Set of faults the server injects during one test (cleared afterwards; see faults.py)."""
    server.faults.clear()
    yield server.faults
    server.faults.clear()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
        except Exception as exc:  # a missing browser must fail loudly, not skip
            pytest.fail(
                f"cannot start Chromium for the browser tests ({exc}); run `make browser` or set "
                "PLAYWRIGHT_CHROMIUM=/path/to/chrome"
            )
        yield b
        b.close()


class Recorder:
    def __init__(self, origin: str):
        self.origin = origin
        self.errors: list[str] = []
        self.foreign: list[str] = []

    def on_console(self, msg):
        if msg.type == "error":
            self.errors.append(f"console: {msg.text} @ {msg.location.get('url', '')}")

    def on_pageerror(self, err):
        self.errors.append(f"pageerror: {err}")


def new_context(browser, server, request, **options):
    # The service worker (sw.js, issue 25) registers once a reader is idle and then stores the
    # site: tests of other things see a first visit without it; test_offline.py and
    # test_embed.py pass service_workers="allow".
    context = browser.new_context(**{"service_workers": "block", **options})
    rec = Recorder(server.url.rstrip("/"))

    def route(r):
        url = r.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or url.startswith(rec.origin + "/"):
            r.continue_()
        else:
            rec.foreign.append(url)
            r.abort()

    context.route("**/*", route)
    context.on("page", lambda p: (p.on("console", rec.on_console), p.on("pageerror", rec.on_pageerror)))
    request.node._recorder = rec
    return context, rec


@pytest.fixture
def make_context(browser, request):
    """``make_context(server, **options) -> (context, recorder)``: contexts closed after the
    test, with a screenshot of each of their pages when it fails."""
    made = []

    def make(server, **options):
        ctx, rec = new_context(browser, server, request, **options)
        made.append(ctx)
        return ctx, rec

    yield make
    for ctx in made:
        _screenshot_on_failure(request, ctx)
        ctx.close()


@pytest.fixture
def context(make_context, server):
    """A context with CSP bypassed, so tests may evaluate JavaScript (the CSP test does not)."""
    ctx, rec = make_context(server, bypass_csp=True, viewport={"width": 1280, "height": 900})
    ctx.recorder = rec
    return ctx


@pytest.fixture
def page(context):
    p = context.new_page()
    p.recorder = context.recorder
    return p


def _screenshot_on_failure(request, ctx):
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        RESULTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-120:]
        for i, p in enumerate(ctx.pages):
            with contextlib.suppress(Exception):  # a page that cannot be drawn must not hide the failure
                p.screenshot(path=str(RESULTS / f"{name}-{i}.png"), full_page=True)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def sitemap_pages(site_dir: Path) -> list[str]:
    """Every page of the built site (each HTML page but 404), as paths relative to the root.

    The sitemap lists the same pages only when ``site_url`` is set, which a fork
    may leave empty, so the pages are read from the site itself.
    """
    pages = []
    for html in sorted(site_dir.rglob("*.html")):
        rel = html.relative_to(site_dir).as_posix()
        if rel in ("404.html", "offline.html") or rel.startswith("embed/"):
            continue  # not pages of the site: what a broken link, no network or a frame gets (issue 25)
        pages.append(rel[: -len("index.html")] if rel.endswith("index.html") else rel)
    return pages


def calculator_pages(site_dir: Path) -> dict[str, str]:
    """``{calculator name: page path}`` of the built site, found by the calculators' markup."""
    found: dict[str, str] = {}
    for rel in sitemap_pages(site_dir):
        html = (site_dir / (rel + "index.html" if rel.endswith("/") or not rel else rel)).read_text(encoding="utf-8")
        for name in re.findall(r'data-calculator="([a-z_]+)"', html):
            found.setdefault(name, rel)
    return found


MATERIAL_READY = """() => {
  const late = document.querySelector('script[data-src*="bundle."]');
  return late ? document.documentElement.dataset.pbMaterial === 'ready' : Boolean(window.document$);
}"""

# Every stylesheet the page links is loaded and applies (a failed one has no .sheet).
STYLED = """() => [...document.querySelectorAll('link[rel=stylesheet]')].every((l) => l.sheet && l.sheet.cssRules.length > 0)"""


def material_ready(page, timeout: int = 30_000) -> None:
    """Wait until Material's bundle has run: it runs after the page has loaded (material/late.js),
    and only then do instant navigation, search and the palette toggle answer."""
    page.wait_for_function(MATERIAL_READY, timeout=timeout)
    try:
        page.wait_for_function(STYLED, timeout=timeout)
    except Exception as exc:
        sheets = page.evaluate(
            "[...document.querySelectorAll('link[rel=stylesheet]')].map((l) => [l.href, Boolean(l.sheet)])"
        )
        raise AssertionError(f"{page.url}: not every stylesheet applies: {sheets}") from exc


def wait_state(page, states: str = "ready|error", timeout: int = READY_TIMEOUT, selector: str = "[data-calculator]"):
    from playwright.sync_api import expect

    expect(page.locator(selector).first).to_have_attribute("data-state", re.compile(f"^({states})$"), timeout=timeout)
    return page.locator(selector).first.get_attribute("data-state")


def draw_charts(page, views=None, *, states: str = "true|error", timeout: int = 30_000) -> list:
    """Scroll every chart view into view (charts draw when they come near it) and wait until drawn."""
    from playwright.sync_api import expect

    material_ready(page)  # the page as the reader gets it: Material's bundle runs after the page has loaded
    views = (views if views is not None else page.locator(".pb-chart__view")).all()
    for view in views:
        view.scroll_into_view_if_needed()
        expect(view).to_have_attribute("data-rendered", re.compile(f"^({states})$"), timeout=timeout)
    return views


def page_input(page) -> dict:
    """The calculator input the page holds, decoded from its share link."""
    sys.path.insert(0, str(REPO))
    from calculators import share

    return share.decode(page.evaluate("location.hash"))


def result_texts(page) -> list[str]:
    return page.locator(".pb-calc__result .pb-block--summary").all_text_contents()


def python_view(name: str, data: dict) -> list[dict]:
    from calculators import api

    return api.compute(name, json.loads(json.dumps(data)))["view"]
