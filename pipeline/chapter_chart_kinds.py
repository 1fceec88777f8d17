"""The chapter charts, one record each: the keys its table needs, its checks, its drawing.

Each ``@chart(...)`` below registers one :class:`~pipeline.chapter_charts.ChapterChart`
in :data:`pipeline.chapter_charts.CHARTS`. To add a chart: write its table in
``docs/_data/charts.toml``, one ``@chart`` here (schema, checks and drawing
together), and a ``<!-- chart: NAME -->`` line in a chapter.
"""

from __future__ import annotations

import json
from typing import Any

from calculators.charts.theme import two_lines as _two_lines  # the calculators' row labels split the same way

from .chapter_charts import (
    Err,
    Figure,
    Number,
    _check,
    _fmt,
    _in_range,
    _unique,
    chart,
)

# --------------------------------------------------------------------------
# Drawing helpers
# --------------------------------------------------------------------------


def _round(x: float) -> float:
    return round(x, 1)


def _finish(chart: Any, t: dict[str, Any], columns: list[str], rows: list[list[Any]], *, height: int) -> Figure:
    from calculators.charts import theme

    # Vega names the drawn chart (aria-label) after the spec's description; make that the text alternative.
    spec = theme.base(chart, height=height).properties(description=" ".join(t["alt"].split())).to_dict(validate=True)
    return Figure(
        spec=spec,
        caption=" ".join(t["caption"].split()),
        alt=" ".join(t["alt"].split()),
        columns=columns,
        rows=[[str(v) for v in r] for r in rows],
    )


def _side_labels(chart: Any, field: str, x_field: str, split: float, *, gap: int = 9) -> list[Any]:
    """Text labels beside the points: right of points left of ``split``, else left of them.

    Keeps labels inside a phone-width plot instead of running off its edge.
    """
    return [
        chart.mark_text(align=align, dx=dx, fontSize=10)
        .encode(text=f"{field}:N")
        .transform_filter(f"datum.{x_field} {op} {split}")
        for align, dx, op in (("left", gap, "<"), ("right", -gap, ">="))
    ]


def _lines_expr(labels: list[str]) -> str:
    """A Vega ``labelExpr`` drawing each long label on two lines (split by :func:`_two_lines`).

    >>> _lines_expr(["Short", "A label much too long for one line"])
    'datum.label == "A label much too long for one line" ? ["A label much too", "long for one line"] : datum.label'
    """
    expr = "datum.label"
    for label in reversed(labels):
        lines = _two_lines(label)
        if len(lines) > 1:
            expr = f"datum.label == {json.dumps(label)} ? {json.dumps(lines)} : {expr}"
    return expr


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


@chart(
    "roles_skills",
    settings={"x_title": str, "y_title": str, "size_title": str, "scale_max": Number},
    fields={"role": str, "ml": Number, "engineering": Number, "communication": Number, "background": str},
    check=_check_roles,
)
def roles_skills(t: dict[str, Any]) -> Figure:
    """Roles by ML expertise (x) and engineering skill (y); size is communication."""
    import altair as alt

    from calculators.charts.theme import PALETTE

    rows = t["rows"]
    top = t["scale_max"]
    values = [
        {
            "role": r["role"],
            "ml": r["ml"],
            "engineering": r["engineering"],
            "communication": r["communication"],
            "background": r["background"],
        }
        for r in rows
    ]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("ml:Q", title=t["x_title"], scale=alt.Scale(domain=[0, top]), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("engineering:Q", title=t["y_title"], scale=alt.Scale(domain=[0, top]), axis=alt.Axis(tickMinStep=1)),
    )
    points = base.mark_circle(opacity=0.8, stroke="white", strokeWidth=1).encode(
        size=alt.Size(
            "communication:Q",
            title=t["size_title"],
            scale=alt.Scale(domain=[0, top], range=[30, 900]),
            legend=alt.Legend(
                orient="bottom",
                direction="horizontal",
                symbolFillColor="#888888",
                symbolStrokeColor="#888888",
                values=[_round(top * k / 5) for k in (1, 3, 5)],
            ),
        ),
        color=alt.Color(
            "role:N", title="Role", scale=alt.Scale(range=PALETTE), sort=[r["role"] for r in rows], legend=None
        ),
        tooltip=[
            alt.Tooltip("role:N", title="Role"),
            alt.Tooltip("ml:Q", title=t["x_title"]),
            alt.Tooltip("engineering:Q", title=t["y_title"]),
            alt.Tooltip("communication:Q", title=t["size_title"]),
            alt.Tooltip("background:N", title="Typical background"),
        ],
    )
    labels = _side_labels(base, "role", "ml", 0.6 * top, gap=20)
    columns = ["Role", t["x_title"], t["y_title"], t["size_title"], "Typical background"]
    table = [
        [r["role"], _fmt(r["ml"]), _fmt(r["engineering"]), _fmt(r["communication"]), r["background"]] for r in rows
    ]
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


