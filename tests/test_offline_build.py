"""The build steps of issue 25 without a browser: what sw.js lists, the embed pages' addresses,
and the one frame-ancestors setting written into deploy/_headers and deploy/nginx.conf."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from pipeline import devserver, embed, offline
from pipeline.paths import REPO


def _site(tmp_path: Path, runtime_bytes: int) -> Path:
    site = tmp_path / "site"
    files = {
        "index.html": b"<h1>Home</h1>",
        "offline.html": b'<link rel="stylesheet" href="assets/main.css"><a href="chapters/x/">x</a>',
        "assets/main.css": b"body{}",
        "assets/main.css.br": b"compressed",
        "assets/bundle.js.map": b"{}",
        "chapters/x/index.html": b"<h1>X</h1>",
        "sitemap.xml": b"<urlset/>",
        "assets/py/abc/snapshot.bin": b"\0" * runtime_bytes,
        "assets/pyodide/1.0/pyodide.asm.wasm": b"wasm",
    }
    for rel, data in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_bytes(data)
    return site


def test_manifest_lists_every_file_by_hash_and_tier(tmp_path):
    site = _site(tmp_path, 10)
    m = offline.build_manifest(site)
    files = m["files"]
    assert "assets/main.css.br" not in files and "assets/bundle.js.map" not in files
    assert files["assets/main.css"] == [hashlib.sha256(b"body{}").hexdigest(), 6, "shell"]
    assert files["offline.html"][2] == "shell" and files["chapters/x/index.html"][2] == "pages"
    assert (
        files["assets/py/abc/snapshot.bin"][2] == "runtime"
        and files["assets/pyodide/1.0/pyodide.asm.wasm"][2] == "runtime"
    )
    assert files["sitemap.xml"][0] == "", "the sitemap is rewritten by hosts: stored unchecked"
    assert m["eager"] and m["offline"] == "offline.html"
    assert m["bytes"]["runtime"] == 14


def test_a_site_over_the_limit_stores_its_runtime_only_after_a_calculator(tmp_path):
    site = _site(tmp_path, 50)
    assert offline.build_manifest(site, limit=60)["eager"] is False
    assert "once the reader opens a calculator" in offline.describe(offline.build_manifest(site, limit=60))


def test_a_changed_file_changes_the_version_and_the_worker(tmp_path):
    site = _site(tmp_path, 10)
    first = offline.write_service_worker(site, quiet=True)
    (site / "chapters/x/index.html").write_bytes(b"<h1>X, revised</h1>")
    second = offline.write_service_worker(site, quiet=True)
    assert first and second and first["version"] != second["version"]
    text = (site / "sw.js").read_text()
    listed = json.loads(re.search(r"const MANIFEST = (\{.*?\});\n", text).group(1))
    assert listed == second and "sw.js" not in listed["files"]
    assert offline.write_service_worker(site, enabled=False) is None and not (site / "sw.js").exists()


def test_frame_ancestors_setting_fills_both_header_files(tmp_path):
    headers = tmp_path / "_headers"
    nginx = tmp_path / "nginx.conf"
    headers.write_text((REPO / "deploy" / "_headers").read_text())
    nginx.write_text((REPO / "deploy" / "nginx.conf").read_text())
    wanted = ["'self'", "https://acme.atlassian.net"]
    assert offline.sync_frame_ancestors(wanted, (headers, nginx)) == [headers, nginx]
    for path in (headers, nginx):
        assert re.findall(r"frame-ancestors [^;\"\n]*", path.read_text()) and all(
            found == "frame-ancestors 'self' https://acme.atlassian.net"
            for found in re.findall(r"frame-ancestors [^;\"\n]*", path.read_text())
        )
    assert offline.sync_frame_ancestors(wanted, (headers, nginx)) == [], "a second run changes nothing"
    with pytest.raises(SystemExit, match="not a site address"):
        offline.frame_ancestors(["acme.atlassian.net; script-src *"])


def test_the_committed_headers_match_the_setting():
    class Loader(yaml.SafeLoader):  # mkdocs.yml's !ENV and !!python tags: their values do not matter here
        pass

    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    config = yaml.load((REPO / "mkdocs.yml").read_text(), Loader=Loader)
    wanted = offline.frame_ancestors(offline.options(config)["frame_ancestors"])
    assert wanted in devserver.csp(), "deploy/_headers: run make build after changing extra.playbook.frame_ancestors"
    nginx = (REPO / "deploy" / "nginx.conf").read_text()
    assert set(re.findall(r"frame-ancestors [^;\"\n]*", nginx)) == {wanted}


def test_embed_pages_keep_relative_addresses_right():
    page = '<link href="../../assets/a.css"><script src="../../assets/b.js" data-scope="../.."></script>'
    assert embed.rebase(page, "calculators/timeline/", "embed/timeline/") == page
    moved = embed.rebase(page, "tools/plan/timeline/", "embed/timeline/")
    expected = '<link href="../../tools/assets/a.css"><script src="../../tools/assets/b.js" data-scope="../../tools">'
    assert moved == expected + "</script>"
    assert embed.rebase('<a href="../x/">', "a/b/", "c/") == '<a href="../a/x/">'


def test_a_folder_of_another_pyodide_version_is_not_stored(tmp_path):
    from pipeline.paths import manifest

    site = _site(tmp_path, 10)
    current = site / "assets" / "pyodide" / manifest()["pyodide"]["version"] / "pyodide.mjs"
    current.parent.mkdir(parents=True)
    current.write_text("export {}")
    files = offline.build_manifest(site)["files"]
    assert current.relative_to(site).as_posix() in files
    assert "assets/pyodide/1.0/pyodide.asm.wasm" not in files, "an earlier build's runtime is stored"
