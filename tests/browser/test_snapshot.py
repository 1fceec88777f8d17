"""The memory snapshot in Chromium: same results as the normal boot, fresh randomness,
a silent fallback on any fault, and the same bytes from every build."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest

from calculators import api
from pipeline.devserver import LAUNCH_ARGS, SiteServer, chromium_path

from ..conftest import content_tests_enabled
from .conftest import READY_TIMEOUT, wait_state

HARNESS_PAGE = """<!doctype html><meta charset="utf-8"><title>snapshot harness</title>
<script type="module" src="harness.mjs"></script>"""

HARNESS_MODULE = """window.boot = (data) => new Promise((resolve) => {
  const w = new Worker(new URL("harness-worker.mjs", location.href), {type: "module"});
  w.onmessage = (e) => { w.terminate(); resolve(e.data); };
  w.postMessage(data);
});"""

# Boots Python one way or the other, then computes every example of every
# calculator (read from the registry in Python) and draws unseeded numbers.
HARNESS_WORKER = """import { loadFromSnapshot } from "./assets/playbook/snapshot/restore.mjs";
const PROBE = `
import json, random, numpy, sys
from calculators import api
before = set(sys.modules)
results = {}
for name in api.CALCULATORS:
    for example in api.get(name).examples():
        results[name + ":" + example["id"]] = json.dumps(api.compute(name, example["input"]), sort_keys=True)
json.dumps({"results": results, "imported": sorted(set(sys.modules) - before), "random": [random.random() for _ in range(3)],
            "numpy": numpy.random.random(3).tolist(), "generator": numpy.random.default_rng().random(3).tolist()})`;
self.onmessage = async ({data}) => {
  try {
    const { loadPyodide } = await import(new URL("pyodide.mjs", data.indexURL).href);
    let py;
    if (data.mode === "snapshot") {
      const here = new URL("assets/playbook/snapshot.json", location.href);
      const pointer = await (await fetch(here)).json();
      const get = (u) => fetch(u).then((r) => r.arrayBuffer());
      const [memory, image] = await Promise.all([get(new URL(pointer.file, here)), get(new URL(pointer.files.file, here))]);
      py = await loadFromSnapshot({indexURL: data.indexURL, lockURL: data.lockURL, snapshot: new Uint8Array(memory),
                                   meta: pointer.meta, image, loadPyodide});
    } else {
      py = await loadPyodide({indexURL: data.indexURL, lockFileURL: data.lockURL});
      await py.loadPackage(["calculators"], {messageCallback: () => {}});
    }
    self.postMessage({ok: true, loaded: Object.keys(py.loadedPackages).sort(), ...JSON.parse(py.runPython(PROBE))});
  } catch (err) {
    self.postMessage({ok: false, error: String(err && err.stack || err)});
  }
};"""


def _pointer(site_dir: Path) -> tuple[Path, dict]:
    path = site_dir / "assets" / "playbook" / "snapshot.json"
    pointer = json.loads(path.read_text())
    if not pointer["file"]:
        reason = pointer.get("reason", "")
        # Turned off on purpose (a fork's setting): nothing to test. Any other reason (no
        # Chromium while these tests have one, or making it failed) is a broken build.
        if reason.startswith("turned off"):
            pytest.skip(f"the snapshot is {reason}")
        pytest.fail(f"this site was built without a snapshot: {reason}")
    return path, pointer


@pytest.fixture(scope="module")
def harness(site_dir, tmp_path_factory):
    """A server for a page that boots Python in a worker either way, beside the site's assets."""
    _pointer(site_dir)
    root = tmp_path_factory.mktemp("harness")
    (root / "assets").symlink_to((site_dir / "assets").resolve(), target_is_directory=True)
    (root / "index.html").write_text(HARNESS_PAGE)
    (root / "harness.mjs").write_text(HARNESS_MODULE)
    (root / "harness-worker.mjs").write_text(HARNESS_WORKER)
    srv = SiteServer(root, csp=None).start()
    lock = next(site_dir.glob("assets/py/*/pyodide-lock.json")).relative_to(site_dir).as_posix()
    version = next((site_dir / "assets" / "pyodide").iterdir()).name
    srv.options = {"indexURL": f"{srv.url}assets/pyodide/{version}/", "lockURL": srv.url + lock}
    yield srv
    srv.stop()


def _boot(browser, harness, mode: str) -> dict:
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.goto(harness.url + "index.html")
        out = page.evaluate("(data) => window.boot(data)", {**harness.options, "mode": mode})
    finally:
        ctx.close()
    assert out["ok"], out.get("error")
    return out


