"""Load the knowledge files under ``calculators/data`` with clear errors.

A fork changes what the playbook believes without editing these files: it
writes partial records in ``company/data/<same name>.toml``, which
:mod:`calculators._overlay` merges over them here, where every front end loads
its knowledge (the build, the CLI, notebooks, tests; the browser's wheel carries
the merged files). Every loader validates what it reads and raises
:class:`~calculators.errors.DataFileError` naming the file, the entry and the
problem (the overlay's file, for a record the overlay changed or added).
"""

from __future__ import annotations

import copy
import functools
import math
import tomllib
from collections.abc import Iterable, Sequence
from importlib import resources
from typing import Any, NoReturn

from . import _overlay
from .errors import DataFileError

#: The overlay merged into each data file, by the upstream file's label (for errors and reports).
MERGES: dict[str, _overlay.Merged] = {}


def load_toml(name: str) -> dict[str, Any]:
    """Parse ``calculators/data/<name>``, merge ``company/data/<name>`` over it, return the table.

    The one knowledge loader: the file is read, parsed and merged once per process,
    and each caller gets its own copy (so no caller can change what another reads).

    Examples
    --------
    >>> a = load_toml("archetypes.toml"); b = load_toml("archetypes.toml")
    >>> a == b and a is not b
    True
    >>> load_toml("nope.toml")
    Traceback (most recent call last):
    ...
    calculators.errors.DataFileError: calculators/data/nope.toml: file not found
    """
    return copy.deepcopy(_parsed(name))


@functools.cache
def _parsed(name: str) -> dict[str, Any]:
    ref = resources.files("calculators") / "data" / name
    try:
        raw = ref.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"calculators/data/{name}", "", "file not found") from None
    label = f"calculators/data/{name}"
    return merged(Reader(label).parse(raw), name, label)


def merged(upstream: dict[str, Any], name: str, label: str, root: Any = None) -> dict[str, Any]:
    """``upstream`` (the table of the data file ``label``) with ``company/data/<name>`` merged over it.

    ``root`` is the overlay folder (default: the checkout's ``company/``, if any).
    """
    path = _overlay.overlay_path(name, root=root)
    if path is None:
        MERGES.pop(label, None)
        return upstream
    file = f"{_overlay.FOLDER}/data/{name}"
    overlay = Reader(file).parse(path.read_text(encoding="utf-8"))
    result = _overlay.merge(upstream, overlay, file=file, over=label)
    MERGES[label] = result
    return result.data


def data_text(name: str) -> str:
    """The text of ``calculators/data/<name>`` (for loaders that keep comments or re-parse).

    With a fork's ``company/data/<name>`` beside it, the merged table as TOML under
    the file's FORMAT comment: what :func:`load_toml` returns, as text.
    """
    ref = resources.files("calculators") / "data" / name
    try:
        text = ref.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataFileError(f"calculators/data/{name}", "", "file not found") from None
    if _overlay.overlay_path(name) is None:
        return text
    return _overlay.merged_text(text, load_toml(name), name)


