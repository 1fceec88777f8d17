"""The feedback picker's data file: a malformed file stops with the file, the entry and the problem.

Each case breaks a copy of the shipped file as parsed (whatever a fork put in it), so the
expectations are read from the data, never typed by hand.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from calculators import _data, feedback
from calculators.errors import DataFileError
from calculators.feedback.form import check_examples
from calculators.feedback.knowledge import from_table

FILE = feedback.DATA_FILE
RAW = _data.load_toml("feedback.toml")
LAST = RAW["mechanism"][-1]["id"]


def _index(mid: str) -> int:
    return next(i for i, m in enumerate(RAW["mechanism"]) if m["id"] == mid)


def _mech(raw: dict[str, Any], i: int = -1) -> dict[str, Any]:
    out: dict[str, Any] = raw["mechanism"][i]
    return out


def _set(*path: Any, value: Any) -> Callable[[dict[str, Any]], None]:
    def edit(raw: dict[str, Any]) -> None:
        node = raw
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _drop(*path: Any) -> Callable[[dict[str, Any]], None]:
    def edit(raw: dict[str, Any]) -> None:
        node = raw
        for key in path[:-1]:
            node = node[key]
        del node[path[-1]]

    return edit


def _first(table: str) -> str:
    return next(iter(RAW[table]))


CASES: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    ("weight missing", _drop("weights", "signal"), "weights", "missing key 'signal'"),
    ("weight too big", _set("weights", "volume", value=7), "weights", "between 0 and 1"),
    (
        "signal out of range",
        _set("mechanism", -1, "signal_value", value=1.5),
        f"mechanism {LAST!r}",
        "'signal_value' (1.5) must be between 0 and 1",
    ),
    ("wrong type", _set("mechanism", -1, "effort", value="a lot"), f"mechanism {LAST!r}", "must be a number"),
    ("unknown kind", _set("mechanism", -1, "kind", value="magic"), f"mechanism {LAST!r}", "kind"),
    ("unknown risk", _set("mechanism", -1, "risks", value=["gremlins"]), f"mechanism {LAST!r}", "unknown 'gremlins'"),
    ("unknown HAX guideline", _set("mechanism", -1, "hax", value=["G99"]), f"mechanism {LAST!r}", "unknown 'G99'"),
    ("HAX numbering", lambda raw: raw["hax"].update(G42=raw["hax"][_first("hax")]), "hax 'G42'", "G1 to G18"),
    (
        "bad url",
        _set("hax", _first("hax"), "url", value="javascript:alert(1)"),
        f"hax {_first('hax')!r}",
        "must start with https://",
    ),
    (
        "duplicate id",
        _set("mechanism", -1, "id", value=RAW["mechanism"][0]["id"]),
        f"mechanism {RAW['mechanism'][0]['id']!r}",
        "used twice",
    ),
    (
        "unknown mechanism",
        _set("mechanism", -1, "id", value="smoke_signals"),
        "mechanism 'smoke_signals'",
        "unknown id",
    ),
    (
        "interface fit missing",
        _drop("mechanism", -1, "interface_fit", "voice"),
        f"mechanism {LAST!r}.interface_fit",
        "missing key 'voice'",
    ),
    (
        "unknown requirement",
        _set("mechanism", -1, "requires", value=["telepathy"]),
        f"mechanism {LAST!r}",
        "unknown 'telepathy'",
    ),
    (
        "event without fields",
        _set("mechanism", -1, "event", 0, "fields", value=[]),
        f"mechanism {LAST!r} event 1",
        "'fields' must not be empty",
    ),
    (
        "invalid example",
        _set("example", -1, "input", "interface", value="hologram"),
        f"example {RAW['example'][-1]['id']!r}",
        "interface must be one of",
    ),
    (
        "automation shares",
        _set("automation", "min_automated_share", value=RAW["automation"]["max_automated_share"]),
        "automation",
        "below max_automated_share",
    ),
    (
        "tolerance table",
        _set("context", "effort_tolerance", "low", value=1.5),
        "context.effort_tolerance",
        "between 0 and 0.99",
    ),
    ("missing mechanism", lambda raw: raw["mechanism"].pop(), "mechanism", f"no entry for {LAST}"),
    # the effort scale: one tap within "one tap at most", a category above it, tolerances rising
    (
        "one tap above the lowest tolerance",
        _set("mechanism", _index("binary_explicit"), "effort", value=RAW["context"]["effort_tolerance"]["low"] + 0.01),
        "mechanism 'binary_explicit'",
        "above the 'low' effort tolerance",
    ),
    (
        "a category within one tap",
        _set("mechanism", _index("categorical_explicit"), "effort", value=RAW["context"]["effort_tolerance"]["low"]),
        "mechanism 'categorical_explicit'",
        "must be above the 'low' effort tolerance",
    ),
    (
        "writing text beyond the highest tolerance",
        _set("mechanism", _index("free_text"), "effort", value=RAW["context"]["effort_tolerance"]["high"] + 0.01),
        "mechanism 'free_text'",
        "above the 'high' effort tolerance",
    ),
    (
        "tolerances that do not rise",
        _set("context", "effort_tolerance", "medium", value=RAW["context"]["effort_tolerance"]["low"]),
        "context.effort_tolerance",
        "must rise from low to medium to high",
    ),
]


@pytest.mark.parametrize("name, edit, entry, problem", CASES, ids=[c[0] for c in CASES])
def test_malformed_data_file(name, edit, entry, problem):
    raw = copy.deepcopy(RAW)
    edit(raw)
    with pytest.raises(DataFileError) as info:
        # the loader checks the file's shape; the form checks each example's input with the page's rules
        check_examples(from_table(raw, _data.Reader(FILE)))
    err = info.value
    assert err.file == FILE
    assert err.entry == entry, str(err)
    assert problem in err.problem, str(err)
    assert str(err).startswith(FILE)


def test_text_that_is_not_toml_is_named():
    with pytest.raises(DataFileError, match="not valid TOML"):
        feedback.load_knowledge("[weights\nsignal = 1")


def test_shipped_data_file_loads_once_and_agrees_with_its_text():
    know = feedback.knowledge()
    assert feedback.knowledge() is know  # read and validated once per process
    assert [m.id for m in know.mechanisms] == list(feedback.MECHANISM_IDS)
    assert feedback.load_knowledge(_data.data_text("feedback.toml")) == know
