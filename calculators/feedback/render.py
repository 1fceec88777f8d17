"""The picker's result as view blocks (:mod:`calculators.view`): the answer first, then the details."""

from __future__ import annotations

import json

from .. import view
from .knowledge import knowledge
from .result import FeedbackResult, count
from .schema import LEVEL_NAMES

__all__ = ["render"]


def _summary(result: FeedbackResult, pieces: list[str]) -> str:
    auto, review = result.automation, result.review_load
    p, level = auto["threshold"], auto["level"]
    collect = f"Collect {' and '.join(x[:1].lower() + x[1:] for x in pieces)} feedback. "
    if level == "automatic":
        act = (
            f"Act on every output: {auto['share_automated']:.0%} of them clear the break-even confidence of {p:.3f}."
            if p > 0
            else "Act on every output: asking costs at least as much as a wrong output."
        )
    elif level == "automatic_above_threshold":
        act = (
            f"Act automatically when the model's confidence is at least {p:.3f} "
            f"({auto['share_automated']:.0%} of outputs) and ask below it."
        )
    else:
        who = "suggest every output for a person to confirm" if level == "suggest_confirm" else "let a person decide"
        act = f"Acting alone pays only above {p:.3f} confidence, which few outputs reach, so {who}."
    if review["reviews_per_week"] == 0:
        load = ""
    elif review["deferred_to"] == "users":
        load = f" That asks each user about {review['asks_per_user_per_week']:.1f} times a week, " + (
            "within what they tolerate." if review["fits"] else "more than they tolerate."
        )
    else:
        load = f" That makes {review['reviews_per_week']:,.0f} reviews a week for the team, " + (
            "within its capacity." if review["fits"] else "more than the capacity you gave."
        )
    return collect + act + load


