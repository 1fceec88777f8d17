"""Compressed runtime files and the snapshot's build step, without a browser."""

from __future__ import annotations

import gzip
import json
import urllib.request
from pathlib import Path

import pytest

from pipeline import compress, snapshot

from .conftest import content_tests_enabled


def _tree(root: Path) -> dict[str, bytes]:
    files = {
        "assets/pyodide/9.9.9/pyodide.asm.wasm": b"\0asm" + b"wasm body " * 2000,
        "assets/pyodide/9.9.9/pyodide.asm.js": b"var x = 1;\n" * 2000,
        "assets/pyodide/9.9.9/python_stdlib.zip": b"PK zip " * 2000,
        "assets/pyodide/9.9.9/numpy-2.0.2-py3-none-any.whl": b"PK wheel " * 2000,
        "assets/py/abc/snapshot-0123.bin": b"memory " * 3000,
        "assets/py/abc/tiny.json": b"{}",
    }
    for rel, data in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_bytes(data)
    return files


def test_copies_are_written_for_wasm_js_and_snapshot_only_and_decode_to_the_original(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "cache"))
    files = _tree(tmp_path)
    compress.compress_tree(tmp_path)
    for rel, data in files.items():
        path = tmp_path / rel
        gz, br = path.with_name(path.name + ".gz"), path.with_name(path.name + ".br")
        if rel.endswith((".zip", ".whl")) or len(data) < compress.MIN_BYTES:
            assert not gz.exists() and not br.exists(), rel
            continue
        assert gzip.decompress(gz.read_bytes()) == data, rel
        if compress.brotli is not None:
            assert compress.brotli.decompress(br.read_bytes()) == data, rel


def test_a_second_compression_gives_the_same_bytes_and_touches_nothing(tmp_path, monkeypatch):
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "cache"))
    _tree(tmp_path)
    compress.compress_tree(tmp_path)
    copies = sorted(p for p in tmp_path.joinpath("assets").rglob("*") if p.suffix in (".gz", ".br"))
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in copies}
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "other-cache"))  # recomputed, not copied from the cache
    compress.compress_tree(tmp_path)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in copies} == before


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        ("gzip, deflate, br, zstd", "br"),
        ("gzip", "gzip"),
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
        ("", None),
        ("*", "br"),
    ],
)
def test_negotiation_prefers_brotli_and_respects_refusals(tmp_path, accept, expected):
    (tmp_path / "a.wasm").write_bytes(b"0")
    (tmp_path / "a.wasm.br").write_bytes(b"1")
    (tmp_path / "a.wasm.gz").write_bytes(b"2")
    hit = compress.negotiate(tmp_path, "/a.wasm", accept)
    assert (hit[1] if hit else None) == expected


def test_negotiation_never_leaves_the_root_or_serves_a_copy_without_its_original(tmp_path):
    (tmp_path / "site").mkdir()
    (tmp_path / "secret.wasm").write_bytes(b"0")
    (tmp_path / "secret.wasm.gz").write_bytes(b"1")
    (tmp_path / "site" / "gone.wasm.gz").write_bytes(b"1")
    assert compress.negotiate(tmp_path / "site", "/../secret.wasm", "gzip") is None
    assert compress.negotiate(tmp_path / "site", "/gone.wasm", "gzip") is None


def test_the_test_server_sends_the_copy_with_content_encoding(tmp_path):
    from pipeline.devserver import SiteServer

    data = b"\0asm" + bytes(range(256)) * 64
    (tmp_path / "x.wasm").write_bytes(data)
    (tmp_path / "x.wasm.gz").write_bytes(compress.encode(data, "gzip"))
    server = SiteServer(tmp_path, csp=None).start()
    try:

        def get(accept):
            request = urllib.request.Request(server.url + "x.wasm", headers={"Accept-Encoding": accept})
            with urllib.request.urlopen(request) as response:
                return response.headers, response.read()

        headers, body = get("gzip")
        assert headers["Content-Encoding"] == "gzip" and headers["Content-Type"] == "application/wasm"
        assert "Accept-Encoding" in headers["Vary"]
        assert gzip.decompress(body) == data
        headers, body = get("identity")
        assert headers["Content-Encoding"] is None and body == data
    finally:
        server.stop()


def _lock_folder(root: Path) -> str:
    folder = root / "assets" / "py" / "abc"
    folder.mkdir(parents=True)
    (folder / "pyodide-lock.json").write_text("{}")
    (folder / "snapshot-old.bin").write_bytes(b"stale")
    return "assets/py/abc/pyodide-lock.json"


