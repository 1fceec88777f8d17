"""The page's scripts as the built site ships them (``overrides/assets/playbook/``).

- The build-time snapshot maker (``pipeline/snapshot_maker.mjs``) is not shipped: readers
  download only the restore's modules.
- Every module a shipped module imports by a relative path is shipped too (a split that
  forgets a file fails here, not in a reader's browser).
- The returning reader's storage key has one definition: the build writes it into each
  calculator's ``data-runtime``, and no shipped script spells it out.

Needs ``site/`` (``make build``), so it is marked ``browser`` like the other built-site
tests; skipped without a site.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from pipeline.paths import REPO

SITE = Path(os.environ.get("PLAYBOOK_SITE", REPO / "site"))
PLAYBOOK = SITE / "assets" / "playbook"
MAKER = REPO / "pipeline" / "snapshot_maker.mjs"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not (SITE / "index.html").exists(), reason="no built site: run `make build`"),
]

#: A relative module specifier: `from "./x.mjs"`, `import "./x.mjs"` and `import("./x.mjs")`.
_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}/[^"'?]+)""")


def scripts() -> list[Path]:
    return sorted(p for p in PLAYBOOK.rglob("*") if p.suffix in {".mjs", ".js"})


def test_the_snapshot_maker_is_not_shipped():
    assert scripts(), f"no scripts under {PLAYBOOK}"
    maker = MAKER.read_bytes()
    assert not [p for p in SITE.rglob("*.mjs") if p.name == MAKER.name or p.read_bytes() == maker]
    # Nothing the site serves of its own defines or loads the maker's entry point.
    uses = [
        p.relative_to(SITE).as_posix()
        for p in scripts()
        if re.search(r"\bmakeSnapshot\b|\bfreezeEntropy\b", p.read_text())
    ]
    assert uses == [], f"the build-time maker's code is shipped in {uses}"
    # The restore itself is: the split did not drop it.
    assert (PLAYBOOK / "snapshot" / "restore.mjs").is_file()


def test_every_relative_import_of_a_shipped_module_is_shipped():
    checked = 0
    for path in scripts():
        for spec in _IMPORT.findall(path.read_text()):
            target = (path.parent / spec).resolve()
            assert target.is_file(), f"{path.relative_to(SITE)} imports {spec}, which the site does not serve"
            checked += 1
    assert checked >= 10, f"only {checked} imports found: the pattern no longer matches the modules"


def test_the_returning_readers_key_is_written_by_the_build_only():
    roots = []
    for page in sorted(SITE.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        if "data-runtime=" in text:
            roots += BeautifulSoup(text, "html.parser").select("[data-calculator][data-runtime]")
    assert roots, "no calculator page in the site"
    keys = {json.loads(str(root["data-runtime"])).get("returningKey") for root in roots}
    assert len(keys) == 1 and all(keys), f"every calculator names one storage key, not {keys}"
    (key,) = keys
    spelled = [p.relative_to(SITE).as_posix() for p in scripts() if key in p.read_text()]
    assert spelled == [], f"{spelled} hard-code the storage key {key!r} that the build writes into data-runtime"
