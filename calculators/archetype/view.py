"""The archetype-fit page: the view blocks of a result, in the order a reader needs them.

The headline, four key figures, what to do next, then the details (the fit chart, where
a group disagrees, the design choices, the per-answer points), and last "How this is
computed". Every figure uses the rounding of :mod:`.result` (:func:`fit`, :func:`points`), so
the headline, the cards and the tables always agree. :func:`charter` drafts the team charter
the page offers as a download.
"""

from __future__ import annotations

import json
from typing import Any

from .. import _format, view
from .knowledge import Choice, Knowledge, load_knowledge
from .result import ArchetypeResult, fit, points

_ROLE_LINKS = (
    ("Organisation archetypes", "chapters/organisations/"),
    ("Roles on an ML team and their skills", "chapters/roles/"),
    ("Hiring: sourcing and interviewing", "chapters/hiring/"),
)
_Q = "\u201c{}\u201d"  # a question or an answer quoted as the page shows it


def _lower(name: str) -> str:
    """A display name in running text: ``Research orientation`` -> ``research orientation``; ``ML maturity`` stays."""
    first = name.split(" ", 1)[0]
    return name if first.isupper() else name[:1].lower() + name[1:]


def _signed(p: float) -> str:
    return f"{p:+.1f}"


def render(result: ArchetypeResult) -> list[view.Block]:
    r, k = result, load_knowledge()
    blocks: list[view.Block] = [view.summary(r.summary), _metrics(r), view.actions(_actions(r))]
    if r.example:
        blocks.append(
            view.notice(
                f"These are the answers of the example company {_Q.format(r.example)}, not yours. Clear them to "
                "answer for your own organisation, or change any answer to start from theirs."
            )
        )
    blocks += [view.notice(n) for n in r.notes]
    blocks.append(_scores_chart(r))
    blocks.append(
        view.paragraph(
            "The fit measures how close the answers sit to each archetype's profile on the scales the questions "
            "cover, counting what defines each archetype most. It starts a conversation; it is not a verdict."
        )
    )
    blocks += [view.notice(t, level="warning") for t in r.contradictions]
    if len(r.respondents) > 1:
        blocks += _group(r)
    if r.answered:
        blocks += _design(r) + _target(r) + _explanation(r)
    return [*blocks, *_closing(r), _method(r, k)]


def _metrics(r: ArchetypeResult) -> view.Block:
    answered = (
        "Questions answered",
        f"{r.answered} of {r.total}",
        f"by {len(r.respondents)} respondents" if len(r.respondents) > 1 else "skip any nobody knows",
    )
    confidence = ("Confidence", _format.percent(r.confidence), "falls with unanswered questions and disagreement")
    if not r.answered:
        return view.metrics(("Closest archetype", "none yet", "answer a question to see one"), answered, confidence)
    first, second = r.ranking[0], r.ranking[1]
    return view.metrics(
        ("Closest archetype", first["name"], f"fit {fit(first['score'])} of 100"),
        ("Lead over the next", points(r.margin), "close call" if r.between else f"over {second['name']}"),
        answered,
        confidence,
    )


def _actions(r: ArchetypeResult) -> list[str]:
    """One to three next steps, most useful first, derived from this result."""
    first, second = r.ranking[0]["name"], r.ranking[1]["name"]
    acts: list[str] = []
    if r.example:
        acts.append("Clear the example's answers and answer for your own organisation.")
    if not r.answered:
        acts += [
            "Answer the questions you can, and choose \u201cNot sure\u201d where nobody knows.",
            "Ask two or three colleagues to answer too, then merge their share links to compare.",
        ]
        return acts[:3]
    if r.disagreements:
        named = "; ".join(_Q.format(d["question_text"]) for d in r.disagreements[:2])
        acts.append(f"Start the discussion with the questions you disagree on most: {named}.")
    if r.contradictions:
        n = len(r.contradictions)
        which = "the contradiction" if n == 1 else f"the {n} contradictions"
        acts.append(f"Settle {which} flagged below before acting on the result.")
    left = r.total - r.answered
    if left:
        acts.append(
            f"Find the answers to the {_format.plural(left, 'open question')}: the confidence "
            f"({_format.percent(r.confidence)}) rises with each one answered."
        )
    if r.between or r.split:
        acts.append(f"Read what separates {first} and {second} in the Organisations chapter, and decide which to be.")
    if r.target and r.target_path:
        tname = next(x["name"] for x in r.ranking if x["archetype"] == r.target)
        acts.append(f"To move towards {tname}, start with {_Q.format(r.target_path[0]['question_text'])}.")
    acts.append(f"Compare the design choices suggested for {first} with how your team works today.")
    return acts[:3]