def test_turned_off_the_site_gets_a_pointer_without_a_file_and_no_stale_snapshot(tmp_path, capsys):
    lock = _lock_folder(tmp_path)
    pointer = snapshot.build(lock, tmp_path, enabled=False)
    written = json.loads((tmp_path / "assets/playbook/snapshot.json").read_text())
    assert written == pointer and pointer["file"] is None and "snapshot: false" in pointer["reason"]
    assert not list((tmp_path / "assets/py/abc").glob("snapshot-*"))
    assert "no memory snapshot" in capsys.readouterr().err


def test_without_a_chromium_the_build_goes_on_and_says_so(tmp_path, monkeypatch, capsys):
    lock = _lock_folder(tmp_path)
    monkeypatch.setattr(snapshot, "chromium", lambda: None)
    pointer = snapshot.build(lock, tmp_path)
    assert pointer["file"] is None and "Chromium" in pointer["reason"]
    assert "Chromium" in capsys.readouterr().err


def test_a_failure_while_making_it_leaves_a_working_site(tmp_path, monkeypatch, capsys):
    lock = _lock_folder(tmp_path)
    monkeypatch.setattr(snapshot, "chromium", lambda: "/bin/true")
    monkeypatch.setattr(snapshot, "_inputs_key", lambda *a: "k")
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "cache"))

    def boom(*args, **kwargs):
        raise RuntimeError("the browser crashed")

    monkeypatch.setattr(snapshot, "make", boom)
    pointer = snapshot.build(lock, tmp_path)
    assert pointer["file"] is None and "the browser crashed" in pointer["reason"]
    assert json.loads((tmp_path / "assets/playbook/snapshot.json").read_text())["file"] is None


def test_the_snapshot_is_named_by_its_content_and_compressed(tmp_path, monkeypatch):
    lock = _lock_folder(tmp_path)
    monkeypatch.setattr(snapshot, "chromium", lambda: "/bin/true")
    monkeypatch.setattr(snapshot, "_inputs_key", lambda *a: "k")
    monkeypatch.setenv("PLAYBOOK_CACHE", str(tmp_path / "cache"))
    memory = b"memory " * 5000
    monkeypatch.setattr(snapshot, "make", lambda *a, **k: (memory, {"format": 1}))
    image = b"files " * 4000
    monkeypatch.setattr(snapshot, "files_image", lambda *a, **k: image)
    (tmp_path / "assets/py/abc/files-old.bin").write_bytes(b"stale")
    version = snapshot.manifest()["pyodide"]["version"]
    runtime = {name: name.encode() * (i + 2) for i, name in enumerate(snapshot.RUNTIME_FILES)}
    (tmp_path / "assets/pyodide" / version).mkdir(parents=True)
    for name, body in runtime.items():
        (tmp_path / "assets/pyodide" / version / name).write_bytes(body)
    pointer = snapshot.build(lock, tmp_path)
    import hashlib

    # The runtime files a restore reads besides, so that a browser can keep checked copies.
    assert pointer["runtime"] == [
        {"file": f"../pyodide/{version}/{name}", "bytes": len(body), "sha256": hashlib.sha256(body).hexdigest()}
        for name, body in runtime.items()
    ]

    assert pointer["sha256"] == hashlib.sha256(memory).hexdigest()
    name = f"snapshot-{pointer['sha256'][:16]}.bin"
    assert pointer["file"] == f"../py/abc/{name}"  # from assets/playbook/, where the pointer is
    folder = tmp_path / "assets/py/abc"
    assert (folder / name).read_bytes() == memory
    assert gzip.decompress((folder / (name + ".gz")).read_bytes()) == memory
    assert pointer["encoded"]["gzip"] == (folder / (name + ".gz")).stat().st_size
    assert not (folder / "snapshot-old.bin").exists()
    files = pointer["files"]
    assert files["sha256"] == hashlib.sha256(image).hexdigest() and files["bytes"] == len(image)
    assert files["file"] == f"../py/abc/files-{files['sha256'][:16]}.bin"
    assert (folder / Path(files["file"]).name).read_bytes() == image
    assert files["encoded"]["gzip"] == (folder / (Path(files["file"]).name + ".gz")).stat().st_size
    assert not (folder / "files-old.bin").exists()


