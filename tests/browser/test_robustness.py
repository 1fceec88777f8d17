"""What the site guarantees when things go wrong, and that it needs nobody else.

* Self-contained: no page asks any other host for anything, fonts included.
* Strict CSP: every calculator and chart works under the policy docs/deploying.md
  documents (the test server sends it), with no 'unsafe-inline' / 'unsafe-eval'.
* Faults: a missing wasm, a corrupted numpy, a worker that throws, a stalled
  download each end in data-state="error", with a sentence naming the cause
  and what to do, and the prerendered result kept (how long the reader waits
  for that sentence is measured by ``make bench``, never asserted here).
* Bad and hostile input: share links built to break the page are refused or
  ignored with a notice or a field-level message; nothing they carry runs.
* Links: every internal href and #anchor in the built site resolves.
* Caching: runtime files are cached by path, so a second visit downloads none.
"""

from __future__ import annotations

import base64
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from playwright.sync_api import expect

from pipeline.paths import manifest

from .conftest import LAUNCH_ARGS, chromium_path, draw_charts, material_ready, python_view, sitemap_pages, wait_state
from .schema import in_view, names, valid_edit

CALCULATORS = names()
CHART_PAGE = "chapters/managing/"  # a chapter with charts


def summary_of(view: list[dict]) -> str:
    return next(b["text"] for b in view if b["type"] == "summary")


def default_summary(name: str) -> str:
    from calculators import api

    return summary_of(python_view(name, api.get(name).default_input()))


def computed(root) -> int:
    return int(root.get_attribute("data-computed") or 0)


def expect_recompute(root, before: int, timeout: int = 30_000) -> None:
    """data-computed grows past ``before`` (locators only: works under a strict CSP)."""
    seen = "|".join(str(i) for i in range(before + 1))
    expect(root).to_have_attribute("data-computed", re.compile(rf"^(?!(?:{seen})$)\d+$"), timeout=timeout)


def edit_and_recompute(root, edit) -> None:
    """Make one valid edit (a (selector, value) pair; value None means tick a box) and see a valid recompute."""
    before = computed(root)
    selector, value = edit
    field = root.locator(selector)
    field.evaluate(
        "e => { for (let d = e.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }"
    )
    field.check() if value is None else field.fill(value)
    expect_recompute(root, before)
    expect(root).to_have_attribute("data-valid", "true")


# ------------------------------------------------------------------ 1. self-contained
def test_every_page_is_self_contained_with_calculators_ready_and_charts_drawn(page, server, site_dir):
    pages = sitemap_pages(site_dir)
    assert len(pages) >= 10, pages
    for path in pages:
        page.goto(server.url + path)
        expect(page.locator("h1").first).to_be_visible()
        if page.locator("[data-calculator]").count():
            assert wait_state(in_view(page)) == "ready", path
        for view in draw_charts(page, page.locator("figure.pb-chart .pb-chart__view"), states="true"):
            expect(view.locator("svg").first).to_be_attached()
        # Fonts: Material's Google Fonts are off (theme.font: false) and nothing else brings any.
        html = page.content()
        assert "fonts.googleapis.com" not in html and "fonts.gstatic.com" not in html, path
        font_hosts = page.evaluate("""() => performance.getEntriesByType('resource')
            .filter(e => /\\.(woff2?|ttf|otf|eot)(\\?|$)/.test(e.name) || e.initiatorType === 'css')
            .map(e => new URL(e.name).origin).filter(o => o !== location.origin)""")
        assert font_hosts == [], (path, font_hosts)
    assert page.recorder.foreign == [], page.recorder.foreign
    assert page.recorder.errors == [], page.recorder.errors


# ------------------------------------------------------------------ 2. strict CSP
def schema_edit(name: str) -> tuple[str, str | None]:
    """(selector, value) of one valid edit read from the calculator's form schema."""
    edit = valid_edit(name)
    return edit.selector, edit.value


CSP_EDITS = {name: schema_edit(name) for name in CALCULATORS}


