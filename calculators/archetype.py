"""Archetype fit: which of five ML organisation archetypes a company resembles.

A short questionnaire locates the organisation on a few dimensions (ML maturity,
research orientation, closeness to product, centralisation, leadership backing,
data and model ownership, software at the core). Each archetype has a profile on
the same dimensions; the closer the answers sit to a profile, the higher its fit.
Questions, answers, profiles, design choices and contradiction rules all live in
``calculators/data/archetypes.toml`` so that a fork can change them.

Scoring
-------
Every answer places the organisation at a position from 0 to 1 on some of the
dimensions. The respondent's position on dimension *d* is the weighted mean of
the answered questions' positions (question weights). The fit of archetype *k*
is ``100 * (1 - sum_d v_d |x_d - p_kd|)`` where ``x_d`` is the respondent's
position, ``p_kd`` the archetype's profile and ``v_d`` the dimension weights
normalised over the dimensions that the answers inform. 100 means the answers
sit exactly on the profile; 0 means the opposite end of every scale.

Because ``|x_d - p_kd|`` equals ``sign(x_d - p_kd) * sum_q a_qd (pos_qd - p_kd)``
(``a_qd`` the share of answer *q* in the mean), the fit splits exactly into one
term per answer: ``fit = 50 + sum_q points_q`` with
``points_q = 100 * sum_d v_d a_qd (1/2 - sign(x_d - p_kd) (pos_qd - p_kd))``.
The baseline 50 is the fit of a respondent half a scale away from the profile on
every dimension; a positive term pulls the answers towards the profile, a
negative one pushes them away.

With several respondents, the group's position on a dimension is the plain mean
of the respondents' positions (over those whose answers inform it); that is
still a weighted mean of all the answers, so the same split holds, with the
points summed per distinct answer.
"""

from __future__ import annotations

import functools
import json
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import numpy as np

from . import _inputs, forms, share, view
from ._data import Reader
from .errors import Collector, DataFileError, InputError

TITLE = "Archetype fit"
NAME = "archetype"
DESCRIPTION = "Score questionnaire answers against the ML organisation archetypes."
CHARTS_MODULE = "calculators.charts.archetype"
DATA_FILE = "calculators/data/archetypes.toml"
BASELINE = 50.0  #: fit points every explanation starts from (see the module docstring)
MAX_RESPONDENTS = 100
MAX_MERGE_CHARS = 500_000
_ROLE_LINKS = (("Organisation archetypes", "chapters/organisations/"),
               ("Roles on an ML team and their skills", "chapters/roles/"),
               ("Hiring: sourcing and interviewing", "chapters/hiring/"))


