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

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"
MARKER = re.compile(r"^<!-- chart: (?P<name>[A-Za-z0-9_\-]+) -->$")
NAMES = sorted(cc.CHARTS)


@pytest.fixture
def no_risk_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    """The timeline's data as before it had a [risk_matrix] table (the chart's own values apply)."""
    from calculators import _data

    real = _data.load_toml

    def without(name: str) -> dict[str, Any]:
        data = dict(real(name))
        data.pop("risk_matrix", None)
        return data

    monkeypatch.setattr(_data, "load_toml", without)


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
    rows += [r for node in _walk(spec) if isinstance(node.get("data"), dict)
             for r in node["data"].get("values", [])]
    return rows


@pytest.mark.content
def test_required_charts_are_registered() -> None:
    assert set(NAMES) == {"roles_skills", "nonlinear_progress", "archetype_design",
                          "plan_likelihood_importance", "feedback_types"}


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
    assert [[m["name"], cc._fmt(m["effort"]), cc._fmt(m["signal_value"])] for m in expected] == \
        [row[:3] for row in fig.rows]
    fig = cc.figure("nonlinear_progress")
    assert len(fig.rows) == len(data["nonlinear_progress"]["rows"])
    assert fig.rows[-1][2] == f"{data['nonlinear_progress']['rows'][-1]['observed']:.2f}"
    fig = cc.figure("archetype_design")
    t = data["archetype_design"]
    assert [row[0] for row in fig.rows] == t["archetypes"]
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
    with pytest.raises(ValueError, match="unknown chart 'nope'.*roles_skills"):
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
    ("plan_likelihood_importance", 'park = "x"\n', "", "quadrants"),
    ("archetype_design", 'choice = "Model ownership"\nlabel = "Users operate them"\n',
     'choice = "Data ownership"\nlabel = "Users operate them"\n', "appears twice"),
    ("archetype_design", '"independent", "ml_first"]', '"independent", "ml_second"]', "unknown archetype 'ml_second'"),
    ("feedback_types", 'mechanism = "free_text"\n', 'mechanism = "smoke_signals"\n', "unknown mechanism 'smoke_signals'"),
    ("feedback_types", 'example = "A comment box under a bad answer"\n',
     'example = "A comment box under a bad answer"\ncolour = "red"\n', "unknown key 'colour'"),
]


@pytest.mark.parametrize(("chart", "find", "replace", "problem"), BROKEN, ids=[f"{b[0]}-{i}" for i, b in enumerate(BROKEN)])
def test_malformed_data_names_the_chart(tmp_path: Path, chart: str, find: str, replace: str, problem: str,
                                       no_risk_matrix: None) -> None:
    if chart == "plan_likelihood_importance" and find.startswith("park"):
        find, replace = 'unlikely_minor = "Park"\n', ""
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


def test_risk_matrix_comes_from_the_timeline_data_when_present(monkeypatch: pytest.MonkeyPatch) -> None:
    from calculators import _data

    real = _data.load_toml
    table = cc.load(chart=QUADRANT)[QUADRANT]
    # Cut-offs that move every task into one quadrant, and names nobody would write by hand.
    cut_x = min(r["likelihood"] for r in table["rows"]) / 2
    cut_y = min(r["importance"] for r in table["rows"]) / 2
    names = {key: f"Q-{key}" for key in ("likely_important", "unlikely_important", "likely_minor", "unlikely_minor")}
    monkeypatch.setattr(_data, "load_toml", lambda name: {**real(name), "risk_matrix": {
        "likelihood_cutoff": cut_x, "importance_cutoff": cut_y, "quadrants": names}}
        if name == "timeline_examples.toml" else real(name))
    matrix = cc.risk_matrix(table)
    assert (matrix["likelihood_split"], matrix["importance_split"]) == (cut_x, cut_y)
    assert matrix["source"].endswith("timeline_examples.toml")
    fig = cc.figure(QUADRANT)
    assert {row[-1] for row in fig.rows} == {names["likely_important"]}
    rules = [v for node in _walk(fig.spec) if isinstance(node.get("data"), dict)
             for v in node["data"].get("values", []) if set(v) == {"x", "y"}]
    assert rules and {(v["x"], v["y"]) for v in rules} == {(cut_x, cut_y)}
    drawn = {v["text"] for node in _walk(fig.spec) if isinstance(node.get("data"), dict)
             for v in node["data"].get("values", []) if "text" in v}
    assert drawn == set(names.values())


def test_a_broken_risk_matrix_names_the_timeline_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from calculators import _data

    real = _data.load_toml
    monkeypatch.setattr(_data, "load_toml", lambda name: {**real(name), "risk_matrix": {"likelihood_cutoff": 0.5}})
    with pytest.raises(cc.ChartDataError, match=r"timeline_examples.toml.*\[risk_matrix\].*importance"):
        cc.figure(QUADRANT)


def test_without_a_risk_matrix_the_chart_uses_its_own_cut_offs(no_risk_matrix: None) -> None:
    table = cc.load(chart=QUADRANT)[QUADRANT]
    matrix = cc.risk_matrix(table)
    assert matrix["source"].endswith("charts.toml")
    assert matrix["likelihood_split"] == table["likelihood_split"]
    assert matrix["quadrants"] == dict(table["quadrants"])


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
        assert d.width >= cc.WIDTH and 0 < d.height
        assert cc.PALETTES[palette]["fg"] in d.svg, f"{palette}: text in the palette's colour"
    assert by_palette["light"].svg != by_palette["dark"].svg


@pytest.mark.parametrize("name", NAMES)
def test_figure_html_is_valid_and_complete(figures: dict[str, cc.Figure], drawings: dict[str, list[cc.Drawing]],
                                           name: str) -> None:
    from bs4 import BeautifulSoup

    fig = figures[name]
    html = BeautifulSoup(cc.figure_html(name, fig, drawings[name], root="../../"), "html.parser")
    figure = html.find("figure")
    kids = [c.name for c in figure.children if getattr(c, "name", None)]
    assert kids[-1] == "figcaption" and kids.count("figcaption") == 1
    assert figure.find("figcaption").get_text() == fig.caption
    images = figure.find_all("img")
    assert {img["src"].split("?")[0] for img in images} == {
        f"../../{cc.SVG_DIR}/{d.filename(name)}" for d in drawings[name]}
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
