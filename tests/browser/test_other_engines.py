"""Firefox and WebKit take the normal boot: no memory snapshot is asked for, Python
still reaches ``ready``, and it computes what the Python API computes.

The snapshot is made in Chromium and only Chromium may restore it (``findSnapshot``
in ``snapshot/pointer.mjs`` decides by ``navigator.userAgentData``, which the other engines
do not have). Each engine opens one calculator page of the built site, served by
its own :class:`SiteServer` so that every path the engine asked for is known; then
a reader's edit (the first valid edit the form schema allows) must show the summary
that :func:`calculators.api.compute` gives for that input.

- Firefox: Debian's ``firefox-esr``, driven by npm ``puppeteer-core`` over WebDriver
  BiDi (``engines/firefox.mjs``, run with ``node``; it prints JSON).
- WebKit: Debian's ``webkit2gtk-driver`` (``WebKitWebDriver`` and its MiniBrowser)
  under an ``Xvfb`` this module starts, driven by Selenium (pinned in the browser
  dependency group) through the driver Debian installs.

``make browser`` installs both (``scripts/ensure-engines.sh``); an engine that is not
installed is skipped with the reason.
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import re
import shutil
import signal
import subprocess
import time
import warnings
from pathlib import Path

import pytest

from ..conftest import skip_unless_own_content
from .conftest import BASE, READY_TIMEOUT, REPO, calculator_pages, python_view
from .faults import FaultyServer
from .schema import Edit, names, page_config, valid_edit

pytestmark = pytest.mark.browser

ENGINES = Path(__file__).parent / "engines"
ROOT = "[data-calculator]"
RESULT = f"{ROOT} .pb-calc__result .pb-block--summary"
TIMEOUT_S = READY_TIMEOUT / 1000  # a cold start on a busy 2-core machine; every wait polls for a state
PREFERRED = "timeline"  # the calculator the issue names; a fork without it tests its first one


# ---------------------------------------------------------------------------- what to check


def _plan(site_dir: Path) -> dict:
    """The page to open, the edit to make and the summary Python gives for the edited input."""
    pages = calculator_pages(site_dir)
    if not pages:
        if names():
            pytest.fail(f"the registry has {', '.join(names())}, but no page of the built site shows a calculator")
        skip_unless_own_content("this site's registry has no calculator (a fork's choice): no page to open")
    name = PREFERRED if PREFERRED in pages else next(iter(pages))
    default = page_config(name)["default"]
    before = _summary(python_view(name, default))
    edits = [valid_edit(name)]
    with contextlib.suppress(AssertionError, StopIteration):  # a form without a table of numbers
        edits.append(valid_edit(name, in_table=True))
    # Prefer an edit whose summary differs from the page's first one (the page must also
    # count a new result, so an unchanged summary still proves a computation).
    plans = [(edit, _summary(python_view(name, _edited(default, edit)))) for edit in edits]
    edit, want = next(((e, w) for e, w in plans if w != before), plans[0])
    return {"name": name, "page": pages[name], "edit": edit, "expect": want}


def _edited(default: dict, edit: Edit) -> dict:
    """The default input with ``edit`` applied, as the page parses what a reader types."""
    from calculators import forms

    data = json.loads(json.dumps(default))
    if edit.kind == "radio":
        value: object = re.search(r'value="([^"]*)"', edit.selector).group(1)
    elif "percent" in edit.kind or edit.value.strip().endswith("%"):
        value = forms.parse_percent(edit.value)
    else:
        value = float(edit.value)
    keys = [k for k in edit.path.replace("[", ".").replace("]", "").split(".") if k]
    target = data
    for k in keys[:-1]:
        target = target[int(k)] if k.isdigit() else target.setdefault(k, {})
    target[keys[-1]] = value
    return data


def _summary(view: list[dict]) -> str:
    return _clean(next(b["text"] for b in view if b["type"] == "summary"))


#: Open the sections a field sits in and bring it into view (as a reader would before typing).
REVEAL = (
    "const e = arguments[0]; for (let d = e.closest('details'); d; d = d.parentElement.closest('details')) d.open = true;"
    " e.scrollIntoView({block: 'center'});"
)


def _clean(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _snapshot_paths(site_dir: Path) -> tuple[str, ...]:
    """The site paths a snapshot boot would ask for: the pointer, and the memory file it names."""
    here = "/assets/playbook/snapshot.json"
    path = site_dir / here.lstrip("/")
    file = json.loads(path.read_text(encoding="utf-8")).get("file") if path.is_file() else None
    memory = posixpath.normpath(posixpath.join(posixpath.dirname(here), file)) if file else ""
    return (here, memory) if memory else (here,)


def _check_normal_boot(requests: list[str], site_dir: Path, engine: str) -> None:
    """No snapshot asked for, and the files of the normal boot were."""
    pointer, *memory = _snapshot_paths(site_dir)
    asked = [p.split("?", 1)[0] for p in requests]
    snapshots = [p for p in asked if re.search(r"/snapshot-[^/]*\.bin$", p) or p in memory]
    assert snapshots == [], f"{engine} asked for the memory snapshot, which only Chromium can restore: {snapshots}"
    assert pointer not in asked, (
        f"{engine} fetched {pointer}: findSnapshot should have decided by the engine before reading the pointer"
    )
    lock = next(site_dir.glob("assets/py/*/pyodide-lock.json"))
    wheels = [p["file_name"] for p in json.loads(lock.read_text(encoding="utf-8"))["packages"].values()]
    for wanted in ["pyodide.asm.wasm", *(posixpath.basename(w) for w in wheels)]:
        assert any(p.endswith("/" + wanted) for p in asked), f"{engine} never asked for {wanted}: {asked}"


@pytest.fixture
def engine_server(site_dir):
    """A server of the built site of its own for one engine, recording every path asked for.

    It answers no service worker: what is checked here is the page's own boot (which files
    the engine's worker asks for), not the background storing for offline use, which
    would fetch the runtime too (tests/browser/test_offline.py covers that)."""
    srv = FaultyServer(site_dir, base=BASE)
    srv.faults.add("no_sw")
    srv.start()
    yield srv
    srv.stop()


def _missing(why: str) -> None:
    """Skip on a developer's machine without the engine; fail on CI, where `make test`
    has just run `make browser` to install it, so a missing engine is a broken setup."""
    if os.environ.get("CI"):
        pytest.fail(why)
    pytest.skip(why)


def _puppeteer() -> Path | None:
    """puppeteer-core's folder in the download cache, if ``scripts/ensure-engines.sh`` installed it there."""
    sh = shutil.which("sh")
    if not sh:
        return None
    where = subprocess.run(
        [sh, str(REPO / "scripts" / "ensure-engines.sh"), "--where"], capture_output=True, text=True
    ).stdout.strip()
    return (
        Path(where) if where and (Path(where) / "node_modules" / "puppeteer-core" / "package.json").is_file() else None
    )


