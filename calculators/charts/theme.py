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


#: Height of one more line of a row label (11.5 px text).
LINE_HEIGHT = 13
#: Average width of one character of a row label, in pixels (for the "does it fit" test in Vega).
CHAR_WIDTH = 6.5


def two_lines(text: str) -> list[str]:
    """Split a label at the space nearest its middle (Vega draws a list as lines).

    >>> two_lines("ML embedded in business and product teams")
    ['ML embedded in business', 'and product teams']
    >>> two_lines("Short one")
    ['Short one']
    """
    spaces = [i for i, ch in enumerate(text) if ch == " "]
    if len(text) <= 12 or not spaces:
        return [text]
    cut = min(spaces, key=lambda i: abs(i - len(text) / 2))
    return [text[:cut], text[cut + 1 :]]


def two_lines_expr(field: str, *, fits: str = "") -> str:
    """A Vega expression doing :func:`two_lines` on ``datum[field]`` in the browser.

    ``fits`` is a Vega condition under which the text stays on one line (e.g. it fits the width).

    >>> two_lines_expr("name").startswith("length(datum['name']) <= 12")
    True
    """
    s = f"datum[{field!r}]"
    half = f"(length({s}) / 2)"
    # the last space at or before the middle, and the first one after it (-1: none)
    before = f"lastindexof(substring({s}, 0, floor({half}) + 1), ' ')"
    after_rel = f"indexof(substring({s}, floor({half}) + 1), ' ')"
    after = f"({after_rel} < 0 ? -1 : floor({half}) + 1 + {after_rel})"
    cut = (
        f"({before} < 0 ? {after} : {after} < 0 ? {before} : "
        f"({half} - {before}) <= ({after} - {half}) ? {before} : {after})"
    )
    one_line = f"length({s}) <= 12 || indexof({s}, ' ') < 0" + (f" || ({fits})" if fits else "")
    return f"{one_line} ? {s} : [substring({s}, 0, {cut}), substring({s}, {cut} + 1)]"


def row_labels(chart: Any, field: str, *, wrap: bool = False, dy: float = ROW_LABEL_DY) -> Any:
    """Text of ``field`` above each row, starting at the left edge of the plot.

    Long category names (archetypes, task names) as y-axis labels take half a
    phone's width; above the bars they use the whole width and the bars keep it too.
    With ``wrap``, a name too long for the plot's width goes on two lines (split as
    :func:`two_lines` does), the second above the first: give such rows
    :data:`LINE_HEIGHT` more room.
    """
    import altair as alt

    text = alt.Text(f"{field}:N")
    if wrap:
        chart = chart.transform_calculate(
            _row_label=two_lines_expr(field, fits=f"length(datum[{field!r}]) * {CHAR_WIDTH} <= width")
        )
        text = alt.Text("_row_label:N")
    return chart.mark_text(
        align="left", baseline="bottom", dy=dy, fontSize=11.5, lineHeight=LINE_HEIGHT, limit=alt.expr("width")
    ).encode(x=alt.value(0), text=text)


def legend(**kw: Any) -> Any:
    """A legend below the plot; ``columns`` keeps long labels from running off a phone's edge."""
    import altair as alt

    return alt.Legend(orient="bottom", labelLimit=0, **kw)


def demo() -> Any:
    """A minimal template used by doctests."""
    import altair as alt

    return base(alt.Chart(alt.Data(name="rows")).mark_point().encode(x="x:Q", y="y:Q"))
