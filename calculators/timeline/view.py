"""The page's view of a result: the answer, what to do next, the details, and how it is computed.

Blocks come in the contract's order (:mod:`calculators.view`): headline, key
figures, actions, then the details (charts, tables, downloads), and last the
collapsed "How this is computed". Numbers in words come from :mod:`.result`.
The downloads (plan and result, JSON and CSV) are not blocks: the page builds
them when the reader asks, from its own input and the result it already holds.
"""

from __future__ import annotations

from typing import Any

from .. import _format
from .. import view as v
from . import _view_matrix as matrix
from . import _view_plan as more
from .knowledge import risk_matrix
from .result import COMMITMENT, PERCENTILES, TimelineResult, at, headline, key_figures, length, next_steps, spoken, when

Blocks = list[v.Block]


def render(result: TimelineResult) -> Blocks:
    """The result as view blocks, answer first."""
    r = result
    blocks: Blocks = [v.summary(headline(r)), v.metrics(*key_figures(r)), v.actions(next_steps(r))]
    blocks += _warnings(r) + more.dropped_notice(r)
    blocks += more.then_and_now(r)
    if r.curves.get("commit") is not None:
        blocks += _when_it_finishes(r)
    blocks += more.people(r)
    blocks += _what_to_derisk(r)
    blocks += more.optional(r)
    blocks += _alternatives(r)
    blocks += _progress(r)
    blocks += more.status_download(r)
    blocks.append(_method(r))
    return blocks


def _fmt(x: float | None, digits: int = 1) -> str:
    return "-" if x is None else _format.number(x, digits)


def _warnings(r: TimelineResult) -> Blocks:
    out: Blocks = []
    if 0 < r.p_success < 0.5:
        out.append(
            v.notice(
                f"This plan is more likely to fail than to work ({_format.percent(r.p_never)} of runs never finish). "
                "Add alternative approaches to the riskiest goals or cut scope before committing to a date.",
                level="warning",
            )
        )
    if 0 < r.p_success * r.trials < 200:
        out.append(
            v.notice(
                f"Only {round(r.p_success * r.trials):,} runs succeeded, so the dates are rough: "
                "run more trials (under Options).",
                level="warning",
            )
        )
    return out


def _marks(r: TimelineResult) -> list[dict[str, Any]]:
    """The dated lines on the time charts, told apart by dash pattern and label, not only by colour."""
    u, commit = spoken(r.unit), r.curves["commit"]
    marks = [
        {
            "kind": "commitment",
            "label": f"P85 if it works: {when(commit['time'], u, r.start)}",
            "time": commit["time"],
        },
        {
            "kind": "single",
            "label": f"Single-point plan: {at(r.single_point['finish'], u, r.start)}",
            "time": r.single_point["finish"],
        },
    ]
    if r.deadline is not None:
        marks.append({"kind": "deadline", "label": f"Deadline: {at(r.deadline, u, r.start)}", "time": r.deadline})
    end = r.curves["span"][-1]["time"]
    for slot, m in enumerate(sorted(marks, key=lambda m: m["time"])):
        m["slot"] = slot  # labels one under another, in time order, so that none overlaps another
        m["align"] = "right" if m["time"] > 0.5 * end else "left"  # text runs towards the side with more room
    return marks


def _span(r: TimelineResult, top: float = 0.0) -> list[dict[str, Any]]:
    """The time axis all time charts share: its two ends, its title with the plan's unit, room above the bars."""
    title = f"{spoken(r.unit)[:1].upper()}{spoken(r.unit)[1:]} from the start"
    return [{**s, "share": top, "axis": title} for s in r.curves["span"]]


