"""Feedback and failure-handling picker.

Describe a product (how often people use it, whether they can edit what the
model produces, what a wrong automatic output costs against what asking costs,
how confident the model tends to be) and get:

* the six ways of collecting user feedback ranked for that product, with reasons;
* a combination: one implicit signal that everyone produces plus one explicit or
  correction signal that trains the model;
* usable labels per week for each mechanism, with the assumptions shown;
* an automation level (``automatic``, ``automatic_above_threshold``,
  ``suggest_confirm``, ``human_decides``) and the confidence threshold above which
  acting alone costs less than asking;
* the review load the level puts on users or on a review team;
* risks, and a logging spec (events and the matching PAIR and Microsoft guidelines).

Scoring
-------
Each mechanism gets five factors in [0, 1]: training value ``signal_value``;
volume ``L / (L + L_half)`` with ``L`` its usable labels per week and ``L_half``
set by the learning speed; effort ``1 - max(0, effort - tolerance) / (1 - tolerance)``;
speed ``d_half / (d_half + delay_days)``; cleanliness ``1 - noise``. The score is::

    100 * sum(w_k * f_k) / sum(w_k) * interface_fit * privacy_gate * requirement_gate * stakes_gate

where ``privacy_gate = 1 - privacy_sensitivity * penalty(privacy)``, the
requirement gate is ``weights.missing_requirement`` per missing requirement
(an editable output, a natural next step) and, for high-stakes products,
``stakes_gate = 1 - weights.high_stakes_noise * noise``. Weights and traits live
in ``calculators/data/feedback.toml``.

Automation threshold
--------------------
Acting automatically on an output the model gives probability ``p`` of being right
costs ``(1 - p) * C_wrong`` in expectation; asking costs ``C_ask``. Acting is cheaper
when ``p >= p* = 1 - C_ask / C_wrong`` (clipped to [0, 1]). This is the reject
option of C. K. Chow, "On optimum recognition error and reject tradeoff", IEEE
Transactions on Information Theory 16(1), 41-46 (1970), with rejection cost
``C_ask``, error cost ``C_wrong`` and no cost for a correct decision. It assumes
calibrated scores (a score of 0.9 is right nine times in ten).

Model confidence is described by two numbers: ``share_correct`` (mean score, which
for calibrated scores is the accuracy) and ``score_concentration`` ``k``; scores
follow ``Beta(k * share_correct, k * (1 - share_correct))``. Small ``k`` means many
very sure and very unsure predictions; large ``k`` means most predictions are
about as confident as the average. Expected costs use the exact regularised
incomplete beta function, so they are closed forms, not simulations.

Expected cost per decision of each level (``m`` = share_correct, ``s`` = score)::

    automatic                   C_wrong * (1 - m)
    automatic_above_threshold   C_wrong * E[(1 - s) 1{s >= p*}] + C_ask * P(s < p*)
    suggest_confirm             C_ask               (every output confirmed or corrected)
    human_decides               human_effort * C_ask (deciding without a suggestion)

The level: if at least ``max_automated_share`` of outputs clear ``p*``, act on all
of them (``automatic``; high stakes keep ``automatic_above_threshold``); if fewer
than ``min_automated_share`` do, nearly everything is asked anyway, so suggest every
output (``suggest_confirm``) when a person can see and confirm a suggestion and
``m >= min_accuracy_to_suggest``, else ``human_decides``; otherwise
``automatic_above_threshold``. The numbers are in the data file's ``[automation]``.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from . import _inputs, forms, view
from ._data import Reader, load_toml
from .errors import Collector, DataFileError, InputError

__all__ = [
    "TITLE", "FeedbackResult", "Knowledge", "Mechanism", "break_even_threshold", "default_input", "examples",
    "form", "from_input", "load_knowledge", "mechanisms", "recommend", "render",
]

TITLE = "Feedback and failure-handling picker"
NAME = "feedback"
DESCRIPTION = "Rank user-feedback mechanisms and an automation level for a product."
CHARTS_MODULE = "calculators.charts.feedback"
DATA_FILE = "calculators/data/feedback.toml"

MECHANISM_IDS = ("indirect_implicit", "direct_implicit", "binary_explicit", "categorical_explicit", "free_text",
                 "model_correction")
KINDS = ("implicit", "explicit", "correction")
REQUIREMENTS = ("editable_output", "next_step")
INTERFACES = ("screen", "voice", "api")
TOLERANCES = ("low", "medium", "high")
SPEEDS = ("days", "weeks", "months")
PRIVACY = ("none", "some", "strict")
DEFERRED_TO = ("users", "team")
LEVELS = ("automatic", "automatic_above_threshold", "suggest_confirm", "human_decides")
LEVEL_NAMES = {
    "automatic": "Act automatically on every output",
    "automatic_above_threshold": "Act automatically above the threshold, ask below it",
    "suggest_confirm": "Suggest every output; a person confirms or corrects it",
    "human_decides": "A person decides; the model only assists in the background",
}
SCORE_FACTORS = ("signal", "volume", "effort", "speed", "clean")
CHOW_1970 = ("C. K. Chow, \"On optimum recognition error and reject tradeoff\", "
             "IEEE Transactions on Information Theory 16(1), 41-46 (1970)")
CHOW_URL = "https://doi.org/10.1109/TIT.1970.1054406"

#: Input fields and their defaults, so that ``{}`` is a valid product.
DEFAULTS: dict[str, Any] = {
    "interactions_per_user_per_week": 10,
    "active_users": 1000,
    "decisions_per_week": None,  # None: active_users x interactions_per_user_per_week
    "output_editable": True,
    "natural_next_step": False,
    "effort_tolerance": "low",
    "learning_speed": "weeks",
    "interface": "screen",
    "privacy": "some",
    "high_stakes": False,
    "cost_wrong": 10,
    "cost_ask": 1,
    "cost_unit": "units",
    "share_correct": 0.85,
    "score_concentration": 5,
    "deferred_to": "team",
    "reviewer_capacity_per_week": 500,
    "assumptions": {},
}

#: Numeric input fields: (low, high, whole number).
RANGES: dict[str, tuple[float, float, bool]] = {
    "interactions_per_user_per_week": (0, 10_000, False),
    "active_users": (1, 1e10, True),
    "decisions_per_week": (0, 1e12, False),
    "cost_wrong": (0, 1e9, False),
    "cost_ask": (0, 1e9, False),
    "share_correct": (0.01, 0.999, False),
    "score_concentration": (0.5, 1000, False),
    "reviewer_capacity_per_week": (0, 1e12, False),
}
CHOICES: dict[str, tuple[str, ...]] = {
    "effort_tolerance": TOLERANCES, "learning_speed": SPEEDS, "interface": INTERFACES, "privacy": PRIVACY,
    "deferred_to": DEFERRED_TO,
}
BOOLEANS = ("output_editable", "natural_next_step", "high_stakes")

_GRID = np.linspace(0.0, 1.0, 1001)  # thresholds for the cost curve and the capacity search
_CHART_STEP = 20  # every 20th grid point (0.02 apart) goes to the chart


# --------------------------------------------------------------------------- knowledge


@dataclass(frozen=True)
class Mechanism:
    """One feedback mechanism's traits, as read from the data file."""

    id: str
    name: str
    kind: str
    summary: str
    signal_value: float
    effort: float
    delay_days: float
    noise: float
    bias: str
    interface_needs: tuple[str, ...]
    requires: tuple[str, ...]
    interface_fit: Mapping[str, float]
    privacy_sensitivity: float
    response_rate: float
    usefulness: float
    risks: tuple[str, ...]
    worth_it: str
    pair: tuple[str, ...]
    hax: tuple[str, ...]
    events: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class Knowledge:
    """Everything the picker believes: mechanisms, weights, guidelines, examples."""

    mechanisms: tuple[Mechanism, ...]
    weights: Mapping[str, float]
    context: Mapping[str, Mapping[str, float]]
    automation: Mapping[str, Any]
    risks: Mapping[str, Mapping[str, str]]
    pair: Mapping[str, Mapping[str, str]]
    hax: Mapping[str, Mapping[str, str]]
    worth_it: Mapping[str, Any]
    examples: tuple[Mapping[str, Any], ...]

    def mechanism(self, mid: str) -> Mechanism:
        return next(m for m in self.mechanisms if m.id == mid)


