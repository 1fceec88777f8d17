"""A fork's knowledge overlay: ``company/data/<name>.toml`` merged over a data file.

A fork never edits upstream's data files. It writes partial records, keyed by
``id``, in a file of the same name under ``company/data/``; :func:`merge` lays
them over upstream's table, so an upgrade that changes upstream's file never
conflicts with the fork's edits. The rules:

- a top-level array of tables (``[[question]]``, ``[[plan]]`` ...) holds records
  keyed by ``id``: a record whose id upstream has is merged into it, one with a
  new id is added at the end;
- inside a record, and for top-level tables (``[scoring]``), a table merges key
  by key; any other value (text, number, list, array of tables) replaces
  upstream's, and must be of the same kind;
- ``remove = ["id", ...]`` takes records out (write ``"kind:id"`` when two
  kinds share the id); a record still referred to stops the merge, naming both;
- ``[order]`` ``kind = ["id", ...]`` puts those records first, in that order
  (the others follow in their order, upstream's new ones included).

The merged table then goes through the calculator's usual validation.
Everything here is pure and stdlib only: it runs in CPython and in the browser.
"""

from __future__ import annotations

import copy
import json
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import DataFileError

#: The overlay folder, at the top of a checkout (upstream ships nothing there).
FOLDER = "company"
#: Keys of an overlay data file that are instructions, not data.
RESERVED = ("remove", "order")


def company_root() -> Path | None:
    """``company/`` of the checkout this package runs from, if there is one.

    An installed package (the browser's wheel, a site-packages install) has no
    checkout around it and so no overlay: the build puts the merged knowledge
    into the wheel itself.
    """
    checkout = Path(__file__).resolve().parent.parent
    root = checkout / FOLDER
    return root if (checkout / "pyproject.toml").is_file() and root.is_dir() else None


def overlay_path(name: str, folder: str = "data", root: Path | None = None) -> Path | None:
    """``company/<folder>/<name>`` if it exists."""
    base = root if root is not None else company_root()
    if base is None:
        return None
    path = base / folder / name
    return path if path.is_file() else None


@dataclass
class Merged:
    """The merged table, and what the overlay did (for messages and ``pipeline company --check``)."""

    data: dict[str, Any]
    file: str
    over: str
    changed: list[tuple[str, str]] = field(default_factory=list)
    added: list[tuple[str, str]] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)
    ordered: list[str] = field(default_factory=list)

    def touched(self) -> set[str]:
        return {i for _, i in self.changed + self.added}


def is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(x, dict) and "id" in x for x in value)


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "a table" if isinstance(value, dict) else type(value).__name__


def merge(upstream: dict[str, Any], overlay: dict[str, Any], *, file: str, over: str) -> Merged:
    """Lay ``overlay`` (the table of ``file``) over ``upstream`` (the table of ``over``).

    Examples
    --------
    >>> up = {"q": [{"id": "a", "text": "A?", "w": 1}, {"id": "b", "text": "B?", "w": 1}], "s": {"x": 1, "y": 2}}
    >>> ov = {"q": [{"id": "b", "text": "Bee?"}, {"id": "c", "text": "C?", "w": 2}], "s": {"y": 3},
    ...       "remove": ["a"], "order": {"q": ["c"]}}
    >>> m = merge(up, ov, file="company/data/f.toml", over="calculators/data/f.toml")
    >>> m.data
    {'q': [{'id': 'c', 'text': 'C?', 'w': 2}, {'id': 'b', 'text': 'Bee?', 'w': 1}], 's': {'x': 1, 'y': 3}}
    >>> merge(up, {"q": [{"id": "a", "w": "heavy"}]}, file="company/data/f.toml", over="f")
    Traceback (most recent call last):
    ...
    calculators.errors.DataFileError: company/data/f.toml: q 'a': 'w' must be a number (as upstream's), not text
    """
    out = Merged(copy.deepcopy(upstream), file, over)
    data = out.data
    for key, value in overlay.items():
        if key in RESERVED:
            continue
        if key not in data:
            known = ", ".join(k for k in data if k not in RESERVED)
            raise DataFileError(file, key, f"{over} has no {key!r} to change (it has {known})")
        if is_records(data[key]):
            _merge_records(out, key, value)
        elif isinstance(data[key], dict):
            _check_kind(file, key, key, data[key], value)
            data[key] = _merge_table(file, key, data[key], value)
            out.settings.append(key)
        else:
            _check_kind(file, "", key, data[key], value)
            data[key] = copy.deepcopy(value)
            out.settings.append(key)
    _remove(out, overlay.get("remove", []))
    _order(out, overlay.get("order", {}))
    return out


def _check_kind(file: str, entry: str, key: str, before: Any, after: Any, kinds: set[str] | None = None) -> None:
    """``after`` must be of ``before``'s kind (or of one of ``kinds``, the kinds upstream's records use there)."""
    allowed = kinds or {_kind(before)}
    if _kind(after) not in allowed:
        raise DataFileError(
            file, entry, f"{key!r} must be {' or '.join(sorted(allowed))} (as upstream's), not {_kind(after)}"
        )


