"""The one layout every calculator subpackage follows, checked for each registered calculator.

Each calculator has the same modules, one job each (form, inputs, model, result,
view, knowledge, charts and an __init__ that only re-exports), none over 450 lines,
and imports only downwards: these tests read the files with ``ast`` and check the
set, the jobs and the direction of imports, find any import cycle, and show that
every check fails on a deliberately broken copy of a calculator.
"""

from __future__ import annotations

import ast
import importlib
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from calculators import _contract

NAMES = _contract.names()
PACKAGE = Path(_contract.__file__).parent


# ----------------------------------------------------------------- one layout, one job per module

JOBS = ("__init__", "form", "inputs", "model", "result", "view", "knowledge", "charts")
MAX_LINES = 450
#: What each module may not import from its own calculator (a sibling above it in the layout).
NOT_FROM_SIBLINGS = {
    "knowledge": {"form", "inputs", "model", "result", "view", "charts"},
    "inputs": {"form", "model", "result", "view", "charts"},
    "model": {"form", "result", "view", "charts"},
    "result": {"form", "view", "charts"},
    "form": {"model", "result", "view", "charts"},
    "view": {"model"},  # the view draws the result; it never computes one again (see RECOMPUTE)
    "charts": {"model", "inputs", "result", "view"},
}
#: What each module may not import from the package: the page's URL format stays at the edge (api),
#: and the model is numpy only, no prose and no page.
NOT_FROM_PACKAGE = {"model": {"view", "forms", "share", "api", "_format"}}
NEVER_FROM_PACKAGE = {"share", "api"}
RECOMPUTE = {"compute", "from_input", "parse", "assess", "recommend", "simulate"}
#: Calculators that have not moved to the layout yet (name -> why; xfail until they do). None: all have.
LAYOUT_PENDING: dict[str, str] = {}


def _imports(path: Path, package: str) -> tuple[set[str], set[str], set[str]]:
    """(siblings, package modules, names imported from siblings) that module ``path`` imports, at any depth."""
    siblings: set[str] = set()
    parents: set[str] = set()
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            parts = (node.module or "").split(".") if node.module else []
            if node.level == 0 and parts[:2] == ["calculators", package]:
                node_level, parts = 1, parts[2:]
            elif node.level == 0 and parts[:1] == ["calculators"]:
                node_level, parts = 2, parts[1:]
            else:
                node_level = node.level
            if node_level == 1:
                found = {parts[0]} if parts else {a.name for a in node.names}
                siblings |= found
                if parts:
                    names |= {a.name for a in node.names}
            elif node_level == 2:
                parents |= {parts[0]} if parts else {a.name for a in node.names}
        elif isinstance(node, ast.Import):
            for a in node.names:
                parts = a.name.split(".")
                if parts[:2] == ["calculators", package] and len(parts) > 2:
                    siblings.add(parts[2])
                elif parts[:1] == ["calculators"] and len(parts) > 1:
                    parents.add(parts[1])
    return siblings, parents, names


def _calls(path: Path) -> set[str]:
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            f = node.func
            out.add(f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else "")
    return out


def _only_reexports(path: Path) -> list[str]:
    """The statements of an ``__init__`` that are not a docstring, an import or a constant."""
    out = []
    for i, node in enumerate(ast.parse(path.read_text(encoding="utf-8")).body):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and i == 0:
            continue
        if isinstance(node, ast.ImportFrom) and (node.level == 1 or node.module == "__future__"):
            continue
        if isinstance(node, ast.Assign | ast.AnnAssign) and node.value is not None:
            value = node.value
            items = value.elts if isinstance(value, ast.List | ast.Tuple) else [value]
            if all(isinstance(v, ast.Constant) for v in items):
                continue
        out.append(f"line {node.lineno}: {type(node).__name__}")
    return out


def _layout_problems(folder: Path) -> list[str]:
    """Everything that breaks the one layout in the calculator subpackage ``folder``."""
    package = folder.name
    files = {p.stem: p for p in folder.glob("*.py")}
    out = [f"missing {job}.py" for job in JOBS if job not in files]
    private = {m: m.split("_")[1] for m in files if re.fullmatch(rf"_({'|'.join(JOBS[1:])})_\w+", m)}
    out += [f"{m}.py has no job: merge it into one of {', '.join(JOBS)}" for m in files if m not in (*JOBS, *private)]
    out += [
        f"{m}.py has {n} lines (at most {MAX_LINES})"
        for m, p in files.items()
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    ]
    out += (
        [f"__init__.py must only re-export: {s}" for s in _only_reexports(files["__init__"])]
        if "__init__" in files
        else []
    )
    graph: dict[str, set[str]] = {}
    for m, path in files.items():
        siblings, parents, names = _imports(path, package)
        graph[m] = siblings & set(files)
        job = private.get(m, m)
        out += [f"{m} imports {s}, above it" for s in sorted(siblings & NOT_FROM_SIBLINGS.get(job, set()))]
        bad = parents & (NOT_FROM_PACKAGE.get(job, set()) | NEVER_FROM_PACKAGE)
        out += [f"{m} imports calculators.{p}" for p in sorted(bad)]
        if job == "view":
            out += [f"view computes again: imports {n}" for n in sorted(names & RECOMPUTE)]
            out += [f"view computes again: calls {n}()" for n in sorted(_calls(path) & RECOMPUTE)]
    for m, job in private.items():  # a job's private helper; charts may read a view helper's layout numbers
        users = {u for u, deps in graph.items() if m in deps}
        if job not in users or not users <= {job, "charts"}:
            out.append(f"{m}.py is imported by {sorted(users) or 'nothing'}, not by {job}.py alone")
    out += _cycles(graph)
    return out


