"""A fork's data change reaches the result Pyodide computes in the browser.

The fork (tests/conftest.py: ``fork_site``) renames an archetype in
calculators/data/archetypes.toml; its own wheel must carry that name into a
result computed in Chromium, with the session's one browser.
"""

from __future__ import annotations

import re

from playwright.sync_api import expect

from ..forking import ARCHETYPE_NEW
from .conftest import READY_TIMEOUT
from .server import SiteServer


def test_the_browser_computes_with_the_forks_data(fork_site, make_context):
    srv = SiteServer(fork_site).start()
    ctx, rec = make_context(srv)
    try:
        page = ctx.new_page()
        page.goto(srv.url + "calculators/archetype/")
        root = page.locator("[data-calculator=archetype]")
        root.scroll_into_view_if_needed()
        expect(root).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
        root.locator('[data-field="target"]').select_option("ml_first")
        expect(root).to_have_attribute("data-computed", re.compile(r"^[1-9]"), timeout=30_000)
        result = root.locator(".pb-calc__result")
        expect(result).to_contain_text("ML-first organisation")
        expect(result.locator(".pb-block--summary")).to_contain_text(ARCHETYPE_NEW)
        assert rec.errors == [] and rec.foreign == []
    finally:
        srv.stop()
