"""The archetype-fit knowledge: ``calculators/data/archetypes.toml``, validated.

The shipped file comes through the one cached loader (:func:`calculators._data.load_toml`);
a text passed to :func:`load_knowledge` (a fork's draft, a test's edit) goes through the
same validation. Every problem raises :class:`~calculators.errors.DataFileError` naming
the file, the entry and the problem.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from .._data import Reader, load_toml
from .._links import check_href

Array = npt.NDArray[Any]  #: the scoring arrays (float, or int for indices)

DATA_NAME = "archetypes.toml"
DATA_FILE = f"calculators/data/{DATA_NAME}"

#: The limits the data file's FORMAT comments state, enforced here (a test reads both).
QUESTIONS = (2, 30)  #: questions in the questionnaire
ANSWERS = (2, 6)  #: answers per question


@dataclass(frozen=True)
class Dimension:
    id: str
    name: str
    low: str
    high: str
    weight: float


@dataclass(frozen=True)
class Answer:
    id: str
    text: str
    at: tuple[tuple[str, float], ...]


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    help: str
    weight: float
    answers: tuple[Answer, ...]

    def answer(self, answer_id: str) -> Answer:
        return next(a for a in self.answers if a.id == answer_id)


@dataclass(frozen=True)
class DesignChoice:
    id: str
    name: str
    low: str
    high: str
    dimension: str


@dataclass(frozen=True)
class Choice:
    position: float
    rationale: str


@dataclass(frozen=True)
class Archetype:
    id: str
    name: str
    summary: str
    strengths: tuple[str, ...]
    problems: tuple[str, ...]
    profile: tuple[tuple[str, float], ...]
    design: tuple[tuple[str, Choice], ...]
    hiring: str
    roles: tuple[str, ...]
    links: tuple[tuple[str, str], ...]
    defining: tuple[str, ...]  #: dimensions whose profile position defines the archetype


@dataclass(frozen=True)
class Rule:
    id: str
    when: tuple[tuple[str, tuple[str, ...]], ...]
    top: str | None
    message: str


@dataclass(frozen=True)
class Example:
    id: str
    label: str
    answers: tuple[tuple[str, str], ...]
    target: str | None


@dataclass(frozen=True)
class Knowledge:
    """The validated content of ``archetypes.toml`` plus the scoring arrays."""

    between_margin: float
    explain_top: int
    target_steps: int
    defining_weight: float
    dimensions: tuple[Dimension, ...]
    design_choices: tuple[DesignChoice, ...]
    archetypes: tuple[Archetype, ...]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    examples: tuple[Example, ...]
    # Scoring arrays (derived, not compared): G answers overall, D dimensions, K archetypes.
    pos: Array = field(compare=False, repr=False)  # (G, D) positions, 0 where silent
    wm: Array = field(compare=False, repr=False)  # (G, D) question weight where informed, else 0
    qof: Array = field(compare=False, repr=False)  # (G,) question index of each answer
    qweight: Array = field(compare=False, repr=False)  # (G,) weight of each answer's question
    profile: Array = field(compare=False, repr=False)  # (K, D)
    dim_weight: Array = field(compare=False, repr=False)  # (D,)
    weight: Array = field(compare=False, repr=False)  # (K, D) dimension weight in each archetype's fit
    gid: dict[tuple[str, str], int] = field(compare=False, repr=False)

    def question(self, qid: str) -> Question:
        return next(q for q in self.questions if q.id == qid)

    def archetype(self, aid: str) -> Archetype:
        return next(a for a in self.archetypes if a.id == aid)


def load_knowledge(text: str | None = None, *, file: str = DATA_FILE) -> Knowledge:
    """Parse and validate the knowledge file (``text``; default: the shipped file).

    Raises :class:`~calculators.errors.DataFileError` naming ``file``, the entry
    (``question 'reporting', answer 'cto'``) and the problem.

    Examples
    --------
    >>> k = load_knowledge()
    >>> load_knowledge() is k  # the shipped file is read and validated once
    True
    >>> load_knowledge('[scoring]\\nbetween_margin = -1')  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    calculators.errors.DataFileError: calculators/data/archetypes.toml: [scoring]: 'between_margin' (-1) must be ...
    """
    if text is None:
        return _shipped()
    ck = Reader(file)
    return _build(ck, ck.parse(text))


@functools.cache
def _shipped() -> Knowledge:
    return _build(Reader(DATA_FILE), load_toml(DATA_NAME))


def _build(ck: Reader, data: dict[str, Any]) -> Knowledge:
    top = ("scoring", "dimension", "design_choice", "archetype", "question", "contradiction", "example")
    ck.unknown_keys(data, top, "top level")
    scoring = _scoring(ck, data)
    dims = _dimensions(ck, data)
    dim_ids = [d.id for d in dims]
    choices = _design_choices(ck, data, dim_ids)
    archetypes = _archetypes(ck, data, dim_ids, [c.id for c in choices])
    questions = _questions(ck, data, dim_ids)
    arch_ids = [a.id for a in archetypes]
    rules = _rules(ck, data, questions, arch_ids)
    examples = _examples(ck, data, questions, arch_ids)
    arrays = _arrays(dims, archetypes, questions, scoring[3])
    return Knowledge(*scoring, dims, choices, archetypes, questions, rules, examples, **arrays)


def _arrays(
    dims: Sequence[Dimension], archetypes: Sequence[Archetype], questions: Sequence[Question], defining_weight: float
) -> dict[str, Any]:
    """The scoring arrays of :class:`Knowledge` (G answers overall, D dimensions, K archetypes)."""
    dim_ids = [d.id for d in dims]
    flat = [(qi, a) for qi, q in enumerate(questions) for a in q.answers]
    pos = np.zeros((len(flat), len(dims)))
    wm = np.zeros((len(flat), len(dims)))
    for g, (qi, a) in enumerate(flat):
        for d, v in a.at:
            pos[g, dim_ids.index(d)] = v
            wm[g, dim_ids.index(d)] = questions[qi].weight
    dim_weight = np.array([d.weight for d in dims])
    defining = np.array([[d in a.defining for d in dim_ids] for a in archetypes])
    return {
        "pos": pos,
        "wm": wm,
        "qof": np.array([qi for qi, _ in flat]),
        "qweight": np.array([questions[qi].weight for qi, _ in flat]),
        "profile": np.array([[dict(a.profile)[d] for d in dim_ids] for a in archetypes]),
        "dim_weight": dim_weight,
        "weight": dim_weight * np.where(defining, defining_weight, 1.0),
        "gid": {(questions[qi].id, a.id): g for g, (qi, a) in enumerate(flat)},
    }


def _scoring(ck: Reader, data: dict[str, Any]) -> tuple[float, int, int, float]:
    scoring = data.get("scoring")
    if not isinstance(scoring, dict):
        ck.fail("[scoring]", "missing table")
    ck.unknown_keys(scoring, ("between_margin", "explain_top", "target_steps", "defining_weight"), "[scoring]")
    between_margin = ck.number(scoring, "between_margin", "[scoring]", lo=0, hi=100)
    explain_top = ck.number(scoring, "explain_top", "[scoring]", lo=1, hi=10)
    target_steps = ck.number(scoring, "target_steps", "[scoring]", lo=1, hi=10)
    if explain_top != int(explain_top) or target_steps != int(target_steps):
        ck.fail("[scoring]", "'explain_top' and 'target_steps' must be whole numbers")
    defining_weight = ck.number(scoring, "defining_weight", "[scoring]", lo=1, hi=20)
    return between_margin, int(explain_top), int(target_steps), defining_weight


def _dimensions(ck: Reader, data: dict[str, Any]) -> tuple[Dimension, ...]:
    dims: list[Dimension] = []
    seen: set[str] = set()
    for i, raw in enumerate(ck.entries(data, "dimension", minimum=2)):
        did = ck.ident(raw, f"dimension {i + 1}", seen)
        entry = f"dimension {did!r}"
        ck.unknown_keys(raw, ("id", "name", "low", "high", "weight"), entry)
        dims.append(
            Dimension(
                did,
                ck.get(raw, "name", str, entry),
                ck.get(raw, "low", str, entry),
                ck.get(raw, "high", str, entry),
                ck.number(raw, "weight", entry, lo=0, open_lo=True),
            )
        )
    return tuple(dims)


def _positions(
    ck: Reader, dim_ids: Sequence[str], table: Any, entry: str, *, complete: bool
) -> tuple[tuple[str, float], ...]:
    """``{dimension id = position}``: known dimensions, each 0 to 1 (all of them with ``complete``)."""
    if not isinstance(table, dict) or not table:
        ck.fail(entry, "must be a non-empty table of dimension = position")
    for key in table:
        if key not in dim_ids:
            ck.fail(entry, f"unknown dimension {key!r}; expected one of {', '.join(dim_ids)}")
    if complete:
        missing = [d for d in dim_ids if d not in table]
        if missing:
            ck.fail(entry, f"no position for dimension(s) {', '.join(missing)}")
    return tuple((d, ck.number(table, d, f"{entry}, dimension {d!r}", lo=0, hi=1)) for d in dim_ids if d in table)


def _design_choices(ck: Reader, data: dict[str, Any], dim_ids: Sequence[str]) -> tuple[DesignChoice, ...]:
    choices: list[DesignChoice] = []
    seen: set[str] = set()
    for i, raw in enumerate(ck.entries(data, "design_choice")):
        cid = ck.ident(raw, f"design_choice {i + 1}", seen)
        entry = f"design_choice {cid!r}"
        ck.unknown_keys(raw, ("id", "name", "low", "high", "dimension"), entry)
        dim = ck.get(raw, "dimension", str, entry)
        if dim not in dim_ids:
            ck.fail(entry, f"unknown dimension {dim!r}; expected one of {', '.join(dim_ids)}")
        choices.append(
            DesignChoice(
                cid,
                ck.get(raw, "name", str, entry),
                ck.get(raw, "low", str, entry),
                ck.get(raw, "high", str, entry),
                dim,
            )
        )
    return tuple(choices)


def _squash(text: str) -> str:
    return " ".join(text.split())


def _archetypes(
    ck: Reader, data: dict[str, Any], dim_ids: Sequence[str], choice_ids: Sequence[str]
) -> tuple[Archetype, ...]:
    out: list[Archetype] = []
    seen: set[str] = set()
    keys = (
        "id",
        "name",
        "summary",
        "strengths",
        "problems",
        "profile",
        "defining",
        "hiring",
        "roles",
        "links",
        "design",
    )
    for i, raw in enumerate(ck.entries(data, "archetype", minimum=2)):
        aid = ck.ident(raw, f"archetype {i + 1}", seen)
        entry = f"archetype {aid!r}"
        ck.unknown_keys(raw, keys, entry)
        if "profile" not in raw:
            ck.fail(entry, "has no profile (missing key 'profile')")
        out.append(
            Archetype(
                aid,
                ck.get(raw, "name", str, entry),
                _squash(ck.get(raw, "summary", str, entry)),
                ck.texts(raw, "strengths", entry, empty=False),
                ck.texts(raw, "problems", entry, empty=False),
                _positions(ck, dim_ids, raw["profile"], f"{entry}, profile", complete=True),
                _design(ck, raw, entry, choice_ids),
                _squash(ck.get(raw, "hiring", str, entry)),
                ck.texts(raw, "roles", entry, empty=False),
                _links(ck, raw, entry),
                ck.texts(raw, "defining", entry, allowed=dim_ids, empty=False),
            )
        )
    return tuple(out)


def _design(ck: Reader, raw: Any, entry: str, choice_ids: Sequence[str]) -> tuple[tuple[str, Choice], ...]:
    design_raw = ck.get(raw, "design", dict, entry)
    for key in design_raw:
        if key not in choice_ids:
            ck.fail(f"{entry}, design", f"unknown design choice {key!r}; expected one of {', '.join(choice_ids)}")
    out = []
    for cid in choice_ids:
        sub = f"{entry}, design {cid!r}"
        if cid not in design_raw:
            ck.fail(f"{entry}, design", f"no entry for design choice {cid!r}")
        ck.unknown_keys(design_raw[cid], ("position", "rationale"), sub)
        choice = Choice(
            ck.number(design_raw[cid], "position", sub, lo=0, hi=1),
            _squash(ck.get(design_raw[cid], "rationale", str, sub)),
        )
        out.append((cid, choice))
    return tuple(out)


def _links(ck: Reader, raw: Any, entry: str) -> tuple[tuple[str, str], ...]:
    out = []
    for j, link in enumerate(ck.get(raw, "links", list, entry)):
        sub = f"{entry}, link {j + 1}"
        text, href = ck.get(link, "text", str, sub), ck.get(link, "href", str, sub)
        try:
            check_href(href)
        except ValueError as exc:
            ck.fail(sub, str(exc))
        out.append((text, href))
    return tuple(out)


def _questions(ck: Reader, data: dict[str, Any], dim_ids: Sequence[str]) -> tuple[Question, ...]:
    out: list[Question] = []
    seen: set[str] = set()
    raws = ck.entries(data, "question", minimum=QUESTIONS[0])
    if len(raws) > QUESTIONS[1]:
        ck.fail("[[question]]", f"needs {QUESTIONS[0]} to {QUESTIONS[1]} questions, found {len(raws)}")
    for i, raw in enumerate(raws):
        qid = ck.ident(raw, f"question {i + 1}", seen)
        entry = f"question {qid!r}"
        ck.unknown_keys(raw, ("id", "text", "help", "weight", "answer"), entry)
        help_ = raw.get("help", "")
        if not isinstance(help_, str):
            ck.fail(entry, f"'help' must be text, not {type(help_).__name__}")
        answers_raw = ck.get(raw, "answer", list, entry)
        if not ANSWERS[0] <= len(answers_raw) <= ANSWERS[1]:
            ck.fail(entry, f"needs {ANSWERS[0]} to {ANSWERS[1]} answers, found {len(answers_raw)}")
        answers: list[Answer] = []
        seen_a: set[str] = set()
        for j, araw in enumerate(answers_raw):
            aid = ck.ident(araw, f"{entry}, answer {j + 1}", seen_a)
            sub = f"{entry}, answer {aid!r}"
            ck.unknown_keys(araw, ("id", "text", "at"), sub)
            if "at" not in araw:
                ck.fail(sub, "missing key 'at'")
            at = _positions(ck, dim_ids, araw["at"], f"{sub}, at", complete=False)
            answers.append(Answer(aid, ck.get(araw, "text", str, sub), at))
        if len({a.at for a in answers}) < 2:
            ck.fail(entry, "all answers sit at the same positions, so the question has no effect")
        weight = ck.number(raw, "weight", entry, lo=0, open_lo=True)
        out.append(Question(qid, ck.get(raw, "text", str, entry), help_.strip(), weight, tuple(answers)))
    return tuple(out)


def _answer_ref(ck: Reader, questions: Sequence[Question], ref: Any, entry: str) -> tuple[str, tuple[str, ...]]:
    """``"question.answer"`` or ``"question.a|b"``, checked against the questions."""
    if not isinstance(ref, str) or "." not in ref:
        ck.fail(entry, f"{ref!r} must look like 'question.answer'")
    qid, alts = ref.split(".", 1)
    q = next((q for q in questions if q.id == qid), None)
    if q is None:
        ck.fail(entry, f"unknown question {qid!r}")
    ids = tuple(a.strip() for a in alts.split("|"))
    for a in ids:
        if a not in {x.id for x in q.answers}:
            ck.fail(entry, f"question {qid!r} has no answer {a!r}")
    return qid, ids


def _rules(
    ck: Reader, data: dict[str, Any], questions: Sequence[Question], arch_ids: Sequence[str]
) -> tuple[Rule, ...]:
    out: list[Rule] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("contradiction", [])):
        rid = ck.ident(raw, f"contradiction {i + 1}", seen)
        entry = f"contradiction {rid!r}"
        ck.unknown_keys(raw, ("id", "answers", "top", "message"), entry)
        refs = ck.get(raw, "answers", list, entry)
        if not refs:
            ck.fail(entry, "'answers' is empty")
        when = tuple(_answer_ref(ck, questions, r, entry) for r in refs)
        top = raw.get("top")
        if top is not None and top not in arch_ids:
            ck.fail(entry, f"unknown archetype {top!r} in 'top'; expected one of {', '.join(arch_ids)}")
        out.append(Rule(rid, when, top, _squash(ck.get(raw, "message", str, entry))))
    return tuple(out)


def _examples(
    ck: Reader, data: dict[str, Any], questions: Sequence[Question], arch_ids: Sequence[str]
) -> tuple[Example, ...]:
    out: list[Example] = []
    seen: set[str] = set()
    for i, raw in enumerate(ck.entries(data, "example")):
        eid = ck.ident(raw, f"example {i + 1}", seen)
        entry = f"example {eid!r}"
        ck.unknown_keys(raw, ("id", "label", "answers", "target"), entry)
        ans = ck.get(raw, "answers", dict, entry)
        for qid, aid in ans.items():
            _answer_ref(ck, questions, f"{qid}.{aid}" if isinstance(aid, str) else aid, f"{entry}, answer {qid!r}")
        missing = [q.id for q in questions if q.id not in ans]
        if missing:
            ck.fail(
                entry, f"does not answer question(s) {', '.join(map(repr, missing))}; an example answers every question"
            )
        target = raw.get("target")
        if target is not None and target not in arch_ids:
            ck.fail(entry, f"unknown archetype {target!r} in 'target'")
        out.append(Example(eid, ck.get(raw, "label", str, entry), tuple(ans.items()), target))
    return tuple(out)
