"""Build steps keyed on a content hash of their inputs: run again only when an input changed.

>>> len(digest("pyproject.toml")) == 64 and digest("pyproject.toml") == digest("pyproject.toml")
True
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .paths import BUILD, REPO

STEPS = BUILD / "steps"
#: Files whose change can change any step's output besides the step's own inputs.
TOOLS = ("pyproject.toml", "requirements", "pipeline")
#: The calculators and what they know: their data files and a fork's overlay of them (company/data/).
KNOWLEDGE = ("calculators", "company/data")
_SKIP = ("__pycache__", ".pyc", ".tmp", ".DS_Store")


def digest(*rels: str | Path, extra: str = "") -> str:
    """sha256 of the named files and folders under the repo (paths and bytes, in a fixed order)."""
    h = hashlib.sha256(extra.encode())
    for rel in rels:
        root = REPO / rel
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root] if root.exists() else []
        for path in files:
            name = path.relative_to(REPO).as_posix()
            if any(part in name for part in _SKIP):
                continue
            h.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def cached_step(name: str, key: str, run, valid=lambda value: True):
    """``run()``'s JSON value, reused while ``key`` (a digest of the inputs) is unchanged and ``valid(value)``."""
    stamp = STEPS / f"{name}.json"
    try:
        saved = json.loads(stamp.read_text(encoding="utf-8"))
        if saved["key"] == key and valid(saved["value"]):
            return saved["value"]
    except (OSError, ValueError, KeyError):
        pass
    value = run()
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(json.dumps({"key": key, "value": value}), encoding="utf-8")
    return value


def kept(kind: str, name: str, key: str, make) -> str:
    """``make()``'s text, kept in build/<kind>/ under ``name`` and ``key`` (a digest of its inputs)."""
    path = BUILD / kind / f"{name}-{key[:16]}.txt"
    if path.is_file():
        return path.read_text(encoding="utf-8")
    text = make()
    path.parent.mkdir(parents=True, exist_ok=True)
    for old in path.parent.glob(f"{name}-*.txt"):
        old.unlink()
    path.write_text(text, encoding="utf-8")
    return text