# --------------------------------------------------------------------------- knowledge

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
    dimensions: tuple[Dimension, ...]
    design_choices: tuple[DesignChoice, ...]
    archetypes: tuple[Archetype, ...]
    questions: tuple[Question, ...]
    rules: tuple[Rule, ...]
    examples: tuple[Example, ...]
    # Scoring arrays (derived, not compared): G answers overall, D dimensions, K archetypes.
    pos: np.ndarray = field(compare=False, repr=False)  # (G, D) positions, 0 where silent
    wm: np.ndarray = field(compare=False, repr=False)  # (G, D) question weight where informed, else 0
    qof: np.ndarray = field(compare=False, repr=False)  # (G,) question index of each answer
    profile: np.ndarray = field(compare=False, repr=False)  # (K, D)
    dim_weight: np.ndarray = field(compare=False, repr=False)  # (D,)
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
    >>> [a.id for a in k.archetypes]
    ['nascent', 'rnd', 'embedded', 'independent', 'ml_first']
    >>> load_knowledge('[scoring]\\nbetween_margin = -1')
    Traceback (most recent call last):
    ...
    calculators.errors.DataFileError: calculators/data/archetypes.toml: [scoring]: 'between_margin' (-1) must be between 0 and 100
    """
    if text is None:
        return _shipped()
    return _parse(text, file)


@functools.lru_cache(maxsize=1)
def _shipped() -> Knowledge:
    ref = resources.files("calculators") / "data" / "archetypes.toml"
    try:
        raw = ref.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(DATA_FILE, "", "file not found") from None
    return _parse(raw, DATA_FILE)


def _parse(text: str, file: str) -> Knowledge:
    ck = Reader(file)
    data = ck.parse(text)
    ck.unknown_keys(data, ("scoring", "dimension", "design_choice", "archetype", "question", "contradiction",
                           "example"), "top level")

    scoring = data.get("scoring")
    if not isinstance(scoring, dict):
        ck.fail("[scoring]", "missing table")
    ck.unknown_keys(scoring, ("between_margin", "explain_top", "target_steps"), "[scoring]")
    between_margin = ck.number(scoring, "between_margin", "[scoring]", lo=0, hi=100)
    explain_top = ck.number(scoring, "explain_top", "[scoring]", lo=1, hi=10)
    target_steps = ck.number(scoring, "target_steps", "[scoring]", lo=1, hi=10)
    if explain_top != int(explain_top) or target_steps != int(target_steps):
        ck.fail("[scoring]", "'explain_top' and 'target_steps' must be whole numbers")

    dims: list[Dimension] = []
    seen: set[str] = set()
    for i, raw in enumerate(ck.entries(data, "dimension", minimum=2)):
        entry = f"dimension {i + 1}"
        did = ck.ident(raw, entry, seen)
        entry = f"dimension {did!r}"
        ck.unknown_keys(raw, ("id", "name", "low", "high", "weight"), entry)
        dims.append(Dimension(did, ck.get(raw, "name", str, entry), ck.get(raw, "low", str, entry),
                              ck.get(raw, "high", str, entry), ck.number(raw, "weight", entry, lo=0, open_lo=True)))
    dim_ids = [d.id for d in dims]

    def positions(table: Any, entry: str, *, complete: bool) -> tuple[tuple[str, float], ...]:
        if not isinstance(table, dict) or not table:
            ck.fail(entry, "must be a non-empty table of dimension = position")
        for key in table:
            if key not in dim_ids:
                ck.fail(entry, f"unknown dimension {key!r}; expected one of {', '.join(dim_ids)}")
        if complete:
            missing = [d for d in dim_ids if d not in table]
            if missing:
                ck.fail(entry, f"no position for dimension(s) {', '.join(missing)}")
        return tuple((d, ck.number(table, d, f"{entry}, dimension {d!r}", lo=0, hi=1))
                     for d in dim_ids if d in table)

    choices: list[DesignChoice] = []
    seen = set()
    for i, raw in enumerate(ck.entries(data, "design_choice")):
        cid = ck.ident(raw, f"design_choice {i + 1}", seen)
        entry = f"design_choice {cid!r}"
        ck.unknown_keys(raw, ("id", "name", "low", "high", "dimension"), entry)
        dim = ck.get(raw, "dimension", str, entry)
        if dim not in dim_ids:
            ck.fail(entry, f"unknown dimension {dim!r}; expected one of {', '.join(dim_ids)}")
        choices.append(DesignChoice(cid, ck.get(raw, "name", str, entry), ck.get(raw, "low", str, entry),
                                    ck.get(raw, "high", str, entry), dim))
    choice_ids = [c.id for c in choices]

    archetypes: list[Archetype] = []
    seen = set()
    for i, raw in enumerate(ck.entries(data, "archetype", minimum=2)):
        aid = ck.ident(raw, f"archetype {i + 1}", seen)
        entry = f"archetype {aid!r}"
        ck.unknown_keys(raw, ("id", "name", "summary", "strengths", "problems", "profile", "hiring", "roles",
                              "links", "design"), entry)
        if "profile" not in raw:
            ck.fail(entry, "has no profile (missing key 'profile')")
        profile = positions(raw["profile"], f"{entry}, profile", complete=True)
        design_raw = ck.get(raw, "design", dict, entry)
        for key in design_raw:
            if key not in choice_ids:
                ck.fail(f"{entry}, design", f"unknown design choice {key!r}; expected one of {', '.join(choice_ids)}")
        design = []
        for cid in choice_ids:
            sub = f"{entry}, design {cid!r}"
            if cid not in design_raw:
                ck.fail(f"{entry}, design", f"no entry for design choice {cid!r}")
            ck.unknown_keys(design_raw[cid], ("position", "rationale"), sub)
            design.append((cid, Choice(ck.number(design_raw[cid], "position", sub, lo=0, hi=1),
                                       " ".join(ck.get(design_raw[cid], "rationale", str, sub).split()))))
        links = []
        for j, link in enumerate(ck.get(raw, "links", list, entry)):
            sub = f"{entry}, link {j + 1}"
            text_, href = ck.get(link, "text", str, sub), ck.get(link, "href", str, sub)
            try:
                view.links([(text_, href)])
            except ValueError as exc:
                ck.fail(sub, str(exc))
            links.append((text_, href))
        archetypes.append(Archetype(
            aid, ck.get(raw, "name", str, entry), " ".join(ck.get(raw, "summary", str, entry).split()),
            ck.texts(raw, "strengths", entry, empty=False), ck.texts(raw, "problems", entry, empty=False), profile, tuple(design),
            " ".join(ck.get(raw, "hiring", str, entry).split()), ck.texts(raw, "roles", entry, empty=False), tuple(links)))
    arch_ids = [a.id for a in archetypes]

    questions: list[Question] = []
    seen = set()
    for i, raw in enumerate(ck.entries(data, "question", minimum=1)):
        qid = ck.ident(raw, f"question {i + 1}", seen)
        entry = f"question {qid!r}"
        ck.unknown_keys(raw, ("id", "text", "help", "weight", "answer"), entry)
        help_ = raw.get("help", "")
        if not isinstance(help_, str):
            ck.fail(entry, f"'help' must be text, not {type(help_).__name__}")
        answers_raw = ck.get(raw, "answer", list, entry)
        if not 2 <= len(answers_raw) <= 6:
            ck.fail(entry, f"needs 2 to 6 answers, found {len(answers_raw)}")
        answers: list[Answer] = []
        seen_a: set[str] = set()
        for j, araw in enumerate(answers_raw):
            aid = ck.ident(araw, f"{entry}, answer {j + 1}", seen_a)
            sub = f"{entry}, answer {aid!r}"
            ck.unknown_keys(araw, ("id", "text", "at"), sub)
            if "at" not in araw:
                ck.fail(sub, "missing key 'at'")
            answers.append(Answer(aid, ck.get(araw, "text", str, sub), positions(araw["at"], f"{sub}, at",
                                                                               complete=False)))
        if len({a.at for a in answers}) < 2:
            ck.fail(entry, "all answers sit at the same positions, so the question has no effect")
        questions.append(Question(qid, ck.get(raw, "text", str, entry), help_.strip(),
                                  ck.number(raw, "weight", entry, lo=0, open_lo=True), tuple(answers)))
    qmap = {q.id: q for q in questions}

    def answer_ref(ref: Any, entry: str) -> tuple[str, tuple[str, ...]]:
        if not isinstance(ref, str) or "." not in ref:
            ck.fail(entry, f"{ref!r} must look like 'question.answer'")
        qid, alts = ref.split(".", 1)
        if qid not in qmap:
            ck.fail(entry, f"unknown question {qid!r}")
        ids = tuple(a.strip() for a in alts.split("|"))
        for a in ids:
            if a not in {x.id for x in qmap[qid].answers}:
                ck.fail(entry, f"question {qid!r} has no answer {a!r}")
        return qid, ids

    rules: list[Rule] = []
    seen = set()
    for i, raw in enumerate(data.get("contradiction", [])):
        rid = ck.ident(raw, f"contradiction {i + 1}", seen)
        entry = f"contradiction {rid!r}"
        ck.unknown_keys(raw, ("id", "answers", "top", "message"), entry)
        refs = ck.get(raw, "answers", list, entry)
        if not refs:
            ck.fail(entry, "'answers' is empty")
        when = tuple(answer_ref(r, entry) for r in refs)
        top = raw.get("top")
        if top is not None and top not in arch_ids:
            ck.fail(entry, f"unknown archetype {top!r} in 'top'; expected one of {', '.join(arch_ids)}")
        rules.append(Rule(rid, when, top, " ".join(ck.get(raw, "message", str, entry).split())))

    examples: list[Example] = []
    seen = set()
    for i, raw in enumerate(ck.entries(data, "example")):
        eid = ck.ident(raw, f"example {i + 1}", seen)
        entry = f"example {eid!r}"
        ck.unknown_keys(raw, ("id", "label", "answers", "target"), entry)
        ans = ck.get(raw, "answers", dict, entry)
        for qid, aid in ans.items():
            answer_ref(f"{qid}.{aid}" if isinstance(aid, str) else aid, f"{entry}, answer {qid!r}")
        target = raw.get("target")
        if target is not None and target not in arch_ids:
            ck.fail(entry, f"unknown archetype {target!r} in 'target'")
        examples.append(Example(eid, ck.get(raw, "label", str, entry), tuple(ans.items()), target))

    # Scoring arrays.
    D = len(dims)
    flat = [(qi, a) for qi, q in enumerate(questions) for a in q.answers]
    pos = np.zeros((len(flat), D))
    wm = np.zeros((len(flat), D))
    for g, (qi, a) in enumerate(flat):
        for d, v in a.at:
            j = dim_ids.index(d)
            pos[g, j] = v
            wm[g, j] = questions[qi].weight
    profile_arr = np.array([[dict(a.profile)[d] for d in dim_ids] for a in archetypes])
    return Knowledge(
        between_margin, int(explain_top), int(target_steps), tuple(dims), tuple(choices), tuple(archetypes),
        tuple(questions), tuple(rules), tuple(examples),
        pos=pos, wm=wm, qof=np.array([qi for qi, _ in flat]), profile=profile_arr,
        dim_weight=np.array([d.weight for d in dims]),
        gid={(questions[qi].id, a.id): g for g, (qi, a) in enumerate(flat)},
    )


def profiles() -> list[dict[str, Any]]:
    """The archetypes with their profiles and design choices (for chapter charts).

    Examples
    --------
    >>> p = profiles()[1]
    >>> p["id"], p["name"], p["design"]["engineering_vs_research"]["position"]
    ('rnd', 'ML R&D', 0.9)
    """
    k = load_knowledge()
    names = {c.id: c for c in k.design_choices}
    return [{
        "id": a.id, "name": a.name, "summary": a.summary, "profile": dict(a.profile),
        "design": {cid: {"name": names[cid].name, "low": names[cid].low, "high": names[cid].high,
                         "position": ch.position, "rationale": ch.rationale} for cid, ch in a.design},
    } for a in k.archetypes]


# --------------------------------------------------------------------------- input

Answers = dict[str, str]


@dataclass(frozen=True)
class Respondent:
    label: str
    answers: Answers


def _answers(c: Collector, k: Knowledge, value: Any, prefix: str, *, where: str = "") -> Answers:
    """Validate one answers object.

    Errors go to field ``prefix.<question>``; with ``where`` (``line 3`` of
    ``merge``) they go to ``prefix`` itself and the message starts with ``where``.
    """
    if not isinstance(value, Mapping):
        c.add(prefix, f"{where + ': ' if where else ''}answers must be an object, not {type(value).__name__}")
        return {}
    qids = [q.id for q in k.questions]
    out: Answers = {}
    for qid, aid in value.items():
        shown = qid if isinstance(qid, str) and len(qid) <= 40 else "(long key)"
        fld = prefix if where else f"{prefix}.{shown}"
        pre = f"{where}: " if where else ""
        if qid not in qids:
            c.add(fld, f"{pre}unknown question {shown!r}; expected one of {', '.join(qids)}")
            continue
        if aid is None or aid == "":
            continue
        q = k.question(qid)
        ids = [a.id for a in q.answers]
        if not isinstance(aid, str) or aid not in ids:
            got = aid if isinstance(aid, str) and len(aid) <= 40 else type(aid).__name__
            c.add(fld, f"{pre}question {qid!r} has no answer {got!r}; expected one of {', '.join(ids)}")
            continue
        out[qid] = aid
    return out


def _unwrap(value: Any) -> tuple[Any, str]:
    """A share-link input ``{"answers": {...}, ...}`` or a bare answers object."""
    if isinstance(value, Mapping) and isinstance(value.get("answers"), Mapping):
        return value["answers"], ".answers"
    return value, ""


def parse(data: Any, k: Knowledge | None = None) -> tuple[list[Respondent], str | None]:
    """Validate an input object; return the respondents and the target, or raise InputError."""
    k = k or load_knowledge()
    c = Collector()
    data = _inputs.mapping(c, "", data)
    c.raise_if_any()
    _inputs.unknown_keys(c, "", data, ("answers", "target", "merge", "respondents"))
    own = _answers(c, k, data.get("answers", {}), "answers") if data.get("answers") is not None else {}
    target = data.get("target")
    if target == "":
        target = None
    if target is not None:
        target = _inputs.choice(c, "target", target, [a.id for a in k.archetypes])
    people: list[Respondent] = []
    merge = data.get("merge")
    if merge is not None and merge != "":
        if not isinstance(merge, str):
            c.add("merge", f"merge must be text (one share link or answers object per line), not "
                           f"{type(merge).__name__}")
        elif len(merge) > MAX_MERGE_CHARS:
            c.add("merge", f"merge is {len(merge):,} characters long; the limit is {MAX_MERGE_CHARS:,}")
        else:
            for n, line in enumerate(merge.splitlines(), start=1):
                if not line.strip():
                    continue
                try:
                    decoded = share.decode(line, field=f"line {n}")
                except InputError as exc:
                    for e in exc.errors:
                        c.add("merge", e.message if e.message.startswith(f"line {n}") else f"line {n}: {e.message}")
                    continue
                body, _ = _unwrap(decoded)
                people.append(Respondent(f"merge line {n}", _answers(c, k, body, "merge", where=f"line {n}")))
    raw_people = data.get("respondents")
    if raw_people is not None:
        if not isinstance(raw_people, list):
            c.add("respondents", f"respondents must be a list of answers objects, not {type(raw_people).__name__}")
        else:
            for i, raw in enumerate(raw_people):
                body, sub = _unwrap(raw)
                people.append(Respondent(f"respondent {i + 1}", _answers(c, k, body, f"respondents[{i}]{sub}")))
    if len(people) + 1 > MAX_RESPONDENTS:
        c.add("respondents" if raw_people else "merge",
              f"{len(people) + 1} respondents; the limit is {MAX_RESPONDENTS}")
    c.raise_if_any()
    if own or not people:
        people.insert(0, Respondent("you", own))
    return people, target


# --------------------------------------------------------------------------- scoring

def _counts(k: Knowledge, people: Sequence[Respondent]) -> np.ndarray:
    """One row per respondent, one column per answer (G): 1 where chosen."""
    n = np.zeros((len(people), len(k.gid)))
    for r, p in enumerate(people):
        for qid, aid in p.answers.items():
            n[r, k.gid[qid, aid]] = 1
    return n


def _shares(k: Knowledge, counts: np.ndarray) -> np.ndarray:
    """Weight of each answer in the group's mean position: (..., R, G) -> (..., G, D).

    A respondent's position on a dimension is the question-weighted mean of
    their answers that inform it; the group's position is the plain mean over
    the respondents whose answers inform it. Each dimension's shares sum to 1
    (or 0 when no answer informs it).
    """
    W = counts @ k.wm  # (..., R, D) weight mass per respondent and dimension
    has = W > 0
    n_resp = has.sum(axis=-2, keepdims=True)  # (..., 1, D)
    inv = np.divide(1.0, W * n_resp, out=np.zeros_like(W), where=has)  # (..., R, D)
    return np.einsum("...rg,gd,...rd->...gd", counts, k.wm, inv)


def _scores(k: Knowledge, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Fit of every archetype for answers ``counts`` of shape (..., R, G).

    Returns scores (..., K), the mean position (..., D) with NaN where no answer
    informs a dimension, the normalised dimension weights (..., D) and the
    answer shares (..., G, D).
    """
    share_ = _shares(k, counts)
    informed = share_.sum(axis=-2) > 0.5  # each informed dimension's shares sum to 1
    x = np.where(informed, (share_ * k.pos).sum(axis=-2), np.nan)
    v = np.where(informed, k.dim_weight, 0.0)
    vsum = v.sum(axis=-1, keepdims=True)
    vhat = np.divide(v, vsum, out=np.zeros_like(v), where=vsum > 0)
    dist = np.abs(np.nan_to_num(x)[..., None, :] - k.profile)  # (..., K, D)
    scores = np.where(vsum > 0, 100.0 * (1.0 - (dist * vhat[..., None, :]).sum(axis=-1)), BASELINE)
    return scores, x, vhat, share_


