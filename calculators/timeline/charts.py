"""Chart templates of the timeline simulator.

Every template reads named datasets that :func:`calculators.timeline.render`
fills in; the numbers (histogram counts, cumulative shares, progress bands) are
all computed there, so the charts only draw.

Datasets:

``histogram`` ``{start, end, count, share}``: finishing times of the successful runs, binned.
``marks``     ``{label, time}``: vertical rules (single-point plan, deadline, 85% point).
``cumulative`` ``{time, p}``: chance of having succeeded by each time.
``level``     ``{p, label}``: the chance of success, where the cumulative curve levels off.
``tasks``     ``{task, id, p_success, importance, risk_score}``: one point per task.
``risk``      ``{task, rank, part, value}``: a task's risk score split into its failure and schedule parts.
``progress``  ``{time, mean, p10, p90}``: importance-weighted share of the plan done over time.

>>> sorted(TEMPLATES)
['timeline_cumulative', 'timeline_finish', 'timeline_progress', 'timeline_risk', 'timeline_scatter']
>>> finish().to_dict()["layer"][0]["data"]
{'name': 'histogram'}
"""

from __future__ import annotations

from typing import Any

from ..charts import theme


def _marks(alt: Any) -> Any:
    """Vertical dashed rules with labels, from the ``marks`` dataset."""
    base = alt.Chart(alt.Data(name="marks")).encode(
        x=alt.X("time:Q"),
        color=alt.Color(
            "label:N",
            title=None,
            scale=alt.Scale(range=[theme.HIGHLIGHT, theme.PALETTE[3], theme.PALETTE[2]]),
            legend=theme.legend(columns=2),
        ),
        tooltip=[alt.Tooltip("label:N", title="Mark"), alt.Tooltip("time:Q", title="Time", format=".1f")],
    )
    return base.mark_rule(strokeDash=[6, 3], strokeWidth=2)


def finish() -> Any:
    """Histogram of the finishing times of the successful runs, with the plan's marks."""
    import altair as alt

    bars = (
        alt.Chart(alt.Data(name="histogram"))
        .mark_bar(color=theme.ACCENT, opacity=0.85)
        .encode(
            x=alt.X("start:Q", title="Finishing time", bin="binned"),
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
    return theme.base(alt.layer(bars, _marks(alt)))


def cumulative() -> Any:
    """Chance of having succeeded by each time; it levels off at the chance of success."""
    import altair as alt

    line = (
        alt.Chart(alt.Data(name="cumulative"))
        .mark_line(color=theme.ACCENT, strokeWidth=2, interpolate="step-after")
        .encode(
            x=alt.X("time:Q", title="Time"),
            y=alt.Y("p:Q", title="Chance of having shipped", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")),
            tooltip=[alt.Tooltip("time:Q", title="By", format=".1f"), alt.Tooltip("p:Q", title="Chance", format=".0%")],
        )
    )
    level = (
        alt.Chart(alt.Data(name="level"))
        .mark_rule(color="gray", strokeDash=[2, 2])
        .encode(y="p:Q", tooltip=[alt.Tooltip("label:N", title=" "), alt.Tooltip("p:Q", title="Chance", format=".0%")])
    )
    text = (
        alt.Chart(alt.Data(name="level"))
        .mark_text(align="left", dx=4, dy=-6, color="gray")
        .encode(y="p:Q", text="label:N", x=alt.value(0))
    )
    return theme.base(alt.layer(line, level, text, _marks(alt)))


def scatter() -> Any:
    """Likelihood of success against importance, one point per task (bigger = riskier).

    No size legend (it took a third of a phone's width): the title says "bigger = riskier" and
    the tooltip gives the score. The x scale runs past 5 to leave room for the labels.
    """
    import altair as alt

    chart = (
        alt.Chart(alt.Data(name="tasks"))
        .mark_circle(opacity=0.8, color=theme.ACCENT)
        .encode(
            x=alt.X(
                "importance:Q",
                title="Importance (1-5)",
                scale=alt.Scale(domain=[0.5, 5.9]),
                axis=alt.Axis(values=[1, 2, 3, 4, 5], format="d"),
            ),
            y=alt.Y(
                "p_success:Q", title="Chance of success", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%")
            ),
            size=alt.Size("risk_score:Q", title="Risk score", scale=alt.Scale(range=[40, 600]), legend=None),
            tooltip=[
                alt.Tooltip("task:N", title="Task"),
                alt.Tooltip("importance:Q", title="Importance"),
                alt.Tooltip("p_success:Q", title="Chance of success", format=".0%"),
                alt.Tooltip("risk_score:Q", title="Risk score", format=".3f"),
            ],
        )
    )
    # Points at the same place (same importance, chance within 3 points) get their labels one under another.
    labels = (
        alt.Chart(alt.Data(name="tasks"))
        .transform_calculate(
            spot="datum.importance + '/' + round(datum.p_success * 33)",
        )
        .transform_window(
            stack="row_number()",
            groupby=["spot"],
        )
        .transform_calculate(
            label_y="datum.p_success - 0.065 * (datum.stack - 1)",
        )
        .mark_text(align="left", dx=9, dy=0, fontSize=11)
        .encode(x="importance:Q", y=alt.Y("label_y:Q"), text="id:N")
    )
    return theme.base(alt.layer(chart, labels))


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
            x=alt.X("time:Q", title="Time"),
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
    return theme.base(alt.layer(band, line))


TEMPLATES = {
    "timeline_finish": finish,
    "timeline_cumulative": cumulative,
    "timeline_scatter": scatter,
    "timeline_risk": risk,
    "timeline_progress": progress,
}
