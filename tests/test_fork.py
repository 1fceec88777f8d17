"""A fork that keeps pulling upstream: its edits in company/ only, an upstream release merged, all green.

The fork (tests/forking.py) is a copy of the files git knows about, with a
company's edits written into its overlay ``company/`` and nowhere else: a new
site name, logo and primary colour (one that passes the contrast check), an
archetype's profile moved and the archetype renamed, another archetype removed,
a question added that every example answers, an upstream question reworded, a
feedback trait changed, a new default plan, a new chapter (its nav name differs
from its title), a chapter hidden and another replaced, content tests off.
Then an upstream release is merged into it (mkdocs.yml, two data files, a
chapter, pyproject.toml, a calculator module) with no conflict, and the merged
fork is built once, for a folder address (as on GitHub Pages). The checks read
what to expect from the fork's data and the release's record, never from this
playbook's sentences; the last one runs a focused set of fork-safe tests inside
the fork, against the fork's build, Chromium included.
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
    REPLACED_TEXT,
    SITE_NAME,
    UPSTREAM_CHAPTER,
    UPSTREAM_CHAPTER_TITLE,
    UPSTREAM_TEXT,
    build,
    data_file,
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
        assert f'data-md-color-primary="{fork.primary}"' in page, path
        if "data-pb-embed=" in page:
            continue  # an embed page (a calculator alone, in another site's frame) has no header of its own
        title = re.search(r"<title>(.*?)</title>", page, re.S)
        assert title and SITE_NAME in html_lib.unescape(title.group(1)), (path, title)
        assert re.search(rf'<img src="[^"]*{re.escape(LOGO)}"', page), path
    assert (fork_site / LOGO).is_file()
    assert not list((fork_site / "assets" / "py").glob("*/snapshot-*")), "[playbook] snapshot = false was not applied"


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
    merged = next(d for d in _wheel_data(fork_site).values() if "question" in d)
    question = next(q for q in merged["question"] if q["id"] == QUESTION_ID)
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


def test_the_browser_wheel_holds_the_merged_knowledge(fork, fork_site):
    files = list(_wheel_data(fork_site).values())

    def holding(key: str) -> dict:
        return next(d for d in files if key in d)

    archetypes = holding("question")
    arch = next(a for a in archetypes["archetype"] if a["id"] == fork.archetype_id)
    dim, _, after = fork.moved
    assert arch["profile"][dim] == after and arch["name"] == fork.archetype_name
    assert len(arch["profile"]) > 1, "the fork moved one position; the others are upstream's"
    assert fork.removed_archetype not in {a["id"] for a in archetypes["archetype"]}
    questions = {q["id"]: q["text"] for q in archetypes["question"]}
    assert QUESTION_ID in questions and questions[fork.reworded[0]] == fork.reworded[1]
    upstream_id, upstream_text = fork.upstream["question"]
    assert questions[upstream_id] == upstream_text, "the release's rewording reached the fork"
    assert all(ex["answers"][QUESTION_ID] in fork.question_answers for ex in archetypes["example"])
    trait, _, value = fork.trait
    assert next(m for m in holding("mechanism")["mechanism"] if m["id"] == fork.mechanism_id)[trait] == value
    plans = holding("plan")["plan"]
    assert plans[0]["id"] == PLAN_ID
    assert [t["id"] for t in plans[0]["tasks"]] == list(fork.task_ids.values())
    plan_id, task_id, key, new = fork.upstream["field"]
    task = next(t for p in plans if p["id"] == plan_id for t in p["tasks"] if t["id"] == task_id)
    assert task[key] == new, "the release's new field reached the fork"
    # The page points at that wheel: a hashed path the fork does not share with the original site.
    lock = next((fork_site / "assets" / "py").glob("*/pyodide-lock.json"))
    page = (fork_site / "calculators" / "archetype" / "index.html").read_text(encoding="utf-8")
    assert lock.relative_to(fork_site).as_posix() in page


def test_the_fork_changed_nothing_outside_company(fork):
    assert fork.upstream["outside"] == [], "git diff upstream lists files outside company/"


def test_the_release_reached_the_fork_and_the_forks_pages_stayed(fork, fork_site):
    home = (fork_site / "index.html").read_text(encoding="utf-8")
    new = UPSTREAM_CHAPTER.removesuffix(".md") + "/"
    link = re.search(rf'<a href="[^"]*{re.escape(new)}"[^>]*>(.*?)</a>', home, re.S)
    assert link and UPSTREAM_CHAPTER_TITLE in text_of(link.group(1)), "upstream's new chapter is not in the nav"
    changed = fork.upstream["chapter"].removesuffix(".md") + "/"
    assert UPSTREAM_TEXT in text_of((fork_site / changed / "index.html").read_text(encoding="utf-8"))
    replaced = fork.replaced.removesuffix(".md") + "/"
    assert REPLACED_TEXT in text_of((fork_site / replaced / "index.html").read_text(encoding="utf-8"))
    hidden = fork.hidden.removesuffix(".md") + "/"
    assert not (fork_site / hidden).exists(), "the hidden chapter was published"
    pages_ = pages(fork_site)
    assert not any(re.search(rf'href="[^"]*{re.escape(hidden)}[^"]*"', p.read_text(encoding="utf-8")) for p in pages_)
    linked = [p for p in (fork.root / "docs").rglob("*.md") if Path(fork.hidden).name in p.read_text(encoding="utf-8")]
    if linked:  # upstream's links to the hidden chapter now go to its replacement, to the section where it has it
        target = fork.hidden_by.removesuffix(".md") + "/"
        assert any(re.search(rf'href="[^"]*{re.escape(target)}#', p.read_text(encoding="utf-8")) for p in pages_)
    archetype_page = text_of((fork_site / "calculators" / "archetype" / "index.html").read_text(encoding="utf-8"))
    assert fork.reworded[1] in archetype_page and fork.upstream["question"][1] in archetype_page


def test_the_404_page_links_into_the_forks_folder(fork_site):
    page = (fork_site / "404.html").read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="([^"]*assets/[^"]+)"', page)
    assert assets and all(a.startswith(BASE) for a in assets), assets[:5]


def test_a_bad_overlay_stops_the_build_in_one_sentence_and_writes_nothing(fork, fork_site, tmp_path):
    """A removed record still referred to: the build stops before it writes anything (the site is not half built)."""
    path = fork.root / "company" / "data" / data_file(fork.root, "question").name
    original = path.read_text(encoding="utf-8")
    example = tomllib.loads(data_file(fork.root, "question").read_text(encoding="utf-8"))["example"][0]
    question = next(q for q in example["answers"] if q != QUESTION_ID)
    site = tmp_path / "site"
    site.mkdir()
    (site / "earlier.html").write_text("an earlier build", encoding="utf-8")
    try:
        path.write_text(original.replace("remove = [", f'remove = ["question:{question}", ', 1), encoding="utf-8")
        proc = build(fork.root, site)
    finally:
        path.write_text(original, encoding="utf-8")
    assert proc.returncode != 0
    line = next(x for x in proc.stderr.splitlines() if "company/data/" in x)
    assert re.search(rf"company/data/\S+: remove '{question}': question '{question}' is removed, but .* to it", line), (
        line
    )
    assert [p.name for p in site.iterdir()] == ["earlier.html"], "the failed build wrote into the site folder"


#: The fork-safe tests run inside the merged fork: the ones that read the knowledge, the pages and the
#: built site (PLAYBOOK_FORK_SUITE=all runs every fork-safe test; make test keeps to this set for time).
FORK_SAFE_TESTS = (
    "tests/test_contract.py",
    "tests/test_contract_layout.py",
    "tests/test_archetype_data.py",
    "tests/test_feedback_data.py",
    "tests/test_handbook.py",
    "tests/test_handbook_chapters.py",
    "tests/test_handbook_consistency.py",
    "tests/test_markup.py",
    "tests/test_overlay.py",
    "tests/test_overlay_pages.py",
    "calculators",
    "tests/browser/test_calculators.py",
    "tests/browser/test_calculator_blank_start.py",
    "tests/browser/test_fork_browser.py",
)


def test_the_fork_safe_tests_pass_in_the_fork(fork, fork_site):
    """The fork's own tests, content set off (its overlay says so), against the merged fork's build."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PLAYBOOK_CONTENT_TESTS")}
    env.update(PLAYBOOK_SITE=str(fork_site), PLAYBOOK_SITE_BASE=BASE, NO_MKDOCS_2_WARNING="1")
    everything = os.environ.get("PLAYBOOK_FORK_SUITE", "") == "all"
    selection = (
        ["tests", "calculators", "pipeline"] if everything else [s for s in FORK_SAFE_TESTS if (fork.root / s).exists()]
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