def test_the_files_image_holds_what_python_reads_from_each_wheel_and_nothing_else(tmp_path, monkeypatch):
    import struct
    import zipfile

    version = "0.0.test"
    monkeypatch.setattr(snapshot, "manifest", lambda: {"pyodide": {"version": version}})
    core = tmp_path / "assets" / "pyodide" / version
    core.mkdir(parents=True)
    wanted = {
        "b-1.0.whl": {"pkg_b/__init__.py": b"B = 2\n", "pkg_b/core.so": bytes(range(256)) * 40},
        "a-1.0.whl": {"pkg_a/__init__.py": b"A = 1\n", "pkg_a-1.0.dist-info/METADATA": b"Name: a\n"},
    }
    left_out = {"pkg_a/__init__.pyi", "pkg_b/include/b.h", "pkg_b/tests/test_b.py", "pkg_b/lib/libb.a", "pkg_b/x.pxd"}
    for wheel, files in wanted.items():
        with zipfile.ZipFile(core / wheel, "w", zipfile.ZIP_DEFLATED) as z:
            for name, data in files.items():
                z.writestr(name, data)
            for name in left_out:
                if name.split("/")[0] == f"pkg_{wheel[0]}":
                    z.writestr(name, b"not for run time")
    in_wheels = {n for w in wanted for n in zipfile.ZipFile(core / w).namelist()}
    assert left_out <= in_wheels
    lock = tmp_path / "assets" / "py" / "abc" / "pyodide-lock.json"
    lock.parent.mkdir(parents=True)
    lock.write_text(json.dumps({"packages": {"b": {"file_name": "b-1.0.whl"}, "a": {"file_name": "a-1.0.whl"}}}))
    image = snapshot.files_image("assets/py/abc/pyodide-lock.json", tmp_path)
    (length,) = struct.unpack("<I", image[:4])
    index = json.loads(image[4 : 4 + length])
    at, unpacked = 4 + length, {}
    for name, size in index:
        unpacked[name] = image[at : at + size]
        at += size
    assert at == len(image)
    assert unpacked == {**wanted["a-1.0.whl"], **wanted["b-1.0.whl"]}
    assert [n for n, _ in index][:2] == ["pkg_a/__init__.py", "pkg_a-1.0.dist-info/METADATA"]  # lock order by name
    assert snapshot.files_image("assets/py/abc/pyodide-lock.json", tmp_path) == image  # same lock, same bytes


def test_the_build_passes_the_setting_through(monkeypatch):
    """``extra.playbook.snapshot: false`` reaches the snapshot step (and a CDN runtime has none)."""
    from pipeline import site

    seen = []
    monkeypatch.setattr(site.vendor, "vendor", lambda: {})
    monkeypatch.setattr(site.pybundle, "build", lambda: "assets/py/abc/pyodide-lock.json")
    monkeypatch.setattr(site.memory_snapshot, "build", lambda lock, enabled: seen.append(enabled))
    monkeypatch.setattr(site.compress, "compress_tree", lambda: [])
    monkeypatch.setattr(site, "runtime_bytes", lambda lock: 0)
    monkeypatch.setattr(site, "write_manifest_module", lambda: None)
    monkeypatch.setattr(site, "prerender_all", lambda: {})
    site.prepare(snapshot=False)
    site.prepare()
    site.prepare(pyodide_cdn=True)
    assert seen == [False, True, False]


def test_after_the_snapshots_imports_a_first_result_imports_nothing_more():
    """What the snapshot runs (pipeline/snapshot.py: imports_code of lazy_imports) leaves
    nothing for the first results to import: checked in a fresh CPython here, in the
    browser by tests/browser/test_snapshot.py."""
    import os
    import subprocess
    import sys

    code = snapshot.imports_code(snapshot.lazy_imports()) + snapshot._PROBE
    env = {**os.environ, "PYTHONPATH": str(snapshot.REPO)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=snapshot.REPO, env=env)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.splitlines()[-1]) == []


def test_a_module_that_cannot_be_imported_is_skipped_and_no_name_is_left_behind():
    import sys

    sys.modules.pop("colorsys", None)
    namespace: dict = {}
    exec(snapshot.imports_code(["colorsys", "no_such_module_for_the_playbook"]), namespace)
    assert "colorsys" in sys.modules and "no_such_module_for_the_playbook" not in sys.modules
    # Only what IMPORTS means to leave (numpy, the API): none of the loop's helper names.
    assert sorted(name for name in namespace if not name.startswith("__")) == ["api", "numpy"], namespace


@pytest.mark.content
def test_the_timelines_random_generators_are_among_what_a_first_result_imports():
    lazy = snapshot.lazy_imports()
    assert "numpy.random" in lazy, lazy  # imported by the timeline's model only when it first draws
    assert not [name for name in lazy if name.startswith("calculators")], lazy  # those IMPORTS has


def test_run_examples_reports_what_it_imported_and_a_second_run_imports_nothing():
    """The worker prepares a first result with it after a normal start; the build's probe lists with it."""
    import subprocess
    import sys

    code = (
        "import json, sys\nfrom calculators import api\n"
        "first = api.run_examples(first_only=True)\nagain = api.run_examples(first_only=True)\n"
        "print(json.dumps([first, again, all(m in sys.modules for m in first)]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=snapshot.REPO)
    first, again, present = json.loads(out.stdout.splitlines()[-1])
    assert again == [], "a second run finds everything imported already"
    assert present and first == sorted(first)
    if content_tests_enabled():
        assert "numpy.random" in first, "this playbook's timeline draws from numpy.random"