def _when_it_finishes(r: TimelineResult) -> Blocks:
    u, d, e, curves = spoken(r.unit), r.duration, r.duration_error, r.curves
    commit, marks = curves["commit"], _marks(r)
    tallest = max((h["share"] for h in curves["histogram"]), default=0.0)
    span = _span(r, tallest * 1.45)  # room above the bars for the lines' labels
    said = "; ".join(m["label"] for m in sorted(marks, key=lambda m: m["time"]))
    level = [{"p": r.p_success, "label": f"Chance it works at all: {_format.percent(r.p_success)}"}]
    assert d["p50"] is not None
    fails = (
        f"levels off at {_format.percent(r.p_success)}, not 100%, because {_format.percent(r.p_never)} of the runs "
        "never work"
        if r.p_never > 0
        else "reaches 100%, because no task can fail"
    )
    rows = [
        [
            f"{q}%" + (" (the usual commitment, P85)" if q == COMMITMENT else f" (P{q})"),
            _fmt(d[f"p{q}"]),
            _fmt(e[f"p{q}"], 2),
            _format.percent(r.p_success * q / 100),
        ]
        for q in PERCENTILES
    ]
    return [
        v.heading("When it finishes"),
        v.chart(
            "timeline_finish",
            {"histogram": curves["histogram"], "marks": marks, "span": span},
            title=f"Finishing time of the runs that succeed ({u} from the start)",
            alt="Histogram of the finishing times of the successful runs, from "
            f"{_fmt(curves['histogram'][0]['start'])} to {_fmt(curves['histogram'][-1]['end'])} {u}; "
            f"half of them are done by {_fmt(d['p50'])} {u}. "
            f"Vertical lines mark: {said}.",
        ),
        v.chart(
            "timeline_cumulative",
            {"cumulative": curves["cumulative"], "level": level, "marks": marks, "span": span},
            title=f"Chance of having shipped by each {_format.unit_singular(u)}, failed runs included",
            alt=f"Cumulative chance of having shipped by each time. It rises from 0 and {fails}. It passes "
            f"{_format.percent(commit['p'])} at {when(commit['time'], u, r.start)}.",
        ),
        v.table(
            f"If it works: when the successful runs are done, in {u} (± Monte Carlo standard error)",
            ["Successful runs done", f"By ({u})", "±", "Chance of having shipped by then"],
            [*rows, ["Mean", _fmt(d["mean"]), _fmt(e["mean"], 2), ""]],
        ),
    ]


def _risk_item(t: dict[str, Any], unit: str) -> str:
    parts = [f"{t['name']}: "]
    if t["sinks"] > 0:
        parts.append(f"makes the project fail in {_format.percent(t['sinks'])} of runs; ")
    parts.append(f"on the critical path in {_format.percent(t['criticality'])} of successful runs")
    if _format.number(t["p85_shift"]) != "0":
        parts.append(
            f"; at its optimistic time, the date 85% of successful runs meet moves {length(t['p85_shift'], unit)} "
            "earlier"
        )
    return "".join(parts)


def _what_to_derisk(r: TimelineResult) -> Blocks:
    u, top = spoken(r.unit), (r.tasks[0] if r.tasks else None)
    m = risk_matrix()
    items = [_risk_item(t, u) for t in r.tasks[:5] if t["risk_score"] > 0]
    risk_rows = []
    for rank, t in enumerate(r.tasks):
        w = t["importance"] / 5
        risk_rows.append({"task": t["name"], "rank": rank, "part": "Failure", "value": w * t["sinks"]})
        risk_rows.append(
            {"task": t["name"], "rank": rank, "part": "Schedule", "value": t["risk_score"] - w * t["sinks"]}
        )
    points = [
        {"task": t["name"], "likelihood": t["p_success"], "importance": t["importance"], "risk_score": t["risk_score"]}
        for t in r.tasks
    ]
    hedge = [t["name"] for t in r.tasks if m.key(t["p_success"], t["importance"]) == "unlikely_important"]
    return [
        v.heading("What to de-risk first"),
        v.bullet_list(items or ["No task carries measurable risk in this plan."], ordered=True),
        v.chart(
            "timeline_risk",
            {"risk": risk_rows},
            title="Risk score by task",
            alt=(
                "Horizontal bars of each task's risk score, split into failure and schedule parts, highest first; "
                f"{top['name']} is highest at {_fmt(top['risk_score'], 3)}."
            )
            if top
            else "Risk score by task.",
        ),
        v.chart(
            "timeline_scatter",
            matrix.chart_data(points, m),
            title="Tasks by chance of success (across) and importance (up); bigger = riskier",
            alt=f"Scatter of the tasks by chance of success (0 to 100%, across) and importance (up to "
            f"{_format.number(m.importance_max)}, up), in four quadrants split at "
            f"{_format.percent(m.likelihood_cutoff)} and importance {_format.number(m.importance_cutoff)}. "
            f"In \u201c{m.quadrants['unlikely_important']}\u201d "
            f"(important but unlikely): {', '.join(hedge) or 'no task'}.",
        ),
        _tasks_table(r),
    ]


