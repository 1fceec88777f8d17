"""The chapter chart record, its registry and the checks every chart's table passes.

One chart of the chapters is one :class:`ChapterChart`: the keys its table
needs, its own checks and its drawing, registered in :data:`CHARTS` by the
:func:`chart` decorator (the charts are in ``pipeline/chapter_chart_kinds/``).
:func:`validate` checks one chart's table against its record and raises
:class:`ChartDataError` (a ``ValueError``) naming the file, the chart and the
entry. This module imports nothing else of the pipeline: the charts, the
loader (``pipeline/chapter_charts.py``) and the drawing
(``pipeline/static_charts.py``) all import it.

Examples
--------
>>> is_kind("", str), is_kind(2, NUMBER), is_kind(True, int)
(False, True, False)
>>> fmt(0.5), fmt(3.0)
('0.5', '3')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from .paths import REPO


def shown(path: Path | str) -> str:
    """A path as messages show it: relative to the repo when inside it."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(REPO))
    except ValueError:
        return str(p)


class ChartDataError(ValueError):
    """The chart data file is missing, malformed or out of range."""

    def __init__(self, file: Path | str, chart: str, problem: str) -> None:
        self.file, self.chart, self.problem = str(file), chart, problem
        where = f"{shown(file)}: chart {chart!r}: " if chart else f"{shown(file)}: "
        super().__init__(where + problem)


@dataclass(frozen=True)
class Figure:
    """One chapter chart: spec, caption, text alternative and data table."""

    spec: dict[str, Any]
    caption: str
    alt: str
    columns: list[str]
    rows: list[list[str]]

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


Err = Callable[[str], ChartDataError]
Draw = Callable[[dict[str, Any]], Figure]
Check = Callable[[dict[str, Any], list[dict[str, Any]], Err], None]


@dataclass(frozen=True)
class ChapterChart:
    """One chart of the chapters: what its table holds, how it is checked, how it is drawn.

    ``settings`` and ``fields`` map a key of the chart's table (and of each of
    its ``rows``) to a kind: a type, a tuple of types, or ``("optional", kind)``.
    ``check(table, rows, err)`` adds the chart's own rules; ``draw(table)``
    returns the :class:`Figure`.
    """

    name: str
    settings: Mapping[str, Any]
    fields: Mapping[str, Any]
    check: Check
    draw: Draw
    doc: str = field(default="", compare=False)


#: Every chapter chart, by name (in the order the list and the check print them).
CHARTS: dict[str, ChapterChart] = {}


def chart(name: str, *, settings: Mapping[str, Any], fields: Mapping[str, Any], check: Check) -> Callable[[Draw], Draw]:
    """Register the decorated drawing function as chart ``name`` with its schema and checks."""

    def register(draw: Draw) -> Draw:
        CHARTS[name] = ChapterChart(name, settings, fields, check, draw, (draw.__doc__ or "").strip())
        return draw

    return register


# --------------------------------------------------------------------------
# Checks shared by every chart
# --------------------------------------------------------------------------

NUMBER = (int, float)


def fmt(x: float) -> str:
    """A number as the tables show it (``0.5``, ``3``)."""
    return f"{x:g}"


def _kind_name(kind: Any) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "a whole number", float: "a number", str: "text", list: "a list", dict: "a table"}
    if set(kinds) == {int, float}:
        return "a number"
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def is_kind(value: Any, kind: Any) -> bool:
    """Whether ``value`` is of ``kind`` (a type or a tuple of types); text must not be blank, a bool is no number."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool):
        return bool in kinds
    if isinstance(value, str) and str in kinds:
        return value.strip() != ""
    return isinstance(value, kinds)


def require(table: dict[str, Any], spec: Mapping[str, Any], err: Err, where: str) -> None:
    """Every key of ``spec`` is in ``table`` (unless ``("optional", kind)``) with a value of its kind."""
    for key, kind in spec.items():
        optional = isinstance(kind, tuple) and kind and kind[0] == "optional"
        if optional:
            kind = kind[1]
        if key not in table:
            if optional:
                continue
            raise err(f"{where}missing key {key!r}")
        if not is_kind(table[key], kind):
            got = table[key]
            value = repr(got) if isinstance(got, (str, int, float, bool)) else type(got).__name__
            raise err(f"{where}{key!r} must be {_kind_name(kind)} (non-empty), not {value}")


def in_range(row: dict[str, Any], key: str, lo: float, hi: float, err: Err, where: str) -> None:
    """``row[key]`` lies between ``lo`` and ``hi`` (both included)."""
    if not lo <= row[key] <= hi:
        raise err(f"{where}{key!r} ({row[key]}) must be between {lo} and {hi}")


def unique(rows: list[dict[str, Any]], key: str, err: Err) -> None:
    """No two rows share a value of ``key``."""
    seen: set[str] = set()
    for i, r in enumerate(rows):
        if r[key] in seen:
            raise err(f"rows[{i}]: {key} {r[key]!r} appears twice")
        seen.add(r[key])


def validate(name: str, table: Any, file: Path) -> dict[str, Any]:
    """Check chart ``name``'s table (read from ``file``) against its record; return it."""
    err = partial(ChartDataError, file, name)
    if not isinstance(table, dict):
        raise err(f"[{name}] must be a table")
    record = CHARTS[name]
    require(table, {"caption": str, "alt": str, **record.settings}, err, "")
    rows = table.get("rows")
    if not isinstance(rows, list) or not rows:
        raise err("needs at least one [[" + name + ".rows]] entry")
    for i, row in enumerate(rows):
        where = f"rows[{i}]: "
        if not isinstance(row, dict):
            raise err(f"{where}must be a table")
        require(row, record.fields, err, where)
        unknown = sorted(set(row) - set(record.fields))
        if unknown:
            raise err(f"{where}unknown key {unknown[0]!r} (known: {', '.join(record.fields)})")
    record.check(table, rows, err)
    return table
