"""The playbook offline after one visit, and its updates (issue 25).

Each test serves its own copy of the built site with its own server, because
going offline here means the server is gone (stopped), not only the browser's
emulation: the service worker's own requests are then refused too.

* Offline: a reader opens the home page and a calculator; the service worker
  stores the pages, then the runtime. With the server stopped and the context
  offline, three chapters never opened before, search, every calculator (each
  computing a changed input, Python included) work, and a page that was never
  stored shows the styled offline page with links to the pages that are stored.
* Update: the site is built again with a changed page (the build's offline step
  run on a copy with one page edited); the next online visit shows the notice,
  and the next click on a link loads the new page, every file of it from the new
  version (no file of the old one is in the cache any more).
"""

from __future__ import annotations

import contextlib
import json
import re
import shutil

import pytest
from playwright.sync_api import expect

from pipeline import offline
from pipeline.devserver import SiteServer

from .conftest import STYLED, calculator_pages, material_ready, python_view, sitemap_pages, wait_state

STORED = "(want) => want.split('|').includes(document.documentElement.dataset.pbOffline)"


@pytest.fixture
def site_copy(site_dir, tmp_path):
    if not (site_dir / "sw.js").is_file():
        pytest.skip("this site is built with extra.playbook.offline: false")
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    return copy


@pytest.fixture
def own_server(site_copy):
    srv = SiteServer(site_copy, rewrite_sitemap=True).start()
    yield srv
    with contextlib.suppress(OSError):  # the offline test has stopped it already
        srv.stop()


def _context(make_context, server):
    ctx, rec = make_context(server, service_workers="allow", bypass_csp=True, viewport={"width": 1280, "height": 900})
    return ctx, rec


def _h1(site, rel: str) -> str:
    html = (site / (rel + "index.html")).read_text(encoding="utf-8")
    m = re.search(r"<h1[^>]*>(.*?)(<a class=\"headerlink\"|</h1>)", html, re.S)
    assert m, rel
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


def _changed_input(name: str) -> dict:
    """An example's input whose headline differs from the default's (a changed input, a new result)."""
    from calculators import api

    config = api.page_config(name)
    default = python_view(name, config["default"])
    for example in config["examples"]:
        view = python_view(name, example["input"])
        if view[0]["text"] != default[0]["text"]:
            return example["input"]
    pytest.fail(f"{name}: no example gives another headline than the default")


def test_every_page_search_and_calculator_work_offline_after_one_visit(make_context, own_server, site_copy):
    from calculators import share

    manifest = json.loads(re.search(r"const MANIFEST = (\{.*?\});\n", (site_copy / "sw.js").read_text()).group(1))
    calculators = calculator_pages(site_copy)
    ctx, rec = _context(make_context, own_server)
    page = ctx.new_page()
    page.goto(own_server.url)
    page.wait_for_function(STORED, arg="pages|all", timeout=120_000)
    expect(page.locator("[data-pb-offline-line]")).to_contain_text("available offline on this device")
    expect(page.get_by_role("button", name="Remove it from this device")).to_be_visible()

    # Opening one calculator stores the runtime (at once when the site is small).
    page.goto(own_server.url + next(iter(calculators.values())))
    assert wait_state(page) == "ready"
    page.wait_for_function(STORED, arg="all", timeout=240_000)
    if not manifest["eager"]:
        assert sum(manifest["bytes"].values()) > offline.RUNTIME_LIMIT

    own_server.stop()  # offline: nothing answers any more
    ctx.set_offline(True)
    opened = {"", next(iter(calculators.values()))}
    chapters = [p for p in sitemap_pages(site_copy) if p.startswith("chapters/") and p not in opened][:3]
    assert len(chapters) == 3, chapters
    for rel in chapters:
        response = page.goto(own_server.url + rel)
        assert response and response.status == 200, rel
        expect(page.locator("article h1").first).to_contain_text(_h1(site_copy, rel))
        page.wait_for_function(STYLED)

    # Search: Material's worker and the index come from the store too.
    material_ready(page)
    page.locator(".md-search__input").click()
    expect(page.locator(".md-search-result__meta")).to_have_text(
        "Type to start searching", timeout=60_000
    )  # index built
    page.locator(".md-search__input").press_sequentially("hiring")  # Material searches on keyup
    expect(page.locator(".md-search-result__item").first).to_be_visible(timeout=30_000)

    # A page that was never stored (here: one the site does not have): the offline page.
    response = page.goto(own_server.url + "chapters/never-stored/")
    assert response and response.status == 503
    expect(page.locator("article h1").first).to_have_text("You are offline")
    page.wait_for_function(STYLED)
    links = page.locator("[data-pb-offline-links] li:not([hidden]) a")
    expect(links.first).to_be_visible()
    assert links.count() >= len(chapters)

    for name, rel in calculators.items():
        data = _changed_input(name)
        page.goto(own_server.url + rel + "#" + share.encode(data))
        assert wait_state(page) == "ready", f"{name}: Python did not start offline"
        headline = python_view(name, data)[0]["text"]
        expect(page.locator(".pb-calc__result .pb-block--summary").first).to_have_text(headline, timeout=60_000)
    unexpected = [e for e in rec.errors if "status of 503 (Offline)" not in e]  # the offline page itself
    assert unexpected == [], unexpected