def load_knowledge(text: str, *, file: str = DATA_FILE) -> Knowledge:
    """Parse and validate the picker's knowledge from TOML ``text``.

    Raises :class:`~calculators.errors.DataFileError` naming ``file``, the entry and
    the problem.

    Examples
    --------
    >>> load_knowledge("[weights]\\nsignal = 1")
    Traceback (most recent call last):
    ...
    calculators.errors.DataFileError: calculators/data/feedback.toml: weights: missing key 'volume'
    """
    r = Reader(file)
    raw = r.parse(text)

    wt = r.table(raw, "weights", "weights")
    weights = {k: r.number(wt, k, "weights", 0, 1) for k in (*SCORE_FACTORS, "missing_requirement",
                                                             "high_stakes_noise")}
    weights["implicit_floor"] = r.number(wt, "implicit_floor", "weights", 0, 100)
    if sum(weights[k] for k in SCORE_FACTORS) <= 0:
        r.fail("weights", "the five factor weights (signal, volume, effort, speed, clean) sum to zero")

    ct = r.table(raw, "context", "context")
    context = {
        "effort_tolerance": r.levels(ct, "effort_tolerance", "context", TOLERANCES, 0, 0.99),
        "volume_half": r.levels(ct, "volume_half", "context", SPEEDS, 1e-9),
        "speed_half": r.levels(ct, "speed_half", "context", SPEEDS, 1e-9),
        "privacy_penalty": r.levels(ct, "privacy_penalty", "context", PRIVACY, 0, 1),
        "asks_per_user_week": r.levels(ct, "asks_per_user_week", "context", TOLERANCES, 0),
    }

    at = r.table(raw, "automation", "automation")
    automation: dict[str, Any] = {
        "human_effort": r.number(at, "human_effort", "automation", 1, 100),
        "min_automated_share": r.number(at, "min_automated_share", "automation", 0, 1),
        "max_automated_share": r.number(at, "max_automated_share", "automation", 0, 1),
        "min_accuracy_to_suggest": r.number(at, "min_accuracy_to_suggest", "automation", 0, 1),
    }
    if automation["min_automated_share"] >= automation["max_automated_share"]:
        r.fail("automation", "min_automated_share must be below max_automated_share")
    automation["events"] = _events(r, at, "automation")

    risks = {rid: {k: r.text(rt, k, f"risk {rid!r}") for k in ("name", "text", "mitigation")}
             for rid, rt in _named_tables(r, raw, "risk").items()}
    pair = {gid: _guideline(r, gt, f"pair {gid!r}") for gid, gt in _named_tables(r, raw, "pair").items()}
    hax = {gid: _guideline(r, gt, f"hax {gid!r}") for gid, gt in _named_tables(r, raw, "hax").items()}
    for gid in hax:
        if not (gid.startswith("G") and gid[1:].isdigit() and 1 <= int(gid[1:]) <= 18):
            r.fail(f"hax {gid!r}", "Microsoft's guidelines are numbered G1 to G18")

    wt_table = r.table(raw, "worth_it", "worth_it")
    worth_it = {"always": r.texts(wt_table, "always", "worth_it"),
                "slow_learning": r.text(wt_table, "slow_learning", "worth_it")}

    mlist = raw.get("mechanism")
    if not isinstance(mlist, list) or not mlist:
        r.fail("mechanism", "needs a [[mechanism]] entry for each of " + ", ".join(MECHANISM_IDS))
    mechs: dict[str, Mechanism] = {}
    for i, mt in enumerate(mlist):
        entry = f"mechanism {i + 1}"
        if not isinstance(mt, dict):
            r.fail(entry, "must be a table")
        mid = r.text(mt, "id", entry)
        entry = f"mechanism {mid!r}"
        if mid not in MECHANISM_IDS:
            r.fail(entry, f"unknown id; expected one of {', '.join(MECHANISM_IDS)}")
        if mid in mechs:
            r.fail(entry, "id is used twice")
        kind = r.text(mt, "kind", entry)
        if kind not in KINDS:
            r.fail(entry, f"kind {kind!r} must be one of {', '.join(KINDS)}")
        mechs[mid] = Mechanism(
            id=mid, name=r.text(mt, "name", entry), kind=kind, summary=r.text(mt, "summary", entry),
            signal_value=r.number(mt, "signal_value", entry, 0, 1), effort=r.number(mt, "effort", entry, 0, 1),
            delay_days=r.number(mt, "delay_days", entry, 0, 3650), noise=r.number(mt, "noise", entry, 0, 1),
            bias=r.text(mt, "bias", entry),
            interface_needs=r.texts(mt, "interface_needs", entry, empty=False),
            requires=r.texts(mt, "requires", entry, allowed=REQUIREMENTS),
            interface_fit=r.levels(mt, "interface_fit", entry, INTERFACES, 0, 1),
            privacy_sensitivity=r.number(mt, "privacy_sensitivity", entry, 0, 1),
            response_rate=r.number(mt, "response_rate", entry, 0, 1),
            usefulness=r.number(mt, "usefulness", entry, 0, 1),
            risks=r.texts(mt, "risks", entry, allowed=risks),
            worth_it=r.text(mt, "worth_it", entry),
            pair=r.texts(mt, "pair", entry, allowed=pair, empty=False),
            hax=r.texts(mt, "hax", entry, allowed=hax, empty=False),
            events=_events(r, mt, entry),
        )
    missing = [m for m in MECHANISM_IDS if m not in mechs]
    if missing:
        r.fail("mechanism", f"no entry for {', '.join(missing)}")

    know = Knowledge(mechanisms=tuple(mechs[m] for m in MECHANISM_IDS), weights=weights, context=context,
                     automation=automation, risks=risks, pair=pair, hax=hax, worth_it=worth_it, examples=())
    elist = raw.get("example")
    if not isinstance(elist, list) or not elist:
        r.fail("example", "needs at least one [[example]] (the first is the page's default)")
    exs: list[dict[str, Any]] = []
    for i, et in enumerate(elist):
        entry = f"example {i + 1}"
        eid = r.text(et, "id", entry)
        entry = f"example {eid!r}"
        if any(e["id"] == eid for e in exs):
            r.fail(entry, "id is used twice")
        inp = r.table(et, "input", entry)
        try:
            _parse(inp, know)
        except InputError as exc:
            raise DataFileError(file, entry, f"invalid input: {exc}") from None
        exs.append({"id": eid, "label": r.text(et, "label", entry), "input": inp})
    return Knowledge(**{f.name: getattr(know, f.name) for f in fields(know) if f.name != "examples"},
                     examples=tuple(exs))


