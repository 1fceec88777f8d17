"""What the simulator knows from its data file, ``calculators/data/timeline_examples.toml``.

The example plans as written (the first is the page's default; :mod:`.form`
validates them) and the likelihood/importance matrix (cut-offs and quadrant
names) that the simulator's chart and the Managing chapter's chart share.
The file is read once per process by the shared cached loader; a mistake
stops the build with the file, the entry and the problem named.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .._data import Reader, load_toml

FILE = "timeline_examples.toml"
PATH = f"calculators/data/{FILE}"
#: The quadrants of the matrix: (likely?, important?) -> key in ``[risk_matrix.quadrants]``.
QUADRANTS = ("likely_important", "unlikely_important", "likely_minor", "unlikely_minor")
_MATRIX_KEYS = ("likelihood_cutoff", "importance_cutoff", "importance_max", "quadrants")


@dataclass(frozen=True)
class RiskMatrix:
    """Cut-offs and names of the likelihood (across) / importance (up) matrix.

    Examples
    --------
    >>> m = risk_matrix()
    >>> 0 < m.likelihood_cutoff < 1 and 1 <= m.importance_cutoff <= m.importance_max
    True
    >>> m.quadrant(1.0, m.importance_max) == m.quadrants["likely_important"]
    True
    """

    likelihood_cutoff: float
    importance_cutoff: float
    importance_max: float
    quadrants: dict[str, str]

    def key(self, likelihood: float, importance: float) -> str:
        """The quadrant's key: likely when at or above the likelihood cut-off, important likewise."""
        likely = likelihood >= self.likelihood_cutoff
        important = importance >= self.importance_cutoff
        return ("likely" if likely else "unlikely") + "_" + ("important" if important else "minor")

    def quadrant(self, likelihood: float, importance: float) -> str:
        """The quadrant's name for a task of this chance of success and importance."""
        return self.quadrants[self.key(likelihood, importance)]


def risk_matrix() -> RiskMatrix:
    """The ``[risk_matrix]`` table of the data file, checked (file and entry named on a problem)."""
    data = load_toml(FILE)
    r = Reader(PATH)
    entry = "[risk_matrix]"
    t = r.table(data, "risk_matrix", entry)
    r.unknown_keys(t, _MATRIX_KEYS, entry)
    top = r.number(t, "importance_max", entry, 1, 10)
    cut_x = r.number(t, "likelihood_cutoff", entry, 0, 1, open_lo=True)
    if cut_x >= 1:
        r.fail(entry, f"'likelihood_cutoff' ({cut_x:g}) must be below 1")
    cut_y = r.number(t, "importance_cutoff", entry, 1, top)
    q = r.table(t, "quadrants", entry)
    names = {k: r.text(q, k, f"{entry}.quadrants") for k in QUADRANTS}
    r.unknown_keys(q, QUADRANTS, f"{entry}.quadrants")
    return RiskMatrix(cut_x, cut_y, top, names)


def example_plans() -> list[dict[str, Any]]:
    """The example plans of the data file as written: ``[{"id", "label", "input"}]``.

    Ids and labels are checked here; each plan's fields are validated by
    :func:`calculators.timeline.examples`, which knows the plan format (this
    module imports nothing above it).
    """
    data = load_toml(FILE)
    r = Reader(PATH)
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, p in enumerate(r.entries(data, "plan")):
        entry = f"plan[{i}]"
        ident = r.ident(p, entry, seen)
        label = r.text(p, "label", f"plan[{i}] ({ident})")
        out.append({"id": ident, "label": label, "input": {k: v for k, v in p.items() if k not in ("id", "label")}})
    return out
