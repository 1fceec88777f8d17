"""The memory snapshot: a ready interpreter, made by the build in headless Chromium.

The build boots Pyodide in a module worker of a headless Chromium, loads numpy
and our wheel, imports every calculator, and saves the wasm memory
(``pipeline/snapshot_maker.mjs`` does the work; this module serves
the files, drives the browser and writes the result). A page's worker restores
it instead of starting CPython and importing numpy (about a second instead of
three). The snapshot is made in Chromium because a snapshot is only valid in an
engine with the same function table (Node's differs by one slot).

Output:

- ``assets/py/<hash>/snapshot-<sha>.bin``, beside the site's lock and wheel: the
  memory, named by its content (served as immutable), with ``.br`` and ``.gz``
  copies written by :mod:`pipeline.compress`;
- ``assets/py/<hash>/files-<sha>.bin``: the files of the lock's wheels that Python
  reads at run time, unpacked, in one file (:func:`files_image`), so that a restore
  rebuilds the file system by slicing one download the browser has already
  decompressed, instead of inflating the wheels in JavaScript;
- ``assets/playbook/snapshot.json``, beside the worker (revalidated on each
  visit, as the page's own files are): ``{"file": "../py/<hash>/snapshot-<sha>.bin",
  "bytes", "sha256", "encoded", "meta", "files": {...}}``, or ``{"file": null, "reason": "..."}``
  when there is none (turned off, no Chromium, or making it failed): the worker
  then boots normally.

The same inputs give the same bytes: PYTHONHASHSEED=0, a fixed
``crypto.getRandomValues`` and a frozen ``Date.now`` while it is made.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import os
import re
import shutil
import struct
import sys
import threading
import zipfile
from pathlib import Path
from typing import cast

from . import compress
from .paths import REPO, SITE_ASSETS, cache_dir, manifest, touch

POINTER = "assets/playbook/snapshot.json"
#: The maker's modules (served by path from the repo while the snapshot is made).
MAKER_JS = (
    "/pipeline/snapshot_maker.mjs",
    "/overrides/assets/playbook/snapshot/format.mjs",
    "/overrides/assets/playbook/snapshot/download.mjs",
)

#: Python run before the snapshot: numpy, the API and every calculator module.
IMPORTS = """
import importlib
import numpy
import calculators.api as api
try:
    from calculators._contract import REGISTRY as _names
except ImportError:
    _names = api.CALCULATORS
for _module in _names.values():
    importlib.import_module(_module)
del _names, _module
"""

#: Run in CPython after IMPORTS: the modules that computing every calculator's examples
#: imports besides (numpy.random, hashlib, importlib.resources' readers, ...).
_PROBE = """
import json as _json
print(_json.dumps(api.run_examples()))
"""


def lazy_imports() -> list[str]:
    """Modules a first result imports that IMPORTS does not, found by computing every
    example in CPython (a fresh interpreter, so it sees the current code).

    Imported before the snapshot is taken, they cost a restored reader nothing: after a
    restore, the first use of ``numpy.random`` alone took 150-185 ms in the browser. The
    examples are not computed in the snapshot itself: that grew its memory by 7 MB.
    A module that Pyodide lacks (or that fails there) is skipped; a failing probe only
    loses the head start.
    """
    import subprocess

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.run([sys.executable, "-c", IMPORTS + _PROBE], capture_output=True, text=True, cwd=REPO, env=env)
    if proc.returncode != 0:
        _log(f"could not list what a first result imports ({proc.stderr.strip()[-300:]}); going on without")
        return []
    return [name for name in json.loads(proc.stdout.splitlines()[-1]) if not name.startswith("calculators")]


def imports_code(lazy: list[str]) -> str:
    """IMPORTS, then each of ``lazy`` where Pyodide has it."""
    if not lazy:
        return IMPORTS + "del importlib\n"
    return (
        IMPORTS
        + f"for _name in {lazy!r}:\n"
        + "    try:\n        importlib.import_module(_name)\n    except Exception:\n        pass\n"
        + "del _name, importlib\n"
    )


#: Pyodide's files that a restore reads besides the snapshot and the files image.
RUNTIME_FILES = ("pyodide.asm.wasm", "python_stdlib.zip")

#: Files Python never reads at run time: type stubs, C headers and sources, Cython
#: declarations, static libraries, test suites. Left out of the files image.
BUILD_ONLY = re.compile(r"\.(pyi|h|c|pxd|pyx|a)$|/tests/")


def files_image(lock_path: str, src: Path = SITE_ASSETS) -> bytes:
    """The files of every wheel in the lock that Python reads at run time, as one blob.

    Layout: the length of a JSON index (4 bytes, little-endian), the index
    (``[[path in site-packages, size], ...]``), then each file's bytes in that
    order. Wheels in the lock's order of names, files in each wheel's order: the
    same lock gives the same bytes.
    """
    version = manifest()["pyodide"]["version"]
    core = src / "assets" / "pyodide" / version
    packages = json.loads((src / lock_path).read_text())["packages"]
    index: list[list[str | int]] = []
    blobs: list[bytes] = []
    for name in sorted(packages):
        with zipfile.ZipFile((core / packages[name]["file_name"]).resolve()) as wheel:
            for info in wheel.infolist():
                if info.is_dir() or BUILD_ONLY.search(info.filename):
                    continue
                data = wheel.read(info)
                index.append([info.filename, len(data)])
                blobs.append(data)
    head = json.dumps(index, separators=(",", ":")).encode()
    return struct.pack("<I", len(head)) + head + b"".join(blobs)


MAKER_HTML = """<!doctype html><meta charset="utf-8"><title>snapshot maker</title>
<script type="module">
const w = new Worker("maker-worker.mjs", {type: "module"});
w.onmessage = (e) => { window.__snapshot = e.data; };
w.postMessage(OPTIONS);
</script>"""

MAKER_WORKER = """import { makeSnapshot } from "./pipeline/snapshot_maker.mjs";
self.onmessage = async ({data}) => {
  try {
    const { snapshot, meta } = await makeSnapshot(data);
    const response = await fetch("upload", {method: "POST", body: snapshot});
    if (!response.ok) throw new Error("upload failed");
    self.postMessage({ok: true, meta});
  } catch (err) {
    self.postMessage({ok: false, error: String(err && err.stack || err)});
  }
};"""


def _log(msg: str) -> None:
    print(f"[snapshot] {msg}", file=sys.stderr, flush=True)


class _Server(http.server.ThreadingHTTPServer):
    """Serves the site's assets and the maker page; receives the snapshot the page uploads."""

    pages: Path
    upload: bytes | None = None


