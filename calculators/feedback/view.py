"""The picker's result as view blocks (:mod:`calculators.view`).

The answer first (headline, key figures, what to do next), then the details, and last
"How this is computed" (written by :mod:`._view_method`, a private helper of this module).
Every percentage goes through :func:`calculators._format.percent`, so a headline and a card
never disagree.
"""

from __future__ import annotations

import json

from .. import _format, view
from ._view_method import method
from .knowledge import LEVEL_NAMES, knowledge
from .result import FeedbackResult

__all__ = ["headline", "render"]

ROLE = {"monitor": "Monitor the model", "train": "Train the model", "": ""}


def _lower(text: str) -> str:
    return text[:1].lower() + text[1:]


def _who(result: FeedbackResult) -> str:
    return "your review team" if result.context.deferred_to == "team" else "the user"


def _signals(result: FeedbackResult) -> str:
    """The first sentence: which signals to build, and why two when there are two."""
    rows = {r["mechanism"]: r for r in result.ranking}
    comb = result.combination
    monitor = rows[comb["implicit"]]["label"] if comb["implicit"] else None
    train = rows[comb["trainer"]]["label"] if comb["trainer"] else None
    if monitor and train:
        return f"Build two feedback signals: {_lower(monitor)} to monitor the model, and {_lower(train)} to train it."
    if train:
        return (
            f"To train the model, {_lower(train)}. No signal from normal use is strong enough to monitor it, "
            "so compare product metrics between model versions."
        )
    if not result.context.output_visible:
        start = "Nobody sees this product's outputs, so users cannot rate or fix them"
    else:
        start = "Users cannot rate or fix these outputs where they see them"
    lead = f": {_lower(monitor)} to monitor the model, and" if monitor else ": monitor product metrics, and"
    if _team_labels(result):
        return f"{start}{lead} train it on your review team's answers, plus a random sample of the rest."
    return f"{start}{lead} get training labels from people who review a sample of decisions."


def _team_labels(result: FeedbackResult) -> bool:
    """A review team answers some of the outputs: their answers are the training labels when users give none."""
    return bool(result.context.deferred_to == "team" and result.review_load["reviews_per_week"] > 0)


def _acting(result: FeedbackResult) -> str:
    auto, ctx = result.automation, result.context
    level, sure = auto["level"], _format.percent(auto["threshold"])
    if ctx.reviewed_in_workflow:
        if level == "suggest_confirm":
            return (
                " Show each output to the person who already reviews it, as a suggestion to confirm or fix: "
                "it adds no work, and their final answer is a label."
            )
        return " Let the person who already reviews each item decide: the model is right too rarely to help."
    if level == "automatic":
        if auto["threshold"] <= 0:
            return " Act on every output without asking: asking costs as much as the mistakes it would prevent."
        return f" Act on every output: {_format.percent(auto['share_automated'])} of them are at least {sure} sure."
    if level == "automatic_above_threshold" and auto["threshold"] <= 0:
        return (
            " Act on every output, since asking costs as much as the mistakes it would prevent, but keep a way "
            "to send a case to a person: the stakes are high."
        )
    if level == "automatic_above_threshold":
        return (
            f" Act alone when the model is at least {sure} sure ({_format.percent(auto['share_automated'])} "
            f"of outputs) and ask {_who(result)} about the rest."
        )
    if level == "suggest_confirm":
        return (
            f" Show every output as a suggestion for {_who(result)} to confirm or fix: acting alone pays only "
            f"when the model is at least {sure} sure, and few outputs are."
        )
    return " Let a person decide and use the model only in the background (sorting, pre-filling)."


def _load(result: FeedbackResult) -> str:
    review = result.review_load
    if _format.count(review["reviews_per_week"]) == "0":
        return ""
    if review["deferred_to"] == "team" and review["capacity_per_week"] == 0:
        reviews = _format.count(review["reviews_per_week"])
        return f" That makes {reviews} reviews a week, and nobody has time set aside for them."
    if review["deferred_to"] == "users":
        asks = _format.number(review["asks_per_user_per_week"])
        return f" That asks each user about {asks} times a week, " + (
            "within what they tolerate." if review["fits"] else "more than they tolerate."
        )
    return f" That makes {_format.count(review['reviews_per_week'])} reviews a week, " + (
        "within your team's capacity."
        if review["fits"]
        else f"more than the {_format.count(review['capacity_per_week'])} your team can do."
    )


def headline(result: FeedbackResult) -> str:
    """The answer in plain words: which signals, how much to automate, the load that makes."""
    return _signals(result) + _acting(result) + _load(result)


