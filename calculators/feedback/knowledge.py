"""What the picker believes, read from ``calculators/data/feedback.toml`` and validated.

The data file is read and parsed once per process through the shared cached loader
(:func:`calculators._data.load_toml`); :func:`load_knowledge` validates a TOML text
(a fork's edited file, a test's broken copy) with the same rules. The example products
are inputs: :mod:`.form` validates them with the page's own rules (:func:`.inputs.parse`).

The fixed vocabulary below (ids and option names) is not knowledge a fork would change:
it is the names the code and the data file agree on.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from .._data import Reader, load_toml

__all__ = ["Knowledge", "Mechanism", "knowledge", "load_knowledge", "mechanisms"]

DATA_NAME = "feedback.toml"
DATA_FILE = f"calculators/data/{DATA_NAME}"

MECHANISM_IDS = (
    "indirect_implicit",
    "direct_implicit",
    "binary_explicit",
    "categorical_explicit",
    "free_text",
    "model_correction",
)
KINDS = ("implicit", "explicit", "correction")
REQUIREMENTS = ("visible_output", "editable_output", "next_step")
INTERFACES = ("screen", "voice", "api")
TOLERANCES = ("low", "medium", "high")
SPEEDS = ("days", "weeks", "months")
PRIVACY = ("none", "some", "strict")
DEFERRED_TO = ("users", "team")
LEVELS = ("automatic", "automatic_above_threshold", "suggest_confirm", "human_decides")
SCORE_FACTORS = ("signal", "volume", "response", "effort", "speed", "clean")

LEVEL_NAMES = {
    "automatic": "Act automatically on every output",
    "automatic_above_threshold": "Act automatically above the threshold, ask below it",
    "suggest_confirm": "Suggest every output; a person confirms or corrects it",
    "human_decides": "A person decides; the model only assists in the background",
}

CHOW_1970 = (
    'C. K. Chow, "On optimum recognition error and reject tradeoff", '
    "IEEE Transactions on Information Theory 16(1), 41-46 (1970)"
)
CHOW_URL = "https://doi.org/10.1109/TIT.1970.1054406"

#: The lowest effort tolerance (the form's levels, [context] effort_tolerance) within which each
#: mechanism's effort must lie, and above the level before it: one tap (a thumbs up or down) is within
#: "one tap at most"; choosing a category needs "a few taps"; writing text and fixing the output as an
#: extra step need "they will write or fix things". What normal use asks is always within the lowest.
EFFORT_LEVEL = {
    "indirect_implicit": "low",
    "direct_implicit": "low",
    "binary_explicit": "low",
    "categorical_explicit": "medium",
    "free_text": "high",
    "model_correction": "high",
}

#: Input fields that take one of a fixed set of options.
CHOICES_OF: dict[str, tuple[str, ...]] = {
    "effort_tolerance": TOLERANCES,
    "learning_speed": SPEEDS,
    "interface": INTERFACES,
    "privacy": PRIVACY,
    "deferred_to": DEFERRED_TO,
}


@dataclass(frozen=True)
class Mechanism:
    """One feedback mechanism's traits, as read from the data file."""

    id: str
    name: str  # the lecture's term ("Direct implicit")
    plain: str  # the same in plain words ("Watch what users do next")
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
    #: effort and response rate when using the mechanism is part of normal use (corrections only)
    in_normal_use: Mapping[str, float] | None = None

    @property
    def label(self) -> str:
        """The name the page shows: plain words, the lecture's term beside them."""
        return f"{self.plain} ({self.name[:1].lower()}{self.name[1:]})"


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
    #: the usable share per interaction at which the response factor is 0 (``[context] response_floor``)
    response_floor: float = 1e-4

    def mechanism(self, mid: str) -> Mechanism:
        return next(m for m in self.mechanisms if m.id == mid)

    @property
    def names(self) -> dict[str, str]:
        """Mechanism id -> its name as the page shows it."""
        return {m.id: m.label for m in self.mechanisms}


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
    return from_table(r.parse(text), r)


def from_table(raw: Mapping[str, Any], r: Reader) -> Knowledge:
    """The knowledge in an already parsed data file (validated; errors name ``r.file``)."""
    weights, context, automation = _weights(r, raw), _context(r, raw), _automation(r, raw)
    risks = {
        rid: {k: r.text(rt, k, f"risk {rid!r}") for k in ("name", "text", "mitigation")}
        for rid, rt in _named_tables(r, raw, "risk").items()
    }
    pair = {gid: _guideline(r, gt, f"pair {gid!r}") for gid, gt in _named_tables(r, raw, "pair").items()}
    hax = {gid: _guideline(r, gt, f"hax {gid!r}") for gid, gt in _named_tables(r, raw, "hax").items()}
    for gid in hax:
        if not (gid.startswith("G") and gid[1:].isdigit() and 1 <= int(gid[1:]) <= 18):
            r.fail(f"hax {gid!r}", "Microsoft's guidelines are numbered G1 to G18")
    wt = r.table(raw, "worth_it", "worth_it")
    worth_it = {"always": r.texts(wt, "always", "worth_it"), "slow_learning": r.text(wt, "slow_learning", "worth_it")}
    know = Knowledge(
        mechanisms=(),
        weights=weights,
        context=context,
        automation=automation,
        risks=risks,
        pair=pair,
        hax=hax,
        worth_it=worth_it,
        examples=(),
        response_floor=r.number(r.table(raw, "context", "context"), "response_floor", "context", 1e-9, 0.5),
    )
    know = replace(know, mechanisms=_mechanisms(r, raw, know))
    return replace(know, examples=_examples(r, raw))