def test_everything_works_under_the_strict_csp(make_context, server):
    ctx, rec = make_context(server, viewport={"width": 1280, "height": 900})  # no bypass_csp
    csp_errors: list[str] = []
    p = ctx.new_page()
    p.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    for name in CALCULATORS:
        p.goto(server.url + f"calculators/{name}/")
        root = p.locator(f"[data-calculator={name}]")
        assert wait_state(in_view(p)) == "ready", name
        edit_and_recompute(root, CSP_EDITS[name])
        charts = root.locator(".pb-chart__view")
        if charts.count():
            charts.first.scroll_into_view_if_needed()
            expect(charts.first.locator("svg").first).to_be_attached(timeout=30_000)
    p.goto(server.url + CHART_PAGE)
    views = p.locator("figure.pb-chart--chapter .pb-chart__view")
    expect(p.locator("html")).to_have_attribute("data-pb-material", "ready", timeout=30_000)  # after load
    images = p.locator("figure.pb-chart--static img.pb-chart__img--light")  # drawn at build time; light palette
    assert views.count() + images.count() >= 1
    for img in images.all():
        img.scroll_into_view_if_needed()
        expect(img).to_have_js_property("complete", True)
        expect(img).not_to_have_js_property("naturalWidth", 0)  # loaded, not broken
    for view in views.all():
        view.scroll_into_view_if_needed()  # locators only: page.evaluate is refused under this CSP
        expect(view).to_have_attribute("data-rendered", "true", timeout=30_000)
        expect(view.locator("svg").first).to_be_attached()
    assert csp_errors == [], csp_errors
    assert rec.errors == [], rec.errors
    assert rec.foreign == []


# ------------------------------------------------------------------ 3. faults
FAULT_CASES = {
    # fault -> what the status must say (the cause: a stall ends by the runtime's own timeout)
    "wasm_404": r"could not be downloaded",
    "numpy_corrupt": r"did not match its checksum",
    "worker_throws": r"failed while starting",
    "stall": r"stalled",
}
#: How long a test waits for the error state (ms): a failure bound for a busy machine, not a measure.
FAULT_WAIT = 120_000