def _metrics(result: FeedbackResult) -> view.Block:
    auto, review, comb = result.automation, result.review_load, result.combination
    items: list[tuple[str, str] | tuple[str, str, str]] = []
    if comb["trainer"]:
        items.append(("Labels a week to train on", _format.count(result.labels_per_week[comb["trainer"]])))
    else:
        items.append(("Labels a week from users", "0", "nobody can label these outputs"))
    if result.context.reviewed_in_workflow:
        items.append(("Extra reviews a week", "0", "the review is already part of the job"))
    else:
        sure = f"{_format.percent(auto['threshold'])} sure" if auto["threshold"] > 0 else "any confidence"
        items.append(("Act alone from", sure, "model confidence"))
        items.append(("Outputs applied without asking", _format.percent(auto["share_automated"])))
        hint = (
            f"your team can do {_format.count(review['capacity_per_week'])}" if review["deferred_to"] == "team" else ""
        )
        items.append(
            ("Reviews a week", _format.count(review["reviews_per_week"]), hint)
            if hint
            else ("Reviews a week", _format.count(review["reviews_per_week"]))
        )
    return view.metrics(*items)


def _actions(result: FeedbackResult) -> list[str]:
    know = knowledge()
    ctx, comb, review, auto = result.context, result.combination, result.review_load, result.automation
    out: list[str] = []
    if comb["trainer"]:
        m = know.mechanism(comb["trainer"])
        out.append(f"Build the training signal first: {_lower(m.plain)}. It needs {m.interface_needs[0]}.")
    elif _team_labels(result):
        out.append(
            "Log each review-team answer as a label, and have the team also review a random sample of the "
            "outputs the model acted on alone, so the labels are not only the hard cases."
        )
    else:
        out.append(
            "Set up a labelling queue: each week, have people review a random sample of the model's decisions "
            "and record the right answer."
        )
    if ctx.reviewed_in_workflow:
        out.append("Record each reviewer's final answer next to the model's suggestion: that is your training data.")
    elif not review["fits"] and review["capacity_per_week"] == 0:
        out.append(
            "Nobody has time to review the unsure outputs: give a team time for them, or accept acting on every "
            "output and audit a sample each week."
        )
    elif not review["fits"] and auto["level"] == "human_decides":
        out.append(
            "Add reviewers, or narrow the feature to the cases the model handles well: there are more "
            "decisions than people to make them."
        )
    elif not review["fits"] and "threshold_that_fits" in review:
        out.append(
            f"Lower the confidence needed to act alone to {_format.percent(review['threshold_that_fits'])}, "
            "add reviewers, or narrow the feature to the cases the model handles well."
        )
    elif auto["level"] == "automatic":
        out.append(
            "Audit a random sample of the outputs the model applies on its own each week: nobody else checks them."
        )
    elif auto["level"] == "automatic_above_threshold":
        out.append("Check on held-out data that the model's confidence is calibrated before you set the threshold.")
    out.append("Add the events in the logging spec below to your tracking plan before launch.")
    return out[:3]


def _ranking(result: FeedbackResult) -> list[view.Block]:
    know = knowledge()
    comb = result.combination
    scores = {r["mechanism"]: r["score"] for r in result.ranking}
    pair = [r["label"] for r in result.ranking if r["role"]]
    return [
        view.heading("Ranking"),
        view.table(
            "Feedback mechanisms ranked for this product (score 0-100)",
            ["Rank", "Mechanism", "Score", "Role"],
            [
                [
                    r["rank"],
                    r["label"],
                    f"{r['score']:.0f}",
                    ROLE[r["role"]]
                    or ("Not possible here" if not r["available"] else "" if r["tolerated"] else "Asks too much here"),
                ]
                for r in result.ranking
            ],
        ),
        view.paragraph(comb["why"]),
        view.chart(
            "feedback_map",
            {
                "mechanisms": [
                    {
                        "mechanism": m.id,
                        "name": m.plain,
                        "signal_value": m.signal_value,
                        "effort": m.effort,
                        "score": scores[m.id],
                        "group": "Recommended" if m.id in comb["mechanisms"] else "Other",
                    }
                    for m in know.mechanisms
                ]
            },
            alt="Scatter plot of the six feedback mechanisms by effort asked of users (x) and training value (y); "
            f"recommended: {'; '.join(pair) or 'none'}.",
            title="Training value against user effort",
        ),
        view.heading("Why each score"),
        view.bullet_list(
            [f"{r['label']}, score {r['score']:.0f}: {'; '.join(r['reasons'])}." for r in result.ranking], ordered=True
        ),
    ]


