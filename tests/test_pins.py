"""The Pyodide version is written in one place: pipeline/runtime.toml.

Bumping Pyodide then means editing the manifest (and what CONTRIBUTING lists),
never hunting for copies of the version in code, docs or tests.
"""

from __future__ import annotations

import subprocess
import tomllib

from pipeline.paths import REPO

MANIFEST = "pipeline/runtime.toml"


def test_pyodide_version_is_written_only_in_the_manifest() -> None:
    version = tomllib.loads((REPO / MANIFEST).read_text(encoding="utf-8"))["pyodide"]["version"]
    assert version.count(".") == 2, version
    files = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    found = []
    for name in files:
        if name == MANIFEST:
            continue
        try:
            text = (REPO / name).read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError, IsADirectoryError):
            continue
        found += [f"{name}:{n}" for n, line in enumerate(text.splitlines(), 1) if version in line]
    assert not found, f"Pyodide {version} is written outside {MANIFEST}: " + ", ".join(found)