def _contributions(k: Knowledge, share_: np.ndarray, x: np.ndarray, vhat: np.ndarray) -> np.ndarray:
    """Points of each answer (G) for each archetype (K): score_k = BASELINE + row sum (exactly)."""
    sign = np.sign(np.nan_to_num(x) - k.profile)  # (K, D)
    term = 0.5 - sign[:, None, :] * (k.pos[None, :, :] - k.profile[:, None, :])  # (K, G, D)
    return 100.0 * (term * share_[None] * vhat).sum(axis=-1)


def _coverage(k: Knowledge, answers: Answers) -> float:
    total = sum(q.weight for q in k.questions)
    return sum(q.weight for q in k.questions if q.id in answers) / total


# --------------------------------------------------------------------------- result

@dataclass(frozen=True)
class ArchetypeResult:
    """The fit of a questionnaire (or a group's questionnaires) to the archetypes.

    ``to_dict()`` is plain JSON; see :func:`assess` for the keys.
    """

    ranking: list[dict[str, Any]]
    top: str
    margin: float
    between: bool
    summary: str
    confidence: float
    answered: int
    total: int
    notes: list[str]
    position: list[dict[str, Any]]
    explanation: list[dict[str, Any]]
    design: dict[str, Any]
    target: str | None
    target_path: list[dict[str, Any]]
    contradictions: list[str]
    disagreements: list[dict[str, Any]]
    respondents: list[dict[str, Any]]
    answers: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return json.loads(json.dumps(self.__dict__, allow_nan=False))


