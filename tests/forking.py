"""A throwaway fork of this repository with the edits a company makes (see tests/test_fork.py).

The edits are made the way a company would, and robustly: the TOML data files are
parsed with tomlkit (hatchling's own TOML library, so always in .venv), changed as
data and written back with their comments and layout, ids are discovered from the
data, and mkdocs.yml is edited line by line on its keys, never by searching for
this playbook's own sentences.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")

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
QUESTION_ID = "fork_remote_share"
PLAN_ID = "fork-ltd-default"


# ------------------------------------------------------------------ TOML written back
def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _is_array_of_tables(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _is_table(v: Any) -> bool:
    return isinstance(v, dict) and any(isinstance(x, dict) or _is_array_of_tables(x) for x in v.values())


def dump_toml(data: dict[str, Any]) -> str:
    """TOML text for parsed TOML data (comments are not kept; the data is).

    >>> text = dump_toml({"a": 1, "t": {"x": "y"}, "q": [{"id": "a", "answer": [{"id": "b", "at": {"d": 0.5}}]}]})
    >>> tomllib.loads(text) == {"a": 1, "t": {"x": "y"}, "q": [{"id": "a", "answer": [{"id": "b", "at": {"d": 0.5}}]}]}
    True
    """
    out: list[str] = []

    def body(table: dict[str, Any], path: list[str]) -> None:
        for k, v in table.items():
            if not _is_table(v) and not _is_array_of_tables(v):
                out.append(f"{_key(k)} = {_value(v)}")
        for k, v in table.items():
            name = ".".join(_key(p) for p in [*path, k])
            if _is_table(v):
                out.extend(["", f"[{name}]"])
                body(v, [*path, k])
            elif _is_array_of_tables(v):
                for item in v:
                    out.extend(["", f"[[{name}]]"])
                    body(item, [*path, k])

    body(data, [])
    return "\n".join(out).lstrip("\n") + "\n"


def load(path: Path):
    """A data file as a tomlkit document (edits keep the file's comments and layout)."""
    import tomlkit

    return tomlkit.parse(path.read_text(encoding="utf-8"))


def save(path: Path, doc) -> None:
    import tomlkit

    text = tomlkit.dumps(doc)
    tomllib.loads(text)  # still valid TOML
    path.write_text(text, encoding="utf-8")


def table(data: dict[str, Any]):
    """A tomlkit table (with nested arrays of tables) for new data."""
    import tomlkit

    return tomlkit.parse(dump_toml({"x": [data]}))["x"][0]


def data_file(root: Path, *keys: str) -> Path:
    """The calculators' data file whose top level holds all ``keys`` (found, not assumed by name)."""
    found = [
        p
        for p in sorted((root / "calculators").rglob("*.toml"))
        if "__pycache__" not in p.parts and all(k in tomllib.loads(p.read_text(encoding="utf-8")) for k in keys)
    ]
    assert len(found) == 1, f"expected one data file with {keys} under calculators/, found {found}"
    return found[0]


def _limits(text: str, what: str) -> tuple[int, int] | None:
    """'(10 to 14 of them)' on the comment line of ``[[what]]`` in a data file's FORMAT comment."""
    m = re.search(rf"^#\s*\[\[{re.escape(what)}\]\].*\((\d+) to (\d+)", text, re.M)
    return (int(m.group(1)), int(m.group(2))) if m else None


# ------------------------------------------------------------------ the company's edits
@dataclass
class Fork:
    root: Path
    primary: str = ""
    archetype_id: str = ""
    archetype_name: str = ""
    moved: tuple[str, float, float] = ("", 0.0, 0.0)  # dimension, before, after
    question_answers: list[str] = field(default_factory=list)
    examples: list[str] = field(default_factory=list)
    mechanism_id: str = ""
    trait: tuple[str, float, float] = ("", 0.0, 0.0)
    task_ids: dict[str, str] = field(default_factory=dict)  # old -> new, in the default plan
    task_names: list[str] = field(default_factory=list)


def make_fork(dest: Path) -> Path:
    """A clone: the files git knows about (tracked, plus new files not ignored, so work in progress is
    checked too), committed in a fresh repository."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=REPO,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for rel in (f for f in out.split("\0") if f and (REPO / f).is_file()):
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, target)
    # A clone, as a company has: its own git history (tests may ask git which files it tracks).
    _git(dest, "init", "-q")
    _git(dest, "add", "-A")
    _git(dest, "commit", "-q", "--no-gpg-sign", "-m", "Fork of the playbook")
    return dest


def _git(root: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Fork Ltd", "-c", "user.email=ml@fork.invalid", "-c", "init.defaultBranch=main", *args],
        cwd=root,
        check=True,
        capture_output=True,
    )


def customise(root: Path) -> Fork:
    """Make the edits of the issue "A fork stays green" in the fork at ``root``; return what changed."""
    fork = Fork(root)
    _rebrand(fork)
    _archetypes(fork)
    _feedback(fork)
    _timeline(fork)
    _chapter(fork)
    set_content_tests(root, False)
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "--no-gpg-sign", "-m", "Fork Ltd's playbook: names, colours, data, a chapter")
    return fork


def set_content_tests(root: Path, enabled: bool) -> None:
    """Set ``[tool.playbook] content_tests`` in ``root``'s pyproject.toml, as data.

    The switch is read and written as TOML (tomlkit keeps the file's comments and
    layout), so it does not matter whether the checkout has it on, off, or not at
    all: a fork that already followed the README and turned it off is fine.
    """
    import tomlkit

    path = root / "pyproject.toml"
    doc = tomlkit.parse(path.read_text(encoding="utf-8"))
    tool = doc.setdefault("tool", tomlkit.table(is_super_table=True))
    playbook = tool.setdefault("playbook", tomlkit.table())
    playbook["content_tests"] = enabled
    save(path, doc)


def _sub_line(text: str, pattern: str, repl: str, what: str, count: int = 0) -> str:
    new, n = re.subn(pattern, repl, text, count=count, flags=re.M)
    assert n >= 1, f"mkdocs.yml: {what} not found"
    return new


def _rebrand(fork: Fork) -> None:
    from pipeline import palette

    config = fork.root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    current = set(re.findall(r"^\s+primary:\s*([\w-]+)", text, re.M))
    fork.primary = next(c for c in palette.passing() if c not in current)
    text = _sub_line(text, r"^site_name:.*$", f"site_name: {SITE_NAME}", "site_name", count=1)
    text = _sub_line(text, r"^(\s+logo:\s*)\S+", rf"\g<1>{LOGO}", "theme.logo", count=1)
    text = _sub_line(text, r"^(\s+primary:\s*)[\w-]+", rf"\g<1>{fork.primary}", "theme.palette primary")
    config.write_text(text, encoding="utf-8")
    (fork.root / "docs" / LOGO).write_text(LOGO_SVG, encoding="utf-8")


def _archetypes(fork: Fork) -> None:
    path = data_file(fork.root, "archetype", "question", "example")
    text = path.read_text(encoding="utf-8")
    doc = load(path)
    dims = [str(d["id"]) for d in doc["dimension"]]
    # Move one profile: the first archetype's position on its first scale, clearly.
    arch = doc["archetype"][0]
    dim = next(d for d in dims if d in arch["profile"])
    before = float(arch["profile"][dim])
    after = 0.9 if before < 0.5 else 0.1
    arch["profile"][dim] = after
    arch["name"] = f"{arch['name']} (Fork Ltd)"
    fork.archetype_id, fork.archetype_name, fork.moved = str(arch["id"]), str(arch["name"]), (dim, before, after)
    # Add a question every example answers, within the number of questions the file allows.
    limits = _limits(text, "question")
    if limits and len(doc["question"]) >= limits[1]:
        referenced = {str(a).split(".", 1)[0] for c in doc.get("contradiction", []) for a in c.get("answers", [])}
        drop = next(i for i in reversed(range(len(doc["question"]))) if doc["question"][i]["id"] not in referenced)
        dropped = str(doc["question"][drop]["id"])
        del doc["question"][drop]
        for ex in doc["example"]:
            if dropped in ex.get("answers", {}):
                del ex["answers"][dropped]
    informs = dims[:2]
    answers = [
        {"id": "none", "text": "Nobody: everyone works at the office", "at": {informs[0]: 0.2, informs[1]: 0.8}},
        {"id": "some", "text": "About half of them", "at": {informs[0]: 0.5, informs[1]: 0.5}},
        {"id": "most", "text": "Nearly all of them", "at": {informs[0]: 0.85, informs[1]: 0.15}},
    ]
    sample = doc["question"][0]
    question = {
        "id": QUESTION_ID,
        "text": "How many of your ML staff work remotely most of the week?",
        "weight": 1.0,
        "answer": answers,
    }
    doc["question"].append(table({k: v for k, v in question.items() if k in sample or k in ("id", "text", "answer")}))
    fork.question_answers = [a["id"] for a in answers]
    for i, ex in enumerate(doc["example"]):
        ex["answers"][QUESTION_ID] = answers[i % len(answers)]["id"]
        fork.examples.append(str(ex["id"]))
    save(path, doc)


def _feedback(fork: Fork) -> None:
    path = data_file(fork.root, "mechanism")
    doc = load(path)
    mech = doc["mechanism"][0]
    trait = next(t for t in ("response_rate", "usefulness", "noise", "signal_value") if isinstance(mech.get(t), float))
    before = float(mech[trait])
    after = round(before / 2 if before >= 0.4 else min(0.95, before * 2 + 0.1), 3)
    mech[trait] = after
    fork.mechanism_id, fork.trait = str(mech["id"]), (trait, before, after)
    save(path, doc)


def _timeline(fork: Fork) -> None:
    """The default (first) plan becomes Fork Ltd's: every task and group renamed, in place."""
    path = data_file(fork.root, "plan")
    doc = load(path)
    plan = doc["plan"][0]
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
    save(path, doc)


def _chapter(fork: Fork) -> None:
    (fork.root / "docs" / CHAPTER).write_text(f"# {CHAPTER_TITLE}\n\n{CHAPTER_TEXT}\n", encoding="utf-8")
    config = fork.root / "mkdocs.yml"
    lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.startswith("nav:"))
    last = max(i for i, line in enumerate(lines) if i > start and re.search(r":\s*chapters/\S+\.md\s*$", line))
    indent = re.match(r"\s*", lines[last]).group(0)
    lines.insert(last + 1, f"{indent}- {CHAPTER_NAV}: {CHAPTER}\n")
    config.write_text("".join(lines), encoding="utf-8")


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
    """A fresh copy of this repository with a company's edits, made once per session."""
    return customise(make_fork(tmp_path_factory.mktemp("fork") / "playbook"))


@pytest.fixture(scope="session")
def fork_site(fork) -> Path:
    """The fork's strict build, for its published address (a folder on GitHub Pages)."""
    site = fork.root.parent / "site"
    start = time.monotonic()
    proc = build(fork.root, site)
    assert proc.returncode == 0, f"the fork's build failed:\n{proc.stderr[-4000:]}"
    print(f"fork build: {time.monotonic() - start:.1f} s")
    return site
