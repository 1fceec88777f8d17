"""Fetch, verify and lay out the pinned third-party runtime.

Everything comes from package registries through their ordinary clients
(``npm pack``, ``pip download``), is cached in the user cache folder, and is
checked against ``pipeline/runtime.toml`` before a single byte reaches the site.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from .paths import SITE_ASSETS, TEST_ASSETS, cache_dir, manifest


class VerificationError(RuntimeError):
    """A downloaded or cached file does not match its pinned hash."""


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sri_sha512(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _log(msg: str) -> None:
    print(f"[vendor] {msg}", file=sys.stderr, flush=True)


def npm_tarball(package: str, version: str, integrity: str) -> bytes:
    """The npm tarball of ``package@version``, from the cache or ``npm pack``."""
    folder = cache_dir() / "npm"
    path = folder / f"{package.replace('/', '-').lstrip('@')}-{version}.tgz"
    if path.exists():
        data = path.read_bytes()
        if sri_sha512(data) == integrity:
            return data
        _log(f"cached {path.name} does not match its pinned integrity; fetching it again")
        path.unlink()
    folder.mkdir(parents=True, exist_ok=True)
    if shutil.which("npm") is None:
        raise SystemExit("npm is needed to fetch the pinned runtime the first time: install Node.js (with npm).")
    _log(f"npm pack {package}@{version}")
    proc = subprocess.run(
        ["npm", "pack", f"{package}@{version}", "--pack-destination", str(folder), "--silent"],
        capture_output=True,
        text=True,
        cwd=folder,
    )
    if proc.returncode != 0 or not path.exists():
        raise SystemExit(f"npm pack {package}@{version} failed:\n{proc.stderr.strip()}")
    data = path.read_bytes()
    if sri_sha512(data) != integrity:
        path.unlink()
        raise VerificationError(
            f"{package}@{version}: the tarball's sha512 is {sri_sha512(data)}, "
            f"but pipeline/runtime.toml pins {integrity}; refusing it"
        )
    return data


def tar_member(tarball: bytes, name: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(tarball), mode="r:gz") as tar:
        member = tar.extractfile(f"package/{name}")
        if member is None:
            raise VerificationError(f"package/{name} is missing from the tarball")
        return member.read()


def verified(label: str, data: bytes, expected: str) -> bytes:
    actual = sha256(data)
    if actual != expected:
        raise VerificationError(
            f"{label}: sha256 is {actual}, expected {expected} (pinned in pipeline/runtime.toml); refusing the file"
        )
    return data


def _write(path: Path, data: bytes) -> None:
    """Write only when the content differs, so repeated builds touch nothing."""
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def official_lock() -> dict:
    """The official pyodide-lock.json of the pinned Pyodide, verified."""
    pin = manifest()["pyodide"]
    tarball = npm_tarball(pin["package"], pin["version"], pin["integrity"])
    data = verified("pyodide-lock.json", tar_member(tarball, "pyodide-lock.json"), pin["files"]["pyodide-lock.json"])
    return json.loads(data)


def pyodide_wheel(wheel: dict, lock: dict) -> bytes:
    """An official Pyodide wheel, checked against the official lock and our pin."""
    entry = lock["packages"].get(wheel["name"])
    if entry is None or entry["file_name"] != wheel["file"]:
        raise VerificationError(f"{wheel['file']} is not in the official pyodide-lock.json")
    if entry["sha256"] != wheel["sha256"]:
        raise VerificationError(
            f"{wheel['file']}: runtime.toml pins {wheel['sha256']} but the official lock says {entry['sha256']}"
        )
    path = cache_dir() / "wheels" / wheel["file"]
    if path.exists():
        data = path.read_bytes()
        if sha256(data) == entry["sha256"]:
            return data
        _log(f"cached {path.name} does not match the official lock; fetching it again")
        path.unlink()
    data = _from_transport(wheel)
    verified(f"{wheel['file']} (from {wheel['transport']})", data, entry["sha256"])
    _write(path, data)
    return data


def _from_transport(wheel: dict) -> bytes:
    folder = cache_dir() / "transport"
    folder.mkdir(parents=True, exist_ok=True)
    name, version = wheel["transport"].split("==")
    found = sorted(folder.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    if not found:
        _log(f"pip download {wheel['transport']} (carries a copy of {wheel['file']})")
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "--quiet",
                "--disable-pip-version-check",
                "-d",
                str(folder),
                wheel["transport"],
            ],
            capture_output=True,
            text=True,
        )
        found = sorted(folder.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
        if proc.returncode != 0 or not found:
            raise SystemExit(f"pip download {wheel['transport']} failed:\n{proc.stderr.strip()}")
    with zipfile.ZipFile(found[0]) as zf:
        try:
            return zf.read(wheel["member"])
        except KeyError:
            raise VerificationError(f"{found[0].name} has no member {wheel['member']}") from None


def _transform_interpreter(source: bytes) -> bytes:
    """Point vega-interpreter's one bare import at the global ``vega`` build."""
    text = source.decode("utf-8")
    old = "import { ascending, isString, DisallowedObjectProperties } from 'vega-util';"
    if not text.startswith(old):
        raise VerificationError("vega-interpreter: the import line to rewrite has changed")
    return text.replace(old, "const { ascending, isString, DisallowedObjectProperties } = globalThis.vega;", 1).encode()