def _labels(result: FeedbackResult) -> list[view.Block]:
    a = result.assumptions
    labels = {r["mechanism"]: r["label"] for r in result.ranking}
    return [
        view.heading("Labels per week"),
        view.table(
            "Usable labels per week (active users x interactions x response rate x usable share)",
            ["Mechanism", "Response rate", "Usable share", "Source", "Labels per week"],
            [
                [
                    labels[mid],
                    _format.percent(row["response_rate"]),
                    _format.percent(row["usefulness"]),
                    row["source"],
                    _format.count(result.labels_per_week[mid]) if row["available"] else "not possible here",
                ]
                for mid, row in a["mechanisms"].items()
            ],
        ),
        view.paragraph(
            f"Assumes {_format.count(a['active_users'])} active users with "
            f"{_format.number(a['interactions_per_user_per_week'])} interactions each per week. Response rates "
            "and usable shares come from the data file unless you override them."
        ),
    ]


def _automation(result: FeedbackResult) -> list[view.Block]:
    auto = result.automation
    unit = auto["cost_unit"]
    blocks: list[view.Block] = [
        view.heading("Automation"),
        view.notice(f"Recommended level: {auto['level_name']}."),
        view.bullet_list(auto["reasons"]),
        view.table(
            f"Expected cost per 1,000 decisions ({unit})",
            ["Level", "Cost", "Recommended"],
            [
                [LEVEL_NAMES[k], f"{v:,.0f}", "yes" if k == auto["level"] else ""]
                for k, v in auto["costs_per_1000"].items()
            ],
        ),
        view.chart(
            "feedback_costs",
            {
                "curve": auto["cost_curve"],
                "breakeven": [
                    {
                        "threshold": auto["threshold"],
                        "cost_per_1000": auto["break_even"]["cost_per_1000"],
                        "label": f"break-even {_format.percent(auto['threshold'])}",
                    }
                ],
            },
            alt="Line chart of expected cost per 1,000 decisions against the confidence needed to act alone; "
            f"the lowest cost is at {_format.percent(auto['threshold'])}.",
            title="Expected cost over the confidence needed to act alone",
        ),
    ]
    return blocks + _review(result)


def _review(result: FeedbackResult) -> list[view.Block]:
    review, unit, level = result.review_load, result.automation["cost_unit"], result.automation["level"]
    util = review["utilisation"]
    blocks: list[view.Block] = [
        view.heading("Review load"),
        view.table(
            "Reviews the recommended level makes",
            ["Measure", "Per week"],
            [
                [
                    "Reviews " + ("by users" if review["deferred_to"] == "users" else "by the review team"),
                    _format.count(review["reviews_per_week"]),
                ],
                ["Capacity", _format.count(review["capacity_per_week"])],
                ["Used", "no capacity" if util is None else _format.percent(util)],
                *(
                    [["Asks per user", _format.number(review["asks_per_user_per_week"])]]
                    if review["asks_per_user_per_week"] is not None
                    else []
                ),
            ],
        ),
    ]
    if result.context.reviewed_in_workflow:
        blocks.append(view.paragraph("A person already reviews every output as part of their job: no extra reviews."))
    if not review["fits"]:
        msg = (
            f"The reviews exceed the capacity ({_format.count(review['reviews_per_week'])} against "
            f"{_format.count(review['capacity_per_week'])} a week)."
        )
        if "threshold_that_fits" in review and level != "human_decides" and review["capacity_per_week"] > 0:
            msg += (
                f" Acting alone from {_format.percent(review['threshold_that_fits'])} sure fits the capacity at "
                f"an expected {review['cost_per_1000_at_fit']:,.0f} {unit} per 1,000 decisions; or add reviewers."
            )
        blocks.append(view.notice(msg, level="warning"))
    return blocks


def _advice(result: FeedbackResult) -> list[view.Block]:
    labels = {r["mechanism"]: r["label"] for r in result.ranking}
    blocks: list[view.Block] = [view.heading("Making feedback worth it"), view.bullet_list(result.worth_it)]
    blocks.append(view.heading("Risks"))
    for r in result.risks:
        who = labels.get(r["mechanism"], "the automation level")
        blocks.append(view.notice(f"{r['name']} ({who}): {r['text']} What to do: {r['mitigation']}", level="warning"))
    if result.context.high_stakes:
        blocks.append(
            view.notice(
                "High stakes: log every automatic decision with its confidence and audit a sample each week, "
                "whatever level you choose.",
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


def render(result: FeedbackResult) -> list[view.Block]:
    """The result as view blocks: answer, key figures, next steps, details, how it is computed."""
    blocks: list[view.Block] = [view.summary(headline(result)), _metrics(result), view.actions(_actions(result))]
    blocks += _ranking(result) + _labels(result) + _automation(result) + _advice(result)
    blocks.append(method(result))
    return blocks
