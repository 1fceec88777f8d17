"""A throwaway fork whose company edits live in ``company/`` only, then an upstream release merged in.

The fork (see tests/test_fork.py) is a copy of the files git knows about, in a
fresh repository whose first commit is branch ``upstream``. The company's edits
are written into ``company/`` and nowhere else: a name, a logo and a primary
colour; an archetype's profile moved and the archetype renamed; a question added
that every example answers; an upstream question reworded; an archetype
removed (and what referred to it changed); a feedback trait changed; a new
default plan; a new chapter whose nav name differs from its title; a chapter
hidden (its links go to the new chapter) and another replaced; content tests
off. Then ``upstream`` gets a release (a new chapter and feature flag in
mkdocs.yml, a reworded question, a new field in a plan, a chapter's text,
pyproject.toml, a calculator module), merged into the fork: it must merge with
no conflict. Ids and pages are found in the data and the nav, never assumed.
"""

from __future__ import annotations

import copy
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

MKDOCS = Path(sys.executable).with_name("mkdocs")
if str(Path(__file__).resolve().parent.parent) not in sys.path:  # imported inside a fork, too
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from calculators._overlay import referrers  # noqa: E402
from pipeline.knowledge_files import dump_toml  # noqa: E402
from pipeline.paths import REPO  # noqa: E402

SITE_NAME = "Fork Ltd ML Handbook"
#: Where the fork says it is published: a project site in a folder, as on GitHub Pages.
SITE_URL = "https://fork-ltd.github.io/fork-playbook/"
BASE = "/fork-playbook/"
LOGO = "assets/images/fork-ltd-logo.svg"
LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" role="img" aria-label="Fork Ltd">'
    '<title>Fork Ltd</title><circle cx="12" cy="12" r="10" fill="currentColor"/></svg>\n'
)
CHAPTER = "chapters/onboarding-at-fork-ltd.md"
CHAPTER_TITLE = "Onboarding ML engineers at Fork Ltd"
#: The chapter's name in the navigation: shorter than its title, as companies often write it
#: (one name per chapter is this playbook's editorial rule, a content test, not a fork's duty).
CHAPTER_NAV = "Onboarding"
CHAPTER_TEXT = "New ML engineers at Fork Ltd pair with a product owner for their first two sprints."
REPLACED_TEXT = "At Fork Ltd this chapter is our own: the company's version replaces upstream's."
QUESTION_ID = "fork_remote_share"
PLAN_ID = "fork-ltd-default"
UPSTREAM_CHAPTER = "chapters/upstream-release-notes.md"
UPSTREAM_CHAPTER_TITLE = "What changed in this release"
UPSTREAM_TEXT = "This paragraph arrived with an upstream release, after the fork was made."
UPSTREAM_FLAG = "upstream_new_feature"


