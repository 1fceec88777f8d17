"""The words and blocks of a plan's people, optional scope, progress and recorded forecasts.

Who holds the plan up (per owner), what the optional extras deliver, the
then-and-now table of the last recorded forecast against today's, and the
probabilistic status update (Markdown, the handbook template's structure).
Numbers in words come from :mod:`calculators._format` and :mod:`.result`.
"""

from __future__ import annotations

from typing import Any

from .. import _format
from .. import view as v
from .result import COMMITMENT, TimelineResult, at, length, spoken, when

Blocks = list[v.Block]
STATUS_WORDS = {"todo": "to do", "doing": "in progress", "done": "done", "dropped": "dropped"}


def _p(x: float | None) -> str:
    return "-" if x is None else _format.percent(x)


def _time(r: TimelineResult, t: float | None) -> str:
    return "-" if t is None else when(t, r.unit, r.start)


def dropped_notice(r: TimelineResult) -> Blocks:
    """A required task marked dropped outside a group: the plan cannot work, and the page says why."""
    gone = [t["name"] for t in r.tasks if t["status"] == "dropped" and t["required"] and t["sinks"] >= 1]
    if not gone:
        return []
    return [
        v.notice(
            f"{', '.join(gone)} is marked dropped but is required, so this plan cannot work. Mark it optional "
            "if the project can ship without it, or add another approach in a group with it.",
            level="warning",
        )
    ]


def people(r: TimelineResult) -> Blocks:
    """Per owner: how often their work holds up the finish, and what a second pair of hands buys."""
    if not r.owners or r.curves.get("commit") is None:
        return []
    u = spoken(r.unit)
    ranked = sorted(r.owners, key=lambda o: -o["critical"])
    top = ranked[0]
    rows = [
        [
            o["owner"],
            o["tasks"],
            o["capacity"],
            _format.percent(o["critical"]),
            "-" if o["p85_plus_one"] is None else _format.number(o["p85_plus_one"]),
            length(o["p85_gain"], r.unit) if _format.number(o["p85_gain"]) != "0" else "no change",
        ]
        for o in ranked
    ]
    return [
        v.heading("Who holds the plan up"),
        v.paragraph(
            f"{top['owner']} holds up the finish in {_format.percent(top['critical'])} of the successful runs: "
            "one of their tasks is on the critical path, so any delay to it moves the finish. Each person takes "
            "their tasks in the table's order, as many at once as their capacity."
        ),
        v.table(
            f"People and the finish ({u})",
            [
                "Owner",
                "Tasks",
                "At once",
                "Holds up the finish (successful runs)",
                "P85 of successful runs with one more at once",
                "Earlier by",
            ],
            rows,
        ),
    ]


def optional(r: TimelineResult) -> Blocks:
    """What each optional extra delivers: with the plan, and by the deadline."""
    extras = [t for t in r.tasks if not t["required"]]
    if not extras:
        return []
    cols = ["Optional task", "Delivered with the plan"]
    if r.deadline is not None:
        cols.append(f"Delivered by the deadline ({at(r.deadline, r.unit, r.start)})")
    rows = []
    for t in extras:
        row = [t["name"], _p(t["p_delivered"])]
        if r.deadline is not None:
            row.append(_p(t.get("p_delivered_by_deadline")))
        rows.append(row)
    return [
        v.heading("Optional extras"),
        v.paragraph(
            "An optional task that fails, or is not done when the required work is, is dropped from this release; "
            "the project still works. Anything waiting for it is dropped too."
        ),
        v.table("Chance each extra ships (all runs, failed ones included)", cols, rows),
    ]


def _then(r: TimelineResult) -> dict[str, Any] | None:
    return r.history[-1] if r.history else None


def _moves(r: TimelineResult) -> list[str]:
    """Which tasks' changes since the last record moved the numbers, each in one sentence."""
    out = []
    for m in r.moved:
        parts = []
        if m["p85_change"] is not None and _format.number(abs(m["p85_change"])) != "0":
            word = "later" if m["p85_change"] > 0 else "earlier"
            parts.append(f"the P85 of successful runs {length(abs(m['p85_change']), r.unit)} {word}")
        if _format.percent(abs(m["p_success_change"])) not in ("0%", "<1%"):
            word = "up" if m["p_success_change"] > 0 else "down"
            parts.append(f"the chance it works {_format.percent(abs(m['p_success_change']))} {word}")
        if parts:
            out.append(f"{m['name']}: its change since then moved {' and '.join(parts)}.")
    last = _then(r)
    p85 = r.duration[f"p{COMMITMENT}"]
    if last is not None and last.get("p85") is not None and p85 is not None:
        rest = (p85 - last["p85"]) - sum(m["p85_change"] or 0.0 for m in r.moved)
        if _format.number(abs(rest)) != "0" and abs(rest) >= 0.5:
            word = "later" if rest > 0 else "earlier"
            out.append(
                f"The time since then and the rest of the plan moved the P85 of successful runs "
                f"{length(abs(rest), r.unit)} {word}: "
                + (
                    "work planned to be done by today is not all done."
                    if rest > 0
                    else "work went faster than planned."
                )
            )
    return out