def _cycles(graph: dict[str, set[str]]) -> list[str]:
    out, done = [], set()

    def visit(m: str, path: list[str]) -> None:
        if m in path:
            out.append("import cycle: " + " -> ".join([*path[path.index(m) :], m]))
            return
        if m in done:
            return
        for n in sorted(graph.get(m, ())):
            visit(n, [*path, m])
        done.add(m)

    for m in sorted(graph):
        visit(m, [])
    return out


def _per_calculator() -> list[Any]:
    return [
        pytest.param(n, marks=pytest.mark.xfail(strict=False, reason=LAYOUT_PENDING[n])) if n in LAYOUT_PENDING else n
        for n in NAMES
    ]


@pytest.mark.parametrize("name", _per_calculator())
def test_calculator_has_the_one_layout_and_imports_downwards(name: str) -> None:
    folder = Path(importlib.import_module(_contract.REGISTRY[name]).__file__ or "").parent
    assert _layout_problems(folder) == []


def test_no_module_of_the_package_is_over_the_limit() -> None:
    long = {
        str(p.relative_to(PACKAGE)): n
        for p in PACKAGE.rglob("*.py")
        if (n := len(p.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


# Each check of the layout fails on a broken copy: (what to write, into which file, what the check says).
BREAKAGES = [
    ("", "form.py", "missing form.py"),
    ("def helper():\n    return 1\n", "__init__.py", "must only re-export"),
    ("from .result import *  # noqa\n", "model.py", "model imports result, above it"),
    ("from .view import *  # noqa\n", "knowledge.py", "knowledge imports view, above it"),
    ("from .view import *  # noqa\n", "inputs.py", "inputs imports view, above it"),
    ("from .result import compute  # noqa\n", "view.py", "view computes again: imports compute"),
    ("def f(x):\n    return x.from_input({})\n", "view.py", "view computes again: calls from_input()"),
    ("from .model import *  # noqa\n", "view.py", "view imports model, above it"),
    ("from ..share import decode  # noqa\n", "inputs.py", "inputs imports calculators.share"),
    ("from .. import _format  # noqa\n", "model.py", "model imports calculators._format"),
    ("x = 1\n", "helpers.py", "helpers.py has no job"),
    ("x = 1\n" * (MAX_LINES + 1), "charts.py", "charts.py has 451 lines"),
    ("from ._view_extra import *  # noqa\n", "result.py", "_view_extra.py is imported by ['result']"),
    ("from ._form_extra import *  # noqa\n", "charts.py", "_form_extra.py is imported by ['charts']"),
    ("from .inputs import *  # noqa\n", "knowledge.py", "knowledge imports inputs, above it"),
]


@pytest.mark.parametrize(("text", "file", "problem"), BREAKAGES, ids=[b[2] for b in BREAKAGES])
def test_each_layout_check_fails_on_a_broken_copy(tmp_path: Path, text: str, file: str, problem: str) -> None:
    good = next(_contract.REGISTRY[n] for n in NAMES if n not in LAYOUT_PENDING)
    folder = tmp_path / good.rsplit(".", 1)[-1]
    shutil.copytree(Path(importlib.import_module(good).__file__ or "").parent, folder)
    assert _layout_problems(folder) == []  # the copy is sound before it is broken
    target = folder / file
    if not text:
        target.unlink()
    else:
        for helper in ("_view_extra", "_form_extra"):
            if helper in text:
                (folder / f"{helper}.py").write_text("x = 1\n")
        target.write_text((target.read_text() if target.exists() and file != "charts.py" else "") + text)
    assert any(problem in p for p in _layout_problems(folder)), _layout_problems(folder)


def test_the_layout_check_finds_an_import_cycle(tmp_path: Path) -> None:
    good = next(_contract.REGISTRY[n] for n in NAMES if n not in LAYOUT_PENDING)
    folder = tmp_path / good.rsplit(".", 1)[-1]
    shutil.copytree(Path(importlib.import_module(good).__file__ or "").parent, folder)
    for file, other in (("result.py", "_result_loop"), ("_result_loop.py", "result")):
        (folder / file).write_text((folder / file).read_text() if (folder / file).exists() else "")
        with (folder / file).open("a") as fh:
            fh.write(f"from .{other} import *  # noqa\n")
    problems = _layout_problems(folder)
    assert any(p.startswith("import cycle:") and "_result_loop" in p for p in problems), problems