class _Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {  # noqa: RUF012 (the base class declares it as an instance attribute)
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".mjs": "text/javascript",
        ".js": "text/javascript",
        ".wasm": "application/wasm",
    }

    @property
    def srv(self) -> _Server:
        return cast(_Server, self.server)

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        path = path.split("?", 1)[0]
        if path in ("/", "/maker.html"):
            return str(self.srv.pages / "maker.html")
        if path == "/maker-worker.mjs":
            return str(self.srv.pages / "maker-worker.mjs")
        if path.startswith("/_pages/"):
            return str(self.srv.pages / path[len("/_pages/") :])
        if path in MAKER_JS:  # the maker and what it imports, from the source tree (never in the site)
            return str(REPO / path.lstrip("/"))
        return super().translate_path(path)

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        self.srv.upload = self.rfile.read(length)
        self.send_response(204)
        self.end_headers()


def chromium() -> str | None:
    """A Chromium to make the snapshot with (PLAYWRIGHT_CHROMIUM, then PATH), or None."""
    env = os.environ.get("PLAYWRIGHT_CHROMIUM", "")
    if env and env != "playwright" and Path(env).exists():
        return env
    for name in ("chromium", "chromium-browser", "google-chrome-stable", "google-chrome"):
        if path := shutil.which(name):
            return path
    return None


def make(lock_path: str, src: Path = SITE_ASSETS, *, timeout_ms: int = 240_000, browser=None) -> tuple[bytes, dict]:
    """Make the snapshot for the lock at ``src/lock_path``; return (memory, meta).

    ``browser``: a Playwright Chromium already running (the tests'); otherwise one is started.
    """
    import tempfile

    from playwright.sync_api import sync_playwright

    version = manifest()["pyodide"]["version"]
    options = {
        "indexURL": f"ASSETS/pyodide/{version}/",
        "lockURL": f"ASSETS/{lock_path.split('/', 1)[1]}",
        "packages": ["calculators"],
        "imports": imports_code(lazy_imports()),
    }
    with tempfile.TemporaryDirectory(prefix="playbook-snapshot-") as tmp:
        pages = Path(tmp)
        server = _Server(("127.0.0.1", 0), functools.partial(_Handler, directory=str(src)))
        server.daemon_threads = True
        server.pages, server.upload = pages, None
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        text = json.dumps(options).replace("ASSETS/", base + "assets/")
        (pages / "maker.html").write_text(MAKER_HTML.replace("OPTIONS", text))
        (pages / "maker-worker.mjs").write_text(MAKER_WORKER)
        threading.Thread(target=server.serve_forever, daemon=True).start()

        def run(chromium_browser) -> dict:
            context = chromium_browser.new_context()
            try:
                page = context.new_page()
                page.goto(base + "maker.html")
                page.wait_for_function("window.__snapshot", timeout=timeout_ms)
                return page.evaluate("window.__snapshot")
            finally:
                context.close()

        try:
            if browser is not None:
                outcome = run(browser)
            else:
                with sync_playwright() as pw:
                    started = pw.chromium.launch(
                        executable_path=chromium(),
                        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
                    )
                    try:
                        outcome = run(started)
                    finally:
                        started.close()
        finally:
            server.shutdown()
            server.server_close()
        if not outcome["ok"]:
            raise RuntimeError(outcome["error"])
        if server.upload is None:
            raise RuntimeError("the maker page finished without uploading the snapshot")
        return server.upload, outcome["meta"]


