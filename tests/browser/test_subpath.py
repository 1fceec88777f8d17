"""Published in a folder, as GitHub Pages serves a project site (``https://ORG.github.io/REPO/``).

The site is built for its address (``SITE_URL=http://127.0.0.1:PORT/REPO/``, as
the publish workflow does with the Pages address) and served under ``/REPO/``
with the sitemap exactly as built: nothing is rewritten. A calculator reaches
``ready``; following a link to another calculator page is an instant navigation
that keeps the same document and so the same running Python; the 404 page is
styled.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

from pipeline.devserver import SiteServer, free_port

from .conftest import READY_TIMEOUT, REPO, calculator_pages, material_ready, wait_state

FOLDER = "/playbook-under-test/"
pytestmark = pytest.mark.builds_here  # its fixture runs mkdocs build in this checkout


@pytest.fixture(scope="module")
def published(tmp_path_factory):
    """(site dir, server) for a build made for http://127.0.0.1:PORT/playbook-under-test/."""
    port = free_port()
    url = f"http://127.0.0.1:{port}{FOLDER}"
    site = tmp_path_factory.mktemp("subpath") / "site"
    env = {**os.environ, "SITE_URL": url, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("DEPLOY", None)
    proc = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", str(site)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, f"the build for {url} failed:\n{proc.stderr[-3000:]}"
    srv = SiteServer(site, port=port, base=FOLDER).start()
    assert srv.url == url
    yield site, srv
    srv.stop()


def test_the_sitemap_is_served_as_built_and_names_this_address(published):
    site, srv = published
    import urllib.request

    with urllib.request.urlopen(srv.url + "sitemap.xml", timeout=10) as r:
        served = r.read()
    assert served == (site / "sitemap.xml").read_bytes()
    locs = re.findall(r"<loc>([^<]+)</loc>", served.decode())
    assert locs and all(loc.startswith(srv.url) for loc in locs), locs[:3]


def test_instant_navigation_keeps_python_running_across_calculator_pages(published, make_context):
    site, srv = published
    pages = calculator_pages(site)
    assert len(pages) >= 2, pages
    (first, first_path), (second, second_path) = list(pages.items())[:2]
    ctx, rec = make_context(srv, bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    page.goto(srv.url + first_path)
    page.locator(f"[data-calculator={first}]").scroll_into_view_if_needed()
    assert wait_state(page, "ready|error", selector=f"[data-calculator={first}]") == "ready"
    page.evaluate("window.__sameDocument = 'yes'")
    wasm_fetches = [r for r in srv.requests if r.endswith("pyodide.asm.wasm")]
    assert len(wasm_fetches) == 1, wasm_fetches
    material_ready(page)
    page.locator(f'.md-nav a[href$="{second_path}"]').first.click()
    expect(page).to_have_url(srv.url + second_path)
    root = page.locator(f"[data-calculator={second}]")
    root.scroll_into_view_if_needed()
    expect(root).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
    assert page.evaluate("window.__sameDocument") == "yes", "the link reloaded the page: instant navigation is off"
    assert [r for r in srv.requests if r.endswith("pyodide.asm.wasm")] == wasm_fetches, "Python was started again"
    assert rec.errors == [] and rec.foreign == []


def test_the_404_page_is_styled_in_the_folder(published, make_context):
    _, srv = published
    ctx, _ = make_context(srv, bypass_csp=True, viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    stylesheets = []
    page.on(
        "response", lambda r: stylesheets.append((r.url, r.status)) if r.request.resource_type == "stylesheet" else None
    )
    response = page.goto(srv.url + "no/such/page/")
    assert response is not None and response.status == 404
    header = page.locator(".md-header")
    expect(header).to_be_visible()
    # Found (200), or revalidated (304: the browser asked again for a copy it holds): never missing.
    assert stylesheets and all(status in (200, 304) for _, status in stylesheets), stylesheets
    assert all(url.startswith(srv.url) for url, _ in stylesheets), stylesheets
    assert header.evaluate("el => getComputedStyle(el).position") in ("sticky", "fixed")
    assert header.evaluate("el => getComputedStyle(el).backgroundColor") not in ("rgba(0, 0, 0, 0)", "transparent")
