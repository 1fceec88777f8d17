"""Chart templates of the timeline simulator (Altair, build time and notebooks only).

Every template reads named datasets that :func:`calculators.timeline.render`
fills in; every number (histogram counts, cumulative shares, label places) is
computed there, so the charts only draw.

Datasets:

``histogram``  ``{start, end, count, share}``: finishing times of the successful runs, binned.
``marks``      ``{kind, label, time, slot, align}``: dated lines (85% of successful runs done,
               deadline, single-point plan), told apart by dash pattern and their own label.
``span``       ``{time, share, axis}``: the time axis every time chart shares (two invisible points)
               and its title, with the plan's unit ("Weeks from the start").
``cumulative`` ``{time, p}``: chance of having shipped by each time, failed runs included.
``level``      ``{p, label}``: the chance it works at all, where the cumulative curve levels off.
``risk``       ``{task, rank, part, value}``: a task's risk score split into failure and schedule parts.
``progress``   ``{time, mean, p10, p90}``: importance-weighted share of the plan done over time.
``tasks``      ``{task, label, likelihood, importance, risk_score, quadrant, align, label_y}``:
               one point per task, its label placed where it overlaps nothing.
``cutoffs``    ``{likelihood, importance}``: the quadrant lines (from the data file's ``[risk_matrix]``).
``quadrants``  ``{x, y, text, align}``: the quadrants' names, in their corners.
``frame``      ``{likelihood, importance}``: the corners of the matrix (invisible), fixing its axes.
``history``    ``{update, order, p85, p_success}``: each recorded forecast and today's.

A label moved off its point's line hangs from a thin vertical leader line drawn from the point.

>>> sorted(TEMPLATES)
['timeline_cumulative', 'timeline_finish', 'timeline_history', 'timeline_progress', 'timeline_risk', 'timeline_scatter']
>>> finish().to_dict()["layer"][0]["data"]
{'name': 'histogram'}
"""

from __future__ import annotations

from typing import Any

from ..charts import theme
from ._view_matrix import GAP as LABEL_GAP
from ._view_matrix import HEIGHT as MATRIX_HEIGHT

#: Dash pattern of each dated line (with its own label, so colour is never the only cue).
DASHES = {"commitment": [8, 4], "deadline": [2, 3], "single": [1, 0]}
COLOURS = {"commitment": theme.HIGHLIGHT, "deadline": theme.PALETTE[3], "single": theme.PALETTE[2]}
#: Slots of the dated lines' labels, one line each from the top of the plot.
SLOTS = 3


def _time_axis(alt: Any) -> list[Any]:
    """The shared time axis: invisible points at its two ends, and its title (with the unit) under it."""
    span = alt.Chart(alt.Data(name="span"))
    ends = span.mark_point(opacity=0).encode(x=alt.X("time:Q", title=None))
    title = (
        span.transform_filter("datum.time == 0")
        .mark_text(baseline="top", fontSize=11, fontWeight="bold")
        .encode(x=alt.value({"expr": "width / 2"}), y=alt.value({"expr": "height + 26"}), text="axis:N")
    )
    return [ends, title]


def _marks(alt: Any) -> list[Any]:
    """Dated vertical lines, each with its own dash pattern and a label on its own line at the top."""
    src = alt.Chart(alt.Data(name="marks"))
    kinds = list(DASHES)
    rules = src.mark_rule(strokeWidth=2).encode(
        x=alt.X("time:Q"),
        strokeDash=alt.StrokeDash(
            "kind:N", scale=alt.Scale(domain=kinds, range=[DASHES[k] for k in kinds]), legend=None
        ),
        color=alt.Color("kind:N", scale=alt.Scale(domain=kinds, range=[COLOURS[k] for k in kinds]), legend=None),
        tooltip=[alt.Tooltip("label:N", title="Line"), alt.Tooltip("time:Q", title="Time", format=".1f")],
    )
    labels = [
        src.transform_filter(f"datum.slot == {slot} && datum.align == '{align}'")
        .mark_text(align=align, baseline="top", dx=4 if align == "left" else -4, dy=3 + 14 * slot, fontSize=11)
        .encode(x="time:Q", y=alt.value(0), text="label:N")
        for slot in range(SLOTS)
        for align in ("left", "right")
    ]
    return [rules, *labels]


