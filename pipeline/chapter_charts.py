"""The charts of the playbook's chapters, built from ``docs/_data/charts.toml``.

A chapter asks for a chart with a line holding only ``<!-- chart: NAME -->``.
The build replaces that line with a static figure: the chart drawn to SVG at
build time (by ``vl-convert``, Vega without a browser) in the light and the
dark palette, a caption, a text alternative and the data as a table. A chapter
page loads no Vega; the reader's palette (or, before any script runs, the
system's colour scheme) picks which SVG shows (``overrides/assets/playbook/
static-charts.css``).

Each chart is one record (:class:`ChapterChart`): the keys its table needs,
its extra checks and its drawing, registered together in :data:`CHARTS`.
The numbers and words live in the TOML file so that a fork can change them
without touching Python. The file is checked on load; any problem raises
:class:`ChartDataError` (a ``ValueError``) naming the file, the chart and the
entry. Knowledge that a calculator owns is read from the calculator's data
through the shared cached loader (:func:`calculators._data.load_toml`): the
quadrant chart's cut-offs and names come from ``[risk_matrix]`` in
``calculators/data/timeline_examples.toml`` when that table exists.

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
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from functools import partial
from html import escape
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
DATA_FILE = REPO / "docs" / "_data" / "charts.toml"
#: Where drawn SVGs are kept between builds (keyed on the spec, the palette and the renderer).
SVG_CACHE = REPO / "build" / "chart-svg"
#: Where the SVGs go in the site.
SVG_DIR = "assets/charts"
#: The drawing width in CSS pixels; the image scales to the column (its height follows).
WIDTH = 520
CHART_MARKER = re.compile(r"<!--\s*chart:\s*([a-z_]+)\s*-->")
_FONT = "-apple-system, BlinkMacSystemFont, Helvetica, Arial, sans-serif"
#: Colours of text, axes and grid in each palette: Material's default and slate schemes.
PALETTES: dict[str, dict[str, str]] = {
    "light": {"fg": "rgba(0,0,0,0.87)", "muted": "rgba(0,0,0,0.62)", "grid": "rgba(0,0,0,0.09)"},
    "dark": {"fg": "hsla(232,15%,90%,0.87)", "muted": "hsla(232,15%,90%,0.66)", "grid": "hsla(232,15%,90%,0.12)"},
}


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


def chart(name: str, *, settings: Mapping[str, Any], fields: Mapping[str, Any],
          check: Callable[[dict[str, Any], list[dict[str, Any]], Err], None]) -> Callable[[Callable[[dict[str, Any]], Figure]], Callable[[dict[str, Any]], Figure]]:
    """Register the decorated drawing function as chart ``name`` with its schema and checks."""
    def register(draw: Callable[[dict[str, Any]], Figure]) -> Callable[[dict[str, Any]], Figure]:
        CHARTS[name] = ChapterChart(name, settings, fields, check, draw, (draw.__doc__ or "").strip())
        return draw
    return register


# --------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------

Number = (int, float)
_QUADRANTS = ("likely_important", "unlikely_important", "likely_minor", "unlikely_minor")


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


# --------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------

def _fmt(x: float) -> str:
    return f"{x:g}"


def _round(x: float) -> float:
    return round(x, 1)


def _finish(chart: Any, t: dict[str, Any], columns: list[str], rows: list[list[Any]], *, height: int) -> Figure:
    from calculators.charts import theme

    # Vega names the drawn chart (aria-label) after the spec's description; make that the text alternative.
    spec = theme.base(chart, height=height).properties(description=" ".join(t["alt"].split())).to_dict(validate=True)
    return Figure(spec=spec, caption=" ".join(t["caption"].split()), alt=" ".join(t["alt"].split()),
                  columns=columns, rows=[[str(v) for v in r] for r in rows])


def _side_labels(chart: Any, field: str, x_field: str, split: float, *, gap: int = 9) -> list[Any]:
    """Text labels beside the points: right of points left of ``split``, else left of them.

    Keeps labels inside a phone-width plot instead of running off its edge.
    """
    return [
        chart.mark_text(align=align, dx=dx, fontSize=10).encode(text=f"{field}:N")
        .transform_filter(f"datum.{x_field} {op} {split}")
        for align, dx, op in (("left", gap, "<"), ("right", -gap, ">="))
    ]


def _two_lines(text: str) -> list[str]:
    """Split a label at the space nearest its middle (Vega draws a list as lines)."""
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if len(text) <= 12 or not spaces:
        return [text]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return [text[:cut], text[cut + 1:]]


# --------------------------------------------------------------------------
# The charts: one record each (schema, checks, drawing)
# --------------------------------------------------------------------------

def _check_roles(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    if t["scale_max"] <= 0:
        raise err(f"'scale_max' ({t['scale_max']}) must be above 0")
    for i, r in enumerate(rows):
        for key in ("ml", "engineering", "communication"):
            _in_range(r, key, 0, t["scale_max"], err, f"rows[{i}] ({r['role']}): ")
    _unique(rows, "role", err)


@chart("roles_skills",
       settings={"x_title": str, "y_title": str, "size_title": str, "scale_max": Number},
       fields={"role": str, "ml": Number, "engineering": Number, "communication": Number, "background": str},
       check=_check_roles)
def roles_skills(t: dict[str, Any]) -> Figure:
    """Roles by ML expertise (x) and engineering skill (y); size is communication."""
    import altair as alt

    from calculators.charts.theme import PALETTE

    rows = t["rows"]
    top = t["scale_max"]
    values = [{"role": r["role"], "ml": r["ml"], "engineering": r["engineering"],
               "communication": r["communication"], "background": r["background"]} for r in rows]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("ml:Q", title=t["x_title"], scale=alt.Scale(domain=[0, top]), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("engineering:Q", title=t["y_title"], scale=alt.Scale(domain=[0, top]), axis=alt.Axis(tickMinStep=1)),
    )
    points = base.mark_circle(opacity=0.8, stroke="white", strokeWidth=1).encode(
        size=alt.Size("communication:Q", title=t["size_title"], scale=alt.Scale(domain=[0, top], range=[30, 900]),
                      legend=alt.Legend(orient="bottom", direction="horizontal", symbolFillColor="#888888",
                                         symbolStrokeColor="#888888",
                                         values=[_round(top * k / 5) for k in (1, 3, 5)])),
        color=alt.Color("role:N", title="Role", scale=alt.Scale(range=PALETTE),
                        sort=[r["role"] for r in rows], legend=None),
        tooltip=[alt.Tooltip("role:N", title="Role"), alt.Tooltip("ml:Q", title=t["x_title"]),
                 alt.Tooltip("engineering:Q", title=t["y_title"]),
                 alt.Tooltip("communication:Q", title=t["size_title"]),
                 alt.Tooltip("background:N", title="Typical background")],
    )
    labels = _side_labels(base, "role", "ml", 0.6 * top, gap=20)
    columns = ["Role", t["x_title"], t["y_title"], t["size_title"], "Typical background"]
    table = [[r["role"], _fmt(r["ml"]), _fmt(r["engineering"]), _fmt(r["communication"]), r["background"]]
             for r in rows]
    return _finish(alt.layer(points, *labels), t, columns, table, height=300)


def _check_progress(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    if not t["y_min"] < t["y_max"]:
        raise err(f"'y_min' ({t['y_min']}) must be below 'y_max' ({t['y_max']})")
    weeks = [r["week"] for r in rows]
    if weeks != sorted(set(weeks)):
        raise err("rows must be in increasing order of 'week', each week once")
    for i, r in enumerate(rows):
        for key in ("planned", "observed"):
            _in_range(r, key, t["y_min"], t["y_max"], err, f"rows[{i}] (week {r['week']}): ")


@chart("nonlinear_progress",
       settings={"x_title": str, "y_title": str, "planned_label": str, "observed_label": str,
                 "y_min": Number, "y_max": Number},
       fields={"week": int, "planned": Number, "observed": Number, "event": ("optional", str)},
       check=_check_progress)
def nonlinear_progress(t: dict[str, Any]) -> Figure:
    """Planned straight-line progress against measured, stepwise progress."""
    import altair as alt

    from calculators.charts.theme import ACCENT, HIGHLIGHT

    rows = t["rows"]
    plan, seen = t["planned_label"], t["observed_label"]
    values = []
    for r in rows:
        values.append({"week": r["week"], "series": plan, "value": r["planned"], "event": ""})
        values.append({"week": r["week"], "series": seen, "value": r["observed"], "event": r.get("event", "")})
    data = alt.Data(values=values)
    x = alt.X("week:Q", title=t["x_title"], axis=alt.Axis(tickMinStep=1))
    y = alt.Y("value:Q", title=t["y_title"], scale=alt.Scale(domain=[t["y_min"], t["y_max"]]))
    color = alt.Color("series:N", title=None, scale=alt.Scale(domain=[plan, seen], range=["#888888", ACCENT]),
                      legend=alt.Legend(orient="bottom"))
    lines = alt.Chart(data).mark_line(strokeWidth=2.5).encode(
        x=x, y=y, color=color,
        strokeDash=alt.StrokeDash("series:N", scale=alt.Scale(domain=[plan, seen], range=[[6, 4], [1, 0]]),
                                  legend=None),
    )
    events = alt.Chart(data).mark_point(filled=True, size=90, color=HIGHLIGHT).encode(
        x=x, y=y,
        tooltip=[alt.Tooltip("week:Q", title=t["x_title"]), alt.Tooltip("value:Q", title=t["y_title"]),
                 alt.Tooltip("event:N", title="What changed")],
    ).transform_filter("datum.event != ''")
    columns = [t["x_title"], plan, seen, "What changed"]
    table = [[r["week"], f"{r['planned']:.2f}", f"{r['observed']:.2f}", r.get("event", "")] for r in rows]
    return _finish(alt.layer(lines, events), t, columns, table, height=260)


#: Names a ``[risk_matrix]`` table may give its cut-offs (the first present wins).
_CUTOFF_KEYS = {"likelihood_split": ("likelihood_cutoff", "likelihood_split", "likelihood"),
                "importance_split": ("importance_cutoff", "importance_split", "importance")}


def risk_matrix(t: Mapping[str, Any] | None = None, err: Err | None = None) -> dict[str, Any]:
    """The likelihood/importance matrix: the two cut-offs and the four quadrant names.

    Read from ``[risk_matrix]`` of the timeline simulator's data
    (``calculators/data/timeline_examples.toml``, through the shared cached
    loader) so the chapter and the simulator agree; where that table is absent
    (an older data file), from the chart's own table ``t``. Likelihood (the
    chance of success) runs across, importance up.

    >>> sorted(risk_matrix(load()["plan_likelihood_importance"]))
    ['importance_split', 'likelihood_split', 'quadrants', 'source']
    """
    err = err or partial(ChartDataError, DATA_FILE, "plan_likelihood_importance")
    try:
        from calculators._data import load_toml

        matrix = load_toml("timeline_examples.toml").get("risk_matrix")
    except (ImportError, ValueError):
        matrix = None
    if isinstance(matrix, Mapping):
        source, where = "calculators/data/timeline_examples.toml", "[risk_matrix] "
        err = partial(ChartDataError, source, "plan_likelihood_importance")
        names = matrix.get("quadrants", matrix)
        out = {key: next((matrix[k] for k in keys if k in matrix), None) for key, keys in _CUTOFF_KEYS.items()}
    else:
        source, where = _show(DATA_FILE), ""
        t = t or {}
        names = t.get("quadrants") or {}
        out = {key: t.get(key) for key in _CUTOFF_KEYS}
    for key, value in out.items():
        if not _check(value, Number):
            if where:
                raise err(f"{where}needs a number for {' or '.join(map(repr, _CUTOFF_KEYS[key]))}")
            raise err(f"missing key {key!r} (or give the cut-offs in [risk_matrix] of "
                      "calculators/data/timeline_examples.toml)")
    if not isinstance(names, Mapping):
        raise err(f"{where}'quadrants' must be a table")
    for key in _QUADRANTS:
        if not _check(names.get(key), str):
            raise err(f"{where}quadrants: missing or empty {key!r} (needs {', '.join(_QUADRANTS)})")
    return {**out, "quadrants": {k: names[k] for k in _QUADRANTS}, "source": source}


def _check_plan(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    m = risk_matrix(t, err)
    if not 0 < m["likelihood_split"] < 1:
        raise err(f"'likelihood_split' ({m['likelihood_split']}) must be between 0 and 1")
    if not 0 < m["importance_split"] < t["importance_max"]:
        raise err(f"'importance_split' ({m['importance_split']}) must be between 0 and "
                  f"'importance_max' ({t['importance_max']})")
    for i, r in enumerate(rows):
        _in_range(r, "likelihood", 0, 1, err, f"rows[{i}] ({r['task']}): ")
        _in_range(r, "importance", 0, t["importance_max"], err, f"rows[{i}] ({r['task']}): ")
    _unique(rows, "task", err)


@chart("plan_likelihood_importance",
       settings={"x_title": str, "y_title": str, "importance_max": Number,
                 "likelihood_split": ("optional", Number), "importance_split": ("optional", Number),
                 "quadrants": ("optional", dict)},
       fields={"task": str, "likelihood": Number, "importance": Number},
       check=_check_plan)
def plan_likelihood_importance(t: dict[str, Any]) -> Figure:
    """Tasks of a plan by likelihood of success (x) and importance (y), with quadrants."""
    import altair as alt

    from calculators.charts.theme import ACCENT

    m = risk_matrix(t)
    rows, q = t["rows"], m["quadrants"]
    xs, ys, top = m["likelihood_split"], m["importance_split"], t["importance_max"]

    def quadrant(r: dict[str, Any]) -> str:
        likely, important = r["likelihood"] >= xs, r["importance"] >= ys
        return q[("likely" if likely else "unlikely") + "_" + ("important" if important else "minor")]

    values = [{"task": r["task"], "likelihood": r["likelihood"], "importance": r["importance"],
               "quadrant": quadrant(r)} for r in rows]
    x = alt.X("likelihood:Q", title=t["x_title"], scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    y = alt.Y("importance:Q", title=t["y_title"], scale=alt.Scale(domain=[0, top]))
    points = alt.Chart(alt.Data(values=values)).mark_circle(size=120, color=ACCENT, opacity=0.85).encode(
        x=x, y=y,
        tooltip=[alt.Tooltip("task:N", title="Task"), alt.Tooltip("likelihood:Q", title=t["x_title"], format=".0%"),
                 alt.Tooltip("importance:Q", title=t["y_title"]), alt.Tooltip("quadrant:N", title="Quadrant")],
    )
    labels = _side_labels(points, "task", "likelihood", 0.6)
    splits = alt.Chart(alt.Data(values=[{"x": xs, "y": ys}]))
    vrule = splits.mark_rule(strokeDash=[4, 4], color="#888888").encode(x="x:Q")
    hrule = splits.mark_rule(strokeDash=[4, 4], color="#888888").encode(y="y:Q")
    corners = [
        {"x": 0.98, "y": top * 0.98, "text": q["likely_important"], "align": "right"},
        {"x": 0.02, "y": top * 0.98, "text": q["unlikely_important"], "align": "left"},
        {"x": 0.98, "y": top * 0.03, "text": q["likely_minor"], "align": "right"},
        {"x": 0.02, "y": top * 0.03, "text": q["unlikely_minor"], "align": "left"},
    ]
    corner_data = alt.Data(values=corners)
    names = [
        alt.Chart(corner_data).mark_text(fontWeight="bold", opacity=0.6, baseline="middle", align=side)
        .encode(x="x:Q", y="y:Q", text="text:N")
        .transform_filter(f"datum.align == '{side}'")
        for side in ("left", "right")
    ]
    columns = ["Task", t["x_title"], t["y_title"], "Quadrant"]
    table = [[v["task"], f"{v['likelihood']:.0%}", _fmt(v["importance"]), v["quadrant"]]
             for v in sorted(values, key=lambda v: (-v["importance"], -v["likelihood"]))]
    return _finish(alt.layer(vrule, hrule, *names, points, *labels), t, columns, table, height=320)


def _check_archetypes(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    from calculators.archetype import profiles

    for key in ("archetypes", "choices", "archetype_ids", "choice_ids"):
        values = t[key]
        if not values or not all(_check(v, str) for v in values) or len(set(values)) != len(values):
            raise err(f"{key!r} must be a non-empty list of distinct names")
    known = {p["id"]: set(p["design"]) for p in profiles()}
    for names, ids in (("archetypes", "archetype_ids"), ("choices", "choice_ids")):
        if len(t[names]) != len(t[ids]):
            raise err(f"{ids!r} must name one id per entry of {names!r}")
    for aid in t["archetype_ids"]:
        if aid not in known:
            raise err(f"'archetype_ids': unknown archetype {aid!r}; expected one of {', '.join(known)}")
        for cid in t["choice_ids"]:
            if cid not in known[aid]:
                raise err(f"'choice_ids': unknown design choice {cid!r}; expected one of {', '.join(sorted(known[aid]))}")
    seen: set[tuple[str, str]] = set()
    for i, r in enumerate(rows):
        where = f"rows[{i}]: "
        if r["archetype"] not in t["archetypes"]:
            raise err(f"{where}archetype {r['archetype']!r} is not in 'archetypes'")
        if r["choice"] not in t["choices"]:
            raise err(f"{where}choice {r['choice']!r} is not in 'choices'")
        pair = (r["archetype"], r["choice"])
        if pair in seen:
            raise err(f"{where}{pair[0]!r} x {pair[1]!r} appears twice")
        seen.add(pair)
    missing = [(a, c) for a in t["archetypes"] for c in t["choices"] if (a, c) not in seen]
    if missing:
        raise err(f"no row for {missing[0][0]!r} x {missing[0][1]!r} (every pair needs one)")


@chart("archetype_design",
       settings={"archetypes": list, "archetype_ids": list, "choices": list, "choice_ids": list, "level_title": str},
       fields={"archetype": str, "choice": str, "label": str},
       check=_check_archetypes)
def archetype_design(t: dict[str, Any]) -> Figure:
    """Heatmap: organisation archetypes by the three team-design choices.

    The colours are the archetype-fit calculator's own design positions
    (``calculators/data/archetypes.toml``, via :func:`calculators.archetype.profiles`)
    on a 0-3 scale; this file adds the short words inside each cell.
    """
    import altair as alt

    from calculators.archetype import profiles
    from calculators.charts.theme import ACCENT

    archetypes, choices = t["archetypes"], t["choices"]
    design = {p["id"]: p["design"] for p in profiles()}
    ids = dict(zip(archetypes, t["archetype_ids"])) | dict(zip(choices, t["choice_ids"]))

    def level(archetype: str, choice: str) -> float:
        position = design[ids[archetype]][ids[choice]]["position"]
        # Engineering emphasis is the far end of the engineering-vs-research scale.
        return round(3 * (1 - position if ids[choice] == "engineering_vs_research" else position), 2)

    order = {(a, c): (i, j) for i, a in enumerate(archetypes) for j, c in enumerate(choices)}
    rows = sorted(t["rows"], key=lambda r: order[(r["archetype"], r["choice"])])
    values = [{"archetype": r["archetype"], "choice": r["choice"], "level": level(r["archetype"], r["choice"]),
               "label": r["label"], "lines": _two_lines(r["label"])} for r in rows]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("choice:N", title=None, sort=choices,
                  axis=alt.Axis(orient="top", labelAngle=0, labelPadding=16,
                               labelExpr="split(datum.label, ' ')")),
        y=alt.Y("archetype:N", title=None, sort=archetypes, axis=alt.Axis(labelLimit=140)),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color("level:Q", title=t["level_title"],
                        scale=alt.Scale(domain=[0, 3], range=["#EAF2F8", ACCENT]),
                        legend=alt.Legend(orient="bottom", tickCount=4)),
        tooltip=[alt.Tooltip("archetype:N", title="Archetype"), alt.Tooltip("choice:N", title="Choice"),
                 alt.Tooltip("label:N", title="Suggestion"), alt.Tooltip("level:Q", title=t["level_title"])],
    )
    text = base.mark_text(fontSize=10).encode(
        text="lines:N",
        color=alt.condition("datum.level >= 2", alt.value("white"), alt.value("black")),
    )
    columns = ["Archetype", *choices]
    by_pair = {(r["archetype"], r["choice"]): r["label"] for r in rows}
    table = [[a, *(by_pair[(a, c)] for c in choices)] for a in archetypes]
    return _finish(alt.layer(cells, text), t, columns, table, height=300)


def _check_feedback(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    from calculators.feedback import MECHANISM_IDS

    for i, r in enumerate(rows):
        if r["mechanism"] not in MECHANISM_IDS:
            raise err(f"rows[{i}]: unknown mechanism {r['mechanism']!r}; expected one of {', '.join(MECHANISM_IDS)}")
    _unique(rows, "mechanism", err)


@chart("feedback_types", settings={"x_title": str, "y_title": str}, fields={"mechanism": str, "example": str},
       check=_check_feedback)
def feedback_types(t: dict[str, Any]) -> Figure:
    """The six kinds of user feedback by user effort (x) and signal value (y).

    The positions are the feedback picker's own (``calculators/data/feedback.toml``,
    via :func:`calculators.feedback.mechanisms`), so the chapter and the calculator
    cannot disagree; this file adds an example of each.
    """
    import altair as alt

    from calculators.charts.theme import PALETTE
    from calculators.feedback import mechanisms

    traits = {m["id"]: m for m in mechanisms()}
    values = [{"kind": traits[r["mechanism"]]["name"], "effort": traits[r["mechanism"]]["effort"],
               "signal": traits[r["mechanism"]]["signal_value"], "example": r["example"]} for r in t["rows"]]
    kinds = [v["kind"] for v in values]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("effort:Q", title=t["x_title"], scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(tickCount=5, format=".1f")),
        y=alt.Y("signal:Q", title=t["y_title"], scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(tickCount=5, format=".1f")),
    )
    points = base.mark_circle(size=160, opacity=0.9).encode(
        color=alt.Color("kind:N", title="Feedback type", sort=kinds, scale=alt.Scale(domain=kinds, range=PALETTE),
                        legend=None),
        tooltip=[alt.Tooltip("kind:N", title="Feedback type"), alt.Tooltip("effort:Q", title=t["x_title"]),
                 alt.Tooltip("signal:Q", title=t["y_title"]), alt.Tooltip("example:N", title="Example")],
    )
    labels = _side_labels(base, "kind", "effort", 0.35)
    columns = ["Feedback type", t["x_title"], t["y_title"], "Example"]
    table = [[v["kind"], _fmt(v["effort"]), _fmt(v["signal"]), v["example"]] for v in values]
    return _finish(alt.layer(points, *labels), t, columns, table, height=300)


#: The chart names (kept for callers of the former registry of builders).
FIGURES = CHARTS


def figure(name: str, *, path: Path | str | None = None) -> Figure:
    """The figure for chart ``name``; ``ValueError`` naming the known charts if unknown."""
    if not isinstance(name, str) or name not in CHARTS:
        raise ValueError(f"unknown chart {name!r}; known charts: {', '.join(sorted(CHARTS))}")
    return CHARTS[name].draw(load(path, chart=name)[name])


# --------------------------------------------------------------------------
# Static SVG (build time) and the figure's HTML
# --------------------------------------------------------------------------

@dataclass(frozen=True)
class Drawing:
    """One chart drawn in one palette: the SVG text, its size and a short content hash."""

    palette: str
    svg: str
    width: int
    height: int
    digest: str

    def filename(self, name: str) -> str:
        return f"{name}.{self.palette}.svg"


def _palette_config(palette: str) -> dict[str, Any]:
    c = PALETTES[palette]
    return {
        "background": None, "font": _FONT, "view": {"stroke": None},
        "axis": {"labelColor": c["muted"], "titleColor": c["fg"], "gridColor": c["grid"], "domainColor": c["muted"],
                 "tickColor": c["muted"], "labelFontSize": 12, "titleFontSize": 12},
        "legend": {"labelColor": c["muted"], "titleColor": c["fg"], "labelFontSize": 12},
        "title": {"color": c["fg"]}, "text": {"color": c["fg"]},
        "header": {"labelColor": c["fg"], "titleColor": c["fg"]},
    }


def _vl_version(spec: dict[str, Any]) -> str:
    """The Vega-Lite minor version the spec was written for (``6.4``), as vl-convert names it."""
    found = re.search(r"/v(\d+)\.(\d+)", spec.get("$schema", ""))
    return f"{found.group(1)}.{found.group(2)}" if found else "6.4"


def draw_svg(fig: Figure, palette: str, *, cache: Path | None = SVG_CACHE) -> Drawing:
    """Draw ``fig`` in ``palette`` ("light" or "dark") as SVG with vl-convert (cached on disk).

    The spec's ``width: "container"`` becomes :data:`WIDTH`; the page scales the
    image to its column. Interaction (tooltips) is dropped: the data table
    beside the chart carries every number.
    """
    import vl_convert

    spec = {**fig.spec, "width": WIDTH, "config": _palette_config(palette)}
    version = _vl_version(spec)
    key = hashlib.sha256(json.dumps([spec, version, vl_convert.__version__], sort_keys=True).encode()).hexdigest()
    path = cache / f"{key[:32]}.svg" if cache else None
    if path is not None and path.exists():
        svg = path.read_text(encoding="utf-8")
    else:
        svg = vl_convert.vegalite_to_svg(spec, vl_version=version)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(svg, encoding="utf-8")
            tmp.replace(path)
    size = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    if not size:
        raise ValueError(f"the renderer returned no SVG size for {palette} chart")
    digest = hashlib.sha256(svg.encode()).hexdigest()[:10]
    return Drawing(palette, svg, round(float(size.group(1))), round(float(size.group(2))), digest)


def _e(value: Any) -> str:
    return escape(str(value), quote=True)


def figure_html(name: str, fig: Figure, drawings: list[Drawing], *, root: str = "") -> str:
    """The static chart as HTML: one ``<img>`` per palette, the caption, then the data table.

    The ``<figure>`` holds the images and ends with its ``<figcaption>``; the
    table (a ``<details>``) follows the figure inside one wrapper, so the figure
    stays valid HTML. Width and height on the images reserve the chart's space
    before it loads (no layout shift); the hidden palette's image is lazy and
    never fetched.
    """
    images = "".join(
        f'<img class="pb-chart__img pb-chart__img--{d.palette}" '
        f'src="{_e(root)}{SVG_DIR}/{_e(d.filename(name))}?v={d.digest}" width="{d.width}" height="{d.height}" '
        f'alt="{_e(fig.alt)}" loading="lazy" decoding="async">'
        for d in drawings)
    head = "".join(f'<th scope="col">{_e(c)}</th>' for c in fig.columns)
    body = "".join("<tr>" + f'<th scope="row">{_e(row[0])}</th>' + "".join(f"<td>{_e(v)}</td>" for v in row[1:])
                   + "</tr>" for row in fig.rows)
    return (
        f'<div class="pb-chart-block" data-chart="{_e(name)}">\n'
        f'<figure class="pb-chart pb-chart--static" data-chart="{_e(name)}">\n'
        f'<div class="pb-chart__frame">{images}</div>\n'
        f'<figcaption class="pb-chart__caption">{_e(fig.caption)}</figcaption>\n'
        "</figure>\n"
        f'<details class="pb-chart__data"><summary>The data behind this chart</summary>'
        f'<div class="pb-block--table"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'
        "</details>\n</div>"
    )


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
        root = "../" * page_url.count("/")

        def one(m: re.Match[str]) -> str:
            try:
                fig, drawings = self.drawings(m.group(1))
            except ValueError as exc:
                raise SystemExit(f"page {page_url or 'index'}: {exc}") from None
            return figure_html(m.group(1), fig, drawings, root=root)

        return CHART_MARKER.sub(one, html)

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


if __name__ == "__main__":
    sys.exit(main())