@chart(
    "nonlinear_progress",
    settings={
        "x_title": str,
        "y_title": str,
        "planned_label": str,
        "observed_label": str,
        "y_min": Number,
        "y_max": Number,
    },
    fields={"week": int, "planned": Number, "observed": Number, "event": ("optional", str)},
    check=_check_progress,
)
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
    color = alt.Color(
        "series:N",
        title=None,
        scale=alt.Scale(domain=[plan, seen], range=["#888888", ACCENT]),
        legend=alt.Legend(orient="bottom"),
    )
    lines = (
        alt.Chart(data)
        .mark_line(strokeWidth=2.5)
        .encode(
            x=x,
            y=y,
            color=color,
            strokeDash=alt.StrokeDash(
                "series:N", scale=alt.Scale(domain=[plan, seen], range=[[6, 4], [1, 0]]), legend=None
            ),
        )
    )
    events = (
        alt.Chart(data)
        .mark_point(filled=True, size=90, color=HIGHLIGHT)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("week:Q", title=t["x_title"]),
                alt.Tooltip("value:Q", title=t["y_title"]),
                alt.Tooltip("event:N", title="What changed"),
            ],
        )
        .transform_filter("datum.event != ''")
    )
    columns = [t["x_title"], plan, seen, "What changed"]
    table = [[r["week"], f"{r['planned']:.2f}", f"{r['observed']:.2f}", r.get("event", "")] for r in rows]
    return _finish(alt.layer(lines, events), t, columns, table, height=260)


#: Keys of the chart's table that now live only in the simulator's ``[risk_matrix]``.
_MOVED = ("likelihood_split", "importance_split", "quadrants")


def risk_matrix() -> Any:
    """The likelihood/importance matrix: cut-offs, importance scale and the four quadrant names.

    The timeline simulator's own reader (:func:`calculators.timeline.risk_matrix`,
    ``[risk_matrix]`` of ``calculators/data/timeline_examples.toml``), so the chapter's
    chart and the simulator's chart cannot disagree. A problem in that table raises the
    simulator's ``DataFileError`` (a ``ValueError``) naming the file and the entry.
    Likelihood (the chance of success) runs across, importance up.

    >>> m = risk_matrix()
    >>> sorted(m.quadrants)
    ['likely_important', 'likely_minor', 'unlikely_important', 'unlikely_minor']
    """
    from calculators.timeline import risk_matrix as simulator_matrix

    return simulator_matrix()


