"""The archetype-fit input: validation, every problem at once, into a frozen :class:`Inputs`.

An input is ``{"answers": {question id: answer id}, "target"?, "merge"?, "respondents"?}``;
``respondents`` is a list of answers objects. ``merge`` is what the reader pasted (other
people's share links or answers objects, one per line) as the edge decoded it, line by line
(:func:`calculators.api.decode_links`): ``[{"line": n, "input": {...}} or {"line": n,
"error": "..."}]``. This module never reads a link itself. Every question is optional.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import _inputs
from ..errors import Collector
from .knowledge import Knowledge, load_knowledge

MAX_RESPONDENTS = 100

Answers = dict[str, str]


@dataclass(frozen=True)
class Respondent:
    label: str
    answers: Answers


@dataclass(frozen=True)
class Inputs:
    """What :func:`parse` validated: the respondents (the reader first) and the target."""

    people: tuple[Respondent, ...]
    target: str | None


MERGE_LABEL = "Share links or answers, one per line"
TARGET_LABEL = "Where would you like to be?"


def _answers(c: Collector, k: Knowledge, value: Any, prefix: str, *, where: str = "") -> Answers:
    """Validate one answers object.

    Errors go to field ``prefix.<question>``; with ``where`` (``line 3`` of
    ``merge``) they go to ``prefix`` itself and the message starts with ``where``.
    The page shows ``reader``: the question as the page words it, never an id.
    """
    pre = f"{where}: " if where else ""
    said = f"{where[0].upper()}{where[1:]} of \u201c{MERGE_LABEL}\u201d" if where else "This link or file"
    if not isinstance(value, Mapping):
        c.add(
            prefix,
            f"{pre}answers must be an object, not {type(value).__name__}",
            reader=f"{said} holds no answers to read: it needs one answer per question.",
        )
        return {}
    qids = [q.id for q in k.questions]
    out: Answers = {}
    for qid, aid in value.items():
        shown = qid if isinstance(qid, str) and len(qid) <= 40 else "(long key)"
        fld = prefix if where else f"{prefix}.{shown}"
        if qid not in qids:
            c.add(
                fld,
                f"{pre}unknown question {shown!r}; expected one of {', '.join(qids)}",
                reader=f"{said} answers a question this questionnaire does not ask: it may come from an "
                "edited copy of the playbook.",
            )
            continue
        if aid is None or aid == "":
            continue
        q = k.question(qid)
        ids = [a.id for a in q.answers]
        if not isinstance(aid, str) or aid not in ids:
            got = aid if isinstance(aid, str) and len(aid) <= 40 else type(aid).__name__
            c.add(
                fld,
                f"{pre}question {qid!r} has no answer {got!r}; expected one of {', '.join(ids)}",
                reader=f"{said + ': c' if where else 'C'}hoose one of the answers to \u201c{q.text}\u201d.",
            )
            continue
        out[qid] = aid
    return out


def _unwrap(value: Any) -> tuple[Any, str]:
    """A share-link input ``{"answers": {...}, ...}`` or a bare answers object."""
    if isinstance(value, Mapping) and isinstance(value.get("answers"), Mapping):
        return value["answers"], ".answers"
    return value, ""


def _merged(c: Collector, k: Knowledge, merge: Any) -> list[Respondent]:
    """The respondents pasted into ``merge``, as the edge decoded them (one entry per non-blank line)."""
    if merge is None or merge == "" or merge == []:
        return []
    if isinstance(merge, str):
        c.add(
            "merge",
            "merge holds text whose share links were not decoded (calculators.api.compute decodes them)",
            reader=f"\u201c{MERGE_LABEL}\u201d could not be read: paste the links again.",
        )
        return []
    if not isinstance(merge, list):
        c.add(
            "merge",
            f"merge must be text (one share link or answers object per line), not {type(merge).__name__}",
            reader=f"\u201c{MERGE_LABEL}\u201d takes text: one share link per line.",
        )
        return []
    people = []
    for i, entry in enumerate(merge):
        n = entry.get("line") if isinstance(entry, Mapping) else None
        if not isinstance(n, int) or isinstance(n, bool) or ("input" in entry) == ("error" in entry):
            c.add("merge", f"merge[{i}] must be {{line, input}} or {{line, error}} (a decoded line)")
            continue
        if "error" in entry:
            c.add(
                "merge",
                str(entry["error"]),
                reader=f"Line {n} of \u201c{MERGE_LABEL}\u201d is not a share link or an answers object: "
                "paste the whole link a colleague sent.",
            )
            continue
        body, _ = _unwrap(entry["input"])
        people.append(Respondent(f"Merged line {n}", _answers(c, k, body, "merge", where=f"line {n}")))
    return people


def _listed(c: Collector, k: Knowledge, raw_people: Any) -> list[Respondent]:
    """The respondents of the ``respondents`` list."""
    if raw_people is None:
        return []
    if not isinstance(raw_people, list):
        c.add("respondents", f"respondents must be a list of answers objects, not {type(raw_people).__name__}")
        return []
    people = []
    for i, raw in enumerate(raw_people):
        body, sub = _unwrap(raw)
        people.append(Respondent(f"Respondent {i + 2}", _answers(c, k, body, f"respondents[{i}]{sub}")))
    return people


def parse(data: Any, k: Knowledge | None = None) -> Inputs:
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
        ids = [a.id for a in k.archetypes]
        if not isinstance(target, str) or target not in ids:
            shown = target if isinstance(target, str) and len(target) <= 40 else type(target).__name__
            c.add(
                "target",
                f"target must be one of {', '.join(ids)} (got {shown!r})",
                reader=f"Choose one of the archetypes under \u201c{TARGET_LABEL}\u201d, or none.",
            )
            target = None
    people = _merged(c, k, data.get("merge")) + _listed(c, k, data.get("respondents"))
    if len(people) + 1 > MAX_RESPONDENTS:
        c.add(
            "respondents" if data.get("respondents") else "merge",
            f"{len(people) + 1} respondents; the limit is {MAX_RESPONDENTS}",
            reader=f"Too many respondents to merge: at most {MAX_RESPONDENTS}, counting you.",
        )
    c.raise_if_any()
    if own or not people:
        people.insert(0, Respondent("You", own))
    return Inputs(tuple(people), target)
