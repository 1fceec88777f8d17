"""The build is reproducible and refuses anything that does not match its pins.

These tests use the download cache a first build fills (``make vendor``) and
never the network: a cache copy is tampered with in a temporary
``PLAYBOOK_CACHE``, and a fake ``npm`` on PATH stands in for the registry.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import stat
from pathlib import Path

import pytest

from pipeline import paths, pybundle, vendor
from pipeline.vendor import VerificationError

REAL_CACHE = paths.cache_dir()

needs_cache = pytest.mark.skipif(
    not (REAL_CACHE / "npm").is_dir() or not any((REAL_CACHE / "npm").glob("pyodide-*.tgz")),
    reason="the download cache is empty: run `make vendor` once (it needs the network)",
)


def tree(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


#: The cache folders that hold downloads; the rest (snapshots, compressed
#: copies, test tools) is derived and can be gigabytes, so it is not copied.
DOWNLOADS = ("npm", "wheels", "transport")


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    """A private copy of the download cache, used through PLAYBOOK_CACHE."""
    copy = tmp_path / "cache"
    for name in DOWNLOADS:
        if (REAL_CACHE / name).is_dir():
            shutil.copytree(REAL_CACHE / name, copy / name)
    monkeypatch.setenv("PLAYBOOK_CACHE", str(copy))
    return copy


@pytest.fixture
def failing_npm(tmp_path, monkeypatch) -> Path:
    """An `npm` on PATH that fails, as with no network; returns the log of its calls."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "npm-calls.log"
    script = bin_dir / "npm"
    script.write_text(f'#!/bin/sh\necho "$@" >> "{log}"\necho "npm ERR! network unreachable" >&2\nexit 1\n')
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return log


def tamper(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def npm_pin(package: str) -> dict:
    return next(p for p in paths.manifest()["npm"] if p["package"] == package)


@needs_cache
def test_vendoring_twice_gives_identical_bytes(tmp_path, cache):
    first = vendor.vendor(tmp_path / "a", tmp_path / "ta")
    second = vendor.vendor(tmp_path / "b", tmp_path / "tb")
    assert first == second
    assert len(first) >= 9, first  # pyodide core files, numpy, the chart libraries
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    assert tree(tmp_path / "ta") == tree(tmp_path / "tb")
    for rel, digest in first.items():
        assert hashlib.sha256((tmp_path / "a" / rel).read_bytes()).hexdigest() == digest, rel
    # Every file of a pinned package has the sha256 runtime.toml gives it.
    pins = paths.manifest()
    version = pins["pyodide"]["version"]
    for name, digest in pins["pyodide"]["files"].items():
        if name != "pyodide-lock.json":
            assert first[f"assets/pyodide/{version}/{name}"] == digest, name


def test_wrong_bytes_are_refused_naming_the_file():
    with pytest.raises(VerificationError, match=r"vega@6\.4\.0/build/vega\.min\.js: sha256 is .*refusing the file"):
        vendor.verified("vega@6.4.0/build/vega.min.js", b"not the pinned file", "0" * 64)


@needs_cache
def test_a_tampered_cached_tarball_is_fetched_again_and_refused_when_npm_cannot(cache, failing_npm):
    pin = npm_pin("vega")
    cached = cache / "npm" / f"vega-{pin['version']}.tgz"
    tamper(cached)
    with pytest.raises(SystemExit, match=r"npm pack vega@6\.4\.0 failed"):
        vendor.npm_tarball("vega", pin["version"], pin["integrity"])
    assert "pack vega@6.4.0" in failing_npm.read_text()  # it did try to fetch it again
    assert not cached.exists(), "the tampered tarball must not stay in the cache"


@needs_cache
def test_a_tampered_tarball_from_npm_is_refused_naming_the_package(cache, tmp_path, monkeypatch):
    pin = npm_pin("vega-embed")
    good = (cache / "npm" / f"vega-embed-{pin['version']}.tgz").read_bytes()
    (cache / "npm" / f"vega-embed-{pin['version']}.tgz").unlink()
    evil = tmp_path / "evil.tgz"
    evil.write_bytes(good[:-10] + b"0123456789")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    npm = bin_dir / "npm"
    # `npm pack PKG --pack-destination DIR --silent`: drop the tampered tarball where npm would.
    npm.write_text(f'#!/bin/sh\ncp "{evil}" "$4/vega-embed-{pin["version"]}.tgz"\n')
    npm.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(VerificationError, match=r"vega-embed@7\.3\.0: the tarball's sha512 is .*refusing it"):
        vendor.npm_tarball("vega-embed", pin["version"], pin["integrity"])
    assert not (cache / "npm" / f"vega-embed-{pin['version']}.tgz").exists()


@needs_cache
def test_a_tampered_cached_wheel_is_replaced_from_its_verified_transport(cache):
    pin = paths.manifest()["wheels"][0]
    cached = cache / "wheels" / pin["file"]
    tamper(cached)
    data = vendor.pyodide_wheel(pin, vendor.official_lock())
    assert hashlib.sha256(data).hexdigest() == pin["sha256"]
    assert hashlib.sha256(cached.read_bytes()).hexdigest() == pin["sha256"]


@needs_cache
def test_a_wheel_whose_transport_is_tampered_is_refused(cache):
    pin = paths.manifest()["wheels"][0]
    (cache / "wheels" / pin["file"]).unlink()
    transport = next((cache / "transport").glob("*.whl"))
    import zipfile

    with zipfile.ZipFile(transport) as src:
        members = {i.filename: src.read(i.filename) for i in src.infolist()}
    body = bytearray(members[pin["member"]])
    body[len(body) // 2] ^= 0xFF
    members[pin["member"]] = bytes(body)
    with zipfile.ZipFile(transport, "w") as dst:
        for name, body in members.items():
            dst.writestr(name, body)
    with pytest.raises(VerificationError, match=rf"{pin['file']} \(from {pin['transport']}\): sha256 is"):
        vendor.pyodide_wheel(pin, vendor.official_lock())


@pytest.mark.slow
@needs_cache
def test_the_wheel_bundle_is_reproducible_and_named_by_its_hash(tmp_path, cache):
    first = pybundle.build(tmp_path / "a")
    second = pybundle.build(tmp_path / "b")
    assert first == second
    assert tree(tmp_path / "a") == tree(tmp_path / "b")
    lock = tmp_path / "a" / first
    import json

    entry = json.loads(lock.read_text())["packages"]["calculators"]
    wheel = lock.parent / entry["file_name"].rsplit("/", 1)[1]
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert entry["sha256"] == digest
    assert first == f"assets/py/{digest[:12]}/pyodide-lock.json"


@pytest.mark.builds_here
@pytest.mark.parametrize("site_url", [None, ""], ids=["placeholder", "empty"])
def test_a_deploy_build_with_the_placeholder_address_stops_with_one_sentence(tmp_path, site_url):
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "DEPLOY")}
    env.update(DEPLOY="1", NO_MKDOCS_2_WARNING="1")
    if site_url is not None:
        env["SITE_URL"] = site_url
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("mkdocs")), "build", "--strict", "-d", str(tmp_path / "site")],
        cwd=paths.REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if line.startswith("ERROR")]
    assert len(errors) == 1, proc.stderr[-2000:]
    assert "site_url" in errors[0] and "set the SITE_URL environment variable" in errors[0]
    assert errors[0].count(". ") == 0, "one sentence"
    assert not (tmp_path / "site").exists(), "it stops before building anything"
