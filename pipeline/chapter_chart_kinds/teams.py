"""The charts about teams and users: roles by skill, archetypes by design choice, feedback by effort."""

from __future__ import annotations

from typing import Any

from calculators.charts.theme import two_lines

from ..chart_record import NUMBER, Err, Figure, chart, fmt, in_range, is_kind, unique
from .drawing import finish, lines_expr, side_labels


def _check_roles(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    if t["scale_max"] <= 0:
        raise err(f"'scale_max' ({t['scale_max']}) must be above 0")
    for i, r in enumerate(rows):
        for key in ("ml", "engineering", "communication"):
            in_range(r, key, 0, t["scale_max"], err, f"rows[{i}] ({r['role']}): ")
    unique(rows, "role", err)


@chart(
    "roles_skills",
    settings={"x_title": str, "y_title": str, "size_title": str, "scale_max": NUMBER},
    fields={"role": str, "ml": NUMBER, "engineering": NUMBER, "communication": NUMBER, "background": str},
    check=_check_roles,
)
def roles_skills(t: dict[str, Any]) -> Figure:
    """Roles by ML expertise (x) and engineering skill (y); size is communication."""
    import altair as alt

    from calculators.charts.theme import PALETTE

    rows = t["rows"]
    top = t["scale_max"]
    values = [
        {
            "role": r["role"],
            "ml": r["ml"],
            "engineering": r["engineering"],
            "communication": r["communication"],
            "background": r["background"],
        }
        for r in rows
    ]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X("ml:Q", title=t["x_title"], scale=alt.Scale(domain=[0, top]), axis=alt.Axis(tickMinStep=1)),
        y=alt.Y("engineering:Q", title=t["y_title"], scale=alt.Scale(domain=[0, top]), axis=alt.Axis(tickMinStep=1)),
    )
    points = base.mark_circle(opacity=0.8, stroke="white", strokeWidth=1).encode(
        size=alt.Size(
            "communication:Q",
            title=t["size_title"],
            scale=alt.Scale(domain=[0, top], range=[30, 900]),
            legend=alt.Legend(
                orient="bottom",
                direction="horizontal",
                symbolFillColor="#888888",
                symbolStrokeColor="#888888",
                values=[round(top * k / 5, 1) for k in (1, 3, 5)],
            ),
        ),
        color=alt.Color(
            "role:N", title="Role", scale=alt.Scale(range=PALETTE), sort=[r["role"] for r in rows], legend=None
        ),
        tooltip=[
            alt.Tooltip("role:N", title="Role"),
            alt.Tooltip("ml:Q", title=t["x_title"]),
            alt.Tooltip("engineering:Q", title=t["y_title"]),
            alt.Tooltip("communication:Q", title=t["size_title"]),
            alt.Tooltip("background:N", title="Typical background"),
        ],
    )
    labels = side_labels(base, "role", "ml", 0.6 * top, gap=20)
    columns = ["Role", t["x_title"], t["y_title"], t["size_title"], "Typical background"]
    table = [[r["role"], fmt(r["ml"]), fmt(r["engineering"]), fmt(r["communication"]), r["background"]] for r in rows]
    return finish(alt.layer(points, *labels), t, columns, table, height=300)


