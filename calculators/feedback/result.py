"""The picker's result: a frozen dataclass of plain data, and the prose that explains it.

:func:`compute` runs the model (:mod:`calculators.feedback.model`) and writes its
reasons in words; :mod:`calculators.feedback.render` turns the result into view blocks.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .._contract import Result
from .knowledge import Knowledge, Mechanism
from .model import CHART_STEP, GRID, Automation, ReviewLoad, automation, labels, missing, rates, review_load, score
from .schema import CHOW_1970, CHOW_URL, LEVEL_NAMES, MECHANISM_IDS

__all__ = ["FeedbackResult", "compute", "count"]


@dataclass(frozen=True)
class FeedbackResult(Result):
    """What the picker recommends for one product. ``to_dict()`` is plain JSON."""

    context: dict[str, Any]
    ranking: list[dict[str, Any]]
    combination: dict[str, Any]
    labels_per_week: dict[str, float]
    assumptions: dict[str, Any]
    worth_it: list[str]
    automation: dict[str, Any]
    review_load: dict[str, Any]
    risks: list[dict[str, str]]
    spec: str
    references: list[dict[str, str]] = field(default_factory=list)


def compute(ctx: dict[str, Any], know: Knowledge) -> FeedbackResult:
    """The recommendation for a context that :func:`calculators.feedback.inputs.parse` validated."""
    lab = labels(ctx, know)
    ranking = _rank(ctx, know, lab)
    combination = _combine(ctx, know, ranking, lab)
    chosen = [know.mechanism(m) for m in combination["mechanisms"]]
    auto = automation(ctx, know)
    auto_out = _automation_words(ctx, know, auto)
    review = _review_words(ctx, review_load(ctx, know, auto))
    risks = [{"mechanism": m.id, "risk": rid, **know.risks[rid]} for m in chosen for rid in m.risks]
    if (
        auto.level == "suggest_confirm"
        and not any(r["risk"] == "rubber_stamping" for r in risks)
        and "rubber_stamping" in know.risks
    ):
        risks.append({"mechanism": "automation", "risk": "rubber_stamping", **know.risks["rubber_stamping"]})
    refs = [
        {"text": CHOW_1970, "url": CHOW_URL},
        {"text": "PAIR, People + AI Guidebook: Feedback + Control", "url": next(iter(know.pair.values()))["url"]},
        {
            "text": "Microsoft, Guidelines for Human-AI Interaction (Amershi et al., CHI 2019)",
            "url": next(iter(know.hax.values()))["url"],
        },
    ]
    return FeedbackResult(
        context=ctx,
        ranking=ranking,
        combination=combination,
        labels_per_week=lab,
        assumptions=_assumptions(ctx, know),
        worth_it=_worth_it(ctx, know, chosen),
        automation=auto_out,
        review_load=review,
        risks=risks,
        spec=_spec(know, chosen, auto_out),
        references=refs,
    )


def count(x: float) -> str:
    """A label count as the page shows it: ``12,345``, ``12.5``, ``0.25``, ``0``."""
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}" if x >= 1 else ("0" if x == 0 else f"{x:.2f}")


def _assumptions(ctx: dict[str, Any], know: Knowledge) -> dict[str, Any]:
    rows = {}
    for m in know.mechanisms:
        rr, use = rates(m, ctx)
        rows[m.id] = {
            "response_rate": rr,
            "usefulness": use,
            "source": "your input" if ctx["assumptions"].get(m.id) else "data file",
            "available": not missing(m, ctx),
        }
    return {
        "active_users": ctx["active_users"],
        "interactions_per_user_per_week": ctx["interactions_per_user_per_week"],
        "formula": "active users x interactions per user per week x response rate x usefulness",
        "mechanisms": rows,
    }


_REQUIREMENT_TEXT = {
    "editable_output": "needs the output shown where the user works and editable there, which this product lacks",
    "next_step": "needs a natural next step to observe after each output, which this product lacks",
}


def _rank(ctx: dict[str, Any], know: Knowledge, lab: dict[str, float]) -> list[dict[str, Any]]:
    tolerance, speed = ctx["effort_tolerance"], ctx["learning_speed"]
    tol = know.context["effort_tolerance"][tolerance]
    rows: list[dict[str, Any]] = []
    for m in know.mechanisms:
        s = score(m, ctx, know, lab[m.id])
        rows.append(
            {
                "mechanism": m.id,
                "name": m.name,
                "kind": m.kind,
                "score": s.score,
                "factors": {k: round(v, 4) for k, v in s.factors.items()},
                "gate": round(s.gate, 4),
                "reasons": _reasons(m, ctx, s.missing, s.fit, s.privacy_gate, lab[m.id], tol, tolerance, speed),
            }
        )
    rows.sort(key=lambda row: (-row["score"], MECHANISM_IDS.index(row["mechanism"])))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows


def _reasons(
    m: Mechanism,
    ctx: dict[str, Any],
    lacks: tuple[str, ...],
    fit: float,
    privacy_gate: float,
    lab: float,
    tol: float,
    tolerance: str,
    speed: str,
) -> list[str]:
    reasons = [
        f"training value {m.signal_value:.2f} of 1; "
        + ("no labels until the product offers what it needs" if lacks else f"about {count(lab)} usable labels a week")
    ]
    if m.effort == 0:
        reasons.append("asks nothing of users beyond normal use")
    elif m.effort <= tol:
        reasons.append(f"asks little (effort {m.effort:.2f}), within what users tolerate ({tolerance})")
    else:
        reasons.append(f"asks more (effort {m.effort:.2f}) than users tolerate ({tolerance})")
    reasons.append(
        "the signal arrives at once"
        if m.delay_days == 0
        else f"the signal takes about {m.delay_days:g} days; you want to learn within {speed}"
    )
    reasons.append(f"noise {m.noise:.2f}: {m.bias[:1].lower()}{m.bias[1:].rstrip('.')}")
    reasons.extend(_REQUIREMENT_TEXT[req] for req in lacks)
    if fit < 1:
        reasons.append(f"works less well through a {ctx['interface']} interface (fit {fit:.2f})")
    if privacy_gate < 0.9:
        reasons.append(f"carries personal data, which your privacy limits ({ctx['privacy']}) restrict")
    if ctx["high_stakes"] and m.noise >= 0.4:
        reasons.append("too noisy to lean on when mistakes are costly")
    return reasons


def _combine(
    ctx: dict[str, Any], know: Knowledge, ranking: list[dict[str, Any]], lab: dict[str, float]
) -> dict[str, Any]:
    usable = [r for r in ranking if not missing(know.mechanism(r["mechanism"]), ctx)]
    implicit = next(
        (r for r in usable if r["kind"] == "implicit" and r["score"] >= know.weights["implicit_floor"]), None
    )
    trainer = next((r for r in usable if r["kind"] != "implicit"), None) or next(
        r for r in ranking if r["kind"] != "implicit"
    )
    ids = [r["mechanism"] for r in (implicit, trainer) if r is not None]
    t = know.mechanism(trainer["mechanism"])
    why = []
    if implicit is not None:
        why.append(
            f"{implicit['name']} comes from everyone without asking anything (score {implicit['score']:g}), "
            f"so it tracks how the model does for all users."
        )
    else:
        why.append(
            "No implicit signal fits this product well enough to rely on; watch product metrics by model "
            "version anyway."
        )
    why.append(
        f"{trainer['name']} gives the labels that train the model: about {count(lab[t.id])} a week "
        f"at training value {t.signal_value:.2f} (score {trainer['score']:g})."
    )
    return {
        "implicit": implicit["mechanism"] if implicit else None,
        "trainer": trainer["mechanism"],
        "mechanisms": ids,
        "why": " ".join(why),
    }


def _automation_words(ctx: dict[str, Any], know: Knowledge, auto: Automation) -> dict[str, Any]:
    """The automation numbers with their reasons in words and the cost curve for the chart."""
    cw, ca = ctx["cost_wrong"], ctx["cost_ask"]
    p_star, clearing, level = auto.threshold, auto.share_clearing, auto.level
    reasons = [
        f"Break-even confidence p* = 1 - {ca:g}/{cw:g} = {p_star:.3f}"
        if cw > 0 and ca < cw
        else f"Asking ({ca:g}) costs at least as much as a wrong output ({cw:g}), so p* = 0: asking never pays."
    ]
    if level == "automatic":
        reasons.append(
            f"{clearing:.1%} of outputs clear the threshold, so acting on all of them costs about the same and is "
            "simpler."
        )
    elif level == "suggest_confirm":
        reasons.append(
            f"Only {clearing:.1%} of outputs clear the threshold: offer every output as a suggestion a person "
            "confirms, and every confirmation becomes a label."
        )
    elif level == "human_decides":
        why = (
            "the model is right too rarely for its suggestions to help"
            if ctx["share_correct"] < know.automation["min_accuracy_to_suggest"]
            else "there is nowhere to show a suggestion"
        )
        reasons.append(
            f"Only {clearing:.1%} of outputs clear the threshold and {why}: let a person decide and use the "
            "model to sort or pre-fill in the background."
        )
    elif clearing >= know.automation["max_automated_share"]:
        reasons.append(
            "Almost every output clears the threshold, but the stakes are high: keep a way to send "
            "low-confidence cases to a person."
        )
    else:
        reasons.append(
            f"{clearing:.1%} of outputs clear the threshold and are applied; the other "
            f"{1 - clearing:.1%} are asked about."
        )
    idx = slice(None, None, CHART_STEP)
    curve = [
        {"threshold": round(float(t), 4), "cost_per_1000": float(c), "share_automated": float(1 - b)}
        for t, c, b in zip(GRID[idx], auto.curve_cost[idx], auto.curve_below[idx], strict=True)
    ]
    rule = (
        f"Reject option (Chow, 1970): act automatically when the model's confidence is at least "
        f"{p_star:.3f}; below it, ask. With calibrated scores this minimises the expected cost per decision."
    )
    return {
        "level": level,
        "level_name": LEVEL_NAMES[level],
        "threshold": p_star,
        "operating_threshold": auto.operating_threshold,
        "share_automated": auto.share_automated,
        "share_asked": auto.share_asked,
        "error_rate_automated": auto.error_rate_automated,
        "costs_per_1000": auto.costs_per_1000,
        "cost_unit": ctx["cost_unit"],
        "cost_curve": curve,
        "break_even": {"threshold": p_star, "cost_per_1000": auto.costs_per_1000["automatic_above_threshold"]},
        "reasons": reasons,
        "rule": rule,
        "reference": CHOW_1970,
    }


def _review_words(ctx: dict[str, Any], rl: ReviewLoad) -> dict[str, Any]:
    out: dict[str, Any] = {
        "deferred_to": ctx["deferred_to"],
        "decisions_per_week": ctx["decisions_per_week"],
        "share_asked": rl.share_asked,
        "reviews_per_week": rl.reviews_per_week,
        "capacity_per_week": rl.capacity_per_week,
        "utilisation": rl.utilisation,
        "fits": rl.fits,
        "asks_per_user_per_week": rl.asks_per_user_per_week,
        "rule": (
            "Chow's reject option sends a decision to a person when confidence is below the threshold; "
            f"the error-reject trade-off sets how many reviews that makes. ({CHOW_1970})"
        ),
    }
    if rl.threshold_that_fits is not None:
        out["threshold_that_fits"] = rl.threshold_that_fits
        out["cost_per_1000_at_fit"] = rl.cost_per_1000_at_fit
        out["reviews_per_week_at_fit"] = rl.reviews_per_week_at_fit
    return out


def _worth_it(ctx: dict[str, Any], know: Knowledge, chosen: list[Mechanism]) -> list[str]:
    out = [f"{m.name}: {m.worth_it}" for m in chosen]
    out.extend(know.worth_it["always"])
    half = know.context["speed_half"][ctx["learning_speed"]]
    if ctx["learning_speed"] == "months" or any(m.delay_days > half for m in chosen):
        out.append(know.worth_it["slow_learning"])
    return out


def _spec(know: Knowledge, chosen: list[Mechanism], automation: dict[str, Any]) -> str:
    """The logging spec (Markdown): mechanisms, automation level, events, interface needs, guidelines."""
    lines = [
        "## Feedback and failure handling",
        "",
        f"Mechanisms: {', '.join(m.name for m in chosen)}.",
        "",
        f"Automation: {automation['level_name']} (`{automation['level']}`); break-even confidence "
        f"{automation['threshold']:.3f}. {automation['rule']}",
        "",
        "### Events to log",
        "",
        "| Event | When it fires | Fields |",
        "| --- | --- | --- |",
    ]
    seen: set[str] = set()
    for e in [e for m in chosen for e in m.events] + list(know.automation["events"]):
        if e["name"] in seen:
            continue
        seen.add(e["name"])
        lines.append(f"| `{e['name']}` | {_cell(e['when'])} | {_cell(', '.join(e['fields']))} |")
    lines += ["", "### Interface", ""]
    lines += [f"- {m.name}: {'; '.join(m.interface_needs)}" for m in chosen]
    lines += ["", "### Guidelines", ""]
    pair_ids = list(dict.fromkeys(g for m in chosen for g in m.pair))
    hax_ids = sorted(dict.fromkeys(g for m in chosen for g in m.hax), key=lambda g: int(g[1:]))
    lines += [
        f'- PAIR People + AI Guidebook, Feedback + Control: "{know.pair[g]["name"]}" ({know.pair[g]["url"]})'
        for g in pair_ids
    ]
    lines += [
        f'- Microsoft Guidelines for Human-AI Interaction, {g} "{know.hax[g]["name"]}" ({know.hax[g]["url"]})'
        for g in hax_ids
    ]
    lines += [f"- {CHOW_1970} ({CHOW_URL})", ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")
