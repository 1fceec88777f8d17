"""The picker's result: a frozen dataclass of plain data, and the prose that explains it.

:func:`compute` runs the model (:mod:`calculators.feedback.model`) and writes its
reasons in words; :mod:`calculators.feedback.view` turns the result into view blocks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import _format
from .._contract import Result
from .inputs import TOLERANCE_WORDS, Product, parse
from .knowledge import CHOW_1970, CHOW_URL, LEVEL_NAMES, MECHANISM_IDS, Knowledge, Mechanism, knowledge
from .model import (
    CHART_STEP,
    GRID,
    Automation,
    ReviewLoad,
    automation,
    effort,
    in_normal_use,
    labels,
    missing,
    rank_key,
    rates,
    review_load,
    score,
)

__all__ = ["FeedbackResult", "compute", "from_input", "recommend"]


@dataclass(frozen=True)
class FeedbackResult(Result):
    """What the picker recommends for one product. ``to_dict()`` is plain JSON."""

    context: Product
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


def from_input(data: Any) -> FeedbackResult:
    """Validate the JSON input (a product description), then compute the recommendation."""
    return compute(parse(data))


def recommend(context: Mapping[str, Any] | None = None, /, **options: Any) -> FeedbackResult:
    """Rank feedback mechanisms and pick an automation level for a product.

    Parameters
    ----------
    context : mapping, optional
        The product, as the page's JSON input (every key has a default; see
        :data:`calculators.feedback.DEFAULTS`). Keyword ``options`` override keys of ``context``.

    Returns
    -------
    FeedbackResult

    Examples
    --------
    >>> r = recommend(output_editable=True, cost_wrong=50, cost_ask=0.5, share_correct=0.9,
    ...               score_concentration=20, deferred_to="users")
    >>> r.automation["threshold"]  # 1 - 0.5 / 50
    0.99
    >>> [row["rank"] for row in r.ranking] == list(range(1, len(MECHANISM_IDS) + 1))
    True
    >>> recommend(cost_ask=-1)
    Traceback (most recent call last):
    ...
    calculators.errors.InputError: cost_ask: cost_ask (-1) must be between 0 and 1e+09
    """
    return from_input({**dict(context or {}), **options})


def compute(ctx: Product) -> FeedbackResult:
    """The recommendation for a product that :func:`calculators.feedback.inputs.parse` validated."""
    know = knowledge()
    lab = labels(ctx, know)
    ranking = _rank(ctx, know, lab)
    auto = automation(ctx, know)
    auto_out = _automation_words(ctx, know, auto)
    review = _review_words(ctx, review_load(ctx, know, auto))
    team_answers = ctx.deferred_to == "team" and review["reviews_per_week"] > 0
    combination = _combine(ctx, know, ranking, lab, team_answers=team_answers)
    chosen = [know.mechanism(m) for m in combination["mechanisms"]]
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


def _assumptions(ctx: Product, know: Knowledge) -> dict[str, Any]:
    rows = {}
    for m in know.mechanisms:
        rr, use = rates(m, ctx)
        rows[m.id] = {
            "response_rate": rr,
            "usefulness": use,
            "source": "your input" if ctx.assumptions.get(m.id) else "data file",
            "available": not missing(m, ctx),
        }
    return {
        "active_users": ctx.active_users,
        "interactions_per_user_per_week": ctx.interactions_per_user_per_week,
        "formula": "active users x interactions per user per week x response rate x usefulness",
        "mechanisms": rows,
    }


def _rank(ctx: Product, know: Knowledge, lab: dict[str, float]) -> list[dict[str, Any]]:
    rows: list[tuple[tuple[bool, bool, float], int, dict[str, Any]]] = []
    for m in know.mechanisms:
        s = score(m, ctx, know, lab[m.id])
        row: dict[str, Any] = {
            "mechanism": m.id,
            "name": m.name,
            "label": m.label,
            "kind": m.kind,
            "score": s.score,
            "factors": {k: round(v, 4) for k, v in s.factors.items()},
            "gate": round(s.gate, 4),
            "available": not s.missing,
            "tolerated": s.tolerated,
            "reasons": _reasons(m, ctx, know, s.missing, s.fit, s.privacy_gate, lab[m.id]),
        }
        rows.append((rank_key(s), MECHANISM_IDS.index(m.id), row))
    rows.sort(key=lambda t: (t[0], t[1]))
    out = [row for _, _, row in rows]
    for i, row in enumerate(out, 1):
        row["rank"] = i
    return out


_REQUIREMENT_TEXT = {
    "visible_output": "it needs users to see the output, and nobody sees it in this product",
    "editable_output": "it needs users to change, accept or reject the output where they work, and they cannot here",
    "next_step": "it needs something users do next that shows whether the output helped, and there is none here",
}
_INTERFACE = {"screen": "on a screen", "voice": "by voice", "api": "through an API"}


def _reasons(
    m: Mechanism,
    ctx: Product,
    know: Knowledge,
    lacks: tuple[str, ...],
    fit: float,
    privacy_gate: float,
    lab: float,
) -> list[str]:
    """Why ``m`` scores what it does, in plain words, most decisive first."""
    tol = know.context["effort_tolerance"][ctx.effort_tolerance]
    # an output nobody sees can be neither edited nor acted on: say only that
    shown = ("visible_output",) if "visible_output" in lacks else lacks
    reasons = [f"no labels: {_REQUIREMENT_TEXT[req]}" for req in shown]
    if not lacks:
        rr, use = rates(m, ctx)
        reasons.append(
            f"about {_format.count(lab)} usable labels a week ({_format.percent(rr)} of outputs get a response, "
            f"{_format.percent(use)} of those are usable)"
        )
    worth = round(m.signal_value * 10)
    reasons.append(f"worth {worth} of 10 as a training signal")
    e = effort(m, ctx)
    tolerate = TOLERANCE_WORDS[ctx.effort_tolerance]
    if in_normal_use(m, ctx):
        reasons.append("part of normal use here, so it costs users almost nothing extra")
    elif e == 0:
        reasons.append("asks nothing of users beyond normal use")
    elif e <= tol:
        reasons.append(f"asks little, within what users put up with ({tolerate})")
    else:
        reasons.append(
            f"asks more than users put up with ({tolerate}), so it ranks below every kind of feedback that asks no more"
        )
    reasons.append(
        "arrives at once"
        if m.delay_days == 0
        else f"takes about {_format.plural(round(m.delay_days), 'day')} to arrive; "
        f"you want the product to learn within {ctx.learning_speed}"
    )
    reasons.append(f"{_format.percent(m.noise)} of signals mislead: {m.bias[:1].lower()}{m.bias[1:].rstrip('.')}")
    if fit < 1:
        reasons.append(f"works less well {_INTERFACE[ctx.interface]}")
    if privacy_gate < 0.9:
        reasons.append(f"carries personal data, which your privacy limits ({ctx.privacy}) restrict")
    if ctx.high_stakes and m.noise >= 0.4:
        reasons.append("too noisy to lean on when mistakes are costly")
    return reasons


def _combine(
    ctx: Product,
    know: Knowledge,
    ranking: list[dict[str, Any]],
    lab: dict[str, float],
    *,
    team_answers: bool = False,
) -> dict[str, Any]:
    """One signal to monitor the model (implicit, from everyone) and one to train it (explicit or a correction).

    A mechanism the product cannot support (an output nobody sees, nothing to edit) is never chosen:
    when no trainer is possible, ``trainer`` is ``None`` and the reason says where labels can come from.
    Each ranking row gets its ``role`` in the pair (``monitor``, ``train`` or ``""``).
    """
    usable = [r for r in ranking if r["available"]]
    implicit = next(
        (r for r in usable if r["kind"] == "implicit" and r["score"] >= know.weights["implicit_floor"]), None
    )
    trainer = next((r for r in usable if r["kind"] != "implicit"), None)
    for r in ranking:
        r["role"] = "monitor" if r is implicit else "train" if r is trainer else ""
    why = []
    if implicit is not None:
        why.append(
            f"To monitor the model: {implicit['label']}. It comes from every user without asking anything, "
            "so it shows how the model does for everyone, though too noisy to train on alone."
        )
    else:
        why.append(
            "To monitor the model: no signal from normal use is strong enough here; compare product metrics "
            "between model versions instead."
        )
    if trainer is not None:
        t = know.mechanism(trainer["mechanism"])
        first = trainer["rank"] == min(r["rank"] for r in ranking if r["kind"] != "implicit")
        why.append(
            f"To train it: {trainer['label']}, about {_format.count(lab[t.id])} usable labels a week, worth "
            f"{round(t.signal_value * 10)} of 10 each as a training signal"
            + ("." if first else ", the best-scoring kind of feedback this product can actually collect.")
        )
    elif team_answers:
        why.append(
            "To train it: no user can label these outputs (nobody sees them or can act on them), so train on "
            "your review team's answers, plus a random sample of the decisions the model made alone, so that "
            "the labels are not only the hard cases."
        )
    else:
        why.append(
            "To train it: no user can label these outputs (nobody sees them or can act on them), so labels "
            "must come from people who review a sample of decisions, or from outcomes you observe later."
        )
    return {
        "implicit": implicit["mechanism"] if implicit else None,
        "trainer": trainer["mechanism"] if trainer else None,
        "mechanisms": [r["mechanism"] for r in (implicit, trainer) if r is not None],
        "why": " ".join(why),
    }


def _automation_words(ctx: Product, know: Knowledge, auto: Automation) -> dict[str, Any]:
    """The automation numbers with their reasons in plain words, the formula, and the cost curve for the chart."""
    cw, ca = ctx.cost_wrong, ctx.cost_ask
    p_star, level = auto.threshold, auto.level
    sure = _format.percent(p_star)
    if cw > 0 and ca < cw:
        formula = f"p* = 1 - {ca:g}/{cw:g} = {p_star:.3f}."
        reasons = [
            f"Acting alone is cheaper than asking once the model is at least {sure} sure: below that, the "
            f"expected cost of a mistake ({cw:g} {ctx.cost_unit} each) is more than asking ({ca:g})."
        ]
    else:
        formula = f"C_ask ({ca:g}) >= C_wrong ({cw:g}), so p* = 0: asking never pays."
        reasons = ["Asking a person costs at least as much as a wrong output, so asking never pays."]
    reasons.append(_level_reason(ctx, know, auto))
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
        "cost_unit": ctx.cost_unit,
        "cost_curve": curve,
        "break_even": {"threshold": p_star, "cost_per_1000": auto.costs_per_1000["automatic_above_threshold"]},
        "reasons": reasons,
        "formula": formula,
        "rule": rule,
        "reference": CHOW_1970,
    }


def _level_reason(ctx: Product, know: Knowledge, auto: Automation) -> str:
    """Why this automation level, in plain words."""
    level = auto.level
    share = _format.percent(auto.share_clearing)
    clearing = auto.share_clearing
    if ctx.reviewed_in_workflow:
        return "A person already reviews every output as part of their job, so acting alone would save no review: " + (
            "show the model's output to them as a suggestion to confirm or fix."
            if level == "suggest_confirm"
            else "the model is right too rarely for its suggestion to help, so let them decide unaided."
        )
    elif level == "automatic":
        return f"{share} of outputs are that sure, so acting on all of them costs about the same and is simpler."
    elif level == "suggest_confirm":
        return (
            f"Only {share} of outputs are that sure: offer every output as a suggestion a person confirms, "
            "and every confirmation becomes a label."
        )
    elif level == "human_decides":
        why = (
            "the model is right too rarely for its suggestions to help"
            if ctx.share_correct < know.automation["min_accuracy_to_suggest"]
            else "there is nowhere to show a suggestion"
        )
        return (
            f"Only {share} of outputs are that sure and {why}: let a person decide and use the model to sort or "
            "pre-fill in the background."
        )
    elif clearing >= know.automation["max_automated_share"]:
        return "Almost every output is that sure, but the stakes are high: keep a way to send unsure cases to a person."
    else:
        return (
            f"{share} of outputs are that sure and are applied; the other {_format.percent(1 - clearing)} are "
            "asked about."
        )


def _review_words(ctx: Product, rl: ReviewLoad) -> dict[str, Any]:
    out: dict[str, Any] = {
        "deferred_to": ctx.deferred_to,
        "decisions_per_week": ctx.decisions_per_week,
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


def _worth_it(ctx: Product, know: Knowledge, chosen: list[Mechanism]) -> list[str]:
    out = [f"{m.plain}: {m.worth_it}" for m in chosen]
    if not any(m.kind != "implicit" for m in chosen):
        return out  # nobody is asked for anything: no advice on making feedback worth giving
    out.extend(know.worth_it["always"])
    half = know.context["speed_half"][ctx.learning_speed]
    if ctx.learning_speed == "months" or any(m.delay_days > half for m in chosen):
        out.append(know.worth_it["slow_learning"])
    return out


def _spec(know: Knowledge, chosen: list[Mechanism], automation: dict[str, Any]) -> str:
    """The logging spec (Markdown): mechanisms, automation level, events, interface needs, guidelines."""
    lines = [
        "## Feedback and failure handling",
        "",
        f"Mechanisms: {'; '.join(m.label for m in chosen)}.",
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
    lines += [f"- {m.label}: {'; '.join(m.interface_needs)}" for m in chosen]
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