# ------------------------------------------------------------------ a clone with branch upstream
def _git(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=Fork Ltd", "-c", "user.email=ml@fork.invalid", "-c", "init.defaultBranch=main", *args],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )


def make_fork(dest: Path) -> Path:
    """A clone: the files git knows about (tracked, plus new files not ignored, so work in progress is
    checked too), committed in a fresh repository on ``main``, with branch ``upstream`` at that commit."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in (f for f in out.split("\0") if f and (REPO / f).is_file()):
        if rel.startswith("company/") and not rel.endswith(".gitkeep"):
            continue  # this checkout's own overlay, if any, is not upstream's
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "--no-gpg-sign", "-m", "Fork of the playbook")
    _git(dest, "branch", "upstream")
    return dest


def data_file(root: Path, *keys: str) -> Path:
    """The calculators' data file whose top level holds all ``keys`` (found, not assumed by name)."""
    found = [
        p
        for p in sorted((root / "calculators" / "data").glob("*.toml"))
        if all(k in tomllib.loads(p.read_text(encoding="utf-8")) for k in keys)
    ]
    assert len(found) == 1, f"expected one data file with {keys} under calculators/data/, found {found}"
    return found[0]


def load(path: Path):
    """A TOML file as a tomlkit document (edits keep the file's comments and layout)."""
    import tomlkit

    return tomlkit.parse(path.read_text(encoding="utf-8") if path.exists() else "")


def save(path: Path, doc) -> None:
    import tomlkit

    text = tomlkit.dumps(doc)
    tomllib.loads(text)  # still valid TOML
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def set_content_tests(root: Path, enabled: bool) -> None:
    """Set the content-test switch, ``[tests] content_tests`` in ``company/playbook.toml``, as data.

    Read and written as TOML (tomlkit keeps the file's comments and layout): it does
    not matter whether the overlay has the switch on, off or not at all, or has no
    settings file yet.
    """
    import tomlkit

    path = root / "company" / "playbook.toml"
    doc = load(path)
    doc.setdefault("tests", tomlkit.table())["content_tests"] = enabled
    save(path, doc)


def nav_pages(root: Path, prefix: str = "chapters/") -> list[str]:
    """The pages under ``prefix`` in the fork's mkdocs.yml nav, in order."""
    text = (root / "mkdocs.yml").read_text(encoding="utf-8")
    return re.findall(rf"^\s*-\s*[^:\n]*:\s*({re.escape(prefix)}\S+\.md)\s*$", text, re.M)


# ------------------------------------------------------------------ the company's edits, in company/
@dataclass
class Fork:
    root: Path
    primary: str = ""
    archetype_id: str = ""
    archetype_name: str = ""
    moved: tuple[str, float, float] = ("", 0.0, 0.0)  # dimension, before, after
    question_answers: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    reworded: tuple[str, str] = ("", "")  # question id, the fork's text
    removed_archetype: str = ""
    mechanism_id: str = ""
    trait: tuple[str, float, float] = ("", 0.0, 0.0)
    task_ids: dict[str, str] = field(default_factory=dict)  # upstream's default plan's ids -> the fork's
    task_names: list[str] = field(default_factory=list)
    hidden: str = ""
    hidden_by: str = ""  # the company's page that takes the hidden chapter's place
    replaced: str = ""
    upstream: dict[str, Any] = field(default_factory=dict)  # what the simulated release changed


def _overlay(fork: Fork, name: str, update: dict[str, Any]) -> None:
    """Add records and settings to ``company/data/<name>`` (kept if it exists, e.g. a starter's comments)."""
    path = fork.root / "company" / "data" / name
    data = tomllib.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for key, value in update.items():
        data[key] = [*data.get(key, []), *value] if isinstance(value, list) and key != "remove" else value
    if "remove" in update:
        data["remove"] = update["remove"]
    head = f"# Fork Ltd's changes to {name}: partial records keyed by id, merged over upstream's.\n\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(head + dump_toml(data), encoding="utf-8")


def customise(root: Path) -> Fork:
    """Write a company's usual edits into ``root/company/`` only, and commit; return what changed."""
    fork = Fork(root)
    _settings(fork)
    _archetypes(fork)
    _feedback(fork)
    _timeline(fork)
    _pages(fork)
    set_content_tests(root, False)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--no-gpg-sign", "-m", "Fork Ltd's playbook, in company/")
    return fork


def _settings(fork: Fork) -> None:
    import tomlkit

    from pipeline import palette

    config = (fork.root / "mkdocs.yml").read_text(encoding="utf-8")
    current = set(re.findall(r"^\s+primary:\s*([\w-]+)", config, re.M))
    fork.primary = next(c for c in palette.passing() if c not in current)
    path = fork.root / "company" / "playbook.toml"
    doc = load(path)
    site = doc.setdefault("site", tomlkit.table())
    site["name"], site["logo"] = SITE_NAME, LOGO
    doc.setdefault("palette", tomlkit.table())["primary"] = fork.primary
    # An extra.playbook setting: no memory snapshot (upstream's build tests it; the fork's build is quicker).
    doc.setdefault("playbook", tomlkit.table())["snapshot"] = False
    save(path, doc)
    (fork.root / "company" / LOGO).parent.mkdir(parents=True, exist_ok=True)
    (fork.root / "company" / LOGO).write_text(LOGO_SVG, encoding="utf-8")


def _limits(text: str, what: str) -> tuple[int, int] | None:
    """'(10 to 14 of them)' on the comment line of ``[[what]]`` in a data file's FORMAT comment."""
    m = re.search(rf"^#\s*\[\[{re.escape(what)}\]\].*\((\d+) to (\d+)", text, re.M)
    return (int(m.group(1)), int(m.group(2))) if m else None


def _archetypes(fork: Fork) -> None:
    path = data_file(fork.root, "archetype", "question", "example")
    text = path.read_text(encoding="utf-8")
    data = tomllib.loads(text)
    charts_path = fork.root / "docs" / "_data" / "charts.toml"
    charts = tomllib.loads(charts_path.read_text(encoding="utf-8"))
    dims = [str(d["id"]) for d in data["dimension"]]
    ids = [str(a["id"]) for a in data["archetype"]]
    # Remove the archetype fewest records refer to (not the first, which the fork renames).
    refs = {a: list(referrers(data, a)) for a in ids[1:]}
    gone = min(refs, key=lambda a: (len(refs[a]), ids.index(a)))
    fork.removed_archetype = gone
    keep = next(a for a in ids if a != gone)
    records: dict[str, list[dict[str, Any]]] = {}
    remove = [f"archetype:{gone}"]
    for kind, ident, where in refs[gone]:
        if kind == "example":  # an example's target: another archetype
            records.setdefault("example", []).append({"id": ident, where.split(".")[0]: keep})
        else:  # a rule about the removed archetype goes with it
            remove.append(f"{kind}:{ident}")
    # Move one profile: the first archetype's position on its first scale, clearly; rename it.
    arch = data["archetype"][0]
    dim = next(d for d in dims if d in arch["profile"])
    before = float(arch["profile"][dim])
    after = 0.9 if before < 0.5 else 0.1
    fork.archetype_id, fork.archetype_name = str(arch["id"]), f"{arch['name']} (Fork Ltd)"
    fork.moved = (dim, before, after)
    records.setdefault("archetype", []).append(
        {"id": fork.archetype_id, "name": fork.archetype_name, "profile": {dim: after}}
    )
    # Add a question every example answers, within the number of questions the file allows.
    questions = [str(q["id"]) for q in data["question"]]
    limits = _limits(text, "question")
    if limits and len(questions) >= limits[1]:
        referenced = {str(a).split(".", 1)[0] for c in data.get("contradiction", []) for a in c.get("answers", [])}
        remove.append(f"question:{next(q for q in reversed(questions) if q not in referenced)}")
    answers = [
        {"id": "none", "text": "Nobody: everyone works at the office", "at": {dims[0]: 0.2, dims[1]: 0.8}},
        {"id": "some", "text": "About half of them", "at": {dims[0]: 0.5, dims[1]: 0.5}},
        {"id": "most", "text": "Nearly all of them", "at": {dims[0]: 0.85, dims[1]: 0.15}},
    ]
    question = {"id": QUESTION_ID, "text": "How many of your ML staff work remotely most of the week?"}
    question |= {"weight": 1.0, "answer": answers}
    records["question"] = [question]
    fork.question_answers = [a["id"] for a in answers]
    for i, ex in enumerate(data["example"]):
        mine = next((r for r in records.get("example", []) if r["id"] == ex["id"]), None)
        if mine is None:
            records.setdefault("example", []).append(mine := {"id": ex["id"]})
        mine["answers"] = {QUESTION_ID: answers[i % len(answers)]["id"]}
        fork.examples.append(str(ex["id"]))
    # Reword an upstream question (the first; the release rewords another).
    first = data["question"][0]
    fork.reworded = (str(first["id"]), f"At Fork Ltd: {first['text']}")
    records["question"].insert(0, {"id": fork.reworded[0], "text": fork.reworded[1]})
    _overlay(fork, path.name, {**records, "remove": remove})
    # The chapters' charts that name the removed archetype drop it too.
    changed = {}
    for chart, _, _ in referrers(charts, gone):
        changed[chart] = {k: _without(v, gone) for k, v in charts[chart].items() if isinstance(v, list)}
    if changed:
        _overlay(fork, charts_path.name, changed)


def _without(items: list[Any], ident: str) -> list[Any]:
    return [x for x in items if x != ident and not (isinstance(x, dict) and ident in x.values())]


def _feedback(fork: Fork) -> None:
    path = data_file(fork.root, "mechanism")
    mech = tomllib.loads(path.read_text(encoding="utf-8"))["mechanism"][0]
    trait = next(t for t in ("response_rate", "usefulness", "noise", "signal_value") if isinstance(mech.get(t), float))
    before = float(mech[trait])
    after = round(before / 2 if before >= 0.4 else min(0.95, before * 2 + 0.1), 3)
    fork.mechanism_id, fork.trait = str(mech["id"]), (trait, before, after)
    _overlay(fork, path.name, {"mechanism": [{"id": fork.mechanism_id, trait: after}]})


def _timeline(fork: Fork) -> None:
    """Fork Ltd's default plan: upstream's first with every task and group renamed, put first."""
    path = data_file(fork.root, "plan")
    plan = copy.deepcopy(tomllib.loads(path.read_text(encoding="utf-8"))["plan"][0])
    tasks = plan["tasks"]
    ids = {str(t["id"]): f"fl_{i + 1}_{t['id']}"[:40] for i, t in enumerate(tasks)}
    groups = {str(t["group"]): f"fl_{t['group']}" for t in tasks if t.get("group")}
    for t in tasks:
        t["id"] = ids[str(t["id"])]
        t["name"] = f"Fork Ltd: {t['name']}"
        if t.get("group"):
            t["group"] = groups[str(t["group"])]
        if "depends_on" in t:
            t["depends_on"] = [ids.get(str(d), groups.get(str(d), str(d))) for d in t["depends_on"]]
    plan["id"], plan["label"] = PLAN_ID, f"Fork Ltd's default plan ({len(tasks)} tasks)"
    fork.task_ids = ids
    fork.task_names = [str(t["name"]) for t in tasks]
    _overlay(fork, path.name, {"plan": [plan], "order": {"plan": [PLAN_ID]}})


def _headings(markdown: str) -> list[str]:
    """The Markdown headings of a page (not lines in code blocks), as written."""
    out, fenced = [], False
    for line in markdown.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif not fenced and re.match(r"#{1,6} ", line):
            out.append(line)
    return out


def _pages(fork: Fork) -> None:
    """A new chapter after the last one; a chapter hidden and one replaced, each by the company's own version.

    A company's own version keeps the chapter's headings, which other pages link to (links to a hidden page
    go to its replacement, to the same section when it has it; the build names any anchor it misses).
    """
    import tomlkit

    chapters = nav_pages(fork.root)
    notebooks = "".join(p.read_text(encoding="utf-8") for p in (fork.root / "docs").rglob("*.ipynb"))
    knowledge = "".join(p.read_text(encoding="utf-8") for p in (fork.root / "calculators" / "data").glob("*.toml"))
    # Hide one that no notebook and no data file links to (their links are not redirected: the build names them).
    fork.hidden = next(c for c in chapters if f"{c.removesuffix('.md')}/" not in notebooks + knowledge)
    fork.replaced = next(c for c in chapters if c != fork.hidden)
    fork.hidden_by = f"chapters/{Path(fork.hidden).stem}-at-fork-ltd.md"
    docs = fork.root / "company" / "docs"
    (docs / CHAPTER).parent.mkdir(parents=True, exist_ok=True)
    (docs / CHAPTER).write_text(f"# {CHAPTER_TITLE}\n\n{CHAPTER_TEXT}\n", encoding="utf-8")
    for page, target in ((fork.replaced, fork.replaced), (fork.hidden, fork.hidden_by)):
        title, *headings = _headings((fork.root / "docs" / page).read_text(encoding="utf-8"))
        body = "".join(f"\n{h}\n\nFork Ltd's own words on this.\n" for h in headings)
        (docs / target).write_text(f"{title}\n\n{REPLACED_TEXT}\n{body}", encoding="utf-8")
    path = fork.root / "company" / "playbook.toml"
    doc = load(path)
    nav = doc.setdefault("nav", tomlkit.table())
    nav["hide"] = [fork.hidden]
    nav["redirect"] = {fork.hidden: fork.hidden_by}
    add = tomlkit.aot()
    add.append(tomlkit.item({"after": fork.hidden, "entry": {"At Fork Ltd": fork.hidden_by}}))
    add.append(tomlkit.item({"after": chapters[-1], "entry": {CHAPTER_NAV: CHAPTER}}))
    nav["add"] = add
    save(path, doc)


def build(fork: Path, site: Path, **env_extra: str) -> subprocess.CompletedProcess[str]:
    """``mkdocs build --strict`` in the fork, for its published address, nothing of this checkout on the path."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "DEPLOY")}
    env.update(NO_MKDOCS_2_WARNING="1", SITE_URL=SITE_URL, **env_extra)
    return subprocess.run(
        [str(MKDOCS), "build", "--strict", "-d", str(site)],
        cwd=fork,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )


# ------------------------------------------------------------------ fixtures (tests/conftest.py imports them)
import time  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def fork(tmp_path_factory) -> Fork:
    """A fresh copy of this repository, a company's edits in company/, then an upstream release merged in."""
    from .forking_release import outside_company, release_upstream

    made = customise(make_fork(tmp_path_factory.mktemp("fork") / "playbook"))
    made.upstream["outside"] = outside_company(made.root)
    release_upstream(made)
    return made


@pytest.fixture(scope="session")
def fork_site(fork) -> Path:
    """The merged fork's strict build, for its published address (a folder on GitHub Pages)."""
    site = fork.root.parent / "site"
    start = time.monotonic()
    proc = build(fork.root, site)
    assert proc.returncode == 0, f"the fork's build failed:\n{proc.stderr[-4000:]}"
    print(f"fork build: {time.monotonic() - start:.1f} s")
    return site
