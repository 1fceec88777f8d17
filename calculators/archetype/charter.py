"""The team charter draft: a Markdown document a leader can paste and edit."""

from __future__ import annotations

from .prose import fit
from .result import ArchetypeResult


def charter(result: ArchetypeResult) -> str:
    """A short Markdown team charter a leader can paste into a document.

    Examples
    --------
    >>> from calculators.archetype import assess, load_knowledge
    >>> k = load_knowledge()
    >>> text = charter(assess({k.questions[0].id: k.questions[0].answers[0].id}, target=k.archetypes[-1].id))
    >>> text.splitlines()[0]
    '# ML team charter (draft)'
    >>> f"## Steps towards {k.archetypes[-1].name}" in text
    True
    """
    r, d = result, result.design
    lines = [
        "# ML team charter (draft)",
        "",
        "_Drafted with the playbook's Archetype fit calculator. A starting point for discussion, not a verdict._",
        "",
        "## Where we are",
        "",
    ]
    if r.answered:
        lines.append(
            f"Closest archetype: **{d['name']}** (fit {fit(r.ranking[0]['score'])} of 100; next: "
            f"{r.ranking[1]['name']}, {fit(r.ranking[1]['score'])}). Questions answered: "
            f"{r.answered} of {r.total}."
        )
        if r.between:
            lines.append("")
            lines.append("The answers sit between the two; discuss which one we want to be.")
    else:
        lines.append("The questionnaire has not been answered yet.")
    lines += ["", "## Design choices", ""]
    for c in d["choices"]:
        lines.append(
            f"- **{c['name']}** ({c['position']:.2f} on a scale from {c['low']} to {c['high']}): {c['rationale']}"
        )
    lines += ["", "## Hiring emphasis", "", f"{d['hiring']['emphasis']} Roles: {', '.join(d['hiring']['roles'])}."]
    lines += ["", "## Risks to manage", ""] + [f"- {p}" for p in d["problems"]]
    if r.target_path:
        tname = next(x["name"] for x in r.ranking if x["archetype"] == r.target)
        lines += ["", f"## Steps towards {tname}", ""]
        lines += [
            f"{i}. {s['question_text']} Move from \u201c{s['current_text']}\u201d to \u201c{s['suggested_text']}\u201d."
            for i, s in enumerate(r.target_path, 1)
        ]
    open_items = list(r.contradictions) + [f"We disagree on: {x['question_text']}" for x in r.disagreements]
    if open_items:
        lines += ["", "## Open questions", ""] + [f"- {t}" for t in open_items]
    return "\n".join(lines) + "\n"