def assess(answers: Mapping[str, str] | None = None, *, target: str | None = None,
           respondents: Sequence[Mapping[str, str]] | None = None) -> ArchetypeResult:
    """Score questionnaire answers against the ML organisation archetypes.

    Parameters
    ----------
    answers : mapping of question id to answer id, optional
        One respondent's answers; questions left out count as unanswered.
    target : str, optional
        An archetype id to move towards: the result lists the answer changes
        that would raise its fit most (``target_path``).
    respondents : sequence of answer mappings, optional
        Other people's answers; the ranking then uses the whole group's mean
        position and ``disagreements`` shows where they differ.

    Returns
    -------
    ArchetypeResult
        ``to_dict()`` holds ``ranking`` (best first), ``top``, ``margin``,
        ``between``, ``summary``, ``confidence``, ``answered``, ``total``,
        ``notes``, ``position``, ``explanation``, ``design``, ``target``,
        ``target_path``, ``contradictions``, ``disagreements``, ``respondents``
        and ``answers``.

    Raises
    ------
    calculators.errors.InputError
        An unknown question, answer or archetype; the message names the field.

    Examples
    --------
    >>> r = assess({"reporting": "product_lead", "model_ops": "builders", "company": "software"})
    >>> r.top, r.answered, r.total
    ('embedded', 3, 13)
    >>> [row["archetype"] for row in r.ranking][:2]
    ['embedded', 'ml_first']
    >>> e = r.explanation[0]
    >>> round(e["baseline"] + sum(c["points"] for c in e["contributions"]), 6) == round(r.ranking[0]["score"], 6)
    True
    >>> assess({"reporting": "cto"})
    Traceback (most recent call last):
    ...
    calculators.errors.InputError: answers.reporting: question 'reporting' has no answer 'cto'; expected one of nowhere, research_lab, product_lead, head_of_ml, both
    """
    data: dict[str, Any] = {"answers": dict(answers or {})}
    if target is not None:
        data["target"] = target
    if respondents is not None:
        data["respondents"] = [dict(r) if isinstance(r, Mapping) else r for r in respondents]
    return from_input(data)


