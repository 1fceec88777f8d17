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

import re
import zipfile
from pathlib import Path

import pytest

from .forking import ARCHETYPE_NEW, ARCHETYPE_OLD, REPO, SITE_NAME, TASK_NEW, TASK_OLD, build, edit

pytestmark = pytest.mark.slow


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
