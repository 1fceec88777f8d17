"""The calculator contract: what every calculator provides, and the one registry.

A calculator is a subpackage ``calculators/<name>/`` whose ``__init__`` exposes the
names of :class:`Calculator` at module level. The API (:mod:`calculators.api`), the
command line, the chart templates, the build's prerender step and the contract
tests all read :data:`REGISTRY`; adding a calculator means its subpackage, its data
file, its page, and one line here.

Examples
--------
>>> names()
('timeline', 'archetype', 'feedback')
>>> calc = get("timeline")
>>> isinstance(calc, Calculator)
True
>>> calc.NAME
'timeline'
"""

from __future__ import annotations

import dataclasses
import importlib
import math
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any, Protocol, runtime_checkable

from .errors import InputError

#: Calculator name -> the module that implements it. One line per calculator.
REGISTRY: dict[str, str] = {
    "timeline": "calculators.timeline",
    "archetype": "calculators.archetype",
    "feedback": "calculators.feedback",
}


@runtime_checkable
class Calculator(Protocol):
    """What a calculator module provides (structural: a module satisfies it).

    ``parse`` validates the JSON input and raises :class:`~calculators.errors.InputError`
    listing every problem; ``compute`` turns valid inputs into a result with
    ``to_dict()``; ``from_input`` is ``compute(parse(data))``; ``render`` turns a
    result into view blocks (:mod:`calculators.view`); ``form`` describes the page's
    inputs (:mod:`calculators.forms`). ``CHARTS_MODULE`` names the module whose
    ``TEMPLATES`` dict holds the calculator's Altair chart templates (build time only).

    Optional members (see :data:`OPTIONAL`): a module may leave them out, and
    :func:`get` then gives it the default, so every front end reads them directly.

    ``blank_input``
        ``None``, or a function of no arguments returning an empty input a reader may
        start from (the page offers "Start from blank" and says when it shows an
        example's answers). It must pass ``parse``.
    """

    NAME: str
    TITLE: str
    DESCRIPTION: str
    CHARTS_MODULE: str
    blank_input: Callable[[], dict[str, Any]] | None

    def form(self) -> list[dict[str, Any]]: ...

    def default_input(self) -> dict[str, Any]: ...

    def examples(self) -> list[dict[str, Any]]: ...

    def parse(self, data: Any) -> Any: ...

    def compute(self, inputs: Any) -> Any: ...

    def from_input(self, data: Any) -> Any: ...

    def render(self, result: Any) -> list[dict[str, Any]]: ...


#: Optional members of :class:`Calculator` and the default a module that leaves one out gets.
OPTIONAL: dict[str, Any] = {"blank_input": None}


def names() -> tuple[str, ...]:
    """Every registered calculator's name, in the registry's order."""
    return tuple(REGISTRY)


def get(name: str) -> Calculator:
    """The module that implements calculator ``name``.

    Raises
    ------
    calculators.errors.InputError
        ``name`` is not a registered calculator (the field is ``calculator``).
    """
    if not isinstance(name, str) or name not in REGISTRY:
        shown = name if isinstance(name, str) and len(name) < 40 else type(name).__name__
        raise InputError(f"unknown calculator {shown!r}; expected one of {', '.join(REGISTRY)}", field="calculator")
    return _with_defaults(importlib.import_module(REGISTRY[name]))


def _with_defaults(module: ModuleType) -> Calculator:
    """``module`` with the default of each optional member it leaves out (:data:`OPTIONAL`)."""
    for member, default in OPTIONAL.items():
        vars(module).setdefault(member, default)
    calc: Calculator = module  # a module satisfies the protocol structurally
    return calc


def plain(value: Any, *, where: str = "result") -> Any:
    """``value`` as plain JSON data: dataclasses, tuples, numpy scalars and arrays converted.

    Raises ``ValueError`` on NaN or infinity, naming where it sits, so that a
    result can never carry a number that JSON cannot hold.

    Examples
    --------
    >>> import numpy as np
    >>> plain({"a": (np.float64(0.5), np.int64(2)), "b": np.array([1.0, 2.0])})
    {'a': [0.5, 2], 'b': [1.0, 2.0]}
    >>> plain({"x": float("nan")})
    Traceback (most recent call last):
    ...
    ValueError: result.x is not a finite number
    """
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if hasattr(value, "to_dict") and not isinstance(value, Result):
            return plain(value.to_dict(), where=where)
        return {
            f.name: plain(getattr(value, f.name), where=f"{where}.{f.name}")
            for f in dataclasses.fields(value)
            if not f.name.startswith("_")
        }
    if isinstance(value, Mapping):
        return {str(k): plain(v, where=f"{where}.{k}") for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, where=f"{where}[{i}]") for i, v in enumerate(value)]
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy scalars and arrays
        return plain(value.tolist(), where=where)
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{where} is not a finite number")
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"{where}: {type(value).__name__} is not plain JSON data")


class Result:
    """Base of every calculator's frozen result dataclass: ``to_dict()`` is plain JSON.

    Fields whose name starts with ``_`` are left out. A subclass overrides
    ``to_dict`` only to rename or omit keys.

    Examples
    --------
    >>> from dataclasses import dataclass
    >>> @dataclass(frozen=True)
    ... class Demo(Result):
    ...     share: float
    ...     weeks: tuple[int, ...]
    >>> Demo(0.25, (1, 2)).to_dict()
    {'share': 0.25, 'weeks': [1, 2]}
    """

    def to_dict(self) -> dict[str, Any]:
        out = plain(self)
        assert isinstance(out, dict)
        return out
