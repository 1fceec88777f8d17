"""Shared look of every chart: sizes that fit a phone, the playbook palette.

Colours follow the site's light/dark scheme in the browser (the page passes a
Vega config at embed time); here we only fix what does not depend on it.
"""

from __future__ import annotations

from typing import Any

#: Categorical palette readable in light and dark schemes (colour-blind safe, Okabe-Ito).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
ACCENT = "#0072B2"
HIGHLIGHT = "#D55E00"
HEIGHT = 260
#: Height of one labelled row (label line above a bar or a row of dots), in pixels.
ROW_STEP = 38
#: Offset that puts a row's label just above its bar (bars take half the row, centred).
ROW_LABEL_DY = -(ROW_STEP // 4) - 3


def base(chart: Any, *, height: Any = HEIGHT) -> Any:
    """Apply the common size: full container width, a fixed height (or ``alt.Step`` per row)."""
    return chart.properties(width="container", height=height)


def row_labels(chart: Any, field: str) -> Any:
    """Text of ``field`` above each row, starting at the left edge of the plot.

    Long category names (archetypes, task names) as y-axis labels take half a
    phone's width; above the bars they use the whole width and the bars keep it too.
    """
    import altair as alt

    return chart.mark_text(
        align="left", baseline="bottom", dy=ROW_LABEL_DY, fontSize=11.5, limit=alt.expr("width")
    ).encode(x=alt.value(0), text=f"{field}:N")


def legend(**kw: Any) -> Any:
    """A legend below the plot; ``columns`` keeps long labels from running off a phone's edge."""
    import altair as alt

    return alt.Legend(orient="bottom", labelLimit=0, **kw)


def demo() -> Any:
    """A minimal template used by doctests."""
    import altair as alt

    return base(alt.Chart(alt.Data(name="rows")).mark_point().encode(x="x:Q", y="y:Q"))