@pytest.mark.parametrize("fault", list(FAULT_CASES))
def test_a_runtime_fault_ends_in_a_clear_error_and_keeps_the_prerendered_result(make_context, server, faults, fault):
    cause = FAULT_CASES[fault]
    faults.add(fault)
    ctx, rec = make_context(server, bypass_csp=True, viewport={"width": 1280, "height": 900})
    if fault == "stall":
        ctx.add_init_script("globalThis.playbookRuntime = {timeoutMs: 3000}")
    p = ctx.new_page()
    name = CALCULATORS[0]
    p.goto(server.url + f"calculators/{name}/")
    root = p.locator(f"[data-calculator={name}]")
    status = root.locator(".pb-calc__status")
    root.scroll_into_view_if_needed()  # Python starts when the calculator is in view
    expect(root).to_have_attribute("data-state", "error", timeout=FAULT_WAIT)
    text = status.text_content().strip()
    assert re.search(cause, text), text
    assert re.search(r"\b(reload|check|tell)\b", text, re.I), f"says nothing about what to do: {text}"
    assert len(text) < 320 and "…" not in text, text  # a sentence or two, not a progress line
    expect(status).to_have_class(re.compile(r"pb-calc__status--error"))
    # The prerendered result is still there and visible.
    summary = root.locator(".pb-calc__result .pb-block--summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_text(default_summary(name))
    # Editing an input does not bring back a spinner or throw.
    selector, value = schema_edit(name)
    field = root.locator(selector)
    field.evaluate(
        "e => { for (let d = e.closest('details'); d; d = d.parentElement.closest('details')) d.open = true; }"
    )
    field.check() if value is None else field.fill(value)
    # The edit reaches the share link (the page handled it) and the state stays "error".
    p.wait_for_function("() => location.hash.startsWith('#i=')", timeout=30_000)
    assert root.get_attribute("data-state") == "error"
    assert status.text_content().strip() == text
    page_errors = [e for e in rec.errors if e.startswith("pageerror")]
    assert page_errors == [], page_errors


def test_bad_input_shows_a_field_message_and_the_next_valid_input_clears_it(page, server):
    page.goto(server.url + "calculators/timeline/")
    root = page.locator("[data-calculator=timeline]")
    assert wait_state(in_view(page)) == "ready"
    optimistic = root.locator('[data-field="tasks[0].optimistic"]')
    pessimistic = root.locator('[data-field="tasks[0].pessimistic"]')
    assert float(optimistic.input_value()) >= 1
    pessimistic.fill("0.5")  # below optimistic
    expect(root).to_have_attribute("data-valid", "false", timeout=30_000)
    expect(pessimistic).to_have_attribute("aria-invalid", "true")
    error = pessimistic.locator("xpath=following-sibling::p[contains(@class, 'pb-field__error')]")
    expect(error).to_be_visible()
    expect(error).to_contain_text(
        re.compile(r"pessimistic", re.I)
    )  # by the field's label; the words are the calculator's
    assert error.get_attribute("id") in (pessimistic.get_attribute("aria-describedby") or "").split()
    expect(root.locator(".pb-calc__status .pb-calc__first-error")).to_have_text("Pessimistic, row 1")
    before = computed(root)
    pessimistic.fill("40")
    expect(root).to_have_attribute("data-valid", "true", timeout=30_000)
    expect(error).to_be_hidden()
    expect(pessimistic).not_to_have_attribute("aria-invalid", "true")
    assert computed(root) > before
    assert page.recorder.errors == []


# ------------------------------------------------------------------ 4. hostile share links
XSS = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
INJECTED = "img[src='x'], [onerror], [onload], a[href^='javascript:' i], iframe, object, embed, script:not([src]):not([type='application/json'])"


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def link(data) -> str:
    """A share-link fragment for ``data`` (anything json.dumps takes, NaN included)."""
    return "#i=" + b64url(json.dumps(data, separators=(",", ":")).encode())


def defaults(name: str) -> dict:
    from calculators import api

    return json.loads(json.dumps(api.get(name).default_input()))


def with_(name: str, **changes) -> dict:
    data = defaults(name)
    for path, value in changes.items():
        target = data
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[int(key)] if key.isdigit() else target.setdefault(key, {})
        target[int(keys[-1]) if keys[-1].isdigit() else keys[-1]] = value
    return data


def nested(name: str, depth: int) -> str:
    """The defaults with a key nested ``depth`` objects deep (json.dumps would recurse too far)."""
    text = json.dumps(defaults(name))[:-1] + ',"deep":' + '{"a":' * depth + "1" + "}" * depth + "}"
    return "#i=" + b64url(text.encode())


# Each case: calculator -> fragment, and what the page must show:
#   "notice"  a notice above the form (the link, or a value in it, was refused)
#   "field"   a field-level message (Python's validation), with `text` in it
#   "ok"      computed normally (unknown keys and the like are simply ignored)
#   "any"     one of the above
def hostile_cases() -> list[tuple[str, str, str, str, str]]:
    cases: list[tuple[str, str, str, str, str]] = []

    def add(case, name, fragment, expect_kind, text=""):
        cases.append((case, name, fragment, expect_kind, text))

    big = "A" * 1_000_000
    for name in CALCULATORS:
        add("empty", name, "#i=", "notice", "could not be read")
        add("garbage", name, "#i=%%%<script>alert(1)</script>!!!", "notice", "could not be read")
        add("invalid_json_nan", name, "#i=" + b64url(b'{"trials": NaN, "answers": NaN}'), "notice", "could not be read")
        add("not_an_object", name, link([1, 2, 3]), "notice", "could not be read")
        add("over_64k", name, "#i=" + "A" * 70_000, "notice", "over the limit")
        add(
            "one_megabyte_string",
            name,
            link(with_(name, unit=big) if name == "timeline" else {**defaults(name), "x": big}),
            "notice",
            "over the limit",
        )
        add(
            "proto_and_unknown_keys",
            name,
            "#i="
            + b64url(
                json.dumps(defaults(name))[:-1].encode() + b',"__proto__":{"polluted":1},"constructor":{"prototype":'
                b'{"polluted":1}},"zzz":[1,2],"onerror":"alert(1)"}'
            ),
            "ok",
        )
        add("deeply_nested", name, nested(name, 3000), "ok")
    # Markup and script URLs in every kind of text field: kept as text, never markup.
    add("xss_text", "timeline", link(with_("timeline", tasks__0__name=XSS, unit=JS_URL)), "ok")
    add("xss_text", "archetype", link(with_("archetype", merge=XSS + "\n" + JS_URL)), "field", "")
    add("xss_text", "feedback", link(with_("feedback", cost_unit=JS_URL[:20])), "ok")
    add(
        "xss_choices",
        "timeline",
        link(with_("timeline", distribution=XSS, unit=XSS[:20])),
        "notice",
        "not one of the choices",
    )
    add(
        "xss_choices",
        "archetype",
        link(with_("archetype", answers__compute=XSS, target=JS_URL)),
        "notice",
        "not one of the answers",
    )
    add("xss_choices", "feedback", link(with_("feedback", interface=XSS, deferred_to=JS_URL)), "notice", "not one of")
    # NaN as a string, huge numbers, wrong types.
    add(
        "nan_string",
        "timeline",
        link(with_("timeline", trials="NaN", tasks__0__optimistic="NaN")),
        "notice",
        "not a number",
    )
    add("nan_string", "archetype", link(with_("archetype", answers__horizon="NaN")), "notice", "not one of the answers")
    add("nan_string", "feedback", link(with_("feedback", active_users="NaN")), "notice", "not a number")
    add(
        "huge_numbers",
        "timeline",
        link(with_("timeline", tasks__0__optimistic=-1e308, tasks__0__pessimistic=1e308)),
        "field",
        "",
    )
    add(
        "huge_numbers",
        "archetype",
        link(with_("archetype", answers__reporting=1e308)),
        "notice",
        "not one of the answers",
    )
    add("huge_numbers", "feedback", link(with_("feedback", cost_wrong=-1e308, active_users=1e308)), "field", "")
    add(
        "wrong_types",
        "timeline",
        link(with_("timeline", tasks="rows", trials={"$gt": 1}, seed=[1], unit=["w"])),
        "notice",
        "not a list of rows",
    )
    add(
        "wrong_types",
        "archetype",
        link({**defaults("archetype"), "answers": [1, 2], "target": ["ml_first"]}),
        "notice",
        "not one of",
    )
    add(
        "wrong_types",
        "feedback",
        link(with_("feedback", active_users={"n": 1}, natural_next_step="yes", cost_unit=[XSS])),
        "notice",
        "not a number",
    )
    # A link that asks for too much work: the page names the bound.
    add("too_much_work", "timeline", link(with_("timeline", trials=10_000_000)), "field")
    add("too_much_work", "feedback", link(with_("feedback", active_users=1e12)), "field")
    add("too_much_work", "archetype", link(with_("archetype", merge="x" * 25_000)), "notice", "longer than 20000")
    return cases


#: calculator -> (field, value): an edit after "Reset to the example" that must recompute
EDITS = {name: schema_edit(name) for name in CALCULATORS}


def instant_go(page, url: str) -> None:
    """Follow a link with Material's instant navigation (the Python worker stays alive),
    and return once the new page's content has replaced the old one's.

    Under load the fetch can take seconds (Material shows its progress bar); until then
    the old page's calculator is still there, ready, and would answer for the new one."""
    material_ready(page)
    page.evaluate(
        """url => { document.querySelector('[data-md-component=container]').__pbLeaving = true;
                    const a = document.createElement('a'); a.href = url; a.textContent = 'go';
                    document.body.append(a); a.click(); a.remove(); }""",
        url,
    )
    page.wait_for_function(
        """path => location.pathname === path
                  && !document.querySelector('[data-md-component=container]').__pbLeaving""",
        arg=urlsplit(url).path,
        timeout=30_000,
    )


def shown_errors(root) -> list[str]:
    return [t.strip() for t in root.locator(".pb-field__error:visible").all_text_contents()]


def test_hostile_share_links_are_refused_or_ignored_and_the_page_stays_usable(page, server):
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server.url + "calculators/feedback/")
    assert wait_state(in_view(page)) == "ready"
    # Alternate the calculators so that every step is a real page switch.
    cases = sorted((c for c in hostile_cases() if c[1] in CALCULATORS), key=lambda c: (c[0], CALCULATORS.index(c[1])))
    previous = "feedback"
    for case, name, fragment, expect_kind, text in cases:
        if name == previous:  # two cases in a row on one page: step through another one
            other = next(n for n in CALCULATORS if n != name)
            instant_go(page, server.url + f"calculators/{other}/")
            expect(page.locator(f"[data-calculator={other}]")).to_have_attribute("data-state", "ready")
        label = f"{case} on {name}"
        print(label, flush=True)
        instant_go(page, server.url + f"calculators/{name}/" + fragment)
        previous = name
        root = page.locator(f"[data-calculator={name}]")
        expect(root).to_have_attribute("data-state", "ready", timeout=30_000)
        notices = root.locator(".pb-calc__notices p")
        if expect_kind in ("field", "ok"):
            expect(root).to_have_attribute("data-valid", "false" if expect_kind == "field" else "true", timeout=30_000)
        elif expect_kind == "notice":
            expect(notices.first).to_be_visible()
        notice_text = " ".join(notices.all_text_contents())
        if expect_kind == "notice":
            assert text in notice_text, (label, notice_text)
        elif expect_kind == "field":
            errors = shown_errors(root)
            assert errors and all(e for e in errors), (label, errors)
            # The words are the calculator's (its reader texts); the page's part is to show them.
            assert root.locator("[aria-invalid=true]").count() >= 1, label
        assert page.locator(INJECTED).count() == 0, (
            label,
            page.locator(INJECTED).evaluate_all("els => els.map(e => e.outerHTML.slice(0, 200))"),
        )
        assert dialogs == [], (label, dialogs)
        assert page.evaluate("() => ({}).polluted === undefined && Object.prototype.polluted === undefined"), label
        if case == "xss_text" and name == "timeline":  # the markup is there, as plain text
            assert root.locator('[data-field="tasks[0].name"]').input_value() == XSS
            expect(root.locator(".pb-calc__result")).to_contain_text(XSS)
        # Usable: back to the example (unless the link was refused whole and the
        # example is still there), then one edit recomputes to a valid result.
        if not (expect_kind == "notice" and text in ("could not be read", "over the limit")):
            before = computed(root)
            root.get_by_role("button", name="Reset to the example").click()
            expect_recompute(root, before)
        edit_and_recompute(root, EDITS[name])
        assert shown_errors(root) == [], label
        assert page.recorder.errors == [], (label, page.recorder.errors)
    assert page.recorder.foreign == []