def _check_archetypes(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    from calculators.archetype import profiles

    for key in ("choices", "archetype_ids", "choice_ids"):
        values = t[key]
        if not values or not all(is_kind(v, str) for v in values) or len(set(values)) != len(values):
            raise err(f"{key!r} must be a non-empty list of distinct names")
    known = {p["id"]: set(p["design"]) for p in profiles()}
    if len(t["choices"]) != len(t["choice_ids"]):
        raise err("'choice_ids' must name one id per entry of 'choices'")
    for aid in t["archetype_ids"]:
        if aid not in known:
            raise err(f"'archetype_ids': unknown archetype {aid!r}; expected one of {', '.join(known)}")
        for cid in t["choice_ids"]:
            if cid not in known[aid]:
                raise err(
                    f"'choice_ids': unknown design choice {cid!r}; expected one of {', '.join(sorted(known[aid]))}"
                )
    seen: set[tuple[str, str]] = set()
    for i, r in enumerate(rows):
        where = f"rows[{i}]: "
        if r["archetype"] not in t["archetype_ids"]:
            raise err(f"{where}archetype {r['archetype']!r} is not in 'archetype_ids'")
        if r["choice"] not in t["choices"]:
            raise err(f"{where}choice {r['choice']!r} is not in 'choices'")
        pair = (r["archetype"], r["choice"])
        if pair in seen:
            raise err(f"{where}{pair[0]!r} x {pair[1]!r} appears twice")
        seen.add(pair)
    missing = [(a, c) for a in t["archetype_ids"] for c in t["choices"] if (a, c) not in seen]
    if missing:
        raise err(f"no row for {missing[0][0]!r} x {missing[0][1]!r} (every pair needs one)")


@chart(
    "archetype_design",
    settings={"archetype_ids": list, "choices": list, "choice_ids": list, "level_title": str},
    fields={"archetype": str, "choice": str, "label": str},
    check=_check_archetypes,
)
def archetype_design(t: dict[str, Any]) -> Figure:
    """Heatmap: organisation archetypes by the three team-design choices.

    The colours are the archetype-fit calculator's own design positions
    (``calculators/data/archetypes.toml``, via :func:`calculators.archetype.profiles`)
    on a 0-3 scale, and so are the archetypes' names (rows name archetypes by id,
    so a fork that renames one renames it here too); this file adds the short
    words inside each cell.
    """
    import altair as alt

    from calculators.archetype import profiles
    from calculators.charts.theme import ACCENT

    known = {p["id"]: p for p in profiles()}
    names = {aid: known[aid]["name"] for aid in t["archetype_ids"]}
    archetypes, choices = [names[aid] for aid in t["archetype_ids"]], t["choices"]
    design = {p["id"]: p["design"] for p in known.values()}
    ids = {name: aid for aid, name in names.items()} | dict(zip(choices, t["choice_ids"]))

    def level(archetype: str, choice: str) -> float:
        position = design[ids[archetype]][ids[choice]]["position"]
        # Engineering emphasis is the far end of the engineering-vs-research scale.
        return round(3 * (1 - position if ids[choice] == "engineering_vs_research" else position), 2)

    order = {(a, c): (i, j) for i, a in enumerate(archetypes) for j, c in enumerate(choices)}
    rows = sorted(
        ({**r, "archetype": names[r["archetype"]]} for r in t["rows"]),
        key=lambda r: order[(r["archetype"], r["choice"])],
    )
    values = [
        {
            "archetype": r["archetype"],
            "choice": r["choice"],
            "level": level(r["archetype"], r["choice"]),
            "label": r["label"],
            "lines": two_lines(r["label"]),
        }
        for r in rows
    ]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X(
            "choice:N",
            title=None,
            sort=choices,
            axis=alt.Axis(orient="top", labelAngle=0, labelPadding=16, labelExpr="split(datum.label, ' ')"),
        ),
        y=alt.Y(
            "archetype:N", title=None, sort=archetypes, axis=alt.Axis(labelLimit=160, labelExpr=lines_expr(archetypes))
        ),
    )
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.Color(
            "level:Q",
            title=t["level_title"],
            scale=alt.Scale(domain=[0, 3], range=["#EAF2F8", ACCENT]),
            legend=alt.Legend(orient="bottom", tickCount=4),
        ),
        tooltip=[
            alt.Tooltip("archetype:N", title="Archetype"),
            alt.Tooltip("choice:N", title="Choice"),
            alt.Tooltip("label:N", title="Suggestion"),
            alt.Tooltip("level:Q", title=t["level_title"]),
        ],
    )
    text = base.mark_text(fontSize=10).encode(
        text="lines:N",
        color=alt.condition("datum.level >= 2", alt.value("white"), alt.value("black")),
    )
    columns = ["Archetype", *choices]
    by_pair = {(r["archetype"], r["choice"]): r["label"] for r in rows}
    table = [[a, *(by_pair[(a, c)] for c in choices)] for a in archetypes]
    return finish(alt.layer(cells, text), t, columns, table, height=300)


def _check_feedback(t: dict[str, Any], rows: list[dict[str, Any]], err: Err) -> None:
    from calculators.feedback import MECHANISM_IDS

    for i, r in enumerate(rows):
        if r["mechanism"] not in MECHANISM_IDS:
            raise err(f"rows[{i}]: unknown mechanism {r['mechanism']!r}; expected one of {', '.join(MECHANISM_IDS)}")
    unique(rows, "mechanism", err)


@chart(
    "feedback_types",
    settings={"x_title": str, "y_title": str},
    fields={"mechanism": str, "example": str},
    check=_check_feedback,
)
def feedback_types(t: dict[str, Any]) -> Figure:
    """The six kinds of user feedback by user effort (x) and signal value (y).

    The positions are the feedback picker's own (``calculators/data/feedback.toml``,
    via :func:`calculators.feedback.mechanisms`), so the chapter and the calculator
    cannot disagree; this file adds an example of each.
    """
    import altair as alt

    from calculators.charts.theme import PALETTE
    from calculators.feedback import mechanisms

    traits = {m["id"]: m for m in mechanisms()}
    values = [
        {
            "kind": traits[r["mechanism"]]["name"],
            "effort": traits[r["mechanism"]]["effort"],
            "signal": traits[r["mechanism"]]["signal_value"],
            "example": r["example"],
        }
        for r in t["rows"]
    ]
    kinds = [v["kind"] for v in values]
    base = alt.Chart(alt.Data(values=values)).encode(
        x=alt.X(
            "effort:Q", title=t["x_title"], scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(tickCount=5, format=".1f")
        ),
        y=alt.Y(
            "signal:Q", title=t["y_title"], scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(tickCount=5, format=".1f")
        ),
    )
    points = base.mark_circle(size=160, opacity=0.9).encode(
        color=alt.Color(
            "kind:N", title="Feedback type", sort=kinds, scale=alt.Scale(domain=kinds, range=PALETTE), legend=None
        ),
        tooltip=[
            alt.Tooltip("kind:N", title="Feedback type"),
            alt.Tooltip("effort:Q", title=t["x_title"]),
            alt.Tooltip("signal:Q", title=t["y_title"]),
            alt.Tooltip("example:N", title="Example"),
        ],
    )
    labels = side_labels(base, "kind", "effort", 0.35)
    columns = ["Feedback type", t["x_title"], t["y_title"], "Example"]
    table = [[v["kind"], fmt(v["effort"]), fmt(v["signal"]), v["example"]] for v in values]
    return finish(alt.layer(points, *labels), t, columns, table, height=300)
