"""Form schemas: what inputs a calculator page shows.

A calculator describes its inputs as a list of plain-dict fields; the browser
builds the form from that list (labels, help, bounds, options) and turns the
form back into the calculator's JSON input. Field ``name`` is a dotted path into
the input object (``answers.reporting``); a ``table`` field holds a list of row
objects whose ``columns`` are fields named relative to the row.

Field types: ``number``, ``select``, ``radio``, ``checkbox``, ``text``,
``tags`` (comma-separated ids, sent as a list of strings), ``textarea``, ``table``, ``group``
(a fieldset of other fields). ``optional`` fields are left out of the input when
empty, so the calculator's default applies.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

Field = dict[str, Any]


def _base(kind: str, name: str, label: str, help: str, optional: bool) -> Field:
    field: Field = {"type": kind, "name": name, "label": label}
    if help:
        field["help"] = help
    if optional:
        field["optional"] = True
    return field


def number(
    name: str,
    label: str,
    *,
    default: float | None,
    min: float,
    max: float,
    step: float | str = "any",
    unit: str = "",
    help: str = "",
    optional: bool = False,
) -> Field:
    field = _base("number", name, label, help, optional)
    field.update(default=default, min=min, max=max, step=step)
    if unit:
        field["unit"] = unit
    return field


def select(name: str, label: str, options: Sequence[tuple[str, str]], *, default: str | None,
           help: str = "", optional: bool = False) -> Field:
    field = _base("select", name, label, help, optional)
    field.update(default=default, options=[{"value": v, "label": t} for v, t in options])
    return field


def radio(name: str, label: str, options: Sequence[tuple[str, str]], *, default: str | None = None,
          help: str = "", optional: bool = True) -> Field:
    field = _base("radio", name, label, help, optional)
    field.update(default=default, options=[{"value": v, "label": t} for v, t in options])
    return field


def checkbox(name: str, label: str, *, default: bool = False, help: str = "") -> Field:
    field = _base("checkbox", name, label, help, False)
    field["default"] = default
    return field


def text(name: str, label: str, *, default: str = "", max_length: int = 200, help: str = "",
         optional: bool = False) -> Field:
    field = _base("text", name, label, help, optional)
    field.update(default=default, max_length=max_length)
    return field


def tags(name: str, label: str, *, default: Sequence[str] = (), help: str = "", optional: bool = True) -> Field:
    field = _base("tags", name, label, help, optional)
    field["default"] = list(default)
    return field


def table(name: str, label: str, columns: Sequence[Field], *, default: Sequence[dict[str, Any]],
          min_rows: int = 1, max_rows: int = 100, help: str = "") -> Field:
    field = _base("table", name, label, help, False)
    field.update(columns=list(columns), default=[dict(r) for r in default], min_rows=min_rows, max_rows=max_rows)
    return field


def group(label: str, fields: Sequence[Field], *, help: str = "", open: bool = True) -> Field:
    field: Field = {"type": "group", "label": label, "fields": list(fields), "open": open}
    if help:
        field["help"] = help
    return field


def textarea(name: str, label: str, *, default: str = "", max_length: int = 20_000, rows: int = 4,
             help: str = "", optional: bool = True) -> Field:
    """Multi-line text (e.g. pasted share links, one per line)."""
    field = _base("textarea", name, label, help, optional)
    field.update(default=default, max_length=max_length, rows=rows)
    return field
