"""A calculator inside another site's page (issue 25).

A host page on a second origin (another port of 127.0.0.1) frames each
calculator's embed page, with the host snippet that docs/deploying.md shows
(read from the page, so the documented snippet is the tested one). Allowed by
``frame_ancestors`` (the CSP the build writes into deploy/_headers), the frame
shows the calculator alone, computes a changed input given in its address, links
to the full page with the inputs, and the host receives its height. With the
default setting ('self' only) the frame is refused.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from pipeline import offline
from pipeline.devserver import CSP, LAUNCH_ARGS, SiteServer, chromium_path  # noqa: F401

from .conftest import REPO, calculator_pages, python_view, wait_state

DOC = REPO / "docs" / "deploying.md"
DOC_ORIGIN = "https://playbook.example.org"


def host_snippet() -> str:
    """The host page's script, as docs/deploying.md shows it."""
    text = DOC.read_text(encoding="utf-8")
    m = re.search(r"<script>\n(.*?)</script>", text, re.S)
    assert m, "docs/deploying.md shows no host snippet"
    assert len(m.group(0).strip().splitlines()) <= 10, "the host snippet is over ten lines"
    return m.group(0)


@pytest.fixture
def host(tmp_path):
    """A second origin for the host page (no CSP: it is someone else's site)."""
    srv = SiteServer(tmp_path, csp=None).start()
    srv.folder = tmp_path
    yield srv
    srv.stop()


def _origin(url: str) -> str:
    return re.match(r"https?://[^/]+", url).group(0)


def _host_page(host, src: str, playbook_origin: str) -> str:
    script = host_snippet().replace(DOC_ORIGIN, playbook_origin)
    html = (
        "<!doctype html><html><head><title>Team plan</title></head><body><h1>Our plan</h1>"
        f'<iframe src="{src}" title="Calculator" style="width:100%;height:200px;border:0"></iframe>'
        "<script>addEventListener('message', (e) => { window.heights = (window.heights || []).concat([e.data]); });"
        "document.querySelector('iframe').addEventListener('load', () => { document.body.dataset.loaded = '1'; });"
        f"</script>{script}</body></html>"
    )
    name = f"host-{abs(hash(src))}.html"
    (Path(host.folder) / name).write_text(html, encoding="utf-8")
    return host.url + name


@pytest.fixture
def embeds(site_dir):
    pages = calculator_pages(site_dir)
    if not (site_dir / "embed").is_dir():
        pytest.skip("this site is built with extra.playbook.embed: false")
    assert pages
    for name in pages:
        assert (site_dir / "embed" / name / "index.html").is_file(), f"no embed page for {name}"
    return pages


def _browser_context(browser):
    # Not the shared fixture's context: it blocks every origin but the site's, and the host is another.
    return browser.new_context(viewport={"width": 1000, "height": 800})


def test_each_calculator_computes_in_a_frame_on_another_site(browser, site_dir, host, embeds):
    from calculators import share

    from .test_offline import _changed_input

    allowed = SiteServer(site_dir, csp=offline.with_frame_ancestors(CSP, ["'self'", _origin(host.url)])).start()
    ctx = _browser_context(browser)
    try:
        page = ctx.new_page()
        for name, full in embeds.items():
            data = _changed_input(name)
            page.goto(_host_page(host, f"{allowed.url}embed/{name}/#{share.encode(data)}", _origin(allowed.url)))
            frame = page.frame_locator("iframe")
            assert wait_state(frame, timeout=120_000) == "ready", name
            headline = python_view(name, data)[0]["text"]
            expect(frame.locator(".pb-calc__result .pb-block--summary").first).to_have_text(headline, timeout=60_000)
            # The calculator alone: no site header, navigation or footer.
            assert frame.locator(".md-header, .md-sidebar, .md-footer").count() == 0
            link = frame.locator("a[data-pb-full]")
            link.focus()
            expect(link).to_have_attribute("href", re.compile(re.escape(f"{allowed.url}{full}#i=")))
            # The host got the frame's height and the snippet sized the frame with it.
            page.wait_for_function(
                "(n) => (window.heights || []).some((m) => m.type === 'pb:embed-height' && m.calculator === n)",
                arg=name,
            )
            posted = page.evaluate("(n) => window.heights.filter((m) => m.calculator === n).at(-1).height", name)
            expect(page.locator("iframe")).to_have_attribute("style", re.compile(rf"height: {posted}px"))
            assert posted > 400, posted
    finally:
        ctx.close()
        allowed.stop()


def test_the_default_setting_refuses_a_frame_on_another_site(browser, site_dir, host, embeds):
    refused = SiteServer(site_dir).start()  # deploy/_headers as built: frame-ancestors 'self'
    assert "frame-ancestors 'self'" in CSP and _origin(host.url) not in CSP
    ctx = _browser_context(browser)
    try:
        page = ctx.new_page()
        said: list[str] = []
        page.on("console", lambda m: said.append(m.text))
        name = next(iter(embeds))
        page.goto(_host_page(host, f"{refused.url}embed/{name}/", _origin(refused.url)))
        expect(page.locator("body")).to_have_attribute("data-loaded", "1", timeout=30_000)
        page.wait_for_function("() => true")  # let the console message arrive with the same task
        assert page.frame_locator("iframe").locator("[data-calculator]").count() == 0
        assert any("frame-ancestors" in s for s in said), said
    finally:
        ctx.close()
        refused.stop()