def test_a_restored_interpreter_computes_every_example_exactly_as_the_normal_boot(browser, harness):
    normal = _boot(browser, harness, "normal")
    restored = _boot(browser, harness, "snapshot")
    expected = {f"{name}:{ex['id']}" for name in api.CALCULATORS for ex in api.get(name).examples()}
    assert expected and set(normal["results"]) == expected
    for key in sorted(expected):
        assert restored["results"][key] == normal["results"][key], key
    assert restored["loaded"] == normal["loaded"]
    # The snapshot has imported what the first results import (pipeline/snapshot.py:
    # lazy_imports), so no reader waits for it after a restore.
    assert restored["imported"] == [], restored["imported"]
    if (
        content_tests_enabled()
    ):  # this playbook's timeline draws with numpy's generators: a normal boot imports them late
        assert "numpy.random" in normal["imported"], normal["imported"]


def test_two_restores_draw_different_unseeded_numbers(browser, harness):
    first = _boot(browser, harness, "snapshot")
    second = _boot(browser, harness, "snapshot")
    for stream in ("random", "numpy", "generator"):
        assert first[stream] != second[stream], stream


def _console(page) -> list[str]:
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text) if m.text.startswith("playbook:") else None)
    return messages


def _wait_said(page, said: list[str], text: str, timeout_ms: int = 15_000) -> None:
    """Wait until the worker's console has said ``text`` (its messages reach the page asynchronously).

    Playwright delivers console events only while a call waits, so nothing said between
    the check of ``said`` and the wait is lost: the wait ends on the message itself.
    """
    if any(text in m for m in said):
        return
    try:
        page.wait_for_event("console", predicate=lambda m: text in m.text, timeout=timeout_ms)
    except Exception as exc:  # playwright's TimeoutError: say what the worker did say
        raise AssertionError(f"the worker never said {text!r}; it said {said}") from exc


def _first_calculator_page() -> str:
    return f"calculators/{next(iter(api.CALCULATORS))}/"


def _start_first_calculator(page, server, said_text: str) -> list[str]:
    """Open the first calculator, bring it into view, wait for ready and for the worker to say ``said_text``."""
    said = _console(page)
    page.goto(server.url + _first_calculator_page())
    page.evaluate("document.querySelector('[data-calculator]').scrollIntoView()")
    state = wait_state(page, timeout=READY_TIMEOUT)
    assert state == "ready", page.locator("[data-calculator]").first.inner_text()[-600:]
    _wait_said(page, said, said_text)
    return said


def test_a_first_visit_on_a_fast_link_restores_and_computes(context, server, faults, site_dir):
    _pointer(site_dir)
    faults.add("fast_link")  # whatever the machine's load does to the rate the worker measures
    page = context.new_page()
    _start_first_calculator(page, server, "restored from the build's snapshot")
    name = next(iter(api.CALCULATORS))
    out = page.evaluate(
        """async ([name, input]) => {
      const { getRuntime } = await import(new URL('../../assets/playbook/runtime.mjs', location.href).href);
      return getRuntime().compute(name, input);
    }""",
        [name, api.get(name).default_input()],
    )
    assert "error" not in out and out["view"], out
    assert context.recorder.errors == []


IN_CACHE = """async (files) => {
  for (const file of files) {
    const r = await fetch(file, {cache: 'only-if-cached', mode: 'same-origin'}).catch(() => null);
    if (!(r && r.ok)) return false;
    await r.body.cancel();
  }
  return true;
}"""


def _profile(browser, tmp_path):
    """A profile on disk, as a reader's browser has (a fresh context's in-memory cache
    refuses entries as large as the snapshot)."""
    return browser.browser_type.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=chromium_path(),
        args=LAUNCH_ARGS,
        bypass_csp=True,
        service_workers="block",  # the offline copy (sw.js) would fetch the runtime too: test_offline.py
    )


def _visit_again(ctx, server, *said_texts: str) -> list[str]:
    """A returning reader opens the first calculator (no scroll needed): ready, and the worker says each of ``said_texts``."""
    page = ctx.new_page()
    said = _console(page)
    page.goto(server.url + _first_calculator_page())
    assert wait_state(page, timeout=READY_TIMEOUT) == "ready", page.locator("[data-calculator]").first.inner_text()[
        -600:
    ]
    for text in said_texts:
        _wait_said(page, said, text, timeout_ms=120_000)
    page.close()
    return said


