"""The build pipeline: HTML it writes, markers it fills, the trimmed lock."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from calculators import api, view
from pipeline import paths, render, site, steps
from pipeline.paths import REPO
from pipeline.pybundle import closure

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


@pytest.mark.parametrize(
    "block",
    [
        view.summary(HOSTILE),
        view.heading(HOSTILE),
        view.paragraph(HOSTILE),
        view.notice(HOSTILE, level="warning"),
        view.metrics((HOSTILE, HOSTILE, HOSTILE)),
        view.table(HOSTILE, [HOSTILE], [[HOSTILE]]),
        view.bullet_list([HOSTILE]),
        view.chart("x", {"rows": []}, alt=HOSTILE, title=HOSTILE),
        view.download(HOSTILE, HOSTILE, HOSTILE),
    ],
    ids=lambda b: b["type"],
)
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
    assert paths.root_of("") == ""
    assert paths.root_of("chapters/roles/") == "../../"
    assert paths.root_of("glossary.html") == ""


def fake_state(cdn: str = "") -> site.BuildState:
    prerendered = {"timeline": {"config": {"form": []}, "charts": {}, "result": {}, "view": [view.summary("hi")]}}
    return site.BuildState(
        lock_path="assets/py/abc123/pyodide-lock.json",
        asset_version="abc123",
        prerendered=prerendered,
        cdn=cdn,
        expect_bytes=10,
    )


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
    html = site.page_html(
        "<!-- calculator: timeline -->", "calculators/timeline/", fake_state(cdn="https://cdn.example/")
    )
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


# ------------------------------------------------------------------ deploy headers and the site server
def _nginx_headers(conf: str) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """nginx.conf's add_header lines: (server level, {location regex: headers})."""
    top: dict[str, str] = {}
    blocks: dict[str, dict[str, str]] = {}
    current = top
    for line in conf.splitlines():
        line = line.split("#", 1)[0].strip() if not line.strip().startswith("add_header") else line.strip()
        if m := re.match(r"location\s+~\s+(\S+)\s*\{", line):
            current = blocks.setdefault(m.group(1), {})
        elif line == "}":
            current = top
        elif m := re.match(r'add_header\s+(\S+)\s+"([^"]*)"(\s+always)?;', line):
            current[m.group(1)] = m.group(2)
    return top, blocks


def test_nginx_conf_sends_exactly_the_headers_of_deploy_headers():
    from pipeline import devserver

    rules = dict(devserver.deployed_headers())
    top, blocks = _nginx_headers((REPO / "deploy" / "nginx.conf").read_text(encoding="utf-8"))
    assert top == rules["/*"], "the server-level add_header lines differ from '/*' in deploy/_headers"
    cached = {p: h for p, h in rules.items() if p != "/*"}
    assert len(blocks) == 1, blocks
    ((regex, headers),) = blocks.items()
    for pattern, values in cached.items():
        assert re.match(regex, pattern.rstrip("*") + "x"), f"nginx's location {regex} misses {pattern}"
        assert headers == {**rules["/*"], **values}, pattern  # nginx does not inherit add_header into it
    assert not re.match(regex, "/assets/playbook/x"), "only versioned folders may be cached for a year"


def test_the_csp_is_written_once_and_the_deploying_page_includes_it():
    skip = {".git", ".venv", "site", "build", "test-results", "node_modules", "__pycache__", ".hypothesis"}
    files = [
        p
        for p in REPO.rglob("*")
        if p.is_file()
        and not skip & set(p.relative_to(REPO).parts)
        and p.suffix in ("", ".md", ".py", ".html", ".mjs", ".js", ".yml", ".toml", ".conf", ".txt", ".sh")
    ]
    holders = {p.relative_to(REPO).as_posix() for p in files if "default-src" in p.read_text(errors="ignore")}
    assert holders <= {"deploy/_headers", "deploy/nginx.conf", "tests/test_pipeline.py"}, holders
    page = (REPO / "docs" / "deploying.md").read_text(encoding="utf-8")
    assert '--8<-- "_headers"' in page and '--8<-- "nginx.conf"' in page


@pytest.fixture
def tiny_site(tmp_path) -> Path:
    (tmp_path / "assets" / "py" / "abc").mkdir(parents=True)
    (tmp_path / "assets" / "py" / "abc" / "x.whl").write_bytes(b"wheel")
    (tmp_path / "index.html").write_text("<p>home</p>")
    (tmp_path / "404.html").write_text("<p>our own 404</p>")
    return tmp_path


def _get(url: str):
    import urllib.error
    import urllib.request

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    try:
        with urllib.request.build_opener(NoRedirect).open(url, timeout=10) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.mark.parametrize("base", ["/", "/playbook/"])
def test_the_site_server_sends_the_deployed_headers_and_serves_under_a_base(tiny_site, base):
    from pipeline import devserver

    srv = devserver.SiteServer(tiny_site, base=base).start()
    try:
        assert srv.url.endswith(base)
        status, headers, body = _get(srv.url)
        assert (status, body) == (200, b"<p>home</p>")
        assert (
            headers["Content-Security-Policy"]
            == devserver.csp()
            == dict(devserver.deployed_headers())["/*"]["Content-Security-Policy"]
        )
        assert headers["Cache-Control"] == "no-cache"
        status, headers, body = _get(srv.url + "assets/py/abc/x.whl")
        assert status == 200 and "immutable" in headers["Cache-Control"]
        status, headers, body = _get(srv.url + "no/such/page/")
        assert (status, body) == (404, b"<p>our own 404</p>")
        assert headers["Cache-Control"] == "no-cache"
        if base != "/":
            origin = srv.url[: -len(base)]
            assert _get(origin + "/index.html")[0] == 404, "nothing is served outside the base"
            status, headers, _ = _get(srv.url.rstrip("/"))
            assert status == 301 and headers["Location"] == base
        assert srv.requests[0] == "/"
    finally:
        srv.stop()


