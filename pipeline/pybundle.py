"""Build ``calculators`` as a Pyodide-ready wheel with the site's own lock file.

1. ``python -m build --wheel`` (hatchling, no isolation: the pinned backend is in .venv).
2. ``pyodide py-compile`` (pyodide-build): ship bytecode, smaller and faster to import.
3. ``pyodide lockfile add-wheels`` (pyodide-lock): add it to the official lock, then
   keep only the closure the site loads (numpy, calculators and their dependencies)
   and restore the official ``info`` block, which add-wheels drops and Pyodide needs.

The wheel and lock land under ``assets/py/<hash>/``, where ``<hash>`` is taken from
their content: a new deploy never runs against a cached old wheel.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from . import knowledge_files
from .paths import REPO, SITE_ASSETS
from .vendor import _write, official_lock, sha256

ROOTS = ("numpy", "calculators")


def _run(*cmd: str, cwd: Path | None = None) -> None:
    # SOURCE_DATE_EPOCH makes py_compile write hash-based .pyc files (no mtimes).
    env = {**os.environ, "SOURCE_DATE_EPOCH": "315532800"}
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")


def _normalise_zip(path: Path) -> bytes:
    """Rewrite a zip with fixed timestamps and permissions, so the same sources give the same bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.external_attr = 0o644 << 16
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return buf.getvalue()


def _pyodide_cli() -> str:
    exe = Path(sys.executable).with_name("pyodide")
    if not exe.exists():
        raise SystemExit("the pyodide command line is missing from this environment: run `make venv`")
    return str(exe)


def closure(packages: dict, roots: tuple[str, ...]) -> set[str]:
    keep: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name in keep:
            continue
        if name not in packages:
            raise SystemExit(f"pyodide-lock: {name} is needed but missing from the lock")
        keep.add(name)
        todo.extend(packages[name].get("depends", []))
    return keep


def build(out: Path = SITE_ASSETS) -> str:
    """Build the wheel and trimmed lock; return the site path of the lock."""
    official = official_lock()
    with tempfile.TemporaryDirectory(prefix="pybundle-") as tmp_name:
        tmp = Path(tmp_name)
        dist, work = tmp / "dist", tmp / "work"
        _run(sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(dist), str(REPO))
        wheel = next(dist.glob("calculators-*.whl"))
        knowledge_files.into_wheel(wheel)  # a fork's company/data merged in: the browser has no checkout
        (tmp / "official.json").write_text(json.dumps(official))
        _run(
            _pyodide_cli(),
            "lockfile",
            "add-wheels",
            "--input",
            str(tmp / "official.json"),
            "--output",
            str(tmp / "added.json"),
            str(wheel),
        )
        added = json.loads((tmp / "added.json").read_text())
        keep = closure(added["packages"], ROOTS)
        work.mkdir()
        shutil.copy(wheel, work / wheel.name)
        mine = dict(added["packages"]["calculators"], file_name=wheel.name)
        (work / "pyodide-lock.json").write_text(
            json.dumps({"info": official["info"], "packages": {"calculators": mine}})
        )
        # py-compile rewrites the wheel (tag cp312) and the lock entry's file name and sha256.
        _run(_pyodide_cli(), "py-compile", "--silent", str(work))
        mine = json.loads((work / "pyodide-lock.json").read_text())["packages"]["calculators"]
        compiled = work / mine["file_name"]
        if mine["sha256"] != sha256(compiled.read_bytes()):
            raise SystemExit("pyodide-lock: the lock's sha256 of our wheel does not match the wheel")
        data = _normalise_zip(compiled)
    mine["sha256"] = sha256(data)
    digest = sha256(data)[:12]
    target = f"assets/py/{digest}"
    # Official wheels resolve against the Pyodide folder (indexURL); ours is reached from it.
    mine["file_name"] = f"../../py/{digest}/{compiled.name}"
    # Every other entry is the official one, untouched (add-wheels re-serialises them).
    packages = {k: official["packages"][k] for k in sorted(keep) if k != "calculators"}
    packages["calculators"] = mine
    # add-wheels drops info.version, which the pinned Pyodide requires: keep the official block.
    lock = {"info": official["info"], "packages": dict(sorted(packages.items()))}
    lock_bytes = json.dumps(lock, indent=1, sort_keys=True).encode()
    _write(out / target / compiled.name, data)
    _write(out / target / "pyodide-lock.json", lock_bytes)
    # Remove bundles of earlier builds so the site ships only the current one.
    for old in (out / "assets" / "py").glob("*"):
        if old.name != digest:
            shutil.rmtree(old)
    return f"{target}/pyodide-lock.json"
