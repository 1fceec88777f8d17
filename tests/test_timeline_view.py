"""The simulator's answer as a reader sees it: headline, key figures, next steps, charts.

Fork-safe tests run over every example plan of the data file (and the default);
the few that check this playbook's own plans are marked ``content``.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from calculators import _format, timeline
from calculators.timeline import _view_matrix as matrix
from calculators.timeline import result
from pipeline.paths import REPO as ROOT

from .plans import task

PLANS = [("default", timeline.default_input())] + [(e["id"], e["input"]) for e in timeline.examples()]
IDS = [p[0] for p in PLANS]


def texts(blocks: list[dict[str, Any]]) -> list[str]:
    """Every sentence the page shows for these blocks (method section included)."""
    out: list[str] = []
    for b in blocks:
        if b["type"] in ("summary", "paragraph", "heading", "notice"):
            out.append(b["text"])
        elif b["type"] in ("actions", "list"):
            out += b["items"]
        elif b["type"] == "metrics":
            out += [f"{i['label']}: {i['value']} ({i.get('hint', '')})" for i in b["items"]]
        elif b["type"] == "chart":
            out += [b["title"], b["alt"]]
        elif b["type"] == "table":
            out += [b["caption"], *b["columns"]]
            out += [f"{col}: {cell}" for row in b["rows"] for col, cell in zip(b["columns"], row)]
        elif b["type"] == "method":
            out += texts(b["blocks"])
    return out


@pytest.fixture(scope="module", params=PLANS, ids=IDS)
def rendered(request: pytest.FixtureRequest) -> tuple[timeline.TimelineResult, list[dict[str, Any]]]:
    r = timeline.from_input(request.param[1])
    return r, timeline.render(r)


def test_headline_and_cards_say_the_same_numbers(rendered: Any) -> None:
    r, blocks = rendered
    headline, cards = blocks[0]["text"], {i["label"]: i["value"] for i in blocks[1]["items"]}
    assert cards["Chance it works at all"] == _format.percent(r.p_success)
    if r.p_success < 1:
        assert _format.chance(r.p_success) in headline
    commit = r.curves["commit"]
    assert (
        cards["If it works, done by"]
        == result.when(commit["time"], r.unit, r.start)
        == result.when(r.duration["p85"], r.unit, r.start)
    )
    assert f"done by {cards['If it works, done by']}" in headline
    assert f"shipped by {result.when(commit['time'], r.unit, r.start)} is {_format.percent(commit['p'])}" in headline
    if r.deadline is not None:
        value = cards["Chance of having shipped by the deadline"]
        assert value == _format.percent(r.p_by_deadline) and value in headline


def test_the_joint_chance_is_the_share_of_all_runs(rendered: Any) -> None:
    """Chance of having shipped by the P85 date = chance it works x share of successful runs done by then."""
    r, _ = rendered
    commit = r.curves["commit"]
    assert commit["time"] >= r.duration["p85"]
    assert 0.85 * r.p_success - 1e-9 <= commit["p"] <= r.p_success + 1e-9
    if r.deadline is not None:
        assert r.p_by_deadline <= r.p_success + 1e-9


_PLANNING_85 = re.compile(r"\b85%|\bP85\b")
_CONDITION = re.compile(r"success|if it works|shipped by|not an 85% chance", re.IGNORECASE)


def test_every_85_percent_figure_carries_its_condition(rendered: Any) -> None:
    _, blocks = rendered
    for text in texts(blocks):
        if _PLANNING_85.search(text) and not re.fullmatch(r".*: \d+%", text):
            assert _CONDITION.search(text), text


_BAD_GRAMMAR = re.compile(r"(?<![\d.,])1 (weeks|days|sprints|runs)\b|(?<![\d.,])[02-9] week\b")


def test_numbers_read_as_words(rendered: Any) -> None:
    _, blocks = rendered
    for text in texts(blocks):
        assert not _BAD_GRAMMAR.search(text), text
        for article, digits in re.findall(r"\b(a|an) (\d+)%", text, flags=re.IGNORECASE):
            spoken_vowel = digits.startswith("8") or digits in ("11", "18")
            assert article.lower() == ("an" if spoken_vowel else "a"), text
        assert "nan" not in text.lower().split() and "None" not in text, text


def test_no_internal_ids_in_the_answer(rendered: Any) -> None:
    """The headline, cards and next steps name tasks by their names, never by their ids."""
    r, blocks = rendered
    answer = " ".join([blocks[0]["text"], *blocks[2]["items"]])
    names = " ".join(t["name"] for t in r.tasks)
    for t in r.tasks:
        if t["id"] != t["name"] and t["id"] not in names:
            assert not re.search(rf"\b{re.escape(t['id'])}\b", answer), t["id"]


def test_time_charts_share_one_axis_titled_with_the_unit(rendered: Any) -> None:
    r, blocks = rendered
    charts = {b["chart"]: b["data"] for b in blocks if b["type"] == "chart"}
    spans = [charts[n]["span"] for n in ("timeline_finish", "timeline_cumulative", "timeline_progress")]
    assert all([s["time"] for s in span] == [s["time"] for s in spans[0]] for span in spans)
    assert all(r.unit.lower() in s["axis"].lower() for span in spans for s in span)
    assert spans[0][-1]["time"] >= max(m["time"] for m in charts["timeline_finish"]["marks"])


def test_dated_lines_differ_by_dash_and_label(rendered: Any) -> None:
    pytest.importorskip("altair")
    from calculators.timeline import charts

    _, blocks = rendered
    marks = next(b for b in blocks if b.get("chart") == "timeline_finish")["data"]["marks"]
    assert len({m["kind"] for m in marks}) == len(marks)
    assert len({tuple(charts.DASHES[m["kind"]]) for m in marks}) == len(marks)
    assert sorted(m["slot"] for m in marks) == list(range(len(marks))) and len(marks) <= charts.SLOTS
    for m in marks:
        assert re.search(r"\d", m["label"]), m  # each line says its date


def test_matrix_uses_task_names_the_data_files_cut_offs_and_no_label_overlaps(rendered: Any) -> None:
    r, blocks = rendered
    data = next(b for b in blocks if b.get("chart") == "timeline_scatter")["data"]
    m = timeline.risk_matrix()
    assert data["cutoffs"] == [{"likelihood": m.likelihood_cutoff, "importance": m.importance_cutoff}]
    assert {q["text"] for q in data["quadrants"]} == set(m.quadrants.values())
    names = {t["name"] for t in r.tasks}
    for row in data["tasks"]:
        assert row["task"] in names and row["task"].startswith(row["label"].rstrip("…"))
        assert row["quadrant"] == m.quadrant(row["likelihood"], row["importance"])
    rows = data["tasks"]
    for w in matrix.WIDTHS:
        boxes = [_label_box(row, w, data["frame"][-1]["importance"]) for row in rows]
        for i, a in enumerate(boxes):
            for b in boxes[i + 1 :]:
                assert not matrix._overlap(a, b), (w, a, b)


def _label_box(row: dict[str, Any], width: int, top: float) -> tuple[float, float, float, float]:
    px, py = row["likelihood"] * width, matrix.HEIGHT - row["label_y"] / top * matrix.HEIGHT
    w = len(row["label"]) * matrix.CHAR_PX
    left = px + matrix.GAP if row["align"] == "left" else px - matrix.GAP - w
    return (left, py - matrix.LINE_PX / 2, left + w, py + matrix.LINE_PX / 2)


def test_crowded_matrix_labels_do_not_overlap() -> None:
    n = matrix.MAX_LABELS + 5
    tasks = [
        task(f"t{i}", 1, p_success=0.5 + i / 100, importance=1 + i % 5, name=f"A task with a long name {i}")
        for i in range(n)
    ]
    r = timeline.simulate(tasks, trials=200)
    data = next(b for b in timeline.render(r) if b.get("chart") == "timeline_scatter")["data"]
    assert sum(1 for row in data["tasks"] if row["label"]) == matrix.MAX_LABELS  # the riskiest; the table names all
    for w in matrix.WIDTHS:
        boxes = [_label_box(row, w, data["frame"][-1]["importance"]) for row in data["tasks"] if row["label"]]
        assert all(not matrix._overlap(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1 :]), w


def test_chart_blocks_fill_every_dataset_of_their_template(rendered: Any) -> None:
    pytest.importorskip("altair")
    from calculators import charts

    _, blocks = rendered
    for block in (b for b in blocks if b["type"] == "chart"):
        spec = charts.spec(block["chart"])
        assert spec["width"] == "container"
        assert {d["name"] for d in _datasets(spec)} == set(block["data"]), block["chart"]
        charts.from_block(block).to_dict(validate=True)


def _datasets(spec: Any) -> list[dict[str, Any]]:
    found = []
    if isinstance(spec, dict):
        if isinstance(spec.get("data"), dict) and "name" in spec["data"]:
            found.append(spec["data"])
        for v in spec.values():
            found += _datasets(v)
    elif isinstance(spec, list):
        for v in spec:
            found += _datasets(v)
    return found


def test_the_view_carries_no_plan_and_no_plan_downloads(rendered: Any) -> None:
    """No round trip: the page builds the plan's and the result's files from its own input and result when
    asked (files.mjs); the only file in the view is the status update, whose words are the answer's."""
    r, blocks = rendered
    downloads = [b for b in blocks if b["type"] == "download"]
    assert [b["filename"] for b in downloads] == ["status-update.md"]
    assert not hasattr(r, "plan")
    assert json.dumps(blocks, allow_nan=False)


