"""The chapter charts: every figure builds from docs/_data/charts.toml, its spec is
valid Vega-Lite with inline data, its table matches its data, every chart marker in
the chapters names a figure, a broken data file fails naming the chart, each chart
is one record, the quadrant chart reads the timeline's [risk_matrix], and each
chart draws to static SVG in both palettes with valid figure markup."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import altair as alt
import pytest

from pipeline import chapter_charts as cc
from pipeline.chart_record import fmt
from pipeline.paths import REPO

DOCS = REPO / "docs"
MARKER = re.compile(r"^<!-- chart: (?P<name>[A-Za-z0-9_\-]+) -->$")
NAMES = sorted(cc.CHARTS)


@pytest.fixture(scope="module")
def figures() -> dict[str, cc.Figure]:
    return {name: cc.figure(name) for name in NAMES}


def _walk(node: Any):
    if isinstance(node, dict):
        yield node
        for v in node.values():
            yield from _walk(v)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v)


def _datasets(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows = [r for values in spec.get("datasets", {}).values() for r in values]
    rows += [r for node in _walk(spec) if isinstance(node.get("data"), dict) for r in node["data"].get("values", [])]
    return rows


@pytest.mark.content
def test_required_charts_are_registered() -> None:
    assert set(NAMES) == {
        "roles_skills",
        "nonlinear_progress",
        "archetype_design",
        "plan_likelihood_importance",
        "feedback_types",
    }


@pytest.mark.parametrize("name", NAMES)
def test_spec_is_valid_vega_lite(figures: dict[str, cc.Figure], name: str) -> None:
    spec = figures[name].spec
    kinds = {"layer": alt.LayerChart, "vconcat": alt.VConcatChart, "hconcat": alt.HConcatChart}
    cls = next((c for key, c in kinds.items() if key in spec), alt.Chart)
    cls.from_dict(spec, validate=True)  # raises on a schema error
    assert spec["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert spec["width"] == "container"
    assert 0 < spec["height"] <= 400


@pytest.mark.parametrize("name", NAMES)
def test_data_is_inline(figures: dict[str, cc.Figure], name: str) -> None:
    spec = figures[name].spec
    assert not [n for n in _walk(spec) if "url" in n], "no external data"
    assert _datasets(spec), "the spec carries its rows"


@pytest.mark.parametrize("name", NAMES)
def test_table_matches_data(figures: dict[str, cc.Figure], name: str) -> None:
    fig = figures[name]
    assert fig.columns and fig.rows
    assert all(len(row) == len(fig.columns) for row in fig.rows)
    assert all(isinstance(cell, str) for row in fig.rows for cell in row)
    strings = {v for row in _datasets(fig.spec) for v in row.values() if isinstance(v, str)}
    first = [row[0] for row in fig.rows]
    assert len(set(first)) == len(first), "one table row per item"
    if name != "nonlinear_progress":  # its first column is the week number
        assert set(first) <= strings, "every table row names an item that is drawn"


def test_tables_carry_the_numbers() -> None:
    data = cc.load()
    fig = cc.figure("feedback_types")
    from calculators.feedback import mechanisms

    traits = {m["id"]: m for m in mechanisms()}  # one source: the picker's own knowledge file
    expected = [traits[r["mechanism"]] for r in data["feedback_types"]["rows"]]
    assert [[m["name"], fmt(m["effort"]), fmt(m["signal_value"])] for m in expected] == [row[:3] for row in fig.rows]
    fig = cc.figure("nonlinear_progress")
    assert len(fig.rows) == len(data["nonlinear_progress"]["rows"])
    assert fig.rows[-1][2] == f"{data['nonlinear_progress']['rows'][-1]['observed']:.2f}"
    fig = cc.figure("archetype_design")
    t = data["archetype_design"]
    from calculators.archetype import profiles

    names = {p["id"]: p["name"] for p in profiles()}
    assert [row[0] for row in fig.rows] == [names[i] for i in t["archetype_ids"]]
    assert fig.columns[1:] == t["choices"]


@pytest.mark.parametrize("name", NAMES)
def test_caption_and_alt(figures: dict[str, cc.Figure], name: str) -> None:
    fig = figures[name]
    assert fig.caption.strip() and fig.alt.strip()
    assert "\n" not in fig.caption and "  " not in fig.alt


def test_markers_name_known_figures_and_every_figure_is_used() -> None:
    used: dict[str, list[str]] = {}
    for page in sorted(DOCS.rglob("*.md")):
        for line in page.read_text(encoding="utf-8").splitlines():
            if "<!-- chart:" in line:
                m = MARKER.match(line.strip())
                assert m, f"{page.relative_to(REPO)}: malformed chart marker {line!r}"
                used.setdefault(m["name"], []).append(str(page.relative_to(REPO)))
    unknown = sorted(set(used) - set(NAMES))
    assert not unknown, f"markers name unknown charts: {unknown}"
    unused = sorted(set(NAMES) - set(used))
    assert not unused, f"figures no chapter uses: {unused}"


def test_unknown_name_lists_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown chart 'nope'.*roles_skills"):
        cc.figure("nope")


# --- a broken data file fails, naming the file, the chart and the problem -----

GOOD = cc.DATA_FILE.read_text(encoding="utf-8")

BROKEN = [
    # (chart, find, replace, problem in the message)
    ("roles_skills", "engineering = 4\n", "engineering = 9\n", "'engineering' (9) must be between 0 and 5"),
    ("roles_skills", 'role = "ML engineer"\n', "role = 3\n", "'role' must be text"),
    ("nonlinear_progress", "week = 16\n", "week = 2\n", "increasing order of 'week'"),
    ("nonlinear_progress", "y_min = 0.5\n", "", "missing key 'y_min'"),
    ("plan_likelihood_importance", "likelihood = 0.9\n", "likelihood = 1.5\n", "'likelihood' (1.5)"),
    (
        "plan_likelihood_importance",
        "importance_max = 5\n",
        "importance_max = 5\nlikelihood_split = 0.5\n",
        "'likelihood_split' is no longer read here",
    ),
    (
        "archetype_design",
        'choice = "Model ownership"\nlabel = "Users operate them"\n',
        'choice = "Data ownership"\nlabel = "Users operate them"\n',
        "appears twice",
    ),
    ("archetype_design", '"independent", "ml_first"]', '"independent", "ml_second"]', "unknown archetype 'ml_second'"),
    (
        "feedback_types",
        'mechanism = "free_text"\n',
        'mechanism = "smoke_signals"\n',
        "unknown mechanism 'smoke_signals'",
    ),
    (
        "feedback_types",
        'example = "A comment box under a bad answer"\n',
        'example = "A comment box under a bad answer"\ncolour = "red"\n',
        "unknown key 'colour'",
    ),
]


@pytest.mark.parametrize(
    ("chart", "find", "replace", "problem"), BROKEN, ids=[f"{b[0]}-{i}" for i, b in enumerate(BROKEN)]
)
def test_malformed_data_names_the_chart(tmp_path: Path, chart: str, find: str, replace: str, problem: str) -> None:
    assert find in GOOD, "the test's anchor text is in the data file"
    bad = tmp_path / "charts.toml"
    bad.write_text(GOOD.replace(find, replace, 1), encoding="utf-8")
    with pytest.raises(ValueError) as info:
        cc.figure(chart, path=bad)
    message = str(info.value)
    assert str(bad) in message
    assert f"chart {chart!r}" in message
    assert problem in message


def test_invalid_toml_and_missing_table_name_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "charts.toml"
    bad.write_text(GOOD + "\n[roles_skills\n", encoding="utf-8")
    with pytest.raises(cc.ChartDataError, match="not valid TOML"):
        cc.load(bad)
    bad.write_text(GOOD.replace("feedback_types", "feedback_kinds"), encoding="utf-8")
    with pytest.raises(cc.ChartDataError, match=r"chart 'feedback_types': missing table \[feedback_types\]"):
        cc.figure("feedback_types", path=bad)
    with pytest.raises(cc.ChartDataError, match="file not found"):
        cc.load(tmp_path / "absent.toml")


def test_command_line_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert cc.main(["--check"]) == 0
    out = capsys.readouterr().out
    assert all(f"{name}:" in out for name in NAMES)


# --- one record per chart --------------------------------------------------


@pytest.mark.parametrize("name", NAMES)
def test_each_chart_is_one_record(name: str) -> None:
    record = cc.CHARTS[name]
    assert record.name == name and record.doc
    assert record.settings and record.fields and callable(record.check) and callable(record.draw)
    table = cc.load(chart=name)[name]
    assert record.draw(table) == cc.figure(name)


# --- the quadrant chart reads the timeline simulator's [risk_matrix] --------

QUADRANT = "plan_likelihood_importance"


def _timeline_data(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, edit: Any) -> Path:
    """A temp copy of the simulator's data file, changed by ``edit(text)``, read by the simulator's own reader."""
    from calculators import _data
    from calculators.timeline import knowledge

    copy = tmp_path / knowledge.FILE
    original = _data.data_text(knowledge.FILE)
    copy.write_text(edit(original), encoding="utf-8")
    assert copy.read_text(encoding="utf-8") != original, "the edit's anchor text is in the data file"
    real = knowledge.load_toml
    monkeypatch.setattr(
        knowledge,
        "load_toml",
        lambda name: (
            _data.Reader(knowledge.PATH).parse(copy.read_text(encoding="utf-8"))
            if name == knowledge.FILE
            else real(name)
        ),
    )
    return copy


def test_the_chapter_chart_and_the_simulator_share_one_matrix() -> None:
    from calculators import timeline

    m = timeline.risk_matrix()
    assert cc.risk_matrix() == m
    fig = cc.figure(QUADRANT)
    table = cc.load(chart=QUADRANT)[QUADRANT]
    # Each task's quadrant is the simulator's quadrant for the same chance of success and importance.
    by_task = {r["task"]: m.quadrant(r["likelihood"], r["importance"]) for r in table["rows"]}
    assert {row[0]: row[-1] for row in fig.rows} == by_task
    # The dashed lines sit at the simulator's cut-offs; the corners carry its four names.
    rules = [
        v
        for node in _walk(fig.spec)
        if isinstance(node.get("data"), dict)
        for v in node["data"].get("values", [])
        if set(v) == {"x", "y"}
    ]
    assert rules and {(v["x"], v["y"]) for v in rules} == {(m.likelihood_cutoff, m.importance_cutoff)}
    drawn = {
        v["text"]
        for node in _walk(fig.spec)
        if isinstance(node.get("data"), dict)
        for v in node["data"].get("values", [])
        if "text" in v
    }
    assert drawn == set(m.quadrants.values())
    # The importance axis ends where the simulator's does.
    domains = [n["scale"]["domain"] for n in _walk(fig.spec) if n.get("field") == "importance" and "scale" in n]
    assert domains and all(d == [0, m.importance_max] for d in domains)


def test_a_changed_risk_matrix_moves_the_chapter_chart(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    table = cc.load(chart=QUADRANT)[QUADRANT]
    # Cut-offs below every task put them all in one quadrant; names nobody would write by hand.
    cut_x = min(r["likelihood"] for r in table["rows"]) / 2
    cut_y = max(1.0, min(r["importance"] for r in table["rows"]) / 2)
    assert all(r["importance"] >= cut_y for r in table["rows"]), "the example's tasks allow such a cut-off"

    def edit(text: str) -> str:
        text = re.sub(r"(?m)^likelihood_cutoff = .*$", f"likelihood_cutoff = {cut_x}", text)
        text = re.sub(r"(?m)^importance_cutoff = .*$", f"importance_cutoff = {cut_y}", text)
        return re.sub(r'(?m)^likely_important = ".*"$', 'likely_important = "Q-top-right"', text)

    _timeline_data(monkeypatch, tmp_path, edit)
    fig = cc.figure(QUADRANT)
    assert {row[-1] for row in fig.rows} == {"Q-top-right"}


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (lambda text: text.replace("importance_cutoff =", "importance_cut =", 1), "unknown key 'importance_cut'"),
        (lambda text: text.replace("likelihood_cutoff =", "likelihood_cutoff = 2 #", 1), "'likelihood_cutoff' (2)"),
        (lambda text: re.sub(r'(?m)^unlikely_minor = ".*"\n', "", text, count=1), "missing key 'unlikely_minor'"),
    ],
)
def test_a_malformed_risk_matrix_stops_the_build_naming_file_and_entry(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, edit: Any, problem: str
) -> None:
    from calculators.errors import DataFileError
    from calculators.timeline import knowledge

    _timeline_data(monkeypatch, tmp_path, edit)
    with pytest.raises(DataFileError) as info:
        cc.figure(QUADRANT)
    message = str(info.value)
    assert message.startswith(f"{knowledge.PATH}: [risk_matrix]"), message
    assert problem in message
    assert cc.main(["--check"]) == 1, "the command-line check (and the build) stops on it"


def test_the_chart_table_may_not_repeat_the_matrix(tmp_path: Path) -> None:
    from calculators import timeline

    top = timeline.risk_matrix().importance_max
    bad = tmp_path / "charts.toml"
    bad.write_text(GOOD.replace(f"importance_max = {top:g}\n", f"importance_max = {top + 1:g}\n", 1), encoding="utf-8")
    assert bad.read_text(encoding="utf-8") != GOOD, "the test's anchor text is in the data file"
    with pytest.raises(cc.ChartDataError, match=r"'importance_max' .* \[risk_matrix\]"):
        cc.figure(QUADRANT, path=bad)


# --- static SVG in both palettes, and the figure's markup -------------------


@pytest.fixture(scope="module")
def drawings(figures: dict[str, cc.Figure]) -> dict[str, list[cc.Drawing]]:
    return {name: [cc.draw_svg(figures[name], p) for p in cc.PALETTES] for name in NAMES}


@pytest.mark.parametrize("name", NAMES)
def test_each_chart_draws_to_svg_in_both_palettes(drawings: dict[str, list[cc.Drawing]], name: str) -> None:
    by_palette = {d.palette: d for d in drawings[name]}
    assert set(by_palette) == set(cc.PALETTES)
    for palette, d in by_palette.items():
        assert d.svg.lstrip().startswith("<svg") and "<script" not in d.svg
        assert d.width >= cc.WIDTH and d.height > 0
        assert cc.PALETTES[palette]["fg"] in d.svg, f"{palette}: text in the palette's colour"
    assert by_palette["light"].svg != by_palette["dark"].svg


@pytest.mark.parametrize("name", NAMES)
def test_figure_html_is_valid_and_complete(
    figures: dict[str, cc.Figure], drawings: dict[str, list[cc.Drawing]], name: str
) -> None:
    from bs4 import BeautifulSoup

    fig = figures[name]
    html = BeautifulSoup(cc.figure_html(name, fig, drawings[name], root="../../"), "html.parser")
    figure = html.find("figure")
    kids = [c.name for c in figure.children if getattr(c, "name", None)]
    assert kids[-1] == "figcaption" and kids.count("figcaption") == 1
    assert figure.find("figcaption").get_text() == fig.caption
    images = figure.find_all("img")
    assert {img["src"].split("?")[0] for img in images} == {
        f"../../{cc.SVG_DIR}/{d.filename(name)}" for d in drawings[name]
    }
    assert all(img["alt"] == fig.alt and img["loading"] == "lazy" for img in images)
    table = html.select_one("details.pb-chart__data table")
    assert [th.get_text() for th in table.select("thead th")] == fig.columns
    body = table.select("tbody tr")
    assert [[c.get_text() for c in tr.find_all(["th", "td"])] for tr in body] == fig.rows
    assert all(tr.find(True)["scope"] == "row" for tr in body)


def test_markers_in_a_page_become_static_figures(tmp_path: Path) -> None:
    charts = cc.StaticCharts()
    html = charts.page_html(f"<p>before</p>\n<!-- chart: {NAMES[0]} -->\n<p>after</p>", "chapters/x/")
    assert "<!-- chart:" not in html and "pb-chart__spec" not in html
    assert html.count("<figure") == 1 and 'src="../../assets/charts/' in html
    written = charts.write(tmp_path)
    assert sorted(p.name for p in written) == sorted(d.filename(NAMES[0]) for d in charts.drawn[NAMES[0]])
    with pytest.raises(SystemExit, match="unknown chart 'nope'"):
        charts.page_html("<!-- chart: nope -->", "chapters/x/")


def test_heatmap_row_labels_are_drawn_in_full(drawings: dict[str, list[cc.Drawing]]) -> None:
    """Long archetype names wrap onto two lines instead of being cut with an ellipsis."""
    from html import unescape

    from calculators.archetype import profiles
    from calculators.charts.theme import two_lines

    names = [p["name"] for p in profiles()]
    for d in drawings["archetype_design"]:
        texts = [unescape(t) for t in re.findall(r"<(?:text|tspan)[^>]*>([^<]+)</(?:text|tspan)>", d.svg)]
        assert not [t for t in texts if t.endswith("\u2026")], f"{d.palette}: a label is cut"
        for name in names:
            lines = two_lines(name)
            assert any(texts[i : i + len(lines)] == lines for i in range(len(texts))), f"{d.palette}: {name!r}"