def _merge_table(
    file: str, entry: str, before: dict[str, Any], after: dict[str, Any], kinds: dict[str, set[str]] | None = None
) -> dict[str, Any]:
    merged = dict(before)
    for key, value in after.items():
        if key in before:
            _check_kind(file, entry, key, before[key], value, (kinds or {}).get(key))
            if isinstance(value, dict) and isinstance(before[key], dict):
                value = _merge_table(file, f"{entry}.{key}", before[key], value)
        merged[key] = copy.deepcopy(value)
    return merged


def _merge_records(out: Merged, kind: str, records: Any) -> None:
    if not (isinstance(records, list) and all(isinstance(r, dict) for r in records)):
        raise DataFileError(out.file, f"[[{kind}]]", "must be an array of tables, as upstream's")
    existing: list[dict[str, Any]] = out.data[kind]
    by_id = {str(r["id"]): i for i, r in enumerate(existing)}
    kinds: dict[str, set[str]] = {}  # the kinds upstream's records use for each field (a deadline: weeks or a date)
    for r in existing:
        for key, value in r.items():
            kinds.setdefault(key, set()).add(_kind(value))
    seen: set[str] = set()
    for n, record in enumerate(records):
        ident = record.get("id")
        if not isinstance(ident, str) or not ident.strip():
            raise DataFileError(
                out.file, f"[[{kind}]] number {n + 1}", "needs an 'id' (text): the record it changes or adds"
            )
        entry = f"{kind} {ident!r}"
        if ident in seen:
            raise DataFileError(out.file, entry, "is given twice")
        seen.add(ident)
        if ident in by_id:
            existing[by_id[ident]] = _merge_table(out.file, entry, existing[by_id[ident]], record, kinds)
            out.changed.append((kind, ident))
        else:
            for key, value in record.items():
                if key in kinds:
                    _check_kind(out.file, entry, key, None, value, kinds[key])
            existing.append(copy.deepcopy(record))
            by_id[ident] = len(existing) - 1
            out.added.append((kind, ident))


def _find(out: Merged, ref: str, what: str) -> tuple[str, str]:
    """``"id"`` or ``"kind:id"`` -> (kind, id) of one record of the merged table."""
    kind, _, ident = ref.rpartition(":")
    hits = [
        (k, ident)
        for k, v in out.data.items()
        if is_records(v) and (not kind or k == kind) and any(r["id"] == ident for r in v)
    ]
    if not hits:
        raise DataFileError(out.file, f"{what} {ref!r}", f"unknown id: {out.over} has no record {ident!r}")
    if len(hits) > 1:
        kinds = " or ".join(f"'{k}:{ident}'" for k, _ in hits)
        raise DataFileError(out.file, f"{what} {ref!r}", f"several kinds have that id: write {kinds}")
    return hits[0]


def _remove(out: Merged, refs: Any) -> None:
    if isinstance(refs, dict):
        refs = [f"{k}:{i}" for k, ids in refs.items() for i in (ids if isinstance(ids, list) else [ids])]
    if not (isinstance(refs, list) and all(isinstance(r, str) for r in refs)):
        raise DataFileError(out.file, "remove", 'must be a list of ids, e.g. remove = ["an-id"]')
    gone = [_find(out, ref, "remove") for ref in refs]
    for kind, ident in gone:
        out.data[kind] = [r for r in out.data[kind] if r["id"] != ident]
        out.removed.append((kind, ident))
    for kind, ident in gone:
        users = sorted(set(referrers(out.data, ident)))
        if users:
            named = " and ".join(referrer_name(*user) for user in users[:3])
            verb = "refers" if len(users) == 1 else "refer"
            raise DataFileError(
                out.file,
                f"remove {ident!r}",
                f"{kind} {ident!r} is removed, but {named} in {out.over} still {verb} to it; "
                "change or remove that record too",
            )


def _order(out: Merged, order: Any) -> None:
    if not isinstance(order, dict):
        raise DataFileError(out.file, "order", 'must be a table, e.g. [order] plan = ["first-id", "second-id"]')
    for kind, ids in order.items():
        if not is_records(out.data.get(kind)):
            raise DataFileError(out.file, f"order.{kind}", f"{out.over} has no records [[{kind}]]")
        if not (isinstance(ids, list) and all(isinstance(i, str) for i in ids)):
            raise DataFileError(out.file, f"order.{kind}", "must be a list of ids")
        records = {r["id"]: r for r in out.data[kind]}
        for ident in ids:
            if ident not in records:
                raise DataFileError(out.file, f"order.{kind} {ident!r}", f"unknown id: no {kind} {ident!r}")
        first = [records[i] for i in ids]
        out.data[kind] = first + [r for r in out.data[kind] if r["id"] not in ids]
        out.ordered.append(kind)