def compute(inputs: tuple[list[Respondent], str | None]) -> ArchetypeResult:
    """Score what :func:`parse` validated (the respondents and the target)."""
    people, target = inputs
    return _assess(load_knowledge(), people, target)


def from_input(data: Any) -> ArchetypeResult:
    """Validate the JSON input (``answers``, ``target``, ``merge``, ``respondents``) and score it."""
    k = load_knowledge()
    people, target = parse(data, k)
    return _assess(k, people, target)


def _assess(k: Knowledge, people: list[Respondent], target: str | None) -> ArchetypeResult:
    counts = _counts(k, people)
    scores, x, vhat, share_ = _scores(k, counts)
    order = sorted(range(len(k.archetypes)), key=lambda i: (-float(scores[i]), i))
    ranking = [{"archetype": k.archetypes[i].id, "name": k.archetypes[i].name, "score": float(scores[i])}
               for i in order]
    top_i = order[0]
    top = k.archetypes[top_i]
    margin = float(scores[order[0]] - scores[order[1]])
    between = margin < k.between_margin
    answered_q = {q for p in people for q in p.answers}
    answered, total = len(answered_q), len(k.questions)
    confidence = float(np.mean([_coverage(k, p.answers) for p in people]))
    group = len(people) > 1

    notes: list[str] = []
    if not answered_q:
        notes.append("No questions answered yet, so every archetype fits equally (confidence 0). "
                     "Answer a few questions to see a difference.")
    elif answered < total:
        notes.append(f"{answered} of {total} questions answered; unanswered questions lower the confidence "
                     f"({confidence:.0%}) because some dimensions rest on few or no answers.")
    if group:
        notes.append(f"Ranking from the mean position of {len(people)} respondents.")

    # Explanation: per distinct answer, points for the best archetypes.
    contrib = _contributions(k, share_, x, vhat)
    chosen = np.flatnonzero(counts.sum(axis=0))
    explanation = []
    for i in order[: k.explain_top] if answered_q else []:
        rows = []
        for g in chosen:
            q = k.questions[int(k.qof[g])]
            a = next(a for a in q.answers if k.gid[q.id, a.id] == g)
            pts = float(contrib[i, g])
            rows.append({"question": q.id, "question_text": q.text, "answer": a.id, "answer_text": a.text,
                         "count": int(counts[:, g].sum()), "points": pts,
                         "direction": "towards" if pts > 0 else "away" if pts < 0 else "neutral"})
        rows.sort(key=lambda r: -abs(r["points"]))
        explanation.append({"archetype": k.archetypes[i].id, "name": k.archetypes[i].name,
                            "score": float(scores[i]), "baseline": BASELINE, "contributions": rows})

    position = [{"dimension": d.id, "name": d.name, "low": d.low, "high": d.high,
                 "you": None if math.isnan(x[j]) else float(x[j]),
                 "top": float(k.profile[top_i, j])} for j, d in enumerate(k.dimensions)]
    dim_index = {d.id: j for j, d in enumerate(k.dimensions)}
    names = {c.id: c for c in k.design_choices}
    design = {
        "archetype": top.id, "name": top.name, "summary": top.summary,
        "choices": [{"id": cid, "name": names[cid].name, "low": names[cid].low, "high": names[cid].high,
                     "position": ch.position, "rationale": ch.rationale,
                     "you": position[dim_index[names[cid].dimension]]["you"]} for cid, ch in top.design],
        "strengths": list(top.strengths), "problems": list(top.problems),
        "hiring": {"emphasis": top.hiring, "roles": list(top.roles),
                   "links": [{"text": t, "href": h} for t, h in top.links]},
    }

    target_path = _target_path(k, people, counts, target) if target else []
    contradictions = _contradictions(k, people, top.id)
    disagreements = _disagreements(k, people) if group else []
    per_person = []
    for p in people:
        s = _scores(k, _counts(k, [p]))[0]
        best = int(np.argmax(s)) if p.answers else 0
        per_person.append({"label": p.label, "answered": len(p.answers),
                           "top": k.archetypes[best].id if p.answers else None,
                           "name": k.archetypes[best].name if p.answers else None,
                           "score": float(s[best]), "answers": dict(p.answers)})

    if not answered_q:
        summary = ("No answers yet: every archetype fits equally well. Answer the questions to see which "
                   "organisation archetype yours resembles.")
    else:
        second = ranking[1]
        who = f"The {len(people)} respondents' answers, averaged," if group else "Your answers"
        if between:
            summary = (f"{who} sit between {top.name} (fit {ranking[0]['score']:.0f}/100) and {second['name']} "
                       f"({second['score']:.0f}/100): the two fit almost equally well.")
        else:
            summary = (f"{who} fit {top.name} best (fit {ranking[0]['score']:.0f}/100), "
                       f"{margin:.1f} points ahead of {second['name']}.")
        summary += f" Based on {answered} of {total} questions."
    return ArchetypeResult(
        ranking=ranking, top=top.id, margin=margin, between=between, summary=summary,
        confidence=confidence, answered=answered, total=total, notes=notes, position=position,
        explanation=explanation, design=design, target=target, target_path=target_path,
        contradictions=contradictions, disagreements=disagreements, respondents=per_person,
        answers=dict(people[0].answers),
    )


