"""The build pipeline: HTML it writes, markers it fills, the trimmed lock."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from calculators import api, view
from pipeline import render, site
from pipeline.pybundle import closure

REPO = Path(__file__).resolve().parent.parent
HOSTILE = '"><img src=x onerror=alert(1)></script><script>alert(2)</script>&amp;'


class Collect(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[dict[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.append(dict(attrs))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Collect:
    p = Collect()
    p.feed(html)
    return p


@pytest.mark.parametrize("block", [
    view.summary(HOSTILE), view.heading(HOSTILE), view.paragraph(HOSTILE), view.notice(HOSTILE, level="warning"),
    view.metrics((HOSTILE, HOSTILE, HOSTILE)), view.table(HOSTILE, [HOSTILE], [[HOSTILE]]),
    view.bullet_list([HOSTILE]), view.chart("x", {"rows": []}, alt=HOSTILE, title=HOSTILE),
    view.download(HOSTILE, HOSTILE, HOSTILE),
], ids=lambda b: b["type"])
def test_block_text_is_escaped_never_markup(block):
    out = parse(render.block_html(block))
    assert "img" not in out.tags and "script" not in out.tags
    assert all(not k.startswith("on") for a in out.attrs for k in a)
    assert any(HOSTILE in t for t in out.text) or any(HOSTILE in (v or "") for a in out.attrs for v in a.values())


def test_links_refuse_other_hosts_and_schemes():
    for bad in ("javascript:alert(1)", "https://example.org/", "//example.org/x", "data:text/html,x"):
        with pytest.raises(ValueError, match="unsafe link"):
            view.links([("x", bad)])
    html = render.block_html(view.links([("Roles", "chapters/roles/")]), root="../../")
    assert 'href="../../chapters/roles/"' in html


def test_json_data_round_trips_through_an_html_parser():
    data = {"text": HOSTILE, "n": 1.5, "nested": [{"a": "</div>"}]}
    out = parse(render.json_data(data, "pb-x"))
    assert out.tags == ["div"]
    assert json.loads(out.attrs[0]["data-json"]) == data


def test_every_block_type_a_calculator_emits_is_drawn_by_both_renderers():
    js = (REPO / "overrides/assets/playbook/blocks.mjs").read_text()
    js_types = set(re.findall(r'case "([a-z_]+)":', js))
    seen = set()
    for name in api.CALCULATORS:
        calc = api.get(name)
        for example in calc.examples():
            for block in api.compute(name, {**calc.default_input(), **example["input"]})["view"]:
                seen.add(block["type"])
                render.block_html(block)  # raises on an unknown type
    assert seen <= js_types, f"block types the browser cannot draw: {seen - js_types}"


def test_root_of_pages():
    assert site.root_of("") == ""
    assert site.root_of("chapters/roles/") == "../../"
    assert site.root_of("glossary.html") == ""


def fake_state(cdn: str = "") -> site.BuildState:
    prerendered = {"timeline": {"config": {"form": []}, "charts": {}, "result": {}, "view": [view.summary("hi")]}}
    return site.BuildState(lock_path="assets/py/abc123/pyodide-lock.json", asset_version="abc123",
                           prerendered=prerendered, cdn=cdn, expect_bytes=10)


def test_markers_are_filled_with_a_calculator_root(monkeypatch):
    monkeypatch.setattr(site, "wheel_of", lambda state: "assets/py/abc123/calculators-0.1.0-cp312-none-any.whl")
    html = site.page_html("<p>a</p>\n<!-- calculator: timeline -->\n", "calculators/timeline/", fake_state())
    out = parse(html)
    root = next(a for a in out.attrs if "data-calculator" in a)
    assert root["data-calculator"] == "timeline" and root["data-state"] == "prerendered"
    runtime = json.loads(root["data-runtime"])  # one attribute, read by early.js and config.mjs
    assert runtime["lockURL"] == "../../assets/py/abc123/pyodide-lock.json"
    assert runtime["indexURL"].startswith("../../assets/pyodide/")
    assert runtime["cdn"] is False
    assert "hi" in "".join(out.text)


def test_the_cdn_option_points_only_the_runtime_elsewhere(monkeypatch):
    monkeypatch.setattr(site, "wheel_of", lambda state: "assets/py/abc123/calculators-0.1.0-cp312-none-any.whl")
    html = site.page_html("<!-- calculator: timeline -->", "calculators/timeline/", fake_state(cdn="https://cdn.example/"))
    root = next(a for a in parse(html).attrs if "data-calculator" in a)
    runtime = json.loads(root["data-runtime"])
    assert runtime["cdn"] is True and runtime["indexURL"] == "https://cdn.example/"
    assert runtime["lockURL"].startswith("../../assets/py/")


def test_an_unknown_calculator_marker_stops_the_build_naming_the_page():
    with pytest.raises(SystemExit, match="page calculators/x/: unknown calculator 'nope'"):
        site.page_html("<!-- calculator: nope -->", "calculators/x/", fake_state())


def test_lock_closure_keeps_only_what_the_site_loads():
    packages = {"numpy": {"depends": []}, "calculators": {"depends": ["numpy"]}, "scipy": {"depends": ["numpy"]}}
    assert closure(packages, ("calculators",)) == {"calculators", "numpy"}
    with pytest.raises(SystemExit, match="missing"):
        closure({"a": {"depends": ["missing"]}}, ("a",))
