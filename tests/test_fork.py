"""A fork stays green: the edits a company makes, then the fork-safe tests, in a throwaway fork.

The fork (tests/forking.py) is a copy of the files git knows about, edited as a
company would: a new site name, logo and primary colour (one that passes the
contrast check), an archetype's profile moved and the archetype renamed, a
question added that every example answers, a feedback trait changed, a chapter
added to the navigation, the default timeline plan replaced by one with renamed
task ids, and ``content_tests = false``. It is built with this repository's
.venv for a folder address (as on GitHub Pages). The checks here read what to
expect from the fork's own data, never from this playbook's sentences; the last
one runs the fork-safe tests inside the fork, against the fork's build,
Chromium included.
"""

from __future__ import annotations

import html as html_lib
import json
import os
import re
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from .forking import (
    BASE,
    CHAPTER,
    CHAPTER_NAV,
    CHAPTER_TEXT,
    CHAPTER_TITLE,
    LOGO,
    PLAN_ID,
    QUESTION_ID,
    SITE_NAME,
    build,
    data_file,
    load,
    save,
)

pytestmark = pytest.mark.slow


def text_of(html: str) -> str:
    """Visible text, roughly: tags dropped, entities undone."""
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", html))


def pages(site: Path) -> list[Path]:
    return [p for p in sorted(site.rglob("*.html")) if "assets" not in p.relative_to(site).parts]


def test_the_forks_name_logo_and_colour_are_on_every_page(fork, fork_site):
    for path in pages(fork_site):
        page = path.read_text(encoding="utf-8")
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title and SITE_NAME in html_lib.unescape(title.group(1)), (path, title)
        assert f'data-md-color-primary="{fork.primary}"' in page, path
        assert re.search(rf'<img src="[^"]*{re.escape(LOGO)}"', page), path
    assert (fork_site / LOGO).is_file()


def test_the_new_chapter_is_built_and_in_the_navigation(fork_site):
    rel = CHAPTER.removesuffix(".md") + "/"
    chapter = (fork_site / rel / "index.html").read_text(encoding="utf-8")
    assert CHAPTER_TITLE in text_of(chapter) and CHAPTER_TEXT in text_of(chapter)
    home = (fork_site / "index.html").read_text(encoding="utf-8")
    link = re.search(rf'<a href="[^"]*{re.escape(rel)}"[^>]*>(.*?)</a>', home, re.S)
    assert link, "the chapter is not in the navigation"
    # The fork's nav name differs from its title; the build and the fork-safe tests accept that.
    assert CHAPTER_NAV in text_of(link.group(1)), text_of(link.group(1))


def _fork_python(fork, code: str) -> object:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(fork.root)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=fork.root, env=env, capture_output=True, text=True, timeout=300
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout)


def test_each_page_shows_the_result_the_forks_own_code_computes(fork, fork_site):
    views = _fork_python(
        fork,
        "import json; from calculators import api; print(json.dumps({n: api.compute(n, "
        "api.get(n).default_input())['view'] for n in api.CALCULATORS}))",
    )
    assert set(views) >= {"archetype", "timeline", "feedback"}
    for name, view in views.items():
        page = (fork_site / "calculators" / name / "index.html").read_text(encoding="utf-8")
        result = page.split('class="pb-calc__result', 1)[1]
        shown = text_of(re.search(r'pb-block--summary">(.*?)</', result, re.S).group(1)).strip()
        assert shown == next(b["text"] for b in view if b["type"] == "summary").strip(), name
    archetype_page = text_of((fork_site / "calculators" / "archetype" / "index.html").read_text(encoding="utf-8"))
    question = next(
        q
        for q in tomllib.loads(data_file(fork.root, "question").read_text(encoding="utf-8"))["question"]
        if q["id"] == QUESTION_ID
    )
    assert question["text"] in archetype_page, "the added question is not on the page"
    timeline = text_of((fork_site / "calculators" / "timeline" / "index.html").read_text(encoding="utf-8"))
    assert all(name in timeline for name in fork.task_names)


def test_the_worked_examples_ran_the_forks_calculators(fork, fork_site):
    notebooks = [p for p in pages(fork_site / "examples") if p.parent != fork_site / "examples"]
    assert notebooks, "no worked-example pages"
    fork_only = [fork.archetype_name, *fork.task_names, PLAN_ID]
    shown = {p.parent.name: [s for s in fork_only if s in text_of(p.read_text(encoding="utf-8"))] for p in notebooks}
    assert any(shown.values()), f"no notebook shows any of the fork's names {fork_only}"