def test_scripts_do_not_import_tests():
    for script in (REPO / "scripts").glob("*.py"):
        assert not re.search(r"^\s*(from|import)\s+tests\b", script.read_text(encoding="utf-8"), re.M), script.name


def test_the_publish_workflow_tests_first_caches_downloads_and_builds_for_the_pages_address():
    import yaml

    from pipeline import paths

    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    uses = [s["uses"] for s in steps if "uses" in s]
    assert all(re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", u) for u in uses), "pin every action by commit"
    names = [s.get("uses", "").split("@")[0] or s.get("run", "").strip() for s in steps]
    assert (
        names.index("make test-fast")
        < names.index("make build DEPLOY=1")
        < names.index("actions/upload-pages-artifact")
    )
    cache = next(s for s in steps if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == f"~/.cache/{paths.manifest()['cache_name']}"
    assert names.index("actions/cache") < names.index("make test-fast")
    pages = next(s for s in steps if s.get("uses", "").startswith("actions/configure-pages@"))
    build = next(s for s in steps if s.get("run", "").strip() == "make build DEPLOY=1")
    assert build["env"]["SITE_URL"] == "${{ steps." + pages["id"] + ".outputs.base_url }}/"
    assert ".github" not in (REPO / "Makefile").read_text(encoding="utf-8"), "make test must not need the workflow"


@pytest.mark.parametrize("module", ["pipeline.site", "pipeline.devserver", "pipeline.palette"])
def test_pipeline_doctests(module):
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.failed == 0 and result.attempted > 0, result


def test_a_build_step_runs_again_only_when_its_inputs_change(tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "STEPS", tmp_path / "steps")
    runs = []

    def step():
        runs.append(1)
        return {"n": len(runs)}

    assert steps.cached_step("x", "key-1", step) == {"n": 1}
    assert steps.cached_step("x", "key-1", step) == {"n": 1} and len(runs) == 1
    assert steps.cached_step("x", "key-2", step) == {"n": 2}
    assert steps.cached_step("x", "key-2", step, valid=lambda value: False) == {"n": 3}, "missing outputs: run again"


def test_the_input_digest_follows_content_not_time(tmp_path, monkeypatch):
    monkeypatch.setattr(steps, "REPO", tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "x.py").write_text("1")
    first = steps.digest("a")
    (tmp_path / "a" / "x.py").touch()
    (tmp_path / "a" / "__pycache__").mkdir()
    (tmp_path / "a" / "__pycache__" / "x.pyc").write_bytes(b"junk")
    assert steps.digest("a") == first
    (tmp_path / "a" / "x.py").write_text("2")
    assert steps.digest("a") != first


def test_the_contrast_table_is_filled_from_the_theme():
    from pipeline import palette

    html = site.page_html("<!-- primary-contrast -->", "make-it-your-own/", fake_state())
    assert "<table>" in html and html.count("<tr>") == len(palette.primaries()) + 1
    assert palette.passing(), "some Material primary must pass"
    for name in palette.passing():
        assert min(palette.ratios(name)) >= palette.AA


def test_every_browser_test_is_marked_browser():
    """``-m "not browser"`` (``make test-fast``) collects none of tests/browser/: each is deselected."""
    import subprocess
    import sys

    argv = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", "not browser"]
    proc = subprocess.run([*argv, "tests/browser"], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 5, proc.stdout[-2000:] + proc.stderr[-2000:]  # 5: no test selected
    deselected = re.search(r"(\d+) deselected", proc.stdout)
    assert deselected and int(deselected[1]) > 50, proc.stdout[-2000:]


def test_make_test_fast_selects_no_test_that_builds_the_site():
    """``make test-fast`` (``-m "not browser and not slow"``) selects no test using a fixture that builds the
    whole site (tests/conftest.py marks them ``slow``), so it stays a loop of a minute or so."""
    import subprocess
    import sys

    import tests.conftest as top

    argv = [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"]
    fast = subprocess.run(
        [*argv, "-m", "not browser and not slow", "tests/test_handbook.py"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    every = subprocess.run(
        [*argv, "--fixtures-per-test", "tests/test_handbook.py"], cwd=REPO, capture_output=True, text=True, timeout=300
    )
    using_site = {
        block.split("\n", 1)[0].split("::")[-1].split(" ")[0]
        for block in every.stdout.split("----- fixtures used by ")[1:]
        if any(f"\n{name} " in block or f"\n{name} --" in block for name in top.SITE_FIXTURES)
    }
    assert using_site, "tests/test_handbook.py should have tests that read the built site"
    selected = {line.split("::")[-1].split("[")[0] for line in fast.stdout.splitlines() if "::" in line}
    assert selected, fast.stdout[-2000:]
    assert not (selected & {n.split("[")[0] for n in using_site}), selected & using_site