def _tasks_table(r: TimelineResult) -> v.Block:
    m = risk_matrix()
    u = spoken(r.unit)
    return v.table(
        "Tasks, riskiest first",
        [
            "Task",
            "Chance of success",
            "Importance",
            "Quadrant",
            "Critical",
            f"Moves the P85 of successful runs ({u})",
            "Sinks project",
            "Risk score",
        ],
        [
            [
                t["name"],
                _format.percent(t["p_success"]),
                t["importance"],
                m.quadrant(t["p_success"], t["importance"]),
                _format.percent(t["criticality"]),
                _fmt(t["p85_shift"]),
                _format.percent(t["sinks"]),
                _fmt(t["risk_score"], 3),
            ]
            for t in r.tasks
        ],
    )


def _alternatives(r: TimelineResult) -> Blocks:
    if not r.groups:
        return []
    names = {t["id"]: t["name"] for t in r.tasks}
    g = max(r.groups, key=lambda g: g["p_project"] - g["p_project_best_single"])
    return [
        v.heading("Alternative approaches"),
        v.table(
            "What each group of alternatives buys",
            [
                "Group",
                "Approaches",
                "Group works",
                "Best single approach",
                "Plan works with it alone",
                "Plan works with all",
            ],
            [
                [
                    g["id"],
                    ", ".join(names.get(m, m) for m in g["members"]),
                    _format.percent(g["p_success"]),
                    names.get(g["best_single"], g["best_single"]),
                    _format.percent(g["p_project_best_single"]),
                    _format.percent(g["p_project"]),
                ]
                for g in r.groups
            ],
        ),
        v.paragraph(
            f"With only its best approach ({names.get(g['best_single'], g['best_single'])}), the plan would have "
            f"{_format.chance(g['p_project_best_single'])} of working at all; trying all {len(g['members'])} "
            f"approaches gives {_format.chance(g['p_project'])}."
        ),
    ]


def _progress(r: TimelineResult) -> Blocks:
    u = spoken(r.unit)
    half = next((p["time"] for p in r.progress if p["mean"] >= 0.5), None)
    alt = "Expected share of the plan done over time, with a band from the 10th to the 90th percentile run. "
    if half is not None:
        alt += f"Half the plan is done by about {_fmt(half)} {u} on average; "
    alt += f"the average reaches {_format.percent(r.progress[-1]['mean'])} by {_fmt(r.progress[-1]['time'])} {u}"
    alt += ", and runs that hit a failure stall below 100%." if r.p_never > 0 else "."
    return [
        v.heading("Progress over time"),
        v.chart(
            "timeline_progress",
            {"progress": r.progress, "span": _span(r)},
            title=f"Share of the plan done ({u} from the start; importance-weighted)",
            alt=alt,
        ),
        v.paragraph(
            "Progress on ML work is uneven: risky steps can hold everything behind them, and a failure stalls "
            "the plan. The band shows how far apart a lucky and an unlucky run can be at the same date."
        ),
    ]


def _method(r: TimelineResult) -> v.Block:
    shape = (
        "a PERT (beta) distribution between its optimistic and pessimistic times, with mean (o + 4m + p) / 6"
        if r.distribution == "pert"
        else "a triangular distribution between its optimistic and pessimistic times, with mean (o + m + p) / 3"
    )
    mode = (
        "run side by side; the group works if any approach works, and finishes with the earliest one that works"
        if r.group_mode == "parallel"
        else "are tried one after another in the order listed; the next starts when the previous one has failed"
    )
    return v.method(
        [
            v.paragraph(
                f"The plan is simulated {r.trials:,} times (seed {r.seed}). In each run every task's duration is "
                f"drawn from {shape}, and whether it works from its chance of success. A task starts when "
                "everything it depends on has finished; a failure shows at the end of the task's duration. "
                f"Alternative approaches in a group {mode}."
            ),
            v.bullet_list(
                [
                    "Chance it works at all: the share of all runs in which every required task works "
                    "(for a group of alternatives, at least one approach).",
                    "When it finishes if it works: P50 and P85 are taken over the successful runs only. P85 is the "
                    "time by which 85% of the runs that succeed are done; it is not an 85% chance overall.",
                    "Chance of having shipped by a date: the share of all runs, failed ones included, that worked "
                    "and were done by then (chance it works x chance a successful run is done by then). "
                    "This is the number to quote for a date.",
                    "Dates are rounded up to whole units: a date promised is the end of that unit.",
                    "Risk score = importance / 5 x (share of runs in which the task sinks the project + how much "
                    "earlier the P85 of successful runs would be at the task's optimistic time / that P85).",
                    *more.method_items(r),
                ]
            ),
            v.links([("Managing ML work: planning under uncertainty", "chapters/managing/")]),
        ]
    )