STORED = "snapshot stored for the next visit"
COMPILED = "runtime script compiled for the next visit"
PREPARED = "first result prepared"


def _said_in_order(said: list[str], *texts: str) -> None:
    """Each of ``texts`` was said, in this order."""
    at = [next((i for i, m in enumerate(said) if text in m), None) for text in texts]
    assert None not in at and at == sorted(at), f"expected {texts} in this order; the worker said {said}"


def test_a_slow_first_visit_starts_normally_then_keeps_the_snapshot_and_its_files_for_the_next(
    browser, server, faults, site_dir, tmp_path
):
    _, pointer = _pointer(site_dir)
    faults.add("slow_link")  # the worker sees a 3G link (the server adds it to worker.mjs)
    ctx = _profile(browser, tmp_path)
    files = [server.url + "assets/playbook/" + f for f in _parts(pointer)]
    try:
        page = ctx.new_page()
        said = _start_first_calculator(page, server, "normal start, snapshot later (slow link)")
        _wait_said(page, said, STORED, timeout_ms=120_000)
        # Once the reader paused: what a first result imports (a normal start lacks it), then
        # the runtime script once more (so that V8 keeps its compiled code), then the store.
        _said_in_order(said, PREPARED, COMPILED, STORED)
        imported = int(re.search(PREPARED + r" \((\d+) modules imported\)", next(m for m in said if PREPARED in m))[1])
        if content_tests_enabled():
            assert imported > 0, "the timeline's first result imports numpy.random, which a normal start lacks"
        assert page.evaluate(IN_CACHE, files), "the HTTP cache should hold every file too"
        assert sorted(page.evaluate(IN_STORE)) == sorted(Path(f).name for f in files), (
            "the store keeps every file a restore reads"
        )
        page.close()

        server.requests.clear()
        _visit_again(ctx, server, "restored from the build's snapshot (stored copy)")
        fetched = [r for r in server.requests if r.endswith(".bin")]
        assert fetched == [], f"the second visit downloaded {fetched}"
    finally:
        ctx.close()


# What worker.mjs does in warmCodeCache's throwaway worker, asked directly.
WARM = """({workerURL, url}) => new Promise((resolve) => {
  const w = new Worker(workerURL, {type: 'module'});
  w.onmessage = ({data}) => { w.terminate(); resolve(data); };
  w.onerror = (e) => { w.terminate(); resolve({error: e.message}); };
  w.postMessage({type: 'warm', url});
})"""


def test_the_warm_up_worker_runs_the_runtime_script_and_says_whether_it_could(context, server):
    page = context.new_page()
    page.goto(server.url + _first_calculator_page())
    runtime = page.evaluate("JSON.parse(document.querySelector('[data-calculator]').dataset.runtime)")
    worker, index = urljoin(page.url, runtime["workerURL"]), urljoin(page.url, runtime["indexURL"])
    ran = page.evaluate(WARM, {"workerURL": worker, "url": urljoin(index, "pyodide.asm.js")})
    assert ran == {"type": "warmed", "ok": True}
    missing = page.evaluate(WARM, {"workerURL": worker, "url": urljoin(index, "no-such-runtime.js")})
    assert missing == {"type": "warmed", "ok": False}, "a script that cannot load is not reported as compiled"


def _parts(pointer) -> list[str]:
    """Every file a restore reads, relative to the pointer: the memory, the files image, the runtime's."""
    return [pointer["file"], pointer["files"]["file"], *(f["file"] for f in pointer["runtime"])]


# The names of the files in the worker's store (the origin's private file system).
IN_STORE = """async () => {
  const root = await navigator.storage.getDirectory();
  let folder;
  try { folder = await root.getDirectoryHandle('playbook-snapshot'); } catch { return []; }
  const names = [];
  for await (const name of folder.keys()) names.push(name);
  return names;
}"""

# Flip one byte in the middle of a stored file (same size: only the checksum can tell).
SPOIL_STORED = """async (name) => {
  const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('playbook-snapshot');
  const handle = await folder.getFileHandle(name);
  const file = await handle.getFile();
  const at = Math.floor(file.size / 2);
  const byte = new Uint8Array(await file.slice(at, at + 1).arrayBuffer());
  const out = await handle.createWritable({ keepExistingData: true });
  await out.write({ type: 'write', position: at, data: new Uint8Array([byte[0] ^ 0xff]) });
  await out.close();
  return (await handle.getFile()).size;
}"""

