"""The Python side of the JavaScript twin tests (tests/js/*.test.mjs).

Reads one JSON request on stdin, answers one JSON value on stdout:
  {"do": "share_decode", "links": [...]}      -> share.decode of each (or {"error": ...})
  {"do": "share_encode", "data": [...]}       -> share.encode of each
  {"do": "percent", "texts": [...]}           -> forms.parse_percent of each
  {"do": "safe_href", "hrefs": [...]}         -> does view.links accept each?
  {"do": "blocks_tree", "blocks": [...], "root": ""} -> render.block_html of each, as a tree
  {"do": "calculator_blocks"}                 -> every view block of every calculator's examples
  {"do": "plan_exports"}                      -> each table a page exports as CSV, with its rows
"""

from __future__ import annotations

import json
import sys
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from calculators import _contract, api, forms, share, view
from calculators.errors import InputError
from pipeline import render


class Tree(HTMLParser):
    """HTML -> [tag, {attrs}, *children]; text as str, whitespace-only text dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[list[Any]] = [["#root", {}]]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node: list[Any] = [tag, {k: v or "" for k, v in attrs}]
        self.stack[-1].append(node)
        self.stack.append(node)

    def handle_endtag(self, tag: str) -> None:
        while len(self.stack) > 1:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if not data.strip():
            return
        parent = self.stack[-1]
        if len(parent) > 2 and isinstance(parent[-1], str):
            parent[-1] += data
        else:
            parent.append(data)


def tree(html: str) -> list[Any]:
    parser = Tree()
    parser.feed(html)
    parser.close()
    return parser.stack[0][2:]


def safe(href: str) -> bool:
    try:
        view.links([("x", href)])
        return True
    except ValueError:
        return False


def decode(link: str) -> Any:
    try:
        return {"data": share.decode(link)}
    except InputError as exc:
        return {"error": str(exc)}


def calculator_blocks() -> list[dict[str, Any]]:
    blocks = []
    for name in _contract.names():
        calc = api.get(name)
        inputs = [calc.default_input()] + [{**calc.default_input(), **e["input"]} for e in calc.examples()]
        for data in inputs:
            blocks += api.compute(name, data)["view"]
    return blocks


def plan_exports() -> list[dict[str, Any]]:
    """Every table a page exports as CSV (a table field with ``files``: the page writes the CSV
    on click, files.mjs), with rows whose text cells start with a spreadsheet's formula signs."""
    out = []
    for name in _contract.names():
        calc = api.get(name)
        for table in (f for f in _flat(calc.form()) if f["type"] == "table" and f.get("files")):
            data = _with_leading_signs(name, calc.default_input(), table)
            out.append({"calculator": name, "table": table, "rows": data[table["name"]]})
    return out


def _with_leading_signs(name: str, data: dict[str, Any], table: dict[str, Any]) -> dict[str, Any]:
    """The input with each text cell of the table's first row starting with '-', '=' or '@' where
    the calculator accepts it (a spreadsheet would read those as formulas)."""
    for col in table["columns"]:
        if col["type"] != "text":
            continue
        for sign in "-=@":
            trial = json.loads(json.dumps(data))
            row = trial[table["name"]][0]
            row[col["name"]] = sign + " " + str(row.get(col["name"]) or "x")
            try:
                api.get(name).parse(trial)
            except InputError:
                continue
            data = trial
    return data


def _flat(fields: list[dict[str, Any]]) -> Any:
    for f in fields:
        yield from (_flat(f["fields"]) if f["type"] == "group" else [f])


def main() -> None:
    req = json.load(sys.stdin)
    kind = req["do"]
    if kind == "share_decode":
        out: Any = [decode(link) for link in req["links"]]
    elif kind == "share_encode":
        out = [share.encode(d) for d in req["data"]]
    elif kind == "percent":
        out = [forms.parse_percent(t) for t in req["texts"]]
    elif kind == "safe_href":
        out = [safe(h) for h in req["hrefs"]]
    elif kind == "blocks_tree":
        out = [tree(render.block_html(b, root=req.get("root", ""))) for b in req["blocks"]]
    elif kind == "calculator_blocks":
        out = calculator_blocks()
    elif kind == "plan_exports":
        out = plan_exports()
    else:
        raise SystemExit(f"unknown request {kind!r}")
    json.dump(out, sys.stdout, ensure_ascii=False)


if __name__ == "__main__":
    main()
