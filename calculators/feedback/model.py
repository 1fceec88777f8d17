"""The picker's numbers: scores, labels per week, the break-even threshold, costs and review load.

numpy only, no prose: :mod:`calculators.feedback.result` turns these numbers into words.

Ranking
-------
A mechanism's score is ``100 * sum(w_k f_k) / sum(w_k)`` times its gates (:func:`score`). The
ranking (:func:`rank_key`) puts the mechanisms the product can support first; among them, each
one that asks more effort than users tolerate (``effort > tolerance``: more than one tap when
users tolerate one tap at most) comes after every one that asks no more, whatever the scores;
within each group the score decides. A signal people will not give is worth nothing, however
valuable one would be, and a weighted mean alone lets a high training value outweigh the effort
for a product with many users.

Automation threshold
--------------------
Acting automatically on an output the model gives probability ``p`` of being right
costs ``(1 - p) * C_wrong`` in expectation; asking costs ``C_ask``. Acting is cheaper
when ``p >= p* = 1 - C_ask / C_wrong`` (clipped to [0, 1]): the reject option of
C. K. Chow (IEEE Trans. Information Theory 16(1), 1970), with rejection cost ``C_ask``,
error cost ``C_wrong`` and no cost for a correct decision. It assumes calibrated scores.

Scores follow ``Beta(k * m, k * (1 - m))`` with ``m`` the share correct and ``k`` the
score concentration; expected costs use the exact regularised incomplete beta function.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ..errors import InputError
from .inputs import Product
from .knowledge import SCORE_FACTORS, Knowledge, Mechanism

__all__ = [
    "GRID",
    "Confidence",
    "automation",
    "break_even_threshold",
    "labels",
    "missing",
    "rank_key",
    "review_load",
    "score",
    "tolerated",
]

FloatArray = npt.NDArray[np.float64]

GRID: FloatArray = np.linspace(0.0, 1.0, 1001)  # thresholds for the cost curve and the capacity search
CHART_STEP = 20  # every 20th grid point (0.02 apart) goes to the chart


def break_even_threshold(cost_wrong: float, cost_ask: float) -> float:
    """Confidence above which acting automatically costs less than asking.

    ``p* = 1 - cost_ask / cost_wrong``, clipped to [0, 1]: at confidence ``p`` a
    wrong automatic output costs ``(1 - p) * cost_wrong`` in expectation, asking
    costs ``cost_ask``, and the two are equal at ``p*`` (Chow's reject rule,
    IEEE Trans. Information Theory, 1970). Edge cases:

    * ``cost_ask >= cost_wrong`` (including ``cost_wrong == 0``): ``0.0``; asking
      never pays, act on every output.
    * ``cost_ask == 0 < cost_wrong``: ``1.0``; asking is free, so ask about everything.

    Parameters
    ----------
    cost_wrong, cost_ask : float
        Cost of one wrong automatic output and of asking a person once, in the same
        unit; both at least 0.

    Examples
    --------
    >>> break_even_threshold(10, 1)
    0.9
    >>> break_even_threshold(1, 5), break_even_threshold(5, 0)
    (0.0, 1.0)
    """
    for name, v in (("cost_wrong", cost_wrong), ("cost_ask", cost_ask)):
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise InputError(f"{name} must be a finite number of at least 0 (got {v!r})", field=name)
    if cost_ask >= cost_wrong:
        return 0.0
    return min(1.0, max(0.0, 1.0 - cost_ask / cost_wrong))


def betainc(a: float, b: float, x: FloatArray) -> FloatArray:
    """Regularised incomplete beta ``I_x(a, b)`` for an array ``x`` (continued fraction, Lentz).

    >>> np.round(betainc(2.0, 3.0, np.array([0.0, 0.25, 0.5, 1.0])), 6).tolist()
    [0.0, 0.261719, 0.6875, 1.0]
    """
    x = np.asarray(x, dtype=float)
    out = np.where(x >= 1.0, 1.0, 0.0)
    inner = (x > 0.0) & (x < 1.0)
    if not inner.any():
        return out
    xi = x[inner]
    swap = xi >= (a + 1.0) / (a + b + 2.0)
    xs = np.where(swap, 1.0 - xi, xi)
    aa_ = np.where(swap, b, a)
    bb_ = np.where(swap, a, b)
    log_front = math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b) + aa_ * np.log(xs) + bb_ * np.log1p(-xs)
    frac = _betacf(aa_, bb_, xs)
    part = np.exp(log_front) * frac / aa_
    out[inner] = np.where(swap, 1.0 - part, part)
    return np.clip(out, 0.0, 1.0)


def _betacf(a: FloatArray, b: FloatArray, x: FloatArray, *, max_iter: int = 400, eps: float = 1e-13) -> FloatArray:
    tiny = 1e-300
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c = np.ones_like(x)
    d = 1.0 - qab * x / qap
    d = 1.0 / np.where(np.abs(d) < tiny, tiny, d)
    h = d.copy()
    for m in range(1, max_iter + 1):
        m2 = 2 * m
        num = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + num * d
        d = 1.0 / np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + num / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        h *= d * c
        num = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + num * d
        d = 1.0 / np.where(np.abs(d) < tiny, tiny, d)
        c = 1.0 + num / c
        c = np.where(np.abs(c) < tiny, tiny, c)
        delta = d * c
        h *= delta
        if np.all(np.abs(delta - 1.0) < eps):
            break
    return h


@dataclass(frozen=True)
class Confidence:
    """Calibrated scores distributed Beta(alpha, beta)."""

    alpha: float
    beta: float

    @classmethod
    def of(cls, share_correct: float, concentration: float) -> Confidence:
        return cls(concentration * share_correct, concentration * (1.0 - share_correct))

    def share_below(self, t: FloatArray) -> FloatArray:
        """Share of predictions whose score is below ``t`` (these are asked about)."""
        return betainc(self.alpha, self.beta, t)

    def wrong_above(self, t: FloatArray) -> FloatArray:
        """Share of all predictions that score at least ``t`` and are wrong: E[(1 - s) 1{s >= t}]."""
        return self.beta / (self.alpha + self.beta) * (1.0 - betainc(self.alpha, self.beta + 1.0, t))


# --------------------------------------------------------------------------- mechanisms


def missing(m: Mechanism, ctx: Product) -> list[str]:
    """The requirements of ``m`` that this product lacks (nobody can edit or act on an output they never see)."""
    seen = bool(ctx.output_visible)
    have = {
        "visible_output": seen,
        "editable_output": seen and ctx.output_editable,
        "next_step": ctx.natural_next_step,
    }
    return [req for req in m.requires if not have[req]]


def in_normal_use(m: Mechanism, ctx: Product) -> bool:
    """Using ``m`` is part of the work: a correction where fixing the output is normal use or an existing review."""
    return m.in_normal_use is not None and bool(ctx.correction_in_normal_use or ctx.reviewed_in_workflow)


def effort(m: Mechanism, ctx: Product) -> float:
    """The effort ``m`` asks here: its normal-use effort when it is part of the work, else its own."""
    return m.in_normal_use["effort"] if m.in_normal_use is not None and in_normal_use(m, ctx) else m.effort


def rates(m: Mechanism, ctx: Product) -> tuple[float, float]:
    """The response rate and usable share of ``m``: the reader's override, else the data file's.

    A correction that is part of normal use answers at its normal-use rate; where a person
    already reviews every output, every output ends with that person's final value (rate 1).
    """
    over = ctx.assumptions.get(m.id, {})
    rr = m.response_rate
    if m.in_normal_use is not None and in_normal_use(m, ctx):
        rr = 1.0 if ctx.reviewed_in_workflow else max(rr, m.in_normal_use["response_rate"])
    return over.get("response_rate", rr), over.get("usefulness", m.usefulness)


def labels(ctx: Product, know: Knowledge) -> dict[str, float]:
    """Usable labels per week: users x interactions x response rate x usefulness (0 if unavailable)."""
    out: dict[str, float] = {}
    for m in know.mechanisms:
        rr, use = rates(m, ctx)
        n = ctx.active_users * ctx.interactions_per_user_per_week * rr * use
        out[m.id] = 0.0 if missing(m, ctx) else float(n)
    return out


def response_factor(share: float, floor: float) -> float:
    """The usable share per interaction on a log scale: 0 at ``floor`` (or below), 1 at a share of 1.

    Every tenfold step counts the same, at any volume: a mechanism that yields 50 times more
    labels per interaction keeps a lead of ``log(50) / log(1 / floor)``.

    >>> response_factor(1.0, 1e-4), response_factor(1e-2, 1e-4), response_factor(1e-6, 1e-4)
    (1.0, 0.5, 0.0)
    """
    if share <= floor:
        return 0.0
    return min(1.0, math.log(share / floor) / math.log(1.0 / floor))


def tolerated(m: Mechanism, ctx: Product, know: Knowledge) -> bool:
    """``m`` asks no more effort here than users tolerate (``effort <= tolerance``)."""
    return effort(m, ctx) <= know.context["effort_tolerance"][ctx.effort_tolerance]


@dataclass(frozen=True)
class Score:
    """One mechanism's score (0-100), its six factors, the gate that multiplies them, and whether
    users tolerate the effort it asks (see :func:`rank_key`)."""

    score: float
    factors: dict[str, float]
    gate: float
    fit: float
    privacy_gate: float
    missing: tuple[str, ...]
    tolerated: bool


def rank_key(s: Score) -> tuple[bool, bool, float]:
    """Sort key, best first: what the product can support, then what users tolerate, then the score."""
    return (bool(s.missing), not s.tolerated, -s.score)


def score(m: Mechanism, ctx: Product, know: Knowledge, lab: float) -> Score:
    """``100 * sum(w_k f_k) / sum(w_k) * interface_fit * privacy_gate * requirement_gate * stakes_gate``.

    The response factor uses the mechanism's usable share per interaction even where the product
    lacks a requirement (the requirement gate already takes the score down), so that a higher
    response rate never lowers a score.
    """
    w, cx = know.weights, know.context
    tol = cx["effort_tolerance"][ctx.effort_tolerance]
    vol_half = cx["volume_half"][ctx.learning_speed]
    speed_half = cx["speed_half"][ctx.learning_speed]
    rr, use = rates(m, ctx)
    f = {
        "signal": m.signal_value,
        "volume": lab / (lab + vol_half),
        "response": response_factor(rr * use, know.response_floor),
        "effort": 1.0 - max(0.0, effort(m, ctx) - tol) / (1.0 - tol),
        "speed": speed_half / (speed_half + m.delay_days),
        "clean": 1.0 - m.noise,
    }
    raw = sum(w[k] * f[k] for k in SCORE_FACTORS) / sum(w[k] for k in SCORE_FACTORS)
    lacks = missing(m, ctx)
    fit = m.interface_fit[ctx.interface]
    privacy_gate = 1.0 - m.privacy_sensitivity * cx["privacy_penalty"][ctx.privacy]
    stakes_gate = 1.0 - w["high_stakes_noise"] * m.noise if ctx.high_stakes else 1.0
    gate = fit * privacy_gate * stakes_gate * w["missing_requirement"] ** len(lacks)
    value = round(min(100.0, max(0.0, 100.0 * raw * gate)), 1)
    return Score(value, f, gate, fit, privacy_gate, tuple(lacks), tolerated(m, ctx, know))


# --------------------------------------------------------------------------- automation


@dataclass(frozen=True)
class Automation:
    """The automation numbers: the level chosen, the break-even threshold, costs and the cost curve."""

    level: str
    threshold: float
    share_clearing: float  # share of outputs at or above the break-even threshold
    operating_threshold: float
    share_automated: float
    share_asked: float
    error_rate_automated: float
    costs_per_1000: dict[str, float]
    curve_below: FloatArray
    curve_cost: FloatArray


def automation(ctx: Product, know: Knowledge) -> Automation:
    """The level (by the rules of the data file's ``[automation]``) and its expected costs."""
    a = know.automation
    cw, ca, acc = ctx.cost_wrong, ctx.cost_ask, ctx.share_correct
    p_star = break_even_threshold(cw, ca)
    conf = Confidence.of(acc, ctx.score_concentration)
    below = float(conf.share_below(np.array([p_star]))[0])
    wrong = float(conf.wrong_above(np.array([p_star]))[0])
    clearing = 1.0 - below
    costs = {
        "automatic": 1000 * cw * (1 - acc),
        "automatic_above_threshold": 1000 * (cw * wrong + ca * below),
        "suggest_confirm": 1000 * ca,
        "human_decides": 1000 * a["human_effort"] * ca,
    }
    level = decide_level(ctx, know, clearing)
    operating = {"automatic": 0.0, "automatic_above_threshold": p_star}.get(level, 1.0)
    op_below = float(conf.share_below(np.array([operating]))[0])
    op_wrong = float(conf.wrong_above(np.array([operating]))[0])
    curve_below = conf.share_below(GRID)
    curve_cost: FloatArray = 1000.0 * (cw * conf.wrong_above(GRID) + ca * curve_below)
    return Automation(
        level=level,
        threshold=p_star,
        share_clearing=clearing,
        operating_threshold=operating,
        share_automated=1.0 - op_below,
        share_asked=op_below,
        error_rate_automated=op_wrong / (1 - op_below) if op_below < 1 else 0.0,
        costs_per_1000={k: float(v) for k, v in costs.items()},
        curve_below=curve_below,
        curve_cost=curve_cost,
    )


def can_suggest(ctx: Product) -> bool:
    """A person can see and confirm a suggestion: a review team, an existing review, or a visible output
    the user can change (or a voice prompt)."""
    users_can = ctx.output_visible and (ctx.output_editable or ctx.interface == "voice")
    return bool(ctx.deferred_to == "team" or ctx.reviewed_in_workflow or users_can)


def decide_level(ctx: Product, know: Knowledge, clearing: float) -> str:
    """The automation level for the share of outputs that clear the break-even threshold."""
    a = know.automation
    if ctx.reviewed_in_workflow:  # a person looks at every output anyway: acting alone saves no review
        return "suggest_confirm" if ctx.share_correct >= a["min_accuracy_to_suggest"] else "human_decides"
    if clearing >= a["max_automated_share"]:
        return "automatic_above_threshold" if ctx.high_stakes else "automatic"
    if clearing < a["min_automated_share"]:
        if can_suggest(ctx) and ctx.share_correct >= a["min_accuracy_to_suggest"]:
            return "suggest_confirm"
        return "human_decides"
    return "automatic_above_threshold"


@dataclass(frozen=True)
class ReviewLoad:
    """Reviews per week at the chosen level against the capacity of whoever reviews."""

    reviews_per_week: float
    capacity_per_week: float
    share_asked: float
    utilisation: float | None
    fits: bool
    asks_per_user_per_week: float | None
    threshold_that_fits: float | None
    cost_per_1000_at_fit: float | None
    reviews_per_week_at_fit: float | None


def review_load(ctx: Product, know: Knowledge, auto: Automation) -> ReviewLoad:
    """Reviews per week at the recommended level; if they exceed capacity, the highest threshold that fits."""
    volume = ctx.decisions_per_week
    share = auto.share_asked if auto.level != "human_decides" else 1.0
    if ctx.reviewed_in_workflow:  # the review is already part of someone's job: no extra load
        share = 0.0
    reviews = volume * share
    if ctx.deferred_to == "team":
        capacity, per_user = ctx.reviewer_capacity_per_week, None
    else:
        capacity = know.context["asks_per_user_week"][ctx.effort_tolerance] * ctx.active_users
        per_user = ctx.interactions_per_user_per_week * share
    utilisation = reviews / capacity if capacity > 0 else (0.0 if reviews == 0 else None)
    if utilisation is not None and not math.isfinite(utilisation):  # a capacity too small to divide by
        utilisation = None
    fits = bool(reviews <= capacity)
    fit_t = fit_cost = fit_reviews = None
    if not fits and volume > 0:
        ok = np.nonzero(volume * auto.curve_below <= capacity)[0]
        i = int(ok[-1])  # share_below(0) == 0, so index 0 always fits
        fit_t, fit_cost, fit_reviews = float(GRID[i]), float(auto.curve_cost[i]), float(volume * auto.curve_below[i])
    return ReviewLoad(reviews, capacity, share, utilisation, fits, per_user, fit_t, fit_cost, fit_reviews)
