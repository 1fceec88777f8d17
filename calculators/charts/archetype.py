"""Chart templates of the archetype-fit calculator.

``archetype_scores`` reads dataset ``scores`` (rows ``{archetype, name, score,
rank, top}``); ``archetype_design`` reads dataset ``design`` (rows ``{choice,
who, position}``). Both come ready-made from :func:`calculators.archetype.render`.

Examples
--------
>>> spec = archetype_scores().to_dict()
>>> spec["data"]["name"], spec["mark"]["type"]
('scores', 'bar')
>>> archetype_design().to_dict()["data"]["name"]
'design'
"""

from __future__ import annotations

from typing import Any

from . import theme


def archetype_scores() -> Any:
    """Horizontal bars: fit (0-100) per archetype, best first, the best highlighted."""
    import altair as alt

    bars = alt.Chart(alt.Data(name="scores")).mark_bar().encode(
        y=alt.Y("name:N", title=None, sort=alt.EncodingSortField(field="rank", order="ascending"),
                axis=alt.Axis(labelLimit=260)),
        x=alt.X("score:Q", title="Fit (0 to 100)", scale=alt.Scale(domain=[0, 100])),
        color=alt.condition(alt.datum.top, alt.value(theme.HIGHLIGHT), alt.value(theme.ACCENT)),
        tooltip=[alt.Tooltip("name:N", title="Archetype"), alt.Tooltip("score:Q", title="Fit", format=".0f")],
    )
    return theme.base(bars, height=200)


def archetype_design() -> Any:
    """Dot plot: the top archetype's three design choices against where the answers sit (0-1)."""
    import altair as alt

    dots = alt.Chart(alt.Data(name="design")).mark_point(filled=True, size=140).encode(
        y=alt.Y("choice:N", title=None, sort=None, axis=alt.Axis(labelLimit=260)),
        x=alt.X("position:Q", title="Position (0 to 1)", scale=alt.Scale(domain=[0, 1])),
        color=alt.Color("who:N", title=None, scale=alt.Scale(range=[theme.HIGHLIGHT, theme.ACCENT]),
                        legend=alt.Legend(orient="bottom")),
        shape=alt.Shape("who:N", title=None),
        tooltip=[alt.Tooltip("choice:N", title="Choice"), alt.Tooltip("who:N", title=" "),
                 alt.Tooltip("position:Q", title="Position", format=".2f")],
    )
    return theme.base(dots, height=160)


TEMPLATES = {"archetype_scores": archetype_scores, "archetype_design": archetype_design}
