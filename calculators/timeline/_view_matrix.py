"""Data of the likelihood/importance chart: points, quadrant lines and names, labels that do not overlap.

The chart (``timeline_scatter`` in :mod:`.charts`) only draws; this module puts
every task's name where it collides with no other name, no point and no edge.
The plot's width follows its container, so a place is kept only if it is free
at every width from a phone's to a desktop's (:data:`WIDTHS`); the height is fixed.

Examples
--------
>>> from calculators.timeline.knowledge import RiskMatrix
>>> m = RiskMatrix(0.5, 3, 5, {"likely_important": "A", "unlikely_important": "B",
...                            "likely_minor": "C", "unlikely_minor": "D"})
>>> rows = [{"task": "Same place", "likelihood": 0.9, "importance": 4, "risk_score": 0.1},
...         {"task": "Same place too", "likelihood": 0.9, "importance": 4, "risk_score": 0.2}]
>>> a, b = chart_data(rows, m)["tasks"]
>>> (a["align"], a["label_y"]) != (b["align"], b["label_y"])
True
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from .knowledge import RiskMatrix

#: Plot height in pixels (the chart template uses the same number).
HEIGHT = 320
#: Plot widths, in pixels, at which labels must not collide (a phone's plot to a wide page's).
WIDTHS = (190, 300, 500, 900)
CHAR_PX = 5.2  # average width of a character at the labels' font size
LINE_PX = 13
GAP = 11  # from a point's centre to its label
HEADROOM = 0.5  # importance above the scale's top, so that the most important tasks keep their labels beside them
MAX_LABEL = 22
#: Tasks that get a label on the chart, riskiest first (a hundred names cannot share one plot).
MAX_LABELS = 20
#: Label places tried in order: (horizontal side, vertical offset in lines).
_PLACES = [(side, dy) for dy in (0, -1, 1, -2, 2, -3, 3) for side in (1, -1)]

Box = tuple[float, float, float, float]  # left, top, right, bottom in pixels


def short(name: str, limit: int = MAX_LABEL) -> str:
    """A task's name cut at a word to at most ``limit`` characters (the tooltip has it whole).

    >>> short("Evaluate against the baseline on new line data")
    'Evaluate against the…'
    """
    if len(name) <= limit:
        return name
    cut = name[: limit - 1].rsplit(" ", 1)[0] if " " in name[: limit - 1] else name[: limit - 1]
    return cut.rstrip(" ,;:-") + "…"


def _box(x: float, y: float, text: str, side: int, dy: int, width: int, top: float) -> Box:
    px, py = x * width, HEIGHT - y / top * HEIGHT
    w = len(text) * CHAR_PX
    left = px + GAP if side > 0 else px - GAP - w
    mid = py + dy * LINE_PX
    return (left, mid - LINE_PX / 2, left + w, mid + LINE_PX / 2)


def _overlap(a: Box, b: Box, eps: float = 0.01) -> bool:
    """Boxes that share more than a hair's breadth (labels one line apart touch, and do not overlap)."""
    return a[0] < b[2] - eps and b[0] < a[2] - eps and a[1] < b[3] - eps and b[1] < a[3] - eps


def _outside(a: Box, width: int) -> float:
    """How far, in pixels, a label runs out of the plot (half a line may stand above it)."""
    return max(0.0, -a[0]) + max(0.0, a[2] - width) + max(0.0, -LINE_PX / 2 - a[1]) + max(0.0, a[3] - HEIGHT)


def _dot(x: float, y: float, width: int, top: float) -> Box:
    px, py = x * width, HEIGHT - y / top * HEIGHT
    return (px - 8, py - 8, px + 8, py + 8)  # the largest point (radius 9) nearly


def _corner(c: dict[str, Any], width: int, top: float) -> Box:
    px, py = c["x"] * width, HEIGHT - c["y"] / top * HEIGHT
    w = len(c["text"]) * CHAR_PX * 1.15  # bold
    left = px - w if c["align"] == "right" else px
    return (left, py - LINE_PX / 2, left + w, py + LINE_PX / 2)


