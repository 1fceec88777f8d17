"""Share links built to break a calculator page are refused or ignored, and nothing they carry runs.

Each hostile link (empty, garbage, not JSON, over the size limit, a megabyte
string, __proto__ keys, deep nesting, markup and script URLs in text and choice
fields, NaN, huge numbers, wrong types, too much work) is opened on every
calculator it applies to through Material's instant navigation: the page must
show a notice above the form, a field-level message or a normal result as the
case says, inject no element, open no dialog, pollute no prototype, log no
error, and stay usable (one valid edit recomputes to a valid result). A hostile
link opened by a full page load injects nothing either, before Python has even
started.
"""

from __future__ import annotations

import base64
import json
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from .conftest import material_ready, wait_state
from .page_edits import CALCULATORS, computed, edit_and_recompute, expect_recompute, schema_edit
from .schema import in_view

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
