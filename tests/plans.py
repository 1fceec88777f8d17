"""Building blocks for timeline plans written inline in tests (never this playbook's own plans)."""

from __future__ import annotations

from typing import Any


def task(tid: str, o: float, m: float | None = None, p: float | None = None, **kw: Any) -> dict[str, Any]:
    """A task row; ``task("a", 2)`` is a fixed two-unit task, ``task("a", 1, 2, 4)`` a three-point estimate."""
    return {
        "id": tid,
        "optimistic": o,
        "most_likely": o if m is None else m,
        "pessimistic": (o if m is None else m) if p is None else p,
        **kw,
    }
