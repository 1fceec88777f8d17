"""Shared look of every chart: sizes that fit a phone, the playbook palette.

Colours follow the site's light/dark scheme in the browser (the page passes a
Vega config at embed time); here we only fix what does not depend on it.
"""

from __future__ import annotations

from typing import Any

#: Categorical palette readable in light and dark schemes (colour-blind safe, Okabe-Ito).
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
ACCENT = "#0072B2"
HIGHLIGHT = "#D55E00"
HEIGHT = 260


def base(chart: Any, *, height: int = HEIGHT) -> Any:
    """Apply the common size: full container width, a fixed height."""
    return chart.properties(width="container", height=height)


def demo() -> Any:
    """A minimal template used by doctests."""
    import altair as alt

    return base(alt.Chart(alt.Data(name="rows")).mark_point().encode(x="x:Q", y="y:Q"))