def _scores_chart(r: ArchetypeResult) -> view.Block:
    rows = [
        {
            "archetype": row["archetype"],
            "name": row["name"],
            "score": round(row["score"], 1),
            "label": fit(row["score"]),
            "rank": i + 1,
            "top": i == 0 and r.answered > 0,
        }
        for i, row in enumerate(r.ranking)
    ]
    who = "the group's average of each person's fit" if len(r.respondents) > 1 else "the answers"
    return view.chart(
        "archetype_scores",
        {"scores": rows},
        alt=f"Fit of {who} with each archetype, best first: " + "; ".join(f"{x['name']} {x['label']}" for x in rows),
        title="Fit with each archetype (0 to 100)",
    )


def _group(r: ArchetypeResult) -> list[view.Block]:
    """Where respondents disagree, and each respondent's own fits."""
    out: list[view.Block] = [view.heading("Where respondents disagree")]
    if r.disagreements:
        out.append(
            view.table(
                "Questions with different answers, most divided first",
                ["Question", "Answers (how many)", "Agree with the most common answer"],
                [
                    [
                        d["question_text"],
                        "; ".join(f"{a['text']} ({a['count']})" for a in d["answers"]),
                        _format.percent(1 - d["disagreement"]),
                    ]
                    for d in r.disagreements
                ],
            )
        )
    else:
        out.append(view.paragraph("Everyone who answered a question chose the same answer."))
    shown = r.ranking[:2]
    out.append(
        view.table(
            "Each respondent on their own: their own best fit, and their fit with the group's two leaders",
            ["Respondent", "Answered", "Own best fit", *(f"Fit with {x['name']}" for x in shown)],
            [
                [
                    p["label"],
                    str(p["answered"]),
                    f"{p['name']} ({fit(p['score'])})" if p["name"] else "no answers",
                    *(fit(p["fits"][x["archetype"]]) for x in shown),
                ]
                for p in r.respondents
            ],
        )
    )
    return out


def _design(r: ArchetypeResult) -> list[view.Block]:
    d = r.design
    you = "Group average" if len(r.respondents) > 1 else "The example's answers" if r.example else "Your answers"
    rows = []
    for ch in d["choices"]:
        rows.append({"choice": ch["name"], "who": "Suggested", "position": ch["position"]})
        if ch["you"] is not None:
            rows.append({"choice": ch["name"], "who": you, "position": round(ch["you"], 3)})
    alt = "; ".join(
        f"{c['name']}: suggested {c['position']:.2f}"
        + (f", {you.lower()} {c['you']:.2f}" if c["you"] is not None else "")
        for c in d["choices"]
    )
    return [
        view.heading(f"Design choices for {d['name']}"),
        view.paragraph(d["summary"]),
        view.chart(
            "archetype_design",
            {"design": rows},
            alt="Design choices, 0 to 1: " + alt,
            title=f"The design choices: suggestion vs {you.lower()}",
        ),
        view.table(
            "The design choices, each on a scale from 0 to 1",
            ["Choice", "Suggested", you],
            [
                [c["name"], f"{c['position']:.2f}", "not answered" if c["you"] is None else f"{c['you']:.2f}"]
                for c in d["choices"]
            ],
        ),
        view.bullet_list([f"{c['name']} (0: {c['low']}; 1: {c['high']}). {c['rationale']}" for c in d["choices"]]),
        view.heading("Trade-offs"),
        view.bullet_list([f"Strength: {s}" for s in d["strengths"]] + [f"Watch out: {p}" for p in d["problems"]]),
        view.heading("Who to hire first"),
        view.paragraph(d["hiring"]["emphasis"] + " Roles: " + ", ".join(d["hiring"]["roles"]) + "."),
        view.links([(x["text"], x["href"]) for x in d["hiring"]["links"]]),
    ]


def _target(r: ArchetypeResult) -> list[view.Block]:
    if not r.target:
        return []
    tname = next(x["name"] for x in r.ranking if x["archetype"] == r.target)
    if not r.target_path:
        return [
            view.heading(f"Moving towards {tname}"),
            view.paragraph(f"No single answer change raises the fit with {tname} any further."),
        ]
    steps = [
        f"{s['question_text']} From {_Q.format(s['current_text'])} to {_Q.format(s['suggested_text'])}: "
        f"{_signed(s['gain'])} fit (to {fit(s['score_after'])})"
        for s in r.target_path
    ]
    return [view.heading(f"Moving towards {tname}"), view.bullet_list(steps, ordered=True)]


def _explanation(r: ArchetypeResult) -> list[view.Block]:
    """Why the leading archetypes score what they do: each answer's points."""
    blocks: list[view.Block] = []
    for e in r.explanation:
        blocks.append(view.heading(f"Why {e['name']} scores {fit(e['score'])}"))
        rows = [
            [
                c["question_text"],
                c["answer_text"] + (f" ({c['count']}×)" if c["count"] > 1 else ""),
                _signed(c["points"]),
                c["direction"],
            ]
            for c in e["contributions"]
        ]
        caption = f"Each answer's points: the fit is {fit(e['baseline'])} plus the sum of the points"
        blocks.append(view.table(caption, ["Question", "Answer", "Points", "Effect"], rows))
    return blocks