def _check_plan(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    moved = [k for k in _MOVED if k in t]
    if moved:
        raise err(
            f"{moved[0]!r} is no longer read here: the cut-offs and quadrant names live in "
            "[risk_matrix] of calculators/data/timeline_examples.toml"
        )
    m = risk_matrix()
    top = t.get("importance_max", m.importance_max)
    if top != m.importance_max:
        raise err(
            f"'importance_max' ({_fmt(top)}) differs from 'importance_max' ({_fmt(m.importance_max)}) in "
            "[risk_matrix] of calculators/data/timeline_examples.toml; make them equal or leave it out"
        )
    for i, r in enumerate(rows):
        _in_range(r, "likelihood", 0, 1, err, f"rows[{i}] ({r['task']}): ")
        _in_range(r, "importance", 0, m.importance_max, err, f"rows[{i}] ({r['task']}): ")
    _unique(rows, "task", err)


@chart(
    "plan_likelihood_importance",
    settings={"x_title": str, "y_title": str, "importance_max": ("optional", Number)},
    fields={"task": str, "likelihood": Number, "importance": Number},
    check=_check_plan,
)
def plan_likelihood_importance(t: dict[str, Any]) -> Figure:
    """Tasks of a plan by likelihood of success (x) and importance (y), with quadrants."""
    import altair as alt

    from calculators.charts.theme import ACCENT

    m = risk_matrix()
    rows, q = t["rows"], m.quadrants
    xs, ys, top = m.likelihood_cutoff, m.importance_cutoff, m.importance_max
    values = [
        {
            "task": r["task"],
            "likelihood": r["likelihood"],
            "importance": r["importance"],
            "quadrant": m.quadrant(r["likelihood"], r["importance"]),
        }
        for r in rows
    ]
    x = alt.X("likelihood:Q", title=t["x_title"], scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"))
    y = alt.Y("importance:Q", title=t["y_title"], scale=alt.Scale(domain=[0, top]))
    points = (
        alt.Chart(alt.Data(values=values))
        .mark_circle(size=120, color=ACCENT, opacity=0.85)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("task:N", title="Task"),
                alt.Tooltip("likelihood:Q", title=t["x_title"], format=".0%"),
                alt.Tooltip("importance:Q", title=t["y_title"]),
                alt.Tooltip("quadrant:N", title="Quadrant"),
            ],
        )
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
        alt.Chart(corner_data)
        .mark_text(fontWeight="bold", opacity=0.6, baseline="middle", align=side)
        .encode(x="x:Q", y="y:Q", text="text:N")
        .transform_filter(f"datum.align == '{side}'")
        for side in ("left", "right")
    ]
    columns = ["Task", t["x_title"], t["y_title"], "Quadrant"]
    table = [
        [v["task"], f"{v['likelihood']:.0%}", _fmt(v["importance"]), v["quadrant"]]
        for v in sorted(values, key=lambda v: (-v["importance"], -v["likelihood"]))
    ]
    return _finish(alt.layer(vrule, hrule, *names, points, *labels), t, columns, table, height=320)