def _weights(r: Reader, raw: Mapping[str, Any]) -> dict[str, float]:
    wt = r.table(raw, "weights", "weights")
    weights = {
        k: r.number(wt, k, "weights", 0, 1) for k in (*SCORE_FACTORS, "missing_requirement", "high_stakes_noise")
    }
    weights["implicit_floor"] = r.number(wt, "implicit_floor", "weights", 0, 100)
    if sum(weights[k] for k in SCORE_FACTORS) <= 0:
        r.fail("weights", f"the factor weights ({', '.join(SCORE_FACTORS)}) sum to zero")
    return weights


def _context(r: Reader, raw: Mapping[str, Any]) -> dict[str, dict[str, float]]:
    ct = r.table(raw, "context", "context")
    tolerance = r.levels(ct, "effort_tolerance", "context", TOLERANCES, 0, 0.99)
    if any(tolerance[a] >= tolerance[b] for a, b in itertools.pairwise(TOLERANCES)):
        r.fail("context.effort_tolerance", f"levels must rise from {' to '.join(TOLERANCES)}")
    return {
        "effort_tolerance": tolerance,
        "volume_half": r.levels(ct, "volume_half", "context", SPEEDS, 1e-9),
        "speed_half": r.levels(ct, "speed_half", "context", SPEEDS, 1e-9),
        "privacy_penalty": r.levels(ct, "privacy_penalty", "context", PRIVACY, 0, 1),
        "asks_per_user_week": r.levels(ct, "asks_per_user_week", "context", TOLERANCES, 0),
    }


def _automation(r: Reader, raw: Mapping[str, Any]) -> dict[str, Any]:
    at = r.table(raw, "automation", "automation")
    out: dict[str, Any] = {
        "human_effort": r.number(at, "human_effort", "automation", 1, 100),
        "min_automated_share": r.number(at, "min_automated_share", "automation", 0, 1),
        "max_automated_share": r.number(at, "max_automated_share", "automation", 0, 1),
        "min_accuracy_to_suggest": r.number(at, "min_accuracy_to_suggest", "automation", 0, 1),
    }
    if out["min_automated_share"] >= out["max_automated_share"]:
        r.fail("automation", "min_automated_share must be below max_automated_share")
    out["events"] = _events(r, at, "automation")
    return out


def _mechanisms(r: Reader, raw: Mapping[str, Any], know: Knowledge) -> tuple[Mechanism, ...]:
    mlist = raw.get("mechanism")
    if not isinstance(mlist, list) or not mlist:
        r.fail("mechanism", "needs a [[mechanism]] entry for each of " + ", ".join(MECHANISM_IDS))
    mechs: dict[str, Mechanism] = {}
    for i, mt in enumerate(mlist):
        if not isinstance(mt, dict):
            r.fail(f"mechanism {i + 1}", "must be a table")
        m = _mechanism(r, mt, f"mechanism {i + 1}", know)
        if m.id in mechs:
            r.fail(f"mechanism {m.id!r}", "id is used twice")
        mechs[m.id] = m
    missing = [m for m in MECHANISM_IDS if m not in mechs]
    if missing:
        r.fail("mechanism", f"no entry for {', '.join(missing)}")
    for m in mechs.values():
        _check_effort(r, m, know.context["effort_tolerance"])
    return tuple(mechs[m] for m in MECHANISM_IDS)


