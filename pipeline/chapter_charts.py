"""The charts of the playbook's chapters, built from ``docs/_data/charts.toml``.

A chapter asks for a chart with a line holding only ``<!-- chart: NAME -->``.
The build replaces that line with a static figure: the chart drawn to SVG at
build time (by ``vl-convert``, Vega without a browser) in the light and the
dark palette, a caption, a text alternative and the data as a table. A chapter
page loads no Vega; the reader's palette (or, before any script runs, the
system's colour scheme) picks which SVG shows (``overrides/assets/playbook/
static-charts.css``, bundled by ``pipeline/pagespeed.py``).

Each chart is one record (:class:`ChapterChart`): the keys its table needs,
its extra checks and its drawing, registered together in :data:`CHARTS` by the
:func:`chart` decorator in ``pipeline/chapter_chart_kinds.py`` (one place per
chart). Drawing to SVG and the page's HTML are in ``pipeline/static_charts.py``.
This module loads and validates the data and gives the command line.
The numbers and words live in the TOML file so that a fork can change them
without touching Python. The file is checked on load; any problem raises
:class:`ChartDataError` (a ``ValueError``) naming the file, the chart and the
entry. Knowledge that a calculator owns is read from the calculator's data
through that calculator's own reader: the quadrant chart's cut-offs, importance
scale and quadrant names come only from ``[risk_matrix]`` in
``calculators/data/timeline_examples.toml`` (:func:`calculators.timeline.risk_matrix`).

Command line (no MkDocs needed)::

    python -m pipeline.chapter_charts --check          # validate the data, build every chart
    python -m pipeline.chapter_charts --list
    python -m pipeline.chapter_charts NAME [--data FILE]   # print the figure as JSON
    python -m pipeline.chapter_charts NAME --svg light     # print the chart drawn as SVG

Examples
--------
>>> fig = figure("feedback_types")
>>> fig.columns[0], len(fig.rows)
('Feedback type', 6)
>>> fig.spec["width"]
'container'
"""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA_FILE = REPO / "docs" / "_data" / "charts.toml"


class ChartDataError(ValueError):
    """The chart data file is missing, malformed or out of range."""

    def __init__(self, file: Path | str, chart: str, problem: str) -> None:
        self.file, self.chart, self.problem = str(file), chart, problem
        where = f"{_show(file)}: chart {chart!r}: " if chart else f"{_show(file)}: "
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
    check: Callable[[dict[str, Any], list[dict[str, Any]], Err], None]
    draw: Callable[[dict[str, Any]], Figure]
    doc: str = field(default="", compare=False)


#: Every chapter chart, by name (in the order the list and the check print them).
CHARTS: dict[str, ChapterChart] = {}


def chart(
    name: str,
    *,
    settings: Mapping[str, Any],
    fields: Mapping[str, Any],
    check: Callable[[dict[str, Any], list[dict[str, Any]], Err], None],
) -> Callable[[Draw], Draw]:
    """Register the decorated drawing function as chart ``name`` with its schema and checks."""

    def register(draw: Draw) -> Draw:
        CHARTS[name] = ChapterChart(name, settings, fields, check, draw, (draw.__doc__ or "").strip())
        return draw

    return register


# --------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------

Number = (int, float)


def _show(path: Path | str) -> str:
    p = Path(path)
    try:
        return str(p.resolve().relative_to(REPO))
    except ValueError:
        return str(p)


def _kind_name(kind: Any) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "a whole number", float: "a number", str: "text", list: "a list", dict: "a table"}
    if set(kinds) == {int, float}:
        return "a number"
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _check(value: Any, kind: Any) -> bool:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool):
        return bool in kinds
    if isinstance(value, str) and str in kinds:
        return value.strip() != ""
    return isinstance(value, kinds)


def _require(table: dict[str, Any], spec: Mapping[str, Any], err: Err, where: str) -> None:
    for key, kind in spec.items():
        optional = isinstance(kind, tuple) and kind and kind[0] == "optional"
        if optional:
            kind = kind[1]
        if key not in table:
            if optional:
                continue
            raise err(f"{where}missing key {key!r}")
        if not _check(table[key], kind):
            got = table[key]
            shown = repr(got) if isinstance(got, (str, int, float, bool)) else type(got).__name__
            raise err(f"{where}{key!r} must be {_kind_name(kind)} (non-empty), not {shown}")