def _typical(k: Knowledge, ti: int) -> list[int]:
    """For each question, the answer closest to archetype ``ti``'s profile (global answer index).

    Closeness is the weighted mean distance over the dimensions the answer informs.
    """
    informed = k.wm > 0
    v = np.where(informed, k.dim_weight, 0.0)
    dist = (v * np.abs(k.pos - k.profile[ti])).sum(axis=1) / v.sum(axis=1)
    return [int(np.flatnonzero(k.qof == qi)[np.argmin(dist[k.qof == qi])]) for qi in range(len(k.questions))]


def _target_path(k: Knowledge, people: list[Respondent], counts: np.ndarray, target: str) -> list[dict[str, Any]]:
    """Greedy: up to ``target_steps`` answer changes towards ``target``.

    Candidates are, for each question, the answer most typical of the target
    (closest to its profile); each step applies the candidate that raises the
    target's fit most, and stops when none raises it. A change sets the
    question's answer for every respondent at once.
    """
    ti = [a.id for a in k.archetypes].index(target)
    typical = _typical(k, ti)
    current = counts.copy()
    steps: list[dict[str, Any]] = []
    base = float(_scores(k, current)[0][ti])
    todo = [qi for qi in range(len(k.questions)) if not current[:, typical[qi]].all()]
    while todo and len(steps) < k.target_steps:
        cands = []
        for qi in todo:
            c = current.copy()
            c[:, k.qof == qi] = 0
            c[:, typical[qi]] = 1
            cands.append(c)
        s = _scores(k, np.array(cands))[0][:, ti]
        best = int(np.argmax(s))
        gain = float(s[best]) - base
        if gain <= 1e-9:
            break
        qi = todo.pop(best)
        q = k.questions[qi]
        cur = _consensus(k, current, q)
        sug = next(a for a in q.answers if k.gid[q.id, a.id] == typical[qi])
        steps.append({"question": q.id, "question_text": q.text,
                      "current": cur, "current_text": q.answer(cur).text if cur else "(not answered)",
                      "suggested": sug.id, "suggested_text": sug.text, "gain": gain, "score_after": float(s[best])})
        current = cands[best]
        base = float(s[best])
    return steps


def _consensus(k: Knowledge, counts: np.ndarray, q: Question) -> str | None:
    """The most common answer to ``q`` (first in file order on ties), or None."""
    votes = [(counts[:, k.gid[q.id, a.id]].sum(), a.id) for a in q.answers]
    best = max(v for v, _ in votes)
    return next(aid for v, aid in votes if v == best) if best > 0 else None


def _contradictions(k: Knowledge, people: list[Respondent], top: str) -> list[str]:
    out: list[str] = []
    for rule in k.rules:
        if rule.top is not None and rule.top != top:
            continue
        who = [p.label for p in people if all(p.answers.get(q) in alts for q, alts in rule.when)]
        if not who:
            continue
        if len(people) > 1:
            out.append(f"{rule.message} (answers of: {', '.join(who)})")
        else:
            out.append(rule.message)
    return out


