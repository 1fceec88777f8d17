"""The archetype-fit page: view blocks of a result, and the team charter draft."""

from __future__ import annotations

import json
from typing import Any

from .. import view
from .result import ArchetypeResult

_ROLE_LINKS = (
    ("Organisation archetypes", "chapters/organisations/"),
    ("Roles on an ML team and their skills", "chapters/roles/"),
    ("Hiring: sourcing and interviewing", "chapters/hiring/"),
)


def _fmt_points(p: float) -> str:
    return f"{p:+.1f}"


def render(result: ArchetypeResult) -> list[view.Block]:
    r = result
    blocks: list[view.Block] = [view.summary(r.summary)]
    answered_any = r.answered > 0
    for note in r.notes:
        blocks.append(view.notice(note))
    blocks.append(
        view.metrics(
            (
                f"Fit with {r.ranking[0]['name']}" if answered_any else "Best fit",
                f"{r.ranking[0]['score']:.0f} / 100" if answered_any else "none yet",
                "the best fit" if answered_any else "",
            ),
            ("Lead over the next", f"{r.margin:.1f} points", "close call" if r.between else ""),
            ("Answered", f"{r.answered} of {r.total}", f"confidence {r.confidence:.0%}"),
        )
    )
    # One rounding for every place a fit is shown (Vega's ".0f" rounds halves up, Python's to even).
    rows = [
        {
            "archetype": row["archetype"],
            "name": row["name"],
            "score": round(row["score"], 1),
            "label": f"{row['score']:.0f}",
            "rank": i + 1,
            "top": i == 0 and answered_any,
        }
        for i, row in enumerate(r.ranking)
    ]
    blocks.append(
        view.chart(
            "archetype_scores",
            {"scores": rows},
            alt="Fit by archetype, best first: " + "; ".join(f"{x['name']} {x['label']}" for x in rows),
            title="Fit with each archetype (0 to 100)",
        )
    )
    blocks.append(
        view.paragraph(
            "The fit measures how close your answers sit to each archetype's profile on the dimensions the "
            "questions cover. It is a starting point for a conversation, not a verdict."
        )
    )

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
    blocks.append(
        view.chart(
            "archetype_design",
            {"design": design_rows},
            alt="Design choices, 0 to 1: "
            + "; ".join(
                f"{ch['name']}: suggested {ch['position']:.2f}"
                + (f", you {ch['you']:.2f}" if ch["you"] is not None else "")
                for ch in d["choices"]
            ),
            title="The three design choices: suggestion vs your answers",
        )
    )
    blocks.append(
        view.table(
            "The three design choices, each on a scale from 0 to 1",
            ["Choice", "Suggested", "Your answers"],
            [
                [c["name"], f"{c['position']:.2f}", "n/a" if c["you"] is None else f"{c['you']:.2f}"]
                for c in d["choices"]
            ],
        )
    )
    blocks.append(
        view.bullet_list([f"{c['name']} (0: {c['low']}; 1: {c['high']}). {c['rationale']}" for c in d["choices"]])
    )
    blocks.append(view.heading("Trade-offs"))
    blocks.append(
        view.bullet_list([f"Strength: {s}" for s in d["strengths"]] + [f"Watch out: {p}" for p in d["problems"]])
    )
    blocks.append(view.heading("Who to hire first"))
    blocks.append(view.paragraph(d["hiring"]["emphasis"] + " Roles: " + ", ".join(d["hiring"]["roles"]) + "."))
    blocks.append(view.links([(x["text"], x["href"]) for x in d["hiring"]["links"]]))

    if r.target:
        tname = next(x["name"] for x in r.ranking if x["archetype"] == r.target)
        blocks.append(view.heading(f"Moving towards {tname}"))
        if r.target_path:
            blocks.append(
                view.bullet_list(
                    [
                        f"{s['question_text']} From \u201c{s['current_text']}\u201d "
                        f"to \u201c{s['suggested_text']}\u201d: "
                        f"{_fmt_points(s['gain'])} fit (to {s['score_after']:.0f})"
                        for s in r.target_path
                    ],
                    ordered=True,
                )
            )
        else:
            blocks.append(view.paragraph(f"No single answer change raises the fit with {tname} any further."))

    for text_ in r.contradictions:
        blocks.append(view.notice(text_, level="warning"))

    if len(r.respondents) > 1:
        blocks.append(view.heading("Where respondents disagree"))
        if r.disagreements:
            blocks.append(
                view.table(
                    "Questions with different answers, most divided first",
                    ["Question", "Answers (how many)", "Disagreement"],
                    [
                        [
                            x["question_text"],
                            "; ".join(f"{a['text']} ({a['count']})" for a in x["answers"]),
                            f"{x['disagreement']:.0%}",
                        ]
                        for x in r.disagreements
                    ],
                )
            )
        else:
            blocks.append(view.paragraph("Everyone who answered a question chose the same answer."))
        blocks.append(
            view.table(
                "Each respondent on their own",
                ["Respondent", "Answered", "Best fit", "Fit"],
                [[p["label"], p["answered"], p["name"] or "n/a", f"{p['score']:.0f}"] for p in r.respondents],
            )
        )

    return blocks + _explanation(r) + _closing(r)


def _explanation(r: ArchetypeResult) -> list[view.Block]:
    """Why the leading archetypes score what they do: each answer's points (the details, after the advice)."""
    blocks: list[view.Block] = []
    for e in r.explanation:
        blocks.append(view.heading(f"Why {e['name']} scores {e['score']:.0f}"))
        table_rows = [
            [
                c["question_text"],
                c["answer_text"] + (f" ({c['count']}×)" if c["count"] > 1 else ""),
                _fmt_points(c["points"]),
                c["direction"],
            ]
            for c in e["contributions"]
        ]
        blocks.append(
            view.table(
                f"Each answer's points: the fit is {e['baseline']:.0f} plus the sum of the points",
                ["Question", "Answer", "Points", "Effect"],
                table_rows,
            )
        )
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
            f"Closest archetype: **{d['name']}** (fit {r.ranking[0]['score']:.0f}/100; next: "
            f"{r.ranking[1]['name']}, {r.ranking[1]['score']:.0f}/100). Questions answered: "
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