def _named_tables(r: _Reader, raw: dict[str, Any], key: str) -> dict[str, dict[str, Any]]:
    t = r.table(raw, key, key)
    if not t:
        r.fail(key, "needs at least one entry")
    for k, v in t.items():
        if not isinstance(v, dict):
            r.fail(f"{key} {k!r}", "must be a table")
    return t


def _guideline(r: _Reader, t: dict[str, Any], entry: str) -> dict[str, str]:
    out = {"name": r.text(t, "name", entry), "url": r.text(t, "url", entry)}
    if not out["url"].startswith("https://"):
        r.fail(entry, f"url {out['url']!r} must start with https://")
    return out


def _events(r: _Reader, t: dict[str, Any], entry: str) -> tuple[dict[str, Any], ...]:
    ev = t.get("event")
    if not isinstance(ev, list) or not ev:
        r.fail(entry, "needs at least one [[...event]] (name, when, fields)")
    out = []
    for j, e in enumerate(ev):
        where = f"{entry} event {j + 1}"
        out.append({"name": r.text(e, "name", where), "when": r.text(e, "when", where),
                    "fields": list(r.texts(e, "fields", where, empty=False))})
    return tuple(out)


@functools.cache
def _knowledge() -> Knowledge:
    load_toml("feedback.toml")  # reports a missing or unparsable file with the shared wording
    from importlib import resources

    text = (resources.files("calculators") / "data" / "feedback.toml").read_text(encoding="utf-8")
    return load_knowledge(text)


def mechanisms() -> list[dict[str, Any]]:
    """The six mechanisms with their headline traits (used by the design chapter's chart).

    Examples
    --------
    >>> [m["id"] for m in mechanisms()][:2]
    ['indirect_implicit', 'direct_implicit']
    >>> sorted(mechanisms()[0])
    ['effort', 'id', 'kind', 'name', 'signal_value']
    """
    return [{"id": m.id, "name": m.name, "kind": m.kind, "signal_value": m.signal_value, "effort": m.effort}
            for m in _knowledge().mechanisms]


def examples() -> list[dict[str, Any]]:
    """The example products from the data file: ``[{"id", "label", "input"}]``."""
    return [{"id": e["id"], "label": e["label"], "input": dict(e["input"])} for e in _knowledge().examples]


def default_input() -> dict[str, Any]:
    """The input the page starts from: the first example product."""
    return examples()[0]["input"]


# --------------------------------------------------------------------------- input


def _parse(data: Any, know: Knowledge) -> dict[str, Any]:
    """Validate a product context; return it with every default filled in, or raise InputError."""
    c = Collector()
    data = _inputs.mapping(c, "", data)
    c.raise_if_any()
    assert data is not None
    _inputs.unknown_keys(c, "", data, list(DEFAULTS))
    ctx: dict[str, Any] = {}
    for key, (lo, hi, whole) in RANGES.items():
        value = data.get(key, DEFAULTS[key])
        if key == "decisions_per_week" and value is None:
            ctx[key] = None
            continue
        ctx[key] = _inputs.number(c, key, value, lo=lo, hi=hi, integer=whole)
    for key, options in CHOICES.items():
        ctx[key] = _inputs.choice(c, key, data.get(key, DEFAULTS[key]), options)
    for key in BOOLEANS:
        ctx[key] = _inputs.boolean(c, key, data.get(key, DEFAULTS[key]))
    ctx["cost_unit"] = _inputs.text(c, "cost_unit", data.get("cost_unit", DEFAULTS["cost_unit"]), max_len=20)
    ctx["assumptions"] = _parse_assumptions(c, data.get("assumptions", {}), know)
    c.raise_if_any()
    if ctx["decisions_per_week"] is None:
        ctx["decisions_per_week"] = float(ctx["active_users"] * ctx["interactions_per_user_per_week"])
    ctx["cost_unit"] = ctx["cost_unit"] or DEFAULTS["cost_unit"]
    return ctx


