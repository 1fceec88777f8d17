"""The charts of the playbook's chapters, built from ``docs/_data/charts.toml``.

A chapter asks for a chart with a line holding only ``<!-- chart: NAME -->``.
The build replaces that line with a static figure: the chart drawn to SVG at
build time (by ``vl-convert``, Vega without a browser) in the light and the
dark palette, a caption, a text alternative and the data as a table. A chapter
page loads no Vega; the reader's palette (or, before any script runs, the
system's colour scheme) picks which SVG shows (``overrides/assets/playbook/
static-charts.css``, bundled by ``pipeline/pagespeed.py``).

Each chart is one record (:class:`~pipeline.chart_record.ChapterChart`, in
``pipeline/chart_record.py`` with the checks every table passes): the keys its
table needs, its extra checks and its drawing, registered together in
:data:`CHARTS` by the ``@chart`` decorator in ``pipeline/chapter_chart_kinds/``
(one place per chart). Drawing to SVG and the figure's HTML are in
``pipeline/static_charts.py``. This module loads and validates the data, fills
a build's chart markers (:class:`StaticCharts`) and gives the command line.
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
import hashlib
import json
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

from . import chapter_chart_kinds
from .chart_record import CHARTS, ChapterChart, ChartDataError, Figure, shown, validate
from .paths import REPO, root_of
from .static_charts import (
    CHART_MARKER,
    PALETTES,
    SVG_DIR,
    WIDTH,
    Drawing,
    draw_svg,
    figure_html,
    img_html,
)

__all__ = [
    "CHARTS",
    "DATA_FILE",
    "PALETTES",
    "WIDTH",
    "ChapterChart",
    "ChartDataError",
    "Drawing",
    "Figure",
    "StaticCharts",
    "draw_svg",
    "figure",
    "figure_html",
    "load",
    "main",
    "risk_matrix",
]

DATA_FILE = REPO / "docs" / "_data" / "charts.toml"


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
    if file == DATA_FILE:  # a fork's company/data/charts.toml, merged over it
        from calculators._data import merged

        data = merged(data, file.name, "docs/_data/charts.toml", REPO / "company")
    names = [chart] if chart is not None else list(CHARTS)
    out = {}
    for name in names:
        if name not in data:
            raise ChartDataError(file, name, f"missing table [{name}]")
        out[name] = validate(name, data[name], file)
    # The validated table, with the file it came from for the checks that read it again.
    return out


def risk_matrix() -> Any:
    """The quadrant chart's cut-offs and names: :func:`calculators.timeline.risk_matrix`."""
    return chapter_chart_kinds.risk_matrix()


def figure(name: str, *, path: Path | str | None = None) -> Figure:
    """The figure for chart ``name``; ``ValueError`` naming the known charts if unknown."""
    if not isinstance(name, str) or name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}; known charts: {', '.join(sorted(CHARTS))}")
    return CHARTS[name].draw(load(path, chart=name)[name])


class StaticCharts:
    """The chapter charts of one build: fills chart markers, then writes the SVGs into the site."""

    def __init__(self, data: Path | str | None = None) -> None:
        self.data = data
        self.drawn: dict[str, list[Drawing]] = {}

    def drawings(self, name: str) -> tuple[Figure, list[Drawing]]:
        fig = figure(name, path=self.data)
        if name not in self.drawn:
            self.drawn[name] = [draw_svg(fig, palette) for palette in PALETTES]
        return fig, self.drawn[name]

    def page_html(self, html: str, page_url: str) -> str:
        """Replace every ``<!-- chart: NAME -->`` in a page's HTML with its static figure."""
        root = root_of(page_url)

        def one(m: re.Match[str]) -> str:
            try:
                fig, drawings = self.drawings(m.group(1))
            except ValueError as exc:
                raise SystemExit(f"page {page_url or 'index'}: {exc}") from None
            return figure_html(m.group(1), fig, drawings, root=root)

        return CHART_MARKER.sub(one, html)

    def spec_html(self, spec: dict[str, Any], *, root: str) -> str:
        """The images of any Vega-Lite spec (a notebook's chart), drawn like the chapter charts."""
        name = "notebook-" + hashlib.sha256(json.dumps(spec, sort_keys=True).encode()).hexdigest()[:12]
        if name not in self.drawn:
            fig = Figure(spec=spec, caption="", alt="", columns=[], rows=[])
            self.drawn[name] = [draw_svg(fig, palette) for palette in PALETTES]
        alt = " ".join(str(spec.get("description") or "A chart").split())
        return "".join(img_html(name, d, alt, root) for d in self.drawn[name])

    def write(self, site_dir: Path | str) -> list[Path]:
        """Write every chart drawn for this build's pages to ``site/assets/charts/``."""
        out = Path(site_dir) / SVG_DIR
        out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, drawings in self.drawn.items():
            for d in drawings:
                path = out / d.filename(name)
                if not path.exists() or path.read_text(encoding="utf-8") != d.svg:
                    path.write_text(d.svg, encoding="utf-8")
                written.append(path)
        return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m pipeline.chapter_charts", description=__doc__.splitlines()[0])
    ap.add_argument("name", nargs="?", help="print this chart's figure as JSON")
    ap.add_argument("--data", type=Path, default=None, help=f"the data file (default: {shown(DATA_FILE)})")
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


if __name__ == "__main__":
    sys.exit(main())