class Reader:
    """Typed reads from a parsed TOML table that raise :class:`DataFileError`.

    Every failure names the file, the entry (``question 'reporting'``) and the
    problem, so a fork that edits a data file knows exactly what to fix.

    Examples
    --------
    >>> r = Reader("calculators/data/example.toml")
    >>> r.number({"weight": 2}, "weight", "dimension 'x'", 0, 1)
    Traceback (most recent call last):
    ...
    calculators.errors.DataFileError: calculators/data/example.toml: dimension 'x': 'weight' (2) must be between 0 and 1
    >>> r.texts({"roles": ["ML engineer"]}, "roles", "archetype 'rnd'", empty=False)
    ('ML engineer',)
    """

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, entry: str, problem: str) -> NoReturn:
        raise DataFileError(self.file, entry, problem)

    def parse(self, text: str) -> dict[str, Any]:
        """The TOML ``text`` as a table, or a DataFileError saying where it is malformed."""
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise DataFileError(self.file, "", f"not valid TOML ({exc})") from None

    def get(self, table: Any, key: str, kind: type | tuple[type, ...], entry: str) -> Any:
        """``table[key]`` if it is of ``kind`` (booleans are not numbers; text is not empty)."""
        if not isinstance(table, dict):
            self.fail(entry, "must be a table")
        if key not in table:
            self.fail(entry, f"missing key {key!r}")
        value = table[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            self.fail(entry, f"{key!r} must be {_kind_name(kinds)}, not {type(value).__name__}")
        if isinstance(value, str) and not value.strip():
            self.fail(entry, f"{key!r} is empty")
        return value

    def table(self, parent: Any, key: str, entry: str) -> dict[str, Any]:
        if not isinstance(parent, dict) or key not in parent:
            self.fail(entry, f"missing table {key!r}")
        out: dict[str, Any] = self.get(parent, key, dict, entry)
        return out

    def number(
        self, table: Any, key: str, entry: str, lo: float = 0.0, hi: float | None = None, *, open_lo: bool = False
    ) -> float:
        """A finite number in ``[lo, hi]`` (``(lo, ...]`` with ``open_lo``)."""
        value = float(self.get(table, key, (int, float), entry))
        if not math.isfinite(value) or (value <= lo if open_lo else value < lo) or (hi is not None and value > hi):
            rng = f"between {lo:g} and {hi:g}" if hi is not None else f"above {lo:g}" if open_lo else f"at least {lo:g}"
            self.fail(entry, f"{key!r} ({value:g}) must be {rng}")
        return value

    def text(self, table: Any, key: str, entry: str) -> str:
        return str(self.get(table, key, str, entry)).strip()

    def texts(
        self, table: Any, key: str, entry: str, *, allowed: Iterable[str] | None = None, empty: bool = True
    ) -> tuple[str, ...]:
        """A list of non-empty texts, optionally each one of ``allowed``."""
        items = self.get(table, key, list, entry)
        if not all(isinstance(x, str) and x.strip() for x in items):
            self.fail(entry, f"{key!r} must be a list of non-empty texts")
        if not items and not empty:
            self.fail(entry, f"{key!r} must not be empty")
        if allowed is not None:
            allowed = tuple(allowed)
            for x in items:
                if x not in allowed:
                    self.fail(entry, f"{key!r} names unknown {x!r}; expected one of {', '.join(allowed)}")
        return tuple(x.strip() for x in items)

    def levels(
        self, table: Any, key: str, entry: str, names: Sequence[str], lo: float = 0.0, hi: float | None = None
    ) -> dict[str, float]:
        """A table of exactly ``names``, each a number in ``[lo, hi]``."""
        sub = self.table(table, key, entry)
        out = {n: self.number(sub, n, f"{entry}.{key}", lo, hi) for n in names}
        self.unknown_keys(sub, names, f"{entry}.{key}")
        return out

    def entries(self, data: dict[str, Any], key: str, *, minimum: int = 1) -> list[Any]:
        """The array of tables ``[[key]]``, with at least ``minimum`` entries."""
        items = data.get(key)
        if items is None:
            self.fail(f"[[{key}]]", "missing: the file defines none")
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            self.fail(f"[[{key}]]", "must be an array of tables")
        if len(items) < minimum:
            self.fail(f"[[{key}]]", f"needs at least {minimum} entries, found {len(items)}")
        return items

    def ident(self, table: Any, entry: str, seen: set[str]) -> str:
        """The entry's ``id``, unique among ``seen`` (which it joins)."""
        ident = str(self.get(table, "id", str, entry)).strip()
        if ident in seen:
            self.fail(entry, f"duplicate id {ident!r}")
        seen.add(ident)
        return ident

    def unknown_keys(self, table: dict[str, Any], allowed: Sequence[str], entry: str) -> None:
        for key in table:
            if key not in allowed:
                self.fail(entry, f"unknown key {key!r}; expected one of {', '.join(allowed)}")


def _kind_name(kinds: tuple[type, ...]) -> str:
    names = {int: "a number", float: "a number", str: "text", list: "a list", dict: "a table", bool: "true or false"}
    return " or ".join(dict.fromkeys(names.get(k, k.__name__) for k in kinds))
