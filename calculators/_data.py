"""Load the knowledge files under ``calculators/data`` with clear errors.

A fork edits these TOML files to change what the playbook believes. Every
loader validates what it reads and raises :class:`~calculators.errors.DataFileError`
naming the file, the entry and the problem.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

from .errors import DataFileError


def load_toml(name: str) -> dict[str, Any]:
    """Parse ``calculators/data/<name>`` and return its table."""
    ref = resources.files("calculators") / "data" / name
    try:
        raw = ref.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"calculators/data/{name}", "", "file not found") from None
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise DataFileError(f"calculators/data/{name}", "", f"not valid TOML ({exc})") from None


def require(table: Any, key: str, kind: type | tuple[type, ...], *, file: str, entry: str) -> Any:
    """Return ``table[key]`` if present and of ``kind``; else raise DataFileError."""
    if not isinstance(table, dict) or key not in table:
        raise DataFileError(file, entry, f"missing key {key!r}")
    value = table[key]
    if isinstance(value, bool) and bool not in (kind if isinstance(kind, tuple) else (kind,)):
        raise DataFileError(file, entry, f"{key!r} must be {_kind_name(kind)}, not a boolean")
    if not isinstance(value, kind):
        raise DataFileError(file, entry, f"{key!r} must be {_kind_name(kind)}, not {type(value).__name__}")
    return value


def _kind_name(kind: type | tuple[type, ...]) -> str:
    kinds = kind if isinstance(kind, tuple) else (kind,)
    names = {int: "a number", float: "a number", str: "text", list: "a list", dict: "a table", bool: "true or false"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))
