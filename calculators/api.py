"""One entry point for every front end: the page, the worker, the CLI, notebooks.

>>> out = compute("timeline", {"tasks": [{"id": "a", "optimistic": 1, "most_likely": 1, "pessimistic": 1}],
...                             "trials": 100})
>>> out["result"]["p_success"]
1.0
>>> compute("nope", {})
Traceback (most recent call last):
...
calculators.errors.InputError: calculator: unknown calculator 'nope'; expected one of timeline, archetype, feedback
"""

from __future__ import annotations

import json
from typing import Any

from ._contract import REGISTRY as CALCULATORS
from ._contract import get
from .errors import InputError

__all__ = ["CALCULATORS", "compute", "get", "handle", "page_config", "run_examples"]


def compute(name: str, data: Any) -> dict[str, Any]:
    """Validate ``data``, compute, and return ``{"result": ..., "view": [...]}``.

    The one call behind the page, the browser worker and the command line.

    Parameters
    ----------
    name : {"timeline", "archetype", "feedback"}
        The calculator (see :data:`CALCULATORS`).
    data : dict
        Its JSON input object, as a page, a share link or a CLI input file holds it.

    Returns
    -------
    dict
        ``{"result": ..., "view": [...]}``: the result's ``to_dict()`` (plain JSON)
        and the view blocks the page draws (summary, metrics, tables, charts...).

    Raises
    ------
    calculators.errors.InputError
        An unknown calculator, or input that fails validation; each entry names its field.

    Examples
    --------
    >>> out = compute("feedback", {"cost_wrong": 10, "cost_ask": 1})
    >>> out["result"]["automation"]["threshold"]
    0.9
    >>> out["view"][0]["type"]
    'summary'
    >>> compute("timeline", {"tasks": []})
    Traceback (most recent call last):
    ...
    calculators.errors.InputError: tasks: the plan needs at least one task (a list of task objects)
    """
    calc = get(name)
    result = calc.from_input(data)
    return {"result": result.to_dict(), "view": calc.render(result)}


def page_config(name: str) -> dict[str, Any]:
    """What a calculator page needs besides the result: form, default input, examples.

    A calculator that offers ``blank_input()`` (an empty input a reader may start
    from, as the archetype questionnaire does) gets it as ``"blank"``: the page
    then says when it shows an example's answers and offers a blank start.
    """
    calc = get(name)
    config: dict[str, Any] = {
        "name": name,
        "title": calc.TITLE,
        "form": calc.form(),
        "default": calc.default_input(),
        "examples": calc.examples(),
    }
    blank = getattr(calc, "blank_input", None)
    if blank is not None:
        config["blank"] = blank()
    return config


def handle(message: str) -> str:
    """Answer one JSON request from the browser worker; never raises.

    ``{"id", "calculator", "input"}`` -> ``{"id", "result", "view"}`` or ``{"id", "error"}``.
    """
    try:
        req = json.loads(message)
        rid = req.get("id") if isinstance(req, dict) else None
        if not isinstance(req, dict):
            raise InputError("request must be a JSON object")
        out = compute(req.get("calculator", ""), req.get("input"))
        return json.dumps({"id": rid, **out}, allow_nan=False)
    except InputError as exc:
        return json.dumps({"id": rid if "rid" in locals() else None, "error": exc.to_dict()})
    except Exception as exc:  # a bug, not bad input: report it and keep the worker alive
        return json.dumps(
            {
                "id": rid if "rid" in locals() else None,
                "error": {"message": f"internal error: {type(exc).__name__}: {exc}", "fields": [], "internal": True},
            }
        )


def run_examples(first_only: bool = False) -> list[str]:
    """Compute every calculator's examples (or each one's first) through ``handle``, as the
    page asks for them, drop the answers, and return the modules imported on the way.

    The build runs it in CPython to find what a first result imports (the snapshot then
    imports those too: pipeline/snapshot.py); the browser worker runs it with
    ``first_only`` after a normal start, so that the reader's first result does not pay
    for them.
    """
    import sys

    before = set(sys.modules)
    for name in CALCULATORS:
        examples = get(name).examples()
        for example in examples[:1] if first_only else examples:
            handle(json.dumps({"id": 0, "calculator": name, "input": example["input"]}))
    return sorted(set(sys.modules) - before)