def _in_range(row: dict[str, Any], key: str, lo: float, hi: float, err: Err, where: str) -> None:
    if not lo <= row[key] <= hi:
        raise err(f"{where}{key!r} ({row[key]}) must be between {lo} and {hi}")


def _unique(rows: list[dict[str, Any]], key: str, err: Err) -> None:
    seen: set[str] = set()
    for i, r in enumerate(rows):
        if r[key] in seen:
            raise err(f"rows[{i}]: {key} {r[key]!r} appears twice")
        seen.add(r[key])


def _validate(name: str, table: Any, file: Path) -> dict[str, Any]:
    err = partial(ChartDataError, file, name)
    if not isinstance(table, dict):
        raise err(f"[{name}] must be a table")
    record = CHARTS[name]
    _require(table, {"caption": str, "alt": str, **record.settings}, err, "")
    rows = table.get("rows")
    if not isinstance(rows, list) or not rows:
        raise err("needs at least one [[" + name + ".rows]] entry")
    for i, row in enumerate(rows):
        where = f"rows[{i}]: "
        if not isinstance(row, dict):
            raise err(f"{where}must be a table")
        _require(row, record.fields, err, where)
        unknown = sorted(set(row) - set(record.fields))
        if unknown:
            raise err(f"{where}unknown key {unknown[0]!r} (known: {', '.join(record.fields)})")
    record.check(table, rows, err)
    return table


def load(path: Path | str | None = None, *, chart: str | None = None) -> dict[str, Any]:
    """Read and validate the chart data file.

    Parameters
    ----------
    path
        The TOML file; default ``docs/_data/charts.toml``.
    chart
        Validate and return only this chart's table; default: every chart.

    Raises
    ------
    ChartDataError
        Naming the file, the chart and the problem.
    """
    file = Path(path) if path is not None else DATA_FILE
    try:
        raw = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ChartDataError(file, "", "file not found") from None
    try:
        data = tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ChartDataError(file, "", f"not valid TOML ({exc})") from None
    names = [chart] if chart is not None else list(CHARTS)
    out = {}
    for name in names:
        if name not in data:
            raise ChartDataError(file, name, f"missing table [{name}]")
        out[name] = _validate(name, data[name], file)
    # The validated table, with the file it came from for the checks that read it again.
    return out


def _fmt(x: float) -> str:
    """A number as the tables show it (``0.5``, ``3``)."""
    return f"{x:g}"


def risk_matrix() -> Any:
    """The quadrant chart's cut-offs and names: :func:`calculators.timeline.risk_matrix`."""
    return chapter_chart_kinds.risk_matrix()


#: The chart names (kept for callers of the former registry of builders).
FIGURES = CHARTS


def figure(name: str, *, path: Path | str | None = None) -> Figure:
    """The figure for chart ``name``; ``ValueError`` naming the known charts if unknown."""
    if not isinstance(name, str) or name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}; known charts: {', '.join(sorted(CHARTS))}")
    return CHARTS[name].draw(load(path, chart=name)[name])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.chapter_charts", description=__doc__.splitlines()[0])
    ap.add_argument("name", nargs="?", help="print this chart's figure as JSON")
    ap.add_argument("--data", type=Path, default=None, help=f"the data file (default: {_show(DATA_FILE)})")
    ap.add_argument("--list", action="store_true", help="list the chart names")
    ap.add_argument("--check", action="store_true", help="validate the data file and build every chart")
    ap.add_argument("--svg", choices=list(PALETTES), help="print the chart drawn as SVG in this palette")
    args = ap.parse_args(argv)
    try:
        if args.list:
            print("\n".join(CHARTS))
        elif args.check:
            for name in CHARTS:
                fig = figure(name, path=args.data)
                print(f"{name}: {len(fig.rows)} rows")
        elif args.name and args.svg:
            print(draw_svg(figure(args.name, path=args.data), args.svg).svg)
        elif args.name:
            print(json.dumps(figure(args.name, path=args.data).to_dict(), indent=2))
        else:
            ap.print_help()
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":  # run the one registry of pipeline.chapter_charts, not a second copy of it
    from pipeline.chapter_charts import main as _main

    sys.exit(_main())

# The charts register themselves; drawing and HTML live beside this module.
# (Imported as a module, never ``from ... import``: either module may be imported first.)
from . import chapter_chart_kinds  # noqa: E402
from .static_charts import (  # noqa: E402,F401
    CHART_MARKER,
    PALETTES,
    SVG_CACHE,
    SVG_DIR,
    WIDTH,
    Drawing,
    StaticCharts,
    draw_svg,
    figure_html,
)