def _hits(boxes: Any, taken: Any, count: int, skip: int) -> int:
    """How many of the first ``count`` boxes in ``taken`` (widths x boxes x 4) the candidate ``boxes``
    (one per width) overlap, box ``skip`` (the row's own point) aside."""
    t, b, eps = taken[:, :count], boxes[:, None, :], 0.01
    hit = (b[..., 0] < t[..., 2] - eps) & (t[..., 0] < b[..., 2] - eps)
    hit &= (b[..., 1] < t[..., 3] - eps) & (t[..., 1] < b[..., 3] - eps)
    hit[:, skip] = False
    return int(np.count_nonzero(hit))


def _place(rows: list[dict[str, Any]], corners: list[dict[str, Any]], top: float) -> list[tuple[int, int]]:
    """Per row, the first place free at every width (or the least crowded); the riskiest rows choose first.

    Only the :data:`MAX_LABELS` riskiest rows get a label (the tooltip and the table name every task).
    """
    n = len(rows)
    taken = np.zeros((len(WIDTHS), 2 * n + len(corners), 4))
    for k, w in enumerate(WIDTHS):
        fixed = [_dot(r["likelihood"], r["importance"], w, top) for r in rows] + [_corner(c, w, top) for c in corners]
        taken[k, : len(fixed)] = fixed
    count = n + len(corners)
    out: list[tuple[int, int]] = [(1, 0)] * n
    for i in sorted(range(n), key=lambda i: -rows[i]["risk_score"])[:MAX_LABELS]:
        r = rows[i]
        best, best_cost = _PLACES[0], math.inf
        for side, dy in _PLACES:
            boxes = [_box(r["likelihood"], r["importance"], r["label"], side, dy, w, top) for w in WIDTHS]
            # a collision costs more than running a few pixels off the plot; each line further away costs a little
            cost = sum(_outside(b, w) for w, b in zip(WIDTHS, boxes)) + abs(dy)
            if cost >= best_cost:
                continue
            cost += 1000 * _hits(np.array(boxes), taken, count, i)
            if cost < best_cost:
                best, best_cost = (side, dy), cost
            if cost == abs(dy):
                break
        out[i] = best
        taken[:, count] = [_box(r["likelihood"], r["importance"], r["label"], *best, w, top) for w in WIDTHS]
        count += 1
    return out


def chart_data(tasks: list[dict[str, Any]], matrix: RiskMatrix) -> dict[str, list[dict[str, Any]]]:
    """The datasets of the ``timeline_scatter`` chart.

    ``tasks`` rows need ``task`` (the name), ``likelihood``, ``importance`` and ``risk_score``.
    Each label carries its height in data units (``label_y``) and its side (``align``).
    """
    top = matrix.importance_max + HEADROOM  # room above the most important tasks for their labels
    cut_x, cut_y, q = matrix.likelihood_cutoff, matrix.importance_cutoff, matrix.quadrants
    corners = [
        {"x": 0.99, "y": top * 0.98, "text": q["likely_important"], "align": "right"},
        {"x": 0.01, "y": top * 0.98, "text": q["unlikely_important"], "align": "left"},
        {"x": 0.99, "y": top * 0.03, "text": q["likely_minor"], "align": "right"},
        {"x": 0.01, "y": top * 0.03, "text": q["unlikely_minor"], "align": "left"},
    ]
    rows = [
        {**t, "label": short(t["task"]), "quadrant": matrix.quadrant(t["likelihood"], t["importance"])} for t in tasks
    ]
    labelled = set(sorted(range(len(rows)), key=lambda i: -rows[i]["risk_score"])[:MAX_LABELS])
    for i, r in enumerate(rows):
        if i not in labelled:
            r["label"] = ""
    for r, (side, dy) in zip(rows, _place(rows, corners, top)):
        r["align"] = "left" if side > 0 else "right"
        r["label_y"] = r["importance"] - dy * LINE_PX / HEIGHT * top  # the plot's height is fixed: pixels -> data
    return {
        "tasks": rows,
        "cutoffs": [{"likelihood": cut_x, "importance": cut_y}],
        "quadrants": corners,
        "frame": [{"likelihood": 0.0, "importance": 0.0}, {"likelihood": 1.0, "importance": top}],
    }