def _closing(r: ArchetypeResult) -> list[view.Block]:
    """Links to the chapters and the two downloads."""
    inp: dict[str, Any] = {"answers": r.answers}
    if r.target:
        inp["target"] = r.target
    if len(r.respondents) > 1:
        inp["respondents"] = [p["answers"] for p in r.respondents[1:]]
    return [
        view.heading("Read more"),
        view.links(list(_ROLE_LINKS)),
        view.download(
            "Download answers and result (JSON)",
            "archetype-fit.json",
            json.dumps({"input": inp, "result": r.to_dict()}, indent=2),
        ),
        view.download(
            "Download a team charter draft (Markdown)", "ml-team-charter.md", charter(r), mime="text/markdown"
        ),
    ]


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


def _method(r: ArchetypeResult, k: Knowledge) -> view.Block:
    names = {a.id: a.name for a in k.archetypes}
    dims = {d.id: d for d in k.dimensions}
    labels, fits = r.worked_pair["labels"], r.worked_pair["fits"]
    group = {a.id: sum(f[a.id] for f in fits) / len(fits) for a in k.archetypes}
    order = sorted(group, key=lambda a: -group[a])
    blocks: list[view.Block] = [
        view.paragraph(
            "Each answer places the organisation at a position from 0 to 1 on one or more scales. A respondent's "
            "position on a scale is the mean of their answers there, weighted by question weight. The fit of an "
            "archetype is 100 × (1 − weighted mean of |position − profile|) over the scales the answers inform: "
            "100 means the answers sit on the archetype's profile, 0 the opposite end of every scale. It splits "
            "exactly into one term per answer: fit = 50 + the sum of the answers' points (the tables above)."
        ),
        view.paragraph(
            f"What defines an archetype counts {_format.number(k.defining_weight)} times its usual weight in "
            "that archetype's fit, so answers that contradict it keep the archetype from leading unless "
            "everything else supports it: "
            + "; ".join(f"{a.name}: {', '.join(_lower(dims[d].name) for d in a.defining)}" for a in k.archetypes)
            + "."
        ),
        view.table(
            "Scales, their weights and each archetype's profile (0 to 1; defining scales marked *)",
            ["Scale", "Weight", *(a.name for a in k.archetypes)],
            [
                [
                    d.name,
                    _format.number(d.weight, 2),
                    *(f"{dict(a.profile)[d.id]:.2f}{'*' if d.id in a.defining else ''}" for a in k.archetypes),
                ]
                for d in k.dimensions
            ],
        ),
        view.paragraph(
            "A group: each person's fit is computed from their own answers, and the group's fit is the mean of "
            "those fits, weighted by how much of the questionnaire each answered. An archetype ranks high only if "
            "members' own answers fit it: no fit is computed for an averaged position nobody holds, and when "
            "everyone's answers put the same archetype first, so does the group. Confidence = the share of the "
            "questionnaire answered (averaged over respondents) × the agreement (on questions answered by two or "
            "more, the share who give the most common answer, averaged with question weights)."
        ),
        view.table(
            "Worked case, a disagreeing pair: each person's own fits and the group's (their mean)",
            ["Archetype", *labels, "Group"],
            [[names[a], *(fit(f[a]) for f in fits), fit(group[a])] for a in order],
        ),
        view.paragraph(
            f"Parameters: fits closer than {_format.number(k.between_margin)} points are reported as a close call; "
            f"the {_format.plural(k.explain_top, 'leading archetype')} get per-answer points; at most "
            f"{_format.plural(k.target_steps, 'answer change')} are suggested towards a target. The archetypes "
            "and what defines them follow the source lecture; the questions, positions, profiles and weights are "
            "this playbook's estimates, in calculators/data/archetypes.toml."
        ),
    ]
    return view.method(blocks)


def profiles() -> list[dict[str, Any]]:
    """The archetypes with their profiles and design choices (for chapter charts).

    Examples
    --------
    >>> p = profiles()
    >>> [x["id"] for x in p] == [a.id for a in load_knowledge().archetypes]
    True
    >>> sorted(p[0]["design"][load_knowledge().design_choices[0].id])
    ['high', 'low', 'name', 'position', 'rationale']
    """
    k = load_knowledge()
    names = {c.id: c for c in k.design_choices}

    def design(cid: str, ch: Choice) -> dict[str, Any]:
        c = names[cid]
        return {"name": c.name, "low": c.low, "high": c.high, "position": ch.position, "rationale": ch.rationale}

    return [
        {
            "id": a.id,
            "name": a.name,
            "summary": a.summary,
            "profile": dict(a.profile),
            "design": {cid: design(cid, ch) for cid, ch in a.design},
        }
        for a in k.archetypes
    ]