def _mechanism(r: Reader, mt: dict[str, Any], entry: str, know: Knowledge) -> Mechanism:
    mid = r.text(mt, "id", entry)
    entry = f"mechanism {mid!r}"
    if mid not in MECHANISM_IDS:
        r.fail(entry, f"unknown id; expected one of {', '.join(MECHANISM_IDS)}")
    kind = r.text(mt, "kind", entry)
    if kind not in KINDS:
        r.fail(entry, f"kind {kind!r} must be one of {', '.join(KINDS)}")
    requires = r.texts(mt, "requires", entry, allowed=REQUIREMENTS)
    if kind != "implicit" and "visible_output" not in requires:
        r.fail(entry, f"a {kind} mechanism asks about the output, so 'requires' must list \"visible_output\"")
    in_use = None
    if "in_normal_use" in mt:
        if kind != "correction":
            r.fail(entry, "only a correction can be part of normal use ('in_normal_use')")
        in_use = r.levels(mt, "in_normal_use", entry, ("effort", "response_rate"), 0, 1)
    return Mechanism(
        id=mid,
        name=r.text(mt, "name", entry),
        plain=r.text(mt, "plain", entry),
        kind=kind,
        summary=r.text(mt, "summary", entry),
        signal_value=r.number(mt, "signal_value", entry, 0, 1),
        effort=r.number(mt, "effort", entry, 0, 1),
        delay_days=r.number(mt, "delay_days", entry, 0, 3650),
        noise=r.number(mt, "noise", entry, 0, 1),
        bias=r.text(mt, "bias", entry),
        interface_needs=r.texts(mt, "interface_needs", entry, empty=False),
        requires=requires,
        interface_fit=r.levels(mt, "interface_fit", entry, INTERFACES, 0, 1),
        privacy_sensitivity=r.number(mt, "privacy_sensitivity", entry, 0, 1),
        response_rate=r.number(mt, "response_rate", entry, 0, 1),
        usefulness=r.number(mt, "usefulness", entry, 0, 1),
        risks=r.texts(mt, "risks", entry, allowed=know.risks),
        worth_it=r.text(mt, "worth_it", entry),
        pair=r.texts(mt, "pair", entry, allowed=know.pair, empty=False),
        hax=r.texts(mt, "hax", entry, allowed=know.hax, empty=False),
        events=_events(r, mt, entry),
        in_normal_use=in_use,
    )


def _check_effort(r: Reader, m: Mechanism, tol: Mapping[str, float]) -> None:
    """``m``'s effort lies within its level of the tolerance scale and above the level before
    (:data:`EFFORT_LEVEL`); what it asks in normal use lies within the lowest level."""
    entry, level = f"mechanism {m.id!r}", EFFORT_LEVEL[m.id]
    i = TOLERANCES.index(level)
    if m.effort > tol[level]:
        r.fail(entry, f"effort {m.effort:g} is above the {level!r} effort tolerance ({tol[level]:g}) it must be within")
    if i and m.effort <= tol[TOLERANCES[i - 1]]:
        before = TOLERANCES[i - 1]
        r.fail(entry, f"effort {m.effort:g} must be above the {before!r} effort tolerance ({tol[before]:g})")
    if m.in_normal_use is not None and m.in_normal_use["effort"] > tol[TOLERANCES[0]]:
        lowest = tol[TOLERANCES[0]]
        r.fail(entry, f"in_normal_use effort {m.in_normal_use['effort']:g} is above the lowest tolerance ({lowest:g})")


def _examples(r: Reader, raw: Mapping[str, Any]) -> tuple[dict[str, Any], ...]:
    """The example products as written (ids unique); :mod:`.form` checks each input with the page's rules."""
    elist = raw.get("example")
    if not isinstance(elist, list) or not elist:
        r.fail("example", "needs at least one [[example]] (the first is the page's default)")
    out: list[dict[str, Any]] = []
    for i, et in enumerate(elist):
        eid = r.text(et, "id", f"example {i + 1}")
        entry = f"example {eid!r}"
        if any(e["id"] == eid for e in out):
            r.fail(entry, "id is used twice")
        inp = r.table(et, "input", entry)
        out.append({"id": eid, "label": r.text(et, "label", entry), "input": inp})
    return tuple(out)


def _named_tables(r: Reader, raw: Mapping[str, Any], key: str) -> dict[str, dict[str, Any]]:
    t = r.table(raw, key, key)
    if not t:
        r.fail(key, "needs at least one entry")
    for k, v in t.items():
        if not isinstance(v, dict):
            r.fail(f"{key} {k!r}", "must be a table")
    return t


def _guideline(r: Reader, t: dict[str, Any], entry: str) -> dict[str, str]:
    out = {"name": r.text(t, "name", entry), "url": r.text(t, "url", entry)}
    if not out["url"].startswith("https://"):
        r.fail(entry, f"url {out['url']!r} must start with https://")
    return out


def _events(r: Reader, t: dict[str, Any], entry: str) -> tuple[dict[str, Any], ...]:
    ev = t.get("event")
    if not isinstance(ev, list) or not ev:
        r.fail(entry, "needs at least one [[...event]] (name, when, fields)")
    out = []
    for j, e in enumerate(ev):
        where = f"{entry} event {j + 1}"
        out.append(
            {
                "name": r.text(e, "name", where),
                "when": r.text(e, "when", where),
                "fields": list(r.texts(e, "fields", where, empty=False)),
            }
        )
    return tuple(out)


@functools.cache
def knowledge() -> Knowledge:
    """The shipped data file's knowledge, read and validated once per process."""
    return from_table(load_toml(DATA_NAME), Reader(DATA_FILE))


def mechanisms() -> list[dict[str, Any]]:
    """The six mechanisms with their headline traits (used by the design chapter's chart).

    Examples
    --------
    >>> [m["id"] for m in mechanisms()] == list(MECHANISM_IDS)
    True
    >>> sorted(mechanisms()[0])
    ['effort', 'id', 'kind', 'name', 'signal_value']
    """
    return [
        {"id": m.id, "name": m.name, "kind": m.kind, "signal_value": m.signal_value, "effort": m.effort}
        for m in knowledge().mechanisms
    ]
