"""Every code sample shown in the docs runs.

* each ```python block in ``docs/**/*.md`` (also inside admonitions and tabs)
  is executed, from the repository root, in a fresh namespace;
* each line of a ```bash block that starts with ``python -m calculators`` is run
  against the real command line and must exit 0 and print JSON (or the help).

There is no opt-out: a sample that cannot run does not belong in the docs.
The docstring examples of ``calculators/`` run as doctests (``--doctest-modules``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass

import pytest

from pipeline.paths import REPO

DOCS = REPO / "docs"
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<lang>[\w+-]*)[^\n]*$")


@dataclass(frozen=True)
class Block:
    file: str
    line: int
    lang: str
    code: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


def blocks() -> list[Block]:
    found: list[Block] = []
    for path in sorted(DOCS.rglob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        i = 0
        while i < len(lines):
            m = FENCE.match(lines[i])
            if not m:
                i += 1
                continue
            indent, fence, lang = m["indent"], m["fence"], m["lang"].lower()
            body: list[str] = []
            j = i + 1
            while j < len(lines) and not (
                lines[j].strip().startswith(fence) and lines[j].strip().strip(fence[0]) == ""
            ):
                body.append(lines[j][len(indent) :] if lines[j].startswith(indent) else lines[j].lstrip())
                j += 1
            found.append(Block(path.relative_to(REPO).as_posix(), i + 1, lang, "\n".join(body) + "\n"))
            i = j + 1
    return found


BLOCKS = blocks()
PYTHON = [b for b in BLOCKS if b.lang in ("python", "py")]
BASH = [b for b in BLOCKS if b.lang in ("bash", "sh", "shell", "console")]
CLI_LINES = [
    (b, line.strip()) for b in BASH for line in b.code.splitlines() if line.strip().startswith("python -m calculators")
]


def test_the_docs_have_samples_to_check():
    assert len(PYTHON) >= 2, [str(b) for b in PYTHON]
    assert len(CLI_LINES) >= 4, [str(b) for b, _ in CLI_LINES]


@pytest.mark.parametrize("block", PYTHON, ids=str)
def test_python_sample_runs(block, monkeypatch):
    monkeypatch.chdir(REPO)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(block.code, str(block), "exec"), {"__name__": "__docs_example__"})
    assert "Traceback" not in out.getvalue()


@pytest.mark.parametrize(
    ("block", "command"), CLI_LINES, ids=[f"{b}:{c.split()[3] if len(c.split()) > 3 else 'help'}" for b, c in CLI_LINES]
)
def test_command_line_sample_runs(block, command):
    argv = shlex.split(command)
    assert not set(argv) & {"|", ">", "<", "&&", ";"}, f"{block}: keep CLI samples to one plain command"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run([sys.executable, *argv[1:]], cwd=REPO, capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 0, f"{block}: `{command}` failed:\n{proc.stderr}"
    if "--help" in argv or "--version" in argv:
        assert proc.stdout.startswith(("usage:", "python -m calculators"))
    else:
        assert isinstance(json.loads(proc.stdout), dict)