def _wheel_data(site: Path) -> dict[str, dict]:
    wheels = list((site / "assets" / "py").glob("*/calculators-*.whl"))
    assert len(wheels) == 1, wheels
    with zipfile.ZipFile(wheels[0]) as whl:
        return {n: tomllib.loads(whl.read(n).decode()) for n in whl.namelist() if n.endswith(".toml")}


def test_the_browser_wheel_holds_the_forks_data(fork, fork_site):
    files = list(_wheel_data(fork_site).values())

    def holding(key: str) -> dict:
        return next(d for d in files if key in d)

    archetypes = holding("question")
    arch = next(a for a in archetypes["archetype"] if a["id"] == fork.archetype_id)
    dim, _, after = fork.moved
    assert arch["profile"][dim] == after and arch["name"] == fork.archetype_name
    assert QUESTION_ID in {q["id"] for q in archetypes["question"]}
    assert all(ex["answers"][QUESTION_ID] in fork.question_answers for ex in archetypes["example"])
    trait, _, value = fork.trait
    assert next(m for m in holding("mechanism")["mechanism"] if m["id"] == fork.mechanism_id)[trait] == value
    plans = holding("plan")["plan"]
    assert plans[0]["id"] == PLAN_ID
    assert [t["id"] for t in plans[0]["tasks"]] == list(fork.task_ids.values())
    # The page points at that wheel: a hashed path the fork does not share with the original site.
    lock = next((fork_site / "assets" / "py").glob("*/pyodide-lock.json"))
    page = (fork_site / "calculators" / "archetype" / "index.html").read_text(encoding="utf-8")
    assert lock.relative_to(fork_site).as_posix() in page


def test_the_404_page_links_into_the_forks_folder(fork_site):
    page = (fork_site / "404.html").read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="([^"]*assets/[^"]+)"', page)
    assert assets and all(a.startswith(BASE) for a in assets), assets[:5]


@pytest.mark.parametrize("case", ["broken TOML", "bad value"])
def test_a_malformed_data_file_stops_the_build_naming_file_entry_and_problem(fork, fork_site, case):
    path = data_file(fork.root, "archetype", "question")
    original = path.read_text(encoding="utf-8")
    rel = re.escape(path.relative_to(fork.root).as_posix())
    try:
        if case == "broken TOML":
            lines = original.splitlines()
            at = next(i for i, line in enumerate(lines) if line == "[[archetype]]")
            lines[at] = "[[archetype]"
            path.write_text("\n".join(lines) + "\n", encoding="utf-8")
            expected = [rel, r"not valid TOML", rf"line {at + 1}\b"]
        else:
            doc = load(path)
            arch = doc["archetype"][-1]
            dim = next(iter(arch["profile"]))
            arch["profile"][dim] = 1.7
            save(path, doc)
            expected = [rel, rf"archetype '{arch['id']}'", rf"'{dim}' \(1\.7\) must be between 0 and 1"]
        proc = build(fork.root, fork.root.parent / f"site-{case.replace(' ', '-')}")
    finally:
        path.write_text(original, encoding="utf-8")
    assert proc.returncode != 0
    for pattern in expected:
        assert re.search(pattern, proc.stderr), f"{pattern!r} not in the build's error output:\n{proc.stderr[-3000:]}"


#: Browser tests run inside the fork by default (PLAYBOOK_FORK_SUITE=all runs every fork-safe test).
FORK_BROWSER_TESTS = ("tests/browser/test_calculators.py", "tests/browser/test_fork_browser.py")


def test_the_fork_safe_tests_pass_in_the_fork(fork, fork_site):
    """The fork's own tests, content set off (its pyproject says so), against the fork's build."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PLAYBOOK_CONTENT_TESTS")}
    env.update(PLAYBOOK_SITE=str(fork_site), PLAYBOOK_SITE_BASE=BASE, NO_MKDOCS_2_WARNING="1")
    everything = os.environ.get("PLAYBOOK_FORK_SUITE", "") == "all"
    unit = sorted(p.relative_to(fork.root).as_posix() for p in (fork.root / "tests").glob("test_*.py"))
    selection = (
        ["tests", "calculators", "pipeline"] if everything else [*unit, "calculators", "pipeline", *FORK_BROWSER_TESTS]
    )
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", "-m", "not slow", *selection],
        cwd=fork.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=3000,
    )
    tail = proc.stdout[-6000:]
    print(tail.splitlines()[-1] if tail else proc.stderr[-2000:])
    assert proc.returncode == 0, f"fork-safe tests failed in the fork:\n{tail}\n{proc.stderr[-2000:]}"
    assert re.search(r"\d+ passed", tail) and "deselected" in tail, "the content set should be deselected"