def finish() -> Any:
    """Histogram of the finishing times of the successful runs, with the dated lines."""
    import altair as alt

    bars = (
        alt.Chart(alt.Data(name="histogram"))
        .mark_bar(color=theme.ACCENT, opacity=0.85)
        .encode(
            x=alt.X("start:Q", title=None, bin="binned"),
            x2="end:Q",
            y=alt.Y("share:Q", title="Share of all runs", axis=alt.Axis(format="%")),
            tooltip=[
                alt.Tooltip("start:Q", title="From", format=".1f"),
                alt.Tooltip("end:Q", title="To", format=".1f"),
                alt.Tooltip("count:Q", title="Runs"),
                alt.Tooltip("share:Q", title="Share", format=".1%"),
            ],
        )
    )
    top = alt.Chart(alt.Data(name="span")).mark_point(opacity=0).encode(x="time:Q", y="share:Q")
    return theme.base(alt.layer(bars, top, *_time_axis(alt), *_marks(alt)))


def cumulative() -> Any:
    """Chance of having shipped by each time; it levels off at the chance it works at all."""
    import altair as alt

    line = (
        alt.Chart(alt.Data(name="cumulative"))
        .mark_line(color=theme.ACCENT, strokeWidth=2, interpolate="step-after")
        .encode(
            x=alt.X("time:Q", title=None),
            y=alt.Y(
                "p:Q",
                title="Chance of having shipped",
                scale=alt.Scale(domain=[0, 1.3]),  # room above 100% for the lines' labels
                axis=alt.Axis(format="%", values=[0, 0.25, 0.5, 0.75, 1]),
            ),
            tooltip=[alt.Tooltip("time:Q", title="By", format=".1f"), alt.Tooltip("p:Q", title="Chance", format=".0%")],
        )
    )
    level_src = alt.Chart(alt.Data(name="level"))
    level = level_src.mark_rule(color="gray", strokeDash=[2, 2]).encode(
        y="p:Q", tooltip=[alt.Tooltip("label:N", title=" ")]
    )
    text = level_src.mark_text(align="right", dy=-6, color="gray").encode(
        y="p:Q", text="label:N", x=alt.value({"expr": "width"})
    )
    return theme.base(alt.layer(line, level, text, *_time_axis(alt), *_marks(alt)))


def scatter() -> Any:
    """Tasks by chance of success (across) and importance (up), in the quadrants of the risk matrix.

    Bigger points are riskier (no size legend: it took a third of a phone's width; the
    title says so and the tooltip gives the score). Labels sit where the view placed them.
    """
    import altair as alt

    x = alt.X(
        "likelihood:Q",
        title="Chance of success (likelihood)",
        scale=alt.Scale(nice=False, zero=True),
        axis=alt.Axis(format="%"),
    )
    y = alt.Y("importance:Q", title="Importance", scale=alt.Scale(nice=False, zero=True), axis=alt.Axis(tickMinStep=1))
    frame = alt.Chart(alt.Data(name="frame")).mark_point(opacity=0).encode(x=x, y=y)
    cut = alt.Chart(alt.Data(name="cutoffs"))
    lines = [
        cut.mark_rule(strokeDash=[4, 4], color="#888888").encode(x="likelihood:Q"),
        cut.mark_rule(strokeDash=[4, 4], color="#888888").encode(y="importance:Q"),
    ]
    corners = [
        alt.Chart(alt.Data(name="quadrants"))
        .transform_filter(f"datum.align == '{side}'")
        .mark_text(fontWeight="bold", opacity=0.6, baseline="middle", align=side)
        .encode(x=alt.X("x:Q"), y=alt.Y("y:Q"), text="text:N")
        for side in ("left", "right")
    ]
    src = alt.Chart(alt.Data(name="tasks"))
    points = src.mark_circle(opacity=0.8, color=theme.ACCENT).encode(
        x="likelihood:Q",
        y="importance:Q",
        size=alt.Size("risk_score:Q", scale=alt.Scale(range=[30, 260]), legend=None),
        tooltip=[
            alt.Tooltip("task:N", title="Task"),
            alt.Tooltip("likelihood:Q", title="Chance of success", format=".0%"),
            alt.Tooltip("importance:Q", title="Importance"),
            alt.Tooltip("quadrant:N", title="Quadrant"),
            alt.Tooltip("risk_score:Q", title="Risk score", format=".3f"),
        ],
    )
    leaders = (
        src.transform_filter("datum.label_y != datum.importance")
        .mark_rule(color="#888888", strokeWidth=1)
        .encode(x="likelihood:Q", y="importance:Q", y2="label_y:Q")
    )
    labels = [
        src.transform_filter(f"datum.align == '{side}'")
        .mark_text(align=side, baseline="middle", dx=LABEL_GAP if side == "left" else -LABEL_GAP, fontSize=10)
        .encode(x="likelihood:Q", y="label_y:Q", text="label:N")
        for side in ("left", "right")
    ]
    return theme.base(alt.layer(frame, *lines, *corners, leaders, points, *labels), height=MATRIX_HEIGHT)


