""" "How this is computed" for one result: the effort rule, the scoring, the rules about what users
can see and do, the break-even threshold with this product's numbers, and the sources.

A private helper of :mod:`.view`, imported by nothing else.
"""

from __future__ import annotations

from .. import _format, view
from .inputs import TOLERANCE_WORDS
from .knowledge import CHOW_1970, CHOW_URL, SCORE_FACTORS, TOLERANCES, knowledge
from .result import FeedbackResult

__all__ = ["method"]

FACTOR_TEXT = {
    "signal": "training value of one signal (from the data file)",
    "volume": "usable labels a week against what the learning speed needs; stops growing once there are plenty",
    "response": "share of outputs that yield a usable label, on a log scale: every tenfold step counts the same "
    "at any volume, so a signal 50 times as frequent keeps its lead",
    "effort": "effort asked beyond normal use against the effort users tolerate",
    "speed": "how soon the signal arrives against how fast the product must learn",
    "clean": "share of signals that do not mislead",
}


def method(result: FeedbackResult) -> view.Block:
    """The collapsed "How this is computed" section for ``result``."""
    know = knowledge()
    w = know.weights
    total = sum(w[k] for k in SCORE_FACTORS)
    blocks: list[view.Block] = [
        _effort_rule(result),
        view.paragraph(
            "Score (0-100) = 100 x (weighted mean of six factors, each 0-1) x interface fit x privacy gate x "
            "requirement gate x stakes gate. The weights come from the data file "
            "(calculators/data/feedback.toml, [weights])."
        ),
        view.table(
            "Factors and their weights",
            ["Factor", "Weight", "What it measures"],
            [[k, f"{w[k] / total:.0%}", FACTOR_TEXT[k]] for k in SCORE_FACTORS],
        ),
        view.paragraph(
            "What users can see and do: explicit feedback (a rating, a category, free text) and corrections need "
            "users to see the output, and corrections also need users to be able to change it. A mechanism the "
            "product cannot support gets no labels, its score is multiplied by "
            f"{w['missing_requirement']:g} for each missing requirement, and it is never recommended. "
            "A correction that is part of normal use (moving an item, editing a draft the product wrote) takes "
            "its normal-use effort and response rate from the data file. Where a person already reviews every "
            "output as part of their job, that review is not extra load: every output ends with their final "
            "answer (a response rate of 100%), acting alone saves no review, and the level is to suggest."
        ),
        view.table(
            "This product's factors",
            ["Mechanism", *SCORE_FACTORS, "multiplier", "score"],
            [
                [r["label"], *(f"{r['factors'][k]:.2f}" for k in SCORE_FACTORS), f"{r['gate']:.2f}", f"{r['score']:g}"]
                for r in result.ranking
            ],
        ),
    ]
    return view.method(blocks + _automation(result))


def _effort_rule(result: FeedbackResult) -> view.Block:
    """The ranking's first rule, in a manager's words: effort users will not give comes last."""
    tolerate = TOLERANCE_WORDS[result.context.effort_tolerance]
    beyond = [r["label"] for r in result.ranking if r["available"] and not r["tolerated"]]
    here = (
        f" Here users tolerate {tolerate}, so {_format.plural(len(beyond), 'kind')} of feedback "
        f"{'ranks' if len(beyond) == 1 else 'rank'} lower for asking more: {'; '.join(beyond)}."
        if beyond
        else f" Here users tolerate {tolerate}, and every kind of feedback this product can support asks no more."
    )
    scale = _scale()
    return view.paragraph(
        "Effort comes first. Feedback that asks more of users than they put up with ranks below every kind that "
        "asks no more, whatever its score: when users tolerate one tap at most, choosing a category, writing a "
        "comment or fixing the output as an extra step all rank below the one-tap thumbs up or down. People do "
        "not give feedback that costs them more than they accept, however useful it would be. Within each group "
        "the higher score ranks first, and feedback the product cannot support at all comes last." + here + scale
    )


def _scale() -> str:
    """The tolerance levels on the data file's effort scale (0 = nothing beyond normal use, 1 = the most)."""
    tol = knowledge().context["effort_tolerance"]
    levels = ", ".join(f"\u201c{TOLERANCE_WORDS[t]}\u201d up to {tol[t]:g}" for t in TOLERANCES)
    return f" On the data file's effort scale from 0 to 1 ([context] effort_tolerance): {levels}."


def _automation(result: FeedbackResult) -> list[view.Block]:
    """The break-even threshold with this product's numbers, the level rules, the review load and the sources."""
    know = knowledge()
    ctx, auto, review = result.context, result.automation, result.review_load
    return [
        view.paragraph(
            "Break-even confidence: acting alone on an output the model is p sure of costs (1 - p) x C_wrong in "
            "expectation; asking costs C_ask. Acting alone is cheaper when p >= p* = 1 - C_ask / C_wrong, the "
            f"reject option of Chow (1970). Here: {auto['formula']} This assumes calibrated confidence scores "
            f"(scores follow a Beta distribution with mean {_format.percent(ctx.share_correct)} and "
            f"concentration {ctx.score_concentration:g}); expected costs use the exact incomplete beta function."
        ),
        view.paragraph(
            "Expected cost per 1,000 decisions: act on every output 1000 x C_wrong x (1 - share correct); act above "
            "p* 1000 x (C_wrong x P(wrong and score >= p*) + C_ask x P(score < p*)); suggest every output "
            f"1000 x C_ask; a person decides 1000 x {know.automation['human_effort']:g} x C_ask. "
            f"Level rules: act on every output when at least {_format.percent(know.automation['max_automated_share'])} "
            f"of outputs clear p* (unless the stakes are high); when fewer than "
            f"{_format.percent(know.automation['min_automated_share'])} do, suggest every output if a person can "
            f"see it and the model is right at least {_format.percent(know.automation['min_accuracy_to_suggest'])} "
            "of the time, else let a person decide."
        ),
        view.paragraph(
            f"Review load: none extra, since a person already reviews each of the {review['decisions_per_week']:,.0f} "
            "decisions a week as part of their job."
            if ctx.reviewed_in_workflow
            else f"Review load: decisions a week ({review['decisions_per_week']:,.0f}) x the share asked "
            f"({_format.percent(review['share_asked'])}), against the team's capacity or, for users, "
            "the asks a week each user tolerates (data file, [context] asks_per_user_week) x active users."
        ),
        view.paragraph(
            f"Sources: {CHOW_1970}, {CHOW_URL}. Google PAIR, People + AI Guidebook, Feedback + Control, "
            "https://pair.withgoogle.com/chapter/feedback-controls/. Microsoft, Guidelines for Human-AI "
            "Interaction (Amershi et al., CHI 2019), https://www.microsoft.com/en-us/haxtoolkit/ai-guidelines/."
        ),
    ]
