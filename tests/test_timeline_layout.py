"""The timeline package's layout: one job per module, imports pointing one way, no round trip.

``model`` is numpy only and imports nothing above it; ``__init__`` only
re-exports; the examples are validated once however often a build asks.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from calculators import api

PACKAGE = Path(__file__).resolve().parents[1] / "calculators" / "timeline"
#: Each module and the package modules it may import (the layers below it).
ALLOWED = {
    "knowledge": set(),
    "_inputs_progress": set(),
    "_inputs_plan": set(),
    "inputs": {"_inputs_plan", "_inputs_progress"},
    "_model_sample": {"inputs"},
    "_model_schedule": {"inputs"},
    "_model_whatif": {"inputs"},
    "model": {"inputs", "_model_sample", "_model_schedule", "_model_whatif"},
    "result": {"inputs", "model"},
    "_view_matrix": {"knowledge"},
    "_view_plan": {"result"},
    "view": {"_view_matrix", "_view_plan", "knowledge", "result", "model", "inputs"},
    "form": {"inputs", "knowledge"},
    "charts": {"_view_matrix"},
}


def _imports(module: str) -> set[str]:
    """The sibling modules ``module`` imports (``from .x import`` and ``from . import x``)."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                out.add(node.module.split(".")[0])
            else:
                out.update(a.name for a in node.names)
    return out


def test_every_module_is_listed_and_imports_only_below_it() -> None:
    modules = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert modules == set(ALLOWED), "a module was added or removed: give it its place in ALLOWED"
    for module, allowed in ALLOWED.items():
        assert _imports(module) <= allowed, (module, _imports(module) - allowed)


def test_the_model_is_numpy_only() -> None:
    tree = ast.parse((PACKAGE / "model.py").read_text(encoding="utf-8"))
    absolute = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names} | {
        n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.level == 0 and n.module
    }
    assert absolute <= {"__future__", "math", "dataclasses", "typing", "numpy"}, absolute


def test_init_only_re_exports() -> None:
    tree = ast.parse((PACKAGE / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        is_doc = isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        is_all = isinstance(node, ast.Assign) and [t.id for t in node.targets if isinstance(t, ast.Name)] == ["__all__"]
        assert is_doc or is_all or isinstance(node, ast.ImportFrom), ast.dump(node)[:80]


def test_no_module_is_over_450_lines() -> None:
    for path in PACKAGE.glob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 450, path.name


def test_a_page_config_validates_the_examples_once(monkeypatch: pytest.MonkeyPatch) -> None:
    form = importlib.import_module("calculators.timeline.form")
    calls: list[object] = []
    real = form.parse

    def counting(data: object) -> object:
        calls.append(data)
        return real(data)

    monkeypatch.setattr(form, "parse", counting)
    monkeypatch.setattr(form, "_VALIDATED", {})
    config = api.page_config("timeline")
    api.page_config("timeline")
    assert len(calls) == len(config["examples"]) > 0


def test_an_edited_example_is_validated_again(monkeypatch: pytest.MonkeyPatch) -> None:
    form = importlib.import_module("calculators.timeline.form")
    knowledge = importlib.import_module("calculators.timeline.knowledge")
    first = form.examples()
    edited = [{**first[0], "input": {**first[0]["input"], "tasks": [{"id": "x"}]}}]
    monkeypatch.setattr(knowledge, "example_plans", lambda: edited)
    with pytest.raises(ValueError, match="x"):
        form.examples()