def risk() -> Any:
    """Risk score per task, riskiest on top, split into failure and schedule parts; names above the bars."""
    import altair as alt

    base = alt.Chart(alt.Data(name="risk")).encode(
        y=alt.Y("task:N", title=None, sort=alt.EncodingSortField(field="rank", op="min", order="ascending"), axis=None),
    )
    bars = base.mark_bar(height={"band": 0.5}).encode(
        x=alt.X("value:Q", title="Risk score", stack="zero"),
        color=alt.Color(
            "part:N",
            title=None,
            scale=alt.Scale(domain=["Failure", "Schedule"], range=[theme.HIGHLIGHT, theme.ACCENT]),
            legend=theme.legend(),
        ),
        tooltip=[
            alt.Tooltip("task:N", title="Task"),
            alt.Tooltip("part:N", title="Part"),
            alt.Tooltip("value:Q", title="Score", format=".3f"),
        ],
    )
    names = theme.row_labels(base.transform_filter("datum.part == 'Failure'"), "task")
    return theme.base(alt.layer(bars, names), height=alt.Step(theme.ROW_STEP))


def progress() -> Any:
    """Importance-weighted share of the plan done over time: mean line, p10-p90 band."""
    import altair as alt

    src = alt.Data(name="progress")
    band = (
        alt.Chart(src)
        .mark_area(opacity=0.25, color=theme.ACCENT, interpolate="step-after")
        .encode(
            x=alt.X("time:Q", title=None),
            y=alt.Y("p10:Q", title="Share of the plan done", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
            y2="p90:Q",
            tooltip=[
                alt.Tooltip("time:Q", title="Time", format=".1f"),
                alt.Tooltip("p10:Q", title="Unlucky run (P10)", format=".0%"),
                alt.Tooltip("p90:Q", title="Lucky run (P90)", format=".0%"),
            ],
        )
    )
    line = (
        alt.Chart(src)
        .mark_line(color=theme.ACCENT, strokeWidth=2)
        .encode(
            x="time:Q",
            y="mean:Q",
            tooltip=[
                alt.Tooltip("time:Q", title="Time", format=".1f"),
                alt.Tooltip("mean:Q", title="Expected", format=".0%"),
            ],
        )
    )
    return theme.base(alt.layer(band, line, *_time_axis(alt)))


def history() -> Any:
    """P85 of the successful runs (line, left) and the chance it works (dashed, right) at each recorded forecast."""
    import altair as alt

    base = alt.Chart(alt.Data(name="history")).encode(
        x=alt.X("update:N", title="Recorded forecast", sort=alt.EncodingSortField(field="order", order="ascending"))
    )
    p85 = base.mark_line(point=True, color=theme.ACCENT).encode(
        y=alt.Y("p85:Q", title="P85 of successful runs"),
        tooltip=[alt.Tooltip("update:N", title="Forecast"), alt.Tooltip("p85:Q", title="P85", format=".1f")],
    )
    works = base.mark_line(point=True, strokeDash=[4, 3], color=theme.HIGHLIGHT).encode(
        y=alt.Y("p_success:Q", title="Chance it works", axis=alt.Axis(format="%"), scale=alt.Scale(domain=[0, 1])),
        tooltip=[alt.Tooltip("update:N", title="Forecast"), alt.Tooltip("p_success:Q", title="Works", format=".0%")],
    )
    return theme.base(alt.layer(p85, works).resolve_scale(y="independent"))


TEMPLATES = {
    "timeline_finish": finish,
    "timeline_cumulative": cumulative,
    "timeline_scatter": scatter,
    "timeline_risk": risk,
    "timeline_progress": progress,
    "timeline_history": history,
}
