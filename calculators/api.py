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

import functools
import json
from typing import Any

from . import forms, share
from ._contract import REGISTRY as CALCULATORS
from ._contract import get
from .errors import FieldError, InputError

__all__ = ["CALCULATORS", "compute", "decode_links", "get", "handle", "page_config", "run_examples"]


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
    result = calc.from_input(decode_links(name, data))
    return {"result": result.to_dict(), "view": calc.render(result)}


@functools.cache
def _link_fields(name: str) -> tuple[tuple[str, str], ...]:
    """(name, label) of each form field of calculator ``name`` that holds share links."""
    return tuple((f["name"], f["label"]) for f in forms.share_link_fields(get(name).form()))


def decode_links(name: str, data: Any) -> Any:
    """``data`` with the text of each share-link field (``forms.textarea(share_links=True)``)
    decoded line by line (:func:`calculators.share.decode_lines`): the page's URL format
    stays at this edge, and the calculator validates input objects.

    >>> link = "https://example.org/calculators/archetype/#" + share.encode({"answers": {}})
    >>> decode_links("archetype", {"merge": link + "\\n"})
    {'merge': [{'line': 1, 'input': {'answers': {}}}]}
    """
    if not isinstance(data, dict):
        return data
    out = dict(data)
    for path, label in _link_fields(name):
        text = out.get(path)
        if not isinstance(text, str):
            continue  # absent, or not text: the calculator says what it expects
        try:
            out[path] = share.decode_lines(text, field=path)
        except InputError as exc:
            reader = f"\u201c{label}\u201d is too long: at most {share.MAX_LINES_TEXT:,} characters."
            raise InputError([FieldError(path, exc.errors[0].message, reader)]) from None
    return out


def page_config(name: str) -> dict[str, Any]:
    """What a calculator page needs besides the result: form, default input, examples.

    A calculator whose ``blank_input`` (an optional member of the contract,
    :class:`calculators._contract.Calculator`) is not ``None`` offers an empty input a
    reader may start from, as the archetype questionnaire does; it goes in as
    ``"blank"``, and the page then says when it shows an example's answers and offers
    a blank start.
    """
    calc = get(name)
    config: dict[str, Any] = {
        "name": name,
        "title": calc.TITLE,
        "form": calc.form(),
        "default": calc.default_input(),
        "examples": calc.examples(),
    }
    if calc.blank_input is not None:
        config["blank"] = calc.blank_input()
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