@pytest.mark.parametrize("name", CALCULATORS)
def test_a_hostile_link_opened_directly_injects_nothing(page, server, name):
    """The same on a full page load (no instant navigation), before Python has even started."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    hostile = {
        "timeline": lambda: with_("timeline", tasks__0__name=XSS, tasks__0__id=JS_URL),
        "archetype": lambda: with_("archetype", merge=XSS),
        "feedback": lambda: with_("feedback", interface=XSS),
    }
    # Any other calculator: every text value of its defaults made hostile.
    data = (
        hostile[name]()
        if name in hostile
        else {k: XSS if isinstance(v, str) else v for k, v in defaults(name).items()} | {"x": JS_URL}
    )
    page.goto(server.url + f"calculators/{name}/" + link(data))
    # The page mounts synchronously: once the form is there, the link's values are in it.
    expect(page.locator(f"[data-calculator={name}] .pb-calc__form")).to_be_attached()
    assert page.locator(INJECTED).count() == 0
    assert dialogs == [] and page.recorder.errors == []


# ------------------------------------------------------------------ 6. links
class _Links(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[tuple[str, str]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("id", "name") if tag in ("a",) else ("id",):
            if a.get(key):
                self.ids.add(a[key])
        for key in ("href", "src"):
            if a.get(key) and not (tag == "link" and a.get("rel") in ("canonical", "alternate")):
                self.refs.append((tag, a[key]))


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_and_anchor_resolves(site_dir):
    pages = {p: _parse(p) for p in site_dir.rglob("*.html")}
    broken: list[str] = []
    checked = 0
    for page_path, parsed in pages.items():
        base = "http://site/" + page_path.relative_to(site_dir).as_posix()
        for tag, ref in parsed.refs:
            parts = urlsplit(urljoin(base, ref))
            if parts.scheme != "http" or parts.netloc != "site":
                continue  # mailto:, data:, and links to other sites (the references page)
            target = site_dir / unquote(parts.path).lstrip("/")
            if parts.path.endswith("/") or target.is_dir():
                target = target / "index.html"
            where = f"{page_path.relative_to(site_dir)}: <{tag}> {ref}"
            checked += 1
            if not target.is_file():
                broken.append(f"{where} -> no file {target.relative_to(site_dir)}")
                continue
            fragment = unquote(parts.fragment)
            if fragment and not fragment.startswith("i=") and target.suffix == ".html":
                ids = pages[target].ids if target in pages else _parse(target).ids
                if fragment not in ids:
                    broken.append(f"{where} -> no #{fragment} in {target.relative_to(site_dir)}")
    assert checked > 100, checked
    assert broken == [], "\n".join(broken)


# ------------------------------------------------------------------ 8. caching
RUNTIME_PATHS = ("/assets/pyodide/", "/assets/py/", "/assets/vendor/")


def _runtime_bytes(server, site_dir: Path) -> tuple[int, list[str]]:
    fetched = [r for r in server.requests if r.startswith(RUNTIME_PATHS)]
    return sum((site_dir / unquote(r).lstrip("/")).stat().st_size for r in fetched), fetched


def test_a_second_visit_downloads_no_runtime_bytes_again(browser, server, site_dir, tmp_path):
    import hashlib

    # A profile on disk, as a reader's browser has: the in-memory cache of a fresh
    # context holds no entry over ~6 MB (the wasm is 10 MB). Playwright turns the
    # HTTP cache off when requests are routed, so requests are only watched here.
    ctx = browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path(),
        args=LAUNCH_ARGS,
        viewport={"width": 1280, "height": 900},
        service_workers="block",  # the offline copy (sw.js) would fetch the runtime too: test_offline.py
    )
    foreign: list[str] = []
    ctx.on("request", lambda r: foreign.append(r.url) if not r.url.startswith((server.url, "data:", "blob:")) else None)
    try:
        page = ctx.new_page()
        server.requests.clear()
        page.goto(server.url + "calculators/timeline/")
        assert wait_state(in_view(page)) == "ready"
        first, _ = _runtime_bytes(server, site_dir)
        assert first > 10_000_000, first  # wasm, stdlib, numpy, our wheel, the chart libraries
        version = manifest()["pyodide"]["version"]
        response = page.request.get(server.url + f"assets/pyodide/{version}/pyodide.asm.wasm")
        assert "immutable" in response.headers["cache-control"]
        assert page.request.get(server.url + "calculators/timeline/").headers["cache-control"] == "no-cache"

        server.requests.clear()
        page.reload()
        assert wait_state(in_view(page)) == "ready"
        page.goto(server.url + "calculators/feedback/")
        assert wait_state(in_view(page)) == "ready"
        again, fetched = _runtime_bytes(server, site_dir)
        assert again == 0, f"the second visit downloaded {again:,} runtime bytes again: {fetched}"
        assert any(r.endswith("/calculators/feedback/") for r in server.requests)  # pages are revalidated
        assert foreign == []
        lock_url = json.loads(page.locator("[data-calculator=feedback]").get_attribute("data-runtime"))["lockURL"]
    finally:
        ctx.close()

    # The wheel's folder is named by the wheel's own hash, so new code means a new path.
    segment = lock_url.split("/")[-2]
    lock_path = site_dir / "assets" / "py" / segment / "pyodide-lock.json"
    entry = json.loads(lock_path.read_text())["packages"]["calculators"]
    wheel = lock_path.parent / entry["file_name"].rsplit("/", 1)[1]
    assert hashlib.sha256(wheel.read_bytes()).hexdigest() == entry["sha256"]
    assert segment == entry["sha256"][:12], (segment, entry["sha256"])
    assert sorted(p.name for p in (site_dir / "assets" / "py").iterdir()) == [segment]
