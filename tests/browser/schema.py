"""What the browser tests know about a calculator, read from the registry and
from the form schema the page carries, never from this playbook's own content:
which calculators exist, one valid edit, and one invalid value per kind of field.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any


def names() -> tuple[str, ...]:
    """Every calculator, from the one registry."""
    from calculators import _contract

    return tuple(_contract.names())


def page_config(name: str) -> dict[str, Any]:
    """The config the build writes into the calculator's page (form schema, defaults, examples)."""
    from calculators import api

    return json.loads(json.dumps(api.page_config(name)))


def flat(schema: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [g for f in schema for g in (flat(f["fields"]) if f["type"] == "group" else [f])]


def _fmt(x: float, step: Any) -> str:
    return str(int(x)) if step == 1 or (isinstance(step, int) and step >= 1) else repr(float(x))


@dataclass
class Edit:
    """One change a reader makes: ``selector`` inside the calculator root, ``value`` to type
    (``None``: check the radio or box), ``label`` as the page names the field."""

    kind: str
    selector: str
    value: str | None
    label: str
    path: str


def _number_value(field: dict[str, Any], current: Any, *, invalid: bool) -> str:
    lo, hi, step = field.get("min"), field.get("max"), field.get("step")
    if invalid:
        bad = hi + abs(hi) + 1 if hi is not None else lo - abs(lo) - 1
        return f"{(bad * 100):g}%" if field.get("percent") else _fmt(bad, step)
    base = current if isinstance(current, (int, float)) else (lo if lo is not None else 0)
    if field.get("percent"):
        target = base + 0.01 if base + 0.01 <= hi else base - 0.01
        return f"{round(target * 100, 6):g}"
    delta = 1 if (hi is None or base + 1 <= hi) else -1
    target = base + delta
    if lo is not None and target < lo:
        target = (lo + hi) / 2
    return _fmt(target, step) if math.isfinite(target) else str(lo)


def valid_edit(name: str, *, in_table: bool = False) -> Edit:
    """A change that keeps the input valid and changes it: the first top-level number, else
    an unchecked answer of the first radio question, else a number cell of the first table
    (with ``in_table``, the table cell first)."""
    config = page_config(name)
    default = config["default"]
    fields = flat(config["form"])
    if in_table:
        fields = [f for f in fields if f["type"] == "table"]
    for f in fields:
        if f["type"] == "number":
            return Edit(
                "number",
                f'[data-field="{f["name"]}"]',
                _number_value(f, _get(default, f["name"]), invalid=False),
                f["label"],
                f["name"],
            )
    for f in fields:
        if f["type"] == "radio":
            value = next(o["value"] for o in f["options"] if o["value"] != _get(default, f["name"]))
            return Edit("radio", f'input[data-field="{f["name"]}"][value="{value}"]', None, f["label"], f["name"])
    for f in fields:
        if f["type"] == "table":
            col = next(c for c in f["columns"] if c["type"] == "number")
            path = f"{f['name']}[0].{col['name']}"
            return Edit(
                "cell",
                f'[data-field="{path}"]',
                _number_value(col, default[f["name"]][0].get(col["name"]), invalid=False),
                f"{col['label']}, row 1",
                path,
            )
    raise AssertionError(f"{name}: no field to edit")


def invalid_edits(name: str) -> list[Edit]:
    """One invalid value per kind of field the form has: a number above its maximum, a
    percentage above its maximum, a table's number cell above its maximum, a required text emptied."""
    config = page_config(name)
    default = config["default"]
    out: dict[str, list[Edit]] = {}
    for f in flat(config["form"]):
        if f["type"] == "number" and f.get("max") is not None:
            kind = "percent" if f.get("percent") else "number"
            out.setdefault(kind, []).append(
                Edit(kind, f'[data-field="{f["name"]}"]', _number_value(f, None, invalid=True), f["label"], f["name"])
            )
        elif f["type"] == "text" and not f.get("optional"):
            out.setdefault("text", []).append(Edit("text", f'[data-field="{f["name"]}"]', "", f["label"], f["name"]))
        elif f["type"] == "table" and default.get(f["name"]):
            for col in f["columns"]:
                path = f"{f['name']}[0].{col['name']}"
                label = f"{col['label']}, row 1"
                if col["type"] == "number" and col.get("max") is not None:
                    kind = "percent cell" if col.get("percent") else "number cell"
                    out.setdefault(kind, []).append(
                        Edit(kind, f'[data-field="{path}"]', _number_value(col, None, invalid=True), label, path)
                    )
    chosen = []
    for edits in out.values():  # per kind, the first field whose value the calculator refuses
        refused = next((e for e in edits if _rejected(name, default, e)), None)
        if refused is not None:
            chosen.append(refused)
    return chosen


def _rejected(name: str, default: dict[str, Any], edit: Edit) -> bool:
    """Does the calculator refuse this value? (An emptied text may simply take a default.)"""
    from calculators import api, forms
    from calculators.errors import InputError

    data = json.loads(json.dumps(default))
    value: Any = edit.value
    if "percent" in edit.kind:
        value = forms.parse_percent(edit.value or "")
    elif edit.kind != "text":
        value = float(edit.value or "nan")
    target, keys = data, [k for k in edit.path.replace("[", ".").replace("]", "").split(".") if k]
    for k in keys[:-1]:
        target = target[int(k)] if k.isdigit() else target.setdefault(k, {})
    target[keys[-1]] = value
    try:
        api.compute(name, data)
    except InputError:
        return True
    return False


def _get(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def in_view(page):
    """Scroll the page's calculator into view (its runtime starts when a reader can see it,
    and a page's text may put it below the fold); returns the page, for ``wait_state(in_view(page))``."""
    root = page.locator("[data-calculator]").first
    root.scroll_into_view_if_needed()
    return page