# ---------------------------------------------------------------------------- processes


def _spawn(cmd: list[str], **kw) -> subprocess.Popen:
    return subprocess.Popen(cmd, start_new_session=True, **kw)


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None:
        return
    for pipe in (proc.stdout, proc.stderr):
        if pipe is not None:
            pipe.close()
    if proc.poll() is not None:
        return
    os.killpg(proc.pid, signal.SIGTERM)  # its own process group: the driver and the browser it started
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


# ---------------------------------------------------------------------------- Firefox


def test_firefox_takes_the_normal_boot_and_computes(site_dir, engine_server):
    firefox = shutil.which("firefox-esr") or shutil.which("firefox")
    node = shutil.which("node")
    puppeteer = _puppeteer()
    if not firefox or not node or not puppeteer:
        have = {"firefox-esr": firefox, "node": node, "puppeteer-core": puppeteer}
        missing = " and ".join(name for name, ok in have.items() if not ok)
        _missing(f"Firefox test: {missing} not installed (run `make browser`)")
    plan = _plan(site_dir)
    args = {
        "puppeteer": str(puppeteer),
        "firefox": firefox,
        "url": engine_server.url + plan["page"],
        "root": ROOT,
        "field": f"{ROOT} {plan['edit'].selector}",
        "value": plan["edit"].value,
        "result": RESULT,
        "expect": plan["expect"],
        "timeout": READY_TIMEOUT,
    }
    # Its own process group, so that a run that hangs past every inner timeout takes Firefox with it.
    proc = _spawn(
        [node, str(ENGINES / "firefox.mjs"), json.dumps(args)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout, stderr = proc.communicate(timeout=3 * TIMEOUT_S + 60)
    finally:
        _stop(proc)
    lines = stdout.strip().splitlines()
    assert proc.returncode == 0 and lines, f"firefox.mjs failed ({proc.returncode}): {stderr[-2000:]}"
    out = json.loads(lines[-1])
    assert "error" not in out, f"Firefox could not be driven: {out['error']}"
    print(
        f"\n{out['version']}: ready after {out['readySeconds']:.1f} s, result after {out.get('computeSeconds', 0):.1f} s"
    )
    assert out["state"] == "ready", f"{plan['page']} in Firefox ended in {out['state']!r}: {out['status']}"
    _check_normal_boot(engine_server.requests, site_dir, "Firefox")
    assert out["shown"] == plan["expect"], (
        f"after {plan['edit'].label} = {plan['edit'].value}, Firefox shows {out['shown']!r}; "
        f"Python computes {plan['expect']!r} (typed {out.get('typed')!r}; {out.get('waitError', '')})"
    )
    assert out["pageErrors"] == [], out["pageErrors"]
    assert [m for m in out["console"] if m.startswith("error")] == []


# ---------------------------------------------------------------------------- WebKit


@pytest.fixture
def webkit():
    """A Selenium session of WebKitGTK's MiniBrowser (Debian's ``WebKitWebDriver``) on a private Xvfb display."""
    driver_bin, xvfb = shutil.which("WebKitWebDriver"), shutil.which("Xvfb")
    if not driver_bin or not xvfb:
        missing = [n for n, ok in (("webkit2gtk-driver", driver_bin), ("xvfb", xvfb)) if not ok]
        _missing(f"WebKit test: {' and '.join(missing)} not installed (run `make browser`)")
    from selenium import webdriver
    from selenium.webdriver.webkitgtk.options import Options
    from selenium.webdriver.webkitgtk.service import Service

    display = driver = None
    try:
        # -displayfd: Xvfb picks a free display and prints its number once it accepts clients.
        display = _spawn(
            [xvfb, "-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        number = display.stdout.readline().strip()
        assert number.isdigit(), f"Xvfb did not start (said {number!r})"
        env = {k: v for k, v in os.environ.items() if k != "WAYLAND_DISPLAY"} | {"DISPLAY": f":{number.decode()}"}
        options = Options()
        options.page_load_strategy = "normal"
        options.timeouts = {"pageLoad": READY_TIMEOUT, "script": READY_TIMEOUT}
        # The driver path is given: Selenium Manager (which would download drivers) is never asked.
        with warnings.catch_warnings():  # Selenium's own WebKitGTK class still uses a form it deprecated
            warnings.filterwarnings("ignore", "setting remote_server_addr", DeprecationWarning)
            driver = webdriver.WebKitGTK(options=options, service=Service(executable_path=driver_bin, env=env))
        yield driver
    finally:
        if driver is not None:
            with contextlib.suppress(Exception):  # the session may already be gone with the browser
                driver.quit()
        _stop(display)


def _wait(driver, script: str, *args, timeout: float = TIMEOUT_S):
    """Run ``script`` until it returns something truthy (the state it looks for); return that, or None."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.2).until(lambda d: d.execute_script(script, *args))
    except TimeoutException:
        return None


#: Errors the page reports from the moment it is collected (before the calculator starts).
COLLECT_ERRORS = """window.__pbErrors = [];
addEventListener('error', (e) => __pbErrors.push(String(e.message || e.error)));
addEventListener('unhandledrejection', (e) => __pbErrors.push(String(e.reason)));"""

STATE = """const root = document.querySelector(arguments[0]);
const state = root.dataset.state;
if (state !== 'ready' && state !== 'error') return null;
return {state, status: (root.querySelector('.pb-calc__status') || {}).textContent || '',
        computed: Number(root.dataset.computed || 0)};"""

SHOWN = """const root = document.querySelector(arguments[0]);
const text = (document.querySelector(arguments[1]) || {}).textContent || '';
return Number(root.dataset.computed || 0) > arguments[3] && text.replace(/\\s+/g, ' ').trim() === arguments[2];"""


def test_webkit_takes_the_normal_boot_and_computes(site_dir, engine_server, webkit):
    from selenium.webdriver.common.by import By

    plan = _plan(site_dir)
    started = time.monotonic()
    webkit.get(engine_server.url + plan["page"])
    webkit.execute_script(COLLECT_ERRORS)
    webkit.execute_script("document.querySelector(arguments[0]).scrollIntoView({block: 'center'})", ROOT)
    got = _wait(webkit, STATE, ROOT, timeout=2 * TIMEOUT_S)  # WebKit under Xvfb starts Python slower than Chromium
    ready = time.monotonic() - started
    assert got, f"{plan['page']} in WebKit did not reach ready or error in {2 * TIMEOUT_S:.0f} s"
    assert got["state"] == "ready", f"{plan['page']} in WebKit ended in {got['state']!r}: {_clean(got['status'])}"
    _check_normal_boot(engine_server.requests, site_dir, "WebKit")

    edit = plan["edit"]
    field = webkit.find_element(By.CSS_SELECTOR, f"{ROOT} {edit.selector}")
    webkit.execute_script(REVEAL, field)  # a field in a closed section cannot be clicked, by a reader either
    if edit.value is None:  # a radio answer
        field.click()
    else:
        field.clear()
        field.send_keys(edit.value)
    typed = time.monotonic()
    shown = _wait(webkit, SHOWN, ROOT, RESULT, plan["expect"], got["computed"])
    print(
        f"\nWebKitGTK {webkit.capabilities.get('browserVersion')}: ready after {ready:.1f} s, "
        f"result after {time.monotonic() - typed:.1f} s"
    )
    assert shown, (
        f"after {edit.label} = {edit.value}, WebKit shows "
        f"{_clean(webkit.execute_script('return document.querySelector(arguments[0]).textContent', RESULT))!r}; "
        f"Python computes {plan['expect']!r}"
    )
    assert webkit.execute_script("return window.__pbErrors") == []
    _check_normal_boot(engine_server.requests, site_dir, "WebKit")  # nothing asked for later either