def _disagreements(k: Knowledge, people: list[Respondent]) -> list[dict[str, Any]]:
    """Questions where respondents chose different answers, most divided first.

    Disagreement is 1 minus the share of the most common answer among those who answered.
    """
    rows = []
    for qi, q in enumerate(k.questions):
        votes = Counter(p.answers[q.id] for p in people if q.id in p.answers)
        if len(votes) < 2:
            continue
        n = sum(votes.values())
        rows.append((qi, {
            "question": q.id, "question_text": q.text, "respondents": n,
            "disagreement": 1 - max(votes.values()) / n,
            "answers": [{"answer": a.id, "text": a.text, "count": votes[a.id]}
                        for a in sorted(q.answers, key=lambda a: -votes[a.id]) if votes[a.id]],
        }))
    rows.sort(key=lambda r: (-r[1]["disagreement"], -len(r[1]["answers"]), r[0]))
    return [r for _, r in rows]


# --------------------------------------------------------------------------- page

def examples() -> list[dict[str, Any]]:
    """The example companies of ``data/archetypes.toml``."""
    out = []
    for e in load_knowledge().examples:
        inp: dict[str, Any] = {"answers": dict(e.answers)}
        if e.target:
            inp["target"] = e.target
        out.append({"id": e.id, "label": e.label, "input": inp})
    return out


def default_input() -> dict[str, Any]:
    """The first example company (a mid-size insurer), with a target."""
    return examples()[0]["input"]


def form() -> list[forms.Field]:
    k = load_knowledge()
    d = default_input()
    fields: list[forms.Field] = [
        forms.radio(f"answers.{q.id}", q.text, [(a.id, a.text) for a in q.answers],
                    default=d["answers"].get(q.id), help=q.help, optional=True)
        for q in k.questions
    ]
    fields.append(forms.select("target", "Where would you like to be?",
                               [("", "No target")] + [(a.id, a.name) for a in k.archetypes],
                               default=d.get("target", ""), optional=True,
                               help="Optional: list the answer changes that would move you most towards it."))
    fields.append(forms.group("Merge other people's answers", [
        forms.textarea("merge", "Share links or answers, one per line", rows=5, optional=True,
                       help="Paste the share link of each colleague who filled in the questionnaire "
                            "(or a JSON answers object), one per line."),
    ], open=False))
    return fields


def _fmt_points(p: float) -> str:
    return f"{p:+.1f}"


def render(result: ArchetypeResult) -> list[view.Block]:
    r = result
    blocks: list[view.Block] = [view.summary(r.summary)]
    answered_any = r.answered > 0
    for note in r.notes:
        blocks.append(view.notice(note))
    blocks.append(view.metrics(
        (f"Fit with {r.ranking[0]['name']}" if answered_any else "Best fit",
         f"{r.ranking[0]['score']:.0f} / 100" if answered_any else "none yet", "the best fit" if answered_any else ""),
        ("Lead over the next", f"{r.margin:.1f} points", "close call" if r.between else ""),
        ("Answered", f"{r.answered} of {r.total}", f"confidence {r.confidence:.0%}"),
    ))
    # One rounding for every place a fit is shown (Vega's ".0f" rounds halves up, Python's to even).
    rows = [{"archetype": row["archetype"], "name": row["name"], "score": round(row["score"], 1),
             "label": f"{row['score']:.0f}", "rank": i + 1, "top": i == 0 and answered_any}
            for i, row in enumerate(r.ranking)]
    blocks.append(view.chart(
        "archetype_scores", {"scores": rows},
        alt="Fit by archetype, best first: " + "; ".join(f"{x['name']} {x['label']}" for x in rows),
        title="Fit with each archetype (0 to 100)"))
    blocks.append(view.paragraph(
        "The fit measures how close your answers sit to each archetype's profile on the dimensions the "
        "questions cover. It is a starting point for a conversation, not a verdict."))

    d = r.design
    if not answered_any:
        return blocks + _explanation(r) + _closing(r)
    blocks.append(view.heading(f"Design choices for {d['name']}"))
    blocks.append(view.paragraph(d["summary"]))
    design_rows = []
    for ch in d["choices"]:
        design_rows.append({"choice": ch["name"], "who": "Suggested", "position": ch["position"]})
        if ch["you"] is not None:
            design_rows.append({"choice": ch["name"], "who": "Your answers", "position": round(ch["you"], 3)})
    blocks.append(view.chart(
        "archetype_design", {"design": design_rows},
        alt="Design choices, 0 to 1: " + "; ".join(
            f"{ch['name']}: suggested {ch['position']:.2f}" + (f", you {ch['you']:.2f}" if ch["you"] is not None else "")
            for ch in d["choices"]),
        title="The three design choices: suggestion vs your answers"))
    blocks.append(view.table(
        "The three design choices, each on a scale from 0 to 1",
        ["Choice", "Suggested", "Your answers"],
        [[c["name"], f"{c['position']:.2f}", "n/a" if c["you"] is None else f"{c['you']:.2f}"]
         for c in d["choices"]]))
    blocks.append(view.bullet_list([f"{c['name']} (0: {c['low']}; 1: {c['high']}). {c['rationale']}"
                                    for c in d["choices"]]))
    blocks.append(view.heading("Trade-offs"))
    blocks.append(view.bullet_list([f"Strength: {s}" for s in d["strengths"]] +
                                   [f"Watch out: {p}" for p in d["problems"]]))
    blocks.append(view.heading("Who to hire first"))
    blocks.append(view.paragraph(d["hiring"]["emphasis"] + " Roles: " + ", ".join(d["hiring"]["roles"]) + "."))
    blocks.append(view.links([(x["text"], x["href"]) for x in d["hiring"]["links"]]))

    if r.target:
        tname = next(x["name"] for x in r.ranking if x["archetype"] == r.target)
        blocks.append(view.heading(f"Moving towards {tname}"))
        if r.target_path:
            blocks.append(view.bullet_list([
                f"{s['question_text']} From \u201c{s['current_text']}\u201d to \u201c{s['suggested_text']}\u201d: "
                f"{_fmt_points(s['gain'])} fit (to {s['score_after']:.0f})" for s in r.target_path], ordered=True))
        else:
            blocks.append(view.paragraph(f"No single answer change raises the fit with {tname} any further."))

    for text_ in r.contradictions:
        blocks.append(view.notice(text_, level="warning"))

    if len(r.respondents) > 1:
        blocks.append(view.heading("Where respondents disagree"))
        if r.disagreements:
            blocks.append(view.table(
                "Questions with different answers, most divided first", ["Question", "Answers (how many)",
                                                                          "Disagreement"],
                [[x["question_text"], "; ".join(f"{a['text']} ({a['count']})" for a in x["answers"]),
                  f"{x['disagreement']:.0%}"] for x in r.disagreements]))
        else:
            blocks.append(view.paragraph("Everyone who answered a question chose the same answer."))
        blocks.append(view.table("Each respondent on their own", ["Respondent", "Answered", "Best fit", "Fit"],
                                 [[p["label"], p["answered"], p["name"] or "n/a", f"{p['score']:.0f}"]
                                  for p in r.respondents]))

    return blocks + _explanation(r) + _closing(r)


