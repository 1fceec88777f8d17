"""What every chapter chart's drawing shares: the finished figure, side labels, two-line labels."""

from __future__ import annotations

import json
from typing import Any

from calculators.charts.theme import two_lines  # the calculators' row labels split the same way

from ..chart_record import Figure


def finish(chart: Any, t: dict[str, Any], columns: list[str], rows: list[list[Any]], *, height: int) -> Figure:
    """The figure of an Altair chart in the site's theme, with the table's caption and text alternative."""
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


def side_labels(chart: Any, field: str, x_field: str, split: float, *, gap: int = 9) -> list[Any]:
    """Text labels beside the points: right of points left of ``split``, else left of them.

    Keeps labels inside a phone-width plot instead of running off its edge.
    """
    return [
        chart.mark_text(align=align, dx=dx, fontSize=10)
        .encode(text=f"{field}:N")
        .transform_filter(f"datum.{x_field} {op} {split}")
        for align, dx, op in (("left", gap, "<"), ("right", -gap, ">="))
    ]


def lines_expr(labels: list[str]) -> str:
    """A Vega ``labelExpr`` drawing each long label on two lines (split by :func:`two_lines`).

    >>> lines_expr(["Short", "A label much too long for one line"])
    'datum.label == "A label much too long for one line" ? ["A label much too", "long for one line"] : datum.label'
    """
    expr = "datum.label"
    for label in reversed(labels):
        lines = two_lines(label)
        if len(lines) > 1:
            expr = f"datum.label == {json.dumps(label)} ? {json.dumps(lines)} : {expr}"
    return expr
