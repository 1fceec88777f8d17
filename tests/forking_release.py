"""An upstream release merged into the throwaway fork of tests/forking.py: it must merge with no conflict.

The release changes upstream's own files the way releases do: mkdocs.yml (a new
chapter, a new feature flag), two data files (a reworded question, a field with
a default now given), a chapter's text, pyproject.toml and a calculator module.
The fork's edits live in company/ only, so none of these can conflict with them.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from .forking import (
    UPSTREAM_CHAPTER,
    UPSTREAM_CHAPTER_TITLE,
    UPSTREAM_FLAG,
    UPSTREAM_TEXT,
    Fork,
    _git,
    data_file,
    load,
    nav_pages,
    save,
)


def release_upstream(fork: Fork) -> None:
    """On branch ``upstream``: the changes a release makes to upstream's own files; then merge it into the fork."""
    root = fork.root
    _git(root, "checkout", "-q", "upstream")
    try:
        # mkdocs.yml: a new chapter after the last one, and a new feature flag.
        config = root / "mkdocs.yml"
        lines = config.read_text(encoding="utf-8").splitlines(keepends=True)
        last = max(i for i, line in enumerate(lines) if re.search(r":\s*chapters/\S+\.md\s*$", line))
        indent = re.match(r"\s*", lines[last]).group(0)
        lines.insert(last + 1, f"{indent}- {UPSTREAM_CHAPTER_TITLE}: {UPSTREAM_CHAPTER}\n")
        at = next(i for i, line in enumerate(lines) if re.match(r"^\s+playbook:\s*$", line))
        flag_indent = re.match(r"\s*", lines[at]).group(0) + "  "
        lines.insert(at + 1, f"{flag_indent}{UPSTREAM_FLAG}: true   # a feature flag of a later release\n")
        config.write_text("".join(lines), encoding="utf-8")
        (root / "docs" / UPSTREAM_CHAPTER).write_text(
            f"# {UPSTREAM_CHAPTER_TITLE}\n\n{UPSTREAM_TEXT}\n", encoding="utf-8"
        )
        # A data file: a question reworded (one the fork neither rewords nor removes).
        path = data_file(root, "archetype", "question")
        doc = load(path)
        question = doc["question"][1]
        question["text"] = f"{question['text'].rstrip('?')} (reworded upstream)?"
        save(path, doc)
        fork.upstream["question"] = (str(question["id"]), str(question["text"]))
        # Another: a field with a default, now given (a plan the fork does not replace).
        path = data_file(root, "plan")
        doc = load(path)
        plan, task, key, value = next(
            (p, t, k, v)
            for p in doc["plan"][1:]
            for t in p["tasks"]
            for k, v in (("p_success", 0.9), ("importance", 5))
            if k not in t
        )
        task[key] = value
        save(path, doc)
        fork.upstream["field"] = (str(plan["id"]), str(task["id"]), key, value)
        # A chapter's text (one the fork neither hides nor replaces).
        chapter = next(c for c in nav_pages(root) if c not in (fork.hidden, fork.replaced))
        page = root / "docs" / chapter
        page.write_text(page.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{UPSTREAM_TEXT}\n", encoding="utf-8")
        fork.upstream["chapter"] = chapter
        # pyproject.toml, as data: a new pytest marker.
        path = root / "pyproject.toml"
        doc = load(path)
        doc["tool"]["pytest"]["ini_options"]["markers"].append("upstream_release: a marker a later release adds")
        save(path, doc)
        # A calculator module: a new sentence in its docstring.
        from calculators._contract import REGISTRY

        module = root / "calculators" / next(iter(REGISTRY)) / "__init__.py"
        text = module.read_text(encoding="utf-8")
        module.write_text(text.replace('"""', '"""Changed by a later upstream release. ', 1), encoding="utf-8")
        _git(root, "add", "-A")
        _git(root, "commit", "-q", "--no-gpg-sign", "-m", "Upstream release")
    finally:
        _git(root, "checkout", "-q", "main")
    merge = subprocess.run(
        ["git", "-c", "user.name=Fork Ltd", "-c", "user.email=ml@fork.invalid", "merge", "--no-edit", "upstream"],
        cwd=root,
        capture_output=True,
        text=True,
    )
    conflicts = _git(root, "diff", "--name-only", "--diff-filter=U").stdout.split()
    assert merge.returncode == 0 and not conflicts, f"merging upstream conflicts in {conflicts}:\n{merge.stdout}"


def outside_company(root: Path) -> list[str]:
    """Files the fork's own commits changed outside company/ (``git diff upstream --stat``, by name)."""
    names = _git(root, "diff", "--name-only", "upstream...main").stdout.split()
    return [n for n in names if not n.startswith("company/")]