def then_and_now(r: TimelineResult) -> Blocks:
    """The last recorded forecast beside today's, what moved it, and the chart of every record."""
    last = _then(r)
    if last is None:
        return []
    now = _now(r)
    rows = [
        ["Chance it works at all", _p(last["p_success"]), _p(now["p_success"])],
        ["If it works, half of the runs done by (P50)", _time(r, last.get("p50")), _time(r, now["p50"])],
        ["If it works, 85% of the runs done by (P85)", _time(r, last.get("p85")), _time(r, now["p85"])],
    ]
    if r.deadline is not None:
        rows.append(
            ["Chance of having shipped by the deadline", _p(last.get("p_by_deadline")), _p(now["p_by_deadline"])]
        )
    moves = _moves(r) or ["No task's change since then moved the numbers by much: the rest is the plan's own spread."]
    points = [
        {"update": str(h["as_of"]), "order": i, "p85": h.get("p85"), "p_success": h["p_success"]}
        for i, h in enumerate(r.history)
    ]
    points.append({"update": "now", "order": len(points), "p85": now["p85"], "p_success": now["p_success"]})
    return [
        v.heading("Then and now"),
        v.table(f"The last recorded forecast ({last['as_of']}) and today's", ["Number", "Then", "Now"], rows),
        v.bullet_list(moves),
        v.chart(
            "timeline_history",
            {"history": [p for p in points if p["p85"] is not None]},
            title="P85 of the successful runs and the chance it works, at each recorded forecast",
            alt=f"Two lines over {len(points)} forecasts: the P85 of the successful runs went from "
            f"{_time(r, points[0]['p85'])} to {_time(r, now['p85'])}, and the chance it works from "
            f"{_p(points[0]['p_success'])} to {_p(now['p_success'])}.",
        ),
    ]


def _now(r: TimelineResult) -> dict[str, Any]:
    return {
        "p_success": r.p_success,
        "p50": r.duration["p50"],
        "p85": r.duration[f"p{COMMITMENT}"],
        "p_by_deadline": r.p_by_deadline,
    }


def method_items(r: TimelineResult) -> list[str]:
    """What "How this is computed" says about people, scope and progress (only what the plan uses)."""
    items = []
    if r.owners:
        items.append(
            "People: each owner works on at most their capacity of tasks at once, taking their tasks in the "
            "table's row order (a row waiting for its dependencies keeps its place: move it down to let later "
            "rows go first). 'Holds up the finish' is the share of successful runs in which one of their tasks "
            "is on the critical path, counting the wait for a free hand. 'P85 of successful runs with one more at "
            "once' re-runs the plan with the same draws and that owner's capacity plus one."
        )
    if any(not t["required"] for t in r.tasks):
        items.append(
            "Optional tasks do not count towards the chance it works or the finish; one that fails drops its own "
            "scope and everything waiting for it. 'Delivered with the plan' is the share of all runs that work "
            "with the extra done by the finish."
        )
    if r.as_of is not None or any(t["status"] != "todo" for t in r.tasks):
        items.append(
            "Progress: a done task took what it took and worked; a task in progress finishes at a time drawn "
            "from its estimate given that it has not finished yet (or today plus a draw from its new estimate "
            "of the work left); a task to do starts no earlier than today; a dropped task never runs."
        )
    if r.start:
        items.append("Dates count from the start date: week 3 is 21 days after it; working days are Monday to Friday.")
    return items


def status_update(r: TimelineResult) -> str:
    """The handbook's probabilistic status update, filled in with this forecast (Markdown)."""
    now, last = _now(r), _then(r)
    today = at(r.as_of, r.unit, r.start) if r.as_of is not None else "(today)"

    def then(key: str, kind: str) -> str:
        if last is None:
            return "-"
        return _p(last.get(key)) if kind == "p" else _time(r, last.get(key))

    moved = " ".join(_moves(r)) or "-"
    deadline = at(r.deadline, r.unit, r.start) if r.deadline is not None else "the committed date"
    lines = [
        "**Probabilistic status update.**",
        "",
        "| Item | Fill in |",
        "| --- | --- |",
        "| Project | |",
        f"| Update number and date | {len(r.history) + 1}, {today} |",
        "| Sent by | |",
        "",
        "**Headline, in one sentence of product impact.**",
        "",
        "**The three numbers, then and now** (Timeline simulator, same plan file updated):",
        "",
        "| Number | Last update | Now | Why it moved |",
        "| --- | --- | --- | --- |",
        f"| The chance it works at all | {then('p_success', 'p')} | {_p(now['p_success'])} | {moved} |",
        f"| When it finishes if it works (P50 of successful runs) | {then('p50', 't')} | {_time(r, now['p50'])} | |",
        f"| When it finishes if it works (P85 of successful runs) | {then('p85', 't')} | {_time(r, now['p85'])} | |",
        f"| The chance of having shipped by {deadline} | {then('p_by_deadline', 'p')} | {_p(now['p_by_deadline'])} | |",
        "",
        "**What we learned since last time.**",
        "",
        "**Main risks.**",
        "",
        "| Risk | What we are trying (more than one route if it matters) | We decide by |",
        "| --- | --- | --- |",
    ]
    for t in [t for t in r.tasks if t["risk_score"] > 0][:3]:
        why = f"fails the project in {_format.percent(t['sinks'])} of runs" if t["sinks"] > 0 else "moves the finish"
        lines.append(f"| {t['name']} ({why}) | | |")
    holders = [o for o in sorted(r.owners, key=lambda o: -o["critical"]) if o["critical"] >= 0.5]
    if holders:
        lines += [
            "",
            "**Who holds the plan up.** "
            + "; ".join(
                f"{o['owner']}: on the critical path in {_format.percent(o['critical'])} of successful runs"
                for o in holders
            )
            + ".",
        ]
    lines += ["", "**What we need from you.**", "", "**Next decision point.**", ""]
    return "\n".join(lines)


def status_download(r: TimelineResult) -> Blocks:
    """The status update as a Markdown file (its words are the answer's, so they come from here)."""
    return [
        v.download(
            "Download the status update (Markdown)",
            "status-update.md",
            status_update(r),
            mime="text/markdown",
        )
    ]