def test_remove_button_deletes_the_copy(make_context, own_server):
    ctx, _ = _context(make_context, own_server)
    page = ctx.new_page()
    page.goto(own_server.url)
    page.wait_for_function(STORED, arg="pages|all", timeout=120_000)
    page.get_by_role("button", name="Remove it from this device").click()
    page.wait_for_function(STORED, arg="removed")
    assert page.evaluate("caches.keys().then((k) => k.filter((n) => n.startsWith('pb-offline')))") == []
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    page.reload()  # stays removed on the next visit
    page.wait_for_function(STORED, arg="removed")
    expect(page.get_by_role("button", name="Keep it offline again")).to_be_visible()


def test_a_new_version_is_announced_and_opens_on_the_next_page(make_context, own_server, site_copy):
    ctx, _ = _context(make_context, own_server)
    page = ctx.new_page()
    page.goto(own_server.url)
    page.wait_for_function(STORED, arg="pages|all", timeout=120_000)
    chapters = [p for p in sitemap_pages(site_copy) if p.startswith("chapters/")]
    target = chapters[0]
    old_version = _version(site_copy)

    # A new build: one page changed, the build's offline step run again.
    path = site_copy / target / "index.html"
    html = path.read_text(encoding="utf-8")
    path.write_text(html.replace("</h1>", " (revised)</h1>", 1), encoding="utf-8")
    offline.write_service_worker(site_copy, quiet=True)
    assert _version(site_copy) != old_version

    page.goto(own_server.url + chapters[1])  # the next online visit
    expect(page.locator(".pb-update")).to_contain_text("A new version of the playbook is ready", timeout=120_000)
    expect(page.locator("article h1").first).not_to_contain_text("(revised)")
    page.locator(f'article a[href$="{target.split("/")[-2]}/"], nav a[href$="{target.split("/")[-2]}/"]').first.click()
    expect(page.locator("article h1").first).to_contain_text("(revised)", timeout=60_000)
    # Every file of the new page comes from the new version: the worker in control is the new one
    # (its manifest is the rebuilt site's), and every file the page loaded is one the new version lists.
    assert page.evaluate(
        """async () => {
          const meta = await caches.open('pb-offline-meta');
          const r = await meta.match(new URL('__pb/meta/current', navigator.serviceWorker.controller.scriptURL).href);
          return r ? (await r.json()).version : null;
        }"""
    ) == _version(site_copy)
    manifest = json.loads(re.search(r"const MANIFEST = (\{.*?\});\n", (site_copy / "sw.js").read_text()).group(1))
    loaded = page.evaluate("performance.getEntriesByType('resource').map((e) => e.name)")
    root = own_server.url
    ours = [u.split("?")[0][len(root) :] for u in loaded if u.startswith(root)]
    assert ours and all(p in manifest["files"] for p in ours), [p for p in ours if p not in manifest["files"]]


def _version(site) -> str:
    return re.search(r'"version":"([0-9a-f]+)"', (site / "sw.js").read_text()).group(1)


def test_under_a_folder_the_copy_covers_that_folder_only(make_context, site_copy):
    """Published in a folder (a GitHub Pages project site): the worker's scope is the folder."""
    srv = SiteServer(site_copy, base="/ml-playbook/", rewrite_sitemap=True).start()
    try:
        ctx, _ = _context(make_context, srv)
        page = ctx.new_page()
        page.goto(srv.url)
        page.wait_for_function(STORED, arg="pages|all", timeout=120_000)
        assert page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.scope)") == srv.url
        chapter = next(p for p in sitemap_pages(site_copy) if p.startswith("chapters/"))
    finally:
        srv.stop()
    ctx.set_offline(True)
    response = page.goto(srv.url + chapter)
    assert response and response.status == 200
    expect(page.locator("article h1").first).to_contain_text(_h1(site_copy, chapter))
    page.wait_for_function(STYLED)
