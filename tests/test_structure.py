"""The shape of the code: no import cycle among our modules, and no module over 450 lines.

An import scan (``ast``, nothing imported) reads every module of ``calculators/``
and ``pipeline/`` and follows each ``import`` and ``from ... import`` that names
one of them, wherever it stands in the file (a function's lazy import counts:
it is a dependency all the same). Only imports under ``if TYPE_CHECKING:`` are
left out, since they never run. ``from package import name`` points at the
submodule when ``name`` is one, else at the package's ``__init__``. A cycle is
reported as the chain of modules, so the message says which import to remove.
The length rule also holds for the scripts, the build hook, the tests and our
JavaScript. The scanner's own test builds a small package with a cycle and long
modules and checks they are found.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from pipeline.paths import REPO

#: The packages scanned for cycles and length.
PACKAGES = ("calculators", "pipeline")
#: Other Python held to the same length (scripts, the build hook, the tests).
ALSO_SHORT = ("scripts", "overrides/hooks", "tests")
#: Our JavaScript (the page's modules, the service worker, the build-time maker, its tests).
JS_FOLDERS = ("overrides/assets/playbook", "pipeline", "tests/js")
MAX_LINES = 450


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, Path]:
    """Every module of ``packages`` under ``root``, by dotted name."""
    found = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "__pycache__" not in path.parts:
                found[module_name(path, root)] = path
    return found


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If):
            test = node.test
            name = test.id if isinstance(test, ast.Name) else test.attr if isinstance(test, ast.Attribute) else ""
            if name == "TYPE_CHECKING":
                return True
    return False


def imports_of(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """The modules of ``known`` that module ``name`` (at ``path``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, (ast.Import, ast.ImportFrom)) or _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        else:
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            subs = [f"{base}.{a.name}" if base else a.name for a in node.names]
            targets = [sub if sub in known else base for sub in subs]
        for target in targets:
            # ``import a.b.c`` of a module we know, else the nearest known package above it.
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def import_graph(root: Path, packages: tuple[str, ...] = PACKAGES) -> dict[str, set[str]]:
    known = modules(root, packages)
    return {name: imports_of(name, path, known) for name, path in known.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """One chain per import cycle (each strongly connected set of modules, shown as a loop)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                groups.append(group)

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return [_loop(sorted(group), graph) for group in groups]


def _loop(group: list[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the group's first module back to itself, inside the group."""
    start, members = group[0], set(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        v = queue.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    return group  # pragma: no cover - a strongly connected group always closes


def long_modules(
    root: Path, folders: tuple[str, ...] = PACKAGES + ALSO_SHORT, js_folders: tuple[str, ...] = JS_FOLDERS
) -> list[str]:
    """``"path: N lines"`` for each Python module under ``folders`` and each JavaScript module
    (``.mjs``, ``.js``) under ``js_folders`` that is over :data:`MAX_LINES` lines."""
    paths = [p for folder in folders for p in (root / folder).rglob("*.py")]
    paths += [p for folder in js_folders for ext in ("*.mjs", "*.js") for p in (root / folder).rglob(ext)]
    out = []
    for path in sorted(set(paths)):
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > MAX_LINES:
            out.append(f"{path.relative_to(root).as_posix()}: {lines} lines")
    return out


def test_no_import_cycle_in_calculators_or_pipeline() -> None:
    graph = import_graph(REPO)
    assert len(graph) > 30 and graph["pipeline.chapter_charts"], "the scan reads the packages"
    found = cycles(graph)
    assert not found, "import cycles (each shown as a loop):\n" + "\n".join(" -> ".join(c) for c in found)


def test_no_module_is_over_450_lines() -> None:
    long = long_modules(REPO)
    assert not long, f"split these by job (at most {MAX_LINES} lines each):\n" + "\n".join(long)


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        # The cycle this scan was written for: a record module importing its charts at the bottom.
        (
            {
                "pkg/__init__.py": "",
                "pkg/record.py": "X = 1\nfrom . import kinds  # noqa\n",
                "pkg/kinds.py": "from .record import X\n",
            },
            [["pkg.kinds", "pkg.record", "pkg.kinds"]],
        ),
        # A lazy import inside a function is a dependency too; TYPE_CHECKING-only imports are not.
        (
            {
                "pkg/__init__.py": "",
                "pkg/a.py": "def f():\n    from pkg.b import g\n    return g\n",
                "pkg/b.py": "import pkg.c\n",
                "pkg/c.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import b\n"
                "def h():\n    from pkg import a\n",
            },
            [["pkg.a", "pkg.b", "pkg.c", "pkg.a"]],
        ),
        # A submodule importing a name its own package's __init__ re-exports from it.
        (
            {"pkg/__init__.py": "from .sub import run\n", "pkg/sub.py": "from pkg import helper\n"},
            [["pkg", "pkg.sub", "pkg"]],
        ),
        ({"pkg/__init__.py": "from .sub import run\n", "pkg/sub.py": "import json\n"}, []),
    ],
)
def test_the_scan_finds_cycles_in_a_broken_copy(tmp_path: Path, files: dict[str, str], expected: list) -> None:
    _write(tmp_path, files)
    assert cycles(import_graph(tmp_path, ("pkg",))) == expected


def test_the_scan_finds_a_long_module(tmp_path: Path) -> None:
    _write(tmp_path, {"pkg/short.py": "x = 1\n" * MAX_LINES, "pkg/long.py": "x = 1\n" * (MAX_LINES + 1)})
    _write(tmp_path, {"js/short.mjs": "x;\n" * MAX_LINES, "js/long.js": "x;\n" * (MAX_LINES + 1)})
    assert long_modules(tmp_path, ("pkg",), ("js",)) == [
        f"js/long.js: {MAX_LINES + 1} lines",
        f"pkg/long.py: {MAX_LINES + 1} lines",
    ]
