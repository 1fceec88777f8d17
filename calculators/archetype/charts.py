"""Chart templates of the archetype-fit calculator.

``archetype_scores`` reads dataset ``scores`` (rows ``{archetype, name, score,
rank, top}``); ``archetype_design`` reads dataset ``design`` (rows ``{choice,
who, position}``). Both come ready-made from :func:`calculators.archetype.render`.

Examples
--------
>>> spec = archetype_scores().to_dict()
>>> spec["data"]["name"], [layer["mark"]["type"] for layer in spec["layer"]]
('scores', ['bar', 'text', 'text'])
>>> archetype_design().to_dict()["data"]["name"]
'design'
"""

from __future__ import annotations

from typing import Any

from ..charts import theme


def archetype_scores() -> Any:
    """Horizontal bars: fit (0-100) per archetype, best first, the best highlighted, names above the bars."""
    import altair as alt

    base = alt.Chart(alt.Data(name="scores")).encode(
        y=alt.Y("name:N", title=None, sort=alt.EncodingSortField(field="rank", order="ascending"), axis=None),
    )
    # Rows have room for a name on two lines above the bar (long names wrap on a phone).
    step = theme.ROW_STEP + theme.LINE_HEIGHT
    bars = base.mark_bar(height={"band": 0.4}, cornerRadiusEnd=2).encode(
        x=alt.X("score:Q", title="Fit (0 to 100)", scale=alt.Scale(domain=[0, 100])),
        color=alt.condition(alt.datum.top, alt.value(theme.HIGHLIGHT), alt.value(theme.ACCENT)),
        tooltip=[alt.Tooltip("name:N", title="Archetype"), alt.Tooltip("score:Q", title="Fit", format=".0f")],
    )
    values = base.mark_text(align="left", baseline="middle", dx=4, fontSize=11).encode(x="score:Q", text="label:N")
    labels = theme.row_labels(base, "name", wrap=True, dy=-(step * 0.2) - 3)
    return theme.base(alt.layer(bars, labels, values), height=alt.Step(step))


def archetype_design() -> Any:
    """Dot plot: the top archetype's three design choices against where the answers sit (0-1)."""
    import altair as alt

    base = alt.Chart(alt.Data(name="design")).encode(
        y=alt.Y("choice:N", title=None, sort=None, axis=None),
    )
    dots = base.mark_point(filled=True, size=120, opacity=0.9).encode(
        x=alt.X("position:Q", title="Position (0 to 1)", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color(
            "who:N",
            title=None,
            scale=alt.Scale(range=[theme.HIGHLIGHT, theme.ACCENT]),
            legend=theme.legend(direction="vertical"),
        ),
        shape=alt.Shape("who:N", title=None),
        tooltip=[
            alt.Tooltip("choice:N", title="Choice"),
            alt.Tooltip("who:N", title=" "),
            alt.Tooltip("position:Q", title="Position", format=".2f"),
        ],
    )
    return theme.base(alt.layer(dots, theme.row_labels(base, "choice")), height=alt.Step(theme.ROW_STEP + 8))


TEMPLATES = {"archetype_scores": archetype_scores, "archetype_design": archetype_design}