# A file an earlier build left in the store.
LEAVE_STALE = """async () => {
  const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('playbook-snapshot', { create: true });
  const out = await (await folder.getFileHandle('snapshot-0000000000000000.bin', { create: true })).createWritable();
  await out.write(new Uint8Array(1000));
  await out.close();
}"""


@pytest.mark.parametrize("spoiled", ["memory", "wasm"])
def test_a_stored_copy_that_fails_its_check_is_dropped_and_stored_again(
    browser, server, faults, site_dir, tmp_path, spoiled
):
    _, pointer = _pointer(site_dir)
    names = sorted(Path(f).name for f in _parts(pointer))
    faults.add("fast_link")
    ctx = _profile(browser, tmp_path)
    try:
        page = ctx.new_page()
        page.goto(server.url + "index.html")
        page.evaluate(LEAVE_STALE)
        said = _start_first_calculator(page, server, "restored from the build's snapshot")
        _wait_said(page, said, STORED, timeout_ms=120_000)
        # (The idle work ran, and a restored interpreter had imported what a first result needs.)
        assert not any(PREPARED in m for m in said), said
        assert sorted(page.evaluate(IN_STORE)) == names, "the store keeps this build's files only"
        part = pointer if spoiled == "memory" else next(f for f in pointer["runtime"] if f["file"].endswith(".wasm"))
        target, size = Path(part["file"]).name, part["bytes"]
        assert page.evaluate(SPOIL_STORED, target) == size
        page.close()

        # The check refuses the copy: a normal start, which then stores a good copy again.
        said = _visit_again(ctx, server, "snapshot not used, normal start", STORED)
        refused = [m for m in said if "snapshot not used" in m]
        assert "the stored copy of" in refused[0] and target in refused[0] and "checksum differs" in refused[0], said
        assert not any("restored from" in m for m in said), said
        _visit_again(ctx, server, "restored from the build's snapshot (stored copy)")
    finally:
        ctx.close()


def _corrupt(site_dir, pointer):
    # Its first megabyte with one byte flipped: truncated and corrupted (and quick to send through a route).
    body = bytearray((site_dir / "assets" / "playbook" / pointer["file"]).read_bytes()[: 1 << 20])
    body[len(body) // 2] ^= 0xFF
    return lambda route: route.fulfill(status=200, body=bytes(body), content_type="application/octet-stream")


def _edit_pointer(pointer, **meta):
    text = json.dumps({**pointer, "meta": {**pointer["meta"], **meta}})
    return lambda route: route.fulfill(status=200, body=text, content_type="application/json")


@pytest.mark.parametrize("fault", ["corrupted", "corrupted files", "missing", "other build", "other engine"])
def test_a_bad_snapshot_ends_in_the_normal_boot_and_ready(context, server, faults, site_dir, fault):
    _, pointer = _pointer(site_dir)
    faults.add("fast_link")  # a first visit that would restore, whatever the load does to the measured rate
    if fault == "corrupted":
        context.route(f"**/{Path(pointer['file']).name}", _corrupt(site_dir, pointer))
    elif fault == "corrupted files":
        context.route(f"**/{Path(pointer['files']['file']).name}", _corrupt(site_dir, pointer["files"]))
    elif fault == "missing":
        context.route(f"**/{Path(pointer['file']).name}", lambda route: route.fulfill(status=404, body="gone"))
    elif fault == "other build":
        context.route("**/snapshot.json", _edit_pointer(pointer, buildId="0" * 64))
    else:  # an engine whose function table differs (as Node's does by one slot)
        context.route("**/snapshot.json", _edit_pointer(pointer, tableSize=pointer["meta"]["tableSize"] + 1))
    page = context.new_page()
    said = _start_first_calculator(page, server, "snapshot not used, normal start")
    assert not any("restored from" in m for m in said), said
    unexpected = [e for e in context.recorder.errors if not (fault == "missing" and "404" in e)]
    assert unexpected == []


@pytest.mark.slow
def test_two_builds_make_a_byte_identical_snapshot(site_dir, browser):
    """The site's snapshot (made by its build) equals one made now from the same files."""
    from pipeline import snapshot

    _, pointer = _pointer(site_dir)
    lock = next(site_dir.glob("assets/py/*/pyodide-lock.json")).relative_to(site_dir).as_posix()
    memory, meta = snapshot.make(lock, site_dir, browser=browser)
    assert hashlib.sha256(memory).hexdigest() == pointer["sha256"]
    assert meta == pointer["meta"]
