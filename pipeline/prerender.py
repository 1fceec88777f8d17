"""Compute every calculator's default result under CPython, for the page.

Run as a subprocess by the build (``python -m pipeline prerender``) so that each
build imports the current ``calculators`` code, however often ``mkdocs serve``
rebuilds.
"""

from __future__ import annotations

import json
from typing import Any


def prerender(names: list[str]) -> dict[str, Any]:
    """Each named calculator's page config, default result, view and chart specs (all registered ones if empty)."""
    from calculators import _contract, api, charts

    names = names or list(_contract.names())
    out: dict[str, Any] = {}
    charts._load()
    for name in names:
        module = api.get(name)
        config = api.page_config(name)
        computed = api.compute(name, config["default"])
        # Every template the calculator may use (named "<calculator>_..."), not only those in the default view.
        used = {b["chart"] for b in computed["view"] if b["type"] == "chart"}
        names_all = {n for n in charts.TEMPLATES if n.startswith(f"{name}_")} | used
        out[name] = {
            "config": config,
            "result": computed["result"],
            "view": computed["view"],
            "charts": {c: charts.spec(c) for c in sorted(names_all)},
            "title": module.TITLE,
        }
    return out


def main(names: list[str]) -> None:
    print(json.dumps(prerender(names), allow_nan=False))