def build(lock_path: str, src: Path = SITE_ASSETS, *, enabled: bool = True) -> dict:
    """Write the snapshot beside the lock and its pointer beside the worker; return the pointer.

    Never fails the build: without a Chromium, or when making it fails, the site
    gets a pointer without a file (normal boot) and the build says why.
    """
    from .vendor import _write

    folder = (src / lock_path).parent
    for old in [
        *folder.glob("snapshot-*.bin*"),
        *folder.glob("files-*.bin*"),
        *folder.glob("snapshot.json*"),
    ]:  # (the pointer lived here once)
        old.unlink()
    pointer: dict = {"file": None}
    if not enabled:
        pointer["reason"] = "turned off (extra.playbook.snapshot: false)"
    elif os.environ.get("PLAYBOOK_SNAPSHOT", "1") == "0":
        pointer["reason"] = "turned off (PLAYBOOK_SNAPSHOT=0)"
    elif chromium() is None:
        pointer["reason"] = "no Chromium found to make it"
    else:
        key = _inputs_key(lock_path, src)
        cached = cache_dir() / "snapshots" / key
        try:
            if (cached / "memory.bin").exists():
                touch(cached)
                memory = (cached / "memory.bin").read_bytes()
                meta = json.loads((cached / "meta.json").read_text())
            else:
                _log("making the memory snapshot in headless Chromium (once per change of the code or runtime)")
                memory, meta = make(lock_path, src)
                cached.mkdir(parents=True, exist_ok=True)
                (cached / "meta.json").write_text(json.dumps(meta, sort_keys=True))
                (cached / "memory.bin").write_bytes(memory)
            digest = hashlib.sha256(memory).hexdigest()
            name = f"snapshot-{digest[:16]}.bin"
            _write(folder / name, memory)
            encoded = compress.compress_file(folder / name)
            image = files_image(lock_path, src)
            image_digest = hashlib.sha256(image).hexdigest()
            image_name = f"files-{image_digest[:16]}.bin"
            _write(folder / image_name, image)
            version = manifest()["pyodide"]["version"]
            pointer = {
                # The runtime files a restore reads besides (a returning reader's browser keeps them too).
                "runtime": [_runtime_entry(src, version, runtime) for runtime in RUNTIME_FILES],
                "file": f"../py/{folder.name}/{name}",
                "bytes": len(memory),
                "sha256": digest,
                "encoded": encoded,
                "meta": meta,
                "files": {
                    "file": f"../py/{folder.name}/{image_name}",
                    "bytes": len(image),
                    "sha256": image_digest,
                    "encoded": compress.compress_file(folder / image_name),
                },
            }
        except Exception as exc:
            pointer["reason"] = f"making it failed: {str(exc).splitlines()[0][:300]}"
    if pointer["file"] is None:
        _log(f"the site has no memory snapshot ({pointer['reason']}); Python starts the normal way")
    _write(src / POINTER, json.dumps(pointer, sort_keys=True, indent=1).encode())
    return pointer


def _runtime_entry(src: Path, version: str, name: str) -> dict:
    """The pointer's entry for one of Pyodide's files a restore reads: where, how big, its sha256."""
    body = (src / "assets" / "pyodide" / version / name).read_bytes()
    return {"file": f"../pyodide/{version}/{name}", "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}


def _inputs_key(lock_path: str, src: Path) -> str:
    """A hash of everything the snapshot depends on: runtime, wheels, maker code, imports."""
    h = hashlib.sha256()
    version = manifest()["pyodide"]["version"]
    core = src / "assets" / "pyodide" / version
    for name in ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm", "python_stdlib.zip"):
        h.update(hashlib.sha256((core / name).read_bytes()).digest())
    lock = src / lock_path
    h.update(lock.read_bytes())
    for entry in json.loads(lock.read_text())["packages"].values():
        h.update(hashlib.sha256((core / entry["file_name"]).resolve().read_bytes()).digest())
    for path in MAKER_JS:
        h.update((REPO / path.lstrip("/")).read_bytes())
    h.update(IMPORTS.encode())
    h.update((chromium() or "").encode())
    return h.hexdigest()[:24]