def referrers(data: dict[str, Any], ident: str) -> Iterator[tuple[str, str, str]]:
    """(kind, id, where) of every record that names ``ident``: as a value, a ``"id.answer"`` value or a key.

    >>> data = {"example": [{"id": "e", "answers": {"q1": "yes"}}], "rule": [{"id": "r", "answers": ["q1.no"]}]}
    >>> sorted(referrers(data, "q1"))
    [('example', 'e', 'answers.q1'), ('rule', 'r', 'answers')]
    """
    for kind, value in data.items():
        if is_records(value):
            for record in value:
                for where in _mentions({k: v for k, v in record.items() if k != "id"}, ident, ""):
                    yield kind, str(record["id"]), where
        elif isinstance(value, dict):
            for where in _mentions(value, ident, ""):
                yield kind, kind, where


def referrer_name(kind: str, ident: str, where: str) -> str:
    """``example 'e' (answers.q1)`` for a record; ``[chart] (rows)`` for a top-level table."""
    return f"[{kind}] ({where})" if kind == ident else f"{kind} {ident!r} ({where})"


def _mentions(value: Any, ident: str, path: str) -> Iterator[str]:
    if isinstance(value, str):
        if value == ident or re.match(rf"{re.escape(ident)}\.[\w|-]+$", value):
            yield path
    elif isinstance(value, list):
        for item in value:
            yield from _mentions(item, ident, path)
    elif isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else key
            if key == ident:
                yield here
            elif key != "id":
                yield from _mentions(item, ident, here)


def blame(err: DataFileError, merged: Merged | None) -> DataFileError:
    """A validation error of merged knowledge, attributed to the overlay when its record came from there."""
    if merged is None or err.file != merged.over:
        return err
    m = re.match(r"(\w+) '([^']+)'|(\w+)\[\d+\] \(([^)]+)\)", err.entry)
    ident = (m.group(2) or m.group(4)) if m else None
    if ident in merged.touched() or (m is None and merged.settings):
        return DataFileError(f"{merged.file} (over {merged.over})", err.entry, err.problem)
    return err


def describe(merged: Merged) -> list[str]:
    """What an overlay changes, in words (``python -m pipeline company --check``)."""

    def names(items: list[tuple[str, str]]) -> str:
        return ", ".join(f"{k} {i!r}" for k, i in items)

    lines = []
    if merged.changed:
        lines.append(f"changes {names(merged.changed)}")
    if merged.added:
        lines.append(f"adds {names(merged.added)}")
    if merged.removed:
        lines.append(f"removes {names(merged.removed)}")
    if merged.ordered:
        lines.append(f"puts first some of its {', '.join(merged.ordered)} records")
    if merged.settings:
        lines.append(f"changes the settings {', '.join(merged.settings)}")
    return lines


# ------------------------------------------------------------------ the merged table as TOML text
def _key(k: str) -> str:
    return k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else json.dumps(k, ensure_ascii=False)


def _value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int | float):  # repr: a float keeps its point (1.0), so it reads back as a float
        return repr(v)
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)  # a JSON string is a valid TOML basic string
    if isinstance(v, list):
        return "[" + ", ".join(_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def _is_array_of_tables(v: Any) -> bool:
    return isinstance(v, list) and bool(v) and all(isinstance(x, dict) for x in v)


def _is_table(v: Any) -> bool:
    return isinstance(v, dict)


def dump_toml(data: dict[str, Any]) -> str:
    """TOML text for parsed TOML data (comments are not kept; the data is).

    Every table is written as a section (``[scoring]``), every array of tables as
    ``[[question]]``: the layout of the data files, without their comments.

    >>> data = {"a": 1, "t": {"x": "y"}, "q": [{"id": "a", "answer": [{"id": "b", "at": {"d": 0.5}}]}]}
    >>> tomllib.loads(dump_toml(data)) == data
    True
    """
    out: list[str] = []

    def body(table: dict[str, Any], path: list[str]) -> None:
        for k, v in table.items():
            if not _is_table(v) and not _is_array_of_tables(v):
                out.append(f"{_key(k)} = {_value(v)}")
        for k, v in table.items():
            name = ".".join(_key(p) for p in [*path, k])
            if _is_table(v):
                out.extend(["", f"[{name}]"])
                body(v, [*path, k])
            elif _is_array_of_tables(v):
                for item in v:
                    out.extend(["", f"[[{name}]]"])
                    body(item, [*path, k])

    body(data, [])
    text = "\n".join(out).lstrip("\n") + "\n"
    if tomllib.loads(text) != data:
        raise ValueError("the merged knowledge does not survive a TOML round trip")
    return text


def header(text: str) -> str:
    """The comment lines at the top of a TOML text (a data file's FORMAT description)."""
    lines = []
    for line in text.splitlines(keepends=True):
        if line.strip() and not line.lstrip().startswith("#"):
            break
        lines.append(line)
    return "".join(lines)


def merged_text(upstream_text: str, table: dict[str, Any], name: str) -> str:
    """The merged table as a data file: upstream's FORMAT comment, then the data."""
    note = f"# (Merged: company/data/{name} over this file. Comments below the format are not kept.)\n\n"
    return header(upstream_text).rstrip("\n") + "\n#\n" + note + dump_toml(table)
