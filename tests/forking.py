"""A throwaway fork of this repository, for the fork tests (see tests/test_fork.py)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MKDOCS = Path(sys.executable).with_name("mkdocs")

SITE_NAME = "Fork Ltd ML Handbook"
ARCHETYPE_OLD, ARCHETYPE_NEW = "ML embedded in business and product teams", "Squad-embedded ML at Fork Ltd"
TASK_OLD, TASK_NEW = "Collect images from the line", "Gather photos at the Fork Ltd plant"

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
