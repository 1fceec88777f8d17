"""The charts about plans: progress that is not a straight line, and tasks by likelihood and importance."""

from __future__ import annotations

from typing import Any

from ..chart_record import NUMBER, Err, Figure, chart, fmt, in_range, unique
from .drawing import finish, side_labels


def _check_progress(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    if not t["y_min"] < t["y_max"]:
        raise err(f"'y_min' ({t['y_min']}) must be below 'y_max' ({t['y_max']})")
    weeks = [r["week"] for r in rows]
    if weeks != sorted(set(weeks)):
        raise err("rows must be in increasing order of 'week', each week once")
    for i, r in enumerate(rows):
        for key in ("planned", "observed"):
            in_range(r, key, t["y_min"], t["y_max"], err, f"rows[{i}] (week {r['week']}): ")


@chart(
    "nonlinear_progress",
    settings={
        "x_title": str,
        "y_title": str,
        "planned_label": str,
        "observed_label": str,
        "y_min": NUMBER,
        "y_max": NUMBER,
    },
    fields={"week": int, "planned": NUMBER, "observed": NUMBER, "event": ("optional", str)},
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
    return finish(alt.layer(lines, events), t, columns, table, height=260)


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
            f"'importance_max' ({fmt(top)}) differs from 'importance_max' ({fmt(m.importance_max)}) in "
            "[risk_matrix] of calculators/data/timeline_examples.toml; make them equal or leave it out"
        )
    for i, r in enumerate(rows):
        in_range(r, "likelihood", 0, 1, err, f"rows[{i}] ({r['task']}): ")
        in_range(r, "importance", 0, m.importance_max, err, f"rows[{i}] ({r['task']}): ")
    unique(rows, "task", err)


@chart(
    "plan_likelihood_importance",
    settings={"x_title": str, "y_title": str, "importance_max": ("optional", NUMBER)},
    fields={"task": str, "likelihood": NUMBER, "importance": NUMBER},
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
    labels = side_labels(points, "task", "likelihood", 0.6)
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
        [v["task"], f"{v['likelihood']:.0%}", fmt(v["importance"]), v["quadrant"]]
        for v in sorted(values, key=lambda v: (-v["importance"], -v["likelihood"]))
    ]
    return finish(alt.layer(vrule, hrule, *names, points, *labels), t, columns, table, height=320)