def vendor(out: Path = SITE_ASSETS, test_out: Path = TEST_ASSETS) -> dict[str, str]:
    """Lay out every pinned file under ``out``; return ``{site path: sha256}``."""
    pins = manifest()
    written: dict[str, str] = {}

    def put(rel: str, data: bytes, base: Path = out) -> None:
        _write(base / rel, data)
        written[rel] = sha256(data)

    pin = pins["pyodide"]
    tarball = npm_tarball(pin["package"], pin["version"], pin["integrity"])
    core = f"assets/pyodide/{pin['version']}"
    for name, digest in pin["files"].items():
        data = verified(f"pyodide@{pin['version']}/{name}", tar_member(tarball, name), digest)
        if name != "pyodide-lock.json":
            put(f"{core}/{name}", data)
    lock = json.loads(tar_member(tarball, "pyodide-lock.json"))
    for wheel in pins["wheels"]:
        put(f"{core}/{wheel['file']}", pyodide_wheel(wheel, lock))
    for pkg in pins["npm"]:
        tarball = npm_tarball(pkg["package"], pkg["version"], pkg["integrity"])
        for name, digest in pkg["files"].items():
            data = verified(f"{pkg['package']}@{pkg['version']}/{name}", tar_member(tarball, name), digest)
            filename = Path(name).name
            if pkg["package"] == "vega-interpreter":
                data, filename = _transform_interpreter(data), "vega-interpreter.mjs"
            rel = f"{pkg['package']}@{pkg['version']}/{filename}"
            if pkg.get("test_only"):
                _write(test_out / rel, data)
            else:
                put(f"assets/vendor/{rel}", data)
    prune_stale(out, written)
    return written


def prune_stale(out: Path, written: dict[str, str]) -> list[Path]:
    """Delete version folders under ``assets/pyodide`` and ``assets/vendor`` that no pin wrote.

    After a bump, the previous version's folder would otherwise stay in ``build/``
    and be copied into every site (Pyodide alone is over 20 MB). Returns what went.

    >>> import tempfile
    >>> out = Path(tempfile.mkdtemp())
    >>> for rel in ("assets/pyodide/0.1/a.js", "assets/pyodide/0.2/a.js", "assets/vendor/x@1/x.js"):
    ...     (out / rel).parent.mkdir(parents=True, exist_ok=True)
    ...     _ = (out / rel).write_text("x")
    >>> [p.relative_to(out).as_posix() for p in prune_stale(out, {"assets/pyodide/0.2/a.js": ""})]
    ['assets/pyodide/0.1', 'assets/vendor/x@1']
    >>> sorted(p.relative_to(out).as_posix() for p in out.rglob("*.js"))
    ['assets/pyodide/0.2/a.js']
    >>> import shutil; shutil.rmtree(out)
    """
    import shutil

    kept = {tuple(rel.split("/")[:3]) for rel in written}
    gone: list[Path] = []
    for parent in ("pyodide", "vendor"):
        folder = out / "assets" / parent
        if not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if ("assets", parent, entry.name) not in kept:
                shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
                gone.append(entry)
    return gone


def pin(package: str) -> None:
    """Print the integrity and file hashes for the version in runtime.toml (for upgrades)."""
    pins = manifest()
    entries = [pins["pyodide"]] + pins["npm"]
    for pkg in entries:
        if pkg["package"] != package:
            continue
        folder = cache_dir() / "npm"
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", f"{package}@{pkg['version']}", "--pack-destination", str(folder), "--silent"],
            check=True,
            cwd=folder,
        )
        data = (folder / f"{package}-{pkg['version']}.tgz").read_bytes()
        print(f'integrity = "{sri_sha512(data)}"')
        for name in pkg["files"]:
            print(f'"{name}" = "{sha256(tar_member(data, name))}"')
        return
    raise SystemExit(f"{package} is not in pipeline/runtime.toml")
