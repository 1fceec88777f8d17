"""The archetype-fit page's form, its example companies and the inputs it starts from."""

from __future__ import annotations

from typing import Any

from .. import forms
from .inputs import MERGE_LABEL, TARGET_LABEL
from .knowledge import load_knowledge


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
    """The first example company, with its target."""
    out: dict[str, Any] = examples()[0]["input"]
    return out


def blank_input() -> dict[str, Any]:
    """No answers and no target: where a reader starts their own assessment ("Start from blank" on the page).

    >>> blank_input()
    {'answers': {}, 'target': ''}
    """
    return {"answers": {}, "target": ""}


def form() -> list[forms.Field]:
    """One radio per question, the target, and a folded field for colleagues' share links."""
    k = load_knowledge()
    d = default_input()
    fields: list[forms.Field] = [
        forms.radio(
            f"answers.{q.id}",
            q.text,
            [(a.id, a.text) for a in q.answers],
            default=d["answers"].get(q.id),
            help=q.help,
            optional=True,
        )
        for q in k.questions
    ]
    fields.append(
        forms.select(
            "target",
            TARGET_LABEL,
            [("", "No target"), *((a.id, a.name) for a in k.archetypes)],
            default=d.get("target", ""),
            optional=True,
            help="Optional: list the answer changes that would move you most towards it.",
        )
    )
    fields.append(
        forms.group(
            "Merge other people's answers",
            [
                forms.textarea(
                    "merge",
                    MERGE_LABEL,
                    rows=5,
                    optional=True,
                    share_links=True,
                    help="Paste the share link of each colleague who filled in the questionnaire "
                    "(or a JSON answers object), one per line.",
                ),
            ],
            open=False,
        )
    )
    return fields
