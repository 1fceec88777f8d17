"""Charts of the feedback picker.

``feedback_map``: the six mechanisms by user effort (x) and training value (y),
the recommended ones highlighted; reads the dataset ``mechanisms`` with rows
``{mechanism, name, signal_value, effort, score, group}``.

``feedback_costs``: expected cost per 1,000 decisions over the confidence
threshold, the break-even marked; reads ``curve`` (``{threshold, cost_per_1000,
share_automated}``) and ``breakeven`` (``{threshold, cost_per_1000, label}``).

All numbers come from :mod:`calculators.feedback.result`; no arithmetic here.

>>> sorted(TEMPLATES)
['feedback_costs', 'feedback_map']
>>> feedback_map().to_dict(validate=True)["data"]
{'name': 'mechanisms'}
"""

from __future__ import annotations

from typing import Any, Literal

from ..charts import theme

# Label placement by side: (alignment, x offset, filter operator against the middle of the axis).
_Side = tuple[Literal["left", "right"], int, str]
_SIDES_MAP: tuple[_Side, ...] = (("left", 9, "<"), ("right", -9, ">="))
_SIDES_COSTS: tuple[_Side, ...] = (("left", 6, "<"), ("right", -6, ">="))


def feedback_map() -> Any:
    """Scatter of mechanisms: effort (x) against training value (y), recommended ones highlighted."""
    import altair as alt

    colour = alt.Color(
        "group:N", title=None, scale=alt.Scale(domain=["Recommended", "Other"], range=[theme.HIGHLIGHT, theme.ACCENT])
    )
    x = alt.X("effort:Q", title="Effort asked of the user (0-1)", scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("signal_value:Q", title="Training value of the signal (0-1)", scale=alt.Scale(domain=[0, 1]))
    tooltip = [
        alt.Tooltip("name:N", title="Mechanism"),
        alt.Tooltip("score:Q", title="Score"),
        alt.Tooltip("effort:Q", title="Effort"),
        alt.Tooltip("signal_value:Q", title="Training value"),
    ]
    base = alt.Chart(alt.Data(name="mechanisms")).encode(x=x, y=y)
    points = base.mark_point(filled=True, size=140).encode(
        color=colour.legend(theme.legend()), shape=alt.Shape("group:N", legend=None), tooltip=tooltip
    )
    # Labels right of the points on the left half, left of them on the right half: none runs off a phone.
    labels = [
        base.mark_text(align=align, dx=dx, dy=-6, fontSize=11)
        .encode(text="name:N", color=colour)
        .transform_filter(f"datum.effort {op} 0.6")
        for align, dx, op in _SIDES_MAP
    ]
    return theme.base(alt.layer(points, *labels))


def feedback_costs() -> Any:
    """Line of expected cost per 1,000 decisions over the threshold, with the break-even marked."""
    import altair as alt

    x = alt.X("threshold:Q", title="Confidence threshold to act alone", scale=alt.Scale(domain=[0, 1]))
    y = alt.Y("cost_per_1000:Q", title="Expected cost per 1,000 decisions")
    line = (
        alt.Chart(alt.Data(name="curve"))
        .mark_line(color=theme.ACCENT)
        .encode(
            x=x,
            y=y,
            tooltip=[
                alt.Tooltip("threshold:Q", title="Threshold"),
                alt.Tooltip("cost_per_1000:Q", title="Cost per 1,000", format=",.0f"),
                alt.Tooltip("share_automated:Q", title="Applied without asking", format=".0%"),
            ],
        )
    )
    marks = alt.Chart(alt.Data(name="breakeven"))
    rule = marks.mark_rule(color=theme.HIGHLIGHT, strokeDash=[4, 3]).encode(x="threshold:Q")
    point = marks.mark_point(color=theme.HIGHLIGHT, filled=True, size=80).encode(
        x="threshold:Q",
        y="cost_per_1000:Q",
        tooltip=[
            alt.Tooltip("label:N", title="Break-even"),
            alt.Tooltip("cost_per_1000:Q", title="Cost per 1,000", format=",.0f"),
        ],
    )
    # The label sits on the inner side of the break-even line, so it stays inside the plot.
    text = [
        marks.mark_text(align=align, dx=dx, dy=-12, color=theme.HIGHLIGHT, fontSize=11)
        .encode(x="threshold:Q", y="cost_per_1000:Q", text="label:N")
        .transform_filter(f"datum.threshold {op} 0.5")
        for align, dx, op in _SIDES_COSTS
    ]
    return theme.base(alt.layer(line, rule, point, *text))


TEMPLATES = {"feedback_map": feedback_map, "feedback_costs": feedback_costs}