def _parse_assumptions(c: Collector, value: Any, know: Knowledge) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    table = _inputs.mapping(c, "assumptions", value)
    if table is None:
        return out
    _inputs.unknown_keys(c, "assumptions", table, MECHANISM_IDS)
    for mid in MECHANISM_IDS:
        if mid not in table:
            continue
        f = f"assumptions.{mid}"
        entry = _inputs.mapping(c, f, table[mid])
        if entry is None:
            continue
        _inputs.unknown_keys(c, f, entry, ("response_rate", "usefulness"))
        out[mid] = {}
        for key in ("response_rate", "usefulness"):
            if key in entry:
                v = _inputs.number(c, f"{f}.{key}", entry[key], lo=0, hi=1, label=f"{mid}: {key}")
                if v is not None:
                    out[mid][key] = v
    return out


# --------------------------------------------------------------------------- numerics


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


def _betainc(a: float, b: float, x: np.ndarray) -> np.ndarray:
    """Regularised incomplete beta ``I_x(a, b)`` for an array ``x`` (continued fraction, Lentz).

    >>> np.round(_betainc(2.0, 3.0, np.array([0.0, 0.25, 0.5, 1.0])), 6).tolist()
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
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + aa_ * np.log(xs) + bb_ * np.log1p(-xs))
    frac = _betacf(aa_, bb_, xs)
    part = np.exp(log_front) * frac / aa_
    out[inner] = np.where(swap, 1.0 - part, part)
    return np.clip(out, 0.0, 1.0)


def _betacf(a: np.ndarray, b: np.ndarray, x: np.ndarray, *, max_iter: int = 400, eps: float = 1e-13) -> np.ndarray:
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
class _Confidence:
    """Calibrated scores distributed Beta(alpha, beta)."""

    alpha: float
    beta: float

    @classmethod
    def of(cls, share_correct: float, concentration: float) -> _Confidence:
        return cls(concentration * share_correct, concentration * (1.0 - share_correct))

    def share_below(self, t: np.ndarray) -> np.ndarray:
        """Share of predictions whose score is below ``t`` (these are asked about)."""
        return _betainc(self.alpha, self.beta, t)

    def wrong_above(self, t: np.ndarray) -> np.ndarray:
        """Share of all predictions that score at least ``t`` and are wrong: E[(1 - s) 1{s >= t}]."""
        return self.beta / (self.alpha + self.beta) * (1.0 - _betainc(self.alpha, self.beta + 1.0, t))


# --------------------------------------------------------------------------- result


@dataclass(frozen=True)
class FeedbackResult:
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

    def to_dict(self) -> dict[str, Any]:
        return {f.name: _plain(getattr(self, f.name)) for f in fields(self)}


def _plain(v: Any) -> Any:
    if isinstance(v, Mapping):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, (bool, np.bool_)):
        return bool(v)
    if isinstance(v, (int, np.integer)):
        return int(v)
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return f if math.isfinite(f) else None
    return v


def recommend(context: Mapping[str, Any] | None = None, /, **options: Any) -> FeedbackResult:
    """Rank feedback mechanisms and pick an automation level for a product.

    Parameters
    ----------
    context : mapping, optional
        The product, as the page's JSON input (every key has a default; see
        :data:`DEFAULTS`). Keyword ``options`` override keys of ``context``.

    Returns
    -------
    FeedbackResult

    Examples
    --------
    >>> r = recommend(output_editable=True, cost_wrong=50, cost_ask=0.5, share_correct=0.9,
    ...               score_concentration=20, deferred_to="users")
    >>> r.ranking[0]["mechanism"], r.automation["level"], r.automation["threshold"]
    ('model_correction', 'suggest_confirm', 0.99)
    >>> recommend(output_editable=False, natural_next_step=True).ranking[0]["mechanism"]
    'direct_implicit'
    >>> recommend(cost_ask=-1)
    Traceback (most recent call last):
    ...
    calculators.errors.InputError: cost_ask: cost_ask (-1) must be between 0 and 1e+09
    """
    return from_input({**dict(context or {}), **options})


def parse(data: Any) -> dict[str, Any]:
    """Validate the JSON input (a product context); every problem at once."""
    return _parse(data, _knowledge())


def compute(ctx: dict[str, Any]) -> FeedbackResult:
    """Recommend for a context that :func:`parse` validated."""
    return _compute(ctx, _knowledge())


def from_input(data: Any) -> FeedbackResult:
    """Validate the JSON input (a product context), then compute the recommendation."""
    know = _knowledge()
    ctx = _parse(data, know)
    return _compute(ctx, know)


def _compute(ctx: dict[str, Any], know: Knowledge) -> FeedbackResult:
    labels, assumptions = _labels(ctx, know)
    ranking = _rank(ctx, know, labels)
    combination = _combine(ctx, know, ranking, labels)
    chosen = [know.mechanism(m) for m in combination["mechanisms"]]
    automation, curve_below, curve_cost = _automation(ctx, know)
    review = _review_load(ctx, know, automation, curve_below, curve_cost)
    worth = _worth_it(ctx, know, chosen)
    risks = [{"mechanism": m.id, "risk": rid, **know.risks[rid]} for m in chosen for rid in m.risks]
    if automation["level"] == "suggest_confirm" and not any(r["risk"] == "rubber_stamping" for r in risks) \
            and "rubber_stamping" in know.risks:
        risks.append({"mechanism": "automation", "risk": "rubber_stamping", **know.risks["rubber_stamping"]})
    spec = _spec(ctx, know, chosen, automation)
    refs = [{"text": CHOW_1970, "url": CHOW_URL},
            {"text": "PAIR, People + AI Guidebook: Feedback + Control", "url": next(iter(know.pair.values()))["url"]},
            {"text": "Microsoft, Guidelines for Human-AI Interaction (Amershi et al., CHI 2019)",
             "url": next(iter(know.hax.values()))["url"]}]
    return FeedbackResult(context=ctx, ranking=ranking, combination=combination, labels_per_week=labels,
                          assumptions=assumptions, worth_it=worth, automation=automation, review_load=review,
                          risks=risks, spec=spec, references=refs)


def _missing(m: Mechanism, ctx: dict[str, Any]) -> list[str]:
    have = {"editable_output": ctx["output_editable"], "next_step": ctx["natural_next_step"]}
    return [req for req in m.requires if not have[req]]


def _labels(ctx: dict[str, Any], know: Knowledge) -> tuple[dict[str, float], dict[str, Any]]:
    users, per_user = ctx["active_users"], ctx["interactions_per_user_per_week"]
    labels: dict[str, float] = {}
    rows: dict[str, Any] = {}
    for m in know.mechanisms:
        over = ctx["assumptions"].get(m.id, {})
        rr = over.get("response_rate", m.response_rate)
        use = over.get("usefulness", m.usefulness)
        missing = _missing(m, ctx)
        labels[m.id] = 0.0 if missing else float(users * per_user * rr * use)
        rows[m.id] = {"response_rate": rr, "usefulness": use,
                      "source": "your input" if over else "data file", "available": not missing}
    return labels, {"active_users": users, "interactions_per_user_per_week": per_user,
                    "formula": "active users x interactions per user per week x response rate x usefulness",
                    "mechanisms": rows}


_REQUIREMENT_TEXT = {
    "editable_output": "needs the output shown where the user works and editable there, which this product lacks",
    "next_step": "needs a natural next step to observe after each output, which this product lacks",
}


def _rank(ctx: dict[str, Any], know: Knowledge, labels: dict[str, float]) -> list[dict[str, Any]]:
    w, cx = know.weights, know.context
    tolerance, speed = ctx["effort_tolerance"], ctx["learning_speed"]
    tol = cx["effort_tolerance"][tolerance]
    vol_half = cx["volume_half"][speed]
    speed_half = cx["speed_half"][speed]
    penalty = cx["privacy_penalty"][ctx["privacy"]]
    total_w = sum(w[k] for k in SCORE_FACTORS)
    rows = []
    for m in know.mechanisms:
        lab = labels[m.id]
        f = {"signal": m.signal_value, "volume": lab / (lab + vol_half),
             "effort": 1.0 - max(0.0, m.effort - tol) / (1.0 - tol),
             "speed": speed_half / (speed_half + m.delay_days), "clean": 1.0 - m.noise}
        raw = sum(w[k] * f[k] for k in SCORE_FACTORS) / total_w
        missing = _missing(m, ctx)
        fit = m.interface_fit[ctx["interface"]]
        privacy_gate = 1.0 - m.privacy_sensitivity * penalty
        stakes_gate = 1.0 - w["high_stakes_noise"] * m.noise if ctx["high_stakes"] else 1.0
        gate = fit * privacy_gate * stakes_gate * w["missing_requirement"] ** len(missing)
        score = round(min(100.0, max(0.0, 100.0 * raw * gate)), 1)
        reasons = [f"training value {m.signal_value:.2f} of 1; " + (
            "no labels until the product offers what it needs" if missing else
            f"about {_count(lab)} usable labels a week")]
        if m.effort == 0:
            reasons.append("asks nothing of users beyond normal use")
        elif m.effort <= tol:
            reasons.append(f"asks little (effort {m.effort:.2f}), within what users tolerate ({tolerance})")
        else:
            reasons.append(f"asks more (effort {m.effort:.2f}) than users tolerate ({tolerance})")
        reasons.append("the signal arrives at once" if m.delay_days == 0 else
                       f"the signal takes about {m.delay_days:g} days; you want to learn within {speed}")
        reasons.append(f"noise {m.noise:.2f}: {m.bias[:1].lower()}{m.bias[1:].rstrip('.')}")
        reasons.extend(_REQUIREMENT_TEXT[req] for req in missing)
        if fit < 1:
            reasons.append(f"works less well through a {ctx['interface']} interface (fit {fit:.2f})")
        if privacy_gate < 0.9:
            reasons.append(f"carries personal data, which your privacy limits ({ctx['privacy']}) restrict")
        if ctx["high_stakes"] and m.noise >= 0.4:
            reasons.append("too noisy to lean on when mistakes are costly")
        rows.append({"mechanism": m.id, "name": m.name, "kind": m.kind, "score": score,
                     "factors": {k: round(v, 4) for k, v in f.items()}, "gate": round(gate, 4),
                     "reasons": reasons})
    rows.sort(key=lambda row: (-row["score"], MECHANISM_IDS.index(row["mechanism"])))
    for i, row in enumerate(rows, 1):
        row["rank"] = i
    return rows


def _count(x: float) -> str:
    if x >= 100:
        return f"{x:,.0f}"
    return f"{x:.1f}" if x >= 1 else ("0" if x == 0 else f"{x:.2f}")


def _combine(ctx: dict[str, Any], know: Knowledge, ranking: list[dict[str, Any]],
             labels: dict[str, float]) -> dict[str, Any]:
    usable = [r for r in ranking if not _missing(know.mechanism(r["mechanism"]), ctx)]
    implicit = next((r for r in usable if r["kind"] == "implicit" and r["score"] >= know.weights["implicit_floor"]),
                    None)
    trainer = next((r for r in usable if r["kind"] != "implicit"), None) or next(
        r for r in ranking if r["kind"] != "implicit")
    ids = [r["mechanism"] for r in (implicit, trainer) if r is not None]
    t = know.mechanism(trainer["mechanism"])
    why = []
    if implicit is not None:
        why.append(f"{implicit['name']} comes from everyone without asking anything (score {implicit['score']:g}), "
                   f"so it tracks how the model does for all users.")
    else:
        why.append("No implicit signal fits this product well enough to rely on; watch product metrics by model "
                   "version anyway.")
    why.append(f"{trainer['name']} gives the labels that train the model: about {_count(labels[t.id])} a week "
               f"at training value {t.signal_value:.2f} (score {trainer['score']:g}).")
    return {"implicit": implicit["mechanism"] if implicit else None, "trainer": trainer["mechanism"],
            "mechanisms": ids, "why": " ".join(why)}


def _automation(ctx: dict[str, Any], know: Knowledge) -> tuple[dict[str, Any], np.ndarray, np.ndarray]:
    """Recommended level, break-even threshold, costs; plus share asked and cost over ``_GRID``."""
    a = know.automation
    cw, ca, acc = ctx["cost_wrong"], ctx["cost_ask"], ctx["share_correct"]
    p_star = break_even_threshold(cw, ca)
    conf = _Confidence.of(acc, ctx["score_concentration"])
    below = conf.share_below(np.array([p_star]))[0]
    wrong = conf.wrong_above(np.array([p_star]))[0]
    auto_share = 1.0 - below
    can_suggest = ctx["deferred_to"] == "team" or ctx["output_editable"] or ctx["interface"] == "voice"
    costs = {
        "automatic": 1000 * cw * (1 - acc),
        "automatic_above_threshold": 1000 * (cw * wrong + ca * below),
        "suggest_confirm": 1000 * ca,
        "human_decides": 1000 * a["human_effort"] * ca,
    }
    reasons = [f"Break-even confidence p* = 1 - {ca:g}/{cw:g} = {p_star:.3f}" if cw > 0 and ca < cw else
               f"Asking ({ca:g}) costs at least as much as a wrong output ({cw:g}), so p* = 0: asking never pays."]
    if auto_share >= a["max_automated_share"]:
        if ctx["high_stakes"]:
            level = "automatic_above_threshold"
            reasons.append("Almost every output clears the threshold, but the stakes are high: keep a way to send "
                           "low-confidence cases to a person.")
        else:
            level = "automatic"
            reasons.append(f"{auto_share:.1%} of outputs clear the threshold, so acting on all of them costs "
                           "about the same and is simpler.")
    elif auto_share < a["min_automated_share"]:
        if can_suggest and acc >= a["min_accuracy_to_suggest"]:
            level = "suggest_confirm"
            reasons.append(f"Only {auto_share:.1%} of outputs clear the threshold: offer every output as a "
                           "suggestion a person confirms, and every confirmation becomes a label.")
        else:
            level = "human_decides"
            reasons.append(f"Only {auto_share:.1%} of outputs clear the threshold and "
                           + ("the model is right too rarely for its suggestions to help"
                              if acc < a["min_accuracy_to_suggest"] else "there is nowhere to show a suggestion")
                           + ": let a person decide and use the model to sort or pre-fill in the background.")
    else:
        level = "automatic_above_threshold"
        reasons.append(f"{auto_share:.1%} of outputs clear the threshold and are applied; the other "
                       f"{below:.1%} are asked about.")
    operating = {"automatic": 0.0, "automatic_above_threshold": p_star}.get(level, 1.0)
    op_below = float(conf.share_below(np.array([operating]))[0])
    op_wrong = float(conf.wrong_above(np.array([operating]))[0])
    curve_below = conf.share_below(_GRID)
    curve_cost = 1000 * (cw * conf.wrong_above(_GRID) + ca * curve_below)
    idx = slice(None, None, _CHART_STEP)
    curve = [{"threshold": round(float(t), 4), "cost_per_1000": float(c), "share_automated": float(1 - b)}
             for t, c, b in zip(_GRID[idx], curve_cost[idx], curve_below[idx])]
    rule = (f"Reject option (Chow, 1970): act automatically when the model's confidence is at least "
            f"{p_star:.3f}; below it, ask. With calibrated scores this minimises the expected cost per decision.")
    return {
        "level": level, "level_name": LEVEL_NAMES[level], "threshold": p_star,
        "operating_threshold": operating, "share_automated": float(1 - op_below),
        "share_asked": op_below,
        "error_rate_automated": op_wrong / (1 - op_below) if op_below < 1 else 0.0,
        "costs_per_1000": {k: float(v) for k, v in costs.items()},
        "cost_unit": ctx["cost_unit"], "cost_curve": curve,
        "break_even": {"threshold": p_star, "cost_per_1000": costs["automatic_above_threshold"]},
        "reasons": reasons, "rule": rule, "reference": CHOW_1970,
    }, curve_below, curve_cost


def _review_load(ctx: dict[str, Any], know: Knowledge, automation: dict[str, Any],
                 curve_below: np.ndarray, curve_cost: np.ndarray) -> dict[str, Any]:
    """Reviews per week at the recommended level against capacity (Chow's error-reject trade-off)."""
    volume = ctx["decisions_per_week"]
    share = automation["share_asked"] if automation["level"] != "human_decides" else 1.0
    reviews = volume * share
    if ctx["deferred_to"] == "team":
        capacity = ctx["reviewer_capacity_per_week"]
        per_user = None
    else:
        budget = know.context["asks_per_user_week"][ctx["effort_tolerance"]]
        capacity = budget * ctx["active_users"]
        per_user = ctx["interactions_per_user_per_week"] * share
    utilisation = reviews / capacity if capacity > 0 else (0.0 if reviews == 0 else None)
    fits = reviews <= capacity
    out: dict[str, Any] = {
        "deferred_to": ctx["deferred_to"], "decisions_per_week": volume, "share_asked": share,
        "reviews_per_week": reviews, "capacity_per_week": capacity, "utilisation": utilisation, "fits": fits,
        "asks_per_user_per_week": per_user,
        "rule": (f"Chow's reject option sends a decision to a person when confidence is below the threshold; "
                 f"the error-reject trade-off sets how many reviews that makes. ({CHOW_1970})"),
    }
    if not fits and volume > 0:
        ok = np.nonzero(volume * curve_below <= capacity)[0]
        i = int(ok[-1])  # share_below(0) == 0, so index 0 always fits
        out["threshold_that_fits"] = float(_GRID[i])
        out["cost_per_1000_at_fit"] = float(curve_cost[i])
        out["reviews_per_week_at_fit"] = float(volume * curve_below[i])
    return out


def _worth_it(ctx: dict[str, Any], know: Knowledge, chosen: list[Mechanism]) -> list[str]:
    out = [f"{m.name}: {m.worth_it}" for m in chosen]
    out.extend(know.worth_it["always"])
    if ctx["learning_speed"] == "months" or any(m.delay_days > know.context["speed_half"][ctx["learning_speed"]]
                                                 for m in chosen):
        out.append(know.worth_it["slow_learning"])
    return out


def _spec(ctx: dict[str, Any], know: Knowledge, chosen: list[Mechanism], automation: dict[str, Any]) -> str:
    lines = ["## Feedback and failure handling", "",
             f"Mechanisms: {', '.join(m.name for m in chosen)}.", "",
             f"Automation: {automation['level_name']} (`{automation['level']}`); break-even confidence "
             f"{automation['threshold']:.3f}. {automation['rule']}", "",
             "### Events to log", "", "| Event | When it fires | Fields |", "| --- | --- | --- |"]
    events = [e for m in chosen for e in m.events] + list(know.automation["events"])
    seen: set[str] = set()
    for e in events:
        if e["name"] in seen:
            continue
        seen.add(e["name"])
        lines.append(f"| `{e['name']}` | {_cell(e['when'])} | {_cell(', '.join(e['fields']))} |")
    lines += ["", "### Interface", ""]
    lines += [f"- {m.name}: {'; '.join(m.interface_needs)}" for m in chosen]
    lines += ["", "### Guidelines", ""]
    pair_ids = list(dict.fromkeys(g for m in chosen for g in m.pair))
    hax_ids = sorted(dict.fromkeys(g for m in chosen for g in m.hax), key=lambda g: int(g[1:]))
    lines += [f"- PAIR People + AI Guidebook, Feedback + Control: \"{know.pair[g]['name']}\" ({know.pair[g]['url']})"
              for g in pair_ids]
    lines += [f"- Microsoft Guidelines for Human-AI Interaction, {g} \"{know.hax[g]['name']}\" ({know.hax[g]['url']})"
              for g in hax_ids]
    lines += [f"- {CHOW_1970} ({CHOW_URL})", ""]
    return "\n".join(lines)


def _cell(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return text.replace("|", "\\|").replace("\n", " ")


# --------------------------------------------------------------------------- page


def form() -> list[forms.Field]:
    """The input form: usage, interface, costs & confidence, review capacity, assumptions."""
    d = {**DEFAULTS, **default_input()}
    know = _knowledge()
    return [
        forms.group("Usage", [
            forms.number("active_users", "Active users", default=d["active_users"], min=1, max=1e10, step=1,
                         unit="users", help="People who use the feature in a typical week."),
            forms.number("interactions_per_user_per_week", "Interactions per user", unit="per week",
                         default=d["interactions_per_user_per_week"], min=0, max=10_000,
                         help="Model outputs one user sees or triggers in a week."),
            forms.checkbox("natural_next_step", "There is a natural next step to observe",
                           default=d["natural_next_step"],
                           help="After an output the user clicks through, plays, completes a step or leaves."),
            forms.select("effort_tolerance", "Effort users tolerate",
                         [("low", "Low: one tap at most"), ("medium", "Medium: a few taps"),
                          ("high", "High: they will write or fix things")], default=d["effort_tolerance"]),
            forms.select("learning_speed", "How fast the product must learn",
                         [("days", "Days"), ("weeks", "Weeks"), ("months", "Months")], default=d["learning_speed"]),
        ]),
        forms.group("Interface", [
            forms.select("interface", "Interface", [("screen", "Screen"), ("voice", "Voice"), ("api", "API")],
                         default=d["interface"]),
            forms.checkbox("output_editable", "The output is visible and editable where the user works",
                           default=d["output_editable"]),
            forms.select("privacy", "Privacy limits",
                         [("none", "None"), ("some", "Some"), ("strict", "Strict (health, finance, children)")],
                         default=d["privacy"]),
        ]),
        forms.group("Costs & confidence", [
            forms.number("cost_wrong", "Cost of a wrong automatic output", default=d["cost_wrong"], min=0, max=1e9,
                         help="In any unit (minutes, money), the same as the cost of asking."),
            forms.number("cost_ask", "Cost of asking a person once", default=d["cost_ask"], min=0, max=1e9,
                         help="A confirmation or a review, in the same unit as a wrong output."),
            forms.text("cost_unit", "Cost unit", default=d["cost_unit"], max_length=20, optional=True),
            forms.checkbox("high_stakes", "High stakes (health, money, safety, legal)", default=d["high_stakes"]),
            forms.number("share_correct", "Share of predictions that are correct", default=d["share_correct"],
                         min=0.01, max=0.999, step=0.01,
                         help="The model's accuracy; scores are assumed calibrated (0.9 is right 9 times in 10)."),
            forms.number("score_concentration", "Score concentration", default=d["score_concentration"],
                         min=0.5, max=1000,
                         help="Low (2-5): many very sure and very unsure predictions. High (50+): most "
                              "predictions about as sure as the average."),
        ]),
        forms.group("Review capacity", [
            forms.radio("deferred_to", "Who handles the outputs the model does not act on",
                        [("users", "The users themselves"), ("team", "A review team")], default=d["deferred_to"],
                        optional=False),
            forms.number("decisions_per_week", "Decisions per week", default=None, min=0, max=1e12, optional=True,
                         help="Leave empty for active users x interactions per user."),
            forms.number("reviewer_capacity_per_week", "Reviews the team can do", unit="per week",
                         default=d["reviewer_capacity_per_week"], min=0, max=1e12),
        ]),
        forms.group("Assumptions (optional)", [
            forms.number(f"assumptions.{m.id}.{key}", f"{m.name}: {key.replace('_', ' ')}", default=None,
                         min=0, max=1, step=0.001, optional=True,
                         help=f"Data file value: {getattr(m, key):g}")
            for m in know.mechanisms for key in ("response_rate", "usefulness")
        ], open=False, help="Override the data file's response rate or usefulness for a mechanism."),
    ]


def _summary(result: FeedbackResult, pieces: list[str]) -> str:
    auto, review = result.automation, result.review_load
    p, level = auto["threshold"], auto["level"]
    collect = f"Collect {' and '.join(x[:1].lower() + x[1:] for x in pieces)} feedback. "
    if level == "automatic":
        act = (f"Act on every output: {auto['share_automated']:.0%} of them clear the break-even confidence "
               f"of {p:.3f}." if p > 0 else "Act on every output: asking costs at least as much as a wrong output.")
    elif level == "automatic_above_threshold":
        act = (f"Act automatically when the model's confidence is at least {p:.3f} "
               f"({auto['share_automated']:.0%} of outputs) and ask below it.")
    else:
        who = "suggest every output for a person to confirm" if level == "suggest_confirm" else \
            "let a person decide"
        act = f"Acting alone pays only above {p:.3f} confidence, which few outputs reach, so {who}."
    if review["reviews_per_week"] == 0:
        load = ""
    elif review["deferred_to"] == "users":
        load = (f" That asks each user about {review['asks_per_user_per_week']:.1f} times a week, "
                + ("within what they tolerate." if review["fits"] else "more than they tolerate."))
    else:
        load = (f" That makes {review['reviews_per_week']:,.0f} reviews a week for the team, "
                + ("within its capacity." if review["fits"] else "more than the capacity you gave."))
    return collect + act + load


def render(result: FeedbackResult) -> list[view.Block]:
    """The result as view blocks."""
    know = _knowledge()
    auto, review, comb = result.automation, result.review_load, result.combination
    unit = auto["cost_unit"]
    names = {r["mechanism"]: r["name"] for r in result.ranking}
    pieces = [names[m] for m in comb["mechanisms"]]
    blocks: list[view.Block] = [view.summary(_summary(result, pieces))]

    blocks.append(view.heading("Ranking"))
    blocks.append(view.table("Feedback mechanisms ranked for this product (score 0-100)",
                             ["Rank", "Mechanism", "Score"],
                             [[r["rank"], r["name"], f"{r['score']:.0f}"] for r in result.ranking]))
    blocks.append(view.paragraph(comb["why"]))
    scores = {r["mechanism"]: r["score"] for r in result.ranking}
    blocks.append(view.chart("feedback_map", {"mechanisms": [
        {"mechanism": m.id, "name": m.name, "signal_value": m.signal_value, "effort": m.effort,
         "score": scores[m.id], "group": "Recommended" if m.id in comb["mechanisms"] else "Other"}
        for m in know.mechanisms]},
        alt="Scatter plot of the six feedback mechanisms by effort asked of users (x) and training value (y); "
            f"recommended: {', '.join(pieces)}.", title="Training value against user effort"))
    blocks.append(view.heading("Why each score"))
    blocks.append(view.bullet_list([f"{r['name']} ({r['score']:.0f}): {'; '.join(r['reasons'])}."
                                    for r in result.ranking], ordered=True))

    blocks.append(view.heading("Labels per week"))
    a = result.assumptions
    blocks.append(view.table(
        "Usable labels per week (active users x interactions x response rate x usefulness)",
        ["Mechanism", "Response rate", "Usefulness", "Source", "Labels per week"],
        [[names[mid], f"{row['response_rate']:.1%}", f"{row['usefulness']:.0%}", row["source"],
          _count(result.labels_per_week[mid]) if row["available"] else "not available"]
         for mid, row in a["mechanisms"].items()]))
    blocks.append(view.paragraph(
        f"Assumes {a['active_users']:,} active users with {a['interactions_per_user_per_week']:g} interactions "
        "each per week. Response rates and usefulness come from the data file unless you override them."))

    blocks.append(view.heading("Automation"))
    blocks.append(view.notice(f"Recommended level: {auto['level_name']}."))
    blocks.append(view.metrics(
        ("Break-even confidence", f"{auto['threshold']:.3f}", "act alone above this"),
        ("Applied without asking", f"{auto['share_automated']:.1%}"),
        ("Error rate of applied outputs", f"{auto['error_rate_automated']:.1%}")))
    blocks.append(view.table(f"Expected cost per 1,000 decisions ({unit})", ["Level", "Cost", "Recommended"],
                             [[LEVEL_NAMES[k], f"{v:,.0f}", "yes" if k == auto["level"] else ""]
                              for k, v in auto["costs_per_1000"].items()]))
    blocks.append(view.chart("feedback_costs", {
        "curve": auto["cost_curve"],
        "breakeven": [{"threshold": auto["threshold"], "cost_per_1000": auto["break_even"]["cost_per_1000"],
                       "label": f"break-even {auto['threshold']:.2f}"}]},
        alt=f"Line chart of expected cost per 1,000 decisions against the confidence threshold; the minimum is at "
            f"the break-even threshold {auto['threshold']:.2f}.", title="Expected cost over the threshold"))
    blocks.append(view.bullet_list(auto["reasons"] + [auto["rule"]]))

    blocks.append(view.heading("Review load"))
    util = review["utilisation"]
    items: list[tuple[str, str] | tuple[str, str, str]] = [
        ("Reviews per week", f"{review['reviews_per_week']:,.0f}",
         "by users" if review["deferred_to"] == "users" else "by the review team"),
        ("Capacity per week", f"{review['capacity_per_week']:,.0f}"),
        ("Utilisation", "no capacity" if util is None else f"{util:.0%}")]
    if review["asks_per_user_per_week"] is not None:
        items.append(("Asks per user per week", f"{review['asks_per_user_per_week']:.1f}"))
    blocks.append(view.metrics(*items))
    if not review["fits"]:
        msg = f"The reviews exceed the capacity ({review['reviews_per_week']:,.0f} against " \
              f"{review['capacity_per_week']:,.0f} a week)."
        if "threshold_that_fits" in review:
            msg += (f" Lowering the threshold to {review['threshold_that_fits']:.3f} fits the capacity at an "
                    f"expected {review['cost_per_1000_at_fit']:,.0f} {unit} per 1,000 decisions; or add reviewers.")
        blocks.append(view.notice(msg, level="warning"))
    blocks.append(view.paragraph(review["rule"]))

    blocks.append(view.heading("Making feedback worth it"))
    blocks.append(view.bullet_list(result.worth_it))
    blocks.append(view.heading("Risks"))
    for r in result.risks:
        who = names.get(r["mechanism"], "Automation level")
        blocks.append(view.notice(f"{r['name']} ({who}): {r['text']} Mitigation: {r['mitigation']}",
                                  level="warning"))
    if result.context["high_stakes"]:
        blocks.append(view.notice("High stakes: log every automatic decision with its confidence and audit a sample "
                                  "each week, whatever level you choose.", level="warning"))
    blocks.append(view.download("Download logging spec (Markdown)", "feedback-spec.md", result.spec,
                                mime="text/markdown"))
    blocks.append(view.download("Download result (JSON)", "feedback-result.json",
                                json.dumps(result.to_dict(), indent=2, allow_nan=False)))
    return blocks
