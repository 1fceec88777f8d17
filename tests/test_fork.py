"""Forkability as a tested promise: a fork that edits data files and mkdocs.yml sees its edits everywhere.

A throwaway fork is made from the files git knows about (tracked, plus new files
not ignored, so that work in progress is checked too) and built with this
repository's .venv, as a company would after `make venv` in its own clone. The
fork renames an archetype and a timeline task in the data files and changes
``site_name``; the build must show them in the page title, in the result
prerendered into each calculator page, in the notebooks, and in the wheel the
browser runs (and, in the browser test, in a result computed by Pyodide).
A malformed data file must stop the build with a message naming the file, the
entry and the problem.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")

SITE_NAME = "Fork Ltd ML Handbook"
ARCHETYPE_OLD, ARCHETYPE_NEW = "ML embedded in business and product teams", "Squad-embedded ML at Fork Ltd"
TASK_OLD, TASK_NEW = "Collect images from the line", "Gather photos at the Fork Ltd plant"

pytestmark = pytest.mark.slow


def _files() -> list[str]:
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"], cwd=REPO,
                         capture_output=True, check=True).stdout.decode()
    return [f for f in out.split("\0") if f and (REPO / f).is_file()]


def make_fork(dest: Path) -> Path:
    for rel in _files():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    return dest


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) >= 1, f"{old!r} is not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def build(fork: Path, site: Path) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` in the fork, with nothing of the main checkout on the path."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["NO_MKDOCS_2_WARNING"] = "1"
    return subprocess.run([str(MKDOCS), "build", "--strict", "-d", str(site)], cwd=fork, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def fork(tmp_path_factory) -> Path:
    root = make_fork(tmp_path_factory.mktemp("fork") / "playbook")
    edit(root / "calculators" / "data" / "archetypes.toml", f'name = "{ARCHETYPE_OLD}"', f'name = "{ARCHETYPE_NEW}"')
    edit(root / "calculators" / "data" / "timeline_examples.toml", f'name = "{TASK_OLD}"', f'name = "{TASK_NEW}"')
    edit(root / "mkdocs.yml", "site_name: ML Teams Playbook", f"site_name: {SITE_NAME}")
    return root


@pytest.fixture(scope="module")
def fork_site(fork) -> Path:
    site = fork.parent / "site"
    start = time.monotonic()
    proc = build(fork, site)
    assert proc.returncode == 0, f"the fork's build failed:\n{proc.stderr[-4000:]}"
    print(f"fork build: {time.monotonic() - start:.1f} s")
    return site


def text_of(html: str) -> str:
    """Visible text, roughly: tags dropped, entities for quotes undone."""
    return re.sub(r"<[^>]+>", " ", html).replace("&#x27;", "'").replace("&#39;", "'").replace("&quot;", '"')


def test_site_name_reaches_every_page_title(fork_site):
    for page in ("index.html", "calculators/archetype/index.html", "examples/index.html"):
        title = re.search(r"<title>(.*?)</title>", (fork_site / page).read_text(encoding="utf-8"), re.S)
        assert title and SITE_NAME in title.group(1), (page, title)


def test_renamed_archetype_is_in_the_prerendered_result(fork_site):
    html = (fork_site / "calculators" / "archetype" / "index.html").read_text(encoding="utf-8")
    result = html.split('class="pb-calc__result', 1)[1]
    summary = re.search(r'pb-block--summary">([^<]*)<', result).group(1)
    assert ARCHETYPE_NEW in text_of(summary), summary  # the default company's closest archetype
    assert ARCHETYPE_OLD not in text_of(html)


def test_renamed_task_is_in_the_prerendered_timeline(fork_site):
    html = text_of((fork_site / "calculators" / "timeline" / "index.html").read_text(encoding="utf-8"))
    assert TASK_NEW in html and TASK_OLD not in html


def test_notebooks_run_the_forks_calculators(fork_site):
    html = text_of((fork_site / "examples" / "assessing-an-organisation" / "index.html").read_text(encoding="utf-8"))
    assert ARCHETYPE_NEW in html and ARCHETYPE_OLD not in html


def _wheel(site: Path) -> Path:
    wheels = list((site / "assets" / "py").glob("*/calculators-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_the_browser_wheel_holds_the_changed_data(fork_site):
    with zipfile.ZipFile(_wheel(fork_site)) as whl:
        data = whl.read("calculators/data/archetypes.toml").decode()
        plans = whl.read("calculators/data/timeline_examples.toml").decode()
    assert ARCHETYPE_NEW in data and ARCHETYPE_OLD not in data
    assert TASK_NEW in plans
    # The page points at that wheel: a hashed path the fork does not share with the original site.
    lock = next((fork_site / "assets" / "py").glob("*/pyodide-lock.json"))
    html = (fork_site / "calculators" / "archetype" / "index.html").read_text(encoding="utf-8")
    assert lock.relative_to(fork_site).as_posix() in html


@pytest.mark.browser
def test_the_browser_computes_with_the_forks_data(fork_site, request):
    from playwright.sync_api import expect, sync_playwright

    from .browser.conftest import LAUNCH_ARGS, READY_TIMEOUT, chromium_path
    from .browser.server import SiteServer

    srv = SiteServer(fork_site).start()
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=LAUNCH_ARGS)
            try:
                page = browser.new_page()
                errors: list[str] = []
                page.on("pageerror", lambda e: errors.append(str(e)))
                page.goto(srv.url + "calculators/archetype/")
                root = page.locator("[data-calculator=archetype]")
                expect(root).to_have_attribute("data-state", "ready", timeout=READY_TIMEOUT)
                root.locator('[data-field="target"]').select_option("ml_first")
                expect(root).to_have_attribute("data-computed", re.compile(r"^[1-9]"), timeout=30_000)
                result = root.locator(".pb-calc__result")
                expect(result).to_contain_text("ML-first organisation")
                expect(result.locator(".pb-block--summary")).to_contain_text(ARCHETYPE_NEW)
                assert errors == []
            finally:
                browser.close()
    finally:
        srv.stop()


@pytest.mark.parametrize("case", ["broken TOML", "bad value"])
def test_a_malformed_data_file_stops_the_build_naming_file_entry_and_problem(fork, case):
    data = fork / "calculators" / "data" / "archetypes.toml"
    original = data.read_text(encoding="utf-8")
    try:
        if case == "broken TOML":
            data.write_text(original.replace('[[archetype]]\nid = "rnd"', '[[archetype]\nid = "rnd"', 1),
                            encoding="utf-8")
            expected = [r"calculators/data/archetypes\.toml", r"not valid TOML", r"line \d+"]
        else:
            edit(data, "ml_maturity = 0.55, research_orientation = 0.2",
                 "ml_maturity = 1.7, research_orientation = 0.2")
            expected = [r"calculators/data/archetypes\.toml", r"archetype 'embedded'",
                        r"'ml_maturity' \(1\.7\) must be between 0 and 1"]
        proc = build(fork, fork.parent / f"site-{case.replace(' ', '-')}")
    finally:
        data.write_text(original, encoding="utf-8")
    assert proc.returncode != 0
    for pattern in expected:
        assert re.search(pattern, proc.stderr), f"{pattern!r} not in the build's error output:\n{proc.stderr[-3000:]}"


def test_the_publish_workflow_pins_every_action_by_commit_and_runs_make_build():
    import yaml

    path = REPO / ".github" / "workflows" / "publish.yml"
    workflow = yaml.safe_load(path.read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert {u.split("@")[0] for u in uses} == {"actions/checkout", "actions/setup-python", "actions/setup-node",
                                               "actions/upload-pages-artifact", "actions/deploy-pages"}
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), uses
    assert any(s.get("run", "").strip() == "make build" for s in steps)
    assert ".github" not in (REPO / "Makefile").read_text(encoding="utf-8"), "make test must not need the workflow"
