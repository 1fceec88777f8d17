"""Every code sample shown in the docs runs.

* each ```python block in ``docs/**/*.md`` (also inside admonitions and tabs)
  is executed, from the repository root, in a fresh namespace, and what it
  prints must be exactly the ```text block that follows it in the page (a
  sample that prints shows its output; one that prints nothing has none);
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
#: The languages of the block that shows a sample's printed output.
OUTPUT = ("text", "output")


def shown_output(block: Block) -> str | None:
    """The output the page shows for a Python sample: the next block in its file, if it is a text block."""
    after = [b for b in BLOCKS if b.file == block.file and b.line > block.line]
    return after[0].code if after and after[0].lang in OUTPUT else None


BASH = [b for b in BLOCKS if b.lang in ("bash", "sh", "shell", "console")]
CLI_LINES = [
    (b, line.strip()) for b in BASH for line in b.code.splitlines() if line.strip().startswith("python -m calculators")
]


def test_the_docs_have_samples_to_check():
    assert len(PYTHON) >= 2, [str(b) for b in PYTHON]
    assert len(CLI_LINES) >= 4, [str(b) for b, _ in CLI_LINES]


def run_sample(code: str, where: str) -> str:
    """What a sample prints, run from the repository root in a fresh namespace."""
    out = io.StringIO()
    with contextlib.chdir(REPO), contextlib.redirect_stdout(out):
        exec(compile(code, where, "exec"), {"__name__": "__docs_example__"})
    return out.getvalue()


def same_output(printed: str, shown: str | None) -> bool:
    lines = [line.rstrip() for line in printed.strip("\n").splitlines()]
    return lines == [line.rstrip() for line in (shown or "").strip("\n").splitlines()]


@pytest.mark.parametrize("block", PYTHON, ids=str)
def test_python_sample_prints_what_the_page_shows(block):
    printed = run_sample(block.code, str(block))
    shown = shown_output(block)
    assert printed.strip() or shown is None, f"{block}: prints nothing, yet a text block after it shows output"
    assert same_output(printed, shown), (
        f"{block}: the page shows\n{shown}\nbut the sample prints\n{printed}"
        "(put what it prints in a ```text block right after the sample)"
    )


def test_the_comparison_tells_a_changed_output() -> None:
    assert same_output("a\nb \n", "a\nb\n") and same_output("", None)
    assert not same_output("a\nb\n", "a\nc\n"), "a changed line"
    assert not same_output("a\nb\n", "a\n"), "a line more"
    assert not same_output("a\n", None), "a printing sample that shows no output"


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
