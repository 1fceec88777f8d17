"""Compute every calculator's default result under CPython, for the page.

Run as a subprocess by the build (``python -m pipeline prerender``) so that each
build imports the current ``calculators`` code, however often ``mkdocs serve``
rebuilds.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def prerender(names: list[str]) -> dict[str, Any]:
    from calculators import api, charts

    out: dict[str, Any] = {}
    for name in names:
        try:
            api.get(name)
        except ModuleNotFoundError as exc:  # a calculator registered but not written yet
            if exc.name != api.CALCULATORS[name]:
                raise
            print(f"[prerender] skipping {name}: {exc.name} does not exist", file=sys.stderr)
            continue
        config = api.page_config(name)
        computed = api.compute(name, config["default"])
        used = sorted({b["chart"] for b in computed["view"] if b["type"] == "chart"})
        module = api.get(name)
        # Every template the calculator may use, not only those in the default view.
        prefix = f"{name}_"
        charts._load()
        names_all = sorted(n for n in charts.TEMPLATES if n.startswith(prefix)) or used
        out[name] = {
            "config": config,
            "result": computed["result"],
            "view": computed["view"],
            "charts": {c: charts.spec(c) for c in sorted(set(names_all) | set(used))},
            "title": module.TITLE,
        }
    return out


def main(names: list[str]) -> None:
    print(json.dumps(prerender(names), allow_nan=False))