def test_a_plan_that_never_works_still_answers_in_the_contract_shape() -> None:
    r = timeline.simulate([task("a", 1, p_success=0.0, name="Find labelled data")], trials=100)
    blocks = timeline.render(r)
    assert [b["type"] for b in blocks[:3]] == ["summary", "metrics", "actions"] and blocks[-1]["type"] == "method"
    assert "never worked" in blocks[0]["text"] and "Find labelled data" in blocks[2]["items"][0]


def test_a_plan_that_cannot_fail_says_so() -> None:
    r = timeline.simulate([task("a", 1, 2, 4), task("b", 2, 3, 9, depends_on=["a"])], trials=2_000)
    headline = timeline.render(r)[0]["text"]
    assert "always works" in headline and "chance of having shipped by" in headline


def test_docs_page_embeds_the_simulator_and_links_the_chapter() -> None:
    page = (ROOT / "docs" / "calculators" / "timeline.md").read_text(encoding="utf-8")
    assert "<!-- calculator: timeline -->" in page.splitlines()
    assert "../chapters/managing.md" in page


# --------------------------------------------------------------------------- this playbook's own plans


@pytest.mark.content
def test_the_pages_example_sentence_matches_the_default_plan() -> None:
    """The calculator page quotes the default plan's two numbers; they must be what the simulator says."""
    r = timeline.from_input(timeline.default_input())
    page = (ROOT / "docs" / "calculators" / "timeline.md").read_text(encoding="utf-8")
    said = (
        f"{_format.chance(r.p_success)} it works at all; if it works,\ndone by {result.when(r.duration['p85'], r.unit)}"
    )
    assert " ".join(said.split()) in " ".join(page.split())


@pytest.mark.content
def test_the_default_plan_is_a_risky_plan_with_two_approaches() -> None:
    """The default plan shows what the page is for: a plan that can fail, a group of two, a tight deadline."""
    r = timeline.from_input(timeline.default_input())
    assert 0.5 < r.p_success < 0.9 and len(r.groups) == 1 and len(r.groups[0]["members"]) == 2
    assert r.p_by_deadline is not None and r.p_by_deadline < 0.5