def _explanation(r: ArchetypeResult) -> list[view.Block]:
    """Why the leading archetypes score what they do: each answer's points (the details, after the advice)."""
    blocks: list[view.Block] = []
    for e in r.explanation:
        blocks.append(view.heading(f"Why {e['name']} scores {e['score']:.0f}"))
        table_rows = [[c["question_text"], c["answer_text"] + (f" ({c['count']}×)" if c["count"] > 1 else ""),
                       _fmt_points(c["points"]), c["direction"]] for c in e["contributions"]]
        blocks.append(view.table(
            f"Each answer's points: the fit is {e['baseline']:.0f} plus the sum of the points",
            ["Question", "Answer", "Points", "Effect"], table_rows))
    return blocks


def _closing(r: ArchetypeResult) -> list[view.Block]:
    """Links to the chapters and the two downloads."""
    inp: dict[str, Any] = {"answers": r.answers}
    if r.target:
        inp["target"] = r.target
    if len(r.respondents) > 1:
        inp["respondents"] = [p["answers"] for p in r.respondents]
    return [
        view.heading("Read more"),
        view.links(list(_ROLE_LINKS)),
        view.download("Download answers and result (JSON)", "archetype-fit.json",
                      json.dumps({"input": inp, "result": r.to_dict()}, indent=2)),
        view.download("Download a team charter draft (Markdown)", "ml-team-charter.md", charter(r),
                      mime="text/markdown"),
    ]


def charter(result: ArchetypeResult) -> str:
    """A short Markdown team charter a leader can paste into a document.

    Examples
    --------
    >>> text = charter(assess({"reporting": "product_lead", "model_ops": "builders"}, target="independent"))
    >>> text.splitlines()[0]
    '# ML team charter (draft)'
    >>> "## Steps towards Independent ML function" in text
    True
    """
    r, d = result, result.design
    lines = ["# ML team charter (draft)", "",
             "_Drafted with the playbook's Archetype fit calculator. A starting point for discussion, "
             "not a verdict._", "", "## Where we are", ""]
    if r.answered:
        lines.append(f"Closest archetype: **{d['name']}** (fit {r.ranking[0]['score']:.0f}/100; next: "
                     f"{r.ranking[1]['name']}, {r.ranking[1]['score']:.0f}/100). Questions answered: "
                     f"{r.answered} of {r.total}.")
        if r.between:
            lines.append("")
            lines.append("The answers sit between the two; discuss which one we want to be.")
    else:
        lines.append("The questionnaire has not been answered yet.")
    lines += ["", "## Design choices", ""]
    for c in d["choices"]:
        lines.append(f"- **{c['name']}** ({c['position']:.2f} on a scale from {c['low']} to {c['high']}): "
                     f"{c['rationale']}")
    lines += ["", "## Hiring emphasis", "", f"{d['hiring']['emphasis']} Roles: {', '.join(d['hiring']['roles'])}."]
    lines += ["", "## Risks to manage", ""] + [f"- {p}" for p in d["problems"]]
    if r.target_path:
        tname = next(x["name"] for x in r.ranking if x["archetype"] == r.target)
        lines += ["", f"## Steps towards {tname}", ""]
        lines += [f"{i}. {s['question_text']} Move from \u201c{s['current_text']}\u201d to "
                  f"\u201c{s['suggested_text']}\u201d." for i, s in enumerate(r.target_path, 1)]
    open_items = list(r.contradictions) + [f"We disagree on: {x['question_text']}" for x in r.disagreements]
    if open_items:
        lines += ["", "## Open questions", ""] + [f"- {t}" for t in open_items]
    return "\n".join(lines) + "\n"
