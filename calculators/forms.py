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
    percent: bool = False,
) -> Field:
    """A number. With ``percent``, the input holds a fraction (``min``/``max`` too) and
    the page shows and accepts a percentage (see :func:`parse_percent`)."""
    field = _base("number", name, label, help, optional)
    field.update(default=default, min=min, max=max, step=step)
    if percent:
        field["percent"] = True
        unit = "%"
    if unit:
        field["unit"] = unit
    return field


PERCENT_RULE = (
    "Type a percentage: 90 or 90% both mean 90%. A number between 0 and 1 written with a "
    "decimal point, such as 0.9, is read as a fraction (90%)."
)


def parse_percent(text: str) -> float | None:
    """What a reader typed in a percentage field, as a fraction; ``None`` if it is not a number.

    One rule, the same in the page (``form.mjs``): ``"90%"`` and ``"90"`` mean 90%;
    a number between 0 and 1 with a decimal point (``"0.9"``, ``".5"``) is a fraction;
    ``"1"`` means 1%.

    Examples
    --------
    >>> [parse_percent(t) for t in ("90", "90%", "0.9", " 12.5 % ", "1", "1.0", "0", "abc", "")]
    [0.9, 0.9, 0.9, 0.125, 0.01, 1.0, 0.0, None, None]
    """
    raw = text.strip().replace(",", ".") if isinstance(text, str) else ""
    has_sign = raw.endswith("%")
    raw = raw.rstrip("%").strip()
    if not raw:
        return None
    if "_" in raw:  # Python's float() accepts 1_0; a reader does not mean that, and the page refuses it
        return None
    try:
        value = float(raw)
    except ValueError:
        return None
    if value != value or value in (float("inf"), float("-inf")):
        return None
    if not has_sign and "." in raw and 0 <= value <= 1:
        return value
    return round(value / 100, 12)


def select(
    name: str,
    label: str,
    options: Sequence[tuple[str, str]],
    *,
    default: str | None,
    help: str = "",
    optional: bool = False,
) -> Field:
    field = _base("select", name, label, help, optional)
    field.update(default=default, options=[{"value": v, "label": t} for v, t in options])
    return field


def radio(
    name: str,
    label: str,
    options: Sequence[tuple[str, str]],
    *,
    default: str | None = None,
    help: str = "",
    optional: bool = True,
) -> Field:
    """A choice of one. An ``optional`` radio gets a "Not sure" option on the page (and a way to
    clear the choice); choosing it leaves the key out of the input."""
    field = _base("radio", name, label, help, optional)
    field.update(default=default, options=[{"value": v, "label": t} for v, t in options])
    return field


def checkbox(name: str, label: str, *, default: bool = False, help: str = "") -> Field:
    field = _base("checkbox", name, label, help, False)
    field["default"] = default
    return field


def text(
    name: str, label: str, *, default: str = "", max_length: int = 200, help: str = "", optional: bool = False
) -> Field:
    field = _base("text", name, label, help, optional)
    field.update(default=default, max_length=max_length)
    return field


def tags(name: str, label: str, *, default: Sequence[str] = (), help: str = "", optional: bool = True) -> Field:
    field = _base("tags", name, label, help, optional)
    field["default"] = list(default)
    return field


def table(
    name: str,
    label: str,
    columns: Sequence[Field],
    *,
    default: Sequence[dict[str, Any]],
    min_rows: int = 1,
    max_rows: int = 100,
    help: str = "",
) -> Field:
    field = _base("table", name, label, help, False)
    field.update(columns=list(columns), default=[dict(r) for r in default], min_rows=min_rows, max_rows=max_rows)
    return field


def group(label: str, fields: Sequence[Field], *, help: str = "", open: bool = True) -> Field:
    field: Field = {"type": "group", "label": label, "fields": list(fields), "open": open}
    if help:
        field["help"] = help
    return field


def textarea(
    name: str,
    label: str,
    *,
    default: str = "",
    max_length: int = 20_000,
    rows: int = 4,
    help: str = "",
    optional: bool = True,
    share_links: bool = False,
) -> Field:
    """Multi-line text. With ``share_links`` it holds share links (or input objects as JSON),
    one per line: the edge decodes them before the calculator sees the input
    (:func:`calculators.api.compute`, :func:`calculators.share.decode_lines`)."""
    field = _base("textarea", name, label, help, optional)
    field.update(default=default, max_length=max_length, rows=rows)
    if share_links:
        field["share_links"] = True
    return field


def share_link_fields(fields: Sequence[Field]) -> list[Field]:
    """The fields of a form (groups included) that hold share links, one per line.

    >>> share_link_fields([group("More", [textarea("merge", "Links", share_links=True), text("x", "X")])])[0]["name"]
    'merge'
    """
    out: list[Field] = []
    for field in fields:
        if field["type"] == "group":
            out += share_link_fields(field["fields"])
        elif field.get("share_links"):
            out.append(field)
    return out
