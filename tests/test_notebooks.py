"""The worked-example notebooks: stored clean, run without errors, rendered without third-party requests.

The site build executes every notebook too (mkdocs-jupyter with ``execute: true``
and ``allow_errors: false``), so a broken notebook also stops ``make build``.
Here each notebook runs once with the kernel of this environment, then goes
through the same converter and template as the site, so that its page is checked
without a full build.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import nbformat
import pytest
import yaml

from pipeline.paths import REPO

EXAMPLES = REPO / "docs" / "examples"
NOTEBOOKS = sorted(EXAMPLES.glob("*.ipynb"))
TEMPLATE = REPO / "pipeline" / "notebook.html.j2"
SPEC = re.compile(r"^application/vnd\.vegalite\.v\d+\+json$")
THIRD_PARTY = re.compile(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)
CDN = re.compile(r"https?://(?:cdn|unpkg|cdnjs)[a-z0-9.-]*/", re.I)


def _config() -> dict:
    class Loader(yaml.SafeLoader):
        pass

    Loader.add_multi_constructor("!", lambda loader, suffix, node: None)
    return yaml.load((REPO / "mkdocs.yml").read_text(encoding="utf-8"), Loader=Loader)


def _plugin(config: dict, name: str) -> dict:
    for entry in config["plugins"]:
        if isinstance(entry, dict) and name in entry:
            return entry[name] or {}
    raise AssertionError(f"plugin {name} is not configured in mkdocs.yml")


def test_there_are_four_notebooks_in_the_nav():
    assert len(NOTEBOOKS) == 4
    nav = str(_config()["nav"])
    for nb in NOTEBOOKS:
        assert f"examples/{nb.name}" in nav, f"{nb.name} is not in the nav"


def test_the_build_executes_notebooks_fresh_and_fails_on_errors():
    opts = _plugin(_config(), "mkdocs-jupyter")
    assert opts["execute"] is True and opts["allow_errors"] is False
    assert opts["cache"] is False, "a cache would show outputs of an earlier build"
    assert opts["kernel_name"] == "python3"
    assert opts["include_source"] is True and opts["include_requirejs"] is False
    assert opts["mathjax_version"] == 2, "versions 3 and 4 inject a CDN loader into every page"
    assert (REPO / opts["custom_template"]).resolve() == TEMPLATE


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_without_outputs(path):
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata["kernelspec"]["name"] == "python3"
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{path.name}: a cell holds outputs"


@pytest.fixture(scope="module")
def executed(tmp_path_factory) -> dict[str, tuple[Path, float]]:
    """Each notebook executed once (as the build does), saved under tmp; with its run time."""
    from nbclient import NotebookClient

    out: dict[str, tuple[Path, float]] = {}
    folder = tmp_path_factory.mktemp("notebooks")
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        start = time.monotonic()
        NotebookClient(
            nb, kernel_name="python3", timeout=120, allow_errors=False, resources={"metadata": {"path": str(EXAMPLES)}}
        ).execute()
        target = folder / path.name
        nbformat.write(nb, target)
        out[path.stem] = (target, time.monotonic() - start)
    return out


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_runs_quickly_and_draws_charts(executed, path):
    done, seconds = executed[path.stem]
    print(f"{path.name}: executed in {seconds:.1f} s")  # a figure, not a limit: timings live in make bench
    nb = nbformat.read(done, as_version=4)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    specs = [o.data[k] for o in outputs if "data" in o for k in o.data if SPEC.match(k)]
    assert len(specs) >= 2, f"{path.name}: expected Altair charts with their Vega-Lite spec"
    for spec in specs:
        assert spec.get("description"), f"{path.name}: every chart needs a text alternative (description)"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_page_has_no_inline_script_and_no_third_party_url(executed, path):
    from mkdocs_jupyter.convert import nb2html

    done, _ = executed[path.stem]
    html = nb2html(
        str(done),
        execute=False,
        custom_template=str(TEMPLATE),
        mathjax_version=2,
        include_requirejs=False,
        include_mathjax=False,
        include_mermaidjs=False,
    )
    assert "<script" not in html, "the site's CSP refuses inline scripts"
    assert not THIRD_PARTY.search(html) and not CDN.search(html)
    nb = nbformat.read(done, as_version=4)
    charts = sum(
        1 for c in nb.cells if c.cell_type == "code" for o in c.outputs if any(SPEC.match(k) for k in o.get("data", {}))
    )
    figures = re.findall(r'<figure[^>]*class="pb-chart pb-chart--chapter pb-chart--notebook"', html)
    views = [tag for tag in re.findall(r"<div[^>]*>", html) if 'class="pb-chart__view"' in tag]
    assert len(figures) == len(views) == charts
    assert all(re.search(r'aria-label="[^"]{20,}"', tag) and 'role="img"' in tag for tag in views)


@pytest.mark.browser  # needs the built site, like the browser tests (`make test` builds it first)
def test_the_built_site_shows_outputs_and_a_download(repo):
    """The built site's notebook pages show fresh outputs and offer the .ipynb."""
    site = Path(os.environ.get("PLAYBOOK_SITE", repo / "site"))
    for path in NOTEBOOKS:
        page = site / "examples" / path.stem / "index.html"
        assert page.exists(), f"{page} is missing: run `make build` (make test does)"
        assert page.stat().st_mtime >= path.stat().st_mtime, f"{page} is older than {path.name}: run `make build`"
        html = page.read_text(encoding="utf-8")
        assert re.search(r'class="[^"]*\bjp-OutputArea-output\b', html), f"{page}: no outputs"
        assert "pb-chart--notebook" in html
        assert f'href="{path.name}" download' in html and "Download this notebook" in html
        assert (page.parent / path.name).read_bytes() == path.read_bytes()
        assert not CDN.search(html)