def _check_archetypes(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    from calculators.archetype import profiles

    for key in ("choices", "archetype_ids", "choice_ids"):
        values = t[key]
        if not values or not all(_check(v, str) for v in values) or len(set(values)) != len(values):
            raise err(f"{key!r} must be a non-empty list of distinct names")
    known = {p["id"]: set(p["design"]) for p in profiles()}
    if len(t["choices"]) != len(t["choice_ids"]):
        raise err("'choice_ids' must name one id per entry of 'choices'")
    for aid in t["archetype_ids"]:
        if aid not in known:
            raise err(f"'archetype_ids': unknown archetype {aid!r}; expected one of {', '.join(known)}")
        for cid in t["choice_ids"]:
            if cid not in known[aid]:
                raise err(
                    f"'choice_ids': unknown design choice {cid!r}; expected one of {', '.join(sorted(known[aid]))}"
                )
    seen: set[tuple[str, str]] = set()
    for i, r in enumerate(rows):
        where = f"rows[{i}]: "
        if r["archetype"] not in t["archetype_ids"]:
            raise err(f"{where}archetype {r['archetype']!r} is not in 'archetype_ids'")
        if r["choice"] not in t["choices"]:
            raise err(f"{where}choice {r['choice']!r} is not in 'choices'")
        pair = (r["archetype"], r["choice"])
        if pair in seen:
            raise err(f"{where}{pair[0]!r} x {pair[1]!r} appears twice")
        seen.add(pair)
    missing = [(a, c) for a in t["archetype_ids"] for c in t["choices"] if (a, c) not in seen]
    if missing:
        raise err(f"no row for {missing[0][0]!r} x {missing[0][1]!r} (every pair needs one)")


@chart(
    "archetype_design",
    settings={"archetype_ids": list, "choices": list, "choice_ids": list, "level_title": str},
    fields={"archetype": str, "choice": str, "label": str},
    check=_check_archetypes,
)
def archetype_design(t: dict[str, Any]) -> Figure:
    """Heatmap: organisation archetypes by the three team-design choices.

    The colours are the archetype-fit calculator's own design positions
    (``calculators/data/archetypes.toml``, via :func:`calculators.archetype.profiles`)
    on a 0-3 scale, and so are the archetypes' names (rows name archetypes by id,
    so a fork that renames one renames it here too); this file adds the short
    words inside each cell.
    """
    import altair as alt

    from calculators.archetype import profiles
    from calculators.charts.theme import ACCENT

    known = {p["id"]: p for p in profiles()}
    names = {aid: known[aid]["name"] for aid in t["archetype_ids"]}
    archetypes, choices = [names[aid] for aid in t["archetype_ids"]], t["choices"]
    design = {p["id"]: p["design"] for p in known.values()}
    ids = {name: aid for aid, name in names.items()} | dict(zip(choices, t["choice_ids"]))

    def level(archetype: str, choice: str) -> float:
        position = design[ids[archetype]][ids[choice]]["position"]
        # Engineering emphasis is the far end of the engineering-vs-research scale.
        return round(3 * (1 - position if ids[choice] == "engineering_vs_research" else position), 2)

    order = {(a, c): (i, j) for i, a in enumerate(archetypes) for j, c in enumerate(choices)}
    rows = sorted(
        ({**r, "archetype": names[r["archetype"]]} for r in t["rows"]),
        key=lambda r: order[(r["archetype"], r["choice"])],
    )
    values = [
        {
            "archetype": r["archetype"],
            "choice": r["choice"],
            "level": level(r["archetype"], r["choice"]),
            "label": r["label"],
            "lines": _two_lines(r["label"]),
        }
        for r in rows
    ]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X(
            "choice:N",
            title=None,
            sort=choices,
            axis=alt.Axis(orient="top", labelAngle=0, labelPadding=16, labelExpr="split(datum.label, ' ')"),
        ),
        y=alt.Y(
            "archetype:N", title=None, sort=archetypes, axis=alt.Axis(labelLimit=160, labelExpr=_lines_expr(archetypes))
        ),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "level:Q",
            title=t["level_title"],
            scale=alt.Scale(domain=[0, 3], range=["#EAF2F8", ACCENT]),
            legend=alt.Legend(orient="bottom", tickCount=4),
        ),
        tooltip=[
            alt.Tooltip("archetype:N", title="Archetype"),
            alt.Tooltip("choice:N", title="Choice"),
            alt.Tooltip("label:N", title="Suggestion"),
            alt.Tooltip("level:Q", title=t["level_title"]),
        ],
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


@chart(
    "feedback_types",
    settings={"x_title": str, "y_title": str},
    fields={"mechanism": str, "example": str},
    check=_check_feedback,
)
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
    values = [
        {
            "kind": traits[r["mechanism"]]["name"],
            "effort": traits[r["mechanism"]]["effort"],
            "signal": traits[r["mechanism"]]["signal_value"],
            "example": r["example"],
        }
        for r in t["rows"]
    ]
    kinds = [v["kind"] for v in values]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X(
            "effort:Q", title=t["x_title"], scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(tickCount=5, format=".1f")
        ),
        y=alt.Y(
            "signal:Q", title=t["y_title"], scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(tickCount=5, format=".1f")
        ),
    )
    points = base.mark_circle(size=160, opacity=0.9).encode(
        color=alt.Color(
            "kind:N", title="Feedback type", sort=kinds, scale=alt.Scale(domain=kinds, range=PALETTE), legend=None
        ),
        tooltip=[
            alt.Tooltip("kind:N", title="Feedback type"),
            alt.Tooltip("effort:Q", title=t["x_title"]),
            alt.Tooltip("signal:Q", title=t["y_title"]),
            alt.Tooltip("example:N", title="Example"),
        ],
    )
    labels = _side_labels(base, "kind", "effort", 0.35)
    columns = ["Feedback type", t["x_title"], t["y_title"], "Example"]
    table = [[v["kind"], _fmt(v["effort"]), _fmt(v["signal"]), v["example"]] for v in values]
    return _finish(alt.layer(points, *labels), t, columns, table, height=300)