def render(result: FeedbackResult) -> list[view.Block]:
    """The result as view blocks."""
    know = knowledge()
    auto, review, comb = result.automation, result.review_load, result.combination
    unit = auto["cost_unit"]
    names = {r["mechanism"]: r["name"] for r in result.ranking}
    pieces = [names[m] for m in comb["mechanisms"]]
    blocks: list[view.Block] = [view.summary(_summary(result, pieces))]

    blocks.append(view.heading("Ranking"))
    blocks.append(
        view.table(
            "Feedback mechanisms ranked for this product (score 0-100)",
            ["Rank", "Mechanism", "Score"],
            [[r["rank"], r["name"], f"{r['score']:.0f}"] for r in result.ranking],
        )
    )
    blocks.append(view.paragraph(comb["why"]))
    scores = {r["mechanism"]: r["score"] for r in result.ranking}
    blocks.append(
        view.chart(
            "feedback_map",
            {
                "mechanisms": [
                    {
                        "mechanism": m.id,
                        "name": m.name,
                        "signal_value": m.signal_value,
                        "effort": m.effort,
                        "score": scores[m.id],
                        "group": "Recommended" if m.id in comb["mechanisms"] else "Other",
                    }
                    for m in know.mechanisms
                ]
            },
            alt="Scatter plot of the six feedback mechanisms by effort asked of users (x) and training value (y); "
            f"recommended: {', '.join(pieces)}.",
            title="Training value against user effort",
        )
    )
    blocks.append(view.heading("Why each score"))
    blocks.append(
        view.bullet_list(
            [f"{r['name']} ({r['score']:.0f}): {'; '.join(r['reasons'])}." for r in result.ranking], ordered=True
        )
    )

    blocks.append(view.heading("Labels per week"))
    a = result.assumptions
    blocks.append(
        view.table(
            "Usable labels per week (active users x interactions x response rate x usefulness)",
            ["Mechanism", "Response rate", "Usefulness", "Source", "Labels per week"],
            [
                [
                    names[mid],
                    f"{row['response_rate']:.1%}",
                    f"{row['usefulness']:.0%}",
                    row["source"],
                    count(result.labels_per_week[mid]) if row["available"] else "not available",
                ]
                for mid, row in a["mechanisms"].items()
            ],
        )
    )
    blocks.append(
        view.paragraph(
            f"Assumes {a['active_users']:,} active users with {a['interactions_per_user_per_week']:g} interactions "
            "each per week. Response rates and usefulness come from the data file unless you override them."
        )
    )

    blocks.append(view.heading("Automation"))
    blocks.append(view.notice(f"Recommended level: {auto['level_name']}."))
    blocks.append(
        view.metrics(
            ("Break-even confidence", f"{auto['threshold']:.3f}", "act alone above this"),
            ("Applied without asking", f"{auto['share_automated']:.1%}"),
            ("Error rate of applied outputs", f"{auto['error_rate_automated']:.1%}"),
        )
    )
    blocks.append(
        view.table(
            f"Expected cost per 1,000 decisions ({unit})",
            ["Level", "Cost", "Recommended"],
            [
                [LEVEL_NAMES[k], f"{v:,.0f}", "yes" if k == auto["level"] else ""]
                for k, v in auto["costs_per_1000"].items()
            ],
        )
    )
    blocks.append(
        view.chart(
            "feedback_costs",
            {
                "curve": auto["cost_curve"],
                "breakeven": [
                    {
                        "threshold": auto["threshold"],
                        "cost_per_1000": auto["break_even"]["cost_per_1000"],
                        "label": f"break-even {auto['threshold']:.2f}",
                    }
                ],
            },
            alt=f"Line chart of expected cost per 1,000 decisions against the confidence threshold; the minimum is at "
            f"the break-even threshold {auto['threshold']:.2f}.",
            title="Expected cost over the threshold",
        )
    )
    blocks.append(view.bullet_list(auto["reasons"] + [auto["rule"]]))

    blocks.append(view.heading("Review load"))
    util = review["utilisation"]
    items: list[tuple[str, str] | tuple[str, str, str]] = [
        (
            "Reviews per week",
            f"{review['reviews_per_week']:,.0f}",
            "by users" if review["deferred_to"] == "users" else "by the review team",
        ),
        ("Capacity per week", f"{review['capacity_per_week']:,.0f}"),
        ("Utilisation", "no capacity" if util is None else f"{util:.0%}"),
    ]
    if review["asks_per_user_per_week"] is not None:
        items.append(("Asks per user per week", f"{review['asks_per_user_per_week']:.1f}"))
    blocks.append(view.metrics(*items))
    if not review["fits"]:
        msg = (
            f"The reviews exceed the capacity ({review['reviews_per_week']:,.0f} against "
            f"{review['capacity_per_week']:,.0f} a week)."
        )
        if "threshold_that_fits" in review:
            msg += (
                f" Lowering the threshold to {review['threshold_that_fits']:.3f} fits the capacity at an "
                f"expected {review['cost_per_1000_at_fit']:,.0f} {unit} per 1,000 decisions; or add reviewers."
            )
        blocks.append(view.notice(msg, level="warning"))
    blocks.append(view.paragraph(review["rule"]))

    blocks.append(view.heading("Making feedback worth it"))
    blocks.append(view.bullet_list(result.worth_it))
    blocks.append(view.heading("Risks"))
    for r in result.risks:
        who = names.get(r["mechanism"], "Automation level")
        blocks.append(view.notice(f"{r['name']} ({who}): {r['text']} Mitigation: {r['mitigation']}", level="warning"))
    if result.context["high_stakes"]:
        blocks.append(
            view.notice(
                "High stakes: log every automatic decision with its confidence and audit a sample "
                "each week, whatever level you choose.",
                level="warning",
            )
        )
    blocks.append(
        view.download("Download logging spec (Markdown)", "feedback-spec.md", result.spec, mime="text/markdown")
    )
    blocks.append(
        view.download(
            "Download result (JSON)", "feedback-result.json", json.dumps(result.to_dict(), indent=2, allow_nan=False)
        )
    )
    return blocks
